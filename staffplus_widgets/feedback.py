"""Rubric feedback: what the learner raised, what a Staff+ candidate would have raised, and a score.

Pure and deterministic: the same text and scenario always give the same review.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .categories import CATEGORY_IDS, CROSS_FUNCTIONAL
from .scenario import Scenario
from .textmatch import Sentence, match_groups, normalise, split_sentences, tokens

COVERAGE_POINTS = 60
BREADTH_POINTS = 15
SIGNAL_POINTS = 25

SIGNALS: dict[str, str] = {
    "options_tradeoffs": "Several design options compared, with trade-offs",
    "risks_mitigations": "Risks named together with their mitigations",
    "numbers": "Back-of-the-envelope numbers (QPS, latency, money, headcount)",
    "constraints": "Technical choices tied to constraints (team, GPU, budget, regulation)",
    "recommendation_flip": "A recommendation plus the condition that would change it",
}

_OPTION_ENUM = re.compile(
    r"\b(?:option|approach|alternative|design)\s+(?:[abc123]|one|two|three|four)\b"
    r"|\b(?:first|second|third|fourth)\s+(?:option|approach|alternative)\b"
)
_TRADEOFF = re.compile(
    r"\btrade\s?offs?\b|\bat the (?:cost|expense) of\b|\bin exchange\b|\bversus\b|\bvs\.?\s"
    r"|\bcompared (?:to|with)\b|\bcheaper but\b|\bbetter but\b|\bdownside\b|\bupside\b"
)
_RISK = re.compile(
    r"\brisks?\b|\bgo wrong\b|\bfailure modes?\b|\bfail(?:s|ure)?\b|\battack|\bdrift|\bleak|\bbias|\bevasion"
    r"|\bbreak|\boutage|\bregress|\bcollapse|\bexploit|\babuse|\bhallucinat"
)
_MITIGATION = re.compile(
    r"\bmitigat|\bguard|\bfallback|\bfall back|\broll ?back|\bmonitor|\balert|\bhold ?out|\bcap\b"
    r"|\bkill switch|\bcircuit breaker|\bshadow|\bcanary|\bthrottl|\brate limit|\breview queue"
    r"|\bwe would\b|\bwe'd\b|\bso we\b|\bto prevent\b|\bto catch\b|\bdetect"
)
_NUMBER = re.compile(
    r"(?:\$\s?\d[\d,.]*\s?(?:k|m|bn|b|million|billion)?\b|\b\d[\d,.]*\s?(?:%|ms\b|qps\b|k\b|m\b|bn\b|gb\b|tb\b|pb\b"
    r"|x\b|/s\b|per (?:day|second|month|hour|year|query|request)|a (?:day|month|second)|days?\b|weeks?\b"
    r"|months?\b|hours?\b|engineers?\b|people\b|fte\b|reviewers?\b|analysts?\b|million|billion|thousand"
    r"|instances?\b|gpus?\b|cents?\b|dollars?\b))"
)
_CONNECTIVE = re.compile(
    r"\bbecause\b|\bsince\b|\bgiven\b|\bso\b|\bwhich means\b|\btherefore\b|\bthat's why\b"
    r"|\bconstraint|\bwithout\b|\bcan't\b|\bcannot\b|\bdon't have\b|\bno\b"
)
_CONSTRAINT = re.compile(
    r"\bteam\b|\bengineers?\b|\bgpus?\b|\bbudget|\blatency|\bregulat|\blaw\b|\blegal\b|\bstreaming"
    r"|\bheadcount|\bon-?call|\bskills?\b|\binfrastructure|\bdeadline|\bcompliance|\bp99\b|\bfte\b"
)
_RECOMMEND = re.compile(
    r"\brecommend|\bi'?d (?:ship|start|choose|pick|go)|\bi would (?:ship|start|choose|pick|go)"
    r"|\bgo with\b|\bmy (?:pick|choice|recommendation)\b|\bship (?:the|a)\b.*\bfirst\b|\bwe should (?:ship|start|build)"
)
_FLIP = re.compile(
    r"\bunless\b|\bwould (?:switch|change|flip|revisit|move)|\bflips?\b|\brevisit\b|\bonce\b|\buntil\b"
    r"|\bif (?:we|the|gpu|budget|latency|traffic|regulat)\b.{0,80}\b(?:then|we'd|i'd|switch|move|change)"
)


@dataclass(frozen=True)
class ItemResult:
    id: str
    category: str
    phase: str
    point: str
    raised: bool
    evidence: str | None
    phrase: str | None
    dismissed: str | None  # a sentence that mentioned the point only to dismiss it
    followup: str


@dataclass(frozen=True)
class Signal:
    id: str
    label: str
    present: bool
    evidence: str | None


@dataclass
class Review:
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
                    "raised": i.raised,
                    "evidence": i.evidence,
                    "matched": i.phrase,
                    "dismissed": i.dismissed,
                }
                for i in self.items
            ],
            "signals": {s.id: {"present": s.present, "evidence": s.evidence} for s in self.signals},
            "cross_functional": self.cross_functional,
            "missed_followups": self.missed_followups,
        }


def match_items(scenario: Scenario, sentences: list[Sentence]) -> list[ItemResult]:
    results = []
    groups = tuple(tuple(item["matchers"]) for item in scenario.rubric)
    for item, (hit, dismissed) in zip(scenario.rubric, match_groups(groups, sentences)):
        results.append(
            ItemResult(
                item["id"],
                item["category"],
                item["phase"],
                item["point"],
                hit is not None,
                hit.sentence if hit else None,
                hit.phrase if hit else None,
                dismissed.sentence if dismissed and not hit else None,
                item["followup"],
            )
        )
    return results


class _Lowered:
    """The text and each sentence lower-cased once, for the signal patterns.

    ``any(rx)`` on the whole text is a cheap necessary condition: a sentence is a stretch of the
    text between whitespace, so a pattern with no match in the text has none in any sentence.
    """

    def __init__(self, text: str, sentences: list[Sentence]):
        self.whole = text.lower()
        self.sentences = sentences
        self.lows = [s.text.lower() for s in sentences]

    def matching(self, rx: re.Pattern[str], limit: int | None = None) -> list[int]:
        """Indices of the sentences ``rx`` matches, in order (at most ``limit`` of them)."""
        found: list[int] = []
        if rx.search(self.whole) is None:
            return found
        for i, low in enumerate(self.lows):
            if rx.search(low):
                found.append(i)
                if limit is not None and len(found) >= limit:
                    break
        return found

    def first(self, rx: re.Pattern[str]) -> Sentence | None:
        hits = self.matching(rx, 1)
        return self.sentences[hits[0]] if hits else None


_OPTION_STOP = frozenset({"and", "with", "for", "on"})
_OPTION_HINT = re.compile(r"option|approach|alternative|design")
_NAME_TOKENS: dict[str, tuple[list[str], int]] = {}


def _name_tokens(name: str) -> tuple[list[str], int]:
    """An option name's telling tokens and how many of them a sentence must contain."""
    known = _NAME_TOKENS.get(name)
    if known is None:
        toks = [t for t in tokens(name) if len(t) > 2 and t not in _OPTION_STOP]
        known = _NAME_TOKENS[name] = (toks, max(1, round(len(toks) * 0.6)))
    return known


