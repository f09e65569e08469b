"""What every ``staffplus`` command shares: exit codes, the one-line error, output, and reading
scenarios, answers and work files from the paths on the command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import StaffplusError

if TYPE_CHECKING:  # annotations only: no import at run time
    from ..data.scenario import Scenario, ScenarioPack
    from ..workfile import Parsed

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

Argument = tuple[tuple[str, ...], dict[str, Any]]


def arg(*names: str, **options: Any) -> Argument:
    """One argument of a command, as ``ArgumentParser.add_argument`` takes it."""
    return names, options


@dataclass(frozen=True)
class Command:
    """One ``staffplus`` subcommand: the function that runs it, its one-line help and its arguments.

    Its name is the function's without ``cmd_``, with dashes (``cmd_workshop_link`` is
    ``workshop-link``). Each command module lists its commands in ``COMMANDS``."""

    run: Callable[[argparse.Namespace], int]
    help: str
    arguments: tuple[Argument, ...] = ()

    @property
    def name(self) -> str:
        return self.run.__name__.removeprefix("cmd_").replace("_", "-")


def command(
    run: Callable[[argparse.Namespace], int], help_text: str, *arguments: Argument
) -> Command:
    """A ``Command`` with its arguments written out after the help."""
    return Command(run, help_text, arguments)


# the output choice most commands share
FORMAT = arg("--format", choices=("text", "json"), default="text")


class Invalid(Exception):
    """Invalid input: each entry of ``problems`` is printed on its own line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def say(text: str) -> None:
    """Write ``text`` to stdout, adding a final newline when it has none."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def emit_json(data: Any) -> None:
    """Print ``data`` as indented JSON, keeping non-ASCII characters as they are."""
    say(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False))


def pack_of(args: argparse.Namespace) -> ScenarioPack:
    """The scenario pack for the command, including any ``--scenarios`` folders."""
    from ..data.scenario import get_pack

    return get_pack(args.scenarios or None)


def scenario_of(args: argparse.Namespace, scenario_id: str) -> Scenario:
    """One scenario from the command's pack; an unknown id is Invalid, with the pack's errors."""
    pack = pack_of(args)
    try:
        return pack.get(scenario_id)
    except StaffplusError as exc:
        raise Invalid([str(exc), *pack.errors]) from None


def count_argument(text: str) -> int:
    """An argparse type for counts (--minutes, --number): ASCII digits only, since int() takes
    "１２" (full-width) as 12 and "4_5" as 45."""
    from ..core.validation import ascii_int

    try:
        return ascii_int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a whole number in digits 0-9 (got {text!r})"
        ) from None


def read_text(path: str, limit: int = 1_000_000) -> str:
    """An answer or answers file: regular files only (never a FIFO), UTF-8, at most ``limit``."""
    from ..core.fileio import read_regular

    try:
        raw = read_regular(path, limit, what="text file")
    except StaffplusError as exc:
        raise Invalid([str(exc)]) from None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise Invalid([f"{path}: is not UTF-8 text"]) from None


def load_work(path: str) -> Parsed:
    """Read and validate a work file (its document and the models the reader built), turning any
    problem into Invalid for the command."""
    from ..workfile import read_models

    try:
        return read_models(path)
    except StaffplusError as exc:
        raise Invalid([str(exc)]) from None


def keep_attempt(
    path: str, scenario: Scenario, attempt: dict[str, Any], card: dict[str, Any] | None = None
) -> None:
    """Keep a review or mock interview ``attempt`` (``practice.attempts``) in the work file at
    ``path``, with the interview's scorecard ``card`` if any, through the learner's session (the
    one merge and save path: a notebook open on the same file keeps its changes)."""
    from ..practice.session import WorkSession

    session = WorkSession(scenario, path, autosave_delay=0)
    if card is not None:
        session.interviews.append(card)
    session.record_attempt(attempt)
    if session.last_error:
        raise Invalid([session.last_error])
    if session.path != Path(path):  # another scenario's file was there: said where it went
        sys.stderr.write(f"{session.notice}\n")
