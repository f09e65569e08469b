"""The shared number validator: the quick path for plain in-range numbers agrees with the full one."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from staffplus_widgets.core import validation as v
from staffplus_widgets.core.errors import StaffplusError


@pytest.mark.parametrize(
    "value, kwargs, message",
    [
        (float("nan"), {}, "not NaN"),
        (math.inf, {}, "must be finite"),
        (-math.inf, {}, "must be finite"),
        (True, {}, "not true/false"),
        (-1, {}, "cannot be negative"),
        (0, {"low_inclusive": False}, "greater than 0"),
        (0.5, {"low": 1, "high": 5}, "at least 1"),
        (6, {"low": 1, "high": 5}, "at most 5"),
        (2.5, {"low": 1, "high": 5, "integer": True}, "whole number"),
        (2e9, {}, "at most"),
        ("ten", {}, "must be a number"),
        ("", {}, "empty text"),
    ],
)
def test_bad_numbers_are_refused_with_their_reason(value, kwargs, message):
    with pytest.raises(StaffplusError, match=message):
        v.number("field", value, **kwargs)


@pytest.mark.parametrize(
    "value, kwargs, expected",
    [
        (0, {}, 0.0),
        (1, {"low": 1, "high": 5, "integer": True}, 1.0),
        (5.0, {"low": 1, "high": 5, "integer": True}, 5.0),
        (0.25, {"low_inclusive": False}, 0.25),
        ("1,200", {}, 1200.0),
        (1e9, {}, 1e9),
    ],
)
def test_good_numbers_come_back_as_floats(value, kwargs, expected):
    out = v.number("field", value, **kwargs)
    assert out == expected and type(out) is float


@given(
    st.one_of(
        st.integers(-10, 10),
        st.floats(-10, 10),
        st.sampled_from([1.0, 5.0, 0.999, 5.001, math.nan, math.inf, -math.inf]),
    ),
    st.booleans(),
    st.booleans(),
)
def test_result_is_in_range_or_an_error(value, low_inclusive, integer):
    try:
        out = v.number("f", value, low=1, high=5, low_inclusive=low_inclusive, integer=integer)
    except StaffplusError:
        ok = (
            not math.isnan(value)
            and (value > 1 or (low_inclusive and value == 1))
            and value <= 5
            and (not integer or float(value).is_integer())
        )
        assert not ok
    else:
        assert (out > 1 or (low_inclusive and out == 1)) and out <= 5
        assert not integer or out.is_integer()


def test_a_label_given_in_parts_is_joined_only_in_the_message():
    with pytest.raises(StaffplusError) as info:
        v.number(("risks[2]", " likelihood"), 9, low=1, high=5)
    assert info.value.field == "risks[2] likelihood"
    assert str(info.value) == "risks[2] likelihood: must be at most 5 (got 9)"
    with pytest.raises(StaffplusError, match=r"^line 'GPU'\.note: is longer than 3"):
        v.text(("line 'GPU'", ".note"), "long", limit=3)
