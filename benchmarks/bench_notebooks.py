"""The whole notebook suite (workbooks/ and solutions/) executed on both cores, against the floor: the
same number of empty notebooks started and run the same way, in the same run (target <= 1.5x)."""

from __future__ import annotations

import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from common import Result

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.5
WORKERS = 2


def _execute(path: str) -> float:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    t0 = time.perf_counter()
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(Path(path).parent)}},
    ).execute()
    return time.perf_counter() - t0


def _suite(paths: list[str]) -> float:
    t0 = time.perf_counter()
    # longest first, so the two workers finish together
    with ProcessPoolExecutor(WORKERS) as pool:
        list(pool.map(_execute, paths))
    return (time.perf_counter() - t0) * 1000


def notebook_suite() -> Result:
    import nbformat

    os.environ.setdefault("MPLBACKEND", "Agg")
    work = tempfile.mkdtemp(prefix="staffplus-bench-work-")
    os.environ["STAFFPLUS_WORK_DIR"] = work
    paths = sorted(
        str(p) for p in [*ROOT.glob("workbooks/*.ipynb"), *ROOT.glob("solutions/*.ipynb")]
    )
    empty_dir = Path(tempfile.mkdtemp(prefix="staffplus-bench-empty-"))
    empties = []
    for i in range(len(paths)):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("pass")]
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        p = empty_dir / f"empty{i:02d}.ipynb"
        nbformat.write(nb, p)
        empties.append(str(p))
    floor = _suite(empties)
    ours = _suite(paths)
    return Result(
        f"notebook suite ({len(paths)} notebooks, {WORKERS} workers)",
        ours,
        floor,
        f"<= {TARGET}x empty notebooks",
        ours <= TARGET * floor,
        [f"{len(paths)} notebooks in {ours / 1000:.1f} s; floor {floor / 1000:.1f} s"],
    )


BENCHMARKS = [notebook_suite]