def _option_mentions(scenario: Scenario, sentences: list[Sentence], whole_lower: str) -> set[str]:
    """Options the text refers to: by enough of the option's name, or by an enumeration."""
    found: set[str] = set()
    for opt in scenario.data["options"]:
        name_toks, need = _name_tokens(opt["name"])
        if name_toks and any(sum(t in s.vocab for t in name_toks) >= need for s in sentences):
            found.add(opt["name"])
    if _OPTION_HINT.search(whole_lower):  # every enumeration names one of these words
        for s in sentences:
            for m in _OPTION_ENUM.finditer(normalise(s.text)):
                found.add(m.group(0))
    return found


def detect_signals(scenario: Scenario, text: str, sentences: list[Sentence]) -> list[Signal]:
    low = _Lowered(text, sentences)
    out: list[Signal] = []

    options = _option_mentions(scenario, sentences, low.whole)
    tradeoff = low.first(_TRADEOFF)
    present = len(options) >= 3 or (len(options) >= 2 and tradeoff is not None)
    out.append(
        Signal(
            "options_tradeoffs",
            SIGNALS["options_tradeoffs"],
            present,
            (tradeoff.text if tradeoff else None) if present else None,
        )
    )

    pairs = []
    if _MITIGATION.search(low.whole):
        for i in low.matching(_RISK):
            nxt = low.lows[i + 1] if i + 1 < len(low.lows) else ""
            if _MITIGATION.search(low.lows[i]) or _MITIGATION.search(nxt):
                pairs.append(sentences[i].text)
                if len(pairs) == 2:
                    break
    out.append(
        Signal(
            "risks_mitigations",
            SIGNALS["risks_mitigations"],
            len(pairs) >= 2,
            pairs[0] if len(pairs) >= 2 else None,
        )
    )

    numbers = {m.group(0).strip() for m in _NUMBER.finditer(low.whole)}
    numbered = low.first(_NUMBER) if len(numbers) >= 3 else None
    out.append(
        Signal(
            "numbers",
            SIGNALS["numbers"],
            len(numbers) >= 3,
            numbered.text if numbered is not None else None,
        )
    )

    tied: list[str] = []
    if _CONSTRAINT.search(low.whole):
        for i in low.matching(_CONNECTIVE):
            if _CONSTRAINT.search(low.lows[i]):
                tied.append(sentences[i].text)
                if len(tied) == 2:
                    break
    out.append(
        Signal(
            "constraints",
            SIGNALS["constraints"],
            len(tied) >= 2,
            tied[0] if len(tied) >= 2 else None,
        )
    )

    rec = low.first(_RECOMMEND)
    flip = low.first(_FLIP) if rec is not None else None
    present = rec is not None and flip is not None
    out.append(
        Signal(
            "recommendation_flip",
            SIGNALS["recommendation_flip"],
            present,
            f"{rec.text} ... {flip.text}"
            if present and rec is not flip
            else (rec.text if present else None),
        )
    )
    return out


