"""Drills: judgment vs recall, rewrite a senior answer as a Staff+ one, and timed risk spotting."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.errors import StaffplusError
from ..data.scenario import Scenario, ScenarioPack
from ..feedback import review_text
from ..feedback.textmatch import match_phrases, split_sentences

KINDS = ("recall", "judgment")


@dataclass(frozen=True)
class Statement:
    """One judgment-drill statement of a scenario: whether it shows recall or judgment, and why."""

    scenario: str
    statement: str
    kind: str
    explanation: str
    number: int = 0  # its place among its scenario's statements

    @property
    def key(self) -> str:
        """The statement's saved-answer key, ``<scenario>:<number>``: it stays the same when
        scenarios are added, where a place in the whole drill would move."""
        return f"{self.scenario}:{self.number}"


# Before the keys above, drills.json keyed answers by place in the whole drill, when the drill was
# these eight scenarios (in this order) with four statements each: such keys are read as
# ``LEGACY_ORDER[i // 4]:i % 4``.
LEGACY_ORDER = (
    "ads-ctr",
    "content-moderation",
    "credit-risk",
    "feed-ranking",
    "payments-fraud",
    "rag-support-assistant",
    "search-ranking",
    "video-recommendations",
)


def legacy_key(index: str) -> str | None:
    """The stable key of an answer saved under its old place ``index`` (None past the old drill)."""
    i = int(index)
    return f"{LEGACY_ORDER[i // 4]}:{i % 4}" if i < 4 * len(LEGACY_ORDER) else None


def judgment_statements(pack: ScenarioPack) -> list[Statement]:
    """Every judgment-vs-recall statement of every scenario, in scenario order."""
    return [
        Statement(sc.id, s["statement"], s["kind"], s["explanation"], n)
        for sc in pack.scenarios.values()
        for n, s in enumerate(sc.data["judgment_drill"])
    ]


def grade_judgment(statements: list[Statement], answers: dict[int, str]) -> dict[str, Any]:
    """Score the statements the learner answered; the others are neither wrong nor revealed.

    Returns ``score`` (answered correctly), ``answered``, ``total`` (statements in the drill) and
    ``wrong``: the answered ones that were wrong, with the right kind and why."""
    wrong = []
    answered = 0
    for i, st in enumerate(statements):
        given = answers.get(i)
        if given is not None and given not in KINDS:
            raise StaffplusError(f"answer {i + 1}", "must be 'recall' or 'judgment'", given)
        if given is None:
            continue
        answered += 1
        if given != st.kind:
            wrong.append(
                {
                    "index": i,
                    "statement": st.statement,
                    "given": given,
                    "expected": st.kind,
                    "explanation": st.explanation,
                }
            )
    return {
        "score": answered - len(wrong),
        "answered": answered,
        "total": len(statements),
        "wrong": wrong,
    }


def rewrite_feedback(scenario: Scenario, rewrite: str) -> dict[str, Any]:
    """Compare a learner's rewrite against the scenario's senior exemplar: what the rewrite added."""
    before = review_text(scenario, scenario.data["exemplars"]["senior"])
    after = review_text(scenario, rewrite)
    b_items, a_items = set(before.raised_ids), set(after.raised_ids)
    b_sig = {s.id for s in before.signals if s.present}
    {s.id for s in after.signals if s.present}
    return {
        "score_before": before.score,
        "score_after": after.score,
        "added_items": [i for i in after.raised_ids if i not in b_items],
        "lost_items": [i for i in before.raised_ids if i not in a_items],
        "added_signals": [s.id for s in after.signals if s.present and s.id not in b_sig],
        "missing_signals": [s.id for s in after.signals if not s.present],
        "added_categories": sorted(
            {i.category for i in after.items if i.raised}
            - {i.category for i in before.items if i.raised}
        ),
        "review": after,
    }


def spot_risks(
    scenario: Scenario, text: str, seconds_used: float = 0.0, limit_s: float = 180.0
) -> dict[str, Any]:
    """Match a 'what could go wrong?' list (one risk per line) against the rubric.

    Returns the items found (with the learner's line), the ones missed with the reference point,
    and whether the round ran over its time limit.
    """
    lines = [ln.strip(" -*\t") for ln in (text or "").splitlines() if ln.strip(" -*\t")]
    found: list[dict[str, Any]] = []
    found_ids: set[str] = set()
    sentences = split_sentences("\n\n".join(lines))
    for item in scenario.rubric:
        hit, _ = match_phrases(item["matchers"], sentences)
        if hit is not None:
            found.append({"id": item["id"], "category": item["category"], "line": hit.sentence})
            found_ids.add(item["id"])
    missed = [
        {"id": i["id"], "category": i["category"], "point": i["point"]}
        for i in scenario.rubric
        if i["id"] not in found_ids
    ]
    unmatched = [ln for ln in lines if not any(f["line"] in ln or ln in f["line"] for f in found)]
    return {
        "found": found,
        "missed": missed,
        "unmatched_lines": unmatched,
        "lines": len(lines),
        "seconds_used": round(seconds_used, 1),
        "over_time": seconds_used > limit_s,
        "reference_risks": scenario.data["reference_risks"],
    }
