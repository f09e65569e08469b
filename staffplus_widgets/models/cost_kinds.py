"""The kinds of cost line and their fields: units, defaults, bounds, help and formula.

A widget renders a line's inputs from its kind's fields, and ``cost.line_cost`` prints the kind's
formula with the learner's numbers. Re-exported by ``models.cost``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core import validation as v

HOURS_PER_MONTH = 730.0  # 365 * 24 / 12, the convention cloud price sheets use
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600.0
DAYS_PER_MONTH = 30.4


@dataclass(frozen=True)
class FieldSpec:
    """One numeric input of a line item: its unit, default and allowed range."""

    key: str
    label: str
    unit: str
    default: float | None
    low: float = 0.0
    high: float = v.MAX_MAGNITUDE
    help: str = ""
    low_inclusive: bool = True


@dataclass(frozen=True)
class KindSpec:
    """One kind of cost line: its title, input fields, formula and link to a catalogue price."""

    kind: str
    title: str
    fields: tuple[FieldSpec, ...]
    formula: str
    variable_by_default: bool
    price_field: str | None = None  # the field a catalogue entry can fill
    catalogue: str | None = None  # which catalogue section names the price
    catalogue_key: str | None = None  # the line attribute naming the catalogue entry


def _f(*args: Any, **kwargs: Any) -> FieldSpec:
    return FieldSpec(*args, **kwargs)


KINDS: dict[str, KindSpec] = {
    "inference": KindSpec(
        "inference",
        "Online inference",
        (
            _f("peak_qps", "Peak QPS", "requests/s", None, 0, 1e9, "Busiest-minute request rate"),
            _f(
                "peak_to_average",
                "Peak / average",
                "x",
                2.0,
                1,
                100,
                "Peak QPS over mean QPS; sets monthly prediction volume",
            ),
            _f(
                "throughput_per_instance",
                "Throughput",
                "requests/s per instance",
                None,
                0,
                1e7,
                "Requests one instance serves at 100% load",
                low_inclusive=False,
            ),
            _f(
                "target_utilization",
                "Target utilization",
                "fraction",
                0.6,
                0,
                1,
                "Headroom for spikes and deploys (0.5-0.7 typical)",
                low_inclusive=False,
            ),
            _f(
                "redundancy",
                "Redundancy",
                "x",
                1.0,
                1,
                10,
                "2 for an active-active second region, 1.5 for N+50%",
            ),
            _f(
                "hourly_usd",
                "Instance price",
                "USD/instance-hour",
                None,
                0,
                1e4,
                "On-demand price of one instance",
            ),
        ),
        "ceil(peak QPS x traffic / (throughput x utilization)) x redundancy instances x USD/h x 730 h",
        True,
        "hourly_usd",
        "instances",
        "instance",
    ),
    "batch": KindSpec(
        "batch",
        "Training and batch jobs",
        (
            _f("hours_per_run", "Hours per run", "instance-hours per instance", None, 0, 1e5),
            _f("runs_per_month", "Runs per month", "runs/month", None, 0, 1e5),
            _f("instances", "Instances per run", "instances", 1.0, 0, 1e5),
            _f("hourly_usd", "Instance price", "USD/instance-hour", None, 0, 1e4),
        ),
        "hours per run x runs per month x instances x USD/h (x traffic when data grows with it)",
        True,
        "hourly_usd",
        "instances",
        "instance",
    ),
    "storage": KindSpec(
        "storage",
        "Storage",
        (
            _f("gb", "Data stored", "GB", None, 0, 1e12),
            _f("usd_per_gb_month", "Storage price", "USD/GB-month", None, 0, 100),
        ),
        "GB x USD/GB-month (x traffic when data grows with it)",
        True,
        "usd_per_gb_month",
        "storage",
        "storage",
    ),
    "pipeline": KindSpec(
        "pipeline",
        "Streaming / feature pipeline",
        (
            _f("nodes", "Cluster nodes", "instances", None, 0, 1e5),
            _f("hourly_usd", "Node price", "USD/instance-hour", None, 0, 1e4),
        ),
        "nodes x USD/h x 730 h (a fixed cluster: does not grow with traffic until resized)",
        False,
        "hourly_usd",
        "instances",
        "instance",
    ),
    "labeling": KindSpec(
        "labeling",
        "Data labeling",
        (
            _f("labels_per_month", "Labels", "labels/month", None, 0, 1e10),
            _f("usd_per_label", "Price per label", "USD/label", None, 0, 1e4),
        ),
        "labels per month x USD/label",
        True,
        "usd_per_label",
        "labeling",
        "labeling",
    ),
    "review": KindSpec(
        "review",
        "Human review",
        (
            _f("cases_per_day", "Cases", "cases/day", None, 0, 1e8),
            _f("minutes_per_case", "Handling time", "minutes/case", None, 0, 600),
            _f(
                "hours_per_shift",
                "Productive hours per shift",
                "hours",
                8.0,
                0,
                24,
                low_inclusive=False,
            ),
            _f("hourly_usd", "Loaded reviewer cost", "USD/hour", None, 0, 1e4),
            _f("days_per_month", "Review days", "days/month", DAYS_PER_MONTH, 0, 31),
        ),
        "cases/day x minutes/60 = review hours/day; / hours per shift = reviewers; hours/day x days x USD/h",
        True,
        "hourly_usd",
        "labour",
        "labour",
    ),
    "people": KindSpec(
        "people",
        "People (build and run)",
        (
            _f("fte", "Engineers", "FTE", None, 0, 1e4),
            _f("annual_usd", "Loaded cost", "USD/FTE-year", 250_000.0, 0, 1e8),
        ),
        "FTE x loaded annual cost / 12",
        False,
    ),
}
