"""The cohort debrief as a document: text summaries of its charts and the standalone HTML page.

Works on the debrief's JSON numbers only (``debrief.debrief_json``), never on a submission. The
charts are matplotlib figures from ``charts.debrief``, loaded inside ``section_charts`` only.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.wording import count

if TYPE_CHECKING:  # annotations only: no import at run time
    from .blocks import Section


# -- text summaries of the debrief charts (shown next to each chart, used as their description) -----------
def items_summary(section: dict[str, Any]) -> str:
    """Describe the item-status chart: unprompted, prompted and missed counts per rubric item."""
    n = section["learners"]
    if not n:
        return "No learners yet."
    parts = [
        f"{r['label']}: {r['counts']['unprompted']} unprompted, {r['counts']['prompted']} prompted, "
        f"{r['counts']['missed']} missed"
        for r in section["items"]
    ]
    return f"Of {count(n, 'learner')}, per rubric item: " + "; ".join(parts) + "."


def options_summary(section: dict[str, Any]) -> str:
    """Describe the chosen-options chart: learners per winning option, ties and the reference."""
    c = section["chosen_options"]
    if not section["learners"]:
        return "No learners yet."
    parts = [
        f"{o['option']} {o['learners']}" + (" (the reference choice)" if o["reference"] else "")
        for o in c["options"]
    ]
    out = "Chosen options (each learner's trade-off winner): " + ("; ".join(parts) or "none") + "."
    if c["tied"]:
        out += f" {count(c['tied'], 'learner')} had a tie for first."
    if c["none"]:
        out += f" {c['none']} had no usable matrix."
    return out + f" Reference recommendation: {c['reference']}."


def named_only(section: dict[str, Any], top: int = 5) -> list[str]:
    """The items learners most often only named or waved away (from the levels hand-ins record)."""
    rows = [
        r
        for r in section["items"]
        if r.get("levels") and (r["levels"]["named"] or r["levels"]["dismissed"])
    ]
    rows.sort(key=lambda r: -(r["levels"]["named"] + r["levels"]["dismissed"]))
    return [
        f"{r['label']}: named without a consequence by {r['levels']['named']}, "
        f"waved away by {r['levels']['dismissed']}; reasoned by {r['levels']['reasoned']}"
        for r in rows[:top]
    ]


def weights_summary(section: dict[str, Any]) -> str:
    """Describe the weight-spread chart: each criterion's normalised weight range and median."""
    rows = [w for w in section["weights"] if w["learners"]]
    if not rows:
        return "No weights yet."
    parts = [
        f"{w['criterion']} from {w['min']:.0%} to {w['max']:.0%} (median {w['median']:.0%}"
        + (f", reference {w['reference']:.0%})" if w["reference"] is not None else ")")
        + f" over {count(w['learners'], 'learner')}"
        for w in rows
    ]
    return "Normalised weight per criterion: " + "; ".join(parts) + "."


def cost_spread_summary(section: dict[str, Any]) -> str:
    """Describe the cost-spread chart: estimates below, inside and above the reference range."""
    c = section["cost"]
    low, high = c["range"]
    counted = len(c["values"])
    if not counted:
        return f"No cost estimates yet (reference range ${low:,.0f} to ${high:,.0f} a month)."
    return (
        f"{counted} monthly cost estimates against the reference ${low:,.0f} to ${high:,.0f}: "
        f"{c['below']} below, {c['inside']} inside, {c['above']} above"
        + (f", {c['missing']} missing" if c["missing"] else "")
        + f". Lowest ${c['values'][0]:,.0f}, median ${c['median']:,.0f}, highest ${c['values'][-1]:,.0f}."
    )


def scores_summary(section: dict[str, Any]) -> str:
    """Describe the score histogram: range, mean, median and learners per score band."""
    s = section["scores"]
    if not s["values"]:
        return "No scores yet."
    bins = [
        f"{lo}-{hi - 1 if hi < 100 else 100}: {n}"
        for lo, hi, n in zip(s["edges"], s["edges"][1:], s["counts"])
        if n
    ]
    return (
        f"Scores from {s['min']} to {s['max']}, mean {s['mean']:.1f}, median {s['median']:g}. "
        f"Learners per band: {'; '.join(bins)}."
    )


