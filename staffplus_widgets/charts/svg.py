"""The artifact charts, drawn once for both places they appear: the widgets show them live and
the exported design review embeds the same SVG. Built on the SVG kit (``svgkit``), styled by
``_style`` (palette, hatches, letters, state codes and labels).

Every chart class has ``update(model)`` (returns the chart), ``svg()`` (UTF-8 bytes of a complete
SVG document, for an ``Image`` widget with ``format="svg+xml"``), ``width``/``height`` in pixels
and ``texts()`` (every string it writes, for tests and debugging). Learner text is escaped, and
characters XML cannot hold (control characters, lone surrogates) become U+FFFD, so no name can
break the picture.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from ..models.cost import KINDS, PROJECTION_MULTIPLIERS, CostEstimate, CostModel
from ..models.risks import LEVELS, RiskRegister
from ..models.summaries import option_status, robustness
from ..models.tradeoff import SCALE, TradeOffMatrix
from ._style import (
    LABEL_SHARE,
    OKABE_ITO,
    OTHER_COLOUR,
    OTHER_HATCH,
    SCORE_PARTS,
    STATE_LEGEND,
    STATE_STYLE,
    kinds_in,
    letter,
    money,
    option_letters,
    score_categories,
    severity_colour,
    short,
    state_code,
    two_lines,
)
from .svgkit import (  # noqa: F401 - the kit, also reached through this module
    AXIS_COLOUR,
    CHAR_WIDTH,
    FONT,
    KIND_STYLE,
    LABEL_SIZE,
    SMALL_SIZE,
    TINY_SIZE,
    TITLE_SIZE,
    Frame,
    M,
    Svg,
    SvgChart,
    clean,
    money_tick,
    nice_ticks,
    swatch_width,
    text_width,
)


# -- trade-off ---------------------------------------------------------------------------------------
class TotalsSvg(SvgChart[TradeOffMatrix]):
    """Horizontal bars of weighted totals; winner, ties and exclusions in colour, hatch and text."""

    TITLE = "Weighted totals (scores 1-5, higher is better)"

    def draw(self, matrix: TradeOffMatrix) -> Svg:
        names = matrix.option_names()
        if not names or not matrix.criteria:
            return self._empty(self.TITLE, "Add options and criteria to see totals")
        row = 27
        top = 30
        height = max(160, top + row * len(names) + 62)
        svg = Svg(self.width, height, self.TITLE)
        svg.title_text(self.TITLE)
        labels = [f"{letter(i)}  {short(n, 24)}" for i, n in enumerate(names)]
        left = min(self.width * 0.45, max(text_width(t, SMALL_SIZE) for t in labels) + 14)
        bottom = top + row * len(names)
        # room to the right of a full-score bar for its label; a hair left of 0 for the spine
        frame = Frame(left, top, self.width - 8, bottom, (-0.04, SCALE[1] + 1.3), (0, 1))
        frame.spines(svg)
        frame.x_axis(
            svg,
            range(SCALE[0], SCALE[1] + 1),
            map(str, range(SCALE[0], SCALE[1] + 1)),
            "weighted total",
        )
        svg.line(frame.x(SCALE[1]), top, frame.x(SCALE[1]), bottom, stroke="#888888", dash="2 2")
        status = option_status(matrix)
        for i, (name, label) in enumerate(zip(names, labels)):
            with svg.group(f"option-{i}"):
                centre = top + row * (i + 0.5)
                state, total, text = status[name]
                colour, hatch = STATE_STYLE.get(state, (OTHER_COLOUR, OTHER_HATCH))
                svg.text(left - 6, centre, label, size=SMALL_SIZE, anchor="end")
                x0 = frame.x(0)
                svg.rect(
                    x0,
                    centre - row * 0.31,
                    frame.x(total) - x0,
                    row * 0.62,
                    fill=colour,
                    hatch=hatch,
                )
                svg.text(
                    frame.x(total) + 4,
                    centre,
                    f"{total:.2f} {state_code(state, text)}",
                    size=SMALL_SIZE,
                )
        svg.text(6, height - 8, STATE_LEGEND, size=TINY_SIZE)
        return svg


class SensitivitySvg(SvgChart[TradeOffMatrix]):
    """Per criterion: the weight share over which the winner stays first, and who takes over.

    Options are named by their letter (as on the totals chart); a key under the plot spells them
    out, and the robustness share (random +-50% weight changes the winner survives) is on top.
    """

    TITLE = "Where the winner stays first, per criterion"

    def draw(self, matrix: TradeOffMatrix) -> Svg:
        # with a tie for first there is no single winner whose interval means anything
        tied = len(matrix.ranking().winners) > 1
        sens = [] if tied else matrix.sensitivity()
        if not sens:
            return self._empty(
                self.TITLE,
                "Options are tied for first: break the tie to see how far each weight can move"
                if tied
                else "Needs a single winner and at least two feasible options",
            )
        letters = option_letters(matrix)
        entries = [f"{letters[n]} = {short(n, 30)}" for n in matrix.option_names()]
        key = textwrap.wrap(
            "\u2190X / X\u2192: option X takes over past that end. " + "; ".join(entries), 78
        )
        names = matrix.criterion_names()
        row = 30
        top = 36
        bottom = top + row * len(names)
        height = bottom + 40 + 20 + 13 * len(key) + 6
        svg = Svg(self.width, height, self.TITLE)
        svg.title_text(self.TITLE)
        winner = matrix.winner() or ""
        svg.text(
            self.width - 6,
            16,
            f"winner {letters.get(winner, '?')}, robust {robustness(matrix):.0%}",
            size=SMALL_SIZE,
            anchor="end",
        )
        labels = [short(n, 22) for n in names]
        left = min(self.width * 0.4, max(text_width(t, SMALL_SIZE) for t in labels) + 14)
        frame = Frame(left, top, self.width - 16, bottom, (-0.03, 1.03), (0, 1))
        shares = [0, 0.25, 0.5, 0.75, 1.0]
        for share in shares:
            svg.line(frame.x(share), top, frame.x(share), bottom, stroke="#DDDDDD", width=0.7)
        frame.spines(svg)
        frame.x_axis(
            svg,
            shares,
            ["0%", "25%", "50%", "75%", "100%"],
            "criterion's share of the total weight",
        )
        total_weight = sum(c.weight for c in matrix.criteria) or 1.0
        by_name = {s.criterion: s for s in sens}
        vermillion = OKABE_ITO["vermillion"]
        for i, (crit, label) in enumerate(zip(matrix.criteria, labels)):
            with svg.group(f"criterion-{i}"):
                y = top + row * (i + 0.5)
                s = by_name[crit.name]
                svg.text(left - 6, y, label, size=SMALL_SIZE, anchor="end")
                svg.line(
                    frame.x(s.share_low),
                    y,
                    frame.x(s.share_high),
                    y,
                    stroke=OKABE_ITO["sky_blue"],
                    width=8,
                )
                svg.diamond(frame.x(crit.weight / total_weight), y, 5)
                # the letter sits just outside the end it belongs to, inside the plot at an edge
                if s.below:
                    inside = s.share_low <= 0.06
                    svg.text(
                        frame.x(s.share_low) + (3 if inside else -3),
                        y,
                        f"\u2190{letters[s.below]}",
                        size=SMALL_SIZE,
                        bold=True,
                        fill=vermillion,
                        anchor="start" if inside else "end",
                    )
                if s.above:
                    inside = s.share_high >= 0.94
                    svg.text(
                        frame.x(s.share_high) + (-3 if inside else 3),
                        y,
                        f"{letters[s.above]}\u2192",
                        size=SMALL_SIZE,
                        bold=True,
                        fill=vermillion,
                        anchor="end" if inside else "start",
                    )
        legend_y = bottom + 48
        svg.line(8, legend_y, 28, legend_y, stroke=OKABE_ITO["sky_blue"], width=8)
        svg.text(33, legend_y, "winner stays first", size=TINY_SIZE)
        svg.diamond(160, legend_y, 5)
        svg.text(170, legend_y, "current weight", size=TINY_SIZE)
        for i, line in enumerate(key):
            svg.text(6, legend_y + 20 + 13 * i, line, size=TINY_SIZE)
        return svg


# -- risks -------------------------------------------------------------------------------------------
class HeatmapSvg(SvgChart[RiskRegister]):
    """The 5x5 likelihood x impact grid: cells coloured by severity, each with its count of risks."""

    TITLE = "Risks per cell (likelihood x impact)"
    width = 336

    def draw(self, register: RiskRegister) -> Svg:
        height = 296
        svg = Svg(self.width, height, self.TITLE)
        svg.title_text(self.TITLE)
        n = len(LEVELS)
        frame = Frame(58, 30, self.width - 10, height - 44, (0.5, n + 0.5), (0.5, n + 0.5))
        cw = (frame.right - frame.left) / n
        ch = (frame.bottom - frame.top) / n
        grid = register.grid()
        highest = LEVELS[-1] * LEVELS[-1]
        for lk in LEVELS:
            for im in LEVELS:
                with svg.group(f"cell-{lk}-{im}"):
                    severity = lk * im
                    count = grid[lk - 1][im - 1]
                    x, y = frame.x(im - 0.5), frame.y(lk + 0.5)
                    # an occupied cell takes its severity colour (85% over white) and its count
                    # in bold; an empty one keeps a pale tint of it with no number, so the eye
                    # finds the risks and no faded zero sits grey on grey
                    fill = _over_white(
                        severity_colour(severity, 1, highest), 0.85 if count else 0.22
                    )
                    svg.rect(x, y, cw, ch, fill=fill, stroke="#ffffff", stroke_width=1.5)
                    ink = ink_on(fill)
                    svg.text(
                        x + cw - 3,
                        y + ch - 3,
                        f"sev {severity}",
                        size=8,
                        anchor="end",
                        valign="bottom",
                        fill=ink,
                    )
                    if count:
                        svg.text(
                            x + cw / 2,
                            y + ch / 2 - 2,
                            str(count),
                            size=16,
                            bold=True,
                            anchor="middle",
                            fill=ink,
                        )
        frame.x_ticks(svg, LEVELS, map(str, LEVELS))
        frame.y_ticks(svg, LEVELS, map(str, LEVELS))
        svg.text(
            (frame.left + frame.right) / 2,
            height - 20,
            "impact (1-5)",
            size=LABEL_SIZE,
            anchor="middle",
            valign="top",
        )
        mid = (frame.top + frame.bottom) / 2
        svg.text(22, mid, "likelihood (1-5)", size=LABEL_SIZE, anchor="middle", rotate=-90)
        return svg


def _luminance(colour: str) -> float:
    """WCAG relative luminance of #rrggbb."""

    def linear(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours (1 to 21; AA asks 4.5 for small text)."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def ink_on(fill: str) -> str:
    """Black or white, whichever reads better on ``fill``."""
    return max(("#000000", "#ffffff"), key=lambda ink: contrast(ink, fill))


def _over_white(colour: str, alpha: float = 0.85) -> str:
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * alpha + 255 * (1 - alpha)):02x}" for c in channels)


