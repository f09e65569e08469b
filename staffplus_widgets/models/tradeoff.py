"""Trade-off matrix: options x weighted criteria, ranking with ties, exclusions, sensitivity, robustness.

Totals are weighted means: total_i = sum_j w_j s_ij / sum_j w_j, so scaling every weight changes
nothing. For one criterion k with weight t and the others fixed, total_i(t) = (A_i + t s_ik) / (W + t)
with a denominator shared by every option, so "the winner stays first" is a set of linear
inequalities in t and its interval has a closed form (see ``sensitivity``).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field, replace
from operator import mul
from typing import Any

from ..core import validation as v
from ..core.errors import StaffplusError

SCALE = (1, 5)
TIE_TOLERANCE = 1e-9
MAX_OPTIONS = 40
MAX_CRITERIA = 40


# The two weight rules, each written once: a weight is a number from 0 to MAX_WEIGHT, and at least
# one criterion keeps a weight above 0 (otherwise every total is 0 and nothing can win).
MAX_WEIGHT = 1e6


# the JSON types of a stored option, criterion and score (work.schema.json)
_STORED_OPTION = v.stored_types(texts=("description",), flags=("baseline",))
_STORED_CRITERION = v.stored_types(numbers=("weight",), texts=("high_means",))
_STORED_SCORE = v.stored_types(numbers=("score",), texts=("why",))


def _weight(where: str, value: Any) -> float:
    return v.number(where, value, high=MAX_WEIGHT)


def _keeps_a_weight(
    where: str,
    weights: list[float],
    value: Any,
    message: str = "at least one criterion needs a weight above 0",
) -> None:
    if not any(w > 0 for w in weights):
        raise StaffplusError(where, message, value)


@dataclass(frozen=True)
class Option:
    """A design option in the trade-off matrix, optionally marked as the simple baseline."""

    name: str
    description: str = ""
    baseline: bool = False


@dataclass(frozen=True)
class Criterion:
    """A weighted criterion of the trade-off matrix, with what a high score on it means."""

    name: str
    weight: float
    high_means: str = ""


@dataclass(frozen=True)
class Cell:
    """One option's score on one criterion (1 to 5), with the reason."""

    score: float
    why: str = ""


@dataclass(frozen=True)
class Exclusion:
    """An option ruled out by a hard constraint, with the reason why."""

    option: str
    constraint: str
    reason: str


@dataclass(frozen=True)
class RankRow:
    """One feasible option's weighted total and rank, and whether it shares that rank."""

    name: str
    total: float
    rank: int
    tied: bool


@dataclass(frozen=True)
class Ranking:
    """The feasible options in rank order, the winners (several on a tie) and the exclusions."""

    rows: tuple[RankRow, ...]
    winners: tuple[str, ...]
    excluded: tuple[Exclusion, ...]


@dataclass(frozen=True)
class Sensitivity:
    """Weight interval of one criterion over which the current winner stays first.

    ``low``/``high`` are raw weights with the other weights fixed (``high`` may be inf);
    ``below``/``above`` name the option that takes over past each end (None when nothing does).
    """

    criterion: str
    weight: float
    low: float
    high: float
    below: str | None
    above: str | None
    share_low: float
    share_high: float

    @property
    def robust(self) -> bool:
        return self.below is None and self.above is None


# An unscored cell counts as the middle of the scale.
_UNSCORED = Cell(float(sum(SCALE)) / 2)


def _score(field_name: v.Field, value: Any) -> float:
    return v.number(field_name, value, low=SCALE[0], high=SCALE[1])


