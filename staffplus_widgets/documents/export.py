"""Design-review document of one work file, as one standalone HTML file or as Markdown.

The document shows what a learner built for one scenario, in the order an interviewer reads it:

1. the trade-off matrix with weighted totals and the recommendation (winner, ties, excluded options
   and why);
2. the sensitivity of the winner to each weight (the interval over which it stays first, and who
   takes over past each end) and its robustness to random weight changes;
3. the risk register sorted by severity, with the likelihood x impact heat map;
4. the cost breakdown and its projection at x1 / x3 / x10 traffic;
5. the latest mock interview scorecard (and the history of attempts), then the written answers.

Rules the HTML keeps (tests enforce them):

- one file: CSS inline, charts embedded as ``data:image/svg+xml;base64`` URIs (the same SVG the
  widgets draw), no scripts, no external
  resources (a Content-Security-Policy meta tag forbids them as well); scenario sources are printed
  as plain text, never as links;
- every string that came from the work file (and from the scenario) is passed through
  ``html.escape``; the Markdown escapes HTML and Markdown syntax, so rendering it never runs markup;
- every chart has alt text and a text summary next to it; it prints on white with page breaks
  between the major sections.

Charts come from the SVG kit (``charts.svg``, plain Python) and their summaries from
``models.summaries``; neither needs ipywidgets or matplotlib, so the workbook's export button
(``export_file``) works wherever a learner workbook runs.
"""

from __future__ import annotations

import base64
import html
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import workfile
from .._version import __version__
from ..core.errors import StaffplusError
from ..data.prices import price_catalogue

STATUSES = ("unprompted", "prompted", "missed")
HTML_SUFFIXES = (".html", ".htm")
MARKDOWN_SUFFIXES = (".md", ".markdown")
ROBUSTNESS_DRAWS = 10_000
ROBUSTNESS_SPREAD = 0.5
# Charts are drawn at twice the screen resolution and shown smaller: sharp on paper.
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
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
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
    level: int
    text: str
    anchor: str = ""


@dataclass(frozen=True)
class Para:
    text: str
    label: str = ""
    note: bool = False


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
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


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    blocks: tuple[Any, ...] = ()


@dataclass
class Document:
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
    return f"${value:,.0f}" if abs(value) >= 100 else f"${value:,.2f}"


def pct(value: float, digits: int = 0) -> str:
    return f"{value * 100:.{digits}f}%"


def weight_text(value: float) -> str:
    return f"{value:g}" if math.isfinite(value) else "no limit"


def _label(key: str) -> str:
    return key.replace("_", " ").strip().capitalize() or key


# -- interview attempts -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Attempt:
    """A validated mock interview attempt (the MockInterview scorecard saved in ``work["interviews"]``)."""

    index: int
    items: dict[str, str]
    score: int
    raw: dict[str, Any]
    levels: dict[str, str] | None = None  # best review level per item (attempts since levels)

    @property
    def finished(self) -> str:
        value = self.raw.get("finished")
        return value if isinstance(value, str) else ""

    @property
    def proactivity(self) -> float | None:
        value = self.raw.get("proactivity")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1:
            return float(value)
        return None


def parse_attempt(raw: Any, index: int, rubric_ids: Iterable[str]) -> Attempt:
    """Validate one attempt enough to count it; raises StaffplusError naming the bad field.

    ``items`` must map ids to ``unprompted|prompted|missed``; rubric ids missing from it count as
    missed and ids the rubric no longer has are ignored. ``score`` must be a number from 0 to 100.
    """
    where = f"interviews[{index}]"
    if not isinstance(raw, dict):
        raise StaffplusError(
            where, "must be a mapping (a mock interview attempt)", type(raw).__name__
        )
    items = raw.get("items")
    if not isinstance(items, dict):
        raise StaffplusError(
            f"{where}.items", "must map rubric ids to a status", type(items).__name__
        )
    for key, status in items.items():
        if status not in STATUSES:
            raise StaffplusError(
                f"{where}.items.{str(key)[:40]}", f"must be one of {', '.join(STATUSES)}", status
            )
    score = raw.get("score")
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 100:
        raise StaffplusError(f"{where}.score", "must be a number from 0 to 100", score)
    statuses = {rid: items.get(rid, "missed") for rid in rubric_ids}
    return Attempt(index, statuses, int(round(score)), raw, _attempt_levels(raw, statuses))


