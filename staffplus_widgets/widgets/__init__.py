"""ipywidgets views over the core models (core ipywidgets only: no custom JavaScript).

Each composite subclasses ``VBox``, never calls ``display()`` itself, edits its model only through
the model's methods, and exposes one ``value`` (the model as a dict).
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "AnswerBox",
    "CostEstimatorWidget",
    "DebriefWidget",
    "ExportBar",
    "JudgmentDrill",
    "MockInterview",
    "RewriteDrill",
    "RiskSpottingDrill",
    "FeedbackPanel",
    "RiskRegisterWidget",
    "ScenarioCard",
    "TradeOffMatrixWidget",
    "Workbench",
]

# Every view is imported on first use, so that importing one view does not import them all: the
# drills and the mock interview draw no charts, and start without loading matplotlib.
_ELSEWHERE = {
    "ScenarioCard": ".card",
    "CostEstimatorWidget": ".cost",
    "FeedbackPanel": ".feedback",
    "RiskRegisterWidget": ".risks",
    "TradeOffMatrixWidget": ".tradeoff",
    "Workbench": ".workbench",
    "AnswerBox": ".answer",
    "ExportBar": ".answer",
    "JudgmentDrill": ".drills",
    "RewriteDrill": ".drills",
    "RiskSpottingDrill": ".drills",
    "MockInterview": ".interview",
    "DebriefWidget": ".debrief",
}


def __dir__() -> list[str]:
    return sorted([*globals(), *_ELSEWHERE])


def __getattr__(name: str) -> Any:
    module = _ELSEWHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'staffplus_widgets.widgets' has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)
