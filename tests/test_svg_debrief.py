"""The cohort debrief's SVG charts: parse each document and check what it draws against the section.

The sections come from a real scan of a generated cohort (with the hostile files, so learner text
holds markup), and from copies of it with chosen numbers. Every picture must be well-formed XML,
draw each number where the section puts it, and say what the print chart (matplotlib) says.
"""

from __future__ import annotations

import copy
import json
import math
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fixtures.svg_support import NS, bars, group, groups, hatches, parse, texts
from fixtures.widget_support import run_fresh
from hypothesis import given
from hypothesis import strategies as st

from staffplus_widgets.charts import debrief_svg as D
from staffplus_widgets.charts._style import GREY, OKABE_ITO, short
from staffplus_widgets.charts.svg import money_tick
from staffplus_widgets.documents import debrief

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "instructor"
sys.path.insert(0, str(FIXTURES))

import instructor_cohort as cohort  # noqa: E402

HOSTILE = '<script>alert(1)</script> & "q"'
KEYS = ("items", "options", "weights", "cost", "scores")


# -- sections ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pack():
    return cohort.load_fixture_pack()


@pytest.fixture(scope="module")
def folder(tmp_path_factory, pack):
    where = tmp_path_factory.mktemp("cohort")
    cohort.make_cohort(pack.get(cohort.SCENARIO_ID), where, 30, seed=5)
    cohort.write_hostile(pack.get(cohort.SCENARIO_ID), where)
    return where


@pytest.fixture(scope="module")
def section(folder, pack):
    (found,) = debrief.scan(folder, pack).to_json()["scenarios"]
    return found


@pytest.fixture
def nobody(pack):
    """The section of a scenario nobody has submitted for yet."""
    return debrief.ScenarioDebrief(pack.get(cohort.SCENARIO_ID)).to_dict()


# -- reading the document ---------------------------------------------------------------------------
def draw(key: str, section: dict) -> ET.Element:
    return parse(D.CHARTS[key]().update(section))


def points(polygon: ET.Element) -> list[tuple[float, float]]:
    return [tuple(map(float, p.split(","))) for p in polygon.get("points").split()]


def same_scale(pairs: list[tuple[float, float]]) -> float:
    """The one factor mapping every value to its pixels (pixels are written to 0.1 px)."""
    px_max, value_max = max(pairs, key=lambda p: p[1])
    assert value_max > 0
    scale = px_max / value_max
    for px, value in pairs:
        assert px == pytest.approx(value * scale, abs=0.2), (px, value, scale)
    return scale


# -- the print chart's style --------------------------------------------------------------------------
def test_status_style_and_colours_are_the_print_charts():
    printed = pytest.importorskip("staffplus_widgets.charts.debrief")
    assert D.STATUS_STYLE == printed.STATUS_STYLE
    assert (D.REFERENCE_COLOUR, D.OTHER_COLOUR, D.TIE_COLOUR) == (
        printed.REFERENCE_COLOUR,
        printed.OTHER_COLOUR,
        printed.TIE_COLOUR,
    )
    assert set(D.CHARTS) == set(printed.RENDERERS)


# -- items ------------------------------------------------------------------------------------------
def test_item_bars_are_the_shares_side_by_side_with_counts_on_the_wide_ones(section):
    root = draw("items", section)
    rows = groups(root, "item-")
    assert len(rows) == len(section["items"])
    colours = {status: colour for status, _label, colour, _hatch in D.STATUS_STYLE}
    pairs = []
    small = 0
    for g, item in zip(rows, section["items"]):
        shown = [s for s, *_ in D.STATUS_STYLE if item["shares"][s] > 0]
        segments = bars(g)
        assert [b["fill"] for b in segments] == [colours[s] for s in shown]
        for seg, nxt in zip(segments, segments[1:]):
            assert nxt["x"] == pytest.approx(seg["x"] + seg["width"], abs=0.2)
        pairs += [(b["width"], item["shares"][s]) for b, s in zip(segments, shown)]
        written = [str(item["counts"][s]) for s in shown if item["shares"][s] >= 0.08]
        small += len(shown) - len(written)
        assert texts(g) == [short(item["id"], 28), *written]
        # the hatch says what the colour says: prompted "//", not at all "xx"
        assert hatches(g) == [
            {"prompted": "hatch-ff", "missed": "hatch-xx"}[s] for s in shown if s != "unprompted"
        ]
    same_scale(pairs)
    assert small, "the cohort should have a segment too narrow for its count"
    legend = texts(root)
    for _s, label, *_ in D.STATUS_STYLE:
        assert label in legend
    assert "share of learners" in legend and "100%" in legend


