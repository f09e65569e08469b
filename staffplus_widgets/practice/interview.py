"""Mock interview: phases with minute budgets, follow-ups for what was not raised, and a scorecard.

The lesson's core claim is that a Staff+ candidate raises the important concerns *before* being asked.
So every rubric item ends in one of three states, on the review levels of ``feedback`` (raised
means *reasoned*: tied to a consequence, a constraint, a number or a decision):

- ``unprompted``: reasoned in a phase answer before the interviewer asked about it;
- ``prompted``: reasoned only after the interviewer's follow-up for it;
- ``missed``: never reasoned. It may still have been named or dismissed; the scorecard keeps each
  item's best level, and a named item's follow-up says what was missing.

Kernel-free and deterministic: with a ``ManualClock`` (the default) time moves only when told to, so
tests and papermill runs give the same scorecard every time.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..core.categories import CATEGORY_IDS
from ..core.errors import StaffplusError
from ..data.scenario import Scenario
from ..feedback import nudge, review_text
from ..feedback.levels import Evidence, assess
from ..feedback.textmatch import split_sentences

# Phase id, title, share of the interview, what the interviewer wants in it.
PHASES: tuple[tuple[str, str, float, str], ...] = (
    (
        "clarify",
        "Clarify the problem",
        5 / 45,
        "Ask the questions whose answers change the design.",
    ),
    (
        "requirements",
        "Requirements and metrics",
        7 / 45,
        "Turn the business goal into metrics, SLOs and the price of each error.",
    ),
    (
        "options",
        "Options and trade-offs",
        10 / 45,
        "Lay out at least three options, one simple, and recommend one.",
    ),
    (
        "deep_dive",
        "Deep dive",
        10 / 45,
        "Go deep on the recommended design: data, model, serving, evaluation.",
    ),
    (
        "risks",
        "Risks and cross-functional concerns",
        8 / 45,
        "What will go wrong, who owns it, how you will know: legal, privacy, cost, team.",
    ),
    (
        "wrap_up",
        "Wrap-up",
        5 / 45,
        "Summarise, say what would flip your choice, and what you would do first.",
    ),
)
PHASE_IDS = tuple(p[0] for p in PHASES)
STATUSES = ("unprompted", "prompted", "missed")


def phase_budgets(minutes: int = 45) -> list[float]:
    """Whole-minute budgets per phase that add up exactly to ``minutes`` (largest remainder)."""
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 12 <= minutes <= 180:
        raise StaffplusError(
            "interview length", "must be a whole number of minutes from 12 to 180", minutes
        )
    raw = [share * minutes for _, _, share, _ in PHASES]
    floors = [int(x) for x in raw]
    short = minutes - sum(floors)
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - floors[i], reverse=True)[:short]:
        floors[i] += 1
    return [float(x) for x in floors]


class Clock(Protocol):
    """Anything that tells the time in seconds, so an interview runs on a real or manual clock."""

    def now(self) -> float: ...


class WallClock:
    """Seconds from the monotonic clock."""

    def now(self) -> float:
        return time.monotonic()


class ManualClock:
    """A clock that moves only when ``advance`` is called: deterministic runs."""

    def __init__(self) -> None:
        self._t = 0.0

    def now(self) -> float:
        return self._t

    def advance(self, minutes: float) -> None:
        if not minutes >= 0:
            raise StaffplusError("minutes", "cannot be negative", minutes)
        self._t += minutes * 60.0


@dataclass
class Followup:
    """An interviewer follow-up about one rubric item, and the candidate's answer to it."""

    item: str
    question: str
    answer: str = ""
    nudge: str | None = None  # for an item the candidate named without reasoning about it


@dataclass
class PhaseState:
    """One interview phase: its goal and minute budget, the answer, time used and follow-ups."""

    id: str
    title: str
    goal: str
    budget_min: float
    answer: str = ""
    used_s: float = 0.0
    followups: list[Followup] = field(default_factory=list)

    @property
    def used_min(self) -> float:
        return self.used_s / 60.0

    @property
    def over_budget(self) -> bool:
        return self.used_min > self.budget_min + 1e-9