_LEVELS = ("absent", "named", "reasoned", "dismissed")


def _attempt_levels(raw: dict[str, Any], statuses: dict[str, str]) -> dict[str, str] | None:
    """An attempt's ``levels`` when well formed and consistent with its statuses, else None.

    Credited items are reasoned by definition; older attempts have no ``levels`` at all.
    """
    levels = raw.get("levels")
    if not isinstance(levels, dict):
        return None
    out = {}
    for rid, status in statuses.items():
        level = levels.get(rid, "absent")
        if level not in _LEVELS or (status != "missed") != (level == "reasoned"):
            return None
        out[rid] = level
    return out


def category_counts(scenario: Any, items: dict[str, str]) -> dict[str, dict[str, int]]:
    """Per rubric category (in the fixed category order): how many items ended in each status."""
    from ..core.categories import CATEGORY_IDS

    by_category: dict[str, dict[str, int]] = {}
    for cat in CATEGORY_IDS:
        ids = [i["id"] for i in scenario.rubric if i["category"] == cat]
        if ids:
            by_category[cat] = {
                s: sum(1 for x in ids if items.get(x, "missed") == s) for s in STATUSES
            }
    return by_category


def latest_attempt(work: dict[str, Any], rubric_ids: Iterable[str]) -> Attempt | None:
    """The newest attempt (``work["interviews"]`` is oldest first), validated; None if there is none."""
    attempts = work.get("interviews") or []
    if not isinstance(attempts, list) or not attempts:
        return None
    return parse_attempt(attempts[-1], len(attempts) - 1, rubric_ids)


# -- charts ------------------------------------------------------------------------------------------
def _svg_charts() -> dict[str, Any]:
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


def _chart(charts: dict[str, Any] | None, key: str, alt: str, summary: str, model: Any) -> Chart:
    if charts is None:
        return Chart(key, alt, summary)
    return Chart(key, alt, summary, charts[key]().update(model).svg(), mime="image/svg+xml")


# -- building the document --------------------------------------------------------------------------
def build_document(scenario: Any, work: dict[str, Any], *, charts: bool = True) -> Document:
    """The design review as format-neutral blocks (plain, unescaped text)."""
    from ..models import summaries
    from ..models.cost import CostModel
    from ..models.risks import RiskRegister
    from ..models.tradeoff import TradeOffMatrix

    backend = _svg_charts() if charts else None
    data = scenario.data
    learner = work.get("learner") or "(no name)"
    doc = Document(f"Design review: {scenario.title}")
    variant_titles = {v["id"]: v["title"] for v in data.get("constraint_variants", [])}
    variants = [f"{variant_titles.get(v, v)} ({v})" for v in work.get("variants") or []]
    doc.meta = [
        ("Learner", learner),
        ("Scenario", f"{scenario.title} ({scenario.id})"),
        ("Last saved", work.get("updated") or "-"),
        ("Saved with", f"staffplus {work.get('created_with') or '?'}"),
        ("Constraint variants on", ", ".join(variants) or "none"),
    ]

    matrix = TradeOffMatrix.from_dict(work["tradeoff"]) if work.get("tradeoff") else None
    register = RiskRegister.from_dict(work.get("risks")) if work.get("risks") else None
    cost = CostModel.from_dict(work["cost"], prices=price_catalogue()) if work.get("cost") else None

    doc.sections.append(_tradeoff_section(scenario, matrix, backend, summaries))
    doc.sections.append(_sensitivity_section(matrix, backend, summaries))
    doc.sections.append(_risk_section(scenario, register, backend, summaries))
    doc.sections.append(_cost_section(scenario, cost, backend, summaries))
    doc.sections.append(_interview_section(scenario, work, backend, summaries))
    doc.sections.append(_answers_section(work))
    doc.sections.append(_sources_section(scenario))
    doc.footer = f"Generated by staffplus {__version__} from the learner's work file."
    return doc


