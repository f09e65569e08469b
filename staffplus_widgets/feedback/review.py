"""Rubric feedback: the level of each rubric point, the Staff+ signals, and a score.

Pure and deterministic: the same text and scenario always give the same review.

Scoring (100 points):
- coverage, 60: each rubric item earns its share in full when ``reasoned``; ``dismissed`` and
  ``absent`` earn nothing. Items on the judgment a Staff+ answer adds (JUDGMENT_CATEGORIES:
  money, cost, law, privacy, fairness, adversaries, the team) have twice the share of those on
  the mechanics a solid senior answer already reasons about (data, modelling, infrastructure,
  operations). A ``named`` item earns a quarter of a mechanics item's share, whatever its
  category, and nothing in an answer that dismisses as many points as it reasons (at least one);
- breadth, 15: the share of the rubric's judgment categories with at least one reasoned item;
- signals, 25: the five Staff+ habits below, found only in statements that dismiss nothing, and
  earned only alongside reasoned points (in full from three reasoned items, in proportion below,
  and nothing when as many points are dismissed as reasoned): a habit without substance, such as
  a recommendation with no reasoned point behind it, earns nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.categories import CATEGORY_IDS, CROSS_FUNCTIONAL
from ..data.prices import price_catalogue
from ..data.scenario import Scenario
from .levels import (
    COPY_SHARE,
    LEVELS,
    Evidence,
    assess,
    copied_share,
    dismissive_stance,
    matcher_spans,
)
from .signals import SIGNALS, Signal, detect_signals
from .textmatch import Sentence, split_sentences

if TYPE_CHECKING:  # annotations only: the models load when a work file is reviewed
    from ..models.risks import RiskRegister
    from ..workfile import Models

COVERAGE_POINTS = 60
BREADTH_POINTS = 15
SIGNAL_POINTS = 25
NAMED_CREDIT = 0.25
# What separates a Staff+ answer from a solid senior one (benchmarks/probes: senior answers reason
# about labels, models, serving and rollout as often as Staff+ ones, and rarely about these).
JUDGMENT_CATEGORIES = CROSS_FUNCTIONAL - {"operations"}
JUDGMENT_WEIGHT = 2.0
SIGNALS_NEED_REASONED = 3
_CUE_WORDS = {
    "consequence": "a consequence",
    "constraint": "a constraint",
    "number": "a number",
    "decision": "a decision",
}


@dataclass(frozen=True)
class ItemResult:
    """One rubric item's verdict on one text."""

    id: str
    category: str
    phase: str
    point: str
    level: str  # absent | named | reasoned | dismissed
    evidence: str | None  # the sentence that earned the level (named or reasoned)
    phrase: str | None  # the matcher phrase found there; None when matched by meaning
    dismissed: str | None  # a sentence that mentioned the point only to wave it away
    followup: str
    cue: str | None = None  # what tied it to reasoning: consequence, constraint, number, decision
    via: str | None = None  # how it was found: phrase, meaning or contrary
    nudge: str | None = None  # for named items: what is missing

    @property
    def raised(self) -> bool:
        """Only reasoned points count as raised: naming a concern is recall, not judgment."""
        return self.level == "reasoned"


@dataclass
class Review:
    """The review of one text: score and breakdown, each rubric item's verdict, and the signals."""

    scenario: str
    score: int
    breakdown: dict[str, float]
    items: list[ItemResult]
    categories: dict[str, dict[str, int]]
    signals: list[Signal]
    cross_functional: list[str]
    missed_followups: list[dict[str, str]] = field(default_factory=list)

    @property
    def raised_ids(self) -> list[str]:
        return [i.id for i in self.items if i.raised]

    def levels(self) -> dict[str, str]:
        return {i.id: i.level for i in self.items}

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "score": self.score,
            "breakdown": self.breakdown,
            "categories": self.categories,
            "items": [
                {
                    "id": i.id,
                    "category": i.category,
                    "phase": i.phase,
                    "level": i.level,
                    "raised": i.raised,
                    "evidence": i.evidence,
                    "matched": i.phrase,
                    "via": i.via,
                    "cue": i.cue,
                    "dismissed": i.dismissed,
                    "nudge": i.nudge,
                }
                for i in self.items
            ],
            "signals": {s.id: {"present": s.present, "evidence": s.evidence} for s in self.signals},
            "cross_functional": self.cross_functional,
            "missed_followups": self.missed_followups,
        }


