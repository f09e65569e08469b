"""Scorecard chart: per rubric category, how many points were raised unprompted, prompted, missed."""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ._base import TEXT_COLOUR, LiveChart, short, style_axes
from ._style import SCORE_PARTS, score_categories

PARTS = SCORE_PARTS
_categories = score_categories


class ScorecardChart(LiveChart):
    """Horizontal stacked bars per category with the counts written in each segment."""

    width = 5.6

    def _structure(self, attempt: dict[str, Any]) -> Any:
        cats = _categories(attempt)
        top = max((sum(v.values()) for v in cats.values()), default=0)
        return tuple(cats), top

    def _size(self, attempt: dict[str, Any]) -> tuple[float, float]:
        return self.width, max(1.8, 0.36 * len(_categories(attempt)) + 1.4)

    def _draw_static(self, attempt: dict[str, Any]) -> None:
        fig = self.figure
        ax = fig.add_subplot()
        self.ax = ax
        style_axes(ax)
        cats = _categories(attempt)
        self.segments: list[tuple[str, Any, Any]] = []
        ax.set_title("Rubric points by category", fontsize=10, loc="left")
        if not cats:
            ax.set_axis_off()
            ax.text(
                0.5,
                0.5,
                "No rubric categories yet",
                ha="center",
                va="center",
                fontsize=10,
                transform=ax.transAxes,
            )
            return
        names = list(cats)
        top = max(sum(v.values()) for v in cats.values()) or 1
        positions = list(range(len(names)))
        ax.set_yticks(positions, [short(n, 18) for n in names])
        ax.set_ylim(len(names) - 0.5, -0.5)
        ax.set_xlim(0, top)
        ax.set_xticks(range(0, top + 1))
        ax.set_xlabel("rubric points", fontsize=9)
        fig.legend(
            handles=[
                Patch(facecolor=c, hatch=h, edgecolor=TEXT_COLOUR, linewidth=0.5, label=lbl)
                for _k, lbl, c, h in PARTS
            ],
            fontsize=7,
            frameon=False,
            ncol=3,
            loc="lower center",
        )
        height = fig.get_figheight()
        fig.subplots_adjust(left=0.24, right=0.97, top=1 - 0.4 / height, bottom=0.85 / height)
        for key, _label, colour, hatch in PARTS:
            rects = ax.barh(
                positions,
                [0] * len(names),
                height=0.6,
                color=colour,
                hatch=hatch,
                edgecolor=TEXT_COLOUR,
                linewidth=0.5,
            )
            for rect, name in zip(rects, names):
                text = ax.text(
                    0,
                    rect.get_y() + rect.get_height() / 2,
                    "",
                    fontsize=8,
                    ha="center",
                    va="center",
                    color=TEXT_COLOUR,
                    bbox={
                        "boxstyle": "round,pad=0.1",
                        "facecolor": "white",
                        "edgecolor": "none",
                        "alpha": 0.85,
                    },
                )
                self.segments.append((f"{name}\0{key}", rect, text))
                self._animate(rect, text)

    def _update_dynamic(self, attempt: dict[str, Any]) -> None:
        cats = _categories(attempt)
        left: dict[str, float] = dict.fromkeys(cats, 0.0)
        for ident, rect, text in self.segments:
            name, key = ident.split("\0")
            n = cats[name][key]
            rect.set_x(left[name])
            rect.set_width(n)
            text.set_x(left[name] + n / 2)
            text.set_text(str(n) if n else "")
            left[name] += n


def render_scorecard(attempt: dict[str, Any]) -> Figure:
    """Per category: rubric points raised unprompted, raised when prompted, and missed.

    ``attempt["categories"]`` maps a category id to ``{"unprompted": n, "prompted": n, "missed": n}``.
    """
    return ScorecardChart().update(attempt)
