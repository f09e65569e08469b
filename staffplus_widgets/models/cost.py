"""Cost model: line items with explicit units and readable formulas, totals and growth projections.

Every line item is one of a few kinds (online inference, batch jobs, storage, a fixed pipeline
cluster, labeling, human review, people). Each kind declares its fields with units and bounds, so a
widget can render the inputs generically and every formula can be printed with the learner's numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from ..core import validation as v
from ..core.errors import StaffplusError
from .cost_kinds import (  # noqa: F401 - the kinds and units are reached through this module too
    DAYS_PER_MONTH,
    HOURS_PER_MONTH,
    KINDS,
    SECONDS_PER_MONTH,
    FieldSpec,
    KindSpec,
)

PROJECTION_MULTIPLIERS = (1.0, 3.0, 10.0)
MAX_LINES = 100  # lines a stored cost model may have (work.schema.json)


# The price catalogue a line's ``instance``/``role``/... reference is looked up in:
# {section: {entry: {field: value}}}. The data layer reads the shipped one
# (``staffplus_widgets.data.prices``); a model only receives it.
Prices = Mapping[str, Mapping[str, Mapping[str, Any]]]
NO_PRICES: Prices = MappingProxyType({})


def catalogue_price(
    prices: Prices, section: str, key: str, price_field: str, *, where: str = ""
) -> float:
    """The price of catalogue entry ``section``/``key`` for a line's ``price_field``; an unknown
    key is reported at ``where`` (the field path of the line's reference) when given."""
    entries = prices.get(section, {})
    if key not in entries:
        raise StaffplusError(
            where or f"{section} entry",
            f"is not in the price catalogue's {section} ({', '.join(sorted(entries))})",
            key,
        )
    entry = entries[key]
    # labour entries are hourly; the catalogue names the field the same way as the line item
    return float(entry.get(price_field, entry.get("hourly_usd")))


@cache
def _known_fields(kind: str) -> frozenset[str]:
    """Every key a line of ``kind`` may have."""
    spec = KINDS[kind]
    known = {f.key for f in spec.fields} | {"kind", "name", "scales_with_traffic", "note"}
    if spec.catalogue_key:
        known.add(spec.catalogue_key)
    return frozenset(known)


@dataclass(frozen=True)
class LineItem:
    """One validated cost line. ``values`` holds every numeric field of its kind, defaults filled."""

    kind: str
    name: str
    values: dict[str, float]
    scales_with_traffic: bool
    price_ref: str | None = None  # catalogue entry the price came from, when it did
    note: str = ""

    @classmethod
    def create(
        cls, data: dict[str, Any], *, where: str = "line", prices: Prices = NO_PRICES
    ) -> LineItem:
        return cls.checked(data, where=where, prices=prices)[0]

    @classmethod
    def checked(
        cls, data: dict[str, Any], *, where: str = "line", prices: Prices = NO_PRICES
    ) -> tuple[LineItem, float]:
        """``create``, and the line's monthly cost at the largest projection (found finite)."""
        if not isinstance(data, dict):
            raise StaffplusError(where, "must be a mapping of fields", data)
        kind = data.get("kind")
        if type(kind) is not str or kind not in KINDS:
            raise StaffplusError(f"{where}.kind", f"must be one of {', '.join(KINDS)}", kind)
        spec = KINDS[kind]
        line_name = v.name((where, ".name"), data.get("name"))
        path, where = where, f"{where} '{line_name}'"
        known = _known_fields(kind)
        if not data.keys() <= known:
            unknown = sorted(set(data) - known)
            raise StaffplusError(
                f"{where}.{unknown[0]}", f"is not a field of a {kind} line", data[unknown[0]]
            )
        price_ref = data.get(spec.catalogue_key) if spec.catalogue_key else None
        values: dict[str, float] = {}
        for fs in spec.fields:
            raw = data.get(fs.key)
            if raw is None and fs.key == spec.price_field and price_ref:
                raw = catalogue_price(
                    prices,
                    spec.catalogue or "",
                    str(price_ref),
                    fs.key,
                    where=f"{path}.{spec.catalogue_key}",
                )
            if raw is None:
                if fs.default is None:
                    raise StaffplusError(
                        f"{where}.{fs.key}", f"is required ({fs.unit})", None, has_value=False
                    )
                raw = fs.default
            values[fs.key] = v.number(
                (where, ".", fs.key), raw, low=fs.low, high=fs.high, low_inclusive=fs.low_inclusive
            )
        scales = data.get("scales_with_traffic", spec.variable_by_default)
        if not isinstance(scales, bool):
            raise StaffplusError(f"{where}.scales_with_traffic", "must be true or false", scales)
        note = v.text((where, ".note"), data.get("note", ""), limit=500)
        line = cls(kind, line_name, values, scales, str(price_ref) if price_ref else None, note)
        return line, _check_computable(line, where)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "name": self.name}
        out.update(self.values)
        spec = KINDS[self.kind]
        if self.price_ref and spec.catalogue_key:
            out[spec.catalogue_key] = self.price_ref
        if self.scales_with_traffic != spec.variable_by_default:
            out["scales_with_traffic"] = self.scales_with_traffic
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class LineCost:
    """The monthly cost of one line item, with its formula and the volumes behind it."""

    name: str
    kind: str
    monthly_usd: float
    variable: bool
    formula: str
    predictions: float = 0.0
    instances: float = 0.0
    reviewers: float = 0.0