@dataclass
class TradeOffMatrix:
    """Options scored against weighted criteria, with exclusions, ranking and sensitivity."""

    options: list[Option] = field(default_factory=list)
    criteria: list[Criterion] = field(default_factory=list)
    scores: dict[tuple[str, str], Cell] = field(default_factory=dict)
    exclusions: list[Exclusion] = field(default_factory=list)

    # -- lookup ----------------------------------------------------------------------------------
    def option_names(self) -> list[str]:
        return [o.name for o in self.options]

    def criterion_names(self) -> list[str]:
        return [c.name for c in self.criteria]

    def _option_index(self, name: str) -> int:
        for i, o in enumerate(self.options):
            if o.name == name:
                return i
        raise StaffplusError("option", "no such option", name)

    def _criterion_index(self, name: str) -> int:
        for i, c in enumerate(self.criteria):
            if c.name == name:
                return i
        raise StaffplusError("criterion", "no such criterion", name)

    def cell(self, option: str, criterion: str) -> Cell:
        return self.scores.get((option, criterion), _UNSCORED)

    def is_excluded(self, option: str) -> bool:
        return any(e.option == option for e in self.exclusions)

    def feasible(self) -> list[str]:
        return [o.name for o in self.options if not self.is_excluded(o.name)]

    # -- editing (each validates fully before changing anything) ---------------------------------
    def add_option(self, name: Any, description: Any = "", baseline: bool = False) -> Option:
        clean = v.name("option name", name)
        v.unique("option name", [*self.option_names(), clean])
        if len(self.options) >= MAX_OPTIONS:
            raise StaffplusError("options", f"at most {MAX_OPTIONS} options", len(self.options))
        opt = Option(clean, v.text("option description", description, limit=1000), bool(baseline))
        self.options.append(opt)
        return opt

    def rename_option(self, old: str, new: Any) -> None:
        i = self._option_index(old)
        clean = v.name("option name", new)
        v.unique("option name", [n for k, n in enumerate(self.option_names()) if k != i] + [clean])
        self.options[i] = replace(self.options[i], name=clean)
        self.scores = {
            ((clean if o == old else o), c): cell for (o, c), cell in self.scores.items()
        }
        self.exclusions = [
            replace(e, option=clean) if e.option == old else e for e in self.exclusions
        ]

    def describe_option(self, name: str, description: Any) -> None:
        i = self._option_index(name)
        self.options[i] = replace(
            self.options[i], description=v.text("option description", description, limit=1000)
        )

    def remove_option(self, name: str) -> None:
        i = self._option_index(name)
        del self.options[i]
        self.scores = {k: c for k, c in self.scores.items() if k[0] != name}
        self.exclusions = [e for e in self.exclusions if e.option != name]

    def add_criterion(self, name: Any, weight: Any = 1.0, high_means: Any = "") -> Criterion:
        clean = v.name("criterion name", name)
        v.unique("criterion name", [*self.criterion_names(), clean])
        if len(self.criteria) >= MAX_CRITERIA:
            raise StaffplusError("criteria", f"at most {MAX_CRITERIA} criteria", len(self.criteria))
        w = _weight(f"weight of '{clean}'", weight)
        _keeps_a_weight(f"weight of '{clean}'", [*(c.weight for c in self.criteria), w], weight)
        crit = Criterion(clean, w, v.text("what a high score means", high_means, limit=300))
        self.criteria.append(crit)
        return crit

    def rename_criterion(self, old: str, new: Any) -> None:
        i = self._criterion_index(old)
        clean = v.name("criterion name", new)
        v.unique(
            "criterion name", [n for k, n in enumerate(self.criterion_names()) if k != i] + [clean]
        )
        self.criteria[i] = replace(self.criteria[i], name=clean)
        self.scores = {
            (o, (clean if c == old else c)): cell for (o, c), cell in self.scores.items()
        }

    def remove_criterion(self, name: str) -> None:
        i = self._criterion_index(name)
        rest = [c.weight for k, c in enumerate(self.criteria) if k != i]
        if rest:
            _keeps_a_weight(
                "criteria", rest, name, "the last criterion with a weight above 0 cannot be removed"
            )
        del self.criteria[i]
        self.scores = {k: c for k, c in self.scores.items() if k[1] != name}

    def set_weight(self, name: str, weight: Any) -> None:
        i = self._criterion_index(name)
        w = _weight(f"weight of '{name}'", weight)
        others = [c.weight for k, c in enumerate(self.criteria) if k != i]
        _keeps_a_weight(f"weight of '{name}'", [*others, w], weight)
        self.criteria[i] = replace(self.criteria[i], weight=w)

    def set_high_means(self, name: str, text: Any) -> None:
        i = self._criterion_index(name)
        self.criteria[i] = replace(
            self.criteria[i], high_means=v.text("what a high score means", text, limit=300)
        )

    def set_score(self, option: str, criterion: str, score: Any, why: Any = None) -> None:
        self._option_index(option)
        self._criterion_index(criterion)
        s = _score(f"score of '{option}' on '{criterion}'", score)
        old = self.cell(option, criterion)
        reason = old.why if why is None else v.text("justification", why, limit=300)
        self.scores[(option, criterion)] = Cell(s, reason)

    def exclude(self, option: str, constraint: Any, reason: Any) -> None:
        new = self._exclusion(option, constraint, reason)
        self.exclusions = [
            e
            for e in self.exclusions
            if not (e.option == option and e.constraint == new.constraint)
        ]
        self.exclusions.append(new)

    def _exclusion(self, option: str, constraint: Any, reason: Any) -> Exclusion:
        """A checked exclusion of ``option`` (which must exist) by ``constraint``, with its reason."""
        self._option_index(option)
        c = v.name("constraint", constraint)
        r = v.name("reason", reason) if isinstance(reason, str) and reason.strip() else ""
        if not r:
            raise StaffplusError("reason", "an exclusion needs a reason", reason)
        return Exclusion(option, c, r)

    def include(self, option: str | None = None, constraint: str | None = None) -> None:
        """Remove exclusions matching ``option`` and/or ``constraint`` (both None: all)."""
        self.exclusions = [
            e
            for e in self.exclusions
            if not (
                (option is None or e.option == option)
                and (constraint is None or e.constraint == constraint)
            )
        ]

    # -- results ---------------------------------------------------------------------------------
    def normalized_weights(self) -> dict[str, float]:
        total = sum(c.weight for c in self.criteria)
        if total <= 0:
            return {c.name: 0.0 for c in self.criteria}
        return {c.name: c.weight / total for c in self.criteria}

    def totals(self) -> dict[str, float]:
        """Weighted total per option (excluded options included, so they can be shown greyed)."""
        weights = list(self.normalized_weights().items())
        scores, middle = self.scores, _UNSCORED
        return {
            o.name: sum(w * scores.get((o.name, c), middle).score for c, w in weights)
            for o in self.options
        }

    def ranking(self) -> Ranking:
        totals = self.totals()
        order = {n: i for i, n in enumerate(totals)}  # options in their listed order
        feasible = sorted(self.feasible(), key=lambda n: (-totals[n], order[n]))
        ranks: list[int] = []
        rank = 0
        prev: float | None = None
        for idx, n in enumerate(feasible):
            t = totals[n]
            if prev is None or prev - t > TIE_TOLERANCE:
                rank = idx + 1
            prev = t
            ranks.append(rank)
        per_rank = Counter(ranks)
        rows = tuple(RankRow(n, totals[n], r, per_rank[r] > 1) for n, r in zip(feasible, ranks))
        winners = tuple(r.name for r in rows if r.rank == 1) if self.criteria else ()
        return Ranking(rows, winners, tuple(self.exclusions))

    def winner(self) -> str | None:
        w = self.ranking().winners
        return w[0] if w else None

    def _arrays(self) -> tuple[list[str], list[float], list[list[float]]]:
        names = self.feasible()
        weights = [c.weight for c in self.criteria]
        scores = [[self.cell(n, c.name).score for c in self.criteria] for n in names]
        return names, weights, scores

    def sensitivity(self) -> list[Sensitivity]:
        """For each criterion, the exact weight interval over which the current winner stays first.

        Empty when there is no single winner (no options, one option, or a tie for first): an
        interval for an arbitrary member of a tie would mislead.
        """
        winners = self.ranking().winners
        names, weights, scores = self._arrays()
        if len(winners) != 1 or len(names) < 2:
            return []
        winner = winners[0]
        w_idx = names.index(winner)
        out = []
        for k, crit in enumerate(self.criteria):
            rest = [(j, weights[j]) for j in range(len(weights)) if j != k]
            base_w = sum(wj for _, wj in rest)
            a = [sum(wj * scores[i][j] for j, wj in rest) for i in range(len(names))]
            lows: list[tuple[float, float, str]] = []  # (bound, slope, competitor)
            highs: list[tuple[float, float, str]] = []
            for i in range(len(names)):
                if i == w_idx:
                    continue
                d = a[w_idx] - a[i]  # winner's lead with this criterion's weight at 0
                e = scores[w_idx][k] - scores[i][k]  # how the lead changes per unit of weight
                if e > 0:
                    lows.append((-d / e, e, names[i]))  # competitor leads below this weight
                elif e < 0:
                    highs.append((d / -e, -e, names[i]))  # competitor overtakes above it
            low, below = 0.0, None
            if lows:
                bound, _, who = max(lows, key=lambda r: (r[0], r[1]))
                if bound > 0:
                    low, below = bound, who
            high, above = math.inf, None
            if highs:
                bound, _, who = min(highs, key=lambda r: (r[0], -r[1]))
                high, above = bound, who
            high = max(high, 0.0)
            out.append(
                Sensitivity(
                    crit.name,
                    crit.weight,
                    low,
                    high,
                    below,
                    above,
                    low / (base_w + low) if base_w + low > 0 else 0.0,
                    (high / (base_w + high) if base_w + high > 0 else 1.0)
                    if math.isfinite(high)
                    else 1.0,
                )
            )
        return out

    def robustness(self, draws: int = 10_000, spread: float = 0.5, seed: int = 0) -> float:
        """Share of random weight perturbations (each weight x U(1-spread, 1+spread)) the winner survives.

        With options tied for first, the share of draws in which one of the tied options stays first.
        The estimate is seeded, so a matrix always gets the same number. Below ``NUMPY_FROM``
        draw x option x criterion products it is computed in plain Python, above with numpy: the
        same estimator with different random streams, so the two agree within sampling error.
        """
        winners = self.ranking().winners
        names, weights, scores = self._arrays()
        if not winners:
            return 0.0
        if len(names) < 2:
            return 1.0
        job = _Draws(weights, scores, [names.index(w) for w in winners], draws, spread, seed)
        if draws * len(names) * len(weights) < NUMPY_FROM:
            return _robustness_python(job)
        return _robustness_numpy(job)

    # -- serialisation ---------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "scale": list(SCALE),
            "options": [
                {"name": o.name, "description": o.description, "baseline": o.baseline}
                for o in self.options
            ],
            "criteria": [
                {"name": c.name, "weight": c.weight, "high_means": c.high_means}
                for c in self.criteria
            ],
            "scores": [
                {"option": o, "criterion": c, "score": cell.score, "why": cell.why}
                for (o, c), cell in self.scores.items()
            ],
            "exclusions": [
                {"option": e.option, "constraint": e.constraint, "reason": e.reason}
                for e in self.exclusions
            ],
        }

    @classmethod
    def from_dict(cls, data: Any, *, where: str = "tradeoff") -> TradeOffMatrix:
        """The matrix stored in a work file; every rule of the file format and of the model is
        checked here once (the reader does not run the schema over a matrix that loads)."""
        if not isinstance(data, dict):
            raise StaffplusError(where, "must be a mapping", data)
        for key in ("options", "criteria", "scores", "exclusions"):
            if not isinstance(data.get(key, []), list):
                raise StaffplusError(f"{where}.{key}", "must be a list", data.get(key))
        scale = data.get("scale", [0, 0])
        if (
            type(scale) is not list
            or len(scale) != 2
            or any(type(x) not in (int, float) for x in scale)
        ):
            raise StaffplusError(f"{where}.scale", "must be a list of two numbers", scale)
        m = cls()
        m._read_options(data.get("options", []), where)
        m._read_criteria(data.get("criteria", []), where)
        m._read_scores(data.get("scores", []), where)
        # what exclude() does entry by entry (a later one for the same option and constraint
        # replaces the earlier), in one pass: a file of many exclusions loads in linear time
        kept: dict[tuple[str, str], Exclusion] = {}
        for e in data.get("exclusions", []):
            if not isinstance(e, dict):
                raise StaffplusError(f"{where}.exclusions", "must be a list of mappings", e)
            new = m._exclusion(e.get("option"), e.get("constraint"), e.get("reason"))
            kept.pop((new.option, new.constraint), None)
            kept[new.option, new.constraint] = new
        m.exclusions = list(kept.values())
        return m

    def _read_options(self, options: list[Any], where: str) -> None:
        for i, o in enumerate(options):
            if not isinstance(o, dict):
                raise StaffplusError(f"{where}.options[{i}]", "must be a mapping", o)
            v.as_stored(f"{where}.options[{i}]", o, _STORED_OPTION)
            self.add_option(o.get("name"), o.get("description", ""), o.get("baseline", False))

    def _read_criteria(self, criteria: list[Any], where: str) -> None:
        v.at_most(f"{where}.criteria", criteria, MAX_CRITERIA)
        seen: set[str] = set()
        for i, c in enumerate(criteria):
            if not isinstance(c, dict):
                raise StaffplusError(f"{where}.criteria[{i}]", "must be a mapping", c)
            v.as_stored(f"{where}.criteria[{i}]", c, _STORED_CRITERION)
            self.criteria.append(
                Criterion(
                    v.name("criterion name", c.get("name")),
                    _weight(f"{where}.criteria[{i}].weight", c.get("weight")),
                    v.text("what a high score means", c.get("high_means", ""), limit=300),
                )
            )
            v.claim("criterion name", seen, self.criteria[-1].name)
        if self.criteria:
            weights = [c.weight for c in self.criteria]
            _keeps_a_weight(f"{where}.criteria", weights, weights)

    def _read_scores(self, scores: list[Any], where: str) -> None:
        v.at_most(f"{where}.scores", scores, MAX_OPTIONS * MAX_CRITERIA)
        options, criteria = set(self.option_names()), set(self.criterion_names())
        for i, s in enumerate(scores):
            if not isinstance(s, dict):
                raise StaffplusError(f"{where}.scores[{i}]", "must be a mapping", s)
            v.as_stored(f"{where}.scores[{i}]", s, _STORED_SCORE)
            option, criterion = s.get("option"), s.get("criterion")
            if (
                type(option) is str
                and option in options
                and type(criterion) is str
                and criterion in criteria
            ):
                # what set_score does, without looking the names up one by one
                self.scores[(option, criterion)] = Cell(
                    _score(("score of '", option, "' on '", criterion, "'"), s.get("score")),
                    v.text("justification", s.get("why", ""), limit=300),
                )
            else:
                self.set_score(option, criterion, s.get("score"), s.get("why", ""))  # raises

    def copy(self) -> TradeOffMatrix:
        return TradeOffMatrix(
            list(self.options), list(self.criteria), dict(self.scores), list(self.exclusions)
        )

    @classmethod
    def from_scenario(
        cls, scenario_data: dict[str, Any], *, with_scores: bool = True
    ) -> TradeOffMatrix:
        """The scenario's reference matrix (``with_scores=False`` leaves every cell at the midpoint)."""
        m = cls()
        for o in scenario_data["options"]:
            m.add_option(o["name"], o["description"], bool(o.get("baseline", False)))
        for c in scenario_data["criteria"]:
            m.add_criterion(c["name"], c["weight"], c["high_means"])
        if with_scores:
            for o in scenario_data["options"]:
                for cname, cell in o["scores"].items():
                    m.set_score(o["name"], cname, cell["score"], cell["why"])
        return m

    def apply_variant(self, variant: dict[str, Any]) -> None:
        """Apply a scenario constraint variant: exclusions with reasons, and any weight changes."""
        for ex in variant.get("excludes", []):
            if ex["option"] in self.option_names():
                self.exclude(ex["option"], variant["id"], ex["reason"])
        for cname, w in variant.get("weight_changes", {}).items():
            if cname in self.criterion_names():
                self.set_weight(cname, w)


