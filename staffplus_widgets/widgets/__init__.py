"""ipywidgets views over the core models (core ipywidgets only: no custom JavaScript).

Each composite subclasses ``VBox``, never calls ``display()`` itself, edits its model only through
the model's methods, and exposes one ``value`` (the model as a dict).
"""

from __future__ import annotations

__all__ = [
    "AnswerBox",
    "CostEstimatorWidget",
    "DebriefWidget",
    "ExportBar",
    "JudgmentDrill",
    "MockInterview",
    "ProgressView",
    "RewriteDrill",
    "RiskSpottingDrill",
    "FeedbackPanel",
    "RiskRegisterWidget",
    "ScenarioCard",
    "TradeOffMatrixWidget",
    "Workbench",
]

from typing import Any

from .answer import AnswerBox, ExportBar
from .card import ScenarioCard
from .cost import CostEstimatorWidget
from .feedback import FeedbackPanel
from .risks import RiskRegisterWidget
from .tradeoff import TradeOffMatrixWidget
from .workbench import Workbench


def __getattr__(name: str) -> Any:
    """The views a scenario workbook does not show load on first use, so its kernel (on a hub, or
    in the browser) never loads the debrief, progress, drill or interview code (about 18 ms)."""
    if name == "DebriefWidget":
        from .debrief import DebriefWidget

        return DebriefWidget
    if name == "ProgressView":
        from .progress import ProgressView

        return ProgressView
    if name == "MockInterview":
        from .interview import MockInterview

        return MockInterview
    if name in ("JudgmentDrill", "RewriteDrill", "RiskSpottingDrill"):
        from . import drills

        return getattr(drills, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
