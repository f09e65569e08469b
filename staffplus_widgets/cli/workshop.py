"""Workshop commands: nbgitpuller links, and generating learner workbooks and the README's contents."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from types import ModuleType
from urllib.parse import quote, urlencode, urlsplit

from ..core.errors import StaffplusError
from .common import arg, command, count_argument

DEFAULT_NOTEBOOK = "workbooks/00_start_here.ipynb"


def _http_url(field: str, value: str) -> str:
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:  # "https://[::1": an unclosed IPv6 host
        raise StaffplusError(field, "is not a valid URL", value) from None
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or any(c.isspace() for c in value.strip())
    ):
        raise StaffplusError(field, "must be an http(s) URL with a host", value)
    if parts.query or parts.fragment:
        raise StaffplusError(field, "must not have a query (?...) or a fragment (#...)", value)
    return value.strip().rstrip("/")


def workshop_link(
    hub: str, repo: str, branch: str = "main", notebook: str = DEFAULT_NOTEBOOK
) -> str:
    """The nbgitpuller link that clones/updates ``repo`` into the learner's home and opens ``notebook``.

    nbgitpuller merges upstream changes without touching files the learner changed or created; learner
    work lives in ``staffplus-work/`` (git-ignored), outside the content it updates.
    """
    hub_url = _http_url("--hub", hub)
    repo_url = _http_url("--repo", repo)
    if (
        not re.fullmatch(r"[A-Za-z0-9._/-]{1,100}", branch)
        or ".." in branch
        or branch.startswith(("/", "-"))
    ):
        raise StaffplusError("--branch", "is not a valid branch name", branch)
    path = notebook.strip()
    while path.startswith("./"):  # only a leading "./" goes: "./.private/x.ipynb" keeps its dot
        path = path[2:]
    if not path.endswith(".ipynb") or path.startswith("/") or ".." in Path(path).parts:
        raise StaffplusError(
            "--notebook", "must be a relative path to a .ipynb inside the repository", notebook
        )
    target = (
        urlsplit(repo_url).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git") or "staffplus"
    )
    query = urlencode(
        {"repo": repo_url, "branch": branch, "urlpath": f"lab/tree/{target}/{path}"},
        quote_via=quote,
        safe="/",
    )
    return f"{hub_url}/hub/user-redirect/git-pull?{query}"


def cmd_workshop_link(args: argparse.Namespace) -> int:
    """Print the nbgitpuller link that opens a workbook on a JupyterHub."""
    from .common import Invalid, say

    try:
        say(workshop_link(args.hub, args.repo, args.branch, args.notebook))
    except StaffplusError as exc:
        raise Invalid([str(exc)]) from None
    return 0


def _repo_root() -> Path:
    return Path.cwd()


def cmd_notebooks(args: argparse.Namespace) -> int:
    """Generate or check the learner workbooks, update the README's contents, or scaffold one."""
    from ..authoring import notebooks as nbs
    from .common import Invalid

    solutions, workbooks = Path(args.solutions), Path(args.workbooks)
    if args.action in ("generate", "check") and not solutions.is_dir():
        raise Invalid([f"{solutions}: no such folder of solved notebooks"])
    try:
        return _notebooks_action(args, nbs, solutions, workbooks)
    except (ValueError, OSError) as exc:  # a bad or unreadable notebook: one line, no traceback
        raise Invalid(
            [str(exc) if isinstance(exc, ValueError) else f"{exc.filename}: {exc.strerror}"]
        ) from None


def _notebooks_action(
    args: argparse.Namespace, nbs: ModuleType, solutions: Path, workbooks: Path
) -> int:
    from .common import Invalid, say

    if args.action == "generate":
        changed = nbs.generate(solutions, workbooks)
        say(f"wrote {len(changed)} workbook(s)" + (": " + ", ".join(changed) if changed else ""))
        return 0
    if args.action == "check":
        drift = nbs.generate(solutions, workbooks, check=True)
        if drift:
            raise Invalid(
                [
                    f"{workbooks / name}: differs from what 'staffplus notebooks generate' writes"
                    for name in drift
                ]
            )
        say("workbooks are up to date with solutions/")
        return 0
    if args.action == "toc":
        readme = Path(args.readme)
        table = nbs.toc(workbooks)
        try:
            text = readme.read_text("utf-8")
            updated = nbs.readme_with_toc(text, table)
        except (OSError, ValueError) as exc:
            raise Invalid([f"{readme}: {exc}"]) from None
        if args.write:
            readme.write_text(updated, "utf-8")
            say(f"updated the table of contents in {readme}")
        elif updated != text:
            raise Invalid(
                [
                    f"{readme}: table of contents is out of date (run 'staffplus notebooks toc --write')"
                ]
            )
        else:
            say(table)
        return 0
    if args.action == "scaffold":
        from .common import scenario_of

        if not args.scenario:
            raise Invalid(["scaffold needs --scenario ID (and optionally --number N)"])
        if solutions.exists() and not solutions.is_dir():
            raise Invalid(
                [f"{solutions}: is not a folder (--solutions names the folder to write to)"]
            )
        sc = scenario_of(args, args.scenario)
        number = nbs.next_number(solutions) if args.number is None else args.number
        if not 0 <= number <= 99:
            raise Invalid([f"--number must be a workbook number from 0 to 99, not {number}"])
        name, nb = nbs.scaffold_scenario(sc, number, local=not sc.builtin)
        out = solutions / name
        if out.exists() and not args.force:
            raise Invalid([f"{out}: exists (use --force to replace it)"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(nbs.dumps(nb), "utf-8")
        say(f"wrote {out}")
        if not sc.builtin:
            # beside the notebook, so it opens in JupyterLab without STAFFPLUS_SCENARIOS
            copy = solutions / nbs.LOCAL_SCENARIOS / f"{sc.id}.yaml"
            copy.parent.mkdir(exist_ok=True)
            copy.write_bytes(Path(sc.path).read_bytes())
            say(f"copied the scenario {sc.path} to {copy} (the workbook reads it from there)")
        say("now run 'staffplus notebooks generate'")
        return 0
    raise Invalid([f"unknown action {args.action}"])  # pragma: no cover - argparse choices


COMMANDS = (
    command(
        cmd_workshop_link,
        "print the nbgitpuller link that opens a workbook on a JupyterHub",
        arg("--hub", required=True, metavar="URL", help="the JupyterHub's base URL"),
        arg("--repo", required=True, metavar="URL", help="the git repository with the workbooks"),
        arg("--branch", default="main"),
        arg(
            "--notebook",
            default=DEFAULT_NOTEBOOK,
            metavar="PATH",
            help="relative to the repository root",
        ),
    ),
    command(
        cmd_notebooks,
        "generate learner workbooks from solutions/, check them, update the README's contents, scaffold a new one",
        arg("action", choices=("generate", "check", "toc", "scaffold")),
        arg("--solutions", default="solutions", metavar="DIR"),
        arg("--workbooks", default="workbooks", metavar="DIR"),
        arg("--readme", default="README.md", metavar="FILE"),
        arg("--write", action="store_true", help="toc: rewrite the README's table of contents"),
        arg("--scenario", metavar="ID", help="scaffold: the scenario"),
        arg(
            "--number",
            type=count_argument,
            metavar="N",
            help="scaffold: the workbook's number (NN_; default: the next after the scenario workbooks)",
        ),
        arg("--force", action="store_true", help="scaffold: replace an existing solved notebook"),
    ),
)
