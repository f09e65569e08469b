"""Build tools fetched once into a cache folder: npm packages and PyPI files.

The test suite uses it for its npm tools (configurable-http-proxy, axe-core) and ``staffplus lite
build`` for the Pyodide core and the kernel's wheels. Each fetch runs under a lock on its folder,
so two processes (xdist workers, two builds) never download into the same place at once: one
fetches, the others wait and then find the files.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from ..core import fileio

INSTALL_TIMEOUT = 300


class Missing(RuntimeError):
    """A prerequisite is not available on this machine (the message says which)."""


def npm_installed(prefix: Path, package: str, artefact: str) -> Path:
    """``prefix/<artefact>``, npm-installing ``package`` into ``prefix`` first if it is missing."""
    found = prefix / artefact
    prefix.mkdir(parents=True, exist_ok=True)
    with fileio.locked(prefix / "install"):
        if not found.exists():
            npm = shutil.which("npm")
            if npm is None:
                raise Missing(f"{package} is not installed in {prefix} and npm is not on PATH")
            _run(
                [npm, "install", "--no-audit", "--no-fund", "--prefix", str(prefix), package],
                f"npm install {package}",
            )
            if not found.exists():
                raise Missing(f"npm install {package} did not create {found}")
    return found


def pip_downloaded(
    folder: Path, spec: str, pattern: str, *, wheel: bool = True, python: str = "3.12"
) -> Path:
    """The one file in ``folder`` that matches ``pattern``, downloaded from PyPI with pip first
    if it is missing: a pure-Python wheel of ``spec`` (never its dependencies), or its source
    archive when ``wheel`` is false (for a package whose only wheels are compiled). ``python``
    is the version the wheel must suit (the browser's, not this one's)."""
    folder.mkdir(parents=True, exist_ok=True)
    with fileio.locked(folder / "download"):
        found = sorted(folder.glob(pattern))
        if not found:
            kind = (
                ["--only-binary=:all:", "--implementation", "py", "--abi", "none"]
                + ["--platform", "any", "--python-version", python]
                if wheel
                else ["--no-binary=:all:"]
            )
            command = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", *kind]
            _run([*command, "-d", str(folder), spec], f"pip download {spec}")
            found = sorted(folder.glob(pattern))
        if len(found) != 1:
            raise Missing(f"pip download {spec} gave {len(found)} files matching {pattern}")
    return found[0]


def _run(command: Sequence[str], what: str) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Missing(f"{what} failed: {exc}") from None
    if done.returncode != 0:
        raise Missing(f"{what} failed:\n{done.stderr[-2000:]}")
