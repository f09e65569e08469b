"""The SVG kit every live and exported chart is drawn with: a document (``Svg``), a plot frame
(``Frame``), the chart base class (``SvgChart``) and the text and tick helpers.

Plain Python writing SVG: no matplotlib, so a workbook opens without importing the plotting stack,
a redraw on every edit costs a few milliseconds, and the browser draws the text sharp at any zoom.
Every string is escaped; the document has no script, no link and no external reference.
"""

from __future__ import annotations

import html
import math
import re
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from ..models.cost import KINDS
from ._style import (
    FINE_STEPS,
    TEXT_COLOUR,
    kind_style,
    sticky_limit,
)

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
TITLE_SIZE = 13
LABEL_SIZE = 11
SMALL_SIZE = 10
TINY_SIZE = 9
CHAR_WIDTH = 0.6  # of the font size: a generous average, so estimated widths are never short
AXIS_COLOUR = "#555555"
KIND_STYLE = kind_style(KINDS)
# characters XML 1.0 cannot carry (C0 controls other than tab/newline/CR, lone surrogates, U+FFFE/F)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# pattern tile per hatch character (matplotlib's names): / \ x - | +
_HATCH_ID = {"/": "f", "\\": "b", "x": "x", "-": "h", "|": "v", "+": "p"}


def clean(text: Any) -> str:
    """``text`` as a string XML can hold, escaped for use in text and in quoted attributes."""
    # html.escape: the same five entities XML knows, without xml.sax's 12 ms of imports
    return html.escape(_NOT_XML.sub("\ufffd", str(text)), quote=True)


def text_width(text: str, size: float) -> float:
    """An upper estimate of a label's width in pixels (the longest line)."""
    return max((len(line) for line in text.split("\n")), default=0) * size * CHAR_WIDTH


def swatch_width(label: str) -> float:
    """The room a legend entry (box, gap, label, gap to the next) takes."""
    return 19 + text_width(label, TINY_SIZE) + 12


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if math.isfinite(value) else "0"


def money_tick(value: float) -> str:
    """Axis dollars: $0, $500, $250k, $1.5M (round values, so no decimals unless needed)."""
    for scale, suffix in ((1e6, "M"), (1e3, "k")):
        if abs(value) >= scale:
            return f"${value / scale:,.4g}{suffix}"
    return f"${value:,.0f}"


def nice_ticks(limit: float, most: int = 6) -> list[float]:
    """Round tick values from 0 to ``limit`` (a 1-2-2.5-5 step, at most ``most`` + 1 ticks)."""
    if limit <= 0 or not math.isfinite(limit):
        return [0.0]
    raw = limit / most
    exponent = math.floor(math.log10(raw))
    step = 10.0 ** (exponent + 1)
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * 10**exponent >= raw * (1 - 1e-9):
            step = m * 10**exponent
            break
    return [i * step for i in range(int(limit / step + 1e-9) + 1)]


