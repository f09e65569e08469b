"""The ``staffplus lite build OUTDIR`` command: a JupyterLite site of the learner workbooks."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import arg, command


def cmd_lite(args: argparse.Namespace) -> int:
    """Build the site into OUTDIR (see ``authoring/lite.py``); exit 1 when it cannot be built."""
    from .common import Invalid, say

    workbooks = Path(args.workbooks)
    if not workbooks.is_dir():
        raise Invalid([f"{workbooks}: no such folder of workbooks"])
    try:  # the build tools are the 'lite' extra
        import jupyterlite_core  # noqa: F401
        import jupyterlite_pyodide_kernel  # noqa: F401
    except ImportError as exc:
        raise Invalid(
            [f"needs the build tools: pip install 'staffplus-workbook[lite]' ({exc})"]
        ) from None
    from ..authoring import lite
    from ..authoring.downloads import Missing

    try:
        site = lite.build_site(Path(args.outdir), workbooks, Path(args.cache))
    except Missing as exc:
        raise Invalid(str(exc).splitlines() or [repr(exc)]) from None
    say(
        f"Built {site.folder} with {len(site.notebooks)} workbooks; the kernel starts with "
        f"{len(site.packages)} packages and needs no install step. Serve the folder over http(s), "
        "e.g. python -m http.server -d " + str(site.folder)
    )
    return 0


COMMANDS = (
    command(
        cmd_lite,
        "build a JupyterLite site of the learner workbooks (Pyodide kernel, work kept in the browser)",
        arg("action", choices=("build",)),
        arg("outdir", metavar="OUTDIR", help="the folder to write the site to (replaced)"),
        arg("--workbooks", default="workbooks", metavar="DIR"),
        arg(
            "--cache",
            default=".cache",
            metavar="DIR",
            help="where downloads from npm and PyPI are kept between builds",
        ),
    ),
)
