"""Small validators shared by the models: each raises StaffplusError naming the field and value.

``field`` may be a tuple of parts (``(where, " likelihood")``), joined only when a value is refused.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from .errors import StaffplusError

# No real ML system needs more than this: past it the input is a typo, not a design.
MAX_MAGNITUDE = 1e9
MAX_NAME = 120
MAX_TEXT = 4000

Field = str | tuple[str, ...]

# "1,000" and "12,500.5" group thousands; any other comma ("1,5") is refused, never dropped.
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:[eE][+-]?\d+)?")
# Characters that change nothing a reader sees: zero-width spaces and joiners, the BOM.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


def _number_text(field: Field, value: str) -> str:
    """The ASCII number in ``value``, or a StaffplusError that says what is wrong with it."""
    text = value.strip()
    if not text:
        raise StaffplusError(field, "must be a number, got empty text", value)
    foreign = sorted({c for c in text if c.isdigit() and not ("0" <= c <= "9")})
    if foreign:
        raise StaffplusError(
            field,
            f"must use the digits 0-9 (it has {''.join(foreign)!r}); type the number with 0-9",
            value,
        )
    if "_" in text:
        raise StaffplusError(field, "must be digits without underscores (e.g. 1000)", value)
    if "," in text:
        if not _GROUPED.fullmatch(text):
            raise StaffplusError(
                field,
                "has a comma that is not a thousands separator: use a point for decimals "
                "(1.5) and commas only to group thousands (1,000)",
                value,
            )
        text = text.replace(",", "")
    return text


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
        parsed = float(value) + 0.0  # "+ 0.0" stores -0 as 0
        if (
            (low < parsed or (low_inclusive and parsed == low))
            and parsed <= high
            and (not integer or parsed.is_integer())
        ):
            return parsed
    if isinstance(value, bool):
        raise StaffplusError(field, "must be a number, not true/false", value)
    if isinstance(value, str):
        text = _number_text(field, value)
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
    return parsed + 0.0


def ascii_int(text: str) -> int:
    """A whole number typed in ASCII digits, as command-line counts take it: int() alone accepts
    "１２" (full-width) and "4_5" (45)."""
    s = text.strip()
    if not re.fullmatch(r"-?[0-9]+", s):
        raise ValueError(f"not a whole number in digits 0-9: {text!r}")
    return int(s)


def visible(text: str) -> str:
    """``text`` in NFKC form without zero-width characters: what a reader sees, once."""
    if text.isascii():
        return text  # NFKC leaves ASCII as it is, and it has no zero-width characters
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE)


def name(field: Field, value: Any) -> str:
    """A non-empty, single-line name of bounded length, with surrounding space trimmed.

    Names are kept as typed, without zero-width characters ("a\u200db" is "ab"); uniqueness
    compares their NFKC forms (``claim``), so "CO₂" stays "CO₂" and still clashes with "CO2".
    """
    if not isinstance(value, str):
        raise StaffplusError(field, "must be text", value)
    cleaned = " ".join((value if value.isascii() else value.translate(_INVISIBLE)).split())
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


StoredTypes = tuple[tuple[str, tuple[type, ...], str], ...]


def stored_types(
    *, numbers: tuple[str, ...] = (), texts: tuple[str, ...] = (), flags: tuple[str, ...] = ()
) -> StoredTypes:
    """The JSON types of a stored record's fields, for ``as_stored`` (made once per model)."""
    return (
        *((key, (int, float), "must be a number") for key in numbers),
        *((key, (str,), "must be text") for key in texts),
        *((key, (bool,), "must be true or false") for key in flags),
    )


def as_stored(where: str, record: dict[str, Any], types: StoredTypes) -> None:
    """A record read from a work file has the JSON types the file format gives its fields.

    The widgets' typed input is coerced (``number`` takes "12", ``text`` takes None); a stored
    file is not: "3" where a number goes, null where text goes or 1 where true or false goes
    is refused, as ``work.schema.json`` says. A field that is absent is left to the loader."""
    for key, kinds, what in types:
        if key in record and type(record[key]) not in kinds:
            raise StaffplusError(f"{where}.{key}", what, record[key])


def at_most(where: str, items: list[Any], limit: int) -> None:
    """A stored list is refused as a whole when it is longer than the file format allows."""
    if len(items) > limit:
        raise StaffplusError(where, f"at most {limit} entries", len(items))


def unique(field: str, names: Iterable[str]) -> None:
    """Names are compared case-insensitively: "Cost" and "cost" are the same criterion."""
    seen: set[str] = set()
    for item in names:
        claim(field, seen, item)


def claim(field: str, seen: set[str], name: str) -> None:
    """Add ``name`` to ``seen`` (case-insensitively); a name already there raises as ``unique`` does.

    For loaders that check names one at a time as they go.
    """
    key = visible(name).casefold()
    if key in seen:
        raise StaffplusError(field, "duplicate name", name)
    seen.add(key)


def seconds(field: Field, value: Any, *, low: float = 10.0, high: float = 3 * 3600.0) -> float:
    """A duration in seconds: a finite number within [low, high] ("abc", NaN, inf, 0, -5 refused)."""
    return number(field, value, low=low, high=high)