# -- cost ----------------------------------------------------------------------------------------------


def _legend_rows(kinds: Sequence[str], width: float) -> list[list[str]]:
    """Cost kinds laid out left to right, wrapping at ``width`` pixels."""
    rows: list[list[str]] = [[]]
    used = 0.0
    for kind in kinds:
        need = swatch_width(KINDS[kind].title)
        if rows[-1] and used + need > width:
            rows.append([])
            used = 0.0
        rows[-1].append(kind)
        used += need
    return rows if rows[0] else []


def _legend(svg: Svg, rows: list[list[str]], x: float, y: float) -> None:
    """The swatches of ``_legend_rows``, the first row centred on ``y``, 16 px apart."""
    for line, kinds in enumerate(rows):
        left = x
        for kind in kinds:
            colour, hatch = KIND_STYLE[kind]
            left += svg.swatch(left, y + 16 * line, colour, hatch, KINDS[kind].title)


class CostBreakdownSvg(SvgChart[CostModel]):
    """Today's monthly total as one horizontal bar, stacked by line item (colour and hatch by kind)."""

    TITLE = "Monthly cost today, by line item"

    def draw(self, model: CostModel) -> Svg:
        if not model.lines:
            return self._empty(self.TITLE, "Add a cost line to see the breakdown", 184)
        est = model.estimate()
        limit = self._sticky(est.total, 1.02)
        rows = _legend_rows(kinds_in(KINDS, model), self.width - 28)
        height = 150 + 16 * len(rows)
        svg = Svg(self.width, height, self.TITLE)
        svg.title_text(self.TITLE)
        svg.text(14, 38, f"total {money(est.total)} per month", size=LABEL_SIZE)
        frame = Frame(14, 50, self.width - 24, 104, (0, limit), (0, 1))
        frame.spines(svg, left=False)
        ticks = nice_ticks(limit, 5)
        frame.x_ticks(svg, ticks, [money_tick(t) for t in ticks])
        left = 0.0
        for i, cost in enumerate(est.lines):
            with svg.group(f"line-{i}"):
                colour, hatch = KIND_STYLE[cost.kind]
                x0, x1 = frame.x(left), frame.x(left + cost.monthly_usd)
                svg.rect(x0, 56, x1 - x0, 42, fill=colour, hatch=hatch)
                share = cost.monthly_usd / est.total if est.total else 0.0
                if share >= LABEL_SHARE:
                    svg.text(
                        (x0 + x1) / 2,
                        77,
                        f"{short(cost.name, 12)}\n{share:.0%}",
                        size=TINY_SIZE,
                        anchor="middle",
                        backdrop=True,
                    )
                left += cost.monthly_usd
        _legend(svg, rows, 14, 138)
        return svg


