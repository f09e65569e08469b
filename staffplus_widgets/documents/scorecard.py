"""The mock interview in a design review: the saved attempts, validated, and their section."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.errors import StaffplusError
from ..models import summaries
from .blocks import (
    Block,
    Bullets,
    Charts,
    Para,
    Section,
    Table,
    chart_block,
    is_share,
    label_of,
    number_text,
    pct,
    text_of,
)

if TYPE_CHECKING:  # annotations only: no import at run time
    from ..data.scenario import Scenario

STATUSES = ("unprompted", "prompted", "missed")


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


def category_counts(scenario: Scenario, items: dict[str, str]) -> dict[str, dict[str, int]]:
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


def _interview_section(scenario: Scenario, work: dict[str, Any], backend: Charts | None) -> Section:
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
    blocks: list[Block] = []
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
                    f"{'present' if v is True else 'missing'}: {label_of(str(k))}"
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
                    text_of(p.get("title") or p.get("id")),
                    number_text(p.get("budget_min")),
                    number_text(p.get("used_min")),
                    text_of(p.get("answer")) or "-",
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
                        text_of(a.get("finished")) or "-",
                        number_text(a.get("score")),
                        pct(a["proactivity"]) if is_share(a.get("proactivity")) else "-",
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
        chart_block(
            backend,
            "scorecard",
            "Chart of rubric items raised unprompted, prompted or missed, per category",
            summaries.scorecard_summary(card),
            card,
        )
    )
    return Section("interview", title, tuple(blocks))
