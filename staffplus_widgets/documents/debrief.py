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
      "scenarios": [                                         # sorted by id
        {
          "id": str, "title": str,
          "learners": int,                                   # counted submissions
          "sources": {"interview": int, "answer": int},      # where item statuses came from
          "items": [                                         # rubric order
            {"id": str, "category": str, "phase": str, "point": str, "followup": str,
             "counts": {"unprompted": int, "prompted": int, "missed": int},
             "shares": {"unprompted": float, "prompted": float, "missed": float},
             "levels": {"absent": int, "named": int, "reasoned": int, "dismissed": int}}],
                                                             # levels: learners whose hand-in
                                                             # records them (answers; newer
                                                             # interview attempts)
          "most_missed": [{"id": str, "missed": int, "share": float}],   # top 5, missed > 0,
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

import hashlib
import json
import multiprocessing
import os
import re
import statistics
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import workfile
from ..core.errors import StaffplusError
from ..data.prices import price_catalogue
from ..feedback.levels import LEVELS
from .export import STATUSES, latest_attempt

FORMAT = "staffplus-debrief"
VERSION = 1
MOST_MISSED = 5
SCORE_EDGES = tuple(range(0, 101, 10))
SOURCES = ("interview", "answer")


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


def _tradeoff_ok(t: Any) -> bool:
    if t is None:
        return True
    if type(t) is not dict:
        return False
    if "scale" in t:
        s = t["scale"]
        if type(s) is not list or len(s) != 2 or not all(_num(x) for x in s):
            return False
    if "options" in t:
        if not _list_of_dicts(t["options"], 40):
            return False
        for o in t["options"]:
            if not _str(o.get("name")) or not _optional_str(o, "description"):
                return False
            if "baseline" in o and type(o["baseline"]) is not bool:
                return False
    if "criteria" in t:
        if not _list_of_dicts(t["criteria"], 40):
            return False
        for c in t["criteria"]:
            w = c.get("weight")
            if (
                not _str(c.get("name"))
                or not _num(w)
                or w < 0
                or not _optional_str(c, "high_means")
            ):
                return False
    if "scores" in t:
        if not _list_of_dicts(t["scores"], 1600):
            return False
        for s in t["scores"]:  # the checks of _str/_num/_optional_str, inline: one per cell
            sc = s.get("score")
            if not (
                type(s.get("option")) is str
                and type(s.get("criterion")) is str
                and (type(sc) is int or type(sc) is float)
                and 1 <= sc <= 5
                and type(s.get("why", "")) is str
            ):
                return False
    if "exclusions" in t:
        if not _list_of_dicts(t["exclusions"]):
            return False
        for e in t["exclusions"]:
            if not (_str(e.get("option")) and _str(e.get("constraint")) and _str(e.get("reason"))):
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


def assess(scenario: Any, work: dict[str, Any], models: Models, file_name: str) -> LearnerResult:
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


# -- a scenario's cohort ---------------------------------------------------------------------------------
def _share(n: int, total: int) -> float:
    return round(n / total, 4) if total else 0.0


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass
class ScenarioDebrief:
    """Every counted learner of one scenario, and the aggregates an instructor discusses."""

    scenario: Any
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
            {"id": r["id"], "missed": r["counts"]["missed"], "share": r["shares"]["missed"]}
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
        }


# -- the folder ---------------------------------------------------------------------------------------------
def submission_files(directory: Path) -> list[os.DirEntry[str]]:
    """``*.json`` entries of the folder (not recursive), hidden and temporary files excluded, by name."""
    with os.scandir(directory) as it:
        entries = [e for e in it if e.name.lower().endswith(".json") and not e.name.startswith(".")]
    return sorted(entries, key=lambda e: e.name)


def _printable(name: str) -> str:
    """A file name safe to print on one line (undecodable bytes and control characters made visible)."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in name)


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

    def bind(self, pack: Any) -> None:
        if self.pack_id != id(pack):
            self.entries.clear()
            self.pack_id = id(pack)


def _stat_key(entry: os.DirEntry[str]) -> tuple[int, ...] | None:
    try:
        st = entry.stat(follow_symlinks=False)
    except OSError:
        return None
    return (st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_mode)


def _outcome(path: str, name: str, pack: Any) -> tuple[str, Any]:
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


def _outcomes(paths: list[str], names: list[str], pack: Any, jobs: int) -> list[tuple[str, Any]]:
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
    pack: Any = None,
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
    names = [_printable(e.name) for e in entries]
    keys = [_stat_key(e) if cache is not None else None for e in entries]
    outcomes: list[tuple[str, Any] | None] = [None] * len(entries)
    if cache is not None:
        for i, entry in enumerate(entries):
            cached = cache.entries.get(entry.name)
            if cached is not None and keys[i] is not None and cached[0] == keys[i]:
                outcomes[i] = cached[1]
                cache.hits += 1
    todo = [i for i, o in enumerate(outcomes) if o is None]
    fresh = _outcomes(
        [entries[i].path for i in todo],
        [names[i] for i in todo],
        pack,
        default_jobs() if jobs is None else jobs,
    )
    for i, outcome in zip(todo, fresh):
        outcomes[i] = outcome
        if cache is not None and keys[i] is not None:
            cache.entries[entries[i].name] = (keys[i], outcome)
    for name, (kind, payload) in zip(names, outcomes):  # type: ignore[misc]
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
    if cache is not None:
        for gone in set(cache.entries) - {e.name for e in entries}:
            del cache.entries[gone]
    result.sections = [sections[k] for k in sorted(sections)]
    return result


def debrief_json(
    directory: str | os.PathLike[str], pack: Any = None, scenario_id: str | None = None
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


# -- text summaries of the debrief charts (shown next to each chart, used as their description) -----------
def items_summary(section: dict[str, Any]) -> str:
    n = section["learners"]
    if not n:
        return "No learners yet."
    parts = [
        f"{r['id']}: {r['counts']['unprompted']} unprompted, {r['counts']['prompted']} prompted, "
        f"{r['counts']['missed']} missed"
        for r in section["items"]
    ]
    return f"Of {n} learner{'s' if n != 1 else ''}, per rubric item: " + "; ".join(parts) + "."


def options_summary(section: dict[str, Any]) -> str:
    c = section["chosen_options"]
    if not section["learners"]:
        return "No learners yet."
    parts = [
        f"{o['option']} {o['learners']}" + (" (the reference choice)" if o["reference"] else "")
        for o in c["options"]
    ]
    out = "Chosen options (each learner's trade-off winner): " + ("; ".join(parts) or "none") + "."
    if c["tied"]:
        out += f" {c['tied']} learner{'s' if c['tied'] != 1 else ''} had a tie for first."
    if c["none"]:
        out += f" {c['none']} had no usable matrix."
    return out + f" Reference recommendation: {c['reference']}."


def named_only(section: dict[str, Any], top: int = 5) -> list[str]:
    """The items learners most often only named or waved away (from the levels hand-ins record)."""
    rows = [
        r
        for r in section["items"]
        if r.get("levels") and (r["levels"]["named"] or r["levels"]["dismissed"])
    ]
    rows.sort(key=lambda r: -(r["levels"]["named"] + r["levels"]["dismissed"]))
    return [
        f"{r['id']}: named without a consequence by {r['levels']['named']}, "
        f"waved away by {r['levels']['dismissed']}; reasoned by {r['levels']['reasoned']}"
        for r in rows[:top]
    ]


def weights_summary(section: dict[str, Any]) -> str:
    rows = [w for w in section["weights"] if w["learners"]]
    if not rows:
        return "No weights yet."
    parts = [
        f"{w['criterion']} from {w['min']:.0%} to {w['max']:.0%} (median {w['median']:.0%}"
        + (f", reference {w['reference']:.0%})" if w["reference"] is not None else ")")
        + f" over {w['learners']} learner{'s' if w['learners'] != 1 else ''}"
        for w in rows
    ]
    return "Normalised weight per criterion: " + "; ".join(parts) + "."


def cost_spread_summary(section: dict[str, Any]) -> str:
    c = section["cost"]
    low, high = c["range"]
    counted = len(c["values"])
    if not counted:
        return f"No cost estimates yet (reference range ${low:,.0f} to ${high:,.0f} a month)."
    return (
        f"{counted} monthly cost estimates against the reference ${low:,.0f} to ${high:,.0f}: "
        f"{c['below']} below, {c['inside']} inside, {c['above']} above"
        + (f", {c['missing']} missing" if c["missing"] else "")
        + f". Lowest ${c['values'][0]:,.0f}, median ${c['median']:,.0f}, highest ${c['values'][-1]:,.0f}."
    )


def scores_summary(section: dict[str, Any]) -> str:
    s = section["scores"]
    if not s["values"]:
        return "No scores yet."
    bins = [
        f"{lo}-{hi - 1 if hi < 100 else 100}: {n}"
        for lo, hi, n in zip(s["edges"], s["edges"][1:], s["counts"])
        if n
    ]
    return (
        f"Scores from {s['min']} to {s['max']}, mean {s['mean']:.1f}, median {s['median']:g}. "
        f"Learners per band: {'; '.join(bins)}."
    )


# -- HTML ----------------------------------------------------------------------------------------------------
def _section_blocks(section: dict[str, Any], charts: dict[str, bytes | None]) -> list[Any]:
    from .export import Bullets, Chart, Heading, Para, Table, pct

    n = section["learners"]
    src = section["sources"]
    blocks: list[Any] = [
        Para(
            f"{n} learner{'s' if n != 1 else ''} counted: {src['interview']} from their latest "
            f"mock interview, {src['answer']} from their written mock answer.",
            label="Cohort:",
        )
    ]
    blocks.append(Heading(3, "What the cohort raised"))
    blocks.append(
        Table(
            (
                "Rubric item",
                "Category",
                "Phase",
                "Unprompted",
                "Prompted",
                "Not at all",
                "What a strong candidate says",
            ),
            tuple(
                (
                    r["id"],
                    r["category"],
                    r["phase"],
                    f"{pct(r['shares']['unprompted'])} ({r['counts']['unprompted']})",
                    f"{pct(r['shares']['prompted'])} ({r['counts']['prompted']})",
                    f"{pct(r['shares']['missed'])} ({r['counts']['missed']})",
                    r["point"],
                )
                for r in section["items"]
            ),
            numeric=(3, 4, 5),
        )
    )
    blocks.append(
        Chart(
            "items",
            "Stacked bars of the share of learners who raised each rubric item unprompted, "
            "when prompted, or not at all",
            items_summary(section),
            charts.get("items"),
        )
    )
    if section["most_missed"]:
        followups = {r["id"]: r["followup"] for r in section["items"]}
        blocks.append(Heading(3, "Most missed: ask the room"))
        blocks.append(
            Bullets(
                tuple(
                    f"{m['id']} (missed by {m['missed']}, {pct(m['share'])}): {followups[m['id']]}"
                    for m in section["most_missed"]
                )
            )
        )
    named = named_only(section)
    if named:
        blocks.append(Heading(3, "Named, not reasoned: ask the room \u201cso what?\u201d"))
        blocks.append(Bullets(tuple(named)))
    c = section["chosen_options"]
    blocks.append(Heading(3, "Chosen options"))
    rows = [
        (
            o["option"] + (" (reference)" if o["reference"] else ""),
            str(o["learners"]),
            pct(o["share"]),
        )
        for o in c["options"]
    ]
    rows += [
        ("Tie: " + " / ".join(t["options"]), str(t["learners"]), pct(t["learners"] / n if n else 0))
        for t in c["ties"]
    ]
    if c["none"]:
        rows.append(("No usable matrix", str(c["none"]), pct(c["none"] / n if n else 0)))
    blocks.append(Table(("Trade-off winner", "Learners", "Share"), tuple(rows), numeric=(1, 2)))
    blocks.append(
        Chart(
            "options",
            "Bar chart of how many learners chose each option",
            options_summary(section),
            charts.get("options"),
        )
    )
    blocks.append(Heading(3, "Weights"))
    blocks.append(
        Table(
            ("Criterion", "Learners", "Min", "Median", "Max", "Reference"),
            tuple(
                (
                    w["criterion"] + ("" if w["in_scenario"] else " (learner's own)"),
                    str(w["learners"]),
                    *(
                        pct(w[k], 1) if w[k] is not None else "-"
                        for k in ("min", "median", "max", "reference")
                    ),
                )
                for w in section["weights"]
            ),
            numeric=(1, 2, 3, 4, 5),
        )
    )
    blocks.append(
        Chart(
            "weights",
            "Range chart of the normalised weight learners gave each criterion",
            weights_summary(section),
            charts.get("weights"),
        )
    )
    cost = section["cost"]
    low, high = cost["range"]
    blocks.append(Heading(3, "Cost estimates"))
    blocks.append(
        Para(
            f"${low:,.0f} to ${high:,.0f} a month (the scenario's reference lines total "
            f"${cost['reference_total']:,.0f}).",
            label="Reference range:",
        )
    )
    blocks.append(
        Table(
            ("Below", "Inside", "Above", "Missing"),
            ((str(cost["below"]), str(cost["inside"]), str(cost["above"]), str(cost["missing"])),),
            numeric=(0, 1, 2, 3),
        )
    )
    blocks.append(
        Chart(
            "cost",
            "Dot plot of each learner's monthly cost estimate against the reference range",
            cost_spread_summary(section),
            charts.get("cost"),
        )
    )
    s = section["scores"]
    blocks.append(Heading(3, "Scores"))
    blocks.append(
        Table(
            tuple(
                f"{lo}-{hi - 1 if hi < 100 else 100}" for lo, hi in zip(s["edges"], s["edges"][1:])
            ),
            (tuple(str(k) for k in s["counts"]),),
            numeric=tuple(range(len(s["counts"]))),
            caption="Learners per score band",
        )
    )
    blocks.append(
        Chart(
            "scores",
            "Histogram of scores in bands of ten",
            scores_summary(section),
            charts.get("scores"),
        )
    )
    if section["duplicates"]:
        blocks.append(Heading(3, "Duplicate learner names (each file is counted)"))
        blocks.append(
            Bullets(
                tuple(f"{d['learner']}: {', '.join(d['files'])}" for d in section["duplicates"])
            )
        )
    blocks.append(Heading(3, "Roster"))
    blocks.append(
        Table(
            ("File", "Learner", "From", "Score", "Winner", "Monthly cost", "Against range"),
            tuple(
                (
                    r["file"],
                    r["learner"] + (" (duplicate name)" if r["duplicate"] else ""),
                    r["source"],
                    str(r["score"]),
                    r["winner"] or ("tie: " + " / ".join(r["tied"]) if r["tied"] else "-"),
                    f"${r['cost_total']:,.0f}" if r["cost_total"] is not None else "-",
                    r["cost_position"],
                )
                for r in section["roster"]
            ),
            numeric=(3, 5),
        )
    )
    return blocks


def section_charts(section: dict[str, Any]) -> dict[str, bytes | None]:
    """PNG bytes of every debrief chart of one section (empty without matplotlib)."""
    try:
        from ..charts import debrief as debrief_charts
    except ImportError:  # pragma: no cover - matplotlib is a dependency; a broken install degrades
        return {}
    from .export import PRINT_DPI

    return {
        key: debrief_charts.render_png(render, section, PRINT_DPI)
        for key, render in debrief_charts.RENDERERS.items()
    }


def render_html(data: dict[str, Any], *, charts: bool = True) -> str:
    """The debrief as one standalone HTML page: a section per scenario, then the files not counted.

    Parameters
    ----------
    data : dict
        ``Debrief.to_json()`` (the documented numbers; nothing else from a submission is used).
    charts : bool
        Embed the five charts of each section as PNG data URIs (False: text summaries only).

    Returns
    -------
    str
        HTML with inline CSS and no scripts. Every string from the submissions (learner, option
        and criterion names, file names, reasons) is escaped; every chart has alt text and a text
        summary.
    """
    from .export import Bullets, Document, Para, Section, document_html

    doc = Document("Cohort debrief")
    files = data["files"]
    doc.meta = [
        ("Folder", data["directory"]),
        (
            "Files",
            f"{files['seen']} seen, {files['counted']} counted, {files['rejected']} not counted"
            + (
                f", {files['other_scenario']} for other scenarios"
                if files["other_scenario"]
                else ""
            ),
        ),
        ("Scenarios", ", ".join(f"{s['title']} ({s['id']})" for s in data["scenarios"]) or "none"),
    ]
    for section in data["scenarios"]:
        pngs = section_charts(section) if charts else {}
        doc.sections.append(
            Section(
                f"scenario-{section['id']}",
                f"{section['title']} ({section['id']})",
                tuple(_section_blocks(section, pngs)),
            )
        )
    if data["rejected"]:
        problems: tuple[Any, ...] = (Bullets(tuple(r["reason"] for r in data["rejected"])),)
    else:
        problems = (Para("Every file was counted.", note=True),)
    doc.sections.append(Section("not-counted", "Files not counted", problems))
    doc.footer = (
        "Generated by staffplus debrief. Nothing from a submission is run or rendered as HTML."
    )
    return document_html(doc)


def write_html(
    data: dict[str, Any], out_path: str | os.PathLike[str], *, charts: bool = True
) -> Path:
    """Write ``render_html(data)`` to ``out_path`` atomically and return the path."""
    from .export import write_text_atomic

    return write_text_atomic(out_path, render_html(data, charts=charts))
