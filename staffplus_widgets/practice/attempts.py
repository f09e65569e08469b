"""Attempts: each review and each mock interview, kept in the work file for the progress profile.

An attempt is a small, self-describing record (``docs/work-format.md``, "Attempts"): when it
happened, which scenario, the score, and per rubric item its category, phase and level (and, in a
mock interview, whether it was raised unprompted, after a follow-up, or missed). It carries the
category and phase so the profile can be built from the work files alone, even for a scenario
whose file is not installed where the profile runs. The records are built from what the feedback
engine and the interview already decided; nothing is reviewed again here.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only
    from ..data.scenario import Scenario
    from ..feedback.review import Review

KINDS = ("review", "interview")
MAX_KEPT = 500  # attempts a work file keeps (the schema's maxItems): the latest ones


def now_iso() -> str:
    """The current UTC time as the work file writes it."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def from_review(review: Review, when: str | None = None) -> dict[str, Any]:
    """The attempt record of one answer review (``feedback.review_text``'s result)."""
    return from_review_dict(review.to_dict(), when)


def from_review_dict(review: dict[str, Any], when: str | None = None) -> dict[str, Any]:
    """The attempt record of a review in its dict form (``Review.to_dict()``, the ``answer`` of
    ``feedback.review_work``)."""
    return {
        "kind": "review",
        "time": when or now_iso(),
        "scenario": review["scenario"],
        "score": review["score"],
        "items": {
            i["id"]: {"category": i["category"], "phase": i["phase"], "level": i["level"]}
            for i in review["items"]
        },
    }


def from_interview(scenario: Scenario, card: dict[str, Any]) -> dict[str, Any]:
    """The attempt record of a finished mock interview (``MockInterviewSession.scorecard()``)."""
    levels = card.get("levels") or {}
    statuses = card.get("items") or {}
    return {
        "kind": "interview",
        "time": card.get("finished") or card.get("started") or now_iso(),
        "scenario": scenario.id,
        "score": card.get("score", 0),
        "items": {
            i["id"]: {
                "category": i["category"],
                "phase": i["phase"],
                "level": levels.get(i["id"], "absent"),
                "raised": statuses.get(i["id"], "missed"),
            }
            for i in scenario.rubric
        },
    }