def _columns(
    svg: Svg,
    frame: Frame,
    stacks: Sequence[dict[str, float]],
    kinds: Sequence[str],
    totals: Sequence[str],
    *,
    label_size: float,
) -> None:
    """One stacked column per entry of ``stacks`` (kind -> amount) at x = 0, 1, ..., labelled on top."""
    for i, (stack, label) in enumerate(zip(stacks, totals)):
        with svg.group(f"column-{i}"):
            x0, x1 = frame.x(i - 0.275), frame.x(i + 0.275)
            bottom = 0.0
            for kind in kinds:
                amount = stack.get(kind, 0.0)
                if amount <= 0:
                    continue
                colour, hatch = KIND_STYLE[kind]
                y0, y1 = frame.y(bottom), frame.y(bottom + amount)
                svg.rect(x0, y1, x1 - x0, y0 - y1, fill=colour, hatch=hatch, stroke_width=0.5)
                bottom += amount
            top = frame.y(bottom) - 3
            svg.text((x0 + x1) / 2, top, label, size=label_size, anchor="middle", valign="bottom")


def _by_kind(estimate: CostEstimate) -> dict[str, float]:
    out: dict[str, float] = {}
    for cost in estimate.lines:
        out[cost.kind] = out.get(cost.kind, 0.0) + cost.monthly_usd
    return out


