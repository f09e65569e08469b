"""What every chart shares and none of it needs matplotlib for: palette, hatches, label helpers.

The artifact charts (``charts.svg``, SVG for the widgets and the exported report) and the cohort
debrief's matplotlib figures (``charts.debrief``) both draw from here, so a winner, a cost kind or a
rubric status looks the same everywhere.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only
    from ..models.cost import CostModel
    from ..models.tradeoff import TradeOffMatrix

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
# deficiency. Colour is never the only encoding: every chart also uses hatches and text.
OKABE_ITO: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish_green": "#009E73",
    "reddish_purple": "#CC79A7",
    "sky_blue": "#56B4E9",
    "vermillion": "#D55E00",
    "yellow": "#F0E442",
    "black": "#000000",
}
PALETTE: tuple[str, ...] = tuple(OKABE_ITO.values())
GREY = "#BBBBBB"
# Line hatches only: dot and circle hatches take four to eight times longer to rasterise.
HATCHES: tuple[str, ...] = ("", "//", "\\\\", "xx", "--", "||", "++", "/")
TEXT_COLOUR = "#222222"

# -- trade-off: winner, other, excluded (colour and hatch say the same thing) ----------------------
WINNER_COLOUR = OKABE_ITO["bluish_green"]
OTHER_COLOUR = OKABE_ITO["blue"]
EXCLUDED_COLOUR = GREY
WINNER_HATCH = "//"
OTHER_HATCH = ""
EXCLUDED_HATCH = "xx"
STATE_STYLE: dict[str, tuple[str, str]] = {
    "winner": (WINNER_COLOUR, WINNER_HATCH),
    "excluded": (EXCLUDED_COLOUR, EXCLUDED_HATCH),
}
STATE_LEGEND = (
    "best = recommended, tie = tied for first, #n = rank, excl. = ruled out by a constraint"
)

# -- rubric status: (key, legend label, colour, hatch) ----------------------------------------------
SCORE_PARTS: tuple[tuple[str, str, str, str], ...] = (
    ("unprompted", "raised unprompted", OKABE_ITO["bluish_green"], ""),
    ("prompted", "raised when prompted", OKABE_ITO["orange"], "//"),
    ("missed", "missed", GREY, "xx"),
)

# -- cohort debrief: how learners raised a rubric item, and whose option they chose ------------------
DEBRIEF_STATUS_STYLE: tuple[tuple[str, str, str, str], ...] = (
    ("unprompted", "raised unprompted", OKABE_ITO["bluish_green"], ""),
    ("prompted", "raised when prompted", OKABE_ITO["orange"], "//"),
    ("missed", "not at all", GREY, "xx"),
)
REFERENCE_COLOUR = OKABE_ITO["bluish_green"]
CHOSEN_COLOUR = OKABE_ITO["blue"]
TIE_COLOUR = OKABE_ITO["orange"]

# -- risk severity: cividis (made for colour-vision deficiencies, prints as a clean grey ramp),
# reversed so severe cells are dark. 25 evenly spaced stops of matplotlib's cividis, one per
# severity 1..25; a test holds them to matplotlib's own colormap.
CIVIDIS_STOPS: tuple[str, ...] = (
    "#00224e",
    "#002a5f",
    "#003170",
    "#1a386f",
    "#2a3f6d",
    "#38476c",
    "#434e6c",
    "#4d556c",
    "#575d6d",
    "#61656f",
    "#6a6c71",
    "#737475",
    "#7d7c78",
    "#868379",
    "#918b78",
    "#9b9476",
    "#a59c74",
    "#b0a571",
    "#bcae6c",
    "#c6b667",
    "#d2c060",
    "#dec958",
    "#e9d34e",
    "#f6dd3f",
    "#fee838",
)
LABEL_SHARE = 0.18  # cost segments smaller than this are named in the summary, not on the bar


def short(text: str, limit: int = 26) -> str:
    """Long learner names would squeeze the plot area to nothing; the summary has them in full."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


