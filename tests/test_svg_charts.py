"""The live (SVG) charts: parse the document and check what it draws against the models.

Every picture must be well-formed XML whatever a learner typed, draw each number where the
model puts it, and say the same things as the text summary; the exported report embeds the same SVG.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from fixtures.svg_support import (
    NS,
    bars,
    big_matrix,
    big_register,
    group,
    groups,
    hatches,
    parse,
    texts,
)
from fixtures.widget_support import fixture_scenario, run_fresh
from hypothesis import given
from hypothesis import strategies as st

from staffplus_widgets.charts import svg as S
from staffplus_widgets.charts import svgkit as K
from staffplus_widgets.charts._style import (
    CIVIDIS_STOPS,
    kind_style,
    severity_colour,
    sticky_limit,
)
from staffplus_widgets.core.categories import CATEGORY_IDS
from staffplus_widgets.data.prices import price_catalogue
from staffplus_widgets.models.cost import KINDS, CostModel
from staffplus_widgets.models.risks import RiskRegister
from staffplus_widgets.models.tradeoff import TradeOffMatrix

HOSTILE = '<script>alert(1)</script> & "quoted" \x00\x1b \ud800 end'


@pytest.fixture(scope="module")
def scenario():
    return fixture_scenario()


# -- trade-off ---------------------------------------------------------------------------------
def test_totals_bars_are_proportional_to_the_weighted_totals_and_labelled():
    m = big_matrix()
    root = parse(S.TotalsSvg().update(m))
    totals = m.totals()
    rows = groups(root, "option-")
    assert len(rows) == len(m.options)
    widths = [bars(g)[0]["width"] for g in rows]
    per_point = [w / totals[n] for w, n in zip(widths, m.option_names())]
    assert max(per_point) == pytest.approx(min(per_point), rel=1e-2)
    for g, name in zip(rows, m.option_names()):
        label, value = texts(g)
        assert name in label and value.startswith(f"{totals[name]:.2f}")


def test_totals_mark_winner_ties_and_exclusions_by_text_and_hatch(scenario):
    m = TradeOffMatrix.from_scenario(scenario.data)
    m.exclude("Deep sequence model on GPUs", "no-gpu", "No GPUs")
    for criterion, score in (
        ("Fraud caught", 4),
        ("Team maintenance burden", 3),
        ("Serving cost", 4),
        ("Time to ship", 3),
    ):
        m.set_score("Rules and manual review", criterion, score)
    assert len(m.ranking().winners) == 2
    root = parse(S.TotalsSvg().update(m))
    rows = groups(root, "option-")
    values = [texts(g)[1] for g in rows]
    assert values[0].endswith("tie") and values[1].endswith("tie") and values[2].endswith("excl.")
    assert hatches(rows[0]) == ["hatch-ff"] and hatches(rows[2]) == ["hatch-xx"]
    assert texts(rows[0])[0].startswith("A ") and "Rules and manual review" in texts(rows[0])[0]
    # every hatch used is defined in the document
    defined = {p.get("id") for p in root.iter(f"{NS}pattern")}
    assert set(hatches(root)) <= defined


def test_the_exported_report_embeds_the_very_svg_the_widget_draws(scenario):
    from staffplus_widgets import workfile
    from staffplus_widgets.documents import export

    m = TradeOffMatrix.from_scenario(scenario.data)
    work = {**workfile.new_work(scenario.id, "Ann"), "tradeoff": m.to_dict()}
    doc = export.build_document(scenario, work)
    (chart,) = [
        b
        for s in doc.sections
        for b in s.blocks
        if isinstance(b, export.Chart) and b.key == "totals"
    ]
    assert chart.mime == "image/svg+xml" and chart.image == S.TotalsSvg().update(m).svg()


def test_empty_charts_say_what_to_do():
    assert "Add options and criteria" in " ".join(S.TotalsSvg().update(TradeOffMatrix()).texts())
    for chart in (S.CostBreakdownSvg(), S.ProjectionSvg()):
        assert "Add a cost line" in " ".join(chart.update(CostModel()).texts())
    assert "Nothing to compare" in " ".join(S.ComparisonSvg().update({}).texts())
    assert "No rubric categories" in " ".join(S.ScorecardSvg().update({}).texts())


def test_sensitivity_draws_each_interval_and_the_current_weight_inside_it(scenario):
    m = TradeOffMatrix.from_scenario(scenario.data)
    root = parse(S.SensitivitySvg().update(m))
    sens = m.sensitivity()
    total_weight = sum(c.weight for c in m.criteria)
    rows = groups(root, "criterion-")
    assert len(rows) == len(sens) == len(m.criteria)
    letters = {n: S.letter(i) for i, n in enumerate(m.option_names())}
    spans = []
    for g, crit in zip(rows, m.criteria):
        s = next(x for x in sens if x.criterion == crit.name)
        line = g.find(f"{NS}line")
        x1, x2 = float(line.get("x1")), float(line.get("x2"))
        points = [
            tuple(map(float, p.split(","))) for p in g.find(f"{NS}polygon").get("points").split()
        ]
        diamond_x = points[0][0]
        assert x1 - 0.1 <= diamond_x <= x2 + 0.1
        spans.append((x1, x2, s.share_low, s.share_high, crit.weight / total_weight, diamond_x))
        shown = texts(g)
        if s.below:
            assert f"\u2190{letters[s.below]}" in shown
        if s.above:
            assert f"{letters[s.above]}\u2192" in shown
    # one linear scale maps shares to pixels for every row
    (a1, _, lo1, *_), (a2, _, lo2, *_) = spans[0], max(spans, key=lambda r: abs(r[2] - spans[0][2]))
    if lo1 != lo2:
        scale = (a2 - a1) / (lo2 - lo1)
        for x1, x2, lo, hi, share, dx in spans:
            assert x2 - x1 == pytest.approx((hi - lo) * scale, abs=0.2)
            assert dx - a1 == pytest.approx((share - lo1) * scale, abs=0.2)
    everything = " ".join(texts(root))
    assert f"winner {letters[m.winner()]}, robust " in everything
    assert "A = Rules and manual review" in everything


def test_sensitivity_explains_a_tie_and_a_single_feasible_option(scenario):
    m = TradeOffMatrix.from_scenario(scenario.data)
    m.apply_variant(scenario.variant("no-ml-capacity"))
    assert "at least two feasible options" in " ".join(S.SensitivitySvg().update(m).texts())
    tie = TradeOffMatrix()
    for name in ("x", "y"):
        tie.add_option(name)
    tie.add_criterion("c", 1)
    assert "tied for first" in " ".join(S.SensitivitySvg().update(tie).texts())


# -- risks -------------------------------------------------------------------------------------
def test_heatmap_cells_write_the_register_counts():
    reg = big_register()
    root = parse(S.HeatmapSvg().update(reg))
    grid = reg.grid()
    total = 0
    for lk in range(1, 6):
        for im in range(1, 6):
            cell = group(root, f"cell-{lk}-{im}")
            severity, *count = texts(cell)
            assert severity == f"sev {lk * im}"
            # an occupied cell writes its count; an empty one writes nothing (no faded zero)
            assert count == ([str(grid[lk - 1][im - 1])] if grid[lk - 1][im - 1] else [])
            total += int(count[0]) if count else 0
    assert total == len(reg.risks)
    # impact runs left to right, likelihood bottom to top
    x = lambda g: float(bars(g)[0]["x"])  # noqa: E731
    y = lambda g: float(bars(g)[0]["y"])  # noqa: E731
    assert x(group(root, "cell-1-1")) < x(group(root, "cell-1-5"))
    assert y(group(root, "cell-5-1")) < y(group(root, "cell-1-1"))


def test_heatmap_pales_empty_cells_and_every_label_reads_at_wcag_aa():
    reg = RiskRegister()
    reg.add(title="one", category=CATEGORY_IDS[0], likelihood=5, impact=5)
    reg.add(title="two", category=CATEGORY_IDS[0], likelihood=3, impact=4)
    root = parse(S.HeatmapSvg().update(reg))
    for lk in range(1, 6):
        for im in range(1, 6):
            cell = group(root, f"cell-{lk}-{im}")
            fill = bars(cell)[0]["fill"]
            for text in cell.findall(f"{NS}text"):
                assert text.get("fill-opacity") is None and text.get("opacity") is None
                assert S.contrast(text.get("fill"), fill) >= 4.5, (lk, im, text.text)
    occupied = bars(group(root, "cell-5-5"))[0]["fill"]
    empty = bars(group(root, "cell-5-4"))[0]["fill"]
    assert S.contrast(occupied, "#ffffff") > S.contrast(empty, "#ffffff")

    def luminance(colour: str) -> float:
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    shades = [luminance(bars(group(root, f"cell-{s}-{s}"))[0]["fill"]) for s in range(1, 6)]
    assert shades == sorted(shades, reverse=True)


def test_severity_colours_follow_matplotlibs_cividis():
    colormaps = pytest.importorskip("matplotlib").colormaps
    from matplotlib.colors import to_hex

    cividis = colormaps["cividis_r"]
    assert severity_colour(1) == CIVIDIS_STOPS[-1] and severity_colour(25) == CIVIDIS_STOPS[0]
    for severity in range(1, 26):
        ours = severity_colour(severity)
        theirs = to_hex(cividis((severity - 1) / 24))
        for i in (1, 3, 5):
            assert abs(int(ours[i : i + 2], 16) - int(theirs[i : i + 2], 16)) <= 3, severity


# -- cost --------------------------------------------------------------------------------------
def test_breakdown_segments_are_the_lines_side_by_side(scenario):
    model = scenario.reference_cost_model()
    est = model.estimate()
    root = parse(S.CostBreakdownSvg().update(model))
    segments = [bars(group(root, f"line-{i}"))[0] for i in range(len(est.lines))]
    scale = sum(s["width"] for s in segments) / est.total
    styles = kind_style(KINDS)
    for seg, nxt in zip(segments, segments[1:]):
        assert nxt["x"] == pytest.approx(seg["x"] + seg["width"], abs=0.2)
    for seg, cost in zip(segments, est.lines):
        assert seg["width"] == pytest.approx(cost.monthly_usd * scale, abs=0.2)
        assert seg["fill"] == styles[cost.kind][0]
    labelled = [c.name[:8] for c in est.lines if c.monthly_usd / est.total >= 0.18]
    shown = " ".join(texts(root))
    assert all(name in shown for name in labelled)
    assert f"total {S.money(est.total)} per month" in shown


def column_heights(root: ET.Element, n: int) -> list[float]:
    return [sum(b["height"] for b in bars(group(root, f"column-{i}"))) for i in range(n)]


def test_projection_columns_grow_with_traffic_and_name_the_largest_line(scenario):
    model = scenario.reference_cost_model()
    projection = model.projection()
    root = parse(S.ProjectionSvg().update(model))
    heights = column_heights(root, len(projection))
    scale = heights[-1] / projection[-1].total
    assert heights == pytest.approx([e.total * scale for e in projection], abs=0.5)
    for i, est in enumerate(projection):
        label = texts(group(root, f"column-{i}"))[-1]
        assert label.startswith(S.money(est.total)) and est.dominant.name[:10] in label


def test_comparison_has_one_column_per_option_and_room_for_labels(scenario):
    models = {"Yours": scenario.reference_cost_model()} | {
        k: CostModel.from_lines(prices=price_catalogue(), lines=v)
        for k, v in scenario.data["cost_reference"]["option_lines"].items()
    }
    chart = S.ComparisonSvg().update(models)
    root = parse(chart)
    heights = column_heights(root, len(models))
    totals = [m.estimate().total for m in models.values()]
    scale = max(heights) / max(totals)
    assert heights == pytest.approx([t * scale for t in totals], abs=0.5)
    # the tallest column's label stays inside the picture (below the title)
    tallest = min(b["y"] for b in bars(root))
    assert tallest > 45


def test_axis_limit_sticks_while_a_number_moves_a_little(scenario):
    model = scenario.reference_cost_model()
    chart = S.CostBreakdownSvg()
    chart.update(model)
    first = chart._limit
    assert first >= model.estimate().total * 1.02
    before = model.estimate().total
    line = max(model.lines, key=lambda x: model.estimate().lines[model.lines.index(x)].monthly_usd)
    field, value = next((k, v) for k, v in line.values.items() if v)
    model.update_line(line.name, **{field: value * 0.97})  # the total drops a little
    assert model.estimate().total < before
    chart.update(model)
    assert chart._limit == first


@given(
    st.floats(min_value=1e-3, max_value=1e12),
    st.floats(min_value=1.0, max_value=1.5),
)
def test_sticky_limits_always_leave_the_headroom_asked_for(top, headroom):
    limit = sticky_limit(None, top * headroom, 1.0, shrink=0.5, steps=K.FINE_STEPS)
    assert limit >= top * headroom * (1 - 1e-9)
    assert limit <= top * headroom * 4 / 3 * (1 + 1e-9)  # fine steps hug the data
    again = sticky_limit(limit, top * headroom * 0.9, 1.0, shrink=0.5, steps=K.FINE_STEPS)
    assert again == limit


@given(st.floats(min_value=1e-3, max_value=1e12))
def test_ticks_are_round_and_span_the_axis(limit):
    ticks = S.nice_ticks(limit, 5)
    assert ticks[0] == 0 and 2 <= len(ticks) <= 7
    assert ticks[-1] <= limit * (1 + 1e-9)
    step = ticks[1] - ticks[0]
    mantissa = step / 10 ** __import__("math").floor(__import__("math").log10(step))
    assert round(mantissa, 6) in (1, 2, 2.5, 5, 10)


def test_money_ticks_drop_needless_decimals():
    assert [S.money_tick(v) for v in (0, 500, 50_000, 250_000, 1_500_000, 2e6)] == [
        "$0",
        "$500",
        "$50k",
        "$250k",
        "$1.5M",
        "$2M",
    ]


# -- scorecard ---------------------------------------------------------------------------------
def test_scorecard_segments_match_the_counts_and_write_them():
    attempt = {
        "categories": {
            "business": {"unprompted": 2, "prompted": 1, "missed": 0},
            "legal": {"unprompted": 0, "prompted": 1, "missed": 3},
        }
    }
    root = parse(S.ScorecardSvg().update(attempt))
    first, second = group(root, "category-0"), group(root, "category-1")
    w = lambda g: [b["width"] for b in bars(g)]  # noqa: E731
    assert w(first)[0] == pytest.approx(2 * w(first)[1], rel=1e-3) and len(w(first)) == 2
    assert w(second)[1] == pytest.approx(3 * w(second)[0], rel=1e-3)
    assert texts(first) == ["business", "2", "1"] and texts(second) == ["legal", "1", "3"]
    legend = " ".join(texts(root))
    assert "raised unprompted" in legend and "raised when prompted" in legend and "missed" in legend


# -- safety ------------------------------------------------------------------------------------
def test_learner_text_is_escaped_and_never_breaks_the_document(scenario):
    m = TradeOffMatrix()
    m.add_option(HOSTILE[:80])
    m.add_option("second")
    m.add_criterion(HOSTILE[:60], 2)
    m.add_criterion("other", 1)
    m.set_score("second", "other", 4)
    model = CostModel.from_lines(
        prices=price_catalogue(),
        lines=[
            {**line, "name": HOSTILE[:50]} for line in scenario.data["cost_reference"]["lines"][:1]
        ],
    )
    charts = [
        S.TotalsSvg().update(m),
        S.SensitivitySvg().update(m),
        S.CostBreakdownSvg().update(model),
        S.ProjectionSvg().update(model),
        S.ComparisonSvg().update({HOSTILE: model}),
        S.ScorecardSvg().update({"categories": {HOSTILE: {"unprompted": 1}}}),
    ]
    for chart in charts:
        raw = chart.svg()
        root = parse(chart)
        assert b"<script" not in raw and not list(root.iter(f"{NS}script"))
        assert any("&lt;script" in t or "<script" in t for t in texts(root)), type(chart)
        assert "\x00" not in raw.decode() and "\ud800" not in raw.decode("utf-8", "replace")


def test_drawing_the_live_charts_never_imports_matplotlib():
    code = (
        "import sys\n"
        "from staffplus_widgets.charts import svg\n"
        "from staffplus_widgets.data.scenario import get_scenario\n"
        "from staffplus_widgets.models.tradeoff import TradeOffMatrix\n"
        "sc = get_scenario('payments-fraud')\n"
        "m = TradeOffMatrix.from_scenario(sc.data)\n"
        "svg.TotalsSvg().update(m).svg(); svg.SensitivitySvg().update(m).svg()\n"
        "svg.ProjectionSvg().update(sc.reference_cost_model()).svg()\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib was imported'\n"
    )
    run_fresh(code)


def test_clean_replaces_what_xml_cannot_hold():
    assert S.clean('a<b>&"c"') == "a&lt;b&gt;&amp;&quot;c&quot;"
    assert S.clean("x\x00y\ud800z\tw") == "x\ufffdy\ufffdz\tw"
    assert re.fullmatch(r"[^\x00-\x08]*", S.clean("".join(map(chr, range(32)))))


def test_a_long_empty_chart_message_wraps_inside_the_chart_in_a_small_figure():
    from staffplus_widgets.charts.svg import SensitivitySvg
    from staffplus_widgets.charts.svgkit import CHAR_WIDTH, LABEL_SIZE
    from staffplus_widgets.models.tradeoff import TradeOffMatrix

    m = TradeOffMatrix()
    m.add_option("a")
    m.add_option("b")
    m.add_criterion("cost", 1)
    chart = SensitivitySvg()
    drawn = chart.update(m)
    lines = [t for t in drawn.texts() if t != SensitivitySvg.TITLE]
    assert len(lines) >= 2 and "tied for first" in " ".join(lines)
    assert all(len(t) * (LABEL_SIZE + 1) * CHAR_WIDTH <= chart.width - 24 for t in lines)
    assert drawn.height <= 120, "no large empty figure around one sentence"