def review_text(scenario: Scenario, text: str) -> Review:
    """Review free text (what the learner would say) against the scenario's rubric."""
    text = text or ""
    sentences = split_sentences(text)
    items = match_items(scenario, sentences)
    return _assemble(scenario, items, detect_signals(scenario, text, sentences))


# -- reviews saved with a submission ---------------------------------------------------------------
# ``staffplus submit`` stores the review of the written answer next to it, so a debrief of a whole
# room need not review every answer again. A saved review is used only for the very text it was made
# of (its SHA-256) and under the very rubric and engine (the stamp); anything else is reviewed afresh.
# It is trusted as far as an interview scorecard in the same file is: it describes the learner's own
# row and nothing else.

_STAMPS: dict[int, tuple[Scenario, str]] = {}
_ENGINE: str | None = None


def _engine_fingerprint() -> str:
    """The matching and scoring code itself: any change to it makes saved reviews stale."""
    global _ENGINE
    if _ENGINE is None:
        h = hashlib.sha256()
        for module in ("feedback.py", "textmatch.py", "categories.py"):
            h.update((Path(__file__).parent / module).read_bytes())
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
            [[i["id"], i["category"], i["phase"], list(i["matchers"])] for i in scenario.rubric],
            [o["name"] for o in scenario.data["options"]],
        ],
        ensure_ascii=True,
    )
    stamp = hashlib.sha256(basis.encode("ascii")).hexdigest()
    if len(_STAMPS) > 64:
        _STAMPS.clear()
    _STAMPS[id(scenario)] = (scenario, stamp)
    return stamp


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def review_record(scenario: Scenario, text: str) -> dict[str, Any]:
    """What ``submit`` saves under ``reviews[<answer key>]``: stamp, text digest, score, raised ids."""
    review = review_text(scenario, text)
    return {
        "stamp": review_stamp(scenario),
        "text_sha256": text_digest(text),
        "score": review.score,
        "raised": review.raised_ids,
    }


