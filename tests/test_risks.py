"""Risk register: severity ordering, the 5x5 grid, coverage, validation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffplus_widgets.core.categories import CATEGORY_IDS
from staffplus_widgets.core.errors import StaffplusError
from staffplus_widgets.models.risks import Risk, RiskRegister

# the three mitigated risks of the worked example: their fields in this order
_FIELDS = ("title", "category", "likelihood", "impact", "mitigation", "owner", "detection")
_MITIGATED = [
    ("Chargeback labels arrive 30-120 days late", "data", 5, 4, "train only on matured rows", "ML lead", "share of unmatured rows in training set"),
    ("Review queue overflows on holiday peaks", "operations", 3, 4, "cap the review band by analyst capacity", "Fraud ops manager", "queue age p95 > 2 h"),
    ("PCI scope creep from raw card data in features", "legal", 2, 5, "tokenise PAN before the feature pipeline", "Security", "DLP scan alerts"),
]  # fmt: skip


def sample() -> RiskRegister:
    reg = RiskRegister()
    for row in _MITIGATED:
        reg.add(**dict(zip(_FIELDS, row, strict=True)))
    reg.add(title="Fraud ring adapts to the model", category="security", likelihood=4, impact=5)
    return reg


def test_worked_example_severity_order_grid_and_coverage():
    reg = sample()
    assert [r.severity for r in reg.by_severity()] == [20, 20, 12, 10]
    # equal severity: higher impact first
    assert reg.by_severity()[0].title == "Fraud ring adapts to the model"
    grid = reg.grid()
    assert grid[4][3] == 1 and grid[2][3] == 1 and grid[1][4] == 1 and grid[3][4] == 1
    assert sum(map(sum, grid)) == 4
    cov = reg.coverage()
    assert cov["data"] == 1 and cov["privacy"] == 0 and set(cov) == set(CATEGORY_IDS)
    assert reg.missing(["data", "privacy", "team"]) == ["privacy", "team"]


@pytest.mark.parametrize(
    "field, bad, message",
    [
        ("likelihood", 0, "likelihood"),
        ("likelihood", 6, "likelihood"),
        ("impact", 2.5, "whole number"),
        ("impact", "high", "impact"),
        ("likelihood", float("nan"), "NaN"),
        ("category", "vibes", "category"),
        ("title", "", "title"),
        ("title", "   ", "title"),
        ("raised", "maybe", "raised"),
        ("title", "Review queue overflows on holiday peaks", "duplicate"),
    ],
)
def test_bad_updates_leave_register_unchanged(field, bad, message):
    reg = sample()
    before = reg.to_dict()
    with pytest.raises(StaffplusError, match=message):
        reg.update("Fraud ring adapts to the model", **{field: bad})
    assert reg.to_dict() == before


def test_duplicate_titles_case_insensitive():
    reg = sample()
    with pytest.raises(StaffplusError, match="duplicate"):
        reg.add(title="fraud ring adapts to the model", category="security", likelihood=1, impact=1)


def test_unknown_field_rejected():
    with pytest.raises(StaffplusError, match="not a field"):
        RiskRegister().add(title="x", category="data", likelihood=1, impact=1, colour="red")


risk = st.fixed_dictionaries(
    {
        "title": st.text(min_size=1, max_size=40).filter(lambda s: s.strip()),
        "category": st.sampled_from(CATEGORY_IDS),
        "likelihood": st.integers(1, 5),
        "impact": st.integers(1, 5),
        "mitigation": st.text(max_size=50),
        "owner": st.text(max_size=20),
        "detection": st.text(max_size=50),
        "raised": st.sampled_from(["unprompted", "prompted"]),
    }
)


@settings(max_examples=80, deadline=None)
@given(st.lists(risk, max_size=12))
def test_serialise_load_identity_and_grid_total(risks):
    reg = RiskRegister()
    for r in risks:
        try:
            reg.add(r)
        except StaffplusError:
            pass  # duplicate titles are rejected; the rest must round-trip
    again = RiskRegister.from_dict(reg.to_dict())
    assert again.to_dict() == reg.to_dict()
    assert sum(map(sum, reg.grid())) == len(reg.risks) == sum(reg.coverage().values())
    sev = [r.severity for r in reg.by_severity()]
    assert sev == sorted(sev, reverse=True)


def test_an_entry_is_complete_only_with_mitigation_owner_and_detection():
    base = {"title": "t", "category": "data", "likelihood": 2, "impact": 3}
    full = {**base, "mitigation": "m", "owner": "o", "detection": "d"}
    assert Risk.create(full).complete
    for missing in ("mitigation", "owner", "detection"):
        assert not Risk.create({**full, missing: "  "}).complete, missing
    assert not Risk.create(base).complete