def _check_computable(line: LineItem, where: str) -> float:
    """Each value may be in range and the cost still not a number: 1e-310 requests a second per
    instance needs infinitely many instances. Refuse such a line with the fields that make it;
    return the monthly cost at the largest projection (what ``_check_total`` adds up)."""
    try:
        # cost only grows with traffic: the largest projection is the one that can overflow
        worst = line_cost(line, max(PROJECTION_MULTIPLIERS), formulas=False).monthly_usd
    except (OverflowError, ValueError):
        worst = math.inf
    if not math.isfinite(worst):
        fields = ", ".join(fs.key for fs in KINDS[line.kind].fields)
        raise StaffplusError(
            where,
            f"gives a monthly cost too large to compute (at x10 traffic); check {fields}",
            None,
            has_value=False,
        )
    return worst


def _money(x: float) -> str:
    return f"${x:,.0f}" if abs(x) >= 100 else f"${x:,.2f}"


def line_cost(line: LineItem, traffic: float = 1.0, *, formulas: bool = True) -> LineCost:
    """Monthly cost of one line at ``traffic`` times today's volume, with the formula filled in.

    ``formulas=False`` leaves the formula text empty, for callers that only need the numbers.
    """
    x = line.values
    grow = traffic if line.scales_with_traffic else 1.0
    if line.kind == "inference":
        qps = x["peak_qps"] * traffic
        raw = qps / (x["throughput_per_instance"] * x["target_utilization"])
        instances = math.ceil(math.ceil(raw - 1e-9) * x["redundancy"] - 1e-9) if qps > 0 else 0
        monthly = instances * x["hourly_usd"] * HOURS_PER_MONTH
        predictions = qps / x["peak_to_average"] * SECONDS_PER_MONTH
        formula = (
            (
                f"ceil({qps:,.0f} / ({x['throughput_per_instance']:,.0f} x {x['target_utilization']:g}))"
                f" x {x['redundancy']:g} = {instances:,} instances x ${x['hourly_usd']:g}/h x 730 h"
                f" = {_money(monthly)}"
            )
            if formulas
            else ""
        )
        return LineCost(line.name, line.kind, monthly, True, formula, predictions, instances)
    if line.kind == "batch":
        monthly = x["hours_per_run"] * x["runs_per_month"] * x["instances"] * x["hourly_usd"] * grow
        formula = (
            (
                f"{x['hours_per_run']:g} h x {x['runs_per_month']:g} runs x {x['instances']:g} instances"
                f" x ${x['hourly_usd']:g}/h"
                + (f" x {grow:g}" if grow != 1 else "")
                + f" = {_money(monthly)}"
            )
            if formulas
            else ""
        )
        return LineCost(line.name, line.kind, monthly, line.scales_with_traffic, formula)
    if line.kind == "storage":
        gb = x["gb"] * grow
        monthly = gb * x["usd_per_gb_month"]
        formula = (
            f"{gb:,.0f} GB x ${x['usd_per_gb_month']:g}/GB-month = {_money(monthly)}"
            if formulas
            else ""
        )
        return LineCost(line.name, line.kind, monthly, line.scales_with_traffic, formula)
    if line.kind == "pipeline":
        nodes = x["nodes"] * grow
        monthly = nodes * x["hourly_usd"] * HOURS_PER_MONTH
        formula = (
            f"{nodes:g} nodes x ${x['hourly_usd']:g}/h x 730 h = {_money(monthly)}"
            if formulas
            else ""
        )
        return LineCost(
            line.name, line.kind, monthly, line.scales_with_traffic, formula, instances=nodes
        )
    if line.kind == "labeling":
        labels = x["labels_per_month"] * grow
        monthly = labels * x["usd_per_label"]
        formula = (
            f"{labels:,.0f} labels x ${x['usd_per_label']:g} = {_money(monthly)}"
            if formulas
            else ""
        )
        return LineCost(line.name, line.kind, monthly, line.scales_with_traffic, formula)
    if line.kind == "review":
        cases = x["cases_per_day"] * grow
        hours_per_day = cases * x["minutes_per_case"] / 60.0
        reviewers = hours_per_day / x["hours_per_shift"]
        monthly = hours_per_day * x["days_per_month"] * x["hourly_usd"]
        formula = (
            (
                f"{cases:,.0f} cases/day x {x['minutes_per_case']:g} min / 60 = {hours_per_day:,.1f} h/day"
                f" -> {reviewers:,.1f} reviewers on {x['hours_per_shift']:g} h shifts;"
                f" {hours_per_day:,.1f} h x {x['days_per_month']:g} days x ${x['hourly_usd']:g}/h = {_money(monthly)}"
            )
            if formulas
            else ""
        )
        return LineCost(
            line.name, line.kind, monthly, line.scales_with_traffic, formula, reviewers=reviewers
        )
    if line.kind == "people":
        fte = x["fte"] * grow
        monthly = fte * x["annual_usd"] / 12.0
        formula = (
            f"{fte:g} FTE x ${x['annual_usd']:,.0f}/year / 12 = {_money(monthly)}"
            if formulas
            else ""
        )
        return LineCost(line.name, line.kind, monthly, line.scales_with_traffic, formula)
    raise StaffplusError(
        "kind", "unknown line kind", line.kind
    )  # pragma: no cover - create() guards


