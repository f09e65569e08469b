"""Workshop capacity: a learner's kernel memory, and ten learners at once on a real JupyterHub.

1. ``kernel_memory``: resident memory (``VmRSS`` of the kernel process, /proc/<pid>/status) of a
   python3 kernel that ran every code cell of ``workbooks/01_payments_fraud.ipynb``, against a bare
   kernel that only imported ipywidgets (what any widget notebook loads; the workbooks draw their
   charts as SVG, without matplotlib). Kernels are started with jupyter_client, cwd and
   ``STAFFPLUS_WORK_DIR`` in a temporary folder; medians of 3 kernels each, alternating. Target: at
   most 1.5x the bare kernel.
2. ``hub_concurrency``: the same real hub as ``tests/test_hub.py`` (``tests/hub_support.py``). A
   learner's morning is: create the user and spawn their server (REST), pull the workbooks with
   nbgitpuller, run the fraud workbook in their own kernel over the websocket, add a risk, submit.
   Wall time for 10 learners at once against 1 learner alone (median of 3: two before the ten, one
   after, servers stopped in between), after one untimed warm-up learner. Target: at most 10x. On 2 cores this is CPU-bound (each spawn starts a Jupyter
   server, each kernel imports ipywidgets and builds the workbook's widgets), so the ratio mostly measures the
   cores, not contention in the hub. The notes give per-learner memory on the hub (their server plus
   their kernel, RSS) and the hub's own fixed cost: the numbers behind "learners per GB" in the
   README and the memory guarantee in ``deploy/jupyterhub/``.

The columns ``median ms`` / ``baseline ms`` hold MiB for the memory benchmark (the name says so).
"""

from __future__ import annotations

import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import Result

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

import hub_support as hs  # noqa: E402

NOTEBOOK = ROOT / "workbooks" / "01_payments_fraud.ipynb"
BARE = "import ipywidgets"
KERNELS = 3
TARGET_MEMORY_RATIO = 1.5
CONCURRENT = 10
SINGLE_RUNS = 3
TARGET_TIME_RATIO = 10.0
_TMP: list[Path] = []


