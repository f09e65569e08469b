"""Plain-text and Markdown renderings of scenarios and reviews (no HTML here; see export.py)."""

from __future__ import annotations

import textwrap
from typing import Any

from ..core.wording import count
from ..data.scenario import Scenario
from ..feedback import Review


def _wrap(text: str, indent: str = "") -> str:
    return "\n".join(
        textwrap.fill(p, 100, initial_indent=indent, subsequent_indent=indent)
        for p in text.strip().split("\n\n")
    )


def scenario_markdown(sc: Scenario) -> str:
    """A scenario as Markdown: prompt, context, questions, options, rubric, cost and sources."""
    d = sc.data
    out = [
        f"# {d['title']} ({d['id']})",
        "",
        d["summary"],
        "",
        "## Prompt",
        "",
        d["prompt"].strip(),
        "",
        "## Context",
        "",
    ]
    for key, value in d["context"].items():
        out.append(f"- **{key.replace('_', ' ')}**: {' '.join(value.split())}")
    out += ["", "## Clarifying questions", ""]
    for q in d["clarifying_questions"]:
        out.append(
            f"- **Q:** {q['question']}\n  **A:** {' '.join(q['answer'].split())}\n  *Changes:* {' '.join(q['changes'].split())}"
        )
    out += ["", "## Options", ""]
    for o in d["options"]:
        out.append(
            f"- **{o['name']}**{' (baseline)' if o.get('baseline') else ''}: {' '.join(o['description'].split())}"
        )
    rec = d["recommendation"]
    out += [
        "",
        f"**Recommendation:** {rec['option']}. {' '.join(rec['why'].split())}",
        f"**Flips when:** {' '.join(rec['flips_when'].split())}",
        "",
        "## Constraint variants",
        "",
    ]
    for var in d["constraint_variants"]:
        out.append(
            f"- **{var['title']}** -> {var['recommended']}: {' '.join(var['reason'].split())}"
        )
    out += ["", f"## Rubric ({len(sc.rubric)} items)", ""]
    for item in sc.rubric:
        out.append(
            f"- `{item['id']}` [{item['category']}, {item['phase']}] {' '.join(item['point'].split())}"
        )
    low, high = sc.cost_range()
    out += ["", f"## Cost reference: ${low:,.0f} - ${high:,.0f} per month", ""]
    out += [f"- {a}" for a in d["cost_reference"]["assumptions"]]
    out += ["", "## Sources", ""] + [
        f"- {s['title']} <{s['url']}>: {s['used_for']}" for s in d["sources"]
    ]
    return "\n".join(out)


def review_text_report(sc: Scenario, review: Review) -> str:
    """A text answer's review as plain text: score breakdown, raised and missed items, signals."""
    b = review.breakdown
    out = [
        f"Review against {sc.id}: score {review.score}/100 "
        f"(coverage {b['coverage']:g}/60, breadth {b['breadth']:g}/15, signals {b['signals']:g}/25)",
        "",
    ]
    out.append(
        "Categories: "
        + ", ".join(f"{c} {v['raised']}/{v['total']}" for c, v in review.categories.items())
    )
    out.append(
        "Cross-functional concerns raised: " + (", ".join(review.cross_functional) or "none")
    )
    out.append("")
    out.append("Raised:")
    for item in review.items:
        if item.raised:
            out.append(f'  + {item.id} [{item.category}]: "{_short(item.evidence or "")}"')
    out.append("Missed (the interviewer would ask):")
    for item in review.items:
        if not item.raised:
            extra = f'  (dismissed: "{_short(item.dismissed)}")' if item.dismissed else ""
            out.append(f"  - {item.id} [{item.category}]: {item.followup}{extra}")
    out.append("Staff+ signals:")
    for s in review.signals:
        out.append(f"  {'+' if s.present else '-'} {s.label}")
    return "\n".join(out)


def _short(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def work_review_text(sc: Scenario, result: dict[str, Any]) -> str:
    """A work file's review as plain text: matrix checks, risks, cost position and answer score."""
    t = result["tradeoff"]
    out = [f"Work review for {sc.id}", "", "Trade-off matrix:"]
    labels = {
        "three_options": "at least three options",
        "baseline": "a deliberately simple baseline",
        "cross_functional_criteria": "cross-functional criteria (cost, team, compliance...)",
        "recommendation": "a single recommended option",
    }
    for key, ok in t["checks"].items():
        out.append(f"  {'+' if ok else '-'} {labels[key]}")
    out.append(
        f"  your winner: {t['winner'] or ('tie: ' + ', '.join(t['tied']) if t['tied'] else 'none')}; "
        f"reference: {t['reference_winner']}"
    )
    r = result["risks"]
    out += [
        "",
        f"Risk register: {count(r['count'], 'risk')}, {r['complete_entries']} with mitigation, owner and detection",
    ]
    if r["empty_categories"]:
        out.append(
            "  categories a Staff+ candidate would not leave empty: "
            + ", ".join(r["empty_categories"])
        )
    covered = sum(1 for i in r["items"] if i["covered"])
    out.append(f"  rubric items covered by your risks: {covered}/{len(r['items'])}")
    c = result["cost"]
    low, high = c["range"]
    if c["total"] is None:
        out += ["", f"Cost estimate: missing (reference ${low:,.0f}-${high:,.0f}/month)"]
    else:
        out += [
            "",
            f"Cost estimate: ${c['total']:,.0f}/month, {c['position']} the reference ${low:,.0f}-${high:,.0f}"
            + (f" by {c['gap']:.0%}" if c["position"] != "inside" else ""),
        ]
    a = result.get("answer")
    out += ["", f"Mock answer: score {a['score']}/100" if a else "Mock answer: not written yet"]
    return "\n".join(out)
