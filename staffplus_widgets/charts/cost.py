"""Cost charts: today's breakdown by line, growth at x1/x3/x10 traffic, and options side by side."""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from ..models.cost import KINDS, PROJECTION_MULTIPLIERS, CostModel
from ._base import TEXT_COLOUR, LiveChart, money, short, style_axes
from ._style import LABEL_SHARE, kind_style, kinds_in, two_lines

KIND_STYLE = kind_style(KINDS)


def _money_axis(axis: Any) -> None:
    axis.set_major_formatter(FuncFormatter(lambda x, _pos: money(x)))


def _kind_legend(ax: Any, kinds: list[str], **kwargs: Any) -> None:
    handles = [
        Patch(
            facecolor=KIND_STYLE[k][0],
            hatch=KIND_STYLE[k][1],
            edgecolor=TEXT_COLOUR,
            linewidth=0.5,
            label=KINDS[k].title,
        )
        for k in kinds
    ]
    if handles:
        ax.legend(handles=handles, fontsize=7, frameon=False, **kwargs)


def _empty(ax: Any, text: str) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=10, transform=ax.transAxes)


class CostBreakdownChart(LiveChart):
    """One horizontal bar for today's monthly total, stacked by line item."""

    width = 5.6
    height = 2.3

    def update(self, model: CostModel) -> Figure:
        self._estimate = model.estimate()
        return super().update(model)

    def _structure(self, model: CostModel) -> Any:
        return (
            tuple((line.name, line.kind) for line in model.lines),
            self._sticky_limit(self._estimate.total, 1.02),
        )

    def _draw_static(self, model: CostModel) -> None:
        fig = self.figure
        ax = fig.add_subplot()
        self.ax = ax
        style_axes(ax)
        self.segments: list[Any] = []
        self.labels: list[Any] = []
        ax.set_title("Monthly cost today, by line item", fontsize=10, loc="left")
        if not model.lines:
            _empty(ax, "Add a cost line to see the breakdown")
            self.total_text = None
            return
        ax.set_xlim(0, self._limit)
        ax.set_ylim(-0.6, 0.9)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        _money_axis(ax.xaxis)
        _kind_legend(
            ax, kinds_in(KINDS, model), loc="upper center", ncol=4, bbox_to_anchor=(0.5, -0.22)
        )
        fig.subplots_adjust(left=0.04, right=0.97, top=0.86, bottom=0.42)
        for line in model.lines:
            colour, hatch = KIND_STYLE[line.kind]
            (rect,) = ax.barh(
                [0],
                [0.0],
                height=0.7,
                color=colour,
                hatch=hatch,
                edgecolor=TEXT_COLOUR,
                linewidth=0.5,
            )
            label = ax.text(
                0,
                0,
                "",
                fontsize=7,
                ha="center",
                va="center",
                color=TEXT_COLOUR,
                bbox={
                    "boxstyle": "round,pad=0.15",
                    "facecolor": "white",
                    "edgecolor": "none",
                    "alpha": 0.85,
                },
            )
            self.segments.append(rect)
            self.labels.append(label)
        self.total_text = ax.text(
            0, 0.55, "", fontsize=9, ha="left", va="center", color=TEXT_COLOUR
        )
        self._animate(*self.segments, *self.labels, self.total_text)

    def _update_dynamic(self, model: CostModel) -> None:
        if self.total_text is None:
            return
        est = self._estimate
        left = 0.0
        for rect, label, cost in zip(self.segments, self.labels, est.lines):
            rect.set_x(left)
            rect.set_width(cost.monthly_usd)
            share = cost.monthly_usd / est.total if est.total else 0.0
            label.set_position((left + cost.monthly_usd / 2, 0))
            label.set_text(f"{short(cost.name, 12)}\n{share:.0%}" if share >= LABEL_SHARE else "")
            left += cost.monthly_usd
        self.total_text.set_text(f"total {money(est.total)} per month")


