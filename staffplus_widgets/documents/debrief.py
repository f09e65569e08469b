"""Cohort debrief: what a workshop's learners raised, chose, weighted and estimated, from a folder.

``scan(directory, pack)`` reads every ``*.json`` file in a submissions folder (not recursively;
hidden and temporary files are skipped), validates it as a work file, and summarises each scenario
found. Hostile or broken files never stop the debrief: each is listed with a one-line reason and
every good file is still counted. Nothing from a file is executed, and the HTML escapes every
string from the submissions, file names included.

Per learner:

- rubric item status comes from the **latest** mock interview attempt in ``work["interviews"]``
  (its ``items`` map: ``unprompted`` / ``prompted`` / ``missed``); without one, from reviewing
  ``work["answers"]["mock_answer"]`` with ``feedback.review_text`` (raised -> ``unprompted``, else
  ``missed``), or from the review ``submit`` saved with that very text under this very rubric
  (``feedback.recorded_review``). The score is the attempt's ``score``, else the review's;
- the chosen option is the winner of their trade-off matrix (a tie or no matrix is counted apart);
- weights are their normalised criterion weights; the cost is their monthly total at x1 traffic.

JSON (``to_json``; ``staffplus debrief --format json``). Keys are stable; new keys may be added.
Shares are fractions 0-1 rounded to 4 places; money is USD per month rounded to cents::

    {
      "format": "staffplus-debrief", "version": 1,
      "directory": str,
      "files": {"seen": int, "counted": int, "rejected": int, "other_scenario": int},
      "rejected": [{"file": str, "reason": str}],            # one line each, sorted by file
      "cohort": {"categories": [...], "habits": [...], "weakest": [str]},  # across scenarios:
                                                             # docs/progress.md, "The room"
      "scenarios": [                                         # sorted by id
        {
          "id": str, "title": str,
          "learners": int,                                   # counted submissions
          "sources": {"interview": int, "answer": int},      # where item statuses came from
          "items": [                                         # rubric order
            {"id": str, "label": str, "category": str, "phase": str, "point": str, "followup": str,
             "counts": {"unprompted": int, "prompted": int, "missed": int},
             "shares": {"unprompted": float, "prompted": float, "missed": float},
             "levels": {"absent": int, "named": int, "reasoned": int, "dismissed": int}}],
                                                             # levels: learners whose hand-in
                                                             # records them (answers; newer
                                                             # interview attempts)
          "most_missed": [{"id": str, "label": str, "missed": int, "share": float}],   # top 5, missed > 0,
                                                             # ties in rubric order
          "chosen_options": {
            "reference": str,                                # the scenario's recommendation
            "options": [{"option": str, "learners": int, "share": float, "reference": bool}],
            "tied": int,                                     # learners whose matrix is a tie
            "ties": [{"options": [str], "learners": int}],
            "none": int},                                    # no matrix, or every option excluded
          "weights": [                                       # scenario criteria first
            {"criterion": str, "in_scenario": bool, "learners": int,   # learners who have it
             "min": float | null, "median": float | null, "max": float | null,
             "reference": float | null}],                    # null: nobody / not in scenario
          "cost": {"range": [float, float], "reference_total": float,
                   "below": int, "inside": int, "above": int, "missing": int,
                   "values": [float], "median": float | null},   # values sorted ascending
          "scores": {"edges": [0, 10, ..., 100], "counts": [int] * 10,  # last bin includes 100
                     "values": [int], "mean": float | null, "median": float | null,
                     "min": int | null, "max": int | null},
          "duplicates": [{"learner": str, "files": [str]}],  # each file is still counted
          "roster": [{"file": str, "learner": str, "source": "interview" | "answer",
                      "score": int, "winner": str | null, "tied": [str],
                      "cost_total": float | null,
                      "cost_position": "below" | "inside" | "above" | "missing",
                      "duplicate": bool}]
        }
      ]
    }

This module is core: it never imports ipywidgets or matplotlib. Charts are drawn by
``staffplus_widgets.charts.debrief``, imported inside ``section_charts`` only.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import StaffplusError
from ..core.wording import printable
from ..data.scenario import item_label
from ..feedback.levels import LEVELS
from .debrief_report import (  # noqa: F401 - the debrief's document, reached through this module
    cost_spread_summary,
    items_summary,
    named_only,
    options_summary,
    render_html,
    scores_summary,
    section_charts,
    weights_summary,
    write_html,
)
from .progress import cohort_view
from .scorecard import STATUSES
from .submission import (  # noqa: F401
    LearnerResult,
    Rejected,
    assess,
    parse_submission,
    read_bytes,
)

if TYPE_CHECKING:  # annotations only: no import at run time
    from ..data.scenario import Scenario, ScenarioPack

FORMAT = "staffplus-debrief"
VERSION = 1
MOST_MISSED = 5
SCORE_EDGES = tuple(range(0, 101, 10))
SOURCES = ("interview", "answer")


# -- a scenario's cohort ---------------------------------------------------------------------------------
def _share(n: int, total: int) -> float:
    return round(n / total, 4) if total else 0.0


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass
class ScenarioDebrief:
    """Every counted learner of one scenario, and the aggregates an instructor discusses."""

    scenario: Scenario
    learners: list[LearnerResult] = field(default_factory=list)

    def duplicates(self) -> list[dict[str, Any]]:
        groups: dict[str, list[LearnerResult]] = {}
        for r in self.learners:
            groups.setdefault(r.identity, []).append(r)
        return [
            {"learner": g[0].learner, "files": [r.file for r in g]}
            for g in groups.values()
            if len(g) > 1
        ]

    def items(self) -> list[dict[str, Any]]:
        n = len(self.learners)
        out = []
        for item in self.scenario.rubric:
            counts = dict.fromkeys(STATUSES, 0)
            levels = dict.fromkeys(LEVELS, 0)
            for r in self.learners:
                counts[r.items.get(item["id"], "missed")] += 1
                if r.levels is not None:
                    levels[r.levels.get(item["id"], "absent")] += 1
            out.append(
                {
                    "id": item["id"],
                    "label": item_label(item["point"]),
                    "category": item["category"],
                    "phase": item["phase"],
                    "point": " ".join(item["point"].split()),
                    "followup": " ".join(item["followup"].split()),
                    "counts": counts,
                    "shares": {s: _share(counts[s], n) for s in STATUSES},
                    # review levels, from the learners whose hand-in records them
                    "levels": levels,
                }
            )
        return out

    def most_missed(self, items: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
        rows = items if items is not None else self.items()
        order = sorted(
            (r for r in rows if r["counts"]["missed"] > 0), key=lambda r: -r["counts"]["missed"]
        )
        return [
            {
                "id": r["id"],
                "label": r["label"],
                "missed": r["counts"]["missed"],
                "share": r["shares"]["missed"],
            }
            for r in order[:MOST_MISSED]
        ]

    def chosen_options(self) -> dict[str, Any]:
        n = len(self.learners)
        reference = self.scenario.data["recommendation"]["option"]
        counts: dict[str, int] = {}
        spelled: dict[str, str] = {}
        ties: dict[tuple[str, ...], int] = {}
        tied_names: dict[tuple[str, ...], list[str]] = {}
        none = 0
        for r in self.learners:
            if len(r.winners) == 1:
                k = _key(r.winners[0])
                spelled.setdefault(k, r.winners[0])
                counts[k] = counts.get(k, 0) + 1
            elif r.winners:
                tk = tuple(sorted(_key(w) for w in r.winners))
                tied_names.setdefault(tk, sorted(r.winners, key=_key))
                ties[tk] = ties.get(tk, 0) + 1
            else:
                none += 1
        options = [
            {
                "option": spelled[k],
                "learners": c,
                "share": _share(c, n),
                "reference": k == _key(reference),
            }
            for k, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        return {
            "reference": reference,
            "options": options,
            "tied": sum(ties.values()),
            "ties": [
                {"options": tied_names[k], "learners": c}
                for k, c in sorted(ties.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
            "none": none,
        }

    def weights(self) -> list[dict[str, Any]]:
        values: dict[str, list[float]] = {}
        spelled: dict[str, str] = {}
        for r in self.learners:
            for name, w in r.weights.items():
                k = _key(name)
                spelled.setdefault(k, name)
                values.setdefault(k, []).append(w)
        criteria = self.scenario.data["criteria"]
        total = sum(c["weight"] for c in criteria) or 1.0
        reference = {_key(c["name"]): c["weight"] / total for c in criteria}
        order = [_key(c["name"]) for c in criteria]
        extra = sorted(
            (k for k in values if k not in reference), key=lambda k: (-len(values[k]), k)
        )
        out = []
        for k in order + extra:
            vals = values.get(k, [])
            in_scenario = k in reference
            out.append(
                {
                    "criterion": spelled.get(k)
                    or next(c["name"] for c in criteria if _key(c["name"]) == k),
                    "in_scenario": in_scenario,
                    "learners": len(vals),
                    "min": round(min(vals), 4) if vals else None,
                    "median": round(statistics.median(vals), 4) if vals else None,
                    "max": round(max(vals), 4) if vals else None,
                    "reference": round(reference[k], 4) if in_scenario else None,
                }
            )
        return out

    def cost(self) -> dict[str, Any]:
        low, high = self.scenario.cost_range()
        positions = {p: 0 for p in ("below", "inside", "above", "missing")}
        values = []
        for r in self.learners:
            positions[r.cost_position] += 1
            if r.cost_total is not None:
                values.append(round(r.cost_total, 2))
        values.sort()
        return {
            "range": [low, high],
            "reference_total": round(self.scenario.reference_cost_model().estimate().total, 2),
            **positions,
            "values": values,
            "median": round(statistics.median(values), 2) if values else None,
        }

    def scores(self) -> dict[str, Any]:
        values = sorted(r.score for r in self.learners)
        counts = [0] * (len(SCORE_EDGES) - 1)
        for s in values:
            counts[min(max(s, 0) // 10, len(counts) - 1)] += 1
        return {
            "edges": list(SCORE_EDGES),
            "counts": counts,
            "values": values,
            "mean": round(statistics.fmean(values), 2) if values else None,
            "median": float(statistics.median(values)) if values else None,
            "min": values[0] if values else None,
            "max": values[-1] if values else None,
        }

    def roster(self) -> list[dict[str, Any]]:
        dup_files = {f for d in self.duplicates() for f in d["files"]}
        return [
            {
                "file": r.file,
                "learner": r.learner,
                "source": r.source,
                "score": r.score,
                "winner": r.winner,
                "tied": list(r.winners) if len(r.winners) > 1 else [],
                "cost_total": round(r.cost_total, 2) if r.cost_total is not None else None,
                "cost_position": r.cost_position,
                "duplicate": r.file in dup_files,
            }
            for r in self.learners
        ]

    def to_dict(self) -> dict[str, Any]:
        items = self.items()
        return {
            "id": self.scenario.id,
            "title": self.scenario.title,
            "learners": len(self.learners),
            "sources": {s: sum(1 for r in self.learners if r.source == s) for s in SOURCES},
            "items": items,
            "most_missed": self.most_missed(items),
            "chosen_options": self.chosen_options(),
            "weights": self.weights(),
            "cost": self.cost(),
            "scores": self.scores(),
            "duplicates": self.duplicates(),
            "roster": self.roster(),
        }


@dataclass
class Debrief:
    """The whole folder: one ``ScenarioDebrief`` per scenario, and the files that were not counted."""

    directory: str
    sections: list[ScenarioDebrief] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    other_scenario: int = 0
    seen: int = 0

    @property
    def counted(self) -> int:
        return sum(len(s.learners) for s in self.sections)

    def section(self, scenario_id: str) -> ScenarioDebrief:
        for s in self.sections:
            if s.scenario.id == scenario_id:
                return s
        raise KeyError(scenario_id)

    def to_json(self) -> dict[str, Any]:
        """The documented, stable JSON numbers (see the module docstring)."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "directory": self.directory,
            "files": {
                "seen": self.seen,
                "counted": self.counted,
                "rejected": len(self.rejected),
                "other_scenario": self.other_scenario,
            },
            "rejected": [{"file": f, "reason": r} for f, r in self.rejected],
            "scenarios": [s.to_dict() for s in self.sections],
            "cohort": cohort_view(self.sections),
        }