def _tradeoff_section(scenario: Any, matrix: Any, backend: Any, summaries: Any) -> Section:
    blocks: list[Any] = []
    if matrix is None or not matrix.options or not matrix.criteria:
        blocks.append(
            Para("No trade-off matrix yet: add options and criteria in the workbook.", note=True)
        )
        return Section("tradeoff", "Trade-off matrix and recommendation", tuple(blocks))
    ranking = matrix.ranking()
    totals = matrix.totals()
    shares = matrix.normalized_weights()
    rank_of = {r.name: r for r in ranking.rows}
    excluded = {e.option for e in ranking.excluded}

    crit_rows = tuple(
        (c.name, f"{c.weight:g}", pct(shares[c.name], 1), c.high_means or "-")
        for c in matrix.criteria
    )
    blocks.append(
        Table(
            ("Criterion", "Weight", "Share", "A high score means"),
            crit_rows,
            numeric=(1, 2),
            caption="Criteria and weights (weights are normalised to shares)",
        )
    )

    order = [r.name for r in ranking.rows] + [o.name for o in matrix.options if o.name in excluded]
    baseline = {o.name for o in matrix.options if o.baseline}
    headers = ("Option", *(c.name for c in matrix.criteria), "Weighted total", "Rank")
    rows, muted = [], []
    for i, name in enumerate(order):
        label = name + (" (baseline)" if name in baseline else "")
        scores = tuple(f"{matrix.cell(name, c.name).score:g}" for c in matrix.criteria)
        if name in excluded:
            rank = "excluded"
            muted.append(i)
        else:
            row = rank_of[name]
            rank = f"{row.rank}" + (" (tie)" if row.tied else "")
        rows.append((label, *scores, f"{totals[name]:.2f}", rank))
    blocks.append(
        Table(
            headers,
            tuple(rows),
            numeric=tuple(range(1, len(headers))),
            muted_rows=tuple(muted),
            caption="Scores 1-5 (5 is always better) and weighted totals",
        )
    )

    winners = ranking.winners
    if len(winners) == 1:
        blocks.append(
            Para(
                f"{winners[0]} (weighted total {totals[winners[0]]:.2f}).", label="Recommendation:"
            )
        )
    elif len(winners) > 1:
        blocks.append(
            Para(
                f"tie between {', '.join(winners)} (weighted total {totals[winners[0]]:.2f} each); "
                "no single option is recommended until a criterion or weight separates them.",
                label="Recommendation:",
            )
        )
    else:
        blocks.append(
            Para("none: every option is excluded by a constraint.", label="Recommendation:")
        )
    reference = scenario.data["recommendation"]["option"]
    blocks.append(Para(reference, label="The scenario's reference recommendation:"))
    if ranking.excluded:
        blocks.append(Heading(3, "Excluded options"))
        blocks.append(
            Bullets(
                tuple(
                    f"{e.option}: excluded by '{e.constraint}' because {e.reason}"
                    for e in ranking.excluded
                )
            )
        )
    described = [(o.name, o.description) for o in matrix.options if o.description]
    if described:
        blocks.append(Table(("Option", "Description"), tuple(described), caption="Options"))
    whys = tuple(
        (o, c, f"{cell.score:g}", cell.why) for (o, c), cell in matrix.scores.items() if cell.why
    )
    if whys:
        blocks.append(
            Table(
                ("Option", "Criterion", "Score", "Why"),
                whys,
                numeric=(2,),
                caption="Justifications of the scores",
            )
        )
    blocks.append(
        _chart(
            backend,
            "totals",
            "Bar chart of the weighted total of each option",
            summaries.totals_summary(matrix),
            matrix,
        )
    )
    return Section("tradeoff", "Trade-off matrix and recommendation", tuple(blocks))


