"""``staffplus progress``: what a learner keeps missing across scenarios, and what to practise next.

    staffplus progress [DIR] [--format text|json] [--out progress.html] [--workbooks DIR]

DIR is the learner's work folder (default: ``STAFFPLUS_WORK_DIR`` or ``./staffplus-work``), or any
folder of work files downloaded from JupyterLite or Binder. Files that cannot be used are listed
(on stderr, and in the JSON and the page) and the rest still count: exit 0. A folder that does not
exist or cannot be listed is invalid input (exit 1).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.errors import StaffplusError
from .common import FORMAT, arg, command


def cmd_progress(args: argparse.Namespace) -> int:
    """Print the progress profile of a work folder as text or JSON, or write it as an HTML page."""
    from .. import workfile
    from ..documents.export import write_text_atomic
    from ..documents.progress import progress_text, render_html
    from ..practice.course import workbooks_by_scenario
    from ..practice.progress import progress
    from .common import Invalid, emit_json, pack_of, say

    folder = Path(args.directory) if args.directory else workfile.default_dir()
    if not folder.is_dir():
        raise Invalid([f"{folder}: is not a folder (give the folder your work files are in)"])
    workbooks = args.workbooks
    if workbooks is None and Path("workbooks").is_dir():  # the default, where it is there now
        workbooks = "workbooks"
    links = workbooks_by_scenario(Path(workbooks)) if workbooks else {}
    try:
        data = progress(folder, pack_of(args), links).to_json()
    except StaffplusError as exc:
        raise Invalid([str(exc)]) from None
    for rejected in data["rejected"]:
        sys.stderr.write(f"staffplus progress: not used: {rejected['reason']}\n")
    if args.out:
        if not args.out.lower().endswith((".html", ".htm")):
            raise Invalid([f"{args.out}: --out writes an HTML page; name it .html"])
        try:
            say(str(write_text_atomic(args.out, render_html(data))))
        except OSError as exc:
            raise Invalid([f"{args.out}: cannot be written: {exc.strerror or exc}"]) from None
    elif args.format == "json":
        emit_json(data)
    else:
        say(progress_text(data))
    return 0


COMMANDS = (
    command(
        cmd_progress,
        "the progress profile of a work folder: categories, trend, habits, what to practise next",
        arg("directory", nargs="?", metavar="DIR", help="work folder (default: staffplus-work)"),
        FORMAT,
        arg("--out", metavar="FILE.html", help="write a standalone HTML page with the charts"),
        arg(
            "--workbooks",
            metavar="DIR",
            default=None,
            help="folder of the workbooks, to name the recommended one (default: ./workbooks if any)",
        ),
    ),
)
