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
from matplotlib.ticker import PercentFormatter

from ._style import DEBRIEF_STATUS_STYLE, OKABE_ITO
from .debrief import _empty, _margins, stacked_shares
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


def render_category_profile(categories: list[dict[str, Any]]) -> Figure:
    """Per category, the share of its rubric items reasoned, named only, dismissed or not raised."""
    fig = new_figure(6.4, max(2.2, 0.32 * len(categories) + 1.5))
    title = "Category profile: how you handled each category"
    if not categories:
        return _empty(fig, title, "No attempts yet")
    rows = [(c["shares"], {**c["counts"], "missed": c["counts"]["absent"]}) for c in categories]
    return stacked_shares(fig, title, [c["id"] for c in categories], rows, LEVEL_STYLE,
                          "share of rubric items", 0.2)  # fmt: skip


def render_unprompted(categories: list[dict[str, Any]]) -> Figure:
    """Per category, in mock interviews: raised unprompted, only after a follow-up, or missed."""
    asked = [c for c in categories if c.get("interview")]
    fig = new_figure(6.4, max(2.2, 0.32 * len(asked) + 1.5))
    title = "Mock interviews: unprompted or prompted"
    if not asked:
        return _empty(fig, title, "No mock interviews yet")
    rows = [(c["interview"]["shares"], c["interview"]["counts"]) for c in asked]
    return stacked_shares(fig, title, [c["id"] for c in asked], rows, DEBRIEF_STATUS_STYLE,
                          "share of rubric items", 0.2)  # fmt: skip


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
