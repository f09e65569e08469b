"""Cost model: worked examples, linear scaling of variable lines, validation, catalogue."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffplus_widgets.core.errors import StaffplusError
from staffplus_widgets.data.prices import price_catalogue
from staffplus_widgets.models.cost import (
    KINDS,
    CostModel,
    LineItem,
    line_cost,
    range_check,
)


def model(*lines: dict) -> CostModel:
    """A cost model of ``lines`` priced from the catalogue."""
    return CostModel.from_lines(prices=price_catalogue(), lines=list(lines))


def test_worked_example_fraud_review_band():
    # 9,600 cases/day x 1 min / 60 = 160 review hours/day; / 8 h shifts = 20 reviewers
    m = model(
        {
            "kind": "review",
            "name": "Review band",
            "cases_per_day": 9600,
            "minutes_per_case": 1,
            "hourly_usd": 45,
            "hours_per_shift": 8,
        }
    )
    e = m.estimate()
    assert e.reviewers == pytest.approx(20.0)
    assert e.total == pytest.approx(160 * 30.4 * 45)  # 218,880 USD a month
    assert "20.0 reviewers" in e.lines[0].formula


def test_worked_example_inference_and_cost_per_1000():
    # 3,000 peak QPS / (400 req/s x 0.6) = 12.5 -> 13 instances, x2 regions = 26; 26 x 0.17 x 730
    m = model(
        {
            "kind": "inference",
            "name": "Scoring",
            "peak_qps": 3000,
            "peak_to_average": 3,
            "throughput_per_instance": 400,
            "target_utilization": 0.6,
            "redundancy": 2,
            "instance": "c6i.xlarge",
        }
    )
    e = m.estimate()
    assert e.lines[0].instances == 26
    assert e.total == pytest.approx(26 * 0.17 * 730)
    predictions = 1000 * 730 * 3600  # average QPS 1,000 over a 730-hour month
    assert e.predictions_per_month == pytest.approx(predictions)
    assert e.cost_per_1000 == pytest.approx(e.total / predictions * 1000)


def test_worked_example_people_storage_labeling_batch_pipeline():
    m = model(
        {"kind": "people", "name": "Team", "fte": 3, "annual_usd": 240000},
        {"kind": "storage", "name": "Logs", "gb": 10000, "storage": "s3-standard"},
        {"kind": "labeling", "name": "Labels", "labels_per_month": 50000, "usd_per_label": 0.08},
        {
            "kind": "batch",
            "name": "Train",
            "hours_per_run": 6,
            "runs_per_month": 4,
            "instances": 2,
            "hourly_usd": 1.0,
        },
        {"kind": "pipeline", "name": "Kafka+Flink", "nodes": 6, "hourly_usd": 0.384},
    )
    by = {c.name: c.monthly_usd for c in m.estimate().lines}
    assert by == pytest.approx(
        {"Team": 60000, "Logs": 230, "Labels": 4000, "Train": 48, "Kafka+Flink": 6 * 0.384 * 730}
    )


def test_projection_shows_dominant_line_shift():
    m = model(
        {"kind": "people", "name": "Team", "fte": 2},
        {
            "kind": "review",
            "name": "Review",
            "cases_per_day": 500,
            "minutes_per_case": 2,
            "hourly_usd": 45,
        },
    )
    p = m.projection()
    assert [e.traffic for e in p] == [1.0, 3.0, 10.0]
    assert p[0].dominant.name == "Team" and p[2].dominant.name == "Review"


@pytest.mark.parametrize(
    "field, bad, message",
    [
        ("peak_qps", "lots", "must be a number"),
        ("peak_qps", float("nan"), "NaN"),
        ("peak_qps", -5, "negative"),
        ("peak_qps", 2e9, "at most"),
        ("peak_qps", float("inf"), "finite"),
        ("target_utilization", 0, "greater than 0"),
        ("target_utilization", 1.5, "at most 1"),
        ("throughput_per_instance", 0, "greater than 0"),
        ("name", "", "cannot be empty"),
        ("name", "Storage", "duplicate"),
        ("bogus", 1, "not a field"),
    ],
)
def test_bad_updates_rejected_and_nothing_applied(field, bad, message):
    m = model(
        {
            "kind": "inference",
            "name": "Scoring",
            "peak_qps": 100,
            "throughput_per_instance": 50,
            "hourly_usd": 0.2,
        },
        {"kind": "storage", "name": "Storage", "gb": 10, "usd_per_gb_month": 0.02},
    )
    before = m.to_dict()
    with pytest.raises(StaffplusError, match=message):
        m.update_line("Scoring", **{field: bad})
    assert m.to_dict() == before


def test_missing_required_field_and_unknown_catalogue_key():
    with pytest.raises(StaffplusError, match="peak_qps: is required"):
        model({"kind": "inference", "name": "x", "throughput_per_instance": 1, "hourly_usd": 1})
    with pytest.raises(StaffplusError, match="not in the price catalogue"):
        model({"kind": "storage", "name": "x", "gb": 1, "storage": "floppy"})
    with pytest.raises(StaffplusError, match="kind"):
        model({"kind": "magic", "name": "x"})


def test_explicit_price_overrides_catalogue():
    m = model({"kind": "storage", "name": "S", "gb": 100, "storage": "s3-standard"})
    m.update_line("S", usd_per_gb_month=0.01)
    assert m.line("S").price_ref is None and m.estimate().total == pytest.approx(1.0)


def test_catalogue_has_sources_and_dates():
    cat = price_catalogue()
    assert cat["read_on"]
    for section in ("instances", "storage", "labeling", "labour"):
        for key, entry in cat[section].items():
            assert entry["source"].startswith("https://"), key


def test_range_check():
    assert range_check(50, 100, 200) == ("below", 0.5)
    assert range_check(150, 100, 200) == ("inside", 0.0)
    assert range_check(300, 100, 200) == ("above", 0.5)


# -- properties --------------------------------------------------------------------------------------
def _line(kind: str, draw) -> dict:
    spec = KINDS[kind]
    data = {"kind": kind, "name": f"{kind} line"}
    for f in spec.fields:
        lo = max(f.low, 0.01) if not f.low_inclusive else f.low
        hi = min(f.high, 1e5)
        data[f.key] = draw(
            st.floats(lo if lo > 0 else 0.01, hi, allow_nan=False, allow_infinity=False)
        )
    return data


@st.composite
def lines(draw):
    kind = draw(st.sampled_from(list(KINDS)))
    return _line(kind, draw)


@settings(max_examples=150, deadline=None)
@given(lines(), st.floats(1.0, 50.0))
def test_variable_lines_scale_linearly_fixed_lines_do_not(data, k):
    item = LineItem.create(data)
    one, many = line_cost(item, 1.0), line_cost(item, k)
    if item.kind == "inference":
        # whole instances: linear up to rounding of at most one instance per redundancy step
        x = item.values
        raw1 = x["peak_qps"] / (x["throughput_per_instance"] * x["target_utilization"])
        per_instance = x["hourly_usd"] * 730
        exact = raw1 * k * x["redundancy"] * per_instance
        assert exact - 1e-6 <= many.monthly_usd + 1e-6
        assert many.monthly_usd <= exact + (x["redundancy"] + 1) * per_instance + 1e-6
        assert many.predictions == pytest.approx(one.predictions * k)
    elif item.scales_with_traffic:
        assert many.monthly_usd == pytest.approx(one.monthly_usd * k, rel=1e-9, abs=1e-9)
    else:
        assert many.monthly_usd == pytest.approx(one.monthly_usd)


@settings(max_examples=80, deadline=None)
@given(st.lists(lines(), max_size=6))
def test_serialise_load_identity(raw_lines):
    m = CostModel()
    for i, data in enumerate(raw_lines):
        m.add_line({**data, "name": f"{data['name']} {i}"})
    again = CostModel.from_dict(prices=price_catalogue(), data=m.to_dict())
    assert again.to_dict() == m.to_dict()
    assert math.isclose(again.estimate().total, m.estimate().total, rel_tol=1e-12, abs_tol=1e-9)


def test_a_model_that_can_be_saved_can_be_loaded_again_so_lines_stop_at_the_limit():
    from staffplus_widgets.models.cost import MAX_LINES

    model = CostModel(prices=price_catalogue())
    line = {"kind": "storage", "gb": 10, "usd_per_gb_month": 0.02}
    for i in range(MAX_LINES):
        model.add_line({**line, "name": f"bucket {i}"})
    with pytest.raises(StaffplusError, match=f"at most {MAX_LINES} cost lines"):
        model.add_line({**line, "name": "one more"})
    assert len(model.lines) == MAX_LINES
    assert (
        CostModel.from_dict(model.to_dict(), prices=price_catalogue()).to_dict() == model.to_dict()
    )
