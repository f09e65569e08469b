"""The package's layers, checked from the source: every import, at load time or inside a function,
points down (or within its own layer). CONTRIBUTING.md has the same map in words.

The modules are read with ``ast``, never imported, so a function-local ``from ..charts import x``
counts as much as one at the top, and nothing can hide an upward arrow by importing late. Loading a
module of our own by name (``importlib.import_module``, ``__import__``) is refused outright: it is an
arrow nobody can see.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "staffplus_widgets"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE

# From the bottom up. A module may import from its own layer and from any layer below it.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("core", ("core", "_version")),  # errors, files, timers, validators: no project imports
    ("models", ("models",)),  # trade-off, risks, cost and their summaries: pure, no files
    ("data", ("data",)),  # scenario files, prices, schemas, the parse cache
    ("workfile", ("workfile",)),  # the one reader and writer of work files
    ("feedback", ("feedback",)),  # rubric levels, signals, the review
    ("practice", ("practice",)),  # the learner's session, mock interview, drills, hand-in
    ("charts", ("charts",)),  # SVG for artifacts, matplotlib figures for analytics
    ("documents", ("documents",)),  # design review, debrief, plain-text report
    ("widgets", ("widgets",)),  # ipywidgets views
    ("authoring", ("authoring",)),  # notebook sources and the demo cohort, for instructors
    ("cli", ("cli",)),  # the staffplus command
    ("package", ("__init__", "__main__")),  # the public names and python -m staffplus_widgets
)


def layer_of(module: str) -> int:
    """The layer index of ``staffplus_widgets.<first part>...`` (a KeyError for an unmapped one)."""
    first = module.split(".")[1] if "." in module else "__init__"
    for index, (_name, parts) in enumerate(LAYERS):
        if first in parts:
            return index
    raise KeyError(f"{module} belongs to no layer: add it to LAYERS in tests/test_layers.py")


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.with_suffix("").relative_to(root.parent).parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


@dataclass(frozen=True)
class Arrow:
    source: str
    target: str
    line: int


def arrows(path: Path, root: Path = ROOT) -> list[Arrow]:
    """Every import of ``path`` that reaches into the package, wherever it stands in the file."""
    source = module_name(path, root)
    package = source if path.name == "__init__.py" else source.rsplit(".", 1)[0]
    out: list[Arrow] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == PACKAGE or target.startswith(PACKAGE + "."):
                # "from . import lexicon": each name may be a module of its own
                names = [a.name for a in node.names] if node.module is None else [""]
                for name in names:
                    full = f"{target}.{name}" if name else target
                    out.append(Arrow(source, full, node.lineno))
        elif isinstance(node, ast.Import):
            out += [
                Arrow(source, a.name, node.lineno)
                for a in node.names
                if a.name == PACKAGE or a.name.startswith(PACKAGE + ".")
            ]
    return out


def hidden_loads(path: Path) -> list[int]:
    """Lines that load a module by name: ``importlib.import_module(...)`` or ``__import__(...)``."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            if name in ("import_module", "__import__"):
                lines.append(node.lineno)
    return lines


def wrong_way(root: Path = ROOT) -> list[str]:
    """Every arrow that points up a layer, as 'file:line source -> target (layer -> layer)'."""
    bad = []
    for path in sorted(root.rglob("*.py")):
        for arrow in arrows(path, root):
            if arrow.target == PACKAGE:
                continue  # the package root holds only the version and the lazy public names
            src, dst = layer_of(arrow.source), layer_of(arrow.target)
            if dst > src:
                bad.append(
                    f"{path.relative_to(root.parent)}:{arrow.line} {arrow.source} -> "
                    f"{arrow.target} ({LAYERS[src][0]} -> {LAYERS[dst][0]})"
                )
    return bad


def test_every_module_belongs_to_a_layer():
    for path in ROOT.rglob("*.py"):
        layer_of(module_name(path))


def test_every_import_points_down_including_function_local_ones():
    assert wrong_way() == []


def test_no_module_of_ours_is_loaded_by_name():
    found = {
        str(p.relative_to(ROOT.parent)): hidden_loads(p)
        for p in ROOT.rglob("*.py")
        if hidden_loads(p)
    }
    assert found == {}


def test_a_wrong_way_import_is_caught_even_inside_a_function(tmp_path):
    # a copy of two layers, with a model that reaches up into the widgets late, in a function
    pkg = tmp_path / PACKAGE
    (pkg / "models").mkdir(parents=True)
    (pkg / "widgets").mkdir()
    for init in (pkg, pkg / "models", pkg / "widgets"):
        (init / "__init__.py").write_text("")
    (pkg / "widgets" / "view.py").write_text("from ..models import matrix\n")
    (pkg / "models" / "matrix.py").write_text(
        "def total():\n    from ..widgets.view import render\n    return render()\n"
    )
    assert wrong_way(pkg) == [
        f"{PACKAGE}/models/matrix.py:2 {PACKAGE}.models.matrix -> {PACKAGE}.widgets.view "
        "(models -> widgets)"
    ]
    # and the same file with the import pointing down passes
    (pkg / "models" / "matrix.py").write_text("from ..core import errors\n")
    (pkg / "core").mkdir()
    (pkg / "core" / "__init__.py").write_text("")
    (pkg / "core" / "errors.py").write_text("")
    assert wrong_way(pkg) == []


def test_a_module_loaded_by_name_is_caught(tmp_path):
    mod = tmp_path / "late.py"
    mod.write_text("import importlib\n\ndef f():\n    return importlib.import_module('x')\n")
    assert hidden_loads(mod) == [4]


@pytest.mark.parametrize(
    "module, layer",
    [
        (f"{PACKAGE}.models.tradeoff", "models"),
        (f"{PACKAGE}.widgets.tradeoff", "widgets"),
        (f"{PACKAGE}.cli", "cli"),
        (PACKAGE, "package"),
    ],
)
def test_layer_names(module, layer):
    assert LAYERS[layer_of(module)][0] == layer


MAX_MODULE_LINES = 600  # a module a newcomer can read whole (CONTRIBUTING.md)


def test_no_module_is_over_600_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for p in sorted(ROOT.rglob("*.py"))
        if (n := len(p.read_text("utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, f"split these by job: {long}"
