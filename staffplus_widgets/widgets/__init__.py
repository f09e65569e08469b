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

from .answer import AnswerBox, ExportBar
from .card import ScenarioCard
from .cost import CostEstimatorWidget
from .debrief import DebriefWidget
from .drills import JudgmentDrill, RewriteDrill, RiskSpottingDrill
from .feedback import FeedbackPanel
from .interview import MockInterview
from .progress import ProgressView
from .risks import RiskRegisterWidget
from .tradeoff import TradeOffMatrixWidget
from .workbench import Workbench
