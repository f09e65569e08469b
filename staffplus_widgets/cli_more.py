"""Workshop and instructor commands, registered on the main parser (kept apart to keep cli.py small)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

# Each module defines register(add): interview practice, workshop links, notebook generation,
# and the instructor tools (export, submit, debrief).
_MODULES = (
    "staffplus_widgets.cli_interview",
    "staffplus_widgets.cli_workshop",
    "staffplus_widgets.cli_instructor",
)


def register(add: Callable[..., Any]) -> None:
    for name in _MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(add)
