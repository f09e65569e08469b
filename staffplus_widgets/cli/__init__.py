"""The ``staffplus`` command.

Exit codes: 0 success, 1 invalid input (one line per problem on stderr), 2 usage error.
Bad input never produces a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from .._version import __version__
from ..core.errors import StaffplusError
from . import content, instructor, interview, lite, progress, workshop
from .common import EXIT_INVALID, EXIT_USAGE, Invalid

# -- parser ------------------------------------------------------------------------------------------
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def build_parser() -> argparse.ArgumentParser:
    """Build the ``staffplus`` argument parser with every command module's subcommands."""
    parser = argparse.ArgumentParser(
        prog="staffplus",
        description="Practise Staff+/Principal ML system design interviews: scenarios, rubric feedback, "
        "mock interviews, reports and workshop tools.",
    )
    parser.add_argument("--version", action="version", version=f"staffplus {__version__}")
    parser.add_argument(
        "--scenarios",
        action="append",
        metavar="DIR",
        help="extra folder of scenario YAML files (repeatable; also STAFFPLUS_SCENARIOS)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (content, interview, workshop, instructor, progress, lite):
        for command in module.COMMANDS:
            p = sub.add_parser(command.name, help=command.help, description=command.help)
            p.add_argument(
                "--scenarios",
                action="append",
                metavar="DIR",
                default=argparse.SUPPRESS,
                help="extra folder of scenario YAML files",
            )
            for names, options in command.arguments:
                p.add_argument(*names, **options)
            COMMANDS[command.name] = command.run
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``staffplus`` command and return its exit code; bad input never gives a traceback."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: 0 for --help/--version, 2 for usage errors
        return int(exc.code or 0)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    if not hasattr(args, "scenarios"):
        args.scenarios = None
    try:
        return COMMANDS[args.command](args)
    except Invalid as exc:
        for problem in exc.problems:
            sys.stderr.write(f"staffplus {args.command}: {problem}\n")
        return EXIT_INVALID
    except StaffplusError as exc:
        sys.stderr.write(f"staffplus {args.command}: {exc}\n")
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
