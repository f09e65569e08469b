"""staffplus: a Jupyter workbook for Staff+/Principal ML system design interviews.

The package root stays cheap to import: widgets and charts (ipywidgets, matplotlib)
load only when a notebook asks for them, so the CLI and the core start fast.
"""

from __future__ import annotations

from typing import Any

from ._version import __version__

__all__ = ["__version__"]

_LAZY = {
    "ScenarioCard": "staffplus_widgets.widgets",
    "TradeOffMatrixWidget": "staffplus_widgets.widgets",
    "RiskRegisterWidget": "staffplus_widgets.widgets",
    "CostEstimatorWidget": "staffplus_widgets.widgets",
    "FeedbackPanel": "staffplus_widgets.widgets",
    "MockInterview": "staffplus_widgets.widgets",
    "Workbench": "staffplus_widgets.widgets",
    "AnswerBox": "staffplus_widgets.widgets",
    "JudgmentDrill": "staffplus_widgets.widgets",
    "RewriteDrill": "staffplus_widgets.widgets",
    "RiskSpottingDrill": "staffplus_widgets.widgets",
    "DebriefWidget": "staffplus_widgets.widgets",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'staffplus_widgets' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
