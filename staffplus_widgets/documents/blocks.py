"""The documents' building blocks, and how each format writes them.

A design review (``export``) and a cohort debrief (``debrief``) are both a ``Document`` of
``Section`` blocks holding plain, unescaped text; ``document_html`` and ``document_markdown`` write
them, escaping everything on the way out. Charts are ``Chart`` blocks: a picture (SVG from the
widgets' kit, or a debrief PNG), its alt text and a text summary.
"""

from __future__ import annotations

import base64
import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

# Debrief charts (PNG) are drawn at twice the screen resolution and shown smaller: sharp on paper.
PRINT_DPI = 144
DISPLAY_SCALE = 0.7  # shown at ~100 dpi: the charts' small labels stay readable

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  color: #1a1a1a; background: #fff; max-width: 62rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #333; padding-bottom: .15rem; margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: 10pt; }
th, td { border: 1px solid #999; padding: .25rem .4rem; vertical-align: top; text-align: left; }
th { background: #f2f2f2; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
th { overflow-wrap: anywhere; hyphens: auto; }
.table-scroll { overflow-x: auto; max-width: 100%; }
tr.excluded td { color: #555; font-style: italic; }
.text { white-space: pre-wrap; overflow-wrap: break-word; }
blockquote.text { border-left: 3px solid #999; margin: .4rem 0 1rem; padding: .2rem .8rem; }
figure { margin: 1rem 0; break-inside: avoid; page-break-inside: avoid; }
figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { font-size: 10pt; margin-top: .3rem; }
.note { color: #444; font-style: italic; }
.meta th { width: 12rem; }
ul.problems li { margin: .1rem 0; }
nav ol { columns: 2; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  nav { display: none; }
  section.major { break-before: page; page-break-before: always; }
  section.major.first { break-before: auto; page-break-before: auto; }
  tr, figure, .keep { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .table-scroll { overflow: visible; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  @page { margin: 15mm; }
}
"""

# Nothing in the document may load or run anything: images are data URIs, styles are inline.
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


# -- the document model: blocks of plain text, rendered (and escaped) by each format ------------------
@dataclass(frozen=True)
class Heading:
    """A subheading inside a section, written at heading level ``level``."""

    level: int
    text: str
    anchor: str = ""


@dataclass(frozen=True)
class Para:
    """A paragraph of plain text, optionally led by a bold label or set in the note style."""

    text: str
    label: str = ""
    note: bool = False


@dataclass(frozen=True)
class Bullets:
    """A bulleted list of plain-text items."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table of plain-text cells, with right-aligned numeric columns, muted rows and a caption."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()  # right-aligned columns
    muted_rows: tuple[int, ...] = ()  # e.g. excluded options
    caption: str = ""


@dataclass(frozen=True)
class Text:
    """Free text written by the learner, kept as written (line breaks preserved)."""

    text: str
    label: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart: its picture (None when not drawn), alt text and a text summary. The artifact
    charts are SVG from the widgets' kit; the cohort debrief's are matplotlib PNGs."""

    key: str
    alt: str
    summary: str
    image: bytes | None = None
    note: str = ""
    mime: str = "image/png"


# What a section holds: the writers render each kind
Block = Heading | Para | Bullets | Table | Text | Chart


@dataclass(frozen=True)
class Section:
    """One top-level section of a document: its anchor, its title and its blocks."""

    anchor: str
    title: str
    blocks: tuple[Block, ...] = ()


@dataclass
class Document:
    """A whole report: title, metadata rows, sections and footer, ready for HTML or Markdown."""

    title: str
    meta: list[tuple[str, str]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    footer: str = ""


# -- small formatting helpers ----------------------------------------------------------------------------
def unicode_safe(text: str) -> str:
    """``text`` with lone surrogates written as ``\\udXXX``, so it always encodes as UTF-8.

    JSON allows escapes such as ``"\\ud800"`` that decode to text no UTF-8 file or terminal accepts;
    a submission must not be able to break a report that way.
    """
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def text_safe(node: Any) -> Any:
    """A copy of a JSON document with every string (keys too) passed through ``unicode_safe``."""
    if isinstance(node, str):
        return unicode_safe(node)
    if isinstance(node, dict):
        return {text_safe(k): text_safe(v) for k, v in node.items()}
    if isinstance(node, list):
        return [text_safe(v) for v in node]
    return node


def esc(value: Any) -> str:
    """HTML-escape anything (quotes too, so the result is safe inside attributes)."""
    return html.escape(str(value), quote=True)


def money(value: float) -> str:
    """Format a dollar amount: whole dollars from $100 up, with cents below that."""
    return f"${value:,.0f}" if abs(value) >= 100 else f"${value:,.2f}"


def pct(value: float, digits: int = 0) -> str:
    """Format a share from 0 to 1 as a percentage with ``digits`` decimals."""
    return f"{value * 100:.{digits}f}%"


def weight_text(value: float) -> str:
    """Format a criterion weight, writing an infinite one as 'no limit'."""
    return f"{value:g}" if math.isfinite(value) else "no limit"


def label_of(key: str) -> str:
    """Turn a snake_case key into a readable label, such as 'Mock answer' for ``mock_answer``."""
    return key.replace("_", " ").strip().capitalize() or key


def text_of(value: Any) -> str:
    """``value`` when it is a string, else the empty string, for untrusted submission fields."""
    return value if isinstance(value, str) else ""


def number_text(value: Any) -> str:
    """Format a finite number compactly, and anything else (missing, bool, NaN) as '-'."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return f"{value:g}"
    return "-"


def is_share(value: Any) -> bool:
    """Whether ``value`` is a real number from 0 to 1 that can be shown as a percentage."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1


# -- charts ------------------------------------------------------------------------------------------
# chart key -> its SvgChart class (charts.svg), or None for a text-only document
Charts = dict[str, Any]


def svg_charts() -> Charts:
    """The artifact charts, drawn by the same SVG kit as the widgets (no matplotlib)."""
    from ..charts import svg

    return {
        "totals": svg.TotalsSvg,
        "sensitivity": svg.SensitivitySvg,
        "heatmap": svg.HeatmapSvg,
        "cost_breakdown": svg.CostBreakdownSvg,
        "projection": svg.ProjectionSvg,
        "scorecard": svg.ScorecardSvg,
    }


def chart_block(charts: Charts | None, key: str, alt: str, summary: str, model: object) -> Chart:
    """A Chart block for ``model``: drawn as SVG when ``charts`` is given, else text only."""
    if charts is None:
        return Chart(key, alt, summary)
    return Chart(key, alt, summary, charts[key]().update(model).svg(), mime="image/svg+xml")


# -- HTML ------------------------------------------------------------------------------------------------
def html_page(title: str, body: str) -> str:
    """A complete standalone page: inline CSS, a CSP that forbids scripts and remote loads."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def html_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    numeric: Iterable[int] = (),
    muted_rows: Iterable[int] = (),
    caption: str = "",
) -> str:
    """An escaped HTML table with column headers, right-aligned numeric columns and muted rows."""
    num = set(numeric)
    muted = set(muted_rows)
    # a wide table (seven criteria and their weights) scrolls in its own box, never the page
    out = ['<div class="table-scroll"><table>']
    if caption:
        out.append(f'<caption class="note">{esc(caption)}</caption>')
    head = "".join(
        f'<th scope="col" class="{"num" if i in num else "label"}">{esc(h)}</th>'
        for i, h in enumerate(headers)
    )
    out.append(f"<thead><tr>{head}</tr></thead><tbody>")
    for r, row in enumerate(rows):
        cells = "".join(
            f'<td class="{"num" if i in num else "text"}">{esc(cell)}</td>'
            for i, cell in enumerate(row)
        )
        out.append(f'<tr class="{"excluded" if r in muted else "row"}">{cells}</tr>')
    out.append("</tbody></table></div>")
    return "".join(out)


def html_figure(chart: Chart, figure_id: str) -> str:
    """A chart as an embedded PNG with alt text, described by its summary (also shown as text)."""
    summary_id = f"{figure_id}-summary"
    parts = ["<figure>"]
    if chart.image is not None:
        data = base64.b64encode(chart.image).decode("ascii")
        if chart.mime == "image/png":
            width = int(_png_width(chart.image) * DISPLAY_SCALE)
        else:
            width = _svg_width(chart.image)
        size = f' width="{width}"' if width else ""
        parts.append(
            f'<img src="data:{chart.mime};base64,{data}" alt="{esc(chart.alt)}"{size} '
            f'aria-describedby="{esc(summary_id)}">'
        )
    elif chart.note:
        parts.append(f'<p class="note">{esc(chart.note)}</p>')
    parts.append(
        f'<figcaption id="{esc(summary_id)}"><strong>{esc(chart.alt)}.</strong> '
        f'<span class="text">{esc(chart.summary)}</span></figcaption></figure>'
    )
    return "".join(parts)


def _svg_width(svg: bytes) -> int:
    """The ``width`` of an SVG document's root element, in CSS pixels (0 if it has none)."""
    found = re.search(rb'<svg\b[^>]*?\swidth="(\d+)', svg[:400])
    return int(found.group(1)) if found else 0


def _png_width(png: bytes) -> int:
    # PNG: 8-byte signature, then the IHDR chunk whose first field is the width (big-endian)
    if len(png) >= 24 and png[:8] == b"\x89PNG\r\n\x1a\n":
        return int.from_bytes(png[16:20], "big")
    return 0


def _html_block(block: Block, anchor: str, n: int) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{esc(block.text)}</h{block.level}>"
    if isinstance(block, Para):
        label = f"<strong>{esc(block.label)}</strong> " if block.label else ""
        cls = ' class="note"' if block.note else ""
        return f"<p{cls}>{label}{esc(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f'<li class="text">{esc(i)}</li>' for i in block.items) + "</ul>"
    if isinstance(block, Table):
        return html_table(
            block.headers,
            block.rows,
            numeric=block.numeric,
            muted_rows=block.muted_rows,
            caption=block.caption,
        )
    if isinstance(block, Text):
        head = f"<h3>{esc(block.label)}</h3>" if block.label else ""
        return f'{head}<blockquote class="text">{esc(block.text)}</blockquote>'
    if isinstance(block, Chart):
        return html_figure(block, f"{anchor}-chart-{n}")
    raise TypeError(
        f"unknown block {type(block).__name__}"
    )  # pragma: no cover - a programming error


def document_html(doc: Document) -> str:
    """Write a Document as one standalone, escaped HTML page with a table of contents."""
    body = [f"<header><h1>{esc(doc.title)}</h1>"]
    body.append(
        html_table(("Field", "Value"), doc.meta).replace("<table>", '<table class="meta">', 1)
    )
    body.append(
        '</header><nav aria-label="Contents"><strong>Contents</strong><ol>'
        + "".join(f'<li><a href="#{esc(s.anchor)}">{esc(s.title)}</a></li>' for s in doc.sections)
        + "</ol></nav><main>"
    )
    for i, section in enumerate(doc.sections):
        cls = "major first" if i == 0 else "major"
        body.append(
            f'<section class="{cls}" id="{esc(section.anchor)}"><h2>{esc(section.title)}</h2>'
        )
        body.extend(_html_block(b, section.anchor, n) for n, b in enumerate(section.blocks))
        body.append("</section>")
    body.append(f'</main><footer><p class="note">{esc(doc.footer)}</p></footer>')
    return unicode_safe(html_page(doc.title, "\n".join(body)))


# -- Markdown --------------------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_escape(text: Any, *, cell: bool = False) -> str:
    """Escape text so no renderer treats it as HTML, a link, emphasis or a table border."""
    out = html.escape(str(text), quote=False)  # & < > become entities: raw HTML never survives
    out = _MD_SPECIAL.sub(r"\\\1", out)
    # only at the start of a line: headings, list items, rules
    out = re.sub(r"^(\s*)([-=#+])", r"\1\\\2", out, flags=re.M)
    out = re.sub(r"^(\s*)(\d+)([.)])(?=\s|$)", r"\1\2\\\3", out, flags=re.M)
    if cell:
        out = " ".join(out.split())
    return out


def md_table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Iterable[int] = ()
) -> str:
    """A Markdown pipe table with escaped cells and right-aligned numeric columns."""
    num = set(numeric)
    out = [
        "| " + " | ".join(md_escape(h, cell=True) for h in headers) + " |",
        "| " + " | ".join("---:" if i in num else "---" for i in range(len(headers))) + " |",
    ]
    out += ["| " + " | ".join(md_escape(c, cell=True) or " " for c in row) + " |" for row in rows]
    return "\n".join(out)


def _md_block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"{'#' * block.level} {md_escape(block.text, cell=True)}"
    if isinstance(block, Para):
        label = f"**{md_escape(block.label)}** " if block.label else ""
        text = md_escape(block.text)
        return f"{label}{'*' + text + '*' if block.note else text}"
    if isinstance(block, Bullets):
        return "\n".join(f"- {md_escape(i, cell=True)}" for i in block.items)
    if isinstance(block, Table):
        caption = f"*{md_escape(block.caption)}*\n\n" if block.caption else ""
        return caption + md_table(block.headers, block.rows, block.numeric)
    if isinstance(block, Text):
        head = f"### {md_escape(block.label, cell=True)}\n\n" if block.label else ""
        lines = md_escape(block.text).splitlines() or [""]
        return head + "\n".join(f"> {line}".rstrip() for line in lines)
    if isinstance(block, Chart):
        # Markdown stays text-only (diffable, printable anywhere): the summary stands in for the chart.
        return f"**Chart: {md_escape(block.alt)}.** {md_escape(block.summary)}"
    raise TypeError(
        f"unknown block {type(block).__name__}"
    )  # pragma: no cover - a programming error


def document_markdown(doc: Document) -> str:
    """Write a Document as escaped Markdown, with each chart replaced by its text summary."""
    out = [f"# {md_escape(doc.title, cell=True)}", "", md_table(("Field", "Value"), doc.meta), ""]
    for section in doc.sections:
        out += [f"## {md_escape(section.title, cell=True)}", ""]
        for block in section.blocks:
            out += [_md_block(block), ""]
    out.append(f"*{md_escape(doc.footer)}*")
    return unicode_safe("\n".join(out) + "\n")
