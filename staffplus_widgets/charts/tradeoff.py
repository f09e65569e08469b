"""Trade-off matrix charts: weighted totals per option, and how far each weight can move."""

from __future__ import annotations

import textwrap
from typing import Any

from matplotlib.figure import Figure

from ..models.summaries import option_status, robustness
from ..models.tradeoff import SCALE, TradeOffMatrix
from ._base import OKABE_ITO, TEXT_COLOUR, LiveChart, short, style_axes
from ._style import (  # noqa: F401 - letter and option_letters are part of this module's API
    OTHER_COLOUR,
    OTHER_HATCH,
    STATE_LEGEND,
    STATE_STYLE,
    letter,
    option_letters,
    state_code,
)


class TotalsChart(LiveChart):
    """Horizontal bars of weighted totals; winner, ties and exclusions in colour, hatch and text."""

    width = 5.6

    def _structure(self, matrix: TradeOffMatrix) -> Any:
        return tuple(matrix.option_names()), bool(matrix.criteria)

    def _size(self, matrix: TradeOffMatrix) -> tuple[float, float]:
        return self.width, max(2.0, 0.34 * len(matrix.options) + 1.25)

    def _draw_static(self, matrix: TradeOffMatrix) -> None:
        fig = self.figure
        names = matrix.option_names()
        ax = fig.add_subplot()
        self.ax = ax
        style_axes(ax)
        ax.set_title("Weighted totals (scores 1-5, higher is better)", fontsize=10, loc="left")
        if not names or not matrix.criteria:
            ax.set_axis_off()
            ax.text(
                0.5,
                0.5,
                "Add options and criteria to see totals",
                ha="center",
                va="center",
                fontsize=10,
                transform=ax.transAxes,
            )
            self.bars, self.labels = [], []
            return
        height = fig.get_figheight()
        positions = list(range(len(names)))
        ax.set_yticks(
            positions, [f"{letter(i)}  {short(n, 24)}" for i, n in enumerate(names)], fontsize=8
        )
        ax.set_ylim(len(names) - 0.5, -0.5)  # first option on top, as in the table
        # room to the right of a full-score bar for its label
        # a hair left of 0, so bars never paint over the axis spine (the blit draws them last)
        ax.set_xlim(-0.04, SCALE[1] + 1.3)
        ax.set_xticks(range(SCALE[0], SCALE[1] + 1))
        ax.set_xlabel("weighted total", fontsize=8, labelpad=1)
        ax.axvline(SCALE[1], color="#888888", linewidth=0.6, linestyle=":")
        ax.text(
            0.0,
            0.04 / height,
            STATE_LEGEND,
            fontsize=7,
            color=TEXT_COLOUR,
            transform=fig.transFigure,
        )
        fig.subplots_adjust(left=0.39, right=0.98, top=1 - 0.4 / height, bottom=0.62 / height)
        self.bars = list(
            ax.barh(
                positions, [0.0] * len(names), height=0.62, edgecolor=TEXT_COLOUR, linewidth=0.6
            )
        )
        self.labels = [
            ax.text(0, p, "", va="center", fontsize=8, color=TEXT_COLOUR) for p in positions
        ]
        self._animate(*self.bars, *self.labels)

    def _update_dynamic(self, matrix: TradeOffMatrix) -> None:
        if not self.bars:
            return
        status = option_status(matrix)
        for bar, label, name in zip(self.bars, self.labels, matrix.option_names()):
            state, total, text = status[name]
            colour, hatch = STATE_STYLE.get(state, (OTHER_COLOUR, OTHER_HATCH))
            bar.set_width(total)
            bar.set_facecolor(colour)
            bar.set_hatch(hatch)
            label.set_x(total + 0.06)
            label.set_text(f"{total:.2f} {state_code(state, text)}")


