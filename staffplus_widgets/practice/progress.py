"""The progress profile: what a learner keeps reasoning about, naming only or missing, across
scenarios and attempts, and what to practise next.

Pure Python (no ipywidgets, no matplotlib). ``read_history(folder)`` reads every work file of a
folder through the one reader (``workfile.read``) and lists each file it cannot use with a one-line
reason; ``build_profile(history, pack)`` turns the attempts the files hold (``practice.attempts``)
into a ``Profile``. The same counting serves the instructor's cohort view (``cohort_habits``).

- **Categories**: from the latest attempt on each scenario, the share of that category's rubric
  items that were reasoned, named only, dismissed or missed (absent); for mock interviews, the
  share raised unprompted, after a follow-up, or missed.
- **Trend**: per category, the reasoned share in each attempt that had items in it, oldest first,
  and the change from the first attempt to the recent level (the mean of the latest five).
- **Habits**: the patterns behind the misses, most frequent first ("You name privacy but rarely
  say what it changes").
- **Recommendation**: the scenario whose rubric exercises the weakest categories most (fewest
  attempts first on a tie), the interview phase where those items sit, and that scenario's
  judgment-drill statements.

The JSON form (``Profile.to_json``, ``staffplus progress --format json``) is described in
``docs/progress.md``.
"""

from __future__ import annotations

import os
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import workfile
from ..core.categories import CATEGORY_IDS
from ..core.errors import StaffplusError
from ..core.wording import printable
from ..data.scenario import ScenarioPack
from .drills import Statement, judgment_statements
from .interview import PHASE_IDS, PHASES, STATUSES

FORMAT = "staffplus-progress"
VERSION = 1
LEVELS = ("reasoned", "named", "dismissed", "absent")
MOST_HABITS = 5
WEAKEST = 3
ROLLING = 5  # attempts the trend's recent level averages over
PHASE_TITLES = {p[0]: p[1] for p in PHASES}

# What each way of missing a category says about the habit ({c}: the category): the learner's
# in their profile, the room's in the debrief.
HABIT_TEXT = {
    "named": "You name {c} but rarely say what it changes",
    "absent": "You rarely raise {c} at all",
    "dismissed": "You wave {c} away instead of saying what it costs",
    "prompted": "In interviews you reason about {c} only after the interviewer asks",
}
ROOM_TEXT = {
    "named": "The room names {c} but rarely says what it changes",
    "absent": "The room rarely raises {c} at all",
    "dismissed": "The room waves {c} away instead of saying what it costs",
    "prompted": "In interviews the room reasons about {c} only after a follow-up",
}


@dataclass(frozen=True)
class Attempt:
    """One review or mock interview from a work file (see ``practice.attempts``)."""

    file: str
    kind: str  # review | interview
    time: str
    scenario: str
    score: float
    items: Mapping[str, Mapping[str, str]]  # item id -> {category, phase, level[, raised]}


@dataclass
class History:
    """Every attempt found in a folder, oldest first, and the files that could not be used."""

    directory: str
    attempts: list[Attempt] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # read
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (file, one-line reason)
    learners: set[str] = field(default_factory=set)  # the names the files give (a profile is one
    # learner's; a folder of several is counted together, and says so)


def read_history(directory: str | os.PathLike[str]) -> History:
    """Read the attempts of every work file in ``directory`` (not recursive).

    A file the reader refuses (not JSON, another format, too large, invalid) is listed in
    ``rejected`` with its reason and the rest are still read. The same attempt found in two files
    (a work file and its download from JupyterLite or Binder) counts once.

    Raises
    ------
    StaffplusError
        The folder does not exist or cannot be listed.
    """
    folder = Path(directory)
    try:
        names = workfile.work_file_names(folder)
    except OSError as exc:
        raise StaffplusError(
            str(folder), f"cannot be listed: {exc.strerror or exc}", None, has_value=False
        ) from None
    history = History(str(folder))
    seen: set[tuple[Any, ...]] = set()
    for raw_name in names:
        name = printable(raw_name)  # undecodable bytes in a name must not break the report
        try:
            work = workfile.read(folder / raw_name)
        except (StaffplusError, OSError) as exc:
            reason = printable(str(exc)).replace(printable(str(folder / raw_name)), name)
            history.rejected.append((name, reason))
            continue
        history.files.append(name)
        if isinstance(work.get("learner"), str) and work["learner"].strip():
            history.learners.add(work["learner"])
        for record in work.get("attempts") or []:
            # one attempt, whichever copy it is in: recorded at that second, with that score
            key = (record["kind"], record["time"], record["scenario"], record.get("score"),
                   len(record["items"]))  # fmt: skip
            if key not in seen:
                seen.add(key)
                history.attempts.append(_attempt(name, record))
    history.attempts.sort(key=lambda a: a.time)
    return history