def _tmpdir(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    _TMP.append(path)
    return path


@atexit.register
def _cleanup() -> None:
    for path in _TMP:
        shutil.rmtree(path, ignore_errors=True)


# -- 1. one kernel's memory -------------------------------------------------------------------------------
def _kernel_rss_mib(cells: list[str]) -> float:
    """Start a python3 kernel, run ``cells``, let it settle, return its VmRSS in MiB; then shut it down."""
    import nbformat  # noqa: F401 - fail early with a clear ImportError if the test extra is missing
    from jupyter_client.manager import start_new_kernel

    folder = _tmpdir("staffplus-bench-kernel-")
    env = dict(os.environ, STAFFPLUS_WORK_DIR=str(folder / "staffplus-work"))
    env.pop("MPLBACKEND", None)  # as on a hub: the kernel picks its inline backend itself
    km, kc = start_new_kernel(
        kernel_name="python3", cwd=str(folder), env=env, stderr=subprocess.DEVNULL
    )
    try:
        for i, code in enumerate(cells):
            reply = kc.execute_interactive(code, timeout=120, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"cell {i} failed: {reply['content'].get('evalue')}\n{code}")
        time.sleep(0.5)
        return hs.rss_kib(km.provisioner.process.pid) / 1024
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def kernel_memory() -> Result:
    import nbformat

    cells = hs.code_cells(nbformat.read(NOTEBOOK, as_version=4))
    ours, bare = [], []
    for _ in range(KERNELS):
        ours.append(_kernel_rss_mib(cells))
        bare.append(_kernel_rss_mib([BARE]))
    o, b = statistics.median(ours), statistics.median(bare)
    return Result(
        "kernel RSS MiB: fraud workbook vs bare kernel",
        o,
        b,
        f"<= {TARGET_MEMORY_RATIO:g}x a bare kernel",
        o <= TARGET_MEMORY_RATIO * b,
        [
            f"MiB after {NOTEBOOK.name} ({len(cells)} code cells): {', '.join(f'{x:.0f}' for x in ours)}; "
            f"bare kernel ({BARE!r}): {', '.join(f'{x:.0f}' for x in bare)}"
        ],
    )


# -- 2. ten learners at once on a real hub ---------------------------------------------------------------
def _mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            total += hs.rss_kib(pid)
        except (OSError, ProcessLookupError):
            continue
    return total / 1024


def _name(pid: int) -> str:
    """A short label for a process: the script or module it runs."""
    args = hs.cmdline(pid)
    for arg in args[1:]:
        if not arg.startswith("-") and ("/" in arg or arg.isidentifier()):
            return Path(arg).name
    return Path(args[0]).name if args else str(pid)


def _cohort(hub: hs.Hub, repo: Path, names: list[str]) -> tuple[float, list[dict[str, Any]]]:
    t0 = time.perf_counter()
    results = hs.in_parallel(hs.learner_morning, [(hub, n, repo.as_uri()) for n in names])
    return (time.perf_counter() - t0) * 1000, results


def hub_concurrency() -> Result:
    problems = hs.missing_prerequisites()
    if problems:
        raise RuntimeError("cannot start a JupyterHub: " + "; ".join(problems))
    folder = _tmpdir("staffplus-bench-hub-")
    repo = hs.make_content_repo(folder / "content")
    hub = hs.start_hub(folder / "hub")
    try:
        load = os.getloadavg()[0]
        _cohort(hub, repo, ["warmup"])
        hub.stop_server("warmup")
        singles = []

        def run_single(i: int) -> None:
            ms, _ = _cohort(hub, repo, [f"solo-{i}"])
            singles.append(ms)
            hub.stop_server(f"solo-{i}")

        # single runs before and after the cohort, so a change in machine load hits both sides
        for i in range(SINGLE_RUNS - 1):
            run_single(i)
        names = [f"learner-{i:02d}" for i in range(CONCURRENT)]
        many_ms, results = _cohort(hub, repo, names)
        time.sleep(1.0)  # let the kernels go idle before reading memory
        per_learner = sorted(_mib(hub.server_pids(n)) for n in names)
        kernels = sorted(_mib([r["kernel_pid"]]) for r in results)
        servers = [p - k for p, k in zip(per_learner, kernels)]  # approximate split, for the notes
        learners = {p for n in names for p in hub.server_pids(n)}
        fixed_pids = sorted({hub.proc.pid, *(p for p in hub.processes() if p not in learners)})
        fixed = _mib(fixed_pids)
        fixed_parts = ", ".join(f"{_name(p)} {_mib([p]):.0f}" for p in fixed_pids)
        steps = {
            s: statistics.median(r["timings"][s] for r in results) for s in results[0]["timings"]
        }
        hs.in_parallel(hs.Hub.stop_server, [(hub, n) for n in names])
        run_single(SINGLE_RUNS - 1)
    finally:
        hub.stop()
    single = statistics.median(singles)
    worst = per_learner[-1]
    per_gib = 1024 / worst
    ratio = many_ms / single
    return Result(
        f"hub: {CONCURRENT} learners at once vs 1 (wall time)",
        many_ms,
        single,
        f"<= {TARGET_TIME_RATIO:g}x ({os.cpu_count()} cores)",
        ratio <= TARGET_TIME_RATIO,
        [
            f"1 learner: {', '.join(f'{x / 1000:.1f}' for x in singles)} s; {CONCURRENT} at once: "
            f"{many_ms / 1000:.1f} s ({many_ms / CONCURRENT / 1000:.1f} s per learner; "
            f"CPU-bound ideal on {os.cpu_count()} cores ~{CONCURRENT / (os.cpu_count() or 1):.0f}x; "
            f"load average {load:.1f} at the start)",
            "median step times at 10: " + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items()),
            f"per learner (server + kernel RSS): median {statistics.median(per_learner):.0f} MiB, "
            f"max {worst:.0f} MiB; kernel median {statistics.median(kernels):.0f} MiB, server median "
            f"{statistics.median(servers):.0f} MiB",
            f"hub side (fixed): {fixed:.0f} MiB ({fixed_parts}); so {per_gib:.1f} learners per GiB "
            f"after the fixed cost, at the largest per-learner RSS",
        ],
    )


BENCHMARKS = [kernel_memory, hub_concurrency]
