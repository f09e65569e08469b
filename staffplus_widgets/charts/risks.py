"""Risk register chart: the 5x5 likelihood x impact grid with the count of risks in every cell."""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure

from ..models.risks import LEVELS, RiskRegister
from ._base import LiveChart, style_axes

# cividis is designed for colour-vision deficiencies and prints as a clean grey ramp; reversed, so
# severe cells are dark. Colour only restates severity: the counts and severities are written.
COLORMAP = "cividis_r"
MAX_SEVERITY = LEVELS[-1] * LEVELS[-1]


class HeatmapChart(LiveChart):
    """Cells coloured by severity (likelihood x impact), each showing its count of risks."""

    width = 4.2
    height = 3.7

    def _structure(self, register: RiskRegister) -> Any:
        return "grid"  # the grid never changes shape; only the counts move

    def _draw_static(self, register: RiskRegister) -> None:
        fig = self.figure
        ax = fig.add_subplot()
        self.ax = ax
        style_axes(ax)
        severity = [[lk * im for im in LEVELS] for lk in LEVELS]
        ax.imshow(
            severity,
            cmap=COLORMAP,
            origin="lower",
            vmin=1,
            vmax=MAX_SEVERITY,
            extent=(0.5, 5.5, 0.5, 5.5),
            alpha=0.85,
        )
        ax.set_xticks(list(LEVELS))
        ax.set_yticks(list(LEVELS))
        ax.set_xlabel("impact (1-5)", fontsize=9)
        ax.set_ylabel("likelihood (1-5)", fontsize=9)
        ax.set_title("Risks per cell (likelihood x impact)", fontsize=10, loc="left")
        for edge in (1.5, 2.5, 3.5, 4.5):
            ax.axhline(edge, color="white", linewidth=1)
            ax.axvline(edge, color="white", linewidth=1)
        self.cells: dict[tuple[int, int], Any] = {}
        for lk in LEVELS:
            for im in LEVELS:
                dark = lk * im >= 10
                ink = "white" if dark else "black"
                ax.text(
                    im + 0.44,
                    lk - 0.44,
                    f"sev {lk * im}",
                    fontsize=6,
                    ha="right",
                    va="bottom",
                    color=ink,
                    alpha=0.8,
                )
                count = ax.text(
                    im,
                    lk + 0.05,
                    "",
                    fontsize=12,
                    ha="center",
                    va="center",
                    fontweight="bold",
                    color=ink,
                )
                self.cells[(lk, im)] = count
                self._animate(count)
        fig.subplots_adjust(left=0.16, right=0.97, top=0.9, bottom=0.14)

    def _update_dynamic(self, register: RiskRegister) -> None:
        grid = register.grid()
        for (lk, im), text in self.cells.items():
            n = grid[lk - 1][im - 1]
            text.set_text(str(n))
            # empty cells fade so the eye finds the occupied ones; the 0 is still written
            text.set_alpha(1.0 if n else 0.35)


def render_heatmap(register: RiskRegister) -> Figure:
    """5x5 likelihood x impact grid; each cell shows how many risks sit in it."""
    return HeatmapChart().update(register)
