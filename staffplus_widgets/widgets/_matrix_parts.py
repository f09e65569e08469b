"""The pieces of the trade-off matrix view that hold no state: fixed-width grid cells, tooltips,
and the reference matrix shown beside the learner's."""

from __future__ import annotations

import ipywidgets as w

from ..data.scenario import Scenario
from ..models.tradeoff import SCALE, Cell, Criterion, TradeOffMatrix
from ._common import esc, fmt_number, make, text_input

SCORE_HELP = f"Score {SCALE[0]}-{SCALE[1]}; {SCALE[1]} is always better (e.g. 5 = cheapest)"
# Column widths in pixels; every input also has the front end's 2 px margin on each side.
NAME_PX = 190
TOTAL_PX = 56
RANK_PX = 150
CELL_PX = 100
MARGIN_PX = 2
FIXED = "0 0 auto"  # never squeeze a column: the row scrolls instead


def cell(width: int) -> dict[str, str]:
    """The (shared) layout of a fixed-width grid cell."""
    return {"width": f"{width}px", "flex": FIXED}


def row(cells: list[w.Widget], *names: str) -> w.HBox:
    """One grid row; every cell in it must have a fixed-width layout (``cell``)."""
    return make(w.HBox, *names, children=cells, layout={"align_items": "center", "flex": FIXED})


def sticky(cells: list[w.Widget]) -> w.HBox:
    """The first cells of a row, kept in view at the left while the grid scrolls sideways."""
    return row(cells, "grid-sticky")


def key_html(matrix: TradeOffMatrix) -> str:
    """What each option is and what each criterion rewards, so no option is scored blind.

    Open by default; the full names are here too, where the grid's narrow inputs cut them.
    """
    options = "".join(
        f"<li><b>{esc(o.name)}</b>" + (f": {esc(o.description)}" if o.description else "") + "</li>"
        for o in matrix.options
    )
    criteria = "".join(
        f"<li><b>{esc(c.name)}</b> (weight {fmt_number(c.weight)})"
        + (f". High score: {esc(c.high_means)}" if c.high_means else "")
        + "</li>"
        for c in matrix.criteria
    )
    if not options and not criteria:
        return ""
    return (
        "<details class='staffplus-tradeoff-key-details' open><summary><b>What the options "
        "and criteria are</b></summary>"
        + (
            f"<p style='margin:4px 0'>Options</p><ul style='margin:0'>{options}</ul>"
            if options
            else ""
        )
        + (
            f"<p style='margin:4px 0'>Criteria</p><ul style='margin:0'>{criteria}</ul>"
            if criteria
            else ""
        )
        + "</details>"
    )


def text_cell(
    description: str,
    value: str,
    *,
    tooltip: str,
    width: int,
    names: tuple[str, ...],
    placeholder: str = "",
    in_row: bool = True,
) -> w.Text:
    """A grid input: it keeps a description for screen readers, but the column header labels it."""
    return text_input(
        names[0],
        value,
        label=description,
        extra_names=names[1:],
        tooltip=tooltip,
        placeholder=placeholder,
        width=f"{width}px",
        description_width="0px",
        flex=FIXED if in_row else "",
    )


# What a screen reader says for each grid input (its hidden description): where it sits, by name.
def score_label(option: str, criterion: str) -> str:
    return f"Score of {option} on {criterion}"


def weight_label(criterion: str) -> str:
    return f"Weight of {criterion}"


def criterion_label(j: int) -> str:
    return f"Name of criterion {j + 1}"


def option_label(i: int) -> str:
    return f"Name of option {i + 1}"


def criterion_tooltip(crit: Criterion) -> str:
    return f"{crit.name}: {crit.high_means}" if crit.high_means else crit.name


def score_tooltip(option: str, criterion: str, cell: Cell) -> str:
    return f"{option} on {criterion}: {fmt_number(cell.score)}" + (
        f". Why: {cell.why}" if cell.why else f". {SCORE_HELP}"
    )


def reference_matrix_html(scenario: Scenario, mine: TradeOffMatrix, variants: list[str]) -> str:
    """The scenario's reference matrix beside the learner's scores, its totals and its call."""
    data = scenario.data
    criteria = [c["name"] for c in data["criteria"]]
    head = "".join(
        f"<th style='padding:2px 6px'>{esc(c['name'])} (w {c['weight']:g})</th>"
        for c in data["criteria"]
    )
    rows = []
    for opt in data["options"]:
        cells = []
        for c in criteria:
            ref = opt["scores"][c]
            yours = ""
            if opt["name"] in mine.option_names() and c in mine.criterion_names():
                score = mine.cell(opt["name"], c).score
                delta = score - ref["score"]
                yours = (
                    f"<br><small>you: {fmt_number(score)}"
                    + (f" ({delta:+g})" if delta else "")
                    + "</small>"
                )
            cells.append(
                f"<td style='vertical-align:top;padding:2px 6px'><b>{ref['score']}"
                f"</b>{yours}<br><small>{esc(ref['why'])}</small></td>"
            )
        base = " (baseline)" if opt.get("baseline") else ""
        rows.append(
            f"<tr><th style='text-align:left;vertical-align:top'>{esc(opt['name'])}"
            f"{base}</th>{''.join(cells)}</tr>"
        )
    reference = TradeOffMatrix.from_scenario(data)
    totals = reference.totals()
    rec = data["recommendation"]
    parts = [
        "<h5>Reference matrix</h5>",
        f"<table class='staffplus-reference-table'><tr><th></th>{head}</tr>{''.join(rows)}</table>",
        "<p>Reference totals: "
        + esc("; ".join(f"{k} {v:.2f}" for k, v in totals.items()))
        + "</p>",
        f"<p><b>Recommendation:</b> {esc(rec['option'])}. {esc(' '.join(rec['why'].split()))}"
        f"</p><p><b>It flips when:</b> {esc(' '.join(rec['flips_when'].split()))}</p>",
    ]
    for vid in variants:
        var = scenario.variant(vid)
        parts.append(
            f"<p><b>With “{esc(var['title'])}”:</b> {esc(var['recommended'])}. "
            f"{esc(' '.join(var['reason'].split()))}</p>"
        )
    return "".join(parts)