def _attempt(name: str, record: dict[str, Any]) -> Attempt:
    return Attempt(
        name,
        record["kind"],
        record["time"],
        record["scenario"],
        record.get("score", 0),
        record["items"],
    )


# -- counting ------------------------------------------------------------------------------------
@dataclass
class CategoryProfile:
    """One category's verdicts: review levels, and in interviews how items were raised."""

    id: str
    levels: Counter[str] = field(default_factory=Counter)  # reasoned/named/dismissed/absent
    raised: Counter[str] = field(default_factory=Counter)  # unprompted/prompted/missed
    scenarios: set[str] = field(default_factory=set)

    @property
    def items(self) -> int:
        """Item verdicts counted (one per rubric item of each latest attempt)."""
        return sum(self.levels.values())

    @property
    def interview_items(self) -> int:
        """Item verdicts from mock interviews (how each was raised)."""
        return sum(self.raised.values())

    def share(self, level: str) -> float:
        """The share of the items at ``level`` (reasoned, named, dismissed, absent)."""
        return _share(self.levels[level], self.items)

    def raised_share(self, status: str) -> float:
        """The share of the interview items raised so (unprompted, prompted, missed)."""
        return _share(self.raised[status], self.interview_items)

    def to_json(self) -> dict[str, Any]:
        """The category's entry of the profile JSON (``docs/progress.md``)."""
        return {
            "id": self.id,
            "items": self.items,
            "scenarios": sorted(self.scenarios),
            "counts": {lv: self.levels[lv] for lv in LEVELS},
            "shares": {("missed" if lv == "absent" else lv): self.share(lv) for lv in LEVELS},
            "interview": None
            if not self.interview_items
            else {
                "items": self.interview_items,
                "counts": {s: self.raised[s] for s in STATUSES},
                "shares": {s: self.raised_share(s) for s in STATUSES},
            },
        }


def _share(n: int, total: int) -> float:
    return round(n / total, 4) if total else 0.0


def count_categories(
    verdicts: Iterable[tuple[str, Mapping[str, str], int]],
) -> dict[str, CategoryProfile]:
    """Category profiles from ``(scenario, item verdict, how many such verdicts)``, in the fixed
    category order."""
    out = {c: CategoryProfile(c) for c in CATEGORY_IDS}
    for scenario, verdict, n in verdicts:
        cat = out[verdict["category"]]
        cat.levels[verdict["level"]] += n
        cat.scenarios.add(scenario)
        if "raised" in verdict:
            cat.raised[verdict["raised"]] += n
    return {c: p for c, p in out.items() if p.items}


def latest_per_scenario(attempts: list[Attempt], kind: str | None = None) -> list[Attempt]:
    """The newest attempt on each scenario (of ``kind``, or of any kind), in scenario order."""
    latest: dict[str, Attempt] = {}
    for a in attempts:  # oldest first: a later one replaces an earlier one
        if kind is None or a.kind == kind:
            latest[a.scenario] = a
    return [latest[s] for s in sorted(latest)]


def habits(
    categories: Mapping[str, CategoryProfile],
    most: int = MOST_HABITS,
    texts: Mapping[str, str] = HABIT_TEXT,
) -> list[dict[str, Any]]:
    """The ways the learner (or the room) misses categories, most items first.

    Each habit: ``category``, ``habit`` (named, absent, dismissed, or prompted: raised in an
    interview only after a follow-up), ``count`` (items), ``of`` (that category's items),
    ``share`` and ``text``."""
    found = []
    for cat in categories.values():
        for habit in ("named", "absent", "dismissed"):
            if cat.levels[habit]:
                found.append((cat.id, habit, cat.levels[habit], cat.items))
        if cat.raised["prompted"]:
            found.append((cat.id, "prompted", cat.raised["prompted"], cat.interview_items))
    found.sort(key=lambda h: (-h[2], -h[2] / h[3], CATEGORY_IDS.index(h[0])))
    return [
        {
            "category": c,
            "habit": h,
            "count": n,
            "of": total,
            "share": _share(n, total),
            "text": texts[h].format(c=c) + f" ({n} of {total} items).",
        }
        for c, h, n, total in found[:most]
    ]


