"""Plain-text summaries of every chart: the same facts as the picture, for screen readers and reports.

Models layer: pure Python over the models, no ipywidgets or matplotlib. Each function returns one
short paragraph (sentences separated by spaces) that a widget shows next to its chart and the HTML
report exporter uses as alt text.
"""

from __future__ import annotations

import math
from typing import Any

from ..core.wording import count
from .cost import KINDS, CostModel, compare
from .risks import LEVELS, RiskRegister
from .tradeoff import TradeOffMatrix

SCORECARD_PARTS = ("unprompted", "prompted", "missed")


def _money(x: float) -> str:
    return f"${x:,.0f}" if abs(x) >= 100 else f"${x:,.2f}"


def _pct(x: float) -> str:
    return f"{x:.0%}"


_ROBUSTNESS_MEMO: dict[Any, float] = {}


def robustness(matrix: TradeOffMatrix) -> float:
    """``matrix.robustness()``, remembered for the current weights and scores.

    The chart and its summary both show it after every edit; 10,000 draws are worth doing once.
    """
    names = tuple(matrix.feasible())
    criteria = tuple((c.name, c.weight) for c in matrix.criteria)
    scores = tuple(matrix.cell(n, c).score for n in names for c, _ in criteria)
    key = (matrix.winner(), names, criteria, scores)
    if key not in _ROBUSTNESS_MEMO:
        if len(_ROBUSTNESS_MEMO) > 64:
            _ROBUSTNESS_MEMO.clear()
        _ROBUSTNESS_MEMO[key] = matrix.robustness()
    return _ROBUSTNESS_MEMO[key]


def option_status(matrix: TradeOffMatrix) -> dict[str, tuple[str, float, str]]:
    """Per option: ``(state, total, label)``; state is winner, ranked or excluded.

    Tied winners are all ``winner`` with the label "tied 1st", so a tie is never shown as a win.
    """
    ranking = matrix.ranking()
    totals = matrix.totals()
    rows = {r.name: r for r in ranking.rows}
    excluded = {e.option for e in ranking.excluded}
    tied = len(ranking.winners) > 1
    out: dict[str, tuple[str, float, str]] = {}
    for name in matrix.option_names():
        total = totals.get(name, 0.0)
        if name in excluded:
            out[name] = ("excluded", total, "excluded")
        elif name in ranking.winners:
            out[name] = ("winner", total, "tied 1st" if tied else "1st, winner")
        else:
            row = rows[name]
            out[name] = ("ranked", total, f"rank {row.rank}" + (" (tie)" if row.tied else ""))
    return out


def totals_summary(matrix: TradeOffMatrix) -> str:
    """Each option's weighted total and rank; ties and exclusions (with reasons) spelled out."""
    if not matrix.options or not matrix.criteria:
        return "No totals yet: the matrix needs at least one option and one criterion."
    ranking = matrix.ranking()
    totals = matrix.totals()
    parts = [
        f"{r.name} {r.total:.2f} (rank {r.rank}{', tied' if r.tied else ''})" for r in ranking.rows
    ]
    out = ["Weighted totals on the 1-5 scale, best first: " + ("; ".join(parts) or "none") + "."]
    if len(ranking.winners) > 1:
        out.append(
            "Tie for first: "
            + " and ".join(ranking.winners)
            + ". Adjust a weight or a score to break it."
        )
    elif ranking.winners:
        out.append(f"Recommended: {ranking.winners[0]}.")
    else:
        out.append("No feasible option is left.")
    for e in ranking.excluded:
        out.append(
            f"{e.option} ({totals.get(e.option, 0.0):.2f}) is excluded by {e.constraint}: "
            f"{e.reason}"
        )
    return " ".join(s if s.endswith(".") else s + "." for s in out)


def sensitivity_summary(matrix: TradeOffMatrix) -> str:
    """Per criterion: current weight share, the share interval where the winner holds, takeovers."""
    # with a tie the model reports the first tied option as "the winner"; that would mislead
    if len(matrix.ranking().winners) > 1:
        return (
            "No sensitivity while options are tied for first: break the tie to see how far "
            "each weight can move."
        )
    sens = matrix.sensitivity()
    winner = matrix.winner()
    if not sens or winner is None:
        return "No sensitivity yet: it needs a winner and at least two feasible options."
    total_weight = sum(c.weight for c in matrix.criteria) or 1.0
    weights = {c.name: c.weight for c in matrix.criteria}
    out = [
        f"{winner} stays first in {_pct(robustness(matrix))} of random weight changes "
        f"(each weight times 0.5 to 1.5)."
    ]
    for s in sens:
        share = weights[s.criterion] / total_weight
        line = (
            f"{s.criterion}: weight {weights[s.criterion]:g} ({_pct(share)} of the total); "
            f"{winner} holds from {_pct(s.share_low)} to {_pct(s.share_high)}"
        )
        ends = []
        if s.below:
            ends.append(f"below it {s.below} takes over")
        if s.above:
            ends.append(f"above it {s.above} takes over")
        line += ("; " + ", ".join(ends)) if ends else " at any weight"
        out.append(line + ".")
    return " ".join(out)