# -- options ----------------------------------------------------------------------------------------
def test_option_bars_count_learners_and_mark_reference_ties_and_no_matrix(section):
    c = section["chosen_options"]
    assert c["options"] and c["ties"] and c["none"], "the cohort should have every kind of row"
    root = draw("options", section)
    rows = [
        *((group(root, f"option-{i}"), o["learners"]) for i, o in enumerate(c["options"])),
        *((group(root, f"tie-{i}"), t["learners"]) for i, t in enumerate(c["ties"])),
        (group(root, "no-matrix"), c["none"]),
    ]
    same_scale([(bars(g)[0]["width"], n) for g, n in rows])
    for g, n in rows:
        (bar,) = bars(g)
        count = g.findall(f"{NS}text")[-1]
        assert count.text == str(n) and float(count.get("x")) > bar["x"] + bar["width"]
    for i, o in enumerate(c["options"]):
        g = group(root, f"option-{i}")
        label = texts(g)[0]
        assert label == short(o["option"]) + (" (ref.)" if o["reference"] else "")
        if o["reference"]:
            assert label.endswith(" (ref.)") and hatches(g) == ["hatch-ff"]
            assert bars(g)[0]["fill"] == OKABE_ITO["bluish_green"]
        else:
            assert "(ref.)" not in label and hatches(g) == []
            assert bars(g)[0]["fill"] == OKABE_ITO["blue"]
    assert any(o["reference"] for o in c["options"])
    for i in range(len(c["ties"])):
        g = group(root, f"tie-{i}")
        assert texts(g)[0].startswith("tie: ") and hatches(g) == ["hatch-pp"]
        assert bars(g)[0]["fill"] == OKABE_ITO["orange"]
    g = group(root, "no-matrix")
    assert texts(g)[0] == "no usable matrix" and hatches(g) == ["hatch-xx"]
    assert bars(g)[0]["fill"] == GREY
    defined = {p.get("id") for p in root.iter(f"{NS}pattern")}
    assert set(hatches(root)) <= defined


def test_live_and_print_charts_write_the_same_row_labels(section):
    printed = pytest.importorskip("staffplus_widgets.charts.debrief")
    for key, prefixes in (
        ("options", ("option-", "tie-", "no-matrix")),
        ("weights", ("criterion-",)),
    ):
        fig = printed.RENDERERS[key](section)
        labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        root = draw(key, section)
        live = [texts(g)[0] for p in prefixes for g in groups(root, p)]
        assert live == labels, key