def trend(attempts: list[Attempt]) -> list[dict[str, Any]]:
    """Per category (that any attempt had), the reasoned share in each attempt, oldest first, and
    its mean over that category's latest ``ROLLING`` attempts (``rolling``). ``first`` is the
    first attempt's share, ``latest`` the recent level (the last ``rolling``): where the learner
    stands now, not the luck of one attempt."""
    series: dict[str, list[dict[str, Any]]] = {c: [] for c in CATEGORY_IDS}
    recent: dict[str, deque[float]] = {c: deque(maxlen=ROLLING) for c in CATEGORY_IDS}
    for number, a in enumerate(attempts, 1):
        tally: dict[str, list[int]] = {}  # category -> [reasoned, items]
        for v in a.items.values():
            t = tally.setdefault(v["category"], [0, 0])
            t[0] += v["level"] == "reasoned"
            t[1] += 1
        for cat, (reasoned, total) in tally.items():
            share = reasoned / total
            window = recent[cat]  # the recent level: one lucky attempt is not a trend
            window.append(share)
            series[cat].append({"attempt": number, "time": a.time, "scenario": a.scenario,
                                "reasoned": round(share, 4),
                                "rolling": round(sum(window) / len(window), 4)})  # fmt: skip
    out = []
    for cat, points in series.items():
        if points:
            first, latest = points[0]["reasoned"], points[-1]["rolling"]
            out.append(
                {
                    "category": cat,
                    "points": points,
                    "first": first,
                    "latest": latest,
                    "change": round(latest - first, 4),
                }
            )
    return out


# -- what to practise next -------------------------------------------------------------------------
def weakest(categories: Mapping[str, CategoryProfile], n: int = WEAKEST) -> list[str]:
    """The ``n`` categories to work on: the lowest reasoned share first (never-practised ones after
    the practised weak ones, in the fixed order); a category always reasoned is not weak."""
    tried = sorted(
        (c for c in categories.values() if c.share("reasoned") < 1),
        key=lambda c: (c.share("reasoned"), -c.items, CATEGORY_IDS.index(c.id)),
    )
    picked = [c.id for c in tried[:n]]
    picked += [c for c in CATEGORY_IDS if c not in categories][: n - len(picked)]
    return picked


def recommend(
    pack: ScenarioPack,
    weak: list[str],
    attempts: list[Attempt],
    workbooks: Mapping[str, str] | None = None,
) -> dict[str, Any] | None:
    """The next scenario and phase that exercise the ``weak`` categories most, with its drills.

    Among the pack's scenarios, the one with the most rubric items in those categories wins; on a
    tie the one attempted least, then the first by id. The phase is where most of those items
    sit (interview order on a tie). None when the pack has no scenario."""
    if not pack.scenarios:
        return None
    tries = Counter(a.scenario for a in attempts)

    def weak_items(sid: str) -> list[dict[str, Any]]:
        return [i for i in pack.scenarios[sid].rubric if i["category"] in weak]

    best = min(sorted(pack.scenarios), key=lambda s: (-len(weak_items(s)), tries[s]))
    items = weak_items(best)
    phases = Counter(i["phase"] for i in items)
    phase = min(phases, key=lambda p: (-phases[p], PHASE_IDS.index(p))) if phases else "clarify"
    sc = pack.scenarios[best]
    drills: list[Statement] = [s for s in judgment_statements(pack) if s.scenario == best]
    covered = sorted({i["category"] for i in items}, key=CATEGORY_IDS.index)
    return {
        "scenario": best,
        "title": sc.title,
        "phase": phase,
        "phase_title": PHASE_TITLES.get(phase, phase),
        "categories": covered,
        "items": [i["id"] for i in items],
        "attempts": tries[best],
        "workbook": (workbooks or {}).get(best),
        "drills": [
            {"key": s.key, "statement": s.statement, "kind": s.kind, "explanation": s.explanation}
            for s in drills
        ],
        "why": (
            f"No attempts yet, so this is only a place to start: {sc.title} has {len(items)} "
            f"rubric items in {', '.join(covered)}; most of them come up in "
            f"{PHASE_TITLES.get(phase, phase)}."
            if not attempts
            else f"{sc.title} has {len(items)} rubric items in {', '.join(covered)}, your weakest "
            f"categories; most of them come up in {PHASE_TITLES.get(phase, phase)}."
            if items
            else f"You reasoned about every category you practised; {sc.title} is the scenario "
            "you have practised least."
        ),
    }