class ProjectionChart(LiveChart):
    """Stacked bars at x1, x3 and x10 traffic: which line dominates as the system grows.

    Segments are stacked by kind of line (so colours match the breakdown and the legend), and
    each bar names its largest single line and that line's share.
    """

    width = 5.6
    height = 3.4

    def update(self, model: CostModel) -> Figure:
        self._projection = model.projection()
        return super().update(model)

    def _structure(self, model: CostModel) -> Any:
        top = max((e.total for e in self._projection), default=0.0)
        return tuple(kinds_in(KINDS, model)), bool(model.lines), self._sticky_limit(top, 1.3)

    def _draw_static(self, model: CostModel) -> None:
        fig = self.figure
        ax = fig.add_subplot()
        self.ax = ax
        style_axes(ax)
        ax.set_title("Monthly cost as traffic grows", fontsize=10, loc="left")
        self.stacks: dict[str, list[Any]] = {}
        self.totals: list[Any] = []
        if not model.lines:
            _empty(ax, "Add a cost line to see the projection")
            return
        positions = list(range(len(PROJECTION_MULTIPLIERS)))
        ax.set_xticks(
            positions,
            [f"x{m:g} traffic" + (" (today)" if m == 1 else "") for m in PROJECTION_MULTIPLIERS],
        )
        ax.set_xlim(-0.6, len(positions) - 0.4)
        ax.set_ylim(0, self._limit)
        _money_axis(ax.yaxis)
        ax.set_ylabel("USD per month", fontsize=9)
        kinds = kinds_in(KINDS, model)
        _kind_legend(ax, kinds, loc="upper left")
        fig.subplots_adjust(left=0.15, right=0.98, top=0.9, bottom=0.12)
        _stacked_bars(self, ax, positions, kinds, label_size=7)

    def _update_dynamic(self, model: CostModel) -> None:
        if not self.stacks:
            return
        bottoms = [0.0] * len(self._projection)
        for kind, rects in self.stacks.items():
            for m, (rect, est) in enumerate(zip(rects, self._projection)):
                height = sum(c.monthly_usd for c in est.lines if c.kind == kind)
                rect.set_y(bottoms[m])
                rect.set_height(height)
                bottoms[m] += height
        for text, est, top in zip(self.totals, self._projection, bottoms):
            dominant = est.dominant
            share = dominant.monthly_usd / est.total if dominant and est.total else 0.0
            text.set_y(top)
            text.set_text(
                f"{money(est.total)}\nlargest: {short(dominant.name, 16) if dominant else '-'}"
                f" ({share:.0%})"
            )


class ComparisonChart(LiveChart):
    """Design options side by side: one bar each, stacked by line kind so colours line up."""

    width = 5.6
    height = 3.4

    def update(self, models: dict[str, CostModel]) -> Figure:
        self._estimates = {label: m.estimate() for label, m in models.items()}
        return super().update(models)

    def _structure(self, models: dict[str, CostModel]) -> Any:
        top = max((e.total for e in self._estimates.values()), default=0.0)
        return tuple(models), tuple(kinds_in(KINDS, *models.values())), self._sticky_limit(top, 1.2)

    def _draw_static(self, models: dict[str, CostModel]) -> None:
        fig = self.figure
        ax = fig.add_subplot()
        self.ax = ax
        style_axes(ax)
        ax.set_title("Monthly cost of each option, by kind of line", fontsize=10, loc="left")
        self.stacks: dict[str, list[Any]] = {}
        self.totals: list[Any] = []
        if not models:
            _empty(ax, "Nothing to compare")
            return
        kinds = kinds_in(KINDS, *models.values())
        positions = list(range(len(models)))
        ax.set_xticks(positions, [two_lines(label) for label in models], fontsize=7)
        ax.set_xlim(-0.6, len(positions) - 0.4)
        ax.set_ylim(0, self._limit)
        _money_axis(ax.yaxis)
        ax.set_ylabel("USD per month", fontsize=9)
        _kind_legend(ax, kinds, loc="upper left")
        fig.subplots_adjust(left=0.15, right=0.98, top=0.9, bottom=0.17)
        _stacked_bars(self, ax, positions, kinds, label_size=8)

    def _update_dynamic(self, models: dict[str, CostModel]) -> None:
        if not self.totals:
            return
        estimates = list(self._estimates.values())
        bottoms = [0.0] * len(estimates)
        for kind, rects in self.stacks.items():
            for i, (rect, est) in enumerate(zip(rects, estimates)):
                height = sum(c.monthly_usd for c in est.lines if c.kind == kind)
                rect.set_y(bottoms[i])
                rect.set_height(height)
                bottoms[i] += height
        for text, est, top in zip(self.totals, estimates, bottoms):
            text.set_y(top)
            text.set_text(money(est.total))


def render_cost_breakdown(model: CostModel) -> Figure:
    """Today's monthly total as one bar stacked by line item (colour and hatch by kind)."""
    return CostBreakdownChart().update(model)


def render_projection(model: CostModel) -> Figure:
    """Stacked monthly cost at x1, x3 and x10 traffic, each bar naming its largest line."""
    return ProjectionChart().update(model)


def render_cost_comparison(models: dict[str, CostModel]) -> Figure:
    """Several options' monthly cost side by side, stacked by kind of line."""
    return ComparisonChart().update(models)


def _stacked_bars(
    chart: Any, ax: Any, positions: list[int], kinds: list[str], *, label_size: int
) -> None:
    """Zero-height bars per cost kind at ``positions`` (one stack each) plus a total label on top;
    ``_update_dynamic`` later sets heights and bottoms in place."""
    for kind in kinds:
        colour, hatch = KIND_STYLE[kind]
        rects = list(
            ax.bar(
                positions,
                [0.0] * len(positions),
                width=0.55,
                color=colour,
                hatch=hatch,
                edgecolor=TEXT_COLOUR,
                linewidth=0.5,
            )
        )
        chart.stacks[kind] = rects
        chart._animate(*rects)
    chart.totals = [
        ax.text(p, 0, "", fontsize=label_size, ha="center", va="bottom", color=TEXT_COLOUR)
        for p in positions
    ]
    chart._animate(*chart.totals)
