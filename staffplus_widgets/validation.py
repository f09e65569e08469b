"""Small validators shared by the models: each raises StaffplusError naming the field and value.

``field`` may be a tuple of parts (``(where, " likelihood")``), joined only when a value is refused.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from .errors import StaffplusError

# No real ML system needs more than this: past it the input is a typo, not a design.
MAX_MAGNITUDE = 1e9
MAX_NAME = 120
MAX_TEXT = 4000

Field = str | tuple[str, ...]


def number(
    field: Field,
    value: Any,
    *,
    low: float = 0.0,
    high: float = MAX_MAGNITUDE,
    low_inclusive: bool = True,
    integer: bool = False,
) -> float:
    """Coerce ``value`` to a finite float within [low, high]; text such as "12" is accepted."""
    kind = type(value)
    if kind is float or kind is int:  # the common case, in range; anything else is checked below
        parsed = float(value)
        if (
            (low < parsed or (low_inclusive and parsed == low))
            and parsed <= high
            and (not integer or parsed.is_integer())
        ):
            return parsed
    if isinstance(value, bool):
        raise StaffplusError(field, "must be a number, not true/false", value)
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "")
        if not text:
            raise StaffplusError(field, "must be a number, got empty text", value)
        try:
            parsed = float(text)
        except ValueError:
            raise StaffplusError(field, "must be a number", value) from None
    elif isinstance(value, (int, float)):
        parsed = float(value)
    else:
        try:
            parsed = float(value)  # numpy scalars and Decimals
        except (TypeError, ValueError):
            raise StaffplusError(field, "must be a number", value) from None
    if math.isnan(parsed):
        raise StaffplusError(field, "must be a number, not NaN", value)
    if math.isinf(parsed):
        raise StaffplusError(field, "must be finite", value)
    if parsed < low or (not low_inclusive and parsed == low):
        bound = "at least" if low_inclusive else "greater than"
        if low == 0 and low_inclusive:
            raise StaffplusError(field, "cannot be negative", value)
        raise StaffplusError(field, f"must be {bound} {low:g}", value)
    if parsed > high:
        raise StaffplusError(field, f"must be at most {high:g}", value)
    if integer:
        if parsed != int(parsed):
            raise StaffplusError(field, "must be a whole number", value)
        return float(int(parsed))
    return parsed


def name(field: Field, value: Any) -> str:
    """A non-empty, single-line name of bounded length, with surrounding space trimmed."""
    if not isinstance(value, str):
        raise StaffplusError(field, "must be text", value)
    cleaned = " ".join(value.split())
    if not cleaned:
        raise StaffplusError(field, "cannot be empty", value)
    if len(cleaned) > MAX_NAME:
        raise StaffplusError(field, f"is longer than {MAX_NAME} characters", value)
    return cleaned


def text(field: Field, value: Any, *, limit: int = MAX_TEXT) -> str:
    """Free text (may be empty); only type and length are checked."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise StaffplusError(field, "must be text", value)
    if len(value) > limit:
        raise StaffplusError(field, f"is longer than {limit} characters", value[:40])
    return value.strip()


def unique(field: str, names: Iterable[str]) -> None:
    """Names are compared case-insensitively: "Cost" and "cost" are the same criterion."""
    seen: set[str] = set()
    for item in names:
        claim(field, seen, item)


def claim(field: str, seen: set[str], name: str) -> None:
    """Add ``name`` to ``seen`` (case-insensitively); a name already there raises as ``unique`` does.

    For loaders that check names one at a time as they go.
    """
    key = name.casefold()
    if key in seen:
        raise StaffplusError(field, "duplicate name", name)
    seen.add(key)
