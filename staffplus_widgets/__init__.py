"""staffplus: a Jupyter workbook for Staff+/Principal ML system design interviews.

The package root stays cheap to import: widgets and charts (ipywidgets, matplotlib)
load only when a notebook asks for them, so the CLI and the core start fast.
"""

from __future__ import annotations

from typing import Any

from ._version import __version__

__all__ = ["__version__"]

# the names a notebook imports from the package root; they come from ``widgets`` on first use
_WIDGETS = frozenset(
    {
        "ScenarioCard",
        "TradeOffMatrixWidget",
        "RiskRegisterWidget",
        "CostEstimatorWidget",
        "FeedbackPanel",
        "MockInterview",
        "Workbench",
        "AnswerBox",
        "JudgmentDrill",
        "RewriteDrill",
        "RiskSpottingDrill",
        "DebriefWidget",
    }
)


def __getattr__(name: str) -> Any:
    if name not in _WIDGETS:
        raise AttributeError(f"module 'staffplus_widgets' has no attribute {name!r}")
    from . import widgets

    return getattr(widgets, name)
