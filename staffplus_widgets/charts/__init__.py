"""Charts, in two renderers that share one style (``_style``: palette, hatches, label rules).

- ``charts.svg``: the live charts the widgets show. Plain Python writing SVG: no matplotlib, so a
  workbook opens without importing the plotting stack, and a redraw on every edit costs a few
  milliseconds. The browser draws the text, so it stays sharp at any zoom.
- The print charts (``render_*`` here): matplotlib Figures for exported reports and the cohort
  debrief. Every ``render_*`` function returns a new ``matplotlib.figure.Figure`` that pyplot never
  sees; ``figure_png(fig)`` turns it into PNG bytes and closes it.

Each chart has a text summary in ``staffplus_widgets.models.summaries`` and never relies on colour alone.
The names below load matplotlib on first use only, so ``import staffplus_widgets.charts.svg``
stays cheap.
"""

from __future__ import annotations

from typing import Any

_HOME = {
    "DPI": "_base",
    "LiveChart": "_base",
    "figure_png": "_base",
    "new_figure": "_base",
    "OKABE_ITO": "_style",
    "PALETTE": "_style",
    "ComparisonChart": "cost",
    "CostBreakdownChart": "cost",
    "ProjectionChart": "cost",
    "render_cost_breakdown": "cost",
    "render_cost_comparison": "cost",
    "render_projection": "cost",
    "HeatmapChart": "risks",
    "render_heatmap": "risks",
    "ScorecardChart": "scorecard",
    "render_scorecard": "scorecard",
    "SensitivityChart": "tradeoff",
    "TotalsChart": "tradeoff",
    "render_sensitivity": "tradeoff",
    "render_totals": "tradeoff",
}
__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if home == "_base":
        from . import _base as module
    elif home == "_style":
        from . import _style as module
    elif home == "cost":
        from . import cost as module
    elif home == "risks":
        from . import risks as module
    elif home == "scorecard":
        from . import scorecard as module
    else:
        from . import tradeoff as module
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME])