def _sensitivity_section(matrix: Any, backend: Any, summaries: Any) -> Section:
    title = "Sensitivity and robustness of the recommendation"
    if matrix is None or not matrix.options or not matrix.criteria:
        return Section("sensitivity", title, (Para("Needs a trade-off matrix.", note=True),))
    winner = matrix.winner()
    feasible = matrix.feasible()
    ranking = matrix.ranking()
    if winner is None or len(feasible) < 2:
        why = "there is no winner" if winner is None else "only one option is not excluded"
        return Section("sensitivity", title, (Para(f"Nothing to test: {why}.", note=True),))
    if len(ranking.winners) > 1:
        tied = ", ".join(ranking.winners)
        note = f"Nothing to test while {tied} are tied for first: a weight or score must separate them."
        return Section("sensitivity", title, (Para(note, note=True),))
    blocks: list[Any] = []
    rows = []
    for s in matrix.sensitivity():
        interval = f"{weight_text(s.low)} to {weight_text(s.high)}"
        share = f"{pct(s.share_low, 1)} to {pct(s.share_high, 1)}"
        rows.append(
            (
                s.criterion,
                f"{s.weight:g}",
                interval,
                share,
                s.below or "nobody",
                s.above or "nobody",
            )
        )
    blocks.append(
        Para(
            f"How far each weight can move, the others fixed, while {winner} stays first.",
            label="Winner:",
        )
    )
    blocks.append(
        Table(
            (
                "Criterion",
                "Weight",
                "Winner holds for weights",
                "As a share",
                "Below, first is",
                "Above, first is",
            ),
            tuple(rows),
            numeric=(1,),
        )
    )
    share = matrix.robustness(draws=ROBUSTNESS_DRAWS, spread=ROBUSTNESS_SPREAD)
    blocks.append(
        Para(
            f"{winner} stays first in {pct(share, 1)} of {ROBUSTNESS_DRAWS:,} random weight perturbations "
            f"(each weight multiplied by a uniform factor between {1 - ROBUSTNESS_SPREAD:g} and {1 + ROBUSTNESS_SPREAD:g}).",
            label="Robustness:",
        )
    )
    blocks.append(
        _chart(
            backend,
            "sensitivity",
            "Chart of the weight interval over which the winner holds, per criterion",
            summaries.sensitivity_summary(matrix),
            matrix,
        )
    )
    return Section("sensitivity", title, tuple(blocks))


def _risk_section(scenario: Any, register: Any, backend: Any, summaries: Any) -> Section:
    title = "Risk register"
    if register is None or not register.risks:
        return Section("risks", title, (Para("No risks recorded yet.", note=True),))
    rows = tuple(
        (
            str(n),
            r.title,
            r.category,
            str(r.likelihood),
            str(r.impact),
            str(r.severity),
            r.raised,
            r.mitigation or "-",
            r.owner or "-",
            r.detection or "-",
        )
        for n, r in enumerate(register.by_severity(), 1)
    )
    blocks: list[Any] = [
        Table(
            (
                "#",
                "Risk",
                "Category",
                "Likelihood",
                "Impact",
                "Severity",
                "Raised",
                "Mitigation",
                "Owner",
                "Detection",
            ),
            rows,
            numeric=(0, 3, 4, 5),
            caption="Sorted by severity (likelihood x impact), then impact",
        ),
    ]
    coverage = register.coverage()
    expected = scenario.expected_categories()
    blocks.append(
        Table(
            tuple(expected),
            (tuple(str(coverage.get(c, 0)) for c in expected),),
            numeric=tuple(range(len(expected))),
            caption="Risks per category the scenario's rubric covers",
        )
    )
    empty = register.missing(expected)
    if empty:
        blocks.append(
            Para(", ".join(empty), label="Categories a Staff+ candidate would not leave empty:")
        )
    complete = sum(1 for r in register.risks if r.mitigation and r.owner and r.detection)
    blocks.append(
        Para(
            f"{complete} of {len(register.risks)} risks have a mitigation, an owner and a detection signal.",
            label="Completeness:",
        )
    )
    blocks.append(
        _chart(
            backend,
            "heatmap",
            "Heat map of risks by likelihood and impact",
            summaries.heatmap_summary(register),
            register,
        )
    )
    return Section("risks", title, tuple(blocks))