# -- the folder ---------------------------------------------------------------------------------------------
def submission_files(directory: Path) -> list[os.DirEntry[str]]:
    """``*.json`` entries of the folder (not recursive), hidden and temporary files excluded, by name."""
    with os.scandir(directory) as it:
        entries = [e for e in it if e.name.lower().endswith(".json") and not e.name.startswith(".")]
    return sorted(entries, key=lambda e: e.name)


@dataclass
class ScanCache:
    """What earlier scans found in each file, for cheap refreshes while submissions arrive.

    An entry is reused only while the file's ``lstat`` (inode, size, modification and change times,
    mode) is unchanged; ``submit`` replaces files by rename, which always gives a new inode. The
    cache belongs to one scenario pack: a scan with another pack clears it.
    """

    entries: dict[str, tuple[tuple[int, ...], tuple[str, Any]]] = field(default_factory=dict)
    pack_id: int | None = None
    hits: int = 0

    def bind(self, pack: ScenarioPack | None) -> None:
        if self.pack_id != id(pack):
            self.entries.clear()
            self.pack_id = id(pack)


def _stat_key(entry: os.DirEntry[str]) -> tuple[int, ...] | None:
    try:
        st = entry.stat(follow_symlinks=False)
    except OSError:
        return None
    return (st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_mode)


