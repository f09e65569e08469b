"""Which modules may use the UI libraries: ipywidgets only in ``widgets/``, matplotlib only in the
debrief's analytics charts (``charts/debrief.py``, ``charts/figures.py``). Everything below the
widgets runs in the CLI, on the hub and in an in-browser kernel without them.

Checked twice: statically, every import wherever it stands in a file (tests/test_layers.py reads
the same way); and by importing each lower-layer module in a fresh interpreter.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "staffplus_widgets"
ALLOWED = {
    "ipywidgets": ("widgets/",),
    "matplotlib": ("charts/debrief.py", "charts/figures.py", "charts/progress.py"),
}
LOWER = ("core", "models", "data", "feedback", "practice", "documents")


def _module(path: Path) -> str:
    parts = list(path.with_suffix("").relative_to(PKG.parent).parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def lower_modules() -> list[str]:
    paths = [PKG / "workfile.py", *(p for layer in LOWER for p in (PKG / layer).rglob("*.py"))]
    return sorted(_module(p) for p in paths)


def ui_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        names = (
            [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom) and not node.level
            else []
        )
        found |= {n.split(".")[0] for n in names} & set(ALLOWED)
    return found


def test_ui_libraries_are_imported_only_where_they_belong():
    wrong = []
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG).as_posix()
        for lib in ui_imports(path):
            if not rel.startswith(ALLOWED[lib]):
                wrong.append(f"{rel} imports {lib}")
    assert wrong == []


@pytest.mark.parametrize("module", lower_modules())
def test_lower_layer_module_loads_no_ui_library(module):
    code = (
        "import sys, importlib\n"
        f"importlib.import_module({module!r})\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('ipywidgets', 'matplotlib'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} pulls in {out.stdout.strip()}"


def test_the_static_check_sees_an_import_inside_a_function(tmp_path):
    mod = tmp_path / "late.py"
    mod.write_text("def draw():\n    import matplotlib.pyplot as plt\n    return plt\n")
    assert ui_imports(mod) == {"matplotlib"}


def test_a_scenario_workbook_loads_only_the_views_it_shows():
    # what a scenario workbook's first cell imports, in a fresh interpreter
    code = (
        "import sys\n"
        "from staffplus_widgets import Workbench\n"
        "from staffplus_widgets.practice import checks\n"
        "from staffplus_widgets.widgets import AnswerBox\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('staffplus_widgets.') and\n"
        "    m.split('.')[-1] in ('debrief', 'progress', 'drills', 'interview'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
    # and the others are still there by name
    code = (
        "from staffplus_widgets.widgets import DebriefWidget, MockInterview, ProgressView\n"
        "from staffplus_widgets import widgets\n"
        "assert widgets.RewriteDrill.__name__ == 'RewriteDrill'\n"
        "assert 'DebriefWidget' in dir(widgets)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