# -- weights ----------------------------------------------------------------------------------------
def linear(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    """``(origin, scale)`` with pixel = origin + value * scale for every (pixel, value) pair."""
    (p0, v0), (p1, v1) = min(pairs, key=lambda p: p[1]), max(pairs, key=lambda p: p[1])
    assert v1 > v0
    scale = (p1 - p0) / (v1 - v0)
    origin = p0 - v0 * scale
    for px, value in pairs:
        assert px == pytest.approx(origin + value * scale, abs=0.3), (px, value)
    return origin, scale


def test_weight_rows_place_range_median_and_reference_on_one_scale(section):
    unused = copy.deepcopy(section)
    unused["weights"].append(
        {
            "criterion": "Nobody weighed this",
            "in_scenario": True,
            "learners": 0,
            "min": None,
            "median": None,
            "max": None,
            "reference": 0.1,
        }
    )
    rows = section["weights"]
    assert all(w["learners"] for w in rows)
    root = draw("weights", unused)
    shown = groups(root, "criterion-")
    assert len(shown) == len(rows), "a criterion nobody weighed has no row"
    pairs = []
    for g, wt in zip(shown, rows):
        assert texts(g) == [f"{short(wt['criterion'])} (n={wt['learners']})"]
        span, *ends = g.findall(f"{NS}line")
        x1, x2 = float(span.get("x1")), float(span.get("x2"))
        assert sorted(float(e.get("x1")) for e in ends) == pytest.approx([x1, x2])
        median = float(g.find(f"{NS}circle").get("cx"))
        pairs += [(x1, wt["min"]), (x2, wt["max"]), (median, wt["median"])]
        diamonds = g.findall(f"{NS}polygon")
        if wt["reference"] is None:
            assert diamonds == []
        else:
            (diamond,) = diamonds
            assert diamond.get("fill") == "#ffffff"
            assert diamond.get("stroke") == OKABE_ITO["vermillion"]
            pairs.append((points(diamond)[0][0], wt["reference"]))
    assert any(w["reference"] is None for w in rows) and any(w["reference"] for w in rows)
    origin, _scale = linear(pairs)
    assert origin == pytest.approx(float(root.find(f"{NS}line").get("x1")), abs=0.5), (
        "0% at the axis"
    )
    legend = texts(root)
    assert {"learners' min to max", "median", "scenario reference"} <= set(legend)


# -- cost -------------------------------------------------------------------------------------------
def markers(root: ET.Element, indices: list[int]) -> list[tuple[float, float, str]]:
    """(x, y, shape) of learner ``i``'s marker for each i; shape is circle, up or down."""
    out = []
    for i in indices:
        g = group(root, f"learner-{i}")
        circle = g.find(f"{NS}circle")
        if circle is not None:
            out.append((float(circle.get("cx")), float(circle.get("cy")), "circle"))
            continue
        tip, *base = points(g.find(f"{NS}polygon"))
        assert base[0][1] == base[1][1]
        shape = "down" if tip[1] > base[0][1] else "up"
        out.append((tip[0], (tip[1] + base[0][1]) / 2, shape))
    return out


def test_cost_markers_sit_on_a_log_axis_and_show_where_they_fall(section):
    c = section["cost"]
    low, high = c["range"]
    root = draw("cost", section)
    values = c["values"]
    assert len(values) >= 10 and c["below"] and c["inside"] and c["above"]
    found = markers(root, list(range(len(values))))
    xs = [x for x, _y, _s in found]
    assert xs == sorted(xs)
    # equal distances in log(value) are equal distances in pixels
    (x0, v0), (x1, v1) = (xs[0], values[0]), (xs[-1], values[-1])
    scale = (x1 - x0) / math.log10(v1 / v0)
    for x, v in zip(xs, values):
        assert x == pytest.approx(x0 + scale * math.log10(v / v0), abs=0.3)
    band = bars(group(root, "reference-band"))[0]
    assert band["x"] == pytest.approx(x0 + scale * math.log10(low / v0), abs=0.3)
    assert band["x"] + band["width"] == pytest.approx(x0 + scale * math.log10(high / v0), abs=0.3)
    assert hatches(group(root, "reference-band"))
    for (x, _y, shape), v in zip(found, values):
        where = "below" if v < low else "above" if v > high else "inside"
        assert shape == {"below": "down", "inside": "circle", "above": "up"}[where]
        inside = band["x"] - 0.1 <= x <= band["x"] + band["width"] + 0.1
        assert inside == (where == "inside")
    # learners with the same estimate are stacked, not drawn over each other
    by_value: dict[float, set[float]] = {}
    for (_x, y, _s), v in zip(found, values):
        by_value.setdefault(v, set()).add(round(y, 1))
    for v, ys in by_value.items():
        assert len(ys) == min(5, values.count(v)), v
    summary = f"below {c['below']}, inside {c['inside']}, above {c['above']}"
    everything = texts(root)
    assert any(t.startswith(summary) for t in everything)
    assert (f"missing {c['missing']}" in " ".join(everything)) == bool(c["missing"])
    assert "USD per month (log scale); band = reference range" in everything
    labelled, _minor = D.log_ticks(min(values) / 1.6, max(values) * 1.6)
    assert [money_tick(v) for v in labelled] == [t for t in everything if t.startswith("$")]
    assert all(math.log10(v).is_integer() for v in labelled)


def test_cost_skips_zero_estimates_and_says_so(section):
    narrow = copy.deepcopy(section)
    narrow["cost"].update(
        range=[200_000.0, 250_000.0],
        values=[0.0, 210_000.0, 240_000.0, 260_000.0],
        below=1,
        inside=2,
        above=1,
        missing=0,
    )
    root = draw("cost", narrow)
    assert root.find(f".//{NS}g[@id='learner-0']") is None
    assert [s for _x, _y, s in markers(root, [1, 2, 3])] == ["circle", "circle", "up"]
    everything = " ".join(texts(root))
    assert "(1 at $0, not drawn)" in everything and "missing" not in everything
    # a range inside one decade still gets labelled ticks
    assert len([t for t in texts(root) if t.startswith("$")]) >= 2


@given(
    st.floats(min_value=1e-2, max_value=1e9),
    st.floats(min_value=2.56, max_value=1e6),
)
def test_log_ticks_label_round_values_inside_the_axis(lo, ratio):
    hi = lo * ratio
    labelled, minor = D.log_ticks(lo, hi)
    assert labelled, "a range of 1.6 x 1.6 always holds a whole multiple of a power of ten"
    if ratio >= 4:
        assert len(labelled) >= 2
    if ratio >= 100:
        assert all(math.log10(v) == pytest.approx(round(math.log10(v))) for v in labelled)
    ticks = labelled + minor
    assert not set(labelled) & set(minor)
    assert all(lo * (1 - 1e-6) <= v <= hi * (1 + 1e-6) for v in ticks)
    for v in ticks:
        lead = v / 10 ** math.floor(math.log10(v) + 1e-9)
        assert lead == pytest.approx(round(lead)) and 1 <= round(lead) <= 9


# -- scores -----------------------------------------------------------------------------------------
def test_score_bars_are_the_counts_with_the_median_marked(section):
    s = section["scores"]
    root = draw("scores", section)
    edges, counts = s["edges"], s["counts"]
    assert len(groups(root, "band-")) == len(counts)
    heights = []
    for i, n in enumerate(counts):
        g = group(root, f"band-{i}")
        if n:
            (bar,) = bars(g)
            heights.append((bar["height"], n))
            assert texts(g) == [str(n)]
            assert hatches(g)
        else:
            assert bars(g) == [] and texts(g) == []
    same_scale(heights)
    # every band is as wide as its ten points, next to the previous one
    full = [(i, bars(group(root, f"band-{i}"))[0]) for i, n in enumerate(counts) if n]
    (i0, b0) = full[0]
    per_point = b0["width"] / (edges[i0 + 1] - edges[i0])
    origin = b0["x"] - edges[i0] * per_point
    for i, bar in full:
        assert bar["x"] == pytest.approx(origin + edges[i] * per_point, abs=0.2)
    line = group(root, "median").find(f"{NS}line")
    assert line.get("stroke-dasharray") and line.get("stroke") == OKABE_ITO["vermillion"]
    assert float(line.get("x1")) == pytest.approx(origin + s["median"] * per_point, abs=0.2)
    everything = texts(root)
    assert f"median {s['median']:g}" in everything
    assert all(f"{e:g}" in everything for e in edges)
    assert "score (0-100)" in everything and "learners" in everything


def test_a_median_near_the_top_keeps_its_label_inside_the_picture(section):
    late = copy.deepcopy(section)
    late["scores"].update(values=[95, 98, 100], counts=[0] * 9 + [3], median=98.0)
    chart = D.ScoreHistogramSvg().update(late)
    root = parse(chart)
    label = next(t for t in group(root, "median").iter(f"{NS}text"))
    assert label.text == "median 98" and label.get("text-anchor") == "end"
    assert float(label.get("x")) < chart.width


# -- empty, hostile, cheap ----------------------------------------------------------------------------
def test_empty_sections_say_why_each_chart_is_empty(nobody):
    messages = {
        "items": "No learners yet",
        "options": "No learners yet",
        "weights": "No weights yet",
        "cost": "No cost estimates yet",
        "scores": "No scores yet",
    }
    for key, message in messages.items():
        chart = D.CHARTS[key]().update(nobody)
        parse(chart)
        assert message in chart.texts(), key
    # an instance redraws: the same chart shows data again after an empty section
    chart = D.CHARTS["scores"]()
    assert "No scores yet" in chart.update(nobody).texts()


def test_learner_text_is_escaped_and_never_breaks_the_document(section):
    hostile = copy.deepcopy(section)
    bad = HOSTILE + " \x00\x1b \ud800 end"
    hostile["chosen_options"]["options"] = [
        {"option": bad, "learners": 2, "share": 0.5, "reference": True},
        {"option": HOSTILE, "learners": 1, "share": 0.25, "reference": False},
    ]
    hostile["chosen_options"]["ties"] = [{"options": [HOSTILE, bad], "learners": 1}]
    hostile["weights"] = [
        {
            "criterion": bad,
            "in_scenario": False,
            "learners": 3,
            "min": 0.1,
            "median": 0.2,
            "max": 0.4,
            "reference": None,
        }
    ]
    for key in KEYS:
        chart = D.CHARTS[key]().update(hostile)
        raw = chart.svg()
        root = parse(chart)
        assert b"<script" not in raw and not list(root.iter(f"{NS}script"))
        assert "\x00" not in raw.decode() and "\ud800" not in raw.decode("utf-8", "replace")
    raw = D.ChosenOptionsSvg().update(hostile).svg()
    # written escaped, read back as the (shortened) name itself
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert texts(group(ET.fromstring(raw), "option-1"))[0] == short(HOSTILE)
    quoted = {"option": '"q" & <b>', "learners": 1, "share": 1.0, "reference": False}
    hostile["chosen_options"] = {"options": [quoted], "ties": [], "none": 0}
    assert b"&quot;q&quot; &amp; &lt;b&gt;" in D.ChosenOptionsSvg().update(hostile).svg()
    assert "<script>" in texts(group(draw("weights", hostile), "criterion-0"))[0]


def test_the_scanned_cohorts_hostile_names_stay_text(section):
    names = [o["option"] for o in section["chosen_options"]["options"]]
    assert any("<script>" in n for n in names), "write_hostile adds a scripted option name"
    for key in KEYS:
        raw = D.CHARTS[key]().update(section).svg()
        ET.fromstring(raw)
        assert b"<script" not in raw and b"<img" not in raw


def test_drawing_the_debrief_never_imports_matplotlib(section, folder, tmp_path):
    path = tmp_path / "section.json"
    path.write_text(json.dumps(section), "utf-8")
    code = (
        "import json, sys\n"
        "from staffplus_widgets.charts.debrief_svg import CHARTS\n"
        "from staffplus_widgets.data.scenario import load_pack\n"
        "from staffplus_widgets.widgets.debrief import DebriefWidget\n"
        f"section = json.loads(open({str(path)!r}, encoding='utf-8').read())\n"
        "for chart in CHARTS.values():\n"
        "    assert chart().update(section).svg().startswith(b'<svg ')\n"
        f"view = DebriefWidget({str(folder)!r}, pack=load_pack([{str(FIXTURES)!r}]))\n"
        "assert view.section['learners'] > 0\n"
        "assert view.chart_image('cost').startswith(b'<svg ')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib')\n"
        "assert not bad, bad[:5]\n"
    )
    run_fresh(code)


# -- the widget -------------------------------------------------------------------------------------
def test_widget_shows_the_svg_charts_and_never_the_print_pngs(folder, pack, monkeypatch, tmp_path):
    from staffplus_widgets.widgets.debrief import DebriefWidget

    def no_pngs(_section):
        raise AssertionError("the widget must not draw the print charts")

    from staffplus_widgets.documents import debrief_report

    monkeypatch.setattr(debrief, "section_charts", no_pngs)
    monkeypatch.setattr(debrief_report, "section_charts", no_pngs)
    view = DebriefWidget(folder, pack=pack)
    for key in KEYS:
        image = view._images[key]
        chart = view._charts[key]
        assert image.format == "svg+xml" and image.layout.max_width == "100%"
        assert image.layout.width == f"{chart.width}px"
        assert view.chart_image(key) == D.CHARTS[key]().update(view.section).svg()
        assert view.chart_image(key).startswith(b"<svg ")
    # an empty folder, a scenario asked for: the charts say nobody has submitted yet
    empty = DebriefWidget(tmp_path, cohort.SCENARIO_ID, pack=pack)
    assert b"No learners yet" in empty.chart_image("items")
    assert b"No scores yet" in empty.chart_image("scores")