COARSE_STEPS = (1.0, 2.0, 5.0, 10.0)
# the live charts redraw for free, so their axes may hug the data more closely
FINE_STEPS = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceiling(value: float, steps: tuple[float, ...] = COARSE_STEPS) -> float:
    """The next round step above ``value`` (1-2-5 by default): axis limits that change rarely as
    numbers move."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in steps:
        limit = step * 10**exponent
        if limit >= value:
            return limit
    return 10.0 ** (exponent + 1)  # pragma: no cover - the loop always returns


def sticky_limit(
    current: float | None,
    top: float,
    headroom: float = 1.15,
    *,
    shrink: float = 0.2,
    steps: tuple[float, ...] = COARSE_STEPS,
) -> float:
    """An axis limit that survives small edits, so the axis does not jump while a learner types.

    It moves to the next round step above ``top * headroom`` only when the data outgrows
    ``current`` or shrinks below ``shrink`` of it (bars would become slivers).
    """
    if current is None or not (current * shrink <= top <= current):
        return nice_ceiling(top * headroom, steps)
    return current


def money(value: float) -> str:
    """Compact dollars for chart labels ($950, $12.3k, $1.20M)."""
    if abs(value) >= 1e6:
        return f"${value / 1e6:,.2f}M"
    if abs(value) >= 1e4:
        return f"${value / 1e3:,.1f}k"
    return f"${value:,.0f}"


def letter(index: int) -> str:
    """A, B, ..., Z, AA, AB, ...: short option codes, so labels that change on every edit stay short."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def option_letters(matrix: TradeOffMatrix) -> dict[str, str]:
    return {name: letter(i) for i, name in enumerate(matrix.option_names())}


def state_code(state: str, label: str) -> str:
    """The short code written after a total: best, tie, #n (n= when tied) or excl."""
    if state == "winner":
        return "tie" if label.startswith("tied") else "best"
    if state == "excluded":
        return "excl."
    rank = label.split()[1]
    return f"#{rank}" + ("=" if "tie" in label else "")


def kind_style(kinds: Iterable[str]) -> dict[str, tuple[str, str]]:
    """One colour and one hatch per cost kind (seven kinds, eight Okabe-Ito colours), so a stacked
    bar reads by pattern as well as by colour; the last kind is the one without a hatch."""
    colours = (
        OKABE_ITO["blue"],
        OKABE_ITO["orange"],
        OKABE_ITO["sky_blue"],
        OKABE_ITO["reddish_purple"],
        OKABE_ITO["yellow"],
        OKABE_ITO["vermillion"],
        OKABE_ITO["bluish_green"],
    )
    return dict(zip(kinds, zip(colours, (*HATCHES[1:7], ""))))


def kinds_in(kinds: Iterable[str], *models: CostModel) -> list[str]:
    """The cost kinds (in ``kinds`` order) that at least one of ``models`` has a line of."""
    present = {line.kind for m in models for line in m.lines}
    return [k for k in kinds if k in present]


def two_lines(label: str) -> str:
    """A label as two short lines under a bar, so neighbouring option names do not collide."""
    lines = textwrap.wrap(label, 18)
    return "\n".join([*lines[:1], short(" ".join(lines[1:]), 18)] if len(lines) > 1 else lines)


def score_categories(attempt: dict[str, Any]) -> dict[str, dict[str, int]]:
    """``attempt["categories"]`` as ``{category: {unprompted, prompted, missed}}`` of ints."""
    cats = attempt.get("categories") or {}
    return {
        str(c): {k: int(v.get(k, 0) or 0) for k, *_ in SCORE_PARTS}
        for c, v in cats.items()
        if isinstance(v, dict)
    }


def severity_colour(severity: float, lowest: float = 1, highest: float = 25) -> str:
    """Reversed cividis at ``severity`` (``lowest`` palest, ``highest`` darkest), as #rrggbb."""
    t = 1 - min(1.0, max(0.0, (severity - lowest) / (highest - lowest)))
    pos = t * (len(CIVIDIS_STOPS) - 1)
    i = min(int(pos), len(CIVIDIS_STOPS) - 2)
    frac = pos - i
    a, b = _rgb(CIVIDIS_STOPS[i]), _rgb(CIVIDIS_STOPS[i + 1])
    return "#" + "".join(f"{round(x + (y - x) * frac):02x}" for x, y in zip(a, b))


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