def _label(item: dict[str, Any], ev: Evidence) -> str:
    """How the nudge refers to the point: the learner's own matched words, else the concept."""
    if ev.phrase and "..." not in ev.phrase:
        return ev.phrase
    concept = item.get("concept") or item["point"]
    first = re.split(r"(?<=[.:;])\s", " ".join(concept.split()), maxsplit=1)[0].rstrip(".:;")
    return first[0].lower() + first[1:] if first else "this point"


def nudge(item: dict[str, Any], ev: Evidence) -> str:
    """What a named item lacks, in one sentence, followed by the interviewer's follow-up."""
    return (
        f"You named {_label(item, ev)}. Say what it changes in the design: a consequence, a "
        f"constraint, a number or a decision. {item['followup']}"
    )


STANCE_NUDGE = (
    "Most of this answer waves concerns away, so a point it does reason about counts as named. "
    "Say what each concern you raise changes instead of setting it aside."
)
COPY_NUDGE = (
    "This answer is made mostly of the rubric's own phrases, so every point in it counts as named. "
    "Say in your own words what each one changes in this design."
)


def match_items(scenario: Scenario, sentences: list[Sentence]) -> list[ItemResult]:
    """The level of every rubric item in ``sentences``, with the evidence for it. In a text that
    takes a dismissive stance (``levels.dismissive_stance``) nothing is more than named: a point
    it reasons about counts as named, and one it only names is part of the shrugging, so it counts
    as dismissed (labelled corpus, dev / held: dismissals shown as named 16 -> 10 / 11 -> 8, named
    precision 0.84 -> 0.85 / 0.86 -> 0.88). A point it reasons about in one sentence and waves
    away in another is dismissed (dismissals credited 9 -> 6 / 8 -> 6)."""
    results = []
    shrugging = dismissive_stance(sentences)
    # a text made of the rubric's own phrases (levels.COPY_SHARE) names points, it reasons about none
    spans = matcher_spans(scenario.rubric, sentences)
    copied = copied_share(scenario.rubric, sentences, spans) >= COPY_SHARE
    for item, ev in zip(scenario.rubric, assess(scenario.rubric, sentences, spans)):
        if ev and copied and ev.level == "reasoned":
            ev = dataclasses.replace(ev, level="named", cue=None)
        if ev and shrugging and ev.level == "named":
            ev = dataclasses.replace(ev, level="dismissed", cue=None)
        elif ev and shrugging and ev.waved_at is not None:
            # reasoned in one place and waved away in another, in a text that shrugs: the
            # shrug is its stance on the point
            ev = dataclasses.replace(ev, level="dismissed", sentence=ev.waved_at, cue=None)
        elif ev and shrugging and ev.level == "reasoned":
            ev = dataclasses.replace(ev, level="named", cue=None)
        level = ev.level if ev else "absent"
        text = sentences[ev.sentence].text if ev else None
        results.append(
            ItemResult(
                item["id"],
                item["category"],
                item["phase"],
                item["point"],
                level,
                text if level in ("named", "reasoned") else None,
                ev.phrase if ev and level != "dismissed" else None,
                text if level == "dismissed" else None,
                item["followup"],
                cue=ev.cue if ev else None,
                via=ev.via if ev else None,
                nudge=(
                    (
                        f"{STANCE_NUDGE} {item['followup']}"
                        if shrugging
                        else f"{COPY_NUDGE} {item['followup']}"
                        if copied
                        else nudge(item, ev)
                    )
                    if ev and level == "named"
                    else None
                ),
            )
        )
    return results


_SPEAKER = re.compile(r"^\W*(interviewer|interview|q|question|candidate|me|a|answer|you)\s*:", re.I)
_ASKING = frozenset({"interviewer", "interview", "q", "question"})