# Importing numpy costs a kernel about 65 ms, more than the whole plain-Python estimate for a
# typical matrix (4 options x 7 criteria x 10,000 draws: about 25 ms), and a workbook shows the
# robustness the moment its matrix has a single winner. So numpy is used only where it pays:
# from this many draw x option x criterion products on (the benchmark's 10 x 12 matrix is 1.2M).
NUMPY_FROM = 400_000


@dataclass(frozen=True)
class _Draws:
    """One robustness estimate to compute: the matrix, the winners' rows and the draws."""

    weights: list[float]
    scores: list[list[float]]
    winner_rows: list[int]
    draws: int
    spread: float
    seed: int


def _robustness_python(job: _Draws) -> float:
    """The robustness estimate with the standard library's generator (same definition as numpy's)."""
    rand = random.Random(job.seed).random
    low, width = 1 - job.spread, 2 * job.spread
    holds = 0
    for _ in range(job.draws):
        w = [b * (low + width * rand()) for b in job.weights]
        denom = sum(w) or 1.0
        totals = [sum(map(mul, w, row)) / denom for row in job.scores]
        if max(totals[i] for i in job.winner_rows) >= max(totals) - TIE_TOLERANCE:
            holds += 1
    return holds / job.draws


def _robustness_numpy(job: _Draws) -> float:
    import numpy as np

    rng = np.random.default_rng(job.seed)
    w = np.asarray(job.weights, dtype=float) * rng.uniform(
        1 - job.spread, 1 + job.spread, size=(job.draws, len(job.weights))
    )
    denom = w.sum(axis=1, keepdims=True)
    denom[denom == 0] = 1.0
    totals = (w @ np.asarray(job.scores, dtype=float).T) / denom
    best = totals.max(axis=1)
    top = totals[:, job.winner_rows].max(axis=1)
    return float((top >= best - TIE_TOLERANCE).mean())
