"""Pure chart functions: model -> matplotlib Figure (plus live charts that update in place).

Every ``render_*`` function returns a new ``matplotlib.figure.Figure`` that pyplot never sees;
``figure_png(fig)`` turns it into PNG bytes and closes it. Widgets use the ``*Chart`` classes
instead, which keep one figure and update its artists on every edit. Each chart has a text summary
in ``staffplus_widgets.summaries`` and never relies on colour alone.
"""

from __future__ import annotations

from ._base import DPI, OKABE_ITO, PALETTE, LiveChart, figure_png, new_figure
from .cost import (
    ComparisonChart,
    CostBreakdownChart,
    ProjectionChart,
    render_cost_breakdown,
    render_cost_comparison,
    render_projection,
)
from .risks import HeatmapChart, render_heatmap
from .scorecard import ScorecardChart, render_scorecard
from .tradeoff import SensitivityChart, TotalsChart, render_sensitivity, render_totals

__all__ = [
    "DPI",
    "OKABE_ITO",
    "PALETTE",
    "ComparisonChart",
    "CostBreakdownChart",
    "HeatmapChart",
    "LiveChart",
    "ProjectionChart",
    "ScorecardChart",
    "SensitivityChart",
    "TotalsChart",
    "figure_png",
    "new_figure",
    "render_cost_breakdown",
    "render_cost_comparison",
    "render_heatmap",
    "render_projection",
    "render_scorecard",
    "render_sensitivity",
    "render_totals",
]
