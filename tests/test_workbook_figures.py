"""A workbook's prose uses its scenario's figures: every money amount, cost fraction and team
size written in a workbook's text is one its scenario file states (the scenario is the one source
of facts; a workbook that taught $168 while the scenario and the drills said $115 confused
learners)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from staffplus_widgets.authoring.notebooks import scenario_workbooks

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "staffplus_widgets" / "data" / "scenarios"


def _scenario_of(path: Path) -> str:
    """The scenario whose figures a notebook's prose uses (the start page teaches with the fraud one)."""
    if path.name.startswith("00_"):
        return "payments-fraud"
    return json.loads(path.read_text("utf-8"))["metadata"]["staffplus"]["scenario"]


MONEY = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)")
FRACTION = re.compile(r"\b(\d+)\s?/\s?\(?\s?(\d+)\b")
TEAM = re.compile(r"\b(\d+)\s+(analysts|engineers|moderators|reviewers|underwriters|agents)\b")


def _prose(path: Path) -> str:
    cells = json.loads(path.read_text("utf-8"))["cells"]
    text = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return text.replace("\\$", "$").replace("\\", "")


def _figures(text: str) -> set[str]:
    found = {m.replace(",", "").rstrip(".") for m in MONEY.findall(text)}
    found |= {f"{a}/{b}" for a, b in FRACTION.findall(text)}
    found |= {f"{n} {who}" for n, who in TEAM.findall(text)}
    return found


def _stated(scenario_text: str, figure: str) -> bool:
    flat = scenario_text.replace(",", "")
    if "/" in figure:
        a, b = figure.split("/")
        return re.search(rf"\b{a}\s?/\s?\(?\s?{b}\b", flat) is not None
    if " " in figure:
        n, who = figure.split(" ", 1)
        words = {"12": "twelve", "14": "fourteen", "4": "four", "2": "two", "3": "three"}
        return (
            re.search(rf"\b({n}|{words.get(n, n)})\s+(?:\w+\s+){{0,3}}{who}", flat, re.I)
            is not None
        )
    return re.search(rf"(?<![\d.]){re.escape(figure)}(?![\d])", flat) is not None


NOTEBOOKS = sorted(
    p
    for folder in (ROOT / "solutions", ROOT / "workbooks")
    for p in [*folder.glob("00_*.ipynb"), *scenario_workbooks(folder)]
)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_workbooks_figures_are_its_scenarios(path):
    scenario_text = (SCENARIOS / f"{_scenario_of(path)}.yaml").read_text("utf-8")
    figures = _figures(_prose(path))
    wrong = sorted(f for f in figures if not _stated(scenario_text, f))
    assert not wrong, f"{path.name} states figures its scenario does not: {wrong}"


def test_the_check_catches_a_contradiction(tmp_path):
    scenario_text = (SCENARIOS / "payments-fraud.yaml").read_text("utf-8")
    bad = "A missed fraud costs about $168, so the threshold is 10 / 178; 20 analysts review."
    assert {f for f in _figures(bad) if not _stated(scenario_text, f)} == {
        "168",
        "10/178",
        "20 analysts",
    }
    good = "A missed fraud costs about $115, so the threshold is 10 / 125; 14 analysts review."
    assert all(_stated(scenario_text, f) for f in _figures(good))