def _outcome(path: str, name: str, pack: ScenarioPack | None) -> tuple[str, Any]:
    """("rejected", reason) or ("assessed", (scenario id, LearnerResult)) for one file."""
    try:
        raw = read_bytes(Path(path))
        work, models = parse_submission(raw, name)
        sid = work["scenario"]
        if sid not in pack.scenarios:
            raise Rejected(f"{name}: scenario: unknown scenario id (got {sid!r})")
        return "assessed", (sid, assess(pack.get(sid), work, models, name))
    except Rejected as exc:
        reason = exc.reason if exc.reason.startswith(name) else f"{name}: {exc.reason}"
        return "rejected", reason


# A second process pays for itself from about this many files (fork, and sending results back).
PARALLEL_FROM = 200
# What a forked worker reads: (paths, names, pack), set only while a parallel scan runs.
_JOB: tuple[list[str], list[str], Any] | None = None


def _share_of(start: int, step: int) -> list[tuple[str, Any]]:
    """Outcomes of files start, start + step, ... of the running job (in a worker, or here)."""
    assert _JOB is not None
    paths, names, pack = _JOB
    return [_outcome(paths[i], names[i], pack) for i in range(start, len(paths), step)]


def default_jobs() -> int:
    """Processes a scan may use: both cores from a plain process, one inside a threaded one.

    A forked child of a process with other threads running (a Jupyter kernel) could inherit a
    lock held by one of them, so the debrief widget scans in its own process only.
    """
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(2, os.cpu_count() or 1))


