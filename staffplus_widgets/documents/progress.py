"""The progress profile as a document: chart summaries, the terminal text and the HTML page
(``render_html``; ``staffplus progress --out`` writes it with ``export.write_text_atomic``).

Works on ``practice.progress.Profile.to_json()`` only (plain numbers and the learner's scenario
ids; nothing from a work file is run or rendered as HTML: ``blocks.document_html`` escapes it all).
The charts are matplotlib figures from ``charts.progress``, loaded inside ``progress_charts`` only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..core.wording import count

if TYPE_CHECKING:  # annotations only: no import at run time
    from .debrief import ScenarioDebrief


# -- text summaries of the charts (shown next to each chart and used as their description) -------
def _listing(lead: str, parts: list[str], empty: str) -> str:
    """``lead`` and the parts, one sentence; ``empty`` when there are none."""
    return lead + "; ".join(parts) + "." if parts else empty


def profile_summary(categories: list[dict[str, Any]]) -> str:
    """Describe the category profile: per category, items reasoned, named only, dismissed, missed."""
    return _listing(
        "Per category, over the latest attempt on each scenario: ",
        [f"{c['id']}: {c['counts']['reasoned']} reasoned, {c['counts']['named']} named only, "
         f"{c['counts']['dismissed']} dismissed, {c['counts']['absent']} not raised "
         f"(of {c['items']}, {c['shares']['reasoned']:.0%} reasoned)" for c in categories],
        "No attempts yet: review an answer or finish a mock interview to start a profile.",
    )  # fmt: skip


def trend_summary(trend: list[dict[str, Any]]) -> str:
    """Describe the trend chart: per category, the reasoned share first and at the recent level."""
    return _listing(
        "Share of items reasoned, from the first attempt to the recent level (the mean of the "
        "latest five): ",
        [f"{t['category']} from {t['first']:.0%} to {t['latest']:.0%} over "
         f"{count(len(t['points']), 'attempt')}" for t in trend],
        "No attempts yet.",
    )  # fmt: skip


def unprompted_summary(categories: list[dict[str, Any]]) -> str:
    """Describe the interview chart: per category, items raised unprompted, prompted, missed."""
    return _listing(
        "In the latest mock interview on each scenario, per category: ",
        [f"{c['id']}: {c['interview']['counts']['unprompted']} unprompted, "
         f"{c['interview']['counts']['prompted']} prompted, "
         f"{c['interview']['counts']['missed']} missed" for c in categories if c.get("interview")],
        "No mock interviews yet.",
    )  # fmt: skip


CHARTS = (  # key, alt text, summary of the part of the JSON it draws
    ("profile", "Stacked bars per category: reasoned, named only, dismissed, not raised",
     lambda d: profile_summary(d["categories"])),
    ("trend", "One panel per category: the share of items reasoned in each attempt and its recent level",
     lambda d: trend_summary(d["trend"])),
    ("unprompted", "Stacked bars per category: raised unprompted, when prompted, not at all",
     lambda d: unprompted_summary(d["categories"])),
)  # fmt: skip


def recommendation_lines(data: dict[str, Any], *, workbook: bool = True) -> list[str]:
    """What to practise next, as plain sentences (empty without a scenario to recommend); with
    ``workbook=False`` without the workbook to open (a view that links it instead)."""
    r = data["recommendation"]
    if not r:
        return []
    out = [
        f"Next: {r['title']} ({r['scenario']}), the {r['phase_title']} phase. {r['why']}",
    ]
    if r["workbook"] and workbook:
        out.append(f"Open {r['workbook']}.")
    out += [f"Drill: {d['statement']}" for d in r["drills"]]
    return out


def overview(data: dict[str, Any]) -> str:
    """One sentence: how many attempts of each kind, on how many scenarios, from how many files."""
    a, f = data["attempts"], data["files"]
    return (
        f"{count(a['total'], 'attempt')} ({a['reviews']} reviews, {a['interviews']} mock "
        f"interviews) on {count(len(a['scenarios']), 'scenario')}, from "
        f"{count(f['read'], 'work file')} in {data['directory']}"
        + (f"; {f['rejected']} not used" if f["rejected"] else "")
        + "."
        + (
            f" The files name {len(data['learners'])} learners, counted together: "
            + ", ".join(data["learners"])
            + "."
            if len(data.get("learners", [])) > 1
            else ""
        )
    )


def next_markdown(data: dict[str, Any]) -> str:
    """What to practise next as Markdown, the workbook as a link JupyterLab opens (workbook 97)."""
    from .blocks import md_escape

    r = data["recommendation"]
    if not r:
        return "No scenario to recommend."
    title = md_escape(r["title"])
    where = f"[{title}]({r['workbook']})" if r["workbook"] else title
    return f"**Practise next:** {where}, the *{md_escape(r['phase_title'])}* phase. " + md_escape(
        r["why"]
    )


def progress_text(data: dict[str, Any]) -> str:
    """The profile as plain text for the terminal (``staffplus progress``)."""
    out = [
        overview(data),
        "",
        "Per category (reasoned / named only / dismissed / not raised, latest attempt per scenario):",
    ]
    for c in data["categories"]:
        n = c["counts"]
        line = f"  {c['id']:<15} {n['reasoned']:>3} / {n['named']:>3} / {n['dismissed']:>3} / {n['absent']:>3}"
        if c["interview"]:
            line += f"   interviews: {c['interview']['shares']['unprompted']:.0%} unprompted"
        out.append(line)
    if not data["categories"]:
        out.append("  none yet")
    out += ["", "Trend (share reasoned, first attempt -> the latest five):"]
    out += [f"  {t['category']:<15} {t['first']:.0%} -> {t['latest']:.0%}" for t in data["trend"]]
    out += ["", "Habits missed most:"]
    out += [f"  - {h['text']}" for h in data["habits"]] or ["  none yet"]
    weakest = ", ".join(data["weakest"]) if data["attempts"]["total"] else "not measured yet"
    out += ["", f"Weakest categories: {weakest or 'none'}"]
    out += [f"  {line}" for line in recommendation_lines(data)]
    if data["rejected"]:
        out += ["", "Files not used:"] + [f"  {r['reason']}" for r in data["rejected"]]
    return "\n".join(out)


# -- HTML ----------------------------------------------------------------------------------------
def progress_charts(data: dict[str, Any]) -> dict[str, bytes | None]:
    """PNG bytes of every progress chart (empty without matplotlib)."""
    try:
        from ..charts import progress as progress_charts_
        from ..charts.debrief import render_png
    except ImportError:  # pragma: no cover - matplotlib is a dependency; a broken install degrades
        return {}
    from .blocks import PRINT_DPI

    parts = {
        "profile": data["categories"],
        "trend": data["trend"],
        "unprompted": data["categories"],
    }
    return {
        key: render_png(render, parts[key], PRINT_DPI)
        for key, render in progress_charts_.RENDERERS.items()
    }


def render_html(data: dict[str, Any], *, charts: bool = True) -> str:
    """The profile as one standalone HTML page: no scripts, charts as PNG data URIs with alt
    text and a text summary, every string from the work files escaped."""
    from .blocks import Bullets, Chart, Document, Para, Section, Table, document_html

    pngs = progress_charts(data) if charts else {}
    doc = Document("My progress")
    a = data["attempts"]
    doc.meta = [
        ("Folder", data["directory"]),
        ("Attempts", f"{a['total']} ({a['reviews']} reviews, {a['interviews']} mock interviews)"),
        ("Scenarios", ", ".join(a["scenarios"]) or "none"),
        ("From", f"{a['first'] or '-'} to {a['latest'] or '-'}"),
        ("Learners", ", ".join(data.get("learners", [])) or "-"),
    ]
    rows = tuple(
        (c["id"], str(c["items"]), *(f"{c['shares'][k]:.0%}" for k in
         ("reasoned", "named", "dismissed", "missed")),
         f"{c['interview']['shares']['unprompted']:.0%}" if c["interview"] else "-")
        for c in data["categories"]
    )  # fmt: skip
    blocks: list[Any] = [
        Table(
            (
                "Category",
                "Items",
                "Reasoned",
                "Named only",
                "Dismissed",
                "Not raised",
                "Unprompted in interviews",
            ),
            rows,
            numeric=(1, 2, 3, 4, 5, 6),
        ),  # fmt: skip
    ]
    blocks += [Chart(key, alt, summary(data), pngs.get(key)) for key, alt, summary in CHARTS]
    doc.sections.append(Section("profile", "Profile", tuple(blocks)))
    habits = tuple(h["text"] for h in data["habits"]) or ("None yet.",)
    doc.sections.append(Section("habits", "Habits missed most", (Bullets(habits),)))
    nxt = recommendation_lines(data)
    doc.sections.append(
        Section("next", "What to practise next",
                (Bullets(tuple(nxt)),) if nxt else (Para("No scenario to recommend.", note=True),))
    )  # fmt: skip
    if data["rejected"]:
        doc.sections.append(
            Section("not-used", "Files not used", (Bullets(tuple(r["reason"] for r in data["rejected"])),))
        )  # fmt: skip
    doc.footer = (
        "Generated by staffplus progress. Nothing from a work file is run or rendered as HTML."
    )
    return document_html(doc)


# -- the room: the cohort debrief's view of the same ---------------------------------------------
def cohort_verdicts(
    sections: Iterable[ScenarioDebrief],
) -> Iterator[tuple[str, dict[str, str], int]]:
    """Every hand-in's verdict on every rubric item of its scenario, as the profile counts them:
    each distinct verdict once, with how many (learner, item) pairs gave it.

    The level is the one the hand-in records (its answer review, or its latest mock interview);
    an older interview attempt without levels counts a raised item as reasoned and a missed one as
    absent. Items come from interviews with how they were raised."""
    for section in sections:
        rubric = [(i["id"], i["category"], i["phase"]) for i in section.scenario.rubric]
        counts: Counter[tuple[str, str, str, str | None]] = Counter()
        for learner in section.learners:
            levels = learner.levels or {}
            interview = learner.source == "interview"
            for item_id, category, phase in rubric:
                status = learner.items.get(item_id, "missed")
                level = levels.get(item_id) or ("absent" if status == "missed" else "reasoned")
                counts[category, phase, level, status if interview else None] += 1
        for (category, phase, level, raised), n in counts.items():
            verdict = {"category": category, "phase": phase, "level": level}
            if raised is not None:
                verdict["raised"] = raised
            yield section.scenario.id, verdict, n


def cohort_view(sections: Iterable[ScenarioDebrief]) -> dict[str, Any]:
    """Which habits the room misses, across every scenario handed in (``debrief`` JSON
    ``cohort``): category profiles, habits and the weakest categories (see docs/progress.md)."""
    from ..practice.progress import cohort_habits

    return cohort_habits(cohort_verdicts(sections))


def cohort_summary(cohort: dict[str, Any]) -> str:
    """Describe the cohort's category chart (the same facts as ``profile_summary``, for the room)."""
    if not cohort["categories"]:
        return "No hand-ins yet."
    return profile_summary(cohort["categories"]).replace(
        "over the latest attempt on each scenario", "over every hand-in and rubric item"
    )