def _cost_section(scenario: Any, cost: Any, backend: Any, summaries: Any) -> Section:
    from ..models.cost import KINDS, range_check

    title = "Cost estimate"
    if cost is None or not cost.lines:
        return Section("cost", title, (Para("No cost lines yet.", note=True),))
    est = cost.estimate()
    rows = tuple(
        (
            c.name,
            KINDS[c.kind].title,
            money(c.monthly_usd),
            pct(c.monthly_usd / est.total, 1) if est.total else "-",
            "yes" if c.variable else "no",
            c.formula,
        )
        for c in est.lines
    )
    blocks: list[Any] = [
        Table(
            ("Line", "Kind", "Monthly USD", "Share", "Grows with traffic", "Formula"),
            rows,
            numeric=(2, 3),
            caption="Monthly cost per line at today's traffic",
        ),
        Para(f"{money(est.total)} a month.", label="Total:"),
    ]
    notes = [f"{line.name}: {line.note}" for line in cost.lines if line.note]
    if notes:
        blocks.append(Bullets(tuple(notes)))
    if est.cost_per_1000 is not None:
        blocks.append(
            Para(
                f"{money(est.cost_per_1000)} per 1,000 predictions "
                f"({est.predictions_per_month:,.0f} predictions a month).",
                label="Unit cost:",
            )
        )
    if est.reviewers:
        blocks.append(Para(f"{est.reviewers:,.1f} reviewers on shift.", label="Review staffing:"))
    low, high = scenario.cost_range()
    where, gap = range_check(est.total, low, high)
    position = "inside" if where == "inside" else f"{where} by {pct(gap)}"
    blocks.append(
        Para(
            f"{money(low)} to {money(high)} a month; this estimate is {position} it.",
            label="Reference range:",
        )
    )
    projection = cost.projection()
    headers = ("Line", *(f"x{p.traffic:g} traffic" for p in projection))
    proj_rows = [
        (line.name, *(money(p.lines[i].monthly_usd) for p in projection))
        for i, line in enumerate(cost.lines)
    ]
    proj_rows.append(("Total", *(money(p.total) for p in projection)))
    dominant = "; ".join(f"x{p.traffic:g}: {p.dominant.name}" for p in projection if p.dominant)
    blocks.append(Heading(3, "Projection"))
    blocks.append(
        Table(
            headers,
            tuple(proj_rows),
            numeric=tuple(range(1, len(headers))),
            caption="Monthly cost as traffic grows (fixed lines stay flat)",
        )
    )
    blocks.append(Para(dominant, label="Largest line:"))
    blocks.append(
        _chart(
            backend,
            "cost_breakdown",
            "Bar chart of monthly cost per line",
            summaries.cost_summary(cost),
            cost,
        )
    )
    blocks.append(
        _chart(
            backend,
            "projection",
            "Chart of monthly cost per line at x1, x3 and x10 traffic",
            summaries.projection_summary(cost),
            cost,
        )
    )
    return Section("cost", title, tuple(blocks))


