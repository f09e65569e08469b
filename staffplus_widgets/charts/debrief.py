"""Cohort debrief charts: one function per question an instructor asks of the room.

Every function takes one scenario section of ``debrief.Debrief.to_json()`` (plain numbers, so the
charts never touch a submission) and returns a new Figure that pyplot never sees. Colour is never
the only encoding: hatches, markers and written counts carry the same meaning, and each chart has a
text summary in ``staffplus_widgets.documents.debrief`` (``items_summary``, ``options_summary``, ...).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, PercentFormatter

from ._style import CHOSEN_COLOUR, DEBRIEF_STATUS_STYLE, REFERENCE_COLOUR, TIE_COLOUR
from .figures import GREY, OKABE_ITO, TEXT_COLOUR, money, new_figure, short, style_axes

# (status, legend label, colour, hatch), shared with the live charts: the hatch repeats the colour
STATUS_STYLE = DEBRIEF_STATUS_STYLE
OTHER_COLOUR = CHOSEN_COLOUR


@contextmanager
def literal_text() -> Iterator[None]:
    """Draw every string literally while figures are built and saved.

    Learner text such as "save $5 or $10" would otherwise be parsed as mathtext, which draws it
    wrongly or raises on malformed input (a submission must never break a chart). Text must also
    be encodable (see ``export.text_safe``): FreeType rejects lone surrogates.
    """
    with rc_context({"text.parse_math": False}), warnings.catch_warnings():
        # a learner's CJK or symbol text may lack a glyph in the default font: it is drawn as a box,
        # and the chart's text summary has it in full, so the warning is noise
        warnings.filterwarnings(
            "ignore", message=r"Glyph .* missing from font", category=UserWarning
        )
        yield


M = TypeVar("M")  # what a figure is drawn from


def render_png(render: Callable[[M], Figure], model: M, dpi: float) -> bytes:
    """``render(model)`` as PNG bytes at ``dpi``, with literal text; the figure is closed."""
    from .figures import figure_png

    with literal_text():
        fig = render(model)
        fig.set_dpi(dpi)
        return figure_png(fig)


def _empty(fig: Figure, title: str, message: str) -> Figure:
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(title, fontsize=10, loc="left")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=10, transform=ax.transAxes)
    return fig


def _margins(fig: Figure, left: float, top_in: float = 0.45, bottom_in: float = 0.6) -> None:
    height = fig.get_figheight()
    fig.subplots_adjust(left=left, right=0.97, top=1 - top_in / height, bottom=bottom_in / height)


def _legend_below(fig: Figure, handles: list[Any], left: float) -> None:
    """The legend in one row of three under the plot, with the margins that make room for it."""
    fig.legend(handles=handles, fontsize=7, frameon=False, ncol=3, loc="lower center")
    _margins(fig, left, bottom_in=0.85)


def stacked_shares(
    fig: Figure,
    title: str,
    labels: list[str],
    rows: list[tuple[dict[str, float], dict[str, int]]],
    style: tuple[tuple[str, str, str, str], ...],
    xlabel: str,
    left_margin: float,
) -> Figure:
    """One horizontal bar per row of shares stacked in ``style`` order ((key, legend label, colour,
    hatch)), each wide enough segment with its count written on it, the legend below."""
    ax = fig.add_subplot()
    style_axes(ax)
    ax.set_title(title, fontsize=10, loc="left")
    positions = list(range(len(rows)))
    ax.set_yticks(positions, labels)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(xlabel, fontsize=9)
    left = [0.0] * len(rows)
    for key, _label, colour, hatch in style:
        widths = [shares[key] for shares, _counts in rows]
        ax.barh(
            positions,
            widths,
            left=left,
            height=0.62,
            color=colour,
            hatch=hatch,
            edgecolor=TEXT_COLOUR,
            linewidth=0.5,
        )
        for p, (x0, w, (_shares, counts)) in enumerate(zip(left, widths, rows)):
            if w >= 0.08:
                ax.text(
                    x0 + w / 2,
                    p,
                    str(counts[key]),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color=TEXT_COLOUR,
                    bbox={
                        "boxstyle": "round,pad=0.1",
                        "facecolor": "white",
                        "edgecolor": "none",
                        "alpha": 0.85,
                    },
                )
        left = [a + b for a, b in zip(left, widths)]
    _legend_below(
        fig,
        [
            Patch(facecolor=c, hatch=h, edgecolor=TEXT_COLOUR, linewidth=0.5, label=lbl)
            for _s, lbl, c, h in style
        ],
        left_margin,
    )
    return fig


def render_item_status(section: dict[str, Any]) -> Figure:
    """Per rubric item, the share of learners who raised it unprompted, when prompted, or not at all."""
    items = section["items"]
    fig = new_figure(6.4, max(2.0, 0.3 * len(items) + 1.4))
    title = "Rubric items: who raised what"
    if not items or not section["learners"]:
        return _empty(fig, title, "No learners yet")
    labels = [short(r.get("label") or r["id"], 34) for r in items]
    rows = [(r["shares"], r["counts"]) for r in items]
    return stacked_shares(fig, title, labels, rows, STATUS_STYLE, "share of learners", 0.3)


def render_chosen_options(section: dict[str, Any]) -> Figure:
    """How many learners' matrices chose each option; the reference choice hatched and labelled."""
    c = section["chosen_options"]
    rows: list[tuple[str, int, str, str]] = []  # label, learners, colour, hatch
    for o in c["options"]:
        ref = o["reference"]
        rows.append(
            (
                short(o["option"]) + (" (ref.)" if ref else ""),
                o["learners"],
                REFERENCE_COLOUR if ref else OTHER_COLOUR,
                "//" if ref else "",
            )
        )
    for t in c["ties"]:
        rows.append((short("tie: " + " / ".join(t["options"])), t["learners"], TIE_COLOUR, ".."))
    if c["none"]:
        rows.append(("no usable matrix", c["none"], GREY, "xx"))
    fig = new_figure(6.0, max(1.8, 0.34 * len(rows) + 1.1))
    title = "Chosen option (each learner's trade-off winner)"
    if not rows:
        return _empty(fig, title, "No learners yet")
    ax = fig.add_subplot()
    style_axes(ax)
    ax.set_title(title, fontsize=10, loc="left")
    positions = list(range(len(rows)))
    counts = [r[1] for r in rows]
    ax.barh(
        positions,
        counts,
        height=0.62,
        color=[r[2] for r in rows],
        hatch=None,
        edgecolor=TEXT_COLOUR,
        linewidth=0.5,
    )
    for p, (_label, n, _colour, hatch) in enumerate(rows):
        if hatch:
            ax.barh(
                [p],
                [n],
                height=0.62,
                color="none",
                hatch=hatch,
                edgecolor=TEXT_COLOUR,
                linewidth=0.5,
            )
        ax.text(n, p, f" {n}", va="center", ha="left", fontsize=8, color=TEXT_COLOUR)
    ax.set_yticks(positions, [r[0] for r in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, max(counts) * 1.15 + 0.5)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("learners", fontsize=9)
    _margins(fig, 0.38)
    return fig


def render_weight_spread(section: dict[str, Any]) -> Figure:
    """Per criterion, the min-max range of learners' normalised weights, the median and the reference."""
    rows = [w for w in section["weights"] if w["learners"]]
    fig = new_figure(6.0, max(1.8, 0.34 * len(rows) + 1.3))
    title = "Normalised weight per criterion"
    if not rows:
        return _empty(fig, title, "No weights yet")
    ax = fig.add_subplot()
    style_axes(ax)
    ax.set_title(title, fontsize=10, loc="left")
    positions = list(range(len(rows)))
    for p, w in enumerate(rows):
        ax.plot(
            [w["min"], w["max"]],
            [p, p],
            color=OKABE_ITO["blue"],
            linewidth=2.2,
            solid_capstyle="butt",
        )
        ax.plot(
            [w["min"], w["max"]],
            [p, p],
            linestyle="none",
            marker="|",
            markersize=10,
            color=TEXT_COLOUR,
        )
        ax.plot(
            [w["median"]],
            [p],
            linestyle="none",
            marker="o",
            markersize=6,
            color=OKABE_ITO["blue"],
            markeredgecolor=TEXT_COLOUR,
        )
        if w["reference"] is not None:
            ax.plot(
                [w["reference"]],
                [p],
                linestyle="none",
                marker="D",
                markersize=6,
                color="white",
                markeredgecolor=OKABE_ITO["vermillion"],
                markeredgewidth=1.5,
            )
    ax.set_yticks(positions, [short(w["criterion"]) + f" (n={w['learners']})" for w in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    top = max(max(w["max"] for w in rows), max((w["reference"] or 0) for w in rows))
    ax.set_xlim(0, min(1.0, top * 1.15 + 0.02))
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("share of the total weight", fontsize=9)
    _legend_below(
        fig,
        [
            Line2D(
                [],
                [],
                color=OKABE_ITO["blue"],
                linewidth=2.2,
                marker="|",
                markersize=10,
                markeredgecolor=TEXT_COLOUR,
                label="learners' min to max",
            ),
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                color=OKABE_ITO["blue"],
                markeredgecolor=TEXT_COLOUR,
                label="median",
            ),
            Line2D(
                [],
                [],
                linestyle="none",
                marker="D",
                color="white",
                markeredgecolor=OKABE_ITO["vermillion"],
                markeredgewidth=1.5,
                label="scenario reference",
            ),
        ],
        0.4,
    )
    return fig


def render_cost_spread(section: dict[str, Any]) -> Figure:
    """Every learner's monthly estimate as a dot on a log axis, with the reference range as a band."""
    c = section["cost"]
    values = [v for v in c["values"] if v > 0]
    fig = new_figure(6.0, 2.2)
    title = "Monthly cost estimates against the reference range"
    low, high = c["range"]
    if not c["values"]:
        return _empty(fig, title, "No cost estimates yet")
    ax = fig.add_subplot()
    style_axes(ax)
    ax.set_title(title, fontsize=10, loc="left")
    points = values + [x for x in (low, high) if x > 0]
    lo = min(points) / 1.6
    hi = max(points) * 1.6
    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    ax.axvspan(
        max(low, lo),
        high,
        facecolor=OKABE_ITO["bluish_green"],
        alpha=0.18,
        hatch="//",
        edgecolor=OKABE_ITO["bluish_green"],
        linewidth=0,
    )
    # spread equal values vertically so each learner stays visible
    seen: dict[float, int] = {}
    ys = []
    for v in values:
        k = round(math.log10(v), 2)
        ys.append(0.12 * (seen.get(k, 0) % 5) - 0.24)
        seen[k] = seen.get(k, 0) + 1
    markers = {"below": "v", "inside": "o", "above": "^"}
    for v, y in zip(values, ys):
        where = "below" if v < low else "above" if v > high else "inside"
        ax.plot(
            [v],
            [y],
            linestyle="none",
            marker=markers[where],
            markersize=6,
            color=OKABE_ITO["blue"],
            markeredgecolor=TEXT_COLOUR,
        )
    ax.set_ylim(-0.6, 0.6)
    ax.set_yticks([])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: money(x)))
    # minor ticks: money at 2x and 5x a power of ten, nothing elsewhere (matplotlib's own labels
    # are mathtext, which the literal text these charts draw in would print raw)
    ax.xaxis.set_minor_formatter(FuncFormatter(_minor_money))
    ax.text(
        0.01,
        0.93,
        f"below {c['below']}  inside {c['inside']}  above {c['above']}"
        + (f"  missing {c['missing']}" if c["missing"] else ""),
        transform=ax.transAxes,
        fontsize=8,
        va="top",
        color=TEXT_COLOUR,
    )
    ax.set_xlabel("USD per month (log scale); band = reference range", fontsize=9)
    _margins(fig, 0.05, bottom_in=0.6)
    return fig


