"""Timing helpers shared by the benchmarks: medians of repeated runs, ratio against a baseline."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Result:
    name: str
    median_ms: float
    baseline_ms: float
    target: str
    ok: bool
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.median_ms / self.baseline_ms if self.baseline_ms else float("inf")

    def line(self) -> str:
        return (
            f"{self.name:<46} {self.median_ms:>10.2f} {self.baseline_ms:>12.2f} {self.ratio:>7.2f}  "
            f"{self.target:<28} {'ok' if self.ok else 'MISS'}"
        )


def median_ms(fn: Callable[[], object], repeat: int = 15, warmup: int = 2) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def interleaved(
    fn: Callable[[], object], base: Callable[[], object], repeat: int = 15
) -> tuple[float, float]:
    """Median ms of ``fn`` and ``base``, alternating runs so drift on the machine hits both."""
    fn(), base()
    a, b = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        a.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        base()
        b.append((time.perf_counter() - t0) * 1000)
    return statistics.median(a), statistics.median(b)


def python_startup_ms(code: str) -> Callable[[], object]:
    def run() -> object:
        return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)

    return run
