"""Test tools from the npm registry, installed once into ``.cache/`` (the README's test command
works on a fresh machine with npm): configurable-http-proxy for the hub suite, axe-core for the
accessibility checks. The installing itself is ``staffplus_widgets.authoring.downloads``, which
``staffplus lite build`` uses too."""

from __future__ import annotations

from pathlib import Path

from staffplus_widgets.authoring import downloads
from staffplus_widgets.authoring.downloads import Missing

CACHE = Path(__file__).resolve().parent.parent / ".cache"

__all__ = ["CACHE", "Missing", "npm_installed"]


def npm_installed(folder: str, package: str, artefact: str) -> Path:
    """``.cache/<folder>/<artefact>``, npm-installing ``package`` there first if it is missing."""
    return downloads.npm_installed(CACHE / folder, package, artefact)
