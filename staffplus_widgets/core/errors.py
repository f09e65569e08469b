"""The one error type every model raises for bad input."""

from __future__ import annotations

from typing import Any


class StaffplusError(Exception):
    """Bad input to a model, a scenario file or a work file.

    The message always names the field and, when there is one, the bad value,
    so a widget can show it next to that field and the CLI can print it on one line.
    """

    def __init__(
        self,
        field: str | tuple[str, ...],
        message: str,
        value: Any = None,
        *,
        has_value: bool = True,
    ):
        # a tuple is joined here: validators on hot paths pass their parts and never build a label
        # for a value that turns out fine
        field = field if isinstance(field, str) else "".join(field)
        self.field = field
        self.value = value
        self.reason = message
        self.has_value = has_value
        super().__init__(self.reworded(field))

    def reworded(self, field: str) -> str:
        """The message under ``field``: the field's path when raised ("line 'Online
        scoring'.peak_qps"), or a name a learner reads ("Peak QPS of 'Online scoring'")."""
        if not self.has_value:
            return f"{field}: {self.reason}"
        shown = repr(self.value)
        if len(shown) > 80:
            shown = shown[:77] + "..."
        return f"{field}: {self.reason} (got {shown})"


class WorkFileError(StaffplusError):
    """A work file could not be read; ``moved_to`` says where the bad file went, if anywhere."""

    def __init__(self, field: str, message: str, *, moved_to: str | None = None):
        self.moved_to = moved_to
        super().__init__(field, message, has_value=False)


class ScenarioError(StaffplusError):
    """A scenario file is invalid; the message names the file, the field path and the value."""
