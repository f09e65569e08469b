"""`import staffplus_widgets` against `import ipywidgets`, each in a fresh interpreter (target <= 1.3x)."""

from __future__ import annotations

from common import Result, interleaved, python_startup_ms

TARGET = 1.3


def import_time() -> Result:
    ours, base = interleaved(
        python_startup_ms("import staffplus_widgets"),
        python_startup_ms("import ipywidgets"),
        repeat=11,
    )
    return Result(
        "import staffplus_widgets vs ipywidgets",
        ours,
        base,
        f"<= {TARGET}x ipywidgets",
        ours <= TARGET * base,
    )


BENCHMARKS = [import_time]