def learners_sentences(text: str, sentences: list[Sentence]) -> list[Sentence]:
    """The sentences the learner said: in a pasted transcript ("Interviewer: ... Candidate: ..."),
    the interviewer's turns are left out, since what the interviewer states earns the learner
    nothing. A turn runs to the end of its line; a learner's own "Q: VAMP ratio?" note is one
    line too, so only that line is skipped."""
    out: list[Sentence] = []
    asking = False
    end = 0
    for s in sentences:
        turn = _SPEAKER.match(s.text)
        if turn:
            asking = turn.group(1).lower() in _ASKING
        elif "\n" in text[end : s.start]:
            asking = False
        end = s.start + len(s.text)
        if not asking:
            out.append(s)
    return out


def review_text(scenario: Scenario, text: str) -> Review:
    """Review free text (what the learner would say) against the scenario's rubric."""
    text = text or ""
    sentences = learners_sentences(text, split_sentences(text))
    items = match_items(scenario, sentences)
    return _assemble(scenario, items, detect_signals(scenario, sentences))


def item_weight(category: str) -> float:
    """An item's share of the coverage points, relative to a mechanics item's."""
    return JUDGMENT_WEIGHT if category in JUDGMENT_CATEGORIES else 1.0


def _assemble(scenario: Scenario, items: list[ItemResult], signals: list[Signal]) -> Review:
    categories: dict[str, dict[str, int]] = {}
    for cat in CATEGORY_IDS:
        mine = [i for i in items if i.category == cat]
        if mine:
            categories[cat] = {
                "raised": sum(1 for i in mine if i.raised),
                "named": sum(1 for i in mine if i.level == "named"),
                "dismissed": sum(1 for i in mine if i.level == "dismissed"),
                "total": len(mine),
            }
    reasoned = sum(i.raised for i in items)
    dismissed = sum(1 for i in items if i.level == "dismissed")
    # an answer that waves away as many points as it reasons earns nothing for names alone
    mostly_dismissive = dismissed > 0 and dismissed >= reasoned
    named = sum(1 for i in items if i.level == "named")
    credit = sum(item_weight(i.category) for i in items if i.raised) + (
        0.0 if mostly_dismissive else NAMED_CREDIT * named
    )
    total = sum(item_weight(i.category) for i in items)
    coverage = COVERAGE_POINTS * credit / total if items else 0.0
    judged = [c for cat, c in categories.items() if cat in JUDGMENT_CATEGORIES]
    breadth = (
        BREADTH_POINTS * sum(1 for c in judged if c["raised"]) / len(judged) if judged else 0.0
    )
    # habits count only behind substance: reasoned points, and more of them than waved away
    backed = min(1.0, reasoned / SIGNALS_NEED_REASONED) if reasoned > dismissed else 0.0
    signal_pts = (
        SIGNAL_POINTS * backed * sum(s.present for s in signals) / len(signals) if signals else 0.0
    )
    cross = sorted(c for c, v in categories.items() if v["raised"] and c in CROSS_FUNCTIONAL)
    missed = [
        {
            "id": i.id,
            "category": i.category,
            "phase": i.phase,
            "level": i.level,
            "followup": i.followup,
        }
        for i in items
        if not i.raised
    ]
    return Review(
        scenario.id,
        int(round(coverage + breadth + signal_pts)),
        {
            "coverage": round(coverage, 1),
            "breadth": round(breadth, 1),
            "signals": round(signal_pts, 1),
        },
        items,
        categories,
        signals,
        cross,
        missed,
    )


# -- reviews saved with a submission ---------------------------------------------------------------
# ``staffplus submit`` stores the review of the written answer next to it, so a debrief of a whole
# room need not review every answer again. A saved review is used only for the very text it was made
# of (its SHA-256) and under the very rubric and engine (the stamp); anything else is reviewed afresh.
# It is trusted as far as an interview scorecard in the same file is: it describes the learner's own
# row and nothing else.

_STAMPS: dict[int, tuple[Scenario, str]] = {}
_ENGINE: str | None = None


def _engine_fingerprint() -> str:
    """The matching and scoring code and data: any change to them makes saved reviews stale."""
    global _ENGINE
    if _ENGINE is None:
        h = hashlib.sha256()
        here = Path(__file__).parent
        for path in sorted(here.iterdir()):
            if path.suffix in (".py", ".txt"):
                h.update(path.name.encode() + path.read_bytes())
        h.update((here.parent / "core" / "categories.py").read_bytes())
        _ENGINE = h.hexdigest()
    return _ENGINE


