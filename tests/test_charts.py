"""Charts under Agg: inspect the artists (bar sizes, cell texts, stacks) and the text summaries."""

from __future__ import annotations

import io
import math
import subprocess
import sys

import matplotlib
import numpy as np
import pytest
from fixtures.svg_support import big_matrix
from fixtures.widget_support import fixture_scenario
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from PIL import Image

from staffplus_widgets import charts
from staffplus_widgets.charts.cost import KIND_STYLE
from staffplus_widgets.charts.tradeoff import letter
from staffplus_widgets.core.categories import CATEGORY_IDS
from staffplus_widgets.data.prices import price_catalogue
from staffplus_widgets.models import summaries
from staffplus_widgets.models.cost import KINDS, CostModel
from staffplus_widgets.models.risks import RiskRegister
from staffplus_widgets.models.tradeoff import TradeOffMatrix

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def scenario():
    return fixture_scenario()


def big_register(n: int = 40) -> RiskRegister:
    reg = RiskRegister()
    for i in range(n):
        reg.add(
            title=f"Risk {i}",
            category=CATEGORY_IDS[i % len(CATEGORY_IDS)],
            likelihood=1 + i % 5,
            impact=1 + (i * 3) % 5,
        )
    return reg


def bars(fig: Figure) -> list[Rectangle]:
    """The data rectangles (bars) of a figure's first axes, in drawing order."""
    ax = fig.axes[0]
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.axes[0].texts]


# -- trade-off ---------------------------------------------------------------------------------
def test_totals_bar_widths_match_weighted_totals():
    m = big_matrix()
    fig = charts.render_totals(m)
    totals = m.totals()
    widths = [b.get_width() for b in bars(fig)]
    assert widths == pytest.approx([totals[n] for n in m.option_names()])
    # every bar carries its total as text, so the value never depends on reading the axis
    for name, label in zip(m.option_names(), fig.axes[0].texts[1:]):
        assert label.get_text().startswith(f"{totals[name]:.2f}")


def test_totals_marks_winner_ties_and_exclusions_by_text_and_hatch(scenario):
    m = TradeOffMatrix.from_scenario(scenario.data)
    m.exclude("Deep sequence model on GPUs", "no-gpu", "No GPUs")
    m.set_score("Rules and manual review", "Fraud caught", 4)
    m.set_score("Rules and manual review", "Team maintenance burden", 3)
    m.set_score("Rules and manual review", "Serving cost", 4)
    m.set_score("Rules and manual review", "Time to ship", 3)
    assert len(m.ranking().winners) == 2  # now the same scores as the GBDT option
    fig = charts.render_totals(m)
    rects = bars(fig)
    labels = [t.get_text() for t in fig.axes[0].texts[1:]]
    assert labels[0].endswith("tie") and labels[1].endswith("tie")
    assert labels[2].endswith("excl.")
    assert rects[2].get_hatch() == "xx" and rects[0].get_hatch() == "//"
    assert rects[0].get_hatch() != rects[2].get_hatch()
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks[0].startswith("A ") and "Rules and manual review" in ticks[0]


def test_totals_of_an_empty_matrix_says_what_to_do():
    fig = charts.render_totals(TradeOffMatrix())
    assert any("Add options and criteria" in t for t in texts(fig))


def test_sensitivity_intervals_and_markers_match_the_model(scenario):
    m = TradeOffMatrix.from_scenario(scenario.data)
    fig = charts.render_sensitivity(m)
    ax = fig.axes[0]
    total_weight = sum(c.weight for c in m.criteria)
    lines = [ln for ln in ax.lines if len(ln.get_xdata()) == 2]
    markers = [ln for ln in ax.lines if len(ln.get_xdata()) == 1]
    sens = m.sensitivity()
    assert len(lines) == len(sens) == len(markers)
    for line, marker, s, crit in zip(lines, markers, sens, m.criteria):
        assert list(line.get_xdata()) == pytest.approx([s.share_low, s.share_high])
        assert marker.get_xdata()[0] == pytest.approx(crit.weight / total_weight)
        assert s.share_low - 1e-9 <= crit.weight / total_weight <= s.share_high + 1e-9
    letters = {n: letter(i) for i, n in enumerate(m.option_names())}
    shown = texts(fig)
    fraud = next(s for s in sens if s.criterion == "Fraud caught")
    assert f"\u2190{letters[fraud.below]}" in shown and f"{letters[fraud.above]}\u2192" in shown
    assert any(t.startswith(f"winner {letters[m.winner()]}, robust ") for t in shown)
    # the key spells the letters out
    assert any("A = Rules and manual review" in t for t in shown)


def test_sensitivity_needs_a_winner_and_two_feasible_options(scenario):
    m = TradeOffMatrix.from_scenario(scenario.data)
    m.apply_variant(scenario.variant("no-ml-capacity"))  # one feasible option left
    fig = charts.render_sensitivity(m)
    assert any("at least two feasible options" in t for t in texts(fig))


