"""The workbooks' self-checks: what a finished artifact has, said as a list of passed and open points.

A learner's workbook prints them under each artifact (``print(checks.matrix(wb.session))``): every
open point says what to add, and nothing raises, so Run All works at any stage of the work. The
solved notebooks assert that every point passes (``assert report.passed, report``), so CI holds the
reference work to the same bar. The reference answers themselves (which option wins, the reference
cost range) stay in the solved notebooks only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .session import WorkSession

MIN_OPTIONS = 3
MIN_RISKS = 6
MIN_RISK_CATEGORIES = 5


@dataclass(frozen=True)
class Report:
    """The points of one self-check, each passed or open, printed one per line."""

    title: str
    points: tuple[tuple[bool, str], ...]
    # a printed check is a snapshot: it says when it was taken, so it never reads as live
    taken: str = field(default_factory=lambda: time.strftime("%H:%M"), compare=False)

    @property
    def passed(self) -> bool:
        """Whether every point passes."""
        return all(ok for ok, _ in self.points)

    def __str__(self) -> str:
        lines = [
            f"{self.title}: {'all done' if self.passed else 'still open below'} (checked at "
            f"{self.taken}; run this cell again after you edit)"
        ]
        lines += [f"  [{'x' if ok else ' '}] {text}" for ok, text in self.points]
        return "\n".join(lines)


def matrix(session: WorkSession) -> Report:
    """A trade-off matrix worth defending: several options, a baseline, weights, a winner."""
    m = session.matrix
    ranking = m.ranking()
    return Report(
        "Trade-off matrix",
        (
            (len(m.options) >= MIN_OPTIONS, f"at least {MIN_OPTIONS} options ({len(m.options)})"),
            (any(o.baseline for o in m.options), "one option marked as the simple baseline"),
            (any(c.weight > 0 for c in m.criteria), "at least one criterion with a weight above 0"),
            (bool(ranking.winners), "a winner (options tied for first need a tie-break)"),
        ),
    )


def risks(session: WorkSession) -> Report:
    """A risk register that covers the ground: enough risks, each actionable, several categories."""
    register = session.register
    complete = [r for r in register.risks if r.complete]
    categories = {r.category for r in register.risks}
    return Report(
        "Risk register",
        (
            (
                len(register.risks) >= MIN_RISKS,
                f"at least {MIN_RISKS} risks ({len(register.risks)})",
            ),
            (
                bool(register.risks) and len(complete) == len(register.risks),
                f"a mitigation, an owner and a detection signal for every risk "
                f"({len(complete)} of {len(register.risks)})",
            ),
            (
                len(categories) >= MIN_RISK_CATEGORIES,
                f"at least {MIN_RISK_CATEGORIES} categories ({len(categories)})",
            ),
        ),
    )


def cost(session: WorkSession) -> Report:
    """A cost estimate inside the scenario's reference range for the whole system."""
    total = session.cost.estimate().total
    low, high = session.scenario.cost_range()
    return Report(
        "Cost estimate",
        (
            (
                low <= total <= high,
                f"a monthly total between ${low:,.0f} and ${high:,.0f} (${total:,.0f})",
            ),
        ),
    )
