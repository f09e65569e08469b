"""The text summaries every chart carries (``models.summaries``): what a reader without the picture
is told. The charts themselves are tested in test_svg_charts.py (artifacts) and test_debrief.py."""

from __future__ import annotations

import pytest
from fixtures.widget_support import fixture_scenario

from staffplus_widgets.charts.svg import SensitivitySvg
from staffplus_widgets.data.prices import price_catalogue
from staffplus_widgets.models import summaries
from staffplus_widgets.models.cost import CostModel
from staffplus_widgets.models.risks import RiskRegister
from staffplus_widgets.models.tradeoff import TradeOffMatrix


@pytest.fixture(scope="module")
def scenario():
    return fixture_scenario()


def test_totals_summary_spells_out_ranks_ties_and_exclusions(scenario):
    m = TradeOffMatrix.from_scenario(scenario.data)
    text = summaries.totals_summary(m)
    assert "Recommended: Gradient boosted trees with review band" in text
    assert "3.65 (rank 1)" in text
    m.exclude("Deep sequence model on GPUs", "no-gpu", "There are no GPUs")
    for c in m.criterion_names():
        m.set_score(
            "Rules and manual review", c, m.cell("Gradient boosted trees with review band", c).score
        )
    text = summaries.totals_summary(m)
    assert "Tie for first: Rules and manual review and Gradient boosted trees" in text
    assert "Deep sequence model on GPUs (3.00) is excluded by no-gpu: There are no GPUs." in text


def test_sensitivity_summary_names_intervals_and_takeovers(scenario):
    m = TradeOffMatrix.from_scenario(scenario.data)
    text = summaries.sensitivity_summary(m)
    share = summaries.robustness(m)
    assert f"stays first in {share:.0%}" in text
    assert "Fraud caught: weight 50 (50% of the total)" in text
    assert "below it Rules and manual review takes over" in text
    assert "above it Deep sequence model on GPUs takes over" in text
    assert summaries.robustness(m) == m.robustness()


def test_heatmap_summary_lists_cells_most_severe_first():
    reg = RiskRegister()
    reg.add(title="a", category="legal", likelihood=5, impact=3)
    reg.add(title="b", category="data", likelihood=4, impact=4)
    text = summaries.heatmap_summary(reg)
    assert text.index("likelihood 4 x impact 4") < text.index("likelihood 5 x impact 3")
    assert "Most severe: b" in text
    assert "empty" in summaries.heatmap_summary(RiskRegister())


def test_cost_summaries_give_total_shares_growth_and_comparison(scenario):
    model = scenario.reference_cost_model()
    est = model.estimate()
    text = summaries.cost_summary(model)
    assert f"${est.total:,.0f}" in text and "Largest line: Analyst review band" in text
    assert f"{est.reviewers:,.1f} reviewers" in text
    proj = summaries.projection_summary(model)
    assert proj.count("traffic:") == 3 and "Fixed as traffic grows: Engineers" in proj
    models = {
        "Yours": model,
        "Rules": CostModel.from_lines(
            prices=price_catalogue(),
            lines=scenario.data["cost_reference"]["option_lines"]["Rules and manual review"],
        ),
    }
    comp = summaries.comparison_summary(models)
    assert comp.index("Yours:") < comp.index("Rules:")
    assert "more than Yours" in comp


def test_scorecard_summary_counts_each_part():
    text = summaries.scorecard_summary(
        {"score": 55, "categories": {"legal": {"unprompted": 1, "prompted": 2, "missed": 3}}}
    )
    assert text.startswith("Score 55/100. 1 points raised unprompted, 2 when prompted, 3 missed")


def test_sensitivity_refuses_to_pick_a_winner_from_a_tie():
    m = TradeOffMatrix()
    for name in ("a", "b", "c"):
        m.add_option(name)
    m.add_criterion("cost")
    m.add_criterion("speed")
    assert len(m.ranking().winners) == 3  # every cell starts at the midpoint
    assert m.sensitivity() == [], "the model gives no interval for an arbitrary member of a tie"
    chart = SensitivitySvg()
    assert any("tied for first" in t for t in chart.update(m).texts())
    assert summaries.sensitivity_summary(m).startswith("No sensitivity while options are tied")
    m.set_score("b", "cost", 4)
    assert not any("tied for first" in t for t in chart.update(m).texts())
    assert summaries.sensitivity_summary(m).startswith("b stays first")


def test_counts_read_as_words_one_risk_not_one_risks():
    from staffplus_widgets.core.wording import count
    from staffplus_widgets.models import summaries
    from staffplus_widgets.models.risks import RiskRegister

    assert (count(1, "risk"), count(0, "risk"), count(2, "analysis", "analyses")) == (
        "1 risk",
        "0 risks",
        "2 analyses",
    )
    register = RiskRegister()
    register.add(title="Labels arrive late", category="data", likelihood=4, impact=3)
    assert summaries.heatmap_summary(register).startswith("1 risk on the 5x5 grid")


def test_time_stamps_read_as_a_date_and_a_time_in_the_machines_zone(monkeypatch):
    import time

    from staffplus_widgets.core.wording import when

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        assert when("2026-12-03T20:14:09Z") == "3 Dec 2026, 20:14"
        assert when("2026-12-03T20:14:09+01:00") == "3 Dec 2026, 19:14"
        assert when("yesterday") == "yesterday" and when(None) == "-" and when(7) == "-"
    finally:
        monkeypatch.undo()
        time.tzset()
