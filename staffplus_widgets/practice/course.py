"""Where a learner is in the course: each workbook beside what their work files say about it.

The start page shows it as a table of links (``status_markdown``), so a learner sees which
scenarios they have started, answered and interviewed on, and opens the next one from there.
It reads only the notebooks' metadata and the work files, both local, so it runs in every kernel
(JupyterLite's included). A work file that cannot be read is reported as such, never raised.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .. import workfile
from ..core.errors import StaffplusError
from ..core.wording import count


@dataclass(frozen=True)
class WorkbookStatus:
    """One workbook and, for a scenario workbook, what the learner's newest work file holds."""

    file: str
    title: str
    scenario: str | None
    started: bool = False
    risks: int = 0
    answered: bool = False
    interviews: int = 0
    unreadable: bool = False

    def summary(self) -> str:
        """In words: "not started", "started: 4 risks, answer written, 2 mock interviews"."""
        if self.unreadable:
            return "work file unreadable (open the workbook: it says where it was moved)"
        if self.scenario is None:
            return ""
        if not self.started:
            return "not started"
        done = [count(self.risks, "risk")]
        done.append("answer written" if self.answered else "no answer yet")
        if self.interviews:
            done.append(count(self.interviews, "mock interview"))
        return "started: " + ", ".join(done)


def _notebook_meta(path: Path) -> tuple[str, str | None]:
    """A workbook's title and scenario id from its metadata (the file name if it has none)."""
    try:
        meta = json.loads(path.read_text("utf-8")).get("metadata", {}).get("staffplus", {})
    except (OSError, ValueError, AttributeError):
        return path.stem, None
    if not isinstance(meta, dict):
        return path.stem, None
    title = meta.get("title") if isinstance(meta.get("title"), str) else path.stem
    scenario = meta.get("scenario") if isinstance(meta.get("scenario"), str) else None
    return title, scenario


def _work_files(scenario_id: str, work_dir: Path) -> list[Path]:
    """The learner's work files for a scenario (any learner name), not the backups beside them."""
    stem = workfile.slug(scenario_id)
    try:
        names = workfile.work_file_names(work_dir)
    except OSError:
        return []
    return [work_dir / n for n in names if n == f"{stem}.json" or n.startswith(stem + "--")]


def _status(file: str, title: str, scenario: str | None, work_dir: Path) -> WorkbookStatus:
    # only a scenario's own workbook ("01_payments_fraud.ipynb") shows that scenario's work; the
    # mock interview names a scenario too, but for its parameter
    if scenario is not None and not file.endswith(f"_{scenario.replace('-', '_')}.ipynb"):
        scenario = None
    paths = _work_files(scenario, work_dir) if scenario else []
    if not paths:
        return WorkbookStatus(file, title, scenario)
    newest = max(paths, key=lambda p: p.stat().st_mtime)
    try:
        work = workfile.read(newest)
    except StaffplusError:
        return WorkbookStatus(file, title, scenario, unreadable=True)
    answers = work.get("answers") or {}
    risks = (work.get("risks") or {}).get("risks") or []
    answered = any(isinstance(v, str) and v.strip() for v in answers.values())
    interviews = len(work.get("interviews") or [])
    started = bool(work.get("tradeoff") or risks or work.get("cost") or answered or interviews)
    return WorkbookStatus(
        file, title, scenario, started, len(risks), answered, interviews, unreadable=False
    )


def course_status(workbooks: Path, work_dir: Path | None = None) -> list[WorkbookStatus]:
    """Every numbered workbook in ``workbooks`` (``NN_name.ipynb``) with the learner's status."""
    folder = Path(workbooks)
    work = Path(work_dir) if work_dir is not None else workfile.default_dir()
    rows = []
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        title, scenario = _notebook_meta(path)
        rows.append(_status(path.name, title, scenario, work))
    return rows


def _md_text(text: str) -> str:
    """Plain text for a Markdown table cell: no markup, no HTML, no column break."""
    out = text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    for char in "*_`[]<>#$":
        out = out.replace(char, "\\" + char)
    return out


def status_markdown(rows: list[WorkbookStatus], *, current: str = "") -> str:
    """The course as a Markdown table of links, with the learner's status beside each workbook."""
    lines = ["| Workbook | Your work |", "|---|---|"]
    for row in rows:
        if row.file == current:
            continue
        link = f"[{_md_text(row.title)}]({row.file})"
        lines.append(f"| {link} | {_md_text(row.summary()) or '-'} |")
    return "\n".join(lines)


def workbooks_by_scenario(workbooks: Path) -> dict[str, str]:
    """Each scenario's own workbook in ``workbooks``, by scenario id (``{"payments-fraud":
    "01_payments_fraud.ipynb"}``): the links the progress profile recommends."""
    out = {}
    for path in sorted(Path(workbooks).glob("[0-9][0-9]_*.ipynb")):
        scenario = _notebook_meta(path)[1]
        if scenario is not None and path.name.endswith(f"_{scenario.replace('-', '_')}.ipynb"):
            out[scenario] = path.name
    return out
