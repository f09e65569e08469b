"""One learner edit in each big widget, chart update included, against a naive rebuild.

The live path is what a learner gets: the model changes, the view updates its labels and its
charts' artists in place and re-renders the PNGs onto cached backgrounds, and the session
schedules a debounced save. The baseline, measured in the same run, is the naive approach: apply
the same edit, then build a new widget tree with new figures (which is what re-running the cell
costs). Targets: each edit under 50 ms median and at least 3x faster than the naive rebuild.
"""

from __future__ import annotations

import itertools
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import Result, interleaved

from staffplus_widgets.data.prices import price_catalogue
from staffplus_widgets.data.scenario import Scenario, load_file
from staffplus_widgets.models.cost import KINDS, CostModel
from staffplus_widgets.models.risks import RiskRegister
from staffplus_widgets.models.tradeoff import TradeOffMatrix
from staffplus_widgets.practice.session import WorkSession
from staffplus_widgets.widgets import CostEstimatorWidget, RiskRegisterWidget, TradeOffMatrixWidget

TARGET_MS = 50.0
TARGET_RATIO = 3.0
REPEAT = 15
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
FIXTURE = FIXTURES / "widget-fixture.yaml"
sys.path.insert(0, str(FIXTURES))

from svg_support import big_register  # noqa: E402  (the register the heat map tests draw)


def _scenario() -> Scenario:
    return load_file(FIXTURE)


def _sessions(folder: str, scenario: Scenario) -> tuple[WorkSession, WorkSession]:
    # separate sessions: a new view on a session replaces the previous view of its kind
    return (
        WorkSession(scenario, Path(folder) / "live.json"),
        WorkSession(scenario, Path(folder) / "naive.json"),
    )


def _matrix() -> TradeOffMatrix:
    m = TradeOffMatrix()
    for i in range(8):
        m.add_option(f"Design option number {i}")
    for j in range(10):
        m.add_criterion(f"Criterion {j}", 1 + j % 3)
    for i in range(8):
        for j in range(10):
            m.set_score(
                f"Design option number {i}",
                f"Criterion {j}",
                1 + (i * 7 + j * 3) % 5,
                "one line of justification",
            )
    return m


# Round, plausible numbers per kind (a rebuild-vs-update comparison needs realistic totals,
# not placeholders, so the axes behave as they would for a learner).
_LINE_VALUES = {
    "inference": {"peak_qps": 1000, "throughput_per_instance": 200, "hourly_usd": 0.17},
    "batch": {"hours_per_run": 4, "runs_per_month": 4, "hourly_usd": 0.68},
    "storage": {"gb": 2000, "usd_per_gb_month": 0.023},
    "pipeline": {"nodes": 3, "hourly_usd": 0.384},
    "labeling": {"labels_per_month": 20000, "usd_per_label": 0.08},
    "review": {"cases_per_day": 500, "minutes_per_case": 3, "hourly_usd": 45},
    "people": {"fte": 1},
}


def _cost() -> CostModel:
    kinds = list(KINDS)
    return CostModel.from_lines(
        prices=price_catalogue(),
        lines=[
            {
                "kind": kinds[i % len(kinds)],
                "name": f"Line item {i}",
                **_LINE_VALUES[kinds[i % len(kinds)]],
            }
            for i in range(20)
        ],
    )


def _compare(
    name: str, live: Callable[[], object], naive: Callable[[], object], notes: list[str]
) -> Result:
    ours, base = interleaved(live, naive, repeat=REPEAT)
    ok = ours < TARGET_MS and base >= TARGET_RATIO * ours
    return Result(name, ours, base, f"< {TARGET_MS:g} ms, >= {TARGET_RATIO:g}x naive", ok, notes)


@dataclass(frozen=True)
class _WidgetEdit:
    """One benchmark: the same learner edit, live in a view and as a naive rebuild.

    ``part`` is the session's model the view edits (``matrix``, ``register``, ``cost``) and
    ``section`` the name the naive path marks changed; ``edit_view`` types a value into the live
    view, ``edit_model`` applies it to the naive session's model, which then builds a new view.
    """

    name: str
    note: str
    part: str
    section: str
    make: Callable[[], Any]
    widget: Callable[..., Any]
    values: tuple[str, ...]
    edit_view: Callable[[Any, str], None]
    edit_model: Callable[[Any, str], None]
    select: Callable[[Any], None] | None = None

    def __call__(self) -> Result:
        scenario = _scenario()
        with tempfile.TemporaryDirectory() as folder:
            live_session, naive_session = _sessions(folder, scenario)
            live_model, naive_model = self.make(), self.make()
            setattr(live_session, self.part, live_model)
            setattr(naive_session, self.part, naive_model)
            view = self.widget(scenario, live_session)
            if self.select is not None:
                self.select(view)
            live_values = itertools.cycle(self.values)
            naive_values = itertools.cycle(self.values)

            def live() -> None:
                self.edit_view(view, next(live_values))

            def naive() -> None:
                self.edit_model(getattr(naive_session, self.part), next(naive_values))
                naive_session.changed(self.section)
                self.widget(scenario, naive_session)

            result = _compare(self.name, live, naive, [self.note])
            live_session.save_now()
            naive_session.save_now()
            return result


def _type_score(view: TradeOffMatrixWidget, value: str) -> None:
    view._score_texts[3][4].value = value


def _set_score(matrix: TradeOffMatrix, value: str) -> None:
    matrix.set_score("Design option number 3", "Criterion 4", value)


def _select_risk(view: RiskRegisterWidget) -> None:
    view._risk_dropdown.value = "Risk number 7"


def _type_likelihood(view: RiskRegisterWidget, value: str) -> None:
    view._likelihood_text.value = value


def _set_likelihood(register: RiskRegister, value: str) -> None:
    register.update("Risk number 7", likelihood=value)


def _type_peak_qps(view: CostEstimatorWidget, value: str) -> None:
    view._lines[0].field_texts["peak_qps"].value = value


def _set_peak_qps(cost: CostModel, value: str) -> None:
    cost.update_line("Line item 0", peak_qps=value)


def _register() -> RiskRegister:
    return big_register(
        40,
        "Risk number {i}",
        mitigation="a mitigation " * 4,
        owner="an owner",
        detection="a detection signal",
    )


BENCHMARKS = [
    _WidgetEdit(
        "widgets: 8x10 matrix score edit",
        "edit = totals, ranks, totals + sensitivity charts, robustness, save",
        part="matrix",
        section="tradeoff",
        make=_matrix,
        widget=TradeOffMatrixWidget,
        values=("2", "3", "4", "5"),
        edit_view=_type_score,
        edit_model=_set_score,
    ),
    _WidgetEdit(
        "widgets: 40-risk register likelihood edit",
        "edit = severity table, heat map, coverage, selector, save",
        part="register",
        section="risks",
        make=_register,
        widget=RiskRegisterWidget,
        values=("1", "2", "3", "4", "5"),
        edit_view=_type_likelihood,
        edit_model=_set_likelihood,
        select=_select_risk,
    ),
    _WidgetEdit(
        "widgets: 20-line cost model field edit",
        "edit = formula, totals, range check, breakdown + projection, save",
        part="cost",
        section="cost",
        make=_cost,
        widget=CostEstimatorWidget,
        values=("1100", "1200", "1000", "1150"),
        edit_view=_type_peak_qps,
        edit_model=_set_peak_qps,
    ),
]