class MockInterviewSession:
    """Drives one attempt: answer a phase, get follow-ups, answer them, move on; then the scorecard."""

    def __init__(self, scenario: Scenario, minutes: int | None = None, clock: Clock | None = None):
        self.scenario = scenario
        self.minutes = minutes if minutes is not None else scenario.interview_minutes
        budgets = phase_budgets(self.minutes)
        self.phases = [
            PhaseState(pid, title, goal, b) for (pid, title, _, goal), b in zip(PHASES, budgets)
        ]
        self.clock: Clock = clock or ManualClock()
        self.mode = "deterministic" if isinstance(self.clock, ManualClock) else "clock"
        self.index = 0
        self.stage = "answering"  # answering -> followups -> (next phase) ... -> done
        self.status: dict[str, str] = {}  # item id -> unprompted | prompted
        self.levels: dict[str, str] = {}  # item id -> best level seen: named | dismissed | reasoned
        self._named: dict[str, Evidence] = {}
        self.asked: set[str] = set()
        self.started = _iso()
        self.finished: str | None = None
        self._phase_started: float | None = self.clock.now()
        self._paused = False

    # -- clock -----------------------------------------------------------------------------------
    @property
    def phase(self) -> PhaseState:
        return self.phases[min(self.index, len(self.phases) - 1)]

    @property
    def paused(self) -> bool:
        return self._paused

    def elapsed_s(self) -> float:
        """Seconds spent on the current phase so far (paused time excluded)."""
        running = (
            0.0
            if self._paused or self._phase_started is None
            else self.clock.now() - self._phase_started
        )
        return self.phase.used_s + running

    def remaining_s(self) -> float:
        return self.phase.budget_min * 60.0 - self.elapsed_s()

    def pause(self) -> None:
        if not self._paused and self._phase_started is not None and self.stage != "done":
            self.phase.used_s += self.clock.now() - self._phase_started
            self._phase_started = None
            self._paused = True

    def resume(self) -> None:
        if self._paused:
            self._phase_started = self.clock.now()
            self._paused = False

    def _stop_phase_clock(self) -> None:
        if self._phase_started is not None:
            self.phase.used_s += self.clock.now() - self._phase_started
            self._phase_started = None

    # -- answering -------------------------------------------------------------------------------
    def _require(self, stage: str) -> None:
        if self.stage != stage:
            raise StaffplusError(
                "interview",
                f"expects {self.stage.replace('_', ' ')} now, not {stage}",
                self.stage,
                has_value=False,
            )

    def submit_answer(self, text: str) -> list[Followup]:
        """End the current phase's answer. Returns the interviewer's follow-ups (maybe none)."""
        self._require("answering")
        if not isinstance(text, str):
            raise StaffplusError("answer", "must be text", text)
        if len(text) > 50_000:
            raise StaffplusError("answer", "is longer than 50,000 characters", len(text))
        self.resume()
        self._stop_phase_clock()
        self.phase.answer = text
        for item_id in self._reasoned_in(text):
            # once the interviewer has asked about an item, raising it later is prompted
            self.status[item_id] = "prompted" if item_id in self.asked else "unprompted"
        pending = [
            i
            for i in self.scenario.rubric
            if i["phase"] == self.phase.id and i["id"] not in self.status
        ]
        self.phase.followups = [
            Followup(
                i["id"],
                i["followup"],
                nudge=nudge(i, self._named[i["id"]]) if i["id"] in self._named else None,
            )
            for i in pending
        ]
        self.asked.update(i["id"] for i in pending)
        if self.phase.followups:
            self.stage = "followups"
        else:
            self._advance()
        return list(self.phase.followups) if self.stage == "followups" else []

    def answer_followup(self, item_id: str, text: str) -> str:
        """Answer one follow-up. Returns the item's status afterwards ('prompted' or 'missed')."""
        self._require("followups")
        target = next((f for f in self.phase.followups if f.item == item_id), None)
        if target is None:
            raise StaffplusError("follow-up", "was not asked in this phase", item_id)
        if not isinstance(text, str) or len(text) > 20_000:
            raise StaffplusError(
                "follow-up answer", "must be text of at most 20,000 characters", type(text).__name__
            )
        target.answer = text
        self._credit_prompted(text)
        return self.status.get(item_id, "missed")

    def answer_all_followups(self, text: str) -> None:
        """One answer for every open follow-up of this phase (the headless CLI uses this)."""
        self._require("followups")
        for f in self.phase.followups:
            if not f.answer:
                f.answer = text
        self._credit_prompted(text)

    def _reasoned_in(self, text: str) -> list[str]:
        """Items reasoned in ``text`` and not yet credited; records every item's best level."""
        rank = {"named": 1, "dismissed": 2, "reasoned": 3}
        found = []
        for item, ev in zip(
            self.scenario.rubric, assess(self.scenario.rubric, split_sentences(text))
        ):
            if ev is None:
                continue
            item_id = item["id"]
            if rank[ev.level] > rank.get(self.levels.get(item_id, ""), 0):
                self.levels[item_id] = ev.level
            if ev.level == "named":
                self._named.setdefault(item_id, ev)
            if ev.level == "reasoned" and item_id not in self.status:
                found.append(item_id)
        return found

    def _credit_prompted(self, text: str) -> None:
        for item_id in self._reasoned_in(text):
            # raised after at least one follow-up was asked: prompted, even if for another item
            self.status[item_id] = "prompted"

    def finish_followups(self) -> None:
        self._require("followups")
        self._advance()

    def _advance(self) -> None:
        if self.index >= len(self.phases) - 1:
            self.stage = "done"
            self.index = len(self.phases) - 1
            self.finished = _iso()
            self._phase_started = None
            return
        self.index += 1
        self.stage = "answering"
        self._paused = False
        self._phase_started = self.clock.now()

    def skip_to_end(self) -> None:
        """Stop early: unanswered phases count as empty, every open item becomes missed."""
        while self.stage != "done":
            if self.stage == "answering":
                self.submit_answer("")
            else:
                self.finish_followups()

    # -- results ---------------------------------------------------------------------------------
    def item_status(self, item_id: str) -> str:
        if item_id not in {i["id"] for i in self.scenario.rubric}:
            raise StaffplusError("rubric item", "not in this scenario", item_id)
        return self.status.get(item_id, "missed")

    def unprompted_text(self) -> str:
        return "\n\n".join(p.answer for p in self.phases if p.answer)

    def scorecard(self) -> dict[str, Any]:
        """The attempt record saved in the work file (format documented in docs/work-format.md)."""
        items = {i["id"]: self.status.get(i["id"], "missed") for i in self.scenario.rubric}
        categories: dict[str, dict[str, int]] = {}
        for cat in CATEGORY_IDS:
            ids = [i["id"] for i in self.scenario.rubric if i["category"] == cat]
            if ids:
                categories[cat] = {s: sum(1 for x in ids if items[x] == s) for s in STATUSES}
        review = review_text(self.scenario, self.unprompted_text())
        total = len(items) or 1
        unprompted = sum(1 for s in items.values() if s == "unprompted")
        prompted = sum(1 for s in items.values() if s == "prompted")
        return {
            "scenario": self.scenario.id,
            "started": self.started,
            "finished": self.finished,
            "mode": self.mode,
            "minutes": self.minutes,
            "complete": self.stage == "done",
            "phases": [
                {
                    "id": p.id,
                    "title": p.title,
                    "budget_min": p.budget_min,
                    "used_min": round(p.used_min, 2),
                    "answer": p.answer,
                    "followups": [
                        {"item": f.item, "question": f.question, "answer": f.answer}
                        | ({"nudge": f.nudge} if f.nudge else {})
                        for f in p.followups
                    ],
                }
                for p in self.phases
            ],
            "items": items,
            "levels": {i["id"]: self.levels.get(i["id"], "absent") for i in self.scenario.rubric},
            "counts": {
                "unprompted": unprompted,
                "prompted": prompted,
                "missed": total - unprompted - prompted,
            },
            "score": review.score,
            "proactivity": unprompted / total,
            "categories": categories,
            "signals": {s.id: s.present for s in review.signals},
        }


