"""Progress profile charts: the category profile, the trend per category, unprompted vs prompted.

Each function takes part of ``practice.progress.Profile.to_json()`` (plain numbers) and returns a
new Figure that pyplot never sees. Colour is never the only encoding: bars carry hatches and
written counts, and the trend is one titled panel per category.
The text summaries are in ``documents.progress``. The cohort debrief draws its "habits of the
room" with ``render_category_profile`` too.
"""

from __future__ import annotations

import math
from typing import Any

from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from ._style import DEBRIEF_STATUS_STYLE, OKABE_ITO
from .debrief import _empty, stacked_shares
from .figures import GREY, new_figure, style_axes

# (share key, legend label, colour, hatch): only "reasoned" earns credit, so it leads
LEVEL_STYLE: tuple[tuple[str, str, str, str], ...] = (
    ("reasoned", "reasoned", OKABE_ITO["bluish_green"], ""),
    ("named", "named only", OKABE_ITO["yellow"], ".."),
    ("dismissed", "dismissed", OKABE_ITO["vermillion"], "\\\\"),
    ("missed", "not raised", GREY, "xx"),
)
LINE_COLOUR = OKABE_ITO["blue"]


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
    """One small panel per category: the share of its items reasoned in each attempt (dots) and
    its recent level (the line: the mean over the latest attempts), first to latest."""
    columns = min(4, max(1, len(trend)))
    rows = max(1, math.ceil(len(trend) / columns))
    fig = new_figure(6.4, 1.25 * rows + 0.9)
    title = "Trend: share reasoned per category, attempt by attempt"
    if not trend:
        return _empty(fig, title, "No attempts yet")
    fig.suptitle(title, fontsize=10, x=0.02, ha="left")
    last = max(p["attempt"] for t in trend for p in t["points"])
    axes = fig.subplots(rows, columns, sharex=True, sharey=True, squeeze=False)
    for n, ax in enumerate(axes.flat):
        if n >= len(trend):
            ax.set_axis_off()
            continue
        t = trend[n]
        style_axes(ax)
        xs = [p["attempt"] for p in t["points"]]
        ax.scatter(xs, [p["reasoned"] for p in t["points"]], s=6, color=GREY, linewidths=0)
        ax.plot(xs, [p["rolling"] for p in t["points"]], color=LINE_COLOUR, linewidth=1.4)
        ax.set_title(f"{t['category']} {t['first']:.0%}\u2192{t['latest']:.0%}", fontsize=7,
                     loc="left")  # fmt: skip
        ax.set_ylim(-0.08, 1.08)
        ax.set_xlim(0.5, last + 0.5)
        ax.set_yticks([0, 0.5, 1])
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.tick_params(labelsize=7)
    fig.supxlabel("attempt (oldest first); dots: each attempt, line: the recent level", fontsize=8)
    fig.subplots_adjust(left=0.09, right=0.98, top=1 - 0.55 / fig.get_figheight(),
                        bottom=0.55 / fig.get_figheight(), hspace=0.75, wspace=0.15)  # fmt: skip
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