def _outcomes(
    paths: list[str], names: list[str], pack: ScenarioPack | None, jobs: int
) -> list[tuple[str, Any]]:
    """Every file's outcome, in order; with ``jobs`` > 1, files are dealt out to forked workers."""
    global _JOB
    if jobs <= 1 or len(paths) < PARALLEL_FROM:
        return [_outcome(p, n, pack) for p, n in zip(paths, names)]
    _JOB = (paths, names, pack)
    out: list[tuple[str, Any]] = [("rejected", "")] * len(paths)
    try:
        with ProcessPoolExecutor(jobs - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = {k: pool.submit(_share_of, k, jobs) for k in range(1, jobs)}
            out[0::jobs] = _share_of(0, jobs)
            for k, future in futures.items():
                try:
                    out[k::jobs] = future.result()
                except (BrokenProcessPool, OSError):  # a worker died: do its share here
                    out[k::jobs] = _share_of(k, jobs)
    finally:
        _JOB = None
    return out


def scan(
    directory: str | os.PathLike[str],
    pack: ScenarioPack | None = None,
    scenario_id: str | None = None,
    cache: ScanCache | None = None,
    jobs: int | None = None,
) -> Debrief:
    """Debrief every submission in ``directory``.

    Parameters
    ----------
    directory : path
        The submissions folder (``staffplus submit --to DIR``).
    pack : ScenarioPack, optional
        Scenarios to debrief against (default ``scenario.get_pack()``).
    scenario_id : str, optional
        Debrief only this scenario (files for other known scenarios are counted as
        ``other_scenario``); by default every scenario found in the folder gets a section.
    cache : ScanCache, optional
        Reuse what an earlier scan found in files that have not changed since (the debrief widget
        keeps one between refreshes).
    jobs : int, optional
        Processes to use (default ``default_jobs()``: two cores from a plain process, one inside
        a Jupyter kernel); from ``PARALLEL_FROM`` files on, files are shared out to forked workers.

    Returns
    -------
    Debrief

    Raises
    ------
    StaffplusError
        The folder does not exist or cannot be listed, or ``scenario_id`` is not in the pack.
    """
    if pack is None:
        from ..data.scenario import get_pack

        pack = get_pack()
    folder = Path(directory)
    if scenario_id is not None:
        pack.get(scenario_id)  # unknown id: a one-line StaffplusError naming the known ones
    try:
        entries = submission_files(folder)
    except OSError as exc:
        raise StaffplusError(
            str(folder), f"cannot be listed: {exc.strerror or exc}", None, has_value=False
        ) from None
    if cache is not None:
        cache.bind(pack)
    result = Debrief(str(folder))
    sections: dict[str, ScenarioDebrief] = {}
    if scenario_id is not None:
        sections[scenario_id] = ScenarioDebrief(pack.get(scenario_id))
    names = [printable(e.name) for e in entries]
    outcomes = _read_all(entries, names, pack, cache, default_jobs() if jobs is None else jobs)
    for name, (kind, payload) in zip(names, outcomes):
        result.seen += 1
        if kind == "rejected":
            result.rejected.append((name, payload))
            continue
        sid, learner = payload
        if scenario_id is not None and sid != scenario_id:
            result.other_scenario += 1
            continue
        section = sections.get(sid)
        if section is None:
            section = sections[sid] = ScenarioDebrief(pack.get(sid))
        section.learners.append(learner)
    result.sections = [sections[k] for k in sorted(sections)]
    return result


def _read_all(
    entries: list[os.DirEntry[str]],
    names: list[str],
    pack: ScenarioPack | None,
    cache: ScanCache | None,
    jobs: int,
) -> list[tuple[str, Any]]:
    """The outcome of every file: from the cache when the file is unchanged, else read afresh
    (in ``jobs`` processes); the cache then holds exactly the files seen now."""
    keys = [_stat_key(e) if cache is not None else None for e in entries]
    outcomes: list[tuple[str, Any] | None] = [None] * len(entries)
    if cache is not None:
        for i, entry in enumerate(entries):
            cached = cache.entries.get(entry.name)
            if cached is not None and keys[i] is not None and cached[0] == keys[i]:
                outcomes[i] = cached[1]
                cache.hits += 1
    todo = [i for i, o in enumerate(outcomes) if o is None]
    fresh = _outcomes([entries[i].path for i in todo], [names[i] for i in todo], pack, jobs)
    for i, outcome in zip(todo, fresh):
        outcomes[i] = outcome
        if cache is not None and keys[i] is not None:
            cache.entries[entries[i].name] = (keys[i], outcome)
    if cache is not None:
        for gone in set(cache.entries) - {e.name for e in entries}:
            del cache.entries[gone]
    return [o for o in outcomes if o is not None]


def debrief_json(
    directory: str | os.PathLike[str],
    pack: ScenarioPack | None = None,
    scenario_id: str | None = None,
) -> dict[str, Any]:
    """The documented JSON numbers of a folder, without charts: ``scan(...).to_json()``.

    Parameters
    ----------
    directory : path
        The submissions folder.
    pack : ScenarioPack, optional
        Scenarios to debrief against (default ``scenario.get_pack()``).
    scenario_id : str, optional
        Only this scenario.

    Returns
    -------
    dict
        See the module docstring for the keys.
    """
    return scan(directory, pack, scenario_id).to_json()