def heatmap_summary(register: RiskRegister) -> str:
    """How many risks, where they sit on the grid, and the most severe ones."""
    n = len(register.risks)
    if n == 0:
        return "The likelihood x impact grid is empty: no risks yet."
    grid = register.grid()
    occupied = sorted(
        ((lk, im) for lk in LEVELS for im in LEVELS if grid[lk - 1][im - 1]),
        key=lambda c: (-c[0] * c[1], -c[1]),  # severity, then impact: as the register sorts
    )
    cells = [f"likelihood {lk} x impact {im}: {grid[lk - 1][im - 1]}" for lk, im in occupied]
    top = register.by_severity()[0]
    high = sum(1 for r in register.risks if r.severity >= 12)
    return (
        f"{count(n, 'risk')} on the 5x5 grid; {high} with severity 12 or more. "
        f"Occupied cells (most severe first): {'; '.join(cells)}. "
        f"Most severe: {top.title} (likelihood {top.likelihood}, impact {top.impact}, "
        f"severity {top.severity})."
    )


def cost_summary(model: CostModel) -> str:
    """Monthly total, cost per 1,000 predictions, reviewers, and every line's share."""
    if not model.lines:
        return "No cost lines yet."
    est = model.estimate()
    parts = [
        f"{c.name} {_money(c.monthly_usd)} ({_pct(c.monthly_usd / est.total) if est.total else '0%'})"
        for c in sorted(est.lines, key=lambda c: -c.monthly_usd)
    ]
    per_1000 = (
        f"{_money(est.cost_per_1000)} per 1,000 predictions"
        if est.cost_per_1000 is not None
        else "no prediction volume to divide by"
    )
    dominant = est.dominant
    return (
        f"Monthly total {_money(est.total)}; {per_1000}; {est.reviewers:,.1f} reviewers on shift. "
        f"Largest line: {dominant.name if dominant else 'none'}. "
        f"By line, largest first: {'; '.join(parts)}."
    )


def projection_summary(model: CostModel) -> str:
    """Total and dominant line at each traffic multiplier, and what grows versus what stays fixed."""
    if not model.lines:
        return "No cost lines yet."
    out = []
    for est in model.projection():
        dom = est.dominant
        share = dom.monthly_usd / est.total if dom and est.total else 0.0
        out.append(
            f"x{est.traffic:g} traffic: {_money(est.total)} per month, largest line "
            f"{dom.name if dom else 'none'} ({_pct(share)})"
        )
    fixed = [line.name for line in model.lines if not line.scales_with_traffic]
    tail = (
        f" Fixed as traffic grows: {', '.join(fixed)}."
        if fixed
        else " Every line grows with traffic."
    )
    return "; ".join(out) + "." + tail


def comparison_summary(models: dict[str, CostModel]) -> str:
    """Options cheapest first, with the gap to the cheapest and each one's largest kind of cost."""
    if not models:
        return "Nothing to compare."
    rows = compare(models)
    cheapest_label, cheapest = rows[0]
    out = []
    for label, est in rows:
        by_kind: dict[str, float] = {}
        for c in est.lines:
            by_kind[c.kind] = by_kind.get(c.kind, 0.0) + c.monthly_usd
        big = max(by_kind, key=by_kind.__getitem__) if by_kind else None
        gap = ""
        if label != cheapest_label:
            diff = est.total - cheapest.total
            ratio = est.total / cheapest.total if cheapest.total else math.inf
            gap = f", {_money(diff)} more than {cheapest_label}" + (
                f" (x{ratio:.2f})" if math.isfinite(ratio) else ""
            )
        out.append(
            f"{label}: {_money(est.total)} per month{gap}"
            + (f"; mostly {KINDS[big].title.lower()}" if big else "")
        )
    return "Cheapest first. " + ". ".join(out) + "."


def scorecard_summary(attempt: dict[str, Any]) -> str:
    """Rubric points per category: raised unprompted, raised when prompted, missed."""
    cats = attempt.get("categories") or {}
    if not cats:
        return "No rubric categories yet."
    totals = dict.fromkeys(SCORECARD_PARTS, 0)
    parts = []
    for cat, counts in cats.items():
        nums = {k: int((counts or {}).get(k, 0) or 0) for k in SCORECARD_PARTS}
        for k, v in nums.items():
            totals[k] += v
        parts.append(
            f"{cat} {nums['unprompted']} unprompted, {nums['prompted']} prompted, "
            f"{nums['missed']} missed"
        )
    head = (
        f"{totals['unprompted']} points raised unprompted, {totals['prompted']} when prompted, "
        f"{totals['missed']} missed"
    )
    if isinstance(attempt.get("score"), (int, float)):
        head = f"Score {attempt['score']}/100. " + head
    return head + ". By category: " + "; ".join(parts) + "."