class _ColumnsSvg(SvgChart[M]):
    """Stacked dollar columns with their labels under the axis and the kinds' key below that."""

    TITLE = ""
    EMPTY = ""
    HEADROOM = 1.2
    plot_height = 200
    label_lines = 1

    def draw(self, model: M) -> Svg:
        models = self._models(model)
        if not models:
            return self._empty(self.TITLE, self.EMPTY, 272)
        estimates = self._estimates(model)
        limit = self._sticky(max((e.total for e in estimates), default=0.0), self.HEADROOM)
        rows = _legend_rows(kinds_in(KINDS, *models), self.width - 20)
        # the tallest column's label needs room above it: lines of it over the headroom
        top = 30
        bottom = top + self.plot_height
        under = bottom + 8 + 12 * self.label_lines
        height = under + 14 + 16 * len(rows)
        svg = Svg(self.width, height, self.TITLE)
        svg.title_text(self.TITLE)
        ticks = nice_ticks(limit, 5)
        left = max(text_width(money_tick(t), SMALL_SIZE) for t in ticks) + 30
        frame = Frame(left, top, self.width - 8, bottom, (-0.6, len(estimates) - 0.4), (0, limit))
        frame.spines(svg)
        frame.y_ticks(svg, ticks, [money_tick(t) for t in ticks])
        mid = (frame.top + frame.bottom) / 2
        svg.text(12, mid, "USD per month", size=SMALL_SIZE, anchor="middle", rotate=-90)
        for i, label in enumerate(self._column_labels(model)):
            svg.line(frame.x(i), bottom, frame.x(i), bottom + 4)
            svg.text(frame.x(i), bottom + 6, label, size=TINY_SIZE, anchor="middle", valign="top")
        stacks = [_by_kind(e) for e in estimates]
        kinds = kinds_in(KINDS, *models)
        _columns(svg, frame, stacks, kinds, self._totals(estimates), label_size=TINY_SIZE)
        _legend(svg, rows, 10, under + 14)
        return svg

    def _models(self, model: M) -> list[CostModel]:
        raise NotImplementedError

    def _estimates(self, model: M) -> list[CostEstimate]:
        raise NotImplementedError

    def _column_labels(self, model: M) -> list[str]:
        raise NotImplementedError

    def _totals(self, estimates: list[CostEstimate]) -> list[str]:
        return [money(e.total) for e in estimates]


