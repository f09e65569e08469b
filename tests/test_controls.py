"""The controls table (staffplus_widgets/widgets/controls.json): every control the views make is in
it with the words a learner sees, and nothing in it is left over."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from staffplus_widgets.widgets._common import button, controls, text_input

WIDGETS = Path(__file__).resolve().parents[1] / "staffplus_widgets" / "widgets"


def _used() -> dict[str, str]:
    """name -> "button" | "text_input", for every call with a literal name in the views."""
    out: dict[str, str] = {}
    for path in sorted(WIDGETS.glob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("button", "text_input")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                out[node.args[0].value] = node.func.id
    return out


def test_every_control_the_views_make_is_in_the_table_and_every_entry_is_used():
    used = _used()
    assert used, "the scan found no controls: the views changed how they make them"
    assert set(used) == set(controls())


def test_every_button_has_a_label_and_a_tooltip():
    for name, kind in _used().items():
        spec = controls()[name]
        if kind == "button":
            assert spec.get("label", "").strip(), name
            assert spec.get("tooltip", "").strip() or name == "save-now", name


def test_the_table_words_reach_the_widget_and_keywords_override_them():
    made = button("tradeoff-add-option")
    assert made.description == controls()["tradeoff-add-option"]["label"]
    assert "staffplus-tradeoff-add-option" in made._dom_classes
    start = button("spotting-start", minutes=2.5)
    assert start.description == "Start (2.5 min)"
    field = text_input("cost-field", "3", label="Peak QPS", extra_names=("cost-field-qps",))
    assert field.description == "Peak QPS" and field.layout.width == "320px"
    assert "staffplus-cost-field-qps" in field._dom_classes


def test_an_unknown_control_without_a_label_is_a_clear_error():
    with pytest.raises(KeyError, match="no control 'nope'"):
        button("nope")