class Svg:
    """A picture being written: shapes and text in pixel coordinates, top-left origin."""

    def __init__(self, width: float, height: float, title: str) -> None:
        self.width = round(width)
        self.height = round(height)
        self.title = title
        self._patterns: dict[str, str] = {}
        self._parts: list[str] = []
        self.texts: list[str] = []

    # -- shapes ----------------------------------------------------------------------------------
    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        *,
        fill: str,
        hatch: str = "",
        stroke: str | None = TEXT_COLOUR,
        stroke_width: float = 0.7,
        opacity: float | None = None,
        radius: float = 0,
    ) -> None:
        if w < 0:
            x, w = x + w, -w
        if h < 0:
            y, h = y + h, -h
        attrs = f'x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" height="{_num(h)}"'
        if radius:
            attrs += f' rx="{_num(radius)}"'
        extra = f' fill-opacity="{opacity:g}"' if opacity is not None else ""
        line = f' stroke="{stroke}" stroke-width="{stroke_width:g}"' if stroke else ' stroke="none"'
        self._parts.append(f'<rect {attrs} fill="{fill}"{extra}{line}/>')
        if hatch:
            self._parts.append(f'<rect {attrs} fill="url(#{self._pattern(hatch)})" stroke="none"/>')

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        *,
        stroke: str = AXIS_COLOUR,
        width: float = 1,
        dash: str | None = None,
    ) -> None:
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        self._parts.append(
            f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}"'
            f' stroke="{stroke}" stroke-width="{width:g}"{extra}/>'
        )

    def polygon(
        self,
        points: Sequence[tuple[float, float]],
        *,
        fill: str,
        stroke: str | None = None,
        stroke_width: float = 0.8,
    ) -> None:
        coords = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
        edge = f' stroke="{stroke}" stroke-width="{stroke_width:g}"' if stroke else ""
        self._parts.append(f'<polygon points="{coords}" fill="{fill}"{edge}/>')

    def diamond(
        self, x: float, y: float, r: float, *, fill: str = TEXT_COLOUR, **edge: Any
    ) -> None:
        self.polygon([(x, y - r), (x + r, y), (x, y + r), (x - r, y)], fill=fill, **edge)

    def circle(
        self,
        x: float,
        y: float,
        r: float,
        *,
        fill: str,
        stroke: str = TEXT_COLOUR,
        stroke_width: float = 0.8,
    ) -> None:
        self._parts.append(
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" fill="{fill}"'
            f' stroke="{stroke}" stroke-width="{stroke_width:g}"/>'
        )

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float = LABEL_SIZE,
        anchor: str = "start",
        valign: str = "middle",
        bold: bool = False,
        fill: str = TEXT_COLOUR,
        opacity: float | None = None,
        rotate: float = 0,
        backdrop: bool = False,
    ) -> None:
        """Text at (x, y): ``anchor`` start/middle/end, ``valign`` top/middle/bottom of the block.

        Lines split on newlines. Baselines are placed from the font size rather than with
        ``dominant-baseline``, which renderers disagree on. ``backdrop`` puts a white rounded box
        behind the text, so it stays readable on a hatched bar.
        """
        if not text:
            return
        self.texts.append(text)
        lines = text.split("\n")
        lead = size * 1.2
        block = lead * (len(lines) - 1)
        first = {"top": y + 0.8 * size, "bottom": y - 0.22 * size - block}.get(
            valign, y + 0.35 * size - block / 2
        )
        if backdrop:
            w = text_width(text, size) * 0.9 + 4
            left = {"middle": x - w / 2, "end": x - w}.get(anchor, x)
            top = first - 0.95 * size
            self.rect(
                left - 1,
                top,
                w + 2,
                block + 1.25 * size,
                fill="#ffffff",
                opacity=0.85,
                stroke=None,
                radius=2,
            )
        attrs = f'font-size="{size:g}" text-anchor="{anchor}" fill="{fill}"'
        if bold:
            attrs += ' font-weight="bold"'
        if opacity is not None:
            attrs += f' fill-opacity="{opacity:g}"'
        if rotate:
            attrs += f' transform="rotate({rotate:g} {_num(x)} {_num(y)})"'
        if len(lines) == 1:
            body = clean(text)
            self._parts.append(f'<text x="{_num(x)}" y="{_num(first)}" {attrs}>{body}</text>')
            return
        spans = "".join(
            f'<tspan x="{_num(x)}" y="{_num(first + i * lead)}">{clean(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        self._parts.append(f"<text {attrs}>{spans}</text>")

    def title_text(self, text: str) -> None:
        self.text(6, 16, text, size=TITLE_SIZE, bold=True)

    def swatch(self, x: float, y: float, colour: str, hatch: str, label: str) -> float:
        """A legend entry (box and label) at (x, y-centre); returns its width."""
        self.rect(x, y - 5, 14, 10, fill=colour, hatch=hatch, stroke_width=0.6)
        self.text(x + 19, y, label, size=TINY_SIZE)
        return swatch_width(label)

    @contextmanager
    def group(self, ident: str) -> Iterator[None]:
        """Everything drawn inside is one ``<g id=...>``: a bar with its label, a grid cell."""
        self._parts.append(f'<g id="{clean(ident)}">')
        yield
        self._parts.append("</g>")

    # -- output ----------------------------------------------------------------------------------
    def _pattern(self, hatch: str) -> str:
        ident = "hatch-" + "".join(_HATCH_ID.get(c, "f") for c in hatch)
        if ident in self._patterns:
            return ident
        size = 10 if len(hatch) == 1 else 6
        s = _num(size)
        half, over = _num(size / 2), _num(size * 1.5)
        strokes = []
        kinds = set(hatch)
        if kinds & {"/", "x"}:
            strokes.append(
                f"M0,{s} L{s},0 M-{half},{half} L{half},-{half} M{half},{over} L{over},{half}"
            )
        if kinds & {"\\", "x"}:
            strokes.append(
                f"M0,0 L{s},{s} M-{half},{half} L{half},{over} M{half},-{half} L{over},{half}"
            )
        if kinds & {"-", "+"}:
            strokes.append(f"M0,{half} L{s},{half}")
        if kinds & {"|", "+"}:
            strokes.append(f"M{half},0 L{half},{s}")
        self._patterns[ident] = (
            f'<pattern id="{ident}" patternUnits="userSpaceOnUse" width="{s}" height="{s}">'
            f'<path d="{" ".join(strokes)}" stroke="{TEXT_COLOUR}" stroke-width="0.8"'
            ' stroke-opacity="0.75"/></pattern>'
        )
        return ident

    def markup(self) -> str:
        defs = f"<defs>{''.join(self._patterns.values())}</defs>" if self._patterns else ""
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{self.height}"'
            f' viewBox="0 0 {self.width} {self.height}" role="img" font-family="{FONT}">'
            f"<title>{clean(self.title)}</title>{defs}"
            f'<rect width="{self.width}" height="{self.height}" fill="#ffffff"/>'
            f"{''.join(self._parts)}</svg>"
        )