# -- HTML ----------------------------------------------------------------------------------------------------
def _section_blocks(section: dict[str, Any], charts: dict[str, bytes | None]) -> list[Any]:
    from .blocks import Bullets, Chart, Heading, Para, Table, pct

    n = section["learners"]
    src = section["sources"]
    blocks: list[Any] = [
        Para(
            f"{count(n, 'learner')} counted: {src['interview']} from their latest "
            f"mock interview, {src['answer']} from their written mock answer.",
            label="Cohort:",
        )
    ]
    blocks.append(Heading(3, "What the cohort raised"))
    blocks.append(
        Table(
            (
                "Rubric item",
                "Category",
                "Phase",
                "Unprompted",
                "Prompted",
                "Not at all",
                "What a strong candidate says",
            ),
            tuple(
                (
                    r["label"],
                    r["category"],
                    r["phase"],
                    f"{pct(r['shares']['unprompted'])} ({r['counts']['unprompted']})",
                    f"{pct(r['shares']['prompted'])} ({r['counts']['prompted']})",
                    f"{pct(r['shares']['missed'])} ({r['counts']['missed']})",
                    r["point"],
                )
                for r in section["items"]
            ),
            numeric=(3, 4, 5),
        )
    )
    blocks.append(
        Chart(
            "items",
            "Stacked bars of the share of learners who raised each rubric item unprompted, "
            "when prompted, or not at all",
            items_summary(section),
            charts.get("items"),
        )
    )
    if section["most_missed"]:
        followups = {r["id"]: r["followup"] for r in section["items"]}
        blocks.append(Heading(3, "Most missed: ask the room"))
        blocks.append(
            Bullets(
                tuple(
                    f"{m['label']} (missed by {m['missed']}, {pct(m['share'])}): {followups[m['id']]}"
                    for m in section["most_missed"]
                )
            )
        )
    named = named_only(section)
    if named:
        blocks.append(Heading(3, "Named, not reasoned: ask the room \u201cso what?\u201d"))
        blocks.append(Bullets(tuple(named)))
    c = section["chosen_options"]
    blocks.append(Heading(3, "Chosen options"))
    rows = [
        (
            o["option"] + (" (reference)" if o["reference"] else ""),
            str(o["learners"]),
            pct(o["share"]),
        )
        for o in c["options"]
    ]
    rows += [
        ("Tie: " + " / ".join(t["options"]), str(t["learners"]), pct(t["learners"] / n if n else 0))
        for t in c["ties"]
    ]
    if c["none"]:
        rows.append(("No usable matrix", str(c["none"]), pct(c["none"] / n if n else 0)))
    blocks.append(Table(("Trade-off winner", "Learners", "Share"), tuple(rows), numeric=(1, 2)))
    blocks.append(
        Chart(
            "options",
            "Bar chart of how many learners chose each option",
            options_summary(section),
            charts.get("options"),
        )
    )
    blocks.append(Heading(3, "Weights"))
    blocks.append(
        Table(
            ("Criterion", "Learners", "Min", "Median", "Max", "Reference"),
            tuple(
                (
                    w["criterion"] + ("" if w["in_scenario"] else " (learner's own)"),
                    str(w["learners"]),
                    *(
                        pct(w[k], 1) if w[k] is not None else "-"
                        for k in ("min", "median", "max", "reference")
                    ),
                )
                for w in section["weights"]
            ),
            numeric=(1, 2, 3, 4, 5),
        )
    )
    blocks.append(
        Chart(
            "weights",
            "Range chart of the normalised weight learners gave each criterion",
            weights_summary(section),
            charts.get("weights"),
        )
    )
    cost = section["cost"]
    low, high = cost["range"]
    blocks.append(Heading(3, "Cost estimates"))
    blocks.append(
        Para(
            f"${low:,.0f} to ${high:,.0f} a month (the scenario's reference lines total "
            f"${cost['reference_total']:,.0f}).",
            label="Reference range:",
        )
    )
    blocks.append(
        Table(
            ("Below", "Inside", "Above", "Missing"),
            ((str(cost["below"]), str(cost["inside"]), str(cost["above"]), str(cost["missing"])),),
            numeric=(0, 1, 2, 3),
        )
    )
    blocks.append(
        Chart(
            "cost",
            "Dot plot of each learner's monthly cost estimate against the reference range",
            cost_spread_summary(section),
            charts.get("cost"),
        )
    )
    s = section["scores"]
    blocks.append(Heading(3, "Scores"))
    blocks.append(
        Table(
            tuple(
                f"{lo}-{hi - 1 if hi < 100 else 100}" for lo, hi in zip(s["edges"], s["edges"][1:])
            ),
            (tuple(str(k) for k in s["counts"]),),
            numeric=tuple(range(len(s["counts"]))),
            caption="Learners per score band",
        )
    )
    blocks.append(
        Chart(
            "scores",
            "Histogram of scores in bands of ten",
            scores_summary(section),
            charts.get("scores"),
        )
    )
    if section["duplicates"]:
        blocks.append(Heading(3, "Duplicate learner names (each file is counted)"))
        blocks.append(
            Bullets(
                tuple(f"{d['learner']}: {', '.join(d['files'])}" for d in section["duplicates"])
            )
        )
    blocks.append(Heading(3, "Roster"))
    blocks.append(
        Table(
            ("File", "Learner", "From", "Score", "Winner", "Monthly cost", "Against range"),
            tuple(
                (
                    r["file"],
                    r["learner"] + (" (duplicate name)" if r["duplicate"] else ""),
                    r["source"],
                    str(r["score"]),
                    r["winner"] or ("tie: " + " / ".join(r["tied"]) if r["tied"] else "-"),
                    f"${r['cost_total']:,.0f}" if r["cost_total"] is not None else "-",
                    r["cost_position"],
                )
                for r in section["roster"]
            ),
            numeric=(3, 5),
        )
    )
    return blocks


