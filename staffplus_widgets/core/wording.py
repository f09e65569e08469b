"""Words for what learners read: counts ("1 risk", "3 risks"), times ("3 Dec 2026, 20:14") and
file names that print on one line."""

from __future__ import annotations

import datetime as dt
from typing import Any


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun in the number ``n`` asks for (``plural`` when adding "s" is wrong)."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"


def when(stamp: Any) -> str:
    """An ISO time stamp as a reader writes it, in the machine's time zone ("3 Dec 2026, 20:14");
    anything that is not a time stamp comes back as it was, or "-"."""
    if not isinstance(stamp, str) or not stamp:
        return "-"
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{moment.day} {moment:%b %Y, %H:%M}"


def printable(name: str) -> str:
    """A file name safe to print on one line (undecodable bytes and control characters made visible)."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in name)