class Frame:
    """A plot area: data coordinates (``xlim``, ``ylim``) mapped onto a pixel box."""

    def __init__(
        self,
        left: float,
        top: float,
        right: float,
        bottom: float,
        xlim: tuple[float, float],
        ylim: tuple[float, float],
    ) -> None:
        self.left, self.top, self.right, self.bottom = left, top, right, bottom
        self.xlim, self.ylim = xlim, ylim

    def x(self, value: float) -> float:
        lo, hi = self.xlim
        return self.left + (value - lo) / (hi - lo) * (self.right - self.left)

    def y(self, value: float) -> float:
        """``ylim`` runs bottom to top (give it reversed for rows listed top-down)."""
        lo, hi = self.ylim
        return self.bottom - (value - lo) / (hi - lo) * (self.bottom - self.top)

    def spines(self, svg: Svg, *, left: bool = True) -> None:
        svg.line(self.left, self.bottom, self.right, self.bottom)
        if left:
            svg.line(self.left, self.top, self.left, self.bottom)

    def x_ticks(self, svg: Svg, ticks: Iterable[float], labels: Iterable[str]) -> None:
        for value, label in zip(ticks, labels):
            px = self.x(value)
            svg.line(px, self.bottom, px, self.bottom + 4)
            svg.text(px, self.bottom + 6, label, size=SMALL_SIZE, anchor="middle", valign="top")

    def x_axis(self, svg: Svg, ticks: Iterable[float], labels: Iterable[str], title: str) -> None:
        """The ticks, their labels and the axis title centred under them."""
        self.x_ticks(svg, ticks, labels)
        svg.text(
            (self.left + self.right) / 2,
            self.bottom + 22,
            title,
            size=SMALL_SIZE,
            anchor="middle",
            valign="top",
        )

    def y_ticks(self, svg: Svg, ticks: Iterable[float], labels: Iterable[str]) -> None:
        for value, label in zip(ticks, labels):
            py = self.y(value)
            svg.line(self.left - 4, py, self.left, py)
            svg.text(self.left - 6, py, label, size=SMALL_SIZE, anchor="end")


# what a chart draws: a trade-off matrix, a risk register, a cost model, an attempt...
M = TypeVar("M")


class SvgChart(Generic[M]):
    """One live chart: ``update`` redraws it from the model, ``svg`` gives the document."""

    width = 448

    def __init__(self) -> None:
        self._picture = Svg(self.width, 160, "")
        self._limit: float | None = None

    @property
    def height(self) -> int:
        return self._picture.height

    def update(self, model: M) -> SvgChart[M]:
        self._picture = self.draw(model)
        return self

    def svg(self) -> bytes:
        return self._picture.markup().encode("utf-8")

    def texts(self) -> list[str]:
        """Every string the current picture writes (title first)."""
        return [self._picture.title, *self._picture.texts]

    def close(self) -> None:
        """Nothing to release (kept so a view can close any chart the same way)."""

    def draw(self, model: M) -> Svg:
        raise NotImplementedError

    def _sticky(self, top: float, headroom: float) -> float:
        """An axis limit with at least ``headroom`` over ``top`` (room for the labels on top),
        kept while the data moves a little, so the axis does not jump on every keystroke."""
        need = top * headroom
        self._limit = sticky_limit(self._limit, need, 1.0, shrink=0.5, steps=FINE_STEPS)
        return self._limit

    def _empty(self, title: str, message: str, height: float | None = None) -> Svg:
        """The title and a message, wrapped to the chart's width (a long one ran off both
        sides), in a figure only as tall as they need unless ``height`` keeps a fixed size."""
        size = LABEL_SIZE + 1
        per_line = max(12, int((self.width - 24) / (size * CHAR_WIDTH)))
        lines = textwrap.wrap(message, per_line) or [""]
        height = height or 44 + 16 * len(lines) + 14
        svg = Svg(self.width, height, title)
        svg.title_text(title)
        first = (height + 24) / 2 - 8 * (len(lines) - 1)
        for n, line in enumerate(lines):
            svg.text(self.width / 2, first + 16 * n, line, size=size, anchor="middle")
        return svg
