"""Instructor and hand-in commands: ``export``, ``submit`` and ``debrief``.

    staffplus export WORK.json --to report.html|report.md
    staffplus submit WORK.json --to DIR [--name NAME]
    staffplus debrief DIR [--scenario ID] [--out debrief.html|debrief.json] [--format html|json] [--jobs N]

Exit codes follow the CLI: 0 success, 1 invalid input (one line per problem), 2 usage error.
A debrief that had to leave files out still succeeds (exit 0): each such file is listed in the
report and on stderr with its reason.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..core.errors import StaffplusError
from .common import arg, command


def _cannot_write(path: str, exc: OSError) -> str:
    return f"{path}: cannot be written: {exc.strerror or exc}"


def cmd_export(args: argparse.Namespace) -> int:
    """Write a work file's design review as HTML or Markdown and print the path written."""
    from ..documents.export import export_file
    from .common import Invalid, pack_of, say

    try:
        path = export_file(args.work, args.to, pack_of(args))
    except StaffplusError as exc:
        raise Invalid([str(exc)]) from None
    except OSError as exc:
        raise Invalid([_cannot_write(args.to, exc)]) from None
    say(str(path))
    return 0


def cmd_submit(args: argparse.Namespace) -> int:
    """Hand a work file in to the shared submissions folder and print where the copy went."""
    from ..practice.submit import submit
    from .common import Invalid, pack_of, say

    try:
        result = submit(args.work, args.to, args.name, pack=pack_of(args))
    except StaffplusError as exc:
        raise Invalid([str(exc)]) from None
    except OSError as exc:
        raise Invalid([_cannot_write(args.to, exc)]) from None
    say(str(result.path))
    return 0


def _jobs(text: str) -> int:
    from ..core.validation import ascii_int

    try:
        n = ascii_int(text)
    except ValueError:
        n = 0
    if not 1 <= n <= 64:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 64 (got {text!r})")
    return n


DEBRIEF_SUFFIXES = {".html": "html", ".htm": "html", ".json": "json"}


def cmd_debrief(args: argparse.Namespace) -> int:
    """Debrief a submissions folder into an HTML or JSON file or stdout, listing files left out."""
    from ..documents import debrief
    from ..documents.export import unicode_safe, write_text_atomic
    from .common import EXIT_USAGE, Invalid, pack_of, say

    if args.out is None and args.format != "json":
        sys.stderr.write(
            "staffplus debrief: give --out FILE.html (or --format json to print the numbers)\n"
        )
        return EXIT_USAGE
    out_kind = None
    if args.out is not None:
        out_kind = DEBRIEF_SUFFIXES.get(Path(args.out).suffix.lower())
        if out_kind is None:
            raise Invalid(
                [f"{args.out}: --out must end in .html or .json (the format follows the suffix)"]
            )
    try:
        data = debrief.scan(args.directory, pack_of(args), args.scenario, jobs=args.jobs).to_json()
    except StaffplusError as exc:
        raise Invalid([str(exc)]) from None
    for row in data["rejected"]:
        sys.stderr.write(f"staffplus debrief: not counted: {row['reason']}\n")
    if args.out is not None:
        try:
            if out_kind == "html":
                write_text_atomic(args.out, debrief.render_html(data))
            else:
                write_text_atomic(args.out, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise Invalid([_cannot_write(args.out, exc)]) from None
    if args.format == "json":
        say(unicode_safe(json.dumps(data, indent=2, ensure_ascii=False)))
    else:
        files = data["files"]
        say(
            f"{args.out}: {files['counted']} submissions counted in {len(data['scenarios'])} scenario(s), "
            f"{files['rejected']} not counted"
        )
    return 0


COMMANDS = (
    command(
        cmd_export,
        "write a design-review document of a work file (.html: one standalone page; .md: Markdown)",
        arg("work", metavar="WORK.json"),
        arg("--to", required=True, metavar="report.html|report.md"),
    ),
    command(
        cmd_submit,
        "hand in a work file: copy it atomically into a shared folder, never overwriting anyone else's",
        arg("work", metavar="WORK.json"),
        arg(
            "--to", required=True, metavar="DIR", help="the shared submissions folder (must exist)"
        ),
        arg(
            "--name",
            default=None,
            help="name to file it under (default: the work file's learner field, else $JUPYTERHUB_USER, else your OS user)",
        ),
    ),
    command(
        cmd_debrief,
        "cohort debrief of a folder of submissions: items raised, options chosen, weights, costs, scores",
        arg("directory", metavar="DIR"),
        arg(
            "--scenario",
            metavar="ID",
            default=None,
            help="only this scenario (default: every one found)",
        ),
        arg(
            "--out",
            metavar="FILE",
            default=None,
            help="write the report: .html (tables and charts) or .json (the numbers)",
        ),
        arg(
            "--format",
            choices=("html", "json"),
            default="html",
            help="json: also print the numbers on stdout (keys documented in staffplus_widgets.documents.debrief)",
        ),
        arg(
            "--jobs",
            type=_jobs,
            default=None,
            metavar="N",
            help="processes to read the folder with (default: 2 on a machine with 2+ cores; 1 for one)",
        ),
    ),
)
