"""Run every benchmark in this folder and print one line each:

    name  median ms  baseline median ms  ratio  target  ok|MISS

Each benchmark module defines ``BENCHMARKS``: a list of callables returning a ``Result``.
Ratios compare against a baseline measured in the same run, so a noisy machine moves both.
Exit status is non-zero when any benchmark misses its target.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from common import Result  # noqa: E402


def discover() -> list[str]:
    return sorted(p.stem for p in HERE.glob("bench_*.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("only", nargs="*", help="substring filter on benchmark module names")
    args = parser.parse_args(argv)
    results: list[Result] = []
    header = f"{'benchmark':<46} {'median ms':>10} {'baseline ms':>12} {'ratio':>7}  {'target':<28} status"
    print(header)
    print("-" * len(header))
    for name in discover():
        if args.only and not any(o in name for o in args.only):
            continue
        module = importlib.import_module(name)
        for bench in module.BENCHMARKS:
            r = bench()
            results.append(r)
            print(r.line(), flush=True)
            for note in r.notes:
                print(f"    {note}")
    misses = [r for r in results if not r.ok]
    print(f"\n{len(results) - len(misses)} ok, {len(misses)} missed")
    return 1 if misses else 0


if __name__ == "__main__":
    raise SystemExit(main())
