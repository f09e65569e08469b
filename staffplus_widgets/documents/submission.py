"""One hand-in for the cohort debrief: reading it (size and depth limits, the schema check, the
models) and what that learner did (``assess``).

A folder of submissions can hold anything, so a file is refused before it is parsed when it is
too large, and after when it is not a work file; refusals are listed, never fatal
(``Rejected``). ``parse_submission`` returns the work and its models, built once.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import workfile
from ..core.errors import StaffplusError
from ..data.prices import price_catalogue
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


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _depth_exceeds(doc: Any, limit: int) -> bool:
    """True when nesting goes deeper than ``limit`` (workfile's measure: scalars count as a level).

    Level by level: a container at depth ``d`` with any child has depth ``d + 1`` at least.
    """
    level = [doc] if type(doc) is dict or type(doc) is list else []
    d = 1
    if d > limit:
        return True
    while level:
        deeper: list[Any] = []
        for node in level:
            children = node.values() if type(node) is dict else node
            if children and d >= limit:
                return True
            deeper += [c for c in children if type(c) is dict or type(c) is list]
        level = deeper
        d += 1
    return False


# The fast acceptance check below mirrors this exact work schema; any other schema turns it off.
_WORK_SCHEMA_SHA256 = "8c3908399cebc8a8b86d8f2995bb230246471f179ba9c982d9205047e5d4e0fe"
_SCENARIO_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_LEARNER_ID = re.compile(r"[0-9a-f]{32}")
_RISK_CATEGORIES = frozenset(
    (
        "business",
        "data",
        "modeling",
        "infrastructure",
        "cost",
        "operations",
        "privacy",
        "legal",
        "fairness",
        "security",
        "team",
    )
)
_COST_KINDS = frozenset(
    ("inference", "batch", "storage", "pipeline", "labeling", "review", "people")
)


def schema_fingerprint() -> str:
    """The SHA-256 of the shipped work schema; the fast acceptance check runs only if it matches."""
    from ..data.scenario import load_schema

    return hashlib.sha256(
        json.dumps(load_schema("work"), sort_keys=True).encode("utf-8")
    ).hexdigest()


_FAST_OK: bool | None = None


def _fast_path_enabled() -> bool:
    global _FAST_OK
    if _FAST_OK is None:
        _FAST_OK = schema_fingerprint() == _WORK_SCHEMA_SHA256
    return _FAST_OK


def _str(x: Any, limit: int | None = None) -> bool:
    return type(x) is str and (limit is None or len(x) <= limit)


def _num(x: Any) -> bool:
    return type(x) is int or type(x) is float


def _list_of_dicts(x: Any, limit: int | None = None) -> bool:
    return (
        type(x) is list and (limit is None or len(x) <= limit) and all(type(i) is dict for i in x)
    )


def _optional_str(d: dict[str, Any], key: str) -> bool:
    return key not in d or type(d[key]) is str


def schema_surely_valid(doc: dict[str, Any]) -> bool:
    """A fast, conservative check of the work schema: True only if jsonschema would find no error.

    False means "not sure": the caller then runs the real schema for an exact message. It accepts
    a subset of what the schema accepts (e.g. ``2.0`` as an integer is left to jsonschema).
    """
    if (
        doc.get("format") != workfile.FORMAT
        or type(doc.get("version")) is not int
        or doc["version"] != 2
    ):
        return False
    sc = doc.get("scenario")
    if not _str(sc, 60) or not _SCENARIO_ID.fullmatch(sc):
        return False
    for key, limit in (("learner", 120), ("created_with", 40), ("updated", 40)):
        if key in doc and not _str(doc[key], limit):
            return False
    if "learner_id" in doc and not (
        type(doc["learner_id"]) is str and _LEARNER_ID.fullmatch(doc["learner_id"])
    ):
        return False
    if "variants" in doc:
        v = doc["variants"]
        if type(v) is not list or len(v) > 20 or not all(_str(i, 60) for i in v):
            return False
    if "tradeoff" in doc and not _tradeoff_ok(doc["tradeoff"]):
        return False
    if "risks" in doc and not _risks_ok(doc["risks"]):
        return False
    if "cost" in doc and not _cost_ok(doc["cost"]):
        return False
    if "answers" in doc:
        a = doc["answers"]
        if type(a) is not dict or not all(_str(t, 100000) for t in a.values()):
            return False
    if "interviews" in doc and not (
        _list_of_dicts(doc["interviews"], 200) and all(_attempt_ok(a) for a in doc["interviews"])
    ):
        return False
    if "variant_weights" in doc and not _variant_weights_ok(doc["variant_weights"]):
        return False
    return "drills" not in doc or _drills_ok(doc["drills"])


def _attempt_ok(a: dict[str, Any]) -> bool:
    counts = a.get("counts", {})
    return (
        type(counts) is dict
        and all(type(n) is int and n >= 0 for n in counts.values())
        and ("score" not in a or _num(a["score"]))
        and ("proactivity" not in a or _num(a["proactivity"]))
    )


def _variant_weights_ok(v: Any) -> bool:
    return type(v) is dict and all(
        type(w) is dict and all(_num(x) for x in w.values()) for w in v.values()
    )


def _drills_ok(d: Any) -> bool:
    if type(d) is not dict:
        return False
    r = d.get("rewrite", {})
    if type(r) is not dict or ("text" in r and not _str(r["text"], 100000)):
        return False
    if not all(k not in r or _num(r[k]) for k in ("score_before", "score_after")):
        return False
    for k in ("added_items", "added_signals"):
        if k in r and not (type(r[k]) is list and all(type(i) is str for i in r[k])):
            return False
    return "risk_spotting" not in d or _list_of_dicts(d["risk_spotting"], 200)


def _option_ok(o: dict[str, Any]) -> bool:
    return (
        _str(o.get("name"))
        and _optional_str(o, "description")
        and type(o.get("baseline", False)) is bool
    )


def _criterion_ok(c: dict[str, Any]) -> bool:
    w = c.get("weight")
    return _str(c.get("name")) and _num(w) and w >= 0 and _optional_str(c, "high_means")


def _score_ok(s: dict[str, Any]) -> bool:
    sc = s.get("score")  # the checks of _str/_num/_optional_str, inline: one call per cell
    return (
        type(s.get("option")) is str
        and type(s.get("criterion")) is str
        and (type(sc) is int or type(sc) is float)
        and 1 <= sc <= 5
        and type(s.get("why", "")) is str
    )


def _exclusion_ok(e: dict[str, Any]) -> bool:
    return _str(e.get("option")) and _str(e.get("constraint")) and _str(e.get("reason"))


# each list of a trade-off matrix: its most entries, and the check of one entry
_TRADEOFF_LISTS = (
    ("options", 40, _option_ok),
    ("criteria", 40, _criterion_ok),
    ("scores", 1600, _score_ok),
    ("exclusions", None, _exclusion_ok),
)


def _tradeoff_ok(t: Any) -> bool:
    if t is None:
        return True
    if type(t) is not dict:
        return False
    if "scale" in t:
        s = t["scale"]
        if type(s) is not list or len(s) != 2 or not all(_num(x) for x in s):
            return False
    for key, most, entry_ok in _TRADEOFF_LISTS:
        if key in t and not (_list_of_dicts(t[key], most) and all(map(entry_ok, t[key]))):
            return False
    return True


def _risks_ok(r: Any) -> bool:
    if r is None:
        return True
    if type(r) is not dict:
        return False
    if "risks" not in r:
        return True
    if not _list_of_dicts(r["risks"], 200):
        return False
    for x in r["risks"]:
        lk, im = x.get("likelihood"), x.get("impact")
        cat = x.get("category")
        if not (
            _str(x.get("title"))
            and type(cat) is str
            and cat in _RISK_CATEGORIES
            and type(lk) is int
            and 1 <= lk <= 5
            and type(im) is int
            and 1 <= im <= 5
        ):
            return False
        if not (
            _optional_str(x, "mitigation")
            and _optional_str(x, "owner")
            and _optional_str(x, "detection")
        ):
            return False
        if "raised" in x and x["raised"] not in ("unprompted", "prompted"):
            return False
    return True


def _cost_ok(c: Any) -> bool:
    if c is None:
        return True
    if type(c) is not dict:
        return False
    if "lines" not in c:
        return True
    if not _list_of_dicts(c["lines"], 100):
        return False
    return all(
        type(line.get("kind")) is str and line["kind"] in _COST_KINDS and _str(line.get("name"))
        for line in c["lines"]
    )


@dataclass
class Models:
    """The learner's artifacts as models (None when the work file has none)."""

    matrix: Any
    register: Any
    cost: Any


def _load_models(work: dict[str, Any]) -> Models:
    from ..models.cost import CostModel
    from ..models.risks import RiskRegister
    from ..models.tradeoff import TradeOffMatrix

    return Models(
        TradeOffMatrix.from_dict(work["tradeoff"], where="tradeoff")
        if work.get("tradeoff") is not None
        else None,
        RiskRegister.from_dict(work["risks"], where="risks")
        if work.get("risks") is not None
        else None,
        CostModel.from_dict(work["cost"], where="cost", prices=price_catalogue())
        if work.get("cost") is not None
        else None,
    )


# A JSON escape of a lone surrogate ("\\ud800"): valid JSON whose text no UTF-8 output accepts.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def parse_submission(raw: bytes, where: str) -> tuple[dict[str, Any], Models]:
    """Validate a submission exactly as ``workfile.parse`` does, and load its models.

    Current, schema-valid files take a fast path (no full schema run); anything else goes through
    ``workfile.parse``, so the reason for a rejection is always the one ``staffplus validate`` gives.
    A file with lone surrogate escapes (text that can never be written back as UTF-8) always takes
    the slow path, which rejects it like ``workfile.parse`` does.
    """
    surrogates = _SURROGATE_ESCAPE.search(raw) is not None
    if _fast_path_enabled() and not surrogates:
        try:
            doc = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
        except (UnicodeDecodeError, ValueError, RecursionError):
            doc = None
        if (
            type(doc) is dict
            and not _depth_exceeds(doc, workfile.MAX_DEPTH)
            and schema_surely_valid(doc)
        ):
            try:
                return doc, _load_models(doc)
            except StaffplusError:
                pass  # the slow path below names the problem exactly as `staffplus validate` does
    try:
        work = workfile.parse(raw, where=where)
    except StaffplusError as exc:
        raise Rejected(str(exc)) from None
    try:
        return work, _load_models(work)
    except StaffplusError as exc:
        raise Rejected(f"{where}: {exc}") from None


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
    scenario: Scenario, work: dict[str, Any], models: Models, file_name: str
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