class SensitivityChart(LiveChart):
    """Per criterion: the weight share over which the winner stays first, and who takes over.

    Options are named by their letter (as on the totals chart); a key under the plot spells them
    out, and the robustness share (random +-50% weight changes the winner survives) is on top.
    """

    width = 5.6

    def update(self, matrix: TradeOffMatrix) -> Figure:
        # computed once per update: both the structure and the artists depend on it. With a tie
        # for first there is no single winner whose interval means anything (the model would
        # report the first of the tied options), so the chart says so instead.
        self._tied = len(matrix.ranking().winners) > 1
        self._sens = [] if self._tied else matrix.sensitivity()
        return super().update(matrix)

    def _structure(self, matrix: TradeOffMatrix) -> Any:
        if not self._sens:
            return ("empty", self._tied, len(matrix.feasible()), bool(matrix.criteria))
        return ("ok", tuple(matrix.criterion_names()), tuple(matrix.option_names()))

    def _key_lines(self, matrix: TradeOffMatrix) -> list[str]:
        entries = [f"{letter(i)} = {short(n, 30)}" for i, n in enumerate(matrix.option_names())]
        return textwrap.wrap(
            "\u2190X / X\u2192: option X takes over past that end. " + "; ".join(entries), 100
        )

    def _size(self, matrix: TradeOffMatrix) -> tuple[float, float]:
        extra = 0.14 * len(self._key_lines(matrix)) if self._sens else 0.0
        return self.width, max(2.0, 0.4 * len(matrix.criteria) + 1.35 + extra)

    def _draw_static(self, matrix: TradeOffMatrix) -> None:
        fig = self.figure
        ax = fig.add_subplot()
        self.ax = ax
        style_axes(ax)
        self.rows: list[tuple[Any, Any, Any, Any]] = []
        ax.set_title("Where the winner stays first, per criterion", fontsize=10, loc="left")
        if not self._sens:
            ax.set_axis_off()
            ax.text(
                0.5,
                0.5,
                "Options are tied for first: break the tie to see how far each weight can move"
                if self._tied
                else "Needs a single winner and at least two feasible options",
                ha="center",
                va="center",
                fontsize=10,
                transform=ax.transAxes,
            )
            self.robust_text = None
            return
        height = fig.get_figheight()
        names = matrix.criterion_names()
        positions = list(range(len(names)))
        ax.set_yticks(positions, [short(n, 22) for n in names], fontsize=8)
        ax.set_ylim(len(names) - 0.45, -0.65)
        ax.set_xlim(-0.03, 1.03)
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
        ax.set_xlabel("criterion's share of the total weight", fontsize=8, labelpad=1)
        ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
        ax.plot([], [], color=OKABE_ITO["sky_blue"], linewidth=5, label="winner stays first")
        ax.plot(
            [],
            [],
            linestyle="none",
            marker="D",
            color=TEXT_COLOUR,
            markersize=5,
            label="current weight",
        )
        key = self._key_lines(matrix)
        bottom_in = 0.5 + 0.14 * len(key)
        fig.legend(
            loc="lower left",
            fontsize=7,
            frameon=False,
            ncol=2,
            bbox_to_anchor=(0.0, (0.02 + 0.14 * len(key)) / height),
        )
        ax.text(
            0.01,
            0.04 / height,
            "\n".join(key),
            fontsize=7,
            color=TEXT_COLOUR,
            transform=fig.transFigure,
            va="bottom",
        )
        fig.subplots_adjust(
            left=0.33, right=0.96, top=1 - 0.4 / height, bottom=(bottom_in + 0.45) / height
        )
        # an axes artist placed in figure coordinates: savefig draws animated axes artists,
        # but skips animated figure-level ones
        self.robust_text = ax.text(
            0.98,
            1 - 0.08 / height,
            "",
            fontsize=8,
            va="top",
            ha="right",
            color=TEXT_COLOUR,
            transform=fig.transFigure,
        )
        self._animate(self.robust_text)
        for y in positions:
            (interval,) = ax.plot(
                [0, 1], [y, y], color=OKABE_ITO["sky_blue"], linewidth=5, solid_capstyle="butt"
            )
            (marker,) = ax.plot(
                [0.5], [y], linestyle="none", marker="D", color=TEXT_COLOUR, markersize=5
            )
            below = ax.text(
                0,
                y,
                "",
                fontsize=8,
                ha="right",
                va="center",
                color=OKABE_ITO["vermillion"],
                fontweight="bold",
            )
            above = ax.text(
                1,
                y,
                "",
                fontsize=8,
                ha="left",
                va="center",
                color=OKABE_ITO["vermillion"],
                fontweight="bold",
            )
            self.rows.append((interval, marker, below, above))
            self._animate(interval, marker, below, above)

    def _update_dynamic(self, matrix: TradeOffMatrix) -> None:
        if self.robust_text is None:
            return
        sens = {s.criterion: s for s in self._sens}
        letters = option_letters(matrix)
        total_weight = sum(c.weight for c in matrix.criteria) or 1.0
        winner = matrix.winner() or ""
        self.robust_text.set_text(
            f"winner {letters.get(winner, '?')}, robust {robustness(matrix):.0%}"
        )
        for (interval, marker, below, above), crit in zip(self.rows, matrix.criteria):
            s = sens[crit.name]
            interval.set_xdata([s.share_low, s.share_high])
            marker.set_xdata([crit.weight / total_weight])
            # the letter sits just outside the end it belongs to, inside the plot when at an edge
            below.set_text(f"\u2190{letters[s.below]}" if s.below else "")
            below.set_x(s.share_low - 0.01 if s.share_low > 0.06 else s.share_low + 0.01)
            below.set_ha("right" if s.share_low > 0.06 else "left")
            above.set_text(f"{letters[s.above]}\u2192" if s.above else "")
            above.set_x(s.share_high + 0.01 if s.share_high < 0.94 else s.share_high - 0.01)
            above.set_ha("left" if s.share_high < 0.94 else "right")


def render_totals(matrix: TradeOffMatrix) -> Figure:
    """Bar chart of each option's weighted total: winner, ties and exclusions marked in text."""
    return TotalsChart().update(matrix)


def render_sensitivity(matrix: TradeOffMatrix) -> Figure:
    """For each criterion, the weight share over which the winner holds and who takes over."""
    return SensitivityChart().update(matrix)
