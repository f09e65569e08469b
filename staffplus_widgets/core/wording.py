"""Words for counts in what learners read: "1 risk", "3 risks", "1 learner", "0 learners"."""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun in the number ``n`` asks for (``plural`` when adding "s" is wrong)."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"