# -- the profile -----------------------------------------------------------------------------------
@dataclass
class Profile:
    """A learner's progress over every attempt in their work files (see the module docstring)."""

    history: History
    categories: dict[str, CategoryProfile]
    trend: list[dict[str, Any]]
    habits: list[dict[str, Any]]
    weakest: list[str]
    recommendation: dict[str, Any] | None

    @property
    def attempts(self) -> list[Attempt]:
        """Every attempt counted, oldest first."""
        return self.history.attempts

    def to_json(self) -> dict[str, Any]:
        """The documented JSON form (``docs/progress.md``)."""
        h = self.history
        kinds = Counter(a.kind for a in h.attempts)
        return {
            "format": FORMAT,
            "version": VERSION,
            "directory": h.directory,
            "files": {
                "seen": len(h.files) + len(h.rejected),
                "read": len(h.files),
                "rejected": len(h.rejected),
            },
            "rejected": [{"file": f, "reason": r} for f, r in h.rejected],
            "learners": sorted(h.learners),
            "attempts": {
                "total": len(h.attempts),
                "reviews": kinds["review"],
                "interviews": kinds["interview"],
                "scenarios": sorted({a.scenario for a in h.attempts}),
                "first": h.attempts[0].time if h.attempts else None,
                "latest": h.attempts[-1].time if h.attempts else None,
            },
            "categories": [c.to_json() for c in self.categories.values()],
            "trend": self.trend,
            "habits": self.habits,
            "weakest": self.weakest,
            "recommendation": self.recommendation,
        }


def build_profile(
    history: History, pack: ScenarioPack, workbooks: Mapping[str, str] | None = None
) -> Profile:
    """The profile of ``history``; ``workbooks`` maps scenario ids to their workbook's file name
    (for the recommendation's link)."""
    latest = latest_per_scenario(history.attempts)
    interviews = latest_per_scenario(history.attempts, "interview")
    levels = count_categories((a.scenario, v, 1) for a in latest for v in a.items.values())
    raised = count_categories((a.scenario, v, 1) for a in interviews for v in a.items.values())
    for cat_id, cat in levels.items():  # interview counts from the latest interview per scenario
        cat.raised = raised[cat_id].raised if cat_id in raised else Counter()
    weak = weakest(levels)
    return Profile(
        history,
        levels,
        trend(history.attempts),
        habits(levels),
        weak,
        recommend(pack, weak, history.attempts, workbooks),
    )


def progress(
    directory: str | os.PathLike[str],
    pack: ScenarioPack | None = None,
    workbooks: Mapping[str, str] | None = None,
) -> Profile:
    """Read ``directory`` and build its profile (the pack defaults to ``scenario.get_pack()``)."""
    if pack is None:
        from ..data.scenario import get_pack

        pack = get_pack()
    return build_profile(read_history(directory), pack, workbooks)


def cohort_habits(
    verdicts: Iterable[tuple[str, Mapping[str, str], int]], most: int = MOST_HABITS
) -> dict[str, Any]:
    """The room's view of the same: category profiles and habits over every learner's verdicts
    (``(scenario, {category, level[, raised]}, count)``: how many learner and rubric item
    verdicts were that one)."""
    categories = count_categories(verdicts)
    return {
        "categories": [c.to_json() for c in categories.values()],
        "habits": habits(categories, most, ROOM_TEXT),
        "weakest": weakest(categories),
    }