def test_option_letters_go_past_z():
    assert [letter(i) for i in (0, 1, 25, 26, 27, 51, 52)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
    ]


# -- risks -------------------------------------------------------------------------------------
def test_heatmap_cell_texts_match_register_grid():
    reg = big_register()
    fig = charts.render_heatmap(reg)
    grid = reg.grid()
    cells = charts.HeatmapChart()
    cells.update(reg)
    for (lk, im), text in cells.cells.items():
        assert text.get_text() == str(grid[lk - 1][im - 1])
        # the text sits in its cell: x is impact, y is likelihood
        x, y = text.get_position()
        assert round(x) == im and round(y) == lk
    counts = sorted(int(t) for t in texts(fig) if t.isdigit())
    assert sum(counts) == len(reg.risks)


def test_heatmap_updates_in_place_when_a_risk_moves():
    reg = big_register(5)
    chart = charts.HeatmapChart()
    fig = chart.update(reg)
    first = chart.png()
    title = reg.risks[0].title
    old = (reg.risks[0].likelihood, reg.risks[0].impact)
    reg.update(title, likelihood=5, impact=5)
    assert chart.update(reg) is fig
    assert chart.cells[(5, 5)].get_text() == str(reg.grid()[4][4])
    assert chart.cells[old].get_text() == str(reg.grid()[old[0] - 1][old[1] - 1])
    assert chart.png() != first


# -- cost --------------------------------------------------------------------------------------
def test_breakdown_segments_are_the_lines_and_sum_to_the_monthly_total(scenario):
    model = scenario.reference_cost_model()
    fig = charts.render_cost_breakdown(model)
    est = model.estimate()
    rects = bars(fig)
    assert [r.get_width() for r in rects] == pytest.approx([c.monthly_usd for c in est.lines])
    assert sum(r.get_width() for r in rects) == pytest.approx(est.total)
    # stacked: each segment starts where the previous one ended
    lefts = [r.get_x() for r in rects]
    assert lefts == pytest.approx(list(np.cumsum([0] + [c.monthly_usd for c in est.lines])[:-1]))
    for rect, line in zip(rects, model.lines):
        colour, hatch = KIND_STYLE[line.kind]
        assert to_hex(rect.get_facecolor()) == to_hex(colour)
        assert (rect.get_hatch() or "") == hatch
    assert fig.axes[0].get_xlim()[1] >= est.total


def test_projection_stacks_sum_to_each_traffic_estimate(scenario):
    model = scenario.reference_cost_model()
    fig = charts.render_projection(model)
    projection = model.projection()
    rects = bars(fig)
    per_bar = [0.0] * len(projection)
    for r in rects:
        per_bar[round(r.get_x() + r.get_width() / 2)] += r.get_height()
    assert per_bar == pytest.approx([e.total for e in projection])
    labels = [t for t in texts(fig) if "largest:" in t]
    assert len(labels) == 3
    assert all(e.dominant.name[:10] in label for e, label in zip(projection, labels))


def test_comparison_has_one_stacked_bar_per_option(scenario):
    models = {"Yours": scenario.reference_cost_model()} | {
        k: CostModel.from_lines(prices=price_catalogue(), lines=v)
        for k, v in scenario.data["cost_reference"]["option_lines"].items()
    }
    fig = charts.render_cost_comparison(models)
    per_bar = [0.0] * len(models)
    for r in bars(fig):
        per_bar[round(r.get_x() + r.get_width() / 2)] += r.get_height()
    assert per_bar == pytest.approx([m.estimate().total for m in models.values()])


def test_cost_charts_of_an_empty_model_say_so():
    assert any("Add a cost line" in t for t in texts(charts.render_cost_breakdown(CostModel())))
    assert any("Add a cost line" in t for t in texts(charts.render_projection(CostModel())))


def test_kind_styles_are_distinct_in_colour_and_hatch():
    styles = [KIND_STYLE[k] for k in KINDS]
    assert len({c for c, _ in styles}) == len(styles)
    assert len({h for _, h in styles}) == len(styles)
    assert {c for c, _ in styles} <= set(charts.PALETTE)


# -- scorecard ---------------------------------------------------------------------------------
def test_scorecard_segments_match_the_counts_and_write_them():
    attempt = {
        "categories": {
            "business": {"unprompted": 2, "prompted": 1, "missed": 0},
            "legal": {"unprompted": 0, "prompted": 1, "missed": 3},
        }
    }
    fig = charts.render_scorecard(attempt)
    widths = {}
    for r in bars(fig):
        row = round(r.get_y() + r.get_height() / 2)
        widths.setdefault(row, []).append(r.get_width())
    assert widths[0] == [2, 1, 0] and widths[1] == [0, 1, 3]
    assert sorted(t for t in texts(fig) if t) == sorted(["2", "1", "1", "3"])


