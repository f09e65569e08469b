"""The cohort debrief's charts: matplotlib figures, the same for the widget and the HTML page.

The sections come from a real scan of a generated cohort, hostile files included, so learner text
holds markup that must be drawn as text.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from staffplus_widgets.charts import debrief as charts
from staffplus_widgets.documents import debrief
from staffplus_widgets.widgets._common import esc

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "instructor"
sys.path.insert(0, str(FIXTURES))

import instructor_cohort as cohort  # noqa: E402

HOSTILE = '<script>alert(1)</script> & "$5 or $10"'
KEYS = ("items", "options", "weights", "cost", "scores")


@pytest.fixture(scope="module")
def folder(tmp_path_factory, cohort_pack):
    where = tmp_path_factory.mktemp("cohort")
    cohort.make_cohort(cohort_pack.get(cohort.SCENARIO_ID), where, 30, seed=5)
    cohort.write_hostile(cohort_pack.get(cohort.SCENARIO_ID), where)
    return where


@pytest.fixture(scope="module")
def section(folder, cohort_pack):
    (found,) = debrief.scan(folder, cohort_pack).to_json()["scenarios"]
    return found


def all_texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(match=lambda a: hasattr(a, "get_text"))]


def test_every_chart_is_a_figure_for_a_full_and_an_empty_section(section, cohort_pack):
    figures = charts.render_all(section)
    assert set(figures) == set(KEYS) and all(isinstance(f, Figure) for f in figures.values())
    nobody = debrief.ScenarioDebrief(cohort_pack.get(cohort.SCENARIO_ID)).to_dict()
    for key, fig in charts.render_all(nobody).items():
        assert any(t.startswith("No ") for t in all_texts(fig)), key


def test_learner_text_is_drawn_literally(section):
    hostile = copy.deepcopy(section)
    hostile["chosen_options"]["options"] = [
        {"option": HOSTILE, "learners": 2, "share": 0.5, "reference": True}
    ]
    png = charts.render_png(charts.render_chosen_options, hostile, 72)
    assert png[:4] == b"\x89PNG"  # malformed mathtext or markup never raises
    fig = charts.render_chosen_options(hostile)
    assert any("<script>" in t for t in all_texts(fig))


def test_the_widget_shows_the_reports_own_pictures_and_hands_out_figures(folder, cohort_pack):
    from staffplus_widgets.widgets.debrief import DebriefWidget

    view = DebriefWidget(folder, pack=cohort_pack)
    pictures = debrief.section_charts(view.section)
    for key in KEYS:
        image = view._images[key].value
        assert "src='data:image/png;base64," in image and "max-width:100%" in image
        assert f"alt='{esc(view.summary(key))}'" in image
        assert view.chart_image(key) == pictures[key] and view.chart_image(key)[:4] == b"\x89PNG"
        assert view.summary(key)
    figures = view.figures()
    assert set(figures) == set(KEYS) and all(isinstance(f, Figure) for f in figures.values())


def test_cost_axis_labels_are_money_never_raw_mathtext(section):
    # a cohort within one decade is where matplotlib labels the minor ticks itself, in mathtext
    narrow = copy.deepcopy(section)
    narrow["cost"]["values"] = [210_000.0, 220_000.0, 230_000.0]
    narrow["cost"]["range"] = [150_000.0, 280_000.0]
    for sec in (section, narrow):
        with charts.literal_text():
            fig = charts.render_cost_spread(sec)
            fig.canvas.draw()
        ax = fig.axes[0]
        labels = [t.get_text() for t in ax.get_xticklabels(minor=True) + ax.get_xticklabels()]
        assert any(labels) and not any("mathdefault" in t or "{" in t for t in labels), labels
