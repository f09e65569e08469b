"""The core never imports ipywidgets or matplotlib (DESIGN.md layers)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "staffplus_widgets"
CORE = sorted(p.stem for p in PKG.glob("*.py") if p.stem not in {"__main__"})


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_ui_libraries(module):
    code = (
        "import sys, importlib\n"
        f"importlib.import_module('staffplus_widgets.{module}' if '{module}' != '__init__' else 'staffplus_widgets')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('ipywidgets', 'matplotlib'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} pulls in {out.stdout.strip()}"


def test_core_source_has_no_ui_imports():
    for path in PKG.glob("*.py"):
        text = path.read_text()
        for lib in ("ipywidgets", "matplotlib"):
            assert f"import {lib}" not in text and f"from {lib}" not in text, (
                f"{path.name} imports {lib}"
            )


def test_widgets_and_charts_exist_as_separate_layers():
    assert (PKG / "widgets" / "__init__.py").exists()
    assert (PKG / "charts" / "__init__.py").exists()