def recorded_review(scenario: Scenario, text: str, record: Any) -> tuple[list[str], int] | None:
    """(raised item ids, score) from a saved record of this text under this rubric; else None.

    None for anything that does not fit exactly: another text, another rubric or engine, a score
    outside 0-100, ids that are not this rubric's or repeat. The caller then reviews the text.
    """
    if type(record) is not dict or record.get("stamp") != review_stamp(scenario):
        return None
    score, raised = record.get("score"), record.get("raised")
    if type(score) is not int or not 0 <= score <= 100 or type(raised) is not list:
        return None
    ids = {i["id"] for i in scenario.rubric}
    if not all(type(i) is str and i in ids for i in raised) or len(set(raised)) != len(raised):
        return None
    if record.get("text_sha256") != text_digest(text):
        return None
    return raised, score


def _assemble(scenario: Scenario, items: list[ItemResult], signals: list[Signal]) -> Review:
    categories: dict[str, dict[str, int]] = {}
    for cat in CATEGORY_IDS:
        total = sum(1 for i in items if i.category == cat)
        if total:
            categories[cat] = {
                "raised": sum(1 for i in items if i.category == cat and i.raised),
                "total": total,
            }
    raised = sum(i.raised for i in items)
    coverage = COVERAGE_POINTS * raised / len(items) if items else 0.0
    breadth = (
        BREADTH_POINTS * sum(1 for c in categories.values() if c["raised"]) / len(categories)
        if categories
        else 0.0
    )
    signal_pts = SIGNAL_POINTS * sum(s.present for s in signals) / len(signals) if signals else 0.0
    cross = sorted(c for c, v in categories.items() if v["raised"] and c in CROSS_FUNCTIONAL)
    missed = [
        {"id": i.id, "category": i.category, "phase": i.phase, "followup": i.followup}
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


# ---------------------------------------------------------------------------------------------
# Review of a whole work file: the artifacts as well as the text.

_CROSS_CRITERIA = re.compile(
    r"cost|team|maint|complian|legal|privacy|explain|time to|ops|operat|fair|risk|regulat|people|burden|skill"
)
_BASELINE = re.compile(r"baseline|rule|heuristic|logistic|simple|popular|threshold|linear|hash")


def review_work(scenario: Scenario, work: dict[str, Any]) -> dict[str, Any]:
    """Review the artifacts in a work file: trade-off checks, risk coverage, cost range, answer text."""
    from .cost import CostModel, range_check
    from .risks import RiskRegister
    from .tradeoff import TradeOffMatrix

    report: dict[str, Any] = {"scenario": scenario.id}

    matrix = TradeOffMatrix.from_dict(work.get("tradeoff") or {})
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

    register = RiskRegister.from_dict(work.get("risks") or {})
    sentences = split_sentences(
        "\n\n".join(f"{r.title}. {r.mitigation}. {r.detection}." for r in register.risks)
    )
    items = match_items(scenario, sentences)
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
        "items": [{"id": i.id, "category": i.category, "covered": i.raised} for i in items],
        "complete_entries": sum(
            1 for r in register.risks if r.mitigation and r.owner and r.detection
        ),
    }

    cost = CostModel.from_dict(work.get("cost") or {})
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
    report["answer"] = review_text(scenario, answer).to_dict() if answer.strip() else None
    return report


def review_to_dict(review: Review) -> dict[str, Any]:
    return review.to_dict()


def item_to_dict(item: ItemResult) -> dict[str, Any]:
    return asdict(item)