@dataclass(frozen=True)
class CostEstimate:
    """A model's monthly cost at one traffic multiple: line costs, total and cost per 1,000."""

    traffic: float
    lines: tuple[LineCost, ...]
    total: float
    predictions_per_month: float
    cost_per_1000: float | None
    reviewers: float

    @property
    def dominant(self) -> LineCost | None:
        return max(self.lines, key=lambda c: c.monthly_usd) if self.lines else None

    def share(self, name: str) -> float:
        for c in self.lines:
            if c.name == name:
                return c.monthly_usd / self.total if self.total else 0.0
        raise KeyError(name)


@dataclass
class CostModel:
    """An ordered list of line items. Updates validate the whole new line before changing anything."""

    lines: list[LineItem] = field(default_factory=list)
    # where lines that name a catalogue entry instead of a price get it from
    prices: Prices = field(default_factory=lambda: NO_PRICES, repr=False, compare=False)

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Any, *, where: str = "cost", prices: Prices = NO_PRICES) -> CostModel:
        if data is None:
            return cls(prices=prices)
        if not isinstance(data, dict) or not isinstance(data.get("lines", []), list):
            raise StaffplusError(where, "must be a mapping with a list of lines", data)
        v.at_most(f"{where}.lines", data.get("lines", []), MAX_LINES)
        return cls._from_list(data.get("lines", []), f"{where}.lines", where, prices)

    @classmethod
    def from_lines(
        cls, lines: list[dict[str, Any]], *, where: str = "lines", prices: Prices = NO_PRICES
    ) -> CostModel:
        """A model of ``lines``; ``where`` is the field path of the list itself."""
        if not isinstance(lines, list):
            raise StaffplusError(where, "must be a list of lines", lines)
        return cls._from_list(lines, where, where, prices)

    @classmethod
    def _from_list(
        cls, lines: list[Any], lines_where: str, where: str, prices: Prices
    ) -> CostModel:
        model = cls(prices=prices)
        seen: set[str] = set()
        peaks = []
        for i, raw in enumerate(lines):
            line, peak = LineItem.checked(raw, where=f"{lines_where}[{i}]", prices=prices)
            v.claim("cost line names", seen, line.name)
            model.lines.append(line)
            peaks.append(peak)
        model._check_total(where, peaks=peaks)
        return model

    def to_dict(self) -> dict[str, Any]:
        return {"lines": [line.to_dict() for line in self.lines]}

    def copy(self) -> CostModel:
        return CostModel(list(self.lines), self.prices)

    # -- editing -------------------------------------------------------------------------------
    def names(self) -> list[str]:
        return [line.name for line in self.lines]

    def line(self, name: str) -> LineItem:
        for line in self.lines:
            if line.name == name:
                return line
        raise StaffplusError("line", "no such cost line", name)

    def add_line(self, data: dict[str, Any], *, where: str = "line") -> LineItem:
        if len(self.lines) >= MAX_LINES:  # a saved model must load again
            raise StaffplusError("lines", f"at most {MAX_LINES} cost lines", len(self.lines))
        line = LineItem.create(data, where=where, prices=self.prices)
        v.unique("cost line names", [*self.names(), line.name])
        self._check_total(where, [*self.lines, line])
        self.lines.append(line)
        return line

    def update_line(self, name: str, /, **changes: Any) -> LineItem:
        """Change fields of one line (including ``name``); nothing changes if any value is bad."""
        index = self.names().index(self.line(name).name)
        merged = self.lines[index].to_dict()
        if any(k in changes for k in ("hourly_usd", "usd_per_gb_month", "usd_per_label")):
            # an explicit price replaces the catalogue entry it came from
            spec = KINDS[merged["kind"]]
            if spec.catalogue_key:
                merged.pop(spec.catalogue_key, None)
        merged.update(changes)
        line = LineItem.create(merged, where="line", prices=self.prices)
        others = [n for i, n in enumerate(self.names()) if i != index]
        v.unique("cost line names", [*others, line.name])
        self._check_total("line", [*self.lines[:index], line, *self.lines[index + 1 :]])
        self.lines[index] = line
        return line

    def _check_total(
        self, where: str, lines: list[LineItem] | None = None, peaks: list[float] | None = None
    ) -> None:
        """Each line may be computable and their sum still not (26 lines of 1e306 dollars).
        ``peaks`` are the lines' costs at the largest projection when the caller has them."""
        if peaks is None:
            top = max(PROJECTION_MULTIPLIERS)
            lines = self.lines if lines is None else lines
            peaks = [line_cost(line, top, formulas=False).monthly_usd for line in lines]
        total = sum(peaks)
        if not math.isfinite(total):
            raise StaffplusError(
                where, "makes the monthly total too large to compute (at x10 traffic)", None,
                has_value=False,
            )  # fmt: skip

    def remove_line(self, name: str) -> None:
        self.lines.remove(self.line(name))

    # -- results -------------------------------------------------------------------------------
    def estimate(self, traffic: float = 1.0, *, formulas: bool = True) -> CostEstimate:
        """Every line's monthly cost at ``traffic`` and the totals (``formulas=False``: numbers only)."""
        traffic = v.number("traffic multiplier", traffic, low=0, high=1e6, low_inclusive=False)
        costs = tuple(line_cost(line, traffic, formulas=formulas) for line in self.lines)
        total = sum(c.monthly_usd for c in costs)
        predictions = sum(c.predictions for c in costs)
        per_1000 = total / predictions * 1000.0 if predictions > 0 else None
        reviewers = sum(c.reviewers for c in costs)
        return CostEstimate(traffic, costs, total, predictions, per_1000, reviewers)

    def projection(
        self, multipliers: tuple[float, ...] = PROJECTION_MULTIPLIERS
    ) -> list[CostEstimate]:
        """Estimates at each traffic multiplier: shows which line dominates as the system grows."""
        return [self.estimate(m) for m in multipliers]


def compare(models: dict[str, CostModel], traffic: float = 1.0) -> list[tuple[str, CostEstimate]]:
    """Side-by-side estimates of several design options, cheapest first."""
    rows = [(label, model.estimate(traffic)) for label, model in models.items()]
    return sorted(rows, key=lambda r: r[1].total)


def range_check(total: float, low: float, high: float) -> tuple[str, float]:
    """Where ``total`` sits against a reference range: ("inside"|"below"|"above", relative gap)."""
    if total < low:
        return "below", (low - total) / low if low else 0.0
    if total > high:
        return "above", (total - high) / high if high else math.inf
    return "inside", 0.0
