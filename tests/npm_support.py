"""Test tools from the npm registry, installed once into ``.cache/`` (the README's test command
works on a fresh machine with npm): configurable-http-proxy for the hub suite, axe-core for the
accessibility checks."""

from __future__ import annotations

import fcntl
import shutil
import subprocess
from pathlib import Path

CACHE = Path(__file__).resolve().parent.parent / ".cache"
INSTALL_TIMEOUT = 300


class Missing(RuntimeError):
    """A prerequisite is not available on this machine (the message says which)."""


def npm_installed(folder: str, package: str, artefact: str) -> Path:
    """``.cache/<folder>/<artefact>``, npm-installing ``package`` there first if it is missing.

    xdist workers (or two test runs) may race to install: one installs, the others wait on a lock.
    """
    prefix = CACHE / folder
    found = prefix / artefact
    prefix.mkdir(parents=True, exist_ok=True)
    with open(prefix / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not found.exists():
            npm = shutil.which("npm")
            if npm is None:
                raise Missing(f"{package} is not installed in {prefix} and npm is not on PATH")
            done = subprocess.run(
                [npm, "install", "--no-audit", "--no-fund", "--prefix", str(prefix), package],
                capture_output=True,
                text=True,
                timeout=INSTALL_TIMEOUT,
            )
            if done.returncode != 0 or not found.exists():
                raise Missing(f"npm install {package} failed:\n{done.stderr[-2000:]}")
    return found