class ProjectionSvg(_ColumnsSvg[CostModel]):
    """Stacked monthly cost at x1, x3 and x10 traffic, each column naming its largest line."""

    TITLE = "Monthly cost as traffic grows"
    EMPTY = "Add a cost line to see the projection"
    HEADROOM = 1.35  # three lines of label over the tallest column

    def _models(self, model: CostModel) -> list[CostModel]:
        return [model] if model.lines else []

    def _estimates(self, model: CostModel) -> list[CostEstimate]:
        return model.projection()

    def _column_labels(self, model: CostModel) -> list[str]:
        return [f"x{m:g} traffic" + (" (today)" if m == 1 else "") for m in PROJECTION_MULTIPLIERS]

    def _totals(self, estimates: list[CostEstimate]) -> list[str]:
        labels = []
        for est in estimates:
            dominant = est.dominant
            share = dominant.monthly_usd / est.total if dominant and est.total else 0.0
            name = short(dominant.name, 16) if dominant else "-"
            labels.append(f"{money(est.total)}\nlargest ({share:.0%}):\n{name}")
        return labels


class ComparisonSvg(_ColumnsSvg[dict[str, CostModel]]):
    """Design options' monthly cost side by side, stacked by kind of line."""

    TITLE = "Monthly cost of each option, by kind of line"
    EMPTY = "Nothing to compare"
    label_lines = 2

    def _models(self, models: dict[str, CostModel]) -> list[CostModel]:
        return list(models.values())

    def _estimates(self, models: dict[str, CostModel]) -> list[CostEstimate]:
        return [m.estimate() for m in models.values()]

    def _column_labels(self, models: dict[str, CostModel]) -> list[str]:
        return [two_lines(label) for label in models]


# -- interview scorecard ---------------------------------------------------------------------------
class ScorecardSvg(SvgChart[dict[str, Any]]):
    """Per rubric category: points raised unprompted, when prompted, and missed, with counts."""

    TITLE = "Rubric points by category"

    def draw(self, attempt: dict[str, Any]) -> Svg:
        cats = score_categories(attempt)
        if not cats:
            return self._empty(self.TITLE, "No rubric categories yet", 144)
        names = list(cats)
        top_count = max(sum(v.values()) for v in cats.values()) or 1
        row = 29
        top = 30
        bottom = top + row * len(names)
        height = max(144, bottom + 66)
        svg = Svg(self.width, height, self.TITLE)
        svg.title_text(self.TITLE)
        labels = [short(n, 18) for n in names]
        left = min(self.width * 0.35, max(text_width(t, SMALL_SIZE) for t in labels) + 14)
        frame = Frame(left, top, self.width - 12, bottom, (0, top_count), (0, 1))
        frame.spines(svg)
        ticks = [t for t in nice_ticks(top_count, 10) if t == int(t)]
        frame.x_axis(svg, ticks, [str(int(t)) for t in ticks], "rubric points")
        for i, (name, label) in enumerate(zip(names, labels)):
            with svg.group(f"category-{i}"):
                y = top + row * (i + 0.5)
                svg.text(left - 6, y, label, size=SMALL_SIZE, anchor="end")
                start = 0
                for key, _legend_label, colour, hatch in SCORE_PARTS:
                    n = cats[name][key]
                    if n <= 0:
                        continue
                    x0, x1 = frame.x(start), frame.x(start + n)
                    svg.rect(x0, y - row * 0.3, x1 - x0, row * 0.6, fill=colour, hatch=hatch)
                    svg.text(
                        (x0 + x1) / 2, y, str(n), size=SMALL_SIZE, anchor="middle", backdrop=True
                    )
                    start += n
        x = 6.0
        for _key, legend_label, colour, hatch in SCORE_PARTS:
            x += svg.swatch(x, height - 14, colour, hatch, legend_label)
        return svg
