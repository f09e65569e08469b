"""Progress profile charts: the category profile, the trend per category, unprompted vs prompted.

Each function takes part of ``practice.progress.Profile.to_json()`` (plain numbers) and returns a
new Figure that pyplot never sees. Colour is never the only encoding: bars carry hatches and
written counts, each trend line has its own marker and is labelled with its category at its end.
The text summaries are in ``documents.progress``. The cohort debrief draws its "habits of the
room" with ``render_category_profile`` too.
"""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from ._style import DEBRIEF_STATUS_STYLE, OKABE_ITO
from .debrief import _empty, _legend_below, _margins
from .figures import GREY, TEXT_COLOUR, new_figure, style_axes

# (share key, legend label, colour, hatch): only "reasoned" earns credit, so it leads
LEVEL_STYLE: tuple[tuple[str, str, str, str], ...] = (
    ("reasoned", "reasoned", OKABE_ITO["bluish_green"], ""),
    ("named", "named only", OKABE_ITO["yellow"], ".."),
    ("dismissed", "dismissed", OKABE_ITO["vermillion"], "\\\\"),
    ("missed", "not raised", GREY, "xx"),
)
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">", "h")
LINE_COLOURS = tuple(OKABE_ITO.values())


def _stacked(
    fig: Figure, title: str, rows: list[tuple[str, dict[str, float], dict[str, int]]], style: Any
) -> Figure:
    """Horizontal bars of shares stacked in ``style`` order, each segment's count written on it."""
    ax = fig.add_subplot()
    style_axes(ax)
    ax.set_title(title, fontsize=10, loc="left")
    positions = list(range(len(rows)))
    ax.set_yticks(positions, [r[0] for r in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("share of rubric items", fontsize=9)
    left = [0.0] * len(rows)
    for key, _label, colour, hatch in style:
        widths = [r[1][key] for r in rows]
        ax.barh(positions, widths, left=left, height=0.62, color=colour, hatch=hatch,
                edgecolor=TEXT_COLOUR, linewidth=0.5)  # fmt: skip
        for p, (x0, w, r) in enumerate(zip(left, widths, rows)):
            if w >= 0.08:
                ax.text(x0 + w / 2, p, str(r[2][key]), ha="center", va="center", fontsize=7,
                        color=TEXT_COLOUR, bbox={"boxstyle": "round,pad=0.1", "facecolor": "white",
                                                 "edgecolor": "none", "alpha": 0.85})  # fmt: skip
        left = [a + b for a, b in zip(left, widths)]
    handles = [
        Patch(facecolor=c, hatch=h, edgecolor=TEXT_COLOUR, linewidth=0.5, label=lbl)
        for _k, lbl, c, h in style
    ]
    _legend_below(fig, handles, 0.2)
    return fig


def render_category_profile(categories: list[dict[str, Any]]) -> Figure:
    """Per category, the share of its rubric items reasoned, named only, dismissed or not raised."""
    fig = new_figure(6.4, max(2.2, 0.32 * len(categories) + 1.5))
    title = "Category profile: how you handled each category"
    if not categories:
        return _empty(fig, title, "No attempts yet")
    rows = [
        (c["id"], c["shares"], {**c["counts"], "missed": c["counts"]["absent"]}) for c in categories
    ]
    return _stacked(fig, title, rows, LEVEL_STYLE)


def render_unprompted(categories: list[dict[str, Any]]) -> Figure:
    """Per category, in mock interviews: raised unprompted, only after a follow-up, or missed."""
    rows = [(c["id"], c["interview"]["shares"], c["interview"]["counts"])
            for c in categories if c.get("interview")]  # fmt: skip
    fig = new_figure(6.4, max(2.2, 0.32 * len(rows) + 1.5))
    title = "Mock interviews: unprompted or prompted"
    if not rows:
        return _empty(fig, title, "No mock interviews yet")
    return _stacked(fig, title, rows, DEBRIEF_STATUS_STYLE)


def render_trend(trend: list[dict[str, Any]]) -> Figure:
    """Per category, the share of its items reasoned in each attempt, first to latest."""
    fig = new_figure(6.4, 3.4)
    title = "Trend: share reasoned per category, attempt by attempt"
    if not trend:
        return _empty(fig, title, "No attempts yet")
    ax = fig.add_subplot()
    style_axes(ax)
    ax.set_title(title, fontsize=10, loc="left")
    ax.set_ylim(-0.05, 1.05)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("attempt (oldest first)", fontsize=9)
    ax.set_ylabel("reasoned", fontsize=9)
    last = max(p["attempt"] for t in trend for p in t["points"])
    for n, t in enumerate(trend):
        xs = [p["attempt"] for p in t["points"]]
        ys = [p["reasoned"] for p in t["points"]]
        ax.plot(xs, ys, marker=MARKERS[n % len(MARKERS)], markersize=4, linewidth=1,
                color=LINE_COLOURS[n % len(LINE_COLOURS)], label=t["category"])  # fmt: skip
        ax.annotate(t["category"], (xs[-1], ys[-1]), xytext=(4, 0), textcoords="offset points",
                    fontsize=7, va="center", color=TEXT_COLOUR)  # fmt: skip
    ax.set_xlim(0.5, last + max(1.5, last * 0.18))  # room for the labels at the line ends
    _margins(fig, 0.12)
    return fig


RENDERERS = {
    "profile": render_category_profile,
    "trend": render_trend,
    "unprompted": render_unprompted,
}


def render_all(data: dict[str, Any]) -> dict[str, Figure]:
    """Every progress chart of ``Profile.to_json()`` by key (the caller closes them)."""
    return {
        "profile": render_category_profile(data["categories"]),
        "trend": render_trend(data["trend"]),
        "unprompted": render_unprompted(data["categories"]),
    }
