"""Cohort debrief of 1,000 submissions against only reading and parsing the same files.

The cohort is generated once into a temporary folder (``tests/fixtures/instructor``'s generator,
real models and real mock interviews, a built-in scenario, about half the learners with an interview
attempt and half with only a written answer of ~300 words, every sentence of it different). Files
are as ``staffplus submit`` writes them, with the answer review saved at hand-in. The timed part is
the JSON numbers path (``debrief.scan(...).to_json()``: validate, assess and aggregate every file, no
charts, on the default number of processes); the baseline is ``json.loads`` of every file's bytes in
one process, measured in the same run. Targets: under 3 s, and under 3x the read-and-parse floor.
Notes: the same cohort collected by hand (no saved reviews: every answer reviewed), the interview
learners alone, one process, a cached refresh, and the HTML with charts, timed once.
"""

from __future__ import annotations

import atexit
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import Result, interleaved

from staffplus_widgets import workfile

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "fixtures" / "instructor"))

N = 1000
TARGET_SECONDS = 3.0
TARGET_RATIO = 3.0
PREFERRED = "payments-fraud"
_STATE: dict[str, Any] = {}


def cohort() -> tuple[Path, Any]:
    """The generated folder and the scenario pack (built on first use, removed at exit)."""
    if not _STATE:
        import instructor_cohort

        from staffplus_widgets.data.scenario import get_pack

        pack = get_pack()
        scenario = (
            pack.get(PREFERRED)
            if PREFERRED in pack.scenarios
            else next(iter(pack.scenarios.values()))
        )
        folder = Path(tempfile.mkdtemp(prefix="staffplus-bench-debrief-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        t0 = time.perf_counter()
        instructor_cohort.make_cohort(
            scenario, folder, N, seed=7, interview_share=0.5, words=300, by_hand_every=0
        )
        _STATE.update(
            folder=folder, pack=pack, scenario=scenario, generated_s=time.perf_counter() - t0
        )
    return _STATE["folder"], _STATE["pack"]


def read_and_parse(folder: Path) -> int:
    n = 0
    for path in sorted(folder.glob("*.json")):
        json.loads(path.read_bytes())
        n += 1
    return n


def derived(folder: Path, suffix: str, change: Callable[[dict], dict | None]) -> Path:
    """A sibling folder with ``change(work)`` of every file (None: left out), made once."""
    sub = folder.parent / (folder.name + suffix)
    if not sub.exists():
        sub.mkdir()
        atexit.register(shutil.rmtree, sub, ignore_errors=True)
        for path in folder.glob("*.json"):
            work = change(json.loads(path.read_bytes()))
            if work is not None:
                (sub / path.name).write_text(workfile.dumps(work))
    return sub


def by_hand(folder: Path) -> Path:
    """The cohort without the reviews submit saves: files collected by hand."""
    return derived(folder, "-by-hand", lambda w: {k: v for k, v in w.items() if k != "reviews"})


def interview_only(folder: Path) -> Path:
    """The learners who did a mock interview: the path that needs no answer review."""
    return derived(folder, "-interviews", lambda w: w if w.get("interviews") else None)


def debrief_json() -> Result:
    from staffplus_widgets.documents import debrief

    folder, pack = cohort()
    data = debrief.scan(folder, pack).to_json()
    assert data["files"]["counted"] == N and not data["rejected"], data["files"]
    ours, base = interleaved(
        lambda: debrief.scan(folder, pack).to_json(), lambda: read_and_parse(folder), repeat=5
    )
    sources = data["scenarios"][0]["sources"]
    size = sum(p.stat().st_size for p in folder.glob("*.json")) / N
    sub = interview_only(folder)
    sub_ours, sub_base = interleaved(
        lambda: debrief.scan(sub, pack).to_json(), lambda: read_and_parse(sub), repeat=5
    )
    hand = by_hand(folder)
    hand_ours, hand_base = interleaved(
        lambda: debrief.scan(hand, pack).to_json(), lambda: read_and_parse(hand), repeat=3
    )
    one_ours, one_base = interleaved(
        lambda: debrief.scan(folder, pack, jobs=1).to_json(),
        lambda: read_and_parse(folder),
        repeat=3,
    )
    cache = debrief.ScanCache()
    debrief.scan(folder, pack, cache=cache)
    t0 = time.perf_counter()
    debrief.scan(folder, pack, cache=cache).to_json()
    warm_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    html = debrief.render_html(data)
    html_s = time.perf_counter() - t0
    ok = ours <= TARGET_SECONDS * 1000 and ours <= TARGET_RATIO * base
    return Result(
        f"debrief {N} submissions (JSON) vs json.loads",
        ours,
        base,
        f"< {TARGET_SECONDS:g} s and < {TARGET_RATIO:g}x read+parse",
        ok,
        [
            f"scenario {_STATE['scenario'].id}; {sources['interview']} from interviews, "
            f"{sources['answer']} from written answers (~300 words, reviews saved by submit); mean file "
            f"{size / 1024:.1f} KiB; generated in {_STATE['generated_s']:.1f} s",
            f"{debrief.default_jobs()} processes (the baseline reads and parses in one)",
            f"collected by hand (no saved reviews: {sources['answer']} answers reviewed here): "
            f"{hand_ours:.0f} ms vs {hand_base:.0f} ms read+parse = {hand_ours / hand_base:.1f}x",
            f"one process: {one_ours:.0f} ms vs {one_base:.0f} ms = {one_ours / one_base:.1f}x",
            f"interview learners only ({sources['interview']} files, no answer review): "
            f"{sub_ours:.0f} ms vs {sub_base:.0f} ms read+parse = {sub_ours / sub_base:.1f}x",
            f"refresh with a ScanCache (nothing changed): {warm_ms:.0f} ms",
            f"HTML with 5 charts, once: {html_s * 1000:.0f} ms ({len(html) / 1024:.0f} KiB)",
        ],
    )


BENCHMARKS = [debrief_json]