def section_charts(section: dict[str, Any]) -> dict[str, bytes | None]:
    """PNG bytes of every debrief chart of one section (empty without matplotlib)."""
    try:
        from ..charts import debrief as debrief_charts
    except ImportError:  # pragma: no cover - matplotlib is a dependency; a broken install degrades
        return {}
    from .blocks import PRINT_DPI

    return {
        key: debrief_charts.render_png(render, section, PRINT_DPI)
        for key, render in debrief_charts.RENDERERS.items()
    }


def cohort_chart(cohort: dict[str, Any]) -> bytes | None:
    """PNG bytes of the room's category profile (None without matplotlib)."""
    try:
        from ..charts.debrief import render_png
        from ..charts.progress import render_category_profile
    except ImportError:  # pragma: no cover - matplotlib is a dependency; a broken install degrades
        return None
    from .blocks import PRINT_DPI

    return render_png(render_category_profile, cohort["categories"], PRINT_DPI)


def cohort_section(cohort: dict[str, Any], *, charts: bool = True) -> Section:
    """The page's section on the habits the room misses, across every scenario handed in."""
    from .blocks import Bullets, Chart, Para, Section
    from .progress import cohort_summary

    habits = tuple(h["text"] for h in cohort["habits"]) or ("None yet.",)
    return Section("cohort", "Across scenarios: the habits the room misses", (
        Para(", ".join(cohort["weakest"]) or "none", label="Weakest categories:"),
        Bullets(habits),
        Chart("cohort", "Stacked bars per category: reasoned, named only, dismissed, not raised",
              cohort_summary(cohort), cohort_chart(cohort) if charts else None),
    ))  # fmt: skip


def render_html(data: dict[str, Any], *, charts: bool = True) -> str:
    """The debrief as one standalone HTML page: a section per scenario, then the files not counted.

    Parameters
    ----------
    data : dict
        ``Debrief.to_json()`` (the documented numbers; nothing else from a submission is used).
    charts : bool
        Embed the five charts of each section as PNG data URIs (False: text summaries only).

    Returns
    -------
    str
        HTML with inline CSS and no scripts. Every string from the submissions (learner, option
        and criterion names, file names, reasons) is escaped; every chart has alt text and a text
        summary.
    """
    from .blocks import Bullets, Document, Para, Section, document_html

    doc = Document("Cohort debrief")
    files = data["files"]
    doc.meta = [
        ("Folder", data["directory"]),
        (
            "Files",
            f"{files['seen']} seen, {files['counted']} counted, {files['rejected']} not counted"
            + (
                f", {files['other_scenario']} for other scenarios"
                if files["other_scenario"]
                else ""
            ),
        ),
        ("Scenarios", ", ".join(f"{s['title']} ({s['id']})" for s in data["scenarios"]) or "none"),
    ]
    for section in data["scenarios"]:
        pngs = section_charts(section) if charts else {}
        doc.sections.append(
            Section(
                f"scenario-{section['id']}",
                f"{section['title']} ({section['id']})",
                tuple(_section_blocks(section, pngs)),
            )
        )
    if data.get("cohort"):
        doc.sections.append(cohort_section(data["cohort"], charts=charts))
    if data["rejected"]:
        problems: tuple[Any, ...] = (Bullets(tuple(r["reason"] for r in data["rejected"])),)
    else:
        problems = (Para("Every file was counted.", note=True),)
    doc.sections.append(Section("not-counted", "Files not counted", problems))
    doc.footer = (
        "Generated by staffplus debrief. Nothing from a submission is run or rendered as HTML."
    )
    return document_html(doc)


def write_html(
    data: dict[str, Any], out_path: str | os.PathLike[str], *, charts: bool = True
) -> Path:
    """Write ``render_html(data)`` to ``out_path`` atomically and return the path."""
    from .export import write_text_atomic

    return write_text_atomic(out_path, render_html(data, charts=charts))