def review_stamp(scenario: Scenario) -> str:
    """Fingerprint of everything but the text a review depends on: rubric, options, engine."""
    known = _STAMPS.get(id(scenario))
    if known is not None and known[0] is scenario:
        return known[1]
    basis = json.dumps(
        [
            _engine_fingerprint(),
            scenario.id,
            [
                [
                    i["id"],
                    i["category"],
                    i["phase"],
                    list(i["matchers"]),
                    list(i.get("contrary", ())),
                    i.get("concept", ""),
                    i["point"],
                    i.get("examples", {}),
                ]
                for i in scenario.rubric
            ],
            [o["name"] for o in scenario.data["options"]],
        ],
        ensure_ascii=True,
        sort_keys=True,
    )
    stamp = hashlib.sha256(basis.encode("ascii")).hexdigest()
    if len(_STAMPS) > 64:
        _STAMPS.clear()
    _STAMPS[id(scenario)] = (scenario, stamp)
    return stamp


def text_digest(text: str) -> str:
    """The SHA-256 of an answer, saved in its review record to tell whether the text changed."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def review_record(scenario: Scenario, text: str) -> dict[str, Any]:
    """What ``submit`` saves under ``reviews[<answer key>]``: stamp, digest, score, levels."""
    review = review_text(scenario, text)
    return {
        "stamp": review_stamp(scenario),
        "text_sha256": text_digest(text),
        "score": review.score,
        "raised": review.raised_ids,
        "levels": {i.id: i.level for i in review.items if i.level != "absent"},
    }


def recorded_review(
    scenario: Scenario, text: str, record: Any
) -> tuple[list[str], int, dict[str, str]] | None:
    """(reasoned item ids, score, levels) from a saved record of this text and rubric; else None.

    None for anything that does not fit exactly: another text, another rubric or engine, a score
    outside 0-100, ids that are not this rubric's or repeat, levels that disagree with ``raised``.
    The caller then reviews the text.
    """
    if type(record) is not dict or record.get("stamp") != review_stamp(scenario):
        return None
    score, raised, levels = record.get("score"), record.get("raised"), record.get("levels")
    if type(score) is not int or not 0 <= score <= 100 or type(raised) is not list:
        return None
    if type(levels) is not dict:
        return None
    ids = {i["id"] for i in scenario.rubric}
    if not all(type(i) is str and i in ids for i in raised) or len(set(raised)) != len(raised):
        return None
    if not all(k in ids and v in LEVELS[1:] for k, v in levels.items()):
        return None
    if sorted(k for k, v in levels.items() if v == "reasoned") != sorted(raised):
        return None
    if record.get("text_sha256") != text_digest(text):
        return None
    return raised, score, dict(levels)


# ---------------------------------------------------------------------------------------------
# Review of a whole work file: the artifacts as well as the text.

_CROSS_CRITERIA = re.compile(
    r"cost|team|maint|complian|legal|privacy|explain|time to|ops|operat|fair|risk|regulat|people|burden|skill"
)
_BASELINE = re.compile(r"baseline|rule|heuristic|logistic|simple|popular|threshold|linear|hash")
_SUBSTANTIVE = re.compile(r"[A-Za-z]{3,}.*\s+\S+")  # at least two words, one of them a real word


def _risk_levels(scenario: Scenario, register: RiskRegister) -> list[ItemResult]:
    """Rubric items a register covers: reasoned when the risk says how it is mitigated or detected.

    A risk with neither a mitigation nor a detection signal only names the concern.
    """
    best: dict[str, ItemResult] = {}
    for risk in register.risks:
        sentences = split_sentences(f"{risk.title}.\n\n{risk.mitigation}.\n\n{risk.detection}.")
        acted = bool(_SUBSTANTIVE.search(risk.mitigation or "")) or bool(
            _SUBSTANTIVE.search(risk.detection or "")
        )
        for item in match_items(scenario, sentences):
            if item.level in ("absent", "dismissed"):
                continue
            level = "reasoned" if acted else "named"
            old = best.get(item.id)
            if old is None or (old.level == "named" and level == "reasoned"):
                best[item.id] = ItemResult(
                    item.id,
                    item.category,
                    item.phase,
                    item.point,
                    level,
                    risk.title,
                    item.phrase,
                    None,
                    item.followup,
                    cue="decision" if acted else None,
                    via=item.via,
                )
    out = []
    for item in scenario.rubric:
        got = best.get(item["id"])
        out.append(
            got
            or ItemResult(
                item["id"],
                item["category"],
                item["phase"],
                item["point"],
                "absent",
                None,
                None,
                None,
                item["followup"],
            )  # fmt: skip
        )
    return out


def review_work(
    scenario: Scenario,
    work: dict[str, Any],
    *,
    models: Models | None = None,
    answer_review: Review | None = None,
) -> dict[str, Any]:
    """Review the artifacts in a work file: trade-off checks, risk coverage, cost range, answer text.

    ``models`` are the work's artifacts as the reader or the session built them (built here from
    ``work`` when not given); ``answer_review`` is the review of its written answer, when the
    caller has it already. An artifact the work does not have counts as empty."""
    from ..models.cost import CostModel, range_check
    from ..models.risks import RiskRegister
    from ..models.tradeoff import TradeOffMatrix

    report: dict[str, Any] = {"scenario": scenario.id}
    if models is None:
        from ..workfile import build_models

        models = build_models(work)

    matrix = models.matrix or TradeOffMatrix()
    ranking = matrix.ranking()
    checks = {
        "three_options": len(matrix.options) >= 3,
        "baseline": any(o.baseline or _BASELINE.search(o.name.lower()) for o in matrix.options),
        "cross_functional_criteria": sum(
            1 for c in matrix.criteria if _CROSS_CRITERIA.search(c.name.lower())
        )
        >= 2,
        "recommendation": bool(ranking.winners) and len(ranking.winners) == 1,
    }
    report["tradeoff"] = {
        "checks": checks,
        "winner": ranking.winners[0] if len(ranking.winners) == 1 else None,
        "tied": ranking.winners if len(ranking.winners) > 1 else [],
        "reference_winner": scenario.data["recommendation"]["option"],
    }

    register = models.register or RiskRegister()
    items = _risk_levels(scenario, register)
    by_category = {}
    present_cats = {r.category for r in register.risks}
    for cat in scenario.expected_categories():
        by_category[cat] = {
            "in_register": cat in present_cats,
            "items_covered": sum(1 for i in items if i.category == cat and i.raised),
            "items_total": sum(1 for i in items if i.category == cat),
        }
    report["risks"] = {
        "count": len(register.risks),
        "categories": by_category,
        "empty_categories": [c for c, v in by_category.items() if not v["in_register"]],
        "items": [
            {"id": i.id, "category": i.category, "level": i.level, "covered": i.raised}
            for i in items
        ],
        "complete_entries": sum(r.complete for r in register.risks),
    }

    cost = models.cost or CostModel(prices=price_catalogue())
    low, high = scenario.cost_range()
    if cost.lines:
        total = cost.estimate().total
        where, gap = range_check(total, low, high)
        report["cost"] = {
            "total": round(total, 2),
            "range": [low, high],
            "position": where,
            "gap": round(gap, 3),
        }
    else:
        report["cost"] = {"total": None, "range": [low, high], "position": "missing", "gap": None}

    answer = (work.get("answers") or {}).get("mock_answer", "")
    if answer_review is None and answer.strip():
        answer_review = review_text(scenario, answer)
    report["answer"] = answer_review.to_dict() if answer_review is not None else None
    return report


def review_to_dict(review: Review) -> dict[str, Any]:
    """The JSON-ready dict form of a review."""
    return review.to_dict()


def item_to_dict(item: ItemResult) -> dict[str, Any]:
    """One rubric item's verdict as a JSON-ready dict, including whether it counts as raised."""
    d = asdict(item)
    d["raised"] = item.raised
    return d


__all__ = [
    "BREADTH_POINTS",
    "COVERAGE_POINTS",
    "LEVELS",
    "NAMED_CREDIT",
    "SIGNALS",
    "SIGNAL_POINTS",
    "ItemResult",
    "Review",
    "Signal",
    "item_to_dict",
    "match_items",
    "nudge",
    "recorded_review",
    "review_record",
    "review_stamp",
    "review_text",
    "review_to_dict",
    "review_work",
    "text_digest",
]