def _minor_money(x: float, _pos: int | None = None) -> str:
    lead = round(x / 10 ** math.floor(math.log10(x))) if x > 0 else 0
    return money(x) if lead in (2, 5) else ""


def render_score_histogram(section: dict[str, Any]) -> Figure:
    """Learners per score band of ten points, with the count written on each bar."""
    s = section["scores"]
    fig = new_figure(6.0, 2.4)
    title = "Score distribution"
    if not s["values"]:
        return _empty(fig, title, "No scores yet")
    ax = fig.add_subplot()
    style_axes(ax)
    ax.set_title(title, fontsize=10, loc="left")
    edges = s["edges"]
    lefts = edges[:-1]
    ax.bar(
        lefts,
        s["counts"],
        width=[b - a for a, b in zip(edges, edges[1:])],
        align="edge",
        color=OKABE_ITO["blue"],
        hatch="..",
        edgecolor=TEXT_COLOUR,
        linewidth=0.5,
    )
    for x, n, w in zip(lefts, s["counts"], [b - a for a, b in zip(edges, edges[1:])]):
        if n:
            ax.text(x + w / 2, n, str(n), ha="center", va="bottom", fontsize=8, color=TEXT_COLOUR)
    if s["median"] is not None:
        ax.axvline(s["median"], color=OKABE_ITO["vermillion"], linestyle="--", linewidth=1.2)
        ax.text(
            s["median"],
            0.98,
            f" median {s['median']:g}",
            fontsize=8,
            ha="left",
            va="top",
            color=TEXT_COLOUR,
            transform=ax.get_xaxis_transform(),
        )
    ax.set_xlim(edges[0], edges[-1])
    ax.set_xticks(edges)
    ax.set_ylim(0, max(s["counts"]) * 1.3 + 0.5)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("score (0-100)", fontsize=9)
    ax.set_ylabel("learners", fontsize=9)
    _margins(fig, 0.1)
    return fig


RENDERERS = {
    "items": render_item_status,
    "options": render_chosen_options,
    "weights": render_weight_spread,
    "cost": render_cost_spread,
    "scores": render_score_histogram,
}


def render_all(section: dict[str, Any]) -> dict[str, Figure]:
    """Every debrief chart of one scenario section, by key (items, options, weights, cost, scores)."""
    return {key: render(section) for key, render in RENDERERS.items()}
