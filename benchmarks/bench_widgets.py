"""One learner edit in each big widget, chart update included, against a naive rebuild.

The live path is what a learner gets: the model changes, the view updates its labels and its
charts' artists in place and re-renders the PNGs onto cached backgrounds, and the session
schedules a debounced save. The baseline, measured in the same run, is the naive approach: apply
the same edit, then build a new widget tree with new figures (which is what re-running the cell
costs). Targets: each edit under 50 ms median and at least 3x faster than the naive rebuild.
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Callable
from pathlib import Path

from common import Result, interleaved

from staffplus_widgets.core.categories import CATEGORY_IDS
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
FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "widget-fixture.yaml"


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


def _register() -> RiskRegister:
    reg = RiskRegister()
    for i in range(40):
        reg.add(
            title=f"Risk number {i}",
            category=CATEGORY_IDS[i % len(CATEGORY_IDS)],
            likelihood=1 + i % 5,
            impact=1 + (i * 3) % 5,
            mitigation="a mitigation " * 4,
            owner="an owner",
            detection="a detection signal",
        )
    return reg


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


def matrix_edit() -> Result:
    scenario = _scenario()
    with tempfile.TemporaryDirectory() as folder:
        live_session, naive_session = _sessions(folder, scenario)
        live_session.matrix, naive_session.matrix = _matrix(), _matrix()
        view = TradeOffMatrixWidget(scenario, live_session)
        live_values = itertools.cycle(["2", "3", "4", "5"])
        naive_values = itertools.cycle(["2", "3", "4", "5"])

        def live() -> None:
            view._score_texts[3][4].value = next(live_values)

        def naive() -> None:
            naive_session.matrix.set_score(
                "Design option number 3", "Criterion 4", next(naive_values)
            )
            naive_session.changed("tradeoff")
            TradeOffMatrixWidget(scenario, naive_session)

        result = _compare(
            "widgets: 8x10 matrix score edit",
            live,
            naive,
            ["edit = totals, ranks, totals + sensitivity charts, robustness, save"],
        )
        live_session.save_now()
        naive_session.save_now()
        return result


def register_edit() -> Result:
    scenario = _scenario()
    with tempfile.TemporaryDirectory() as folder:
        live_session, naive_session = _sessions(folder, scenario)
        live_session.register, naive_session.register = _register(), _register()
        view = RiskRegisterWidget(scenario, live_session)
        view._risk_dropdown.value = "Risk number 7"
        live_values = itertools.cycle(["1", "2", "3", "4", "5"])
        naive_values = itertools.cycle(["1", "2", "3", "4", "5"])

        def live() -> None:
            view._likelihood_text.value = next(live_values)

        def naive() -> None:
            naive_session.register.update("Risk number 7", likelihood=next(naive_values))
            naive_session.changed("risks")
            RiskRegisterWidget(scenario, naive_session)

        result = _compare(
            "widgets: 40-risk register likelihood edit",
            live,
            naive,
            ["edit = severity table, heat map, coverage, selector, save"],
        )
        live_session.save_now()
        naive_session.save_now()
        return result


def cost_edit() -> Result:
    scenario = _scenario()
    with tempfile.TemporaryDirectory() as folder:
        live_session, naive_session = _sessions(folder, scenario)
        live_session.cost, naive_session.cost = _cost(), _cost()
        view = CostEstimatorWidget(scenario, live_session)
        live_values = itertools.cycle(["1100", "1200", "1000", "1150"])
        naive_values = itertools.cycle(["1100", "1200", "1000", "1150"])

        def live() -> None:
            view._lines[0].field_texts["peak_qps"].value = next(live_values)

        def naive() -> None:
            naive_session.cost.update_line("Line item 0", peak_qps=next(naive_values))
            naive_session.changed("cost")
            CostEstimatorWidget(scenario, naive_session)

        result = _compare(
            "widgets: 20-line cost model field edit",
            live,
            naive,
            ["edit = formula, totals, range check, breakdown + projection, save"],
        )
        live_session.save_now()
        naive_session.save_now()
        return result


BENCHMARKS = [matrix_edit, register_edit, cost_edit]