# -- live charts and output --------------------------------------------------------------------
def test_live_chart_keeps_one_figure_and_redraws_structure_only_when_it_changes():
    m = big_matrix(4, 3)
    chart = charts.TotalsChart()
    fig = chart.update(m)
    chart.png()
    background = chart._background
    m.set_score("Option 1", "Criterion 1", 5)
    assert chart.update(m) is fig
    chart.png()
    assert chart._background is background, "a score edit must not redraw the axes"
    m.add_option("Option 4")
    chart.update(m)
    assert chart._background is None and len(bars(fig)) == 5


@pytest.mark.parametrize(
    "make",
    [
        lambda sc: (charts.TotalsChart(), big_matrix()),
        lambda sc: (charts.SensitivityChart(), TradeOffMatrix.from_scenario(sc.data)),
        lambda sc: (charts.HeatmapChart(), big_register()),
        lambda sc: (charts.CostBreakdownChart(), sc.reference_cost_model()),
        lambda sc: (charts.ProjectionChart(), sc.reference_cost_model()),
    ],
    ids=["totals", "sensitivity", "heatmap", "breakdown", "projection"],
)
def test_blitted_png_matches_a_full_render(scenario, make):
    """The fast path (cached background + animated artists) draws the same picture as savefig."""
    chart, model = make(scenario)
    chart.update(model)
    chart.png()  # background cached
    fast = np.asarray(Image.open(io.BytesIO(chart.png())).convert("RGB"), dtype=int)
    full = np.asarray(
        Image.open(io.BytesIO(charts.figure_png(chart.figure, close=False))).convert("RGB"),
        dtype=int,
    )
    assert fast.shape == full.shape
    differing = (np.abs(fast - full).sum(axis=2) > 60).mean()
    assert differing < 0.0005, f"{differing:.2%} of pixels differ"


def test_figure_png_gives_png_bytes_without_pyplot():
    code = (
        "import sys\n"
        "from staffplus_widgets import charts\n"
        "from staffplus_widgets.models.tradeoff import TradeOffMatrix\n"
        "m = TradeOffMatrix(); m.add_option('a'); m.add_option('b'); m.add_criterion('c')\n"
        "data = charts.figure_png(charts.render_totals(m))\n"
        "assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n'\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_learner_text_with_dollar_signs_is_drawn_literally():
    m = TradeOffMatrix()
    m.add_option("Save $5 or $10")
    m.add_option(r"x^2 $\frac{a}{")  # malformed mathtext must not raise
    m.add_criterion("Cost in $")
    for render in (charts.render_totals, charts.render_sensitivity):
        assert charts.figure_png(render(m))[:4] == b"\x89PNG"
    fig = charts.render_totals(m)
    charts.figure_png(fig, close=False)
    assert "Save $5 or $10" in fig.axes[0].get_yticklabels()[0].get_text()


def test_chart_colours_come_from_the_colour_blind_safe_palette(scenario):
    allowed = {to_hex(c) for c in charts.PALETTE} | {"#bbbbbb"}
    figs = [
        charts.render_totals(TradeOffMatrix.from_scenario(scenario.data)),
        charts.render_cost_breakdown(scenario.reference_cost_model()),
        charts.render_projection(scenario.reference_cost_model()),
    ]
    for fig in figs:
        for r in bars(fig):
            assert to_hex(r.get_facecolor()) in allowed


# -- summaries ---------------------------------------------------------------------------------
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


def test_every_render_function_returns_a_figure(scenario):
    m = TradeOffMatrix.from_scenario(scenario.data)
    cm = scenario.reference_cost_model()
    for fig in (
        charts.render_totals(m),
        charts.render_sensitivity(m),
        charts.render_heatmap(big_register()),
        charts.render_cost_breakdown(cm),
        charts.render_projection(cm),
        charts.render_cost_comparison({"a": cm}),
        charts.render_scorecard({"categories": {}}),
    ):
        assert isinstance(fig, Figure)
        assert math.isclose(fig.dpi, charts.DPI)


def test_sensitivity_refuses_to_pick_a_winner_from_a_tie():
    m = TradeOffMatrix()
    for name in ("a", "b", "c"):
        m.add_option(name)
    m.add_criterion("cost")
    m.add_criterion("speed")
    assert len(m.ranking().winners) == 3  # every cell starts at the midpoint
    assert m.sensitivity() == [], "the model gives no interval for an arbitrary member of a tie"
    fig = charts.render_sensitivity(m)
    assert any("tied for first" in t for t in texts(fig))
    assert summaries.sensitivity_summary(m).startswith("No sensitivity while options are tied")
    m.set_score("b", "cost", 4)
    chart = charts.SensitivityChart()
    chart.update(m)
    assert not any("tied for first" in t for t in texts(chart.figure))
    assert summaries.sensitivity_summary(m).startswith("b stays first")
