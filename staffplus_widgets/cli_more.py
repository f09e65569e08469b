"""Workshop and instructor commands, registered on the main parser (kept apart to keep cli.py small)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def register(add: Callable[..., Any]) -> None:
    """Add the interview, export, submit, debrief and workshop-link commands."""