def _iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


# -- headless interviews from a Markdown file ------------------------------------------------------
_HEADING = re.compile(r"^##\s+(.+?)\s*$")
_SUBHEADING = re.compile(r"^###\s+(.+?)\s*$")


def _phase_key(title: str) -> str | None:
    key = re.sub(r"[^a-z]+", "_", title.lower()).strip("_")
    for pid, ptitle, _, _ in PHASES:
        if key in (pid, re.sub(r"[^a-z]+", "_", ptitle.lower()).strip("_")) or key.startswith(pid):
            return pid
    aliases = {
        "clarifying_questions": "clarify",
        "requirement": "requirements",
        "metrics": "requirements",
        "trade_offs": "options",
        "tradeoffs": "options",
        "deep_dive": "deep_dive",
        "deepdive": "deep_dive",
        "risk": "risks",
        "wrap": "wrap_up",
        "wrapup": "wrap_up",
        "summary": "wrap_up",
    }
    for alias, pid in aliases.items():
        if key.startswith(alias):
            return pid
    return None


def parse_answers(markdown: str) -> dict[str, dict[str, Any]]:
    """``## <phase>`` blocks; inside, ``### follow-up`` (all) or ``### follow-up: <item-id>`` blocks.

    Returns {phase_id: {"answer": str, "followups": {item_id or "*": str}}}. Unknown phase headings
    and a file with no phase heading raise StaffplusError naming the heading.
    """
    out: dict[str, dict[str, Any]] = {}
    current: str | None = None
    sub: str | None = None
    buf: list[str] = []

    def flush() -> None:
        if current is None:
            return
        text = "\n".join(buf).strip()
        if sub is None:
            out[current]["answer"] = text
        else:
            out[current]["followups"][sub] = text

    for line in markdown.splitlines():
        m = _HEADING.match(line)
        s = _SUBHEADING.match(line)
        if m and not line.startswith("###"):
            flush()
            pid = _phase_key(m.group(1))
            if pid is None:
                raise StaffplusError(
                    "answers file",
                    f"unknown phase heading (phases: {', '.join(PHASE_IDS)})",
                    m.group(1),
                )
            if pid in out:
                raise StaffplusError("answers file", "phase appears twice", m.group(1))
            current, sub, buf = pid, None, []
            out[pid] = {"answer": "", "followups": {}}
        elif s and current is not None:
            flush()
            title = s.group(1).strip()
            low = title.lower().replace(" ", "").replace("_", "-")
            if not low.startswith(("follow-up", "followup")):
                raise StaffplusError(
                    "answers file",
                    "sub-headings must be '### follow-up' or '### follow-up: ITEM-ID'",
                    title,
                )
            sub = title.split(":", 1)[1].strip() if ":" in title else "*"
            buf = []
        else:
            buf.append(line)
    flush()
    if not out:
        raise StaffplusError(
            "answers file",
            f"has no '## <phase>' headings (phases: {', '.join(PHASE_IDS)})",
            None,
            has_value=False,
        )
    return out


def run_headless(
    scenario: Scenario, answers: dict[str, dict[str, Any]], minutes: int | None = None
) -> MockInterviewSession:
    """Run a whole interview from parsed answers, deterministically."""
    session = MockInterviewSession(scenario, minutes)
    known = {i["id"] for i in scenario.rubric}
    for pid in PHASE_IDS:
        block = answers.get(pid, {"answer": "", "followups": {}})
        for item_id in block["followups"]:
            if item_id != "*" and item_id not in known:
                raise StaffplusError(
                    "answers file", f"follow-up for an item not in {scenario.id}", item_id
                )
        assert isinstance(session.clock, ManualClock)
        session.clock.advance(session.phase.budget_min)  # deterministic: each phase uses its budget
        session.submit_answer(block["answer"])
        if session.stage == "followups":
            asked = {f.item for f in session.phase.followups}
            for item_id, text in block["followups"].items():
                if item_id != "*" and item_id in asked:
                    session.answer_followup(item_id, text)
            if "*" in block["followups"]:
                session.answer_all_followups(block["followups"]["*"])
            session.finish_followups()
    return session
