"""The progress profile of one learner's folder, 12 scenarios x 20 attempts, against reading and
parsing the same files.

The history is generated once into a temporary folder (``authoring.demo.demo_history``: 12 built-in
scenarios, 20 attempts each, reviews and mock interviews, every item with its level). The timed part
is the whole profile as ``staffplus progress --format json`` builds it (``practice.progress.progress``
and ``to_json``: read every file through ``workfile.read``, then count, trend, habits and the
recommendation); the baseline reads and parses the same files with ``workfile.read`` alone (the one
reader: parse, upgrade, schema, models), measured in the same run, interleaved. Targets: well under
a second (0.25 s), and at most 2x the reading (it measures about 1.5x). Notes: the ``json.loads`` floor, and the HTML page
with its three charts, timed once.
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from common import Result, interleaved

from staffplus_widgets import workfile

SCENARIOS = 12
ATTEMPTS = 20
TARGET_SECONDS = 0.25
TARGET_RATIO = 2.0
_STATE: dict[str, Any] = {}


def history() -> tuple[Path, Any]:
    """The generated folder and the scenario pack (built on first use, removed at exit)."""
    if not _STATE:
        from staffplus_widgets.authoring.demo import demo_history
        from staffplus_widgets.data.scenario import get_pack

        pack = get_pack()
        folder = Path(tempfile.mkdtemp(prefix="staffplus-bench-progress-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        demo_history(folder, min(SCENARIOS, len(pack.scenarios)), ATTEMPTS)
        _STATE.update(folder=folder, pack=pack)
    return _STATE["folder"], _STATE["pack"]


def read_all(folder: Path) -> int:
    """The baseline: every work file through the one reader, nothing else."""
    names = workfile.work_file_names(folder)
    for name in names:
        workfile.read(folder / name)
    return len(names)


def progress_profile() -> Result:
    from staffplus_widgets.practice.progress import progress

    folder, pack = history()
    files = read_all(folder)
    data = progress(folder, pack).to_json()
    profile_ms, read_ms = interleaved(
        lambda: progress(folder, pack).to_json(), lambda: read_all(folder), repeat=15
    )
    t0 = time.perf_counter()
    for path in sorted(folder.glob("*.json")):
        json.loads(path.read_bytes())
    floor_ms = (time.perf_counter() - t0) * 1000
    from staffplus_widgets.documents.progress import render_html

    t0 = time.perf_counter()
    page = render_html(data)
    page_ms = (time.perf_counter() - t0) * 1000
    ratio = profile_ms / read_ms if read_ms else float("inf")
    return Result(
        f"progress profile {SCENARIOS}x{ATTEMPTS} vs workfile.read",
        profile_ms,
        read_ms,
        f"<{TARGET_SECONDS * 1000:.0f} ms and <={TARGET_RATIO:g}x",
        profile_ms < TARGET_SECONDS * 1000 and ratio <= TARGET_RATIO,
        [
            f"{files} files, {data['attempts']['total']} attempts, "
            f"{sum(c['items'] for c in data['categories'])} item verdicts in the profile",
            f"json.loads floor of the same files: {floor_ms:.1f} ms",
            f"HTML page with 3 charts, once: {page_ms:.0f} ms ({len(page) // 1024} KiB)",
        ],
    )


BENCHMARKS = [progress_profile]