def _interview_section(
    scenario: Any, work: dict[str, Any], backend: Any, summaries: Any
) -> Section:
    title = "Mock interview scorecard"
    rubric = {i["id"]: i for i in scenario.rubric}
    try:
        attempt = latest_attempt(work, rubric)
    except StaffplusError as exc:
        return Section(
            "interview", title, (Para(f"The latest attempt cannot be shown: {exc}.", note=True),)
        )
    if attempt is None:
        return Section("interview", title, (Para("No mock interview attempt yet.", note=True),))
    raw = attempt.raw
    attempts = work.get("interviews") or []
    blocks: list[Any] = []
    proactivity = attempt.proactivity
    facts = [f"score {attempt.score}/100"]
    if proactivity is not None:
        facts.append(f"proactivity {pct(proactivity)} (share of rubric items raised unprompted)")
    for key, label in (("mode", "mode"), ("minutes", "minutes")):
        value = raw.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            facts.append(f"{label} {value}")
    blocks.append(
        Para(
            f"attempt {attempt.index + 1} of {len(attempts)}"
            + (f", finished {attempt.finished}" if attempt.finished else "")
            + ": "
            + "; ".join(facts)
            + ".",
            label="Latest attempt:",
        )
    )
    counts = {s: sum(1 for v in attempt.items.values() if v == s) for s in STATUSES}
    blocks.append(
        Para(
            ", ".join(f"{counts[s]} {s}" for s in STATUSES)
            + f" of {len(attempt.items)} rubric items.",
            label="Items:",
        )
    )
    item_rows = tuple(
        (rid, rubric[rid]["category"], rubric[rid]["phase"], status, rubric[rid]["point"].strip())
        for rid, status in attempt.items.items()
    )
    blocks.append(
        Table(
            ("Rubric item", "Category", "Phase", "Status", "What a strong candidate says"),
            item_rows,
        )
    )
    signals = raw.get("signals")
    if isinstance(signals, dict) and signals:
        blocks.append(
            Bullets(
                tuple(
                    f"{'present' if v is True else 'missing'}: {_label(str(k))}"
                    for k, v in signals.items()
                )
            )
        )
    phases = raw.get("phases")
    if isinstance(phases, list):
        phase_rows = []
        for p in phases:
            if not isinstance(p, dict):
                continue
            followups = p.get("followups") if isinstance(p.get("followups"), list) else []
            asked = "; ".join(
                f"{f.get('item', '?')}: {f.get('question', '')} -> {f.get('answer') or '(no answer)'}"
                for f in followups
                if isinstance(f, dict)
            )
            phase_rows.append(
                (
                    _text(p.get("title") or p.get("id")),
                    _number(p.get("budget_min")),
                    _number(p.get("used_min")),
                    _text(p.get("answer")) or "-",
                    asked or "-",
                )
            )
        if phase_rows:
            blocks.append(
                Table(
                    ("Phase", "Budget (min)", "Used (min)", "Answer", "Follow-ups"),
                    tuple(phase_rows),
                    numeric=(1, 2),
                )
            )
    if len(attempts) > 1:
        hist = []
        for n, a in enumerate(attempts, 1):
            if isinstance(a, dict):
                hist.append(
                    (
                        str(n),
                        _text(a.get("finished")) or "-",
                        _number(a.get("score")),
                        pct(a["proactivity"]) if _is_share(a.get("proactivity")) else "-",
                    )
                )
        blocks.append(
            Table(
                ("#", "Finished", "Score", "Proactivity"),
                tuple(hist),
                numeric=(0, 2, 3),
                caption="All attempts, oldest first",
            )
        )
    # the chart and its summary get counts rebuilt from the validated items, never the file's own
    card = {
        "score": attempt.score,
        "items": dict(attempt.items),
        "categories": category_counts(scenario, attempt.items),
    }
    blocks.append(
        _chart(
            backend,
            "scorecard",
            "Chart of rubric items raised unprompted, prompted or missed, per category",
            summaries.scorecard_summary(card),
            card,
        )
    )
    return Section("interview", title, tuple(blocks))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _number(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return f"{value:g}"
    return "-"


def _is_share(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1


def _answers_section(work: dict[str, Any]) -> Section:
    answers = {
        k: v for k, v in (work.get("answers") or {}).items() if isinstance(v, str) and v.strip()
    }
    if not answers:
        return Section("answers", "Written answers", (Para("No written answers.", note=True),))
    blocks = tuple(Text(text, _label(key)) for key, text in answers.items())
    return Section("answers", "Written answers", blocks)


def _sources_section(scenario: Any) -> Section:
    items = tuple(
        f"{s['title']}: {s['url']} ({s['used_for']})" for s in scenario.data.get("sources", [])
    )
    blocks: tuple[Any, ...] = (
        (Bullets(items),) if items else (Para("No sources listed.", note=True),)
    )
    return Section("sources", "Scenario sources", blocks)


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
    num = set(numeric)
    muted = set(muted_rows)
    out = ["<table>"]
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
    out.append("</tbody></table>")
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


def _html_block(block: Any, anchor: str, n: int) -> str:
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
    num = set(numeric)
    out = [
        "| " + " | ".join(md_escape(h, cell=True) for h in headers) + " |",
        "| " + " | ".join("---:" if i in num else "---" for i in range(len(headers))) + " |",
    ]
    out += ["| " + " | ".join(md_escape(c, cell=True) or " " for c in row) + " |" for row in rows]
    return "\n".join(out)


def _md_block(block: Any) -> str:
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
    out = [f"# {md_escape(doc.title, cell=True)}", "", md_table(("Field", "Value"), doc.meta), ""]
    for section in doc.sections:
        out += [f"## {md_escape(section.title, cell=True)}", ""]
        for block in section.blocks:
            out += [_md_block(block), ""]
    out.append(f"*{md_escape(doc.footer)}*")
    return unicode_safe("\n".join(out) + "\n")


# -- public API --------------------------------------------------------------------------------------------
def _as_work(work: Any) -> dict[str, Any]:
    if hasattr(work, "to_work"):  # a WorkSession
        work = work.to_work()
    if not isinstance(work, dict):
        raise StaffplusError("work", "must be a work document (a mapping)", type(work).__name__)
    # lone surrogates (from JSON escapes) become visible escapes: charts and files cannot take them
    return text_safe(work)


def render_html(scenario: Any, work: Any) -> str:
    """The design review of ``work`` (a work document or a WorkSession) as one standalone HTML page.

    Parameters
    ----------
    scenario : Scenario
        The scenario the work is for (its rubric, cost range and sources are used).
    work : dict or WorkSession
        A validated work document (``workfile.parse``) or a session.

    Returns
    -------
    str
        A complete HTML document: inline CSS, charts as base64 PNG data URIs, no scripts.
    """
    return document_html(build_document(scenario, _as_work(work), charts=True))


def render_markdown(scenario: Any, work: Any) -> str:
    """The same design review as Markdown (tables and text summaries; charts are described, not drawn).

    Parameters
    ----------
    scenario : Scenario
        The scenario the work is for.
    work : dict or WorkSession
        A validated work document or a session.

    Returns
    -------
    str
        Markdown in which learner text is escaped (no raw HTML, links or emphasis survive).
    """
    return document_markdown(build_document(scenario, _as_work(work), charts=False))


def read_work(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and validate a work file without ever moving or changing it (``workfile.read``)."""
    return workfile.read(path)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` via a temp file in the same folder, fsync and os.replace."""
    return workfile.write_atomic(path, unicode_safe(text).encode("utf-8"), mode=0o644)


def output_format(out_path: str | os.PathLike[str]) -> str:
    """``"html"`` or ``"markdown"`` from the file suffix; anything else raises StaffplusError."""
    suffix = Path(out_path).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    raise StaffplusError(
        str(out_path), "must end in .html or .md (the format follows the suffix)", suffix or ""
    )


def export_file(
    work_path: str | os.PathLike[str], out_path: str | os.PathLike[str], pack: Any = None
) -> Path:
    """Write the design review of the work file at ``work_path`` to ``out_path``.

    Parameters
    ----------
    work_path : path
        A work file (validated on read; it is never moved or changed).
    out_path : path
        Where to write; ``.html``/``.htm`` gives HTML, ``.md``/``.markdown`` gives Markdown.
    pack : ScenarioPack, optional
        Where to find the scenario; default ``scenario.get_pack()``.

    Returns
    -------
    Path
        ``out_path``, written atomically.

    Raises
    ------
    StaffplusError
        Unsupported suffix, unreadable or invalid work file, or unknown scenario (one-line message).
    """
    fmt = output_format(out_path)
    work = read_work(work_path)
    if pack is None:
        from ..data.scenario import get_pack

        pack = get_pack()
    scenario = pack.get(work["scenario"])
    text = render_html(scenario, work) if fmt == "html" else render_markdown(scenario, work)
    return write_text_atomic(out_path, text)
