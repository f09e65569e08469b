"""The cohort debrief's five charts as SVG, for the instructors' ``DebriefWidget``.

The print versions (``charts.debrief``, matplotlib) stay for the HTML report; these say the same
things in the same colours, hatches and words, but are written by plain Python, so opening the
instructor notebook no longer costs a matplotlib import and five print-resolution rasterisations
(about a second). Every chart takes one scenario section of ``debrief.Debrief.to_json()``, exactly
what the matplotlib ``render_*`` functions take, so neither ever touches a submission.

Colour is never the only encoding: hatches, marker shapes and written counts carry the same meaning,
and each chart has a text summary in ``staffplus_widgets.documents.debrief``. Learner text (option and
criterion names) goes through the ``Svg`` kit, which escapes it. This module must not import
matplotlib, not even through ``charts.debrief`` (a test holds it to that).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ._style import (
    CHOSEN_COLOUR,
    DEBRIEF_STATUS_STYLE,
    GREY,
    OKABE_ITO,
    REFERENCE_COLOUR,
    TEXT_COLOUR,
    TIE_COLOUR,
    short,
)
from .svgkit import (
    SMALL_SIZE,
    TINY_SIZE,
    Frame,
    Svg,
    SvgChart,
    money_tick,
    nice_ticks,
    swatch_width,
    text_width,
)

# (status, legend label, colour, hatch): the print chart's, from the shared style
STATUS_STYLE = DEBRIEF_STATUS_STYLE
OTHER_COLOUR = CHOSEN_COLOUR
REFERENCE_HATCH = "//"
# The print chart marks ties with dots (".."); the SVG kit draws line hatches only, and crossed
# lines are the one left that neither the reference ("//") nor "no usable matrix" ("xx") uses.
TIE_HATCH = "++"
NONE_HATCH = "xx"
# decoration only (every bar is a count of learners); the print chart uses dots here too
HISTOGRAM_HATCH = "\\\\"
WIDTH = 560  # wider than a learner's live charts: the debrief has the notebook's full width
ROW = 26  # pixels per bar or range row
TOP = 30  # the plot starts under the title


def _reference_diamond(svg: Svg, x: float, y: float, r: float) -> None:
    """The scenario reference: a white diamond with a vermillion edge, as the print chart."""
    svg.diamond(x, y, r, fill="#ffffff", stroke=OKABE_ITO["vermillion"], stroke_width=1.5)


def _triangle(x: float, y: float, r: float, *, up: bool) -> list[tuple[float, float]]:
    """A triangle centred on (x, y) pointing up or down (matplotlib's "^" and "v")."""
    tip, base = (-r, 0.65 * r) if up else (r, -0.65 * r)
    return [(x, y + tip), (x + 0.95 * r, y + base), (x - 0.95 * r, y + base)]


def _label_column(labels: Sequence[str], share: float) -> float:
    """The left margin for row labels: the longest label's width, at most ``share`` of the width."""
    return min(WIDTH * share, max(text_width(t, SMALL_SIZE) for t in labels) + 14)


def _axis_label(svg: Svg, frame: Frame, text: str) -> None:
    svg.text(
        (frame.left + frame.right) / 2,
        frame.bottom + 22,
        text,
        size=SMALL_SIZE,
        anchor="middle",
        valign="top",
    )


def _integer_ticks(limit: float, most: int = 6) -> list[float]:
    """Round whole-number ticks from 0 (counts of learners have no halves)."""
    return [t for t in nice_ticks(limit, most) if t == int(t)]


def _percent_ticks(frame: Frame, svg: Svg, limit: float) -> None:
    ticks = nice_ticks(limit, 6)
    frame.x_ticks(svg, ticks, [f"{t:.0%}" for t in ticks])


class _DebriefSvg(SvgChart):
    width = WIDTH

    def _page(self, title: str, height: float) -> Svg:
        svg = Svg(self.width, height, title)
        svg.title_text(title)
        return svg


class ItemStatusSvg(_DebriefSvg):
    """Per rubric item, the share of learners who raised it unprompted, when prompted, or not at all."""

    TITLE = "Rubric items: who raised what"

    def draw(self, section: dict[str, Any]) -> Svg:
        items = section["items"]
        if not items or not section["learners"]:
            return self._empty(self.TITLE, "No learners yet", 120)
        bottom = TOP + ROW * len(items)
        height = bottom + 72
        svg = self._page(self.TITLE, height)
        labels = [short(r["id"], 28) for r in items]
        left = _label_column(labels, 0.4)
        frame = Frame(left, TOP, self.width - 16, bottom, (0, 1), (0, 1))
        frame.spines(svg)
        _percent_ticks(frame, svg, 1.0)
        _axis_label(svg, frame, "share of learners")
        for i, (row, label) in enumerate(zip(items, labels)):
            with svg.group(f"item-{i}"):
                y = TOP + ROW * (i + 0.5)
                svg.text(left - 6, y, label, size=SMALL_SIZE, anchor="end")
                start = 0.0
                for status, _legend, colour, hatch in STATUS_STYLE:
                    share = row["shares"][status]
                    if share <= 0:
                        continue
                    x0, x1 = frame.x(start), frame.x(start + share)
                    svg.rect(x0, y - ROW * 0.31, x1 - x0, ROW * 0.62, fill=colour, hatch=hatch)
                    # the print chart's rule: a count fits on a segment of 8% or more
                    if share >= 0.08:
                        svg.text(
                            (x0 + x1) / 2,
                            y,
                            str(row["counts"][status]),
                            size=TINY_SIZE,
                            anchor="middle",
                            backdrop=True,
                        )
                    start += share
        _swatches(svg, [(c, h, lbl) for _s, lbl, c, h in STATUS_STYLE], height - 14)
        return svg


def _swatches(svg: Svg, entries: Sequence[tuple[str, str, str]], y: float) -> None:
    """Legend boxes (colour, hatch, label) in one row centred under the plot."""
    total = sum(swatch_width(label) for _c, _h, label in entries) - 12
    x = (svg.width - total) / 2
    for colour, hatch, label in entries:
        x += svg.swatch(x, y, colour, hatch, label)


class ChosenOptionsSvg(_DebriefSvg):
    """How many learners' matrices chose each option; the reference choice hatched and labelled.

    Rows are ``option-N`` (each option chosen outright), ``tie-N`` (each set of options tied for
    first) and ``no-matrix`` (no usable matrix), in that order, as the print chart.
    """

    TITLE = "Chosen option (each learner's trade-off winner)"

    def draw(self, section: dict[str, Any]) -> Svg:
        c = section["chosen_options"]
        rows: list[tuple[str, str, int, str, str]] = []  # group id, label, learners, colour, hatch
        for i, o in enumerate(c["options"]):
            ref = o["reference"]
            rows.append(
                (
                    f"option-{i}",
                    short(o["option"]) + (" (ref.)" if ref else ""),
                    o["learners"],
                    REFERENCE_COLOUR if ref else OTHER_COLOUR,
                    REFERENCE_HATCH if ref else "",
                )
            )
        for i, t in enumerate(c["ties"]):
            label = short("tie: " + " / ".join(t["options"]))
            rows.append((f"tie-{i}", label, t["learners"], TIE_COLOUR, TIE_HATCH))
        if c["none"]:
            rows.append(("no-matrix", "no usable matrix", c["none"], GREY, NONE_HATCH))
        if not rows:
            return self._empty(self.TITLE, "No learners yet", 120)
        bottom = TOP + ROW * len(rows)
        height = bottom + 46
        svg = self._page(self.TITLE, height)
        left = _label_column([r[1] for r in rows], 0.45)
        # room right of the longest bar for its count, as the print chart's limit
        limit = max(r[2] for r in rows) * 1.15 + 0.5
        frame = Frame(left, TOP, self.width - 16, bottom, (0, limit), (0, 1))
        frame.spines(svg)
        ticks = _integer_ticks(limit, 5)
        frame.x_ticks(svg, ticks, [str(int(t)) for t in ticks])
        _axis_label(svg, frame, "learners")
        for i, (ident, label, n, colour, hatch) in enumerate(rows):
            with svg.group(ident):
                y = TOP + ROW * (i + 0.5)
                svg.text(left - 6, y, label, size=SMALL_SIZE, anchor="end")
                x0, x1 = frame.x(0), frame.x(n)
                if n > 0:
                    svg.rect(x0, y - ROW * 0.31, x1 - x0, ROW * 0.62, fill=colour, hatch=hatch)
                svg.text(x1 + 4, y, str(n), size=SMALL_SIZE)
        return svg


class WeightSpreadSvg(_DebriefSvg):
    """Per criterion, the min-max range of learners' normalised weights, the median and the reference."""

    TITLE = "Normalised weight per criterion"

    def draw(self, section: dict[str, Any]) -> Svg:
        rows = [wt for wt in section["weights"] if wt["learners"]]
        if not rows:
            return self._empty(self.TITLE, "No weights yet", 120)
        bottom = TOP + ROW * len(rows)
        height = bottom + 72
        svg = self._page(self.TITLE, height)
        labels = [short(wt["criterion"]) + f" (n={wt['learners']})" for wt in rows]
        left = _label_column(labels, 0.45)
        top = max(max(wt["max"] for wt in rows), max((wt["reference"] or 0) for wt in rows))
        limit = min(1.0, top * 1.15 + 0.02)
        frame = Frame(left, TOP, self.width - 16, bottom, (0, limit), (0, 1))
        frame.spines(svg)
        _percent_ticks(frame, svg, limit)
        _axis_label(svg, frame, "share of the total weight")
        blue = OKABE_ITO["blue"]
        for i, (wt, label) in enumerate(zip(rows, labels)):
            with svg.group(f"criterion-{i}"):
                y = TOP + ROW * (i + 0.5)
                svg.text(left - 6, y, label, size=SMALL_SIZE, anchor="end")
                x0, x1 = frame.x(wt["min"]), frame.x(wt["max"])
                svg.line(x0, y, x1, y, stroke=blue, width=3)
                for x in (x0, x1):
                    svg.line(x, y - 6, x, y + 6, stroke=TEXT_COLOUR, width=1.2)
                svg.circle(frame.x(wt["median"]), y, 4, fill=blue)
                # drawn last: the reference stays visible where it sits on the median
                if wt["reference"] is not None:
                    _reference_diamond(svg, frame.x(wt["reference"]), y, 5)
        _weight_legend(svg, height - 14)
        return svg


def _weight_legend(svg: Svg, y: float) -> None:
    """The print chart's legend: range with end ticks, median dot, reference diamond."""
    labels = ("learners' min to max", "median", "scenario reference")
    total = sum(24 + text_width(t, TINY_SIZE) + 14 for t in labels) - 14
    x = (svg.width - total) / 2
    blue = OKABE_ITO["blue"]
    for i, label in enumerate(labels):
        if i == 0:
            svg.line(x, y, x + 18, y, stroke=blue, width=3)
            for tick in (x, x + 18):
                svg.line(tick, y - 5, tick, y + 5, stroke=TEXT_COLOUR, width=1.2)
        elif i == 1:
            svg.circle(x + 9, y, 4, fill=blue)
        else:
            _reference_diamond(svg, x + 9, y, 5)
        svg.text(x + 24, y, label, size=TINY_SIZE)
        x += 24 + text_width(label, TINY_SIZE) + 14


def log_ticks(lo: float, hi: float) -> tuple[list[float], list[float]]:
    """Labelled and unlabelled tick values of a log axis from ``lo`` to ``hi`` (both > 0).

    Powers of ten are labelled; when fewer than two fall inside, the 2s and 5s are labelled too,
    and then every multiple, so a narrow range still has labelled ticks. The other multiples of
    each power (2..9) are short unlabelled ticks, as matplotlib's minor ticks.
    """
    first, last = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    inside = [
        m * 10.0**e
        for e in range(first, last + 1)
        for m in range(1, 10)
        if lo * (1 - 1e-9) <= m * 10.0**e <= hi * (1 + 1e-9)
    ]

    def lead(v: float) -> int:
        return round(v / 10.0 ** math.floor(math.log10(v) + 1e-9))

    labelled: list[float] = []
    for keep in ({1}, {1, 2, 5}, set(range(1, 10))):
        labelled = [v for v in inside if lead(v) in keep]
        if len(labelled) >= 2:
            break
    return labelled, [v for v in inside if v not in labelled]


class CostSpreadSvg(_DebriefSvg):
    """Every learner's monthly estimate as a marker on a log axis, with the reference range as a band.

    The marker's shape says where it falls: a triangle pointing down below the range, a circle
    inside, a triangle pointing up above it. Learners with the same estimate stack vertically.
    Marker groups are ``learner-N``, N the index into ``section["cost"]["values"]``.
    """

    TITLE = "Monthly cost estimates against the reference range"
    height_px = 194

    def draw(self, section: dict[str, Any]) -> Svg:
        c = section["cost"]
        if not c["values"]:
            return self._empty(self.TITLE, "No cost estimates yet", 120)
        low, high = c["range"]
        svg = self._page(self.TITLE, self.height_px)
        # $0 cannot sit on a log axis; those learners are in the counts and the summary
        values = [(i, v) for i, v in enumerate(c["values"]) if v > 0]
        points = [v for _i, v in values] + [x for x in (low, high) if x > 0]
        lo = min(points, default=1.0) / 1.6
        hi = max(points, default=10.0) * 1.6
        bottom = self.height_px - 46
        # side margins wide enough for half a tick label at either end of the axis
        frame = Frame(
            22, TOP, self.width - 22, bottom, (math.log10(lo), math.log10(hi)), (-0.6, 0.6)
        )

        def x_of(value: float) -> float:
            return frame.x(math.log10(value))

        if high > lo:
            with svg.group("reference-band"):
                x0 = x_of(max(low, lo))
                svg.rect(
                    x0,
                    frame.top,
                    x_of(high) - x0,
                    frame.bottom - frame.top,
                    fill=OKABE_ITO["bluish_green"],
                    opacity=0.18,
                    hatch="/",
                    stroke=None,
                )
        frame.spines(svg)
        labelled, minor = log_ticks(lo, hi)
        for value in minor:
            svg.line(x_of(value), frame.bottom, x_of(value), frame.bottom + 2.5)
        frame.x_ticks(svg, [math.log10(v) for v in labelled], [money_tick(v) for v in labelled])
        _axis_label(svg, frame, "USD per month (log scale); band = reference range")
        # spread equal values vertically so each learner stays visible (the print chart's rule)
        seen: dict[float, int] = {}
        blue = OKABE_ITO["blue"]
        for index, value in values:
            key = round(math.log10(value), 2)
            level = 0.12 * (seen.get(key, 0) % 5) - 0.24
            seen[key] = seen.get(key, 0) + 1
            x, y = x_of(value), frame.y(level)
            with svg.group(f"learner-{index}"):
                if value < low:
                    svg.polygon(_triangle(x, y, 5.5, up=False), fill=blue, stroke=TEXT_COLOUR)
                elif value > high:
                    svg.polygon(_triangle(x, y, 5.5, up=True), fill=blue, stroke=TEXT_COLOUR)
                else:
                    svg.circle(x, y, 4.5, fill=blue)
        # commas, not the print chart's double spaces: SVG collapses runs of spaces into one
        counts = f"below {c['below']}, inside {c['inside']}, above {c['above']}" + (
            f", missing {c['missing']}" if c["missing"] else ""
        )
        zero = len(c["values"]) - len(values)
        if zero:
            counts += f" ({zero} at $0, not drawn)"
        svg.text(
            frame.left + 6, frame.top + 4, counts, size=SMALL_SIZE, valign="top", backdrop=True
        )
        return svg


class ScoreHistogramSvg(_DebriefSvg):
    """Learners per score band of ten points, with the count written on each bar (``band-N``)."""

    TITLE = "Score distribution"
    height_px = 204

    def draw(self, section: dict[str, Any]) -> Svg:
        s = section["scores"]
        if not s["values"]:
            return self._empty(self.TITLE, "No scores yet", 120)
        svg = self._page(self.TITLE, self.height_px)
        edges, counts = s["edges"], s["counts"]
        limit = max(counts) * 1.3 + 0.5
        ticks = _integer_ticks(limit, 4)
        left = max(text_width(str(int(t)), SMALL_SIZE) for t in ticks) + 36
        bottom = self.height_px - 46
        frame = Frame(left, TOP, self.width - 16, bottom, (edges[0], edges[-1]), (0, limit))
        frame.spines(svg)
        frame.y_ticks(svg, ticks, [str(int(t)) for t in ticks])
        frame.x_ticks(svg, edges, [f"{e:g}" for e in edges])
        _axis_label(svg, frame, "score (0-100)")
        svg.text(
            12,
            (frame.top + frame.bottom) / 2,
            "learners",
            size=SMALL_SIZE,
            anchor="middle",
            rotate=-90,
        )
        for i, (a, b, n) in enumerate(zip(edges, edges[1:], counts)):
            with svg.group(f"band-{i}"):
                if not n:
                    continue
                x0, x1, top = frame.x(a), frame.x(b), frame.y(n)
                svg.rect(
                    x0,
                    top,
                    x1 - x0,
                    frame.bottom - top,
                    fill=OKABE_ITO["blue"],
                    hatch=HISTOGRAM_HATCH,
                    stroke_width=0.5,
                )
                svg.text(
                    (x0 + x1) / 2, top - 2, str(n), size=TINY_SIZE, anchor="middle", valign="bottom"
                )
        median = s["median"]
        if median is not None:
            with svg.group("median"):
                x = frame.x(median)
                svg.line(
                    x,
                    frame.top,
                    x,
                    frame.bottom,
                    stroke=OKABE_ITO["vermillion"],
                    width=1.4,
                    dash="5 3",
                )
                # near the right edge the label goes to the line's left, inside the picture
                right = x + text_width(f"median {median:g}", TINY_SIZE) + 4 > self.width - 4
                svg.text(
                    x - 3 if right else x + 3,
                    frame.top + 1,
                    f"median {median:g}",
                    size=TINY_SIZE,
                    anchor="end" if right else "start",
                    valign="top",
                    backdrop=True,
                )
        return svg


CHARTS: dict[str, type[SvgChart]] = {
    "items": ItemStatusSvg,
    "options": ChosenOptionsSvg,
    "weights": WeightSpreadSvg,
    "cost": CostSpreadSvg,
    "scores": ScoreHistogramSvg,
}
