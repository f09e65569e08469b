"""One hand-in for the cohort debrief: reading it (size and depth limits, the schema check, the
models) and what that learner did (``assess``).

A folder of submissions can hold anything, so a file is refused before it is parsed when it is
too large, and after when it is not a work file; refusals are listed, never fatal
(``Rejected``). ``parse_submission`` returns the work and its models, built once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import workfile
from ..core.errors import StaffplusError
from .scorecard import latest_attempt

if TYPE_CHECKING:  # annotations only: no import at run time
    from ..data.scenario import Scenario


# -- reading one submission --------------------------------------------------------------------------
class Rejected(Exception):
    """A submission that cannot be counted; ``reason`` is one line."""

    def __init__(self, reason: str):
        self.reason = " ".join(reason.split())
        super().__init__(self.reason)


def read_bytes(path: Path) -> bytes:
    """The file's bytes through ``workfile.read_bytes`` (no symlinks, no FIFOs, size cap)."""
    try:
        return workfile.read_bytes(path)
    except StaffplusError as exc:
        raise Rejected(exc.reason if exc.field == str(path) else str(exc)) from None


def parse_submission(raw: bytes, where: str) -> tuple[dict[str, Any], workfile.Models]:
    """The work and its models through the one reader (``workfile.parse_models``), so the reason
    for a rejection is always the one ``staffplus validate`` gives."""
    try:
        parsed = workfile.parse_models(raw, where=where)
    except StaffplusError as exc:
        raise Rejected(str(exc)) from None
    return parsed.work, parsed.models


# -- one learner ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LearnerResult:
    """What one submission contributes to the debrief."""

    file: str
    learner: str
    scenario: str
    source: str  # "interview" | "answer"
    items: dict[str, str]
    score: int
    winners: tuple[str, ...]  # one name, several when tied, none without a usable matrix
    weights: dict[str, float]
    cost_total: float | None
    cost_position: str  # below | inside | above | missing
    levels: dict[str, str] | None = None  # review level per item, when the source records them

    @property
    def winner(self) -> str | None:
        return self.winners[0] if len(self.winners) == 1 else None

    @property
    def identity(self) -> str:
        return " ".join(self.learner.split()).casefold()


def display_name(work: dict[str, Any], file_name: str) -> str:
    """The learner field, else the submitted name, else the name part of ``<scenario>--<name>.json``."""
    for candidate in (
        work.get("learner"),
        (work.get("submission") or {}).get("name")
        if isinstance(work.get("submission"), dict)
        else None,
    ):
        if isinstance(candidate, str) and candidate.strip():
            return " ".join(candidate.split())
    stem = file_name[:-5] if file_name.lower().endswith(".json") else file_name
    return stem.split("--", 1)[1] if "--" in stem else stem


def assess(
    scenario: Scenario, work: dict[str, Any], models: workfile.Models, file_name: str
) -> LearnerResult:
    """Turn one validated submission into its debrief numbers; raises Rejected for a bad attempt."""
    from ..models.cost import range_check

    rubric_ids = [i["id"] for i in scenario.rubric]
    try:
        attempt = latest_attempt(work, rubric_ids)
    except StaffplusError as exc:
        raise Rejected(f"{file_name}: {exc}") from None
    if attempt is not None:
        items, score, source = attempt.items, attempt.score, "interview"
        levels = attempt.levels
    else:
        from ..feedback import recorded_review, review_text

        answer = (work.get("answers") or {}).get("mock_answer") or ""
        reviews = work.get("reviews")
        saved = recorded_review(
            scenario, answer, reviews.get("mock_answer") if type(reviews) is dict else None
        )
        if saved is None:
            review = review_text(scenario, answer)
            saved = review.raised_ids, review.score, review.levels()
        raised = set(saved[0])
        items = {i: "unprompted" if i in raised else "missed" for i in rubric_ids}
        score, source = saved[1], "answer"
        levels = {i: saved[2].get(i, "absent") for i in rubric_ids}

    matrix = models.matrix
    winners: tuple[str, ...] = ()
    weights: dict[str, float] = {}
    if matrix is not None and matrix.options and matrix.criteria:
        winners = tuple(matrix.ranking().winners)
        weights = matrix.normalized_weights()

    cost_total: float | None = None
    position = "missing"
    if models.cost is not None and models.cost.lines:
        cost_total = models.cost.estimate(formulas=False).total
        low, high = scenario.cost_range()
        position = range_check(cost_total, low, high)[0]
    return LearnerResult(
        file_name,
        display_name(work, file_name),
        scenario.id,
        source,
        items,
        score,
        winners,
        weights,
        cost_total,
        position,
        levels,
    )
