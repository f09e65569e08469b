"""CostEstimatorWidget without a kernel: generic inputs per kind, totals, charts, range, comparison."""

from __future__ import annotations

import pytest
from fixtures import widget_support as ws

from staffplus_widgets.data.prices import price_catalogue
from staffplus_widgets.models.cost import KINDS, CostModel
from staffplus_widgets.widgets import CostEstimatorWidget
from staffplus_widgets.widgets.cost import REFERENCE, starter_line

FIELDS = [(kind, fs.key) for kind, spec in KINDS.items() for fs in spec.fields]
BAD_FOR_EVERY_FIELD = ("abc", "nan", "inf", "-3", "1e99", "")


@pytest.fixture
def view(scenario, session):
    return CostEstimatorWidget(scenario, session)


def one_line_of_each_kind(session):
    session.cost = CostModel.from_lines(
        prices=price_catalogue(), lines=[starter_line(k, f"{k} line") for k in KINDS]
    )


def test_inputs_are_generated_from_the_kind_specs_with_units_and_help(scenario, session):
    one_line_of_each_kind(session)
    view = CostEstimatorWidget(scenario, session)
    for controls_, kind in zip(view._lines, KINDS):
        for fs in KINDS[kind].fields:
            text = controls_.field_texts[fs.key]
            assert text.description == fs.label
            assert f"Unit: {fs.unit}" in text.tooltip
            if fs.help:
                assert fs.help in text.tooltip
        # the kind labels the line's name, and every unit sits beside its field
        assert controls_.name_text.description == KINDS[kind].title
        html = ws.all_html(controls_.box)
        assert all(f"&nbsp;{fs.unit}</small>" in html for fs in KINDS[kind].fields)


def test_editing_a_field_updates_totals_formula_charts_and_file(view, session, path):
    before = view._breakdown_view.picture
    view._lines[0].field_texts["peak_qps"].value = "5000"
    line = session.cost.lines[0]
    assert line.values["peak_qps"] == 5000
    est = session.cost.estimate()
    assert f"${est.total:,.0f}" in view._totals_html.value
    assert f"{est.cost_per_1000:,.2f}" in view._totals_html.value
    assert "5,000" in view._lines[0].result_html.value
    assert view._breakdown_view.picture != before
    assert f"Monthly total ${est.total:,.0f}" in view._breakdown_view.summary
    assert ws.saved(path)["cost"]["lines"][0]["peak_qps"] == 5000
    assert view.value == session.cost.to_dict()


def test_reviewer_headcount_is_shown(view, session):
    view._new_line_kind_dropdown.value = "review"
    view._new_line_name_text.value = "Analysts"
    view._add_line_button.click()
    i = session.cost.names().index("Analysts")
    view._lines[i].field_texts["cases_per_day"].value = "960"
    view._lines[i].field_texts["minutes_per_case"].value = "4"
    # 960 x 4 / 60 = 64 review hours a day over 8-hour shifts = 8 reviewers
    assert session.cost.estimate().reviewers == pytest.approx(8.0)
    assert "<td>8.0</td>" in view._totals_html.value


@pytest.mark.parametrize("kind, key", FIELDS, ids=[f"{k}.{f}" for k, f in FIELDS])
def test_every_numeric_field_rejects_bad_input_beside_it(scenario, session, path, kind, key):
    session.cost = CostModel.from_lines(
        prices=price_catalogue(), lines=[starter_line(kind, "the line")]
    )
    view = CostEstimatorWidget(scenario, session)
    controls_ = view._lines[0]
    before = session.cost.to_dict()
    label = next(fs.label for fs in KINDS[kind].fields if fs.key == key)
    for bad in BAD_FOR_EVERY_FIELD:
        controls_.field_texts[key].value = bad
        message = ws.error_text(controls_.field_messages[key])
        # in words a learner reads ("Peak QPS of 'the line'"), not the field's path
        assert f"{label} of 'the line':" in message and f".{key}" not in message, (bad, message)
        assert repr(bad) in message
        assert session.cost.to_dict() == before
        assert "staffplus-invalid" in controls_.field_texts[key]._dom_classes
    assert not path.exists(), "nothing invalid was ever ws.saved"


@pytest.mark.parametrize("bad, reason", ws.bad_names("Training runs", "TRAINING RUNS"))
def test_bad_line_names_are_rejected(view, session, bad, reason):
    view._lines[0].name_text.value = bad
    assert reason in ws.error_text(view._lines[0].name_message)
    assert session.cost.names()[0] == "Online scoring"


@pytest.mark.parametrize("bad, reason", [("", "cannot be empty"), ("online SCORING", "duplicate")])
def test_adding_a_line_with_a_bad_name_is_rejected(view, session, bad, reason):
    view._new_line_name_text.value = bad
    view._add_line_button.click()
    assert reason in ws.error_text(view._add_line_message)
    assert len(session.cost.lines) == 4


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_line_of_any_kind_can_be_added_renamed_and_removed(view, session, path, kind):
    view._new_line_kind_dropdown.value = kind
    view._new_line_name_text.value = "New line"
    view._add_line_button.click()
    assert session.cost.lines[-1].kind == kind
    assert f"staffplus-cost-line-{kind}" in view._lines[-1].box._dom_classes
    view._lines[-1].name_text.value = "Renamed line"
    assert session.cost.names()[-1] == "Renamed line"
    assert ws.saved(path)["cost"]["lines"][-1]["name"] == "Renamed line"
    view._lines[-1].remove_button.click()
    assert "Renamed line" not in session.cost.names() and len(view._lines) == 4


def test_scaling_with_traffic_can_be_switched(view, session):
    people = session.cost.names().index("Team to build and run it")
    view._lines[people].scales_checkbox.value = True
    assert session.cost.lines[people].scales_with_traffic is True
    assert "Every line grows with traffic" in view._projection_view.summary


def test_an_explicit_price_replaces_the_catalogue_entry(view, session):
    assert "catalogue entry <code>c6i.xlarge</code>" in view._lines[0].result_html.value
    view._lines[0].field_texts["hourly_usd"].value = "0.2"
    assert session.cost.lines[0].price_ref is None
    assert "catalogue" not in view._lines[0].result_html.value
    assert "per month" in view._lines[0].result_html.value


def test_self_check_against_the_expected_range(view, session, scenario):
    low, high = scenario.cost_range()
    total = session.cost.estimate().total
    assert total < low
    gap = (low - total) / low
    assert f"{gap:.0%} below the expected range" in view._range_html.value
    view._new_line_kind_dropdown.value = "people"
    view._new_line_name_text.value = "Analysts"
    view._add_line_button.click()
    i = session.cost.names().index("Analysts")
    view._lines[i].field_texts["fte"].value = "6"  # 6 x $250k / 12 lands inside
    assert low <= session.cost.estimate().total <= high
    assert "Inside the expected range" in view._range_html.value
    view._lines[i].field_texts["fte"].value = "100"
    total = session.cost.estimate().total
    assert f"{(total - high) / high:.0%} above the expected range" in view._range_html.value


def test_projection_names_the_dominant_line(view, session):
    summary = view._projection_view.summary
    for est in session.cost.projection():
        assert (
            f"x{est.traffic:g} traffic: ${est.total:,.0f} per month, largest line {est.dominant.name}"
            in summary
        )


def test_compare_with_another_option_and_with_the_reference(view, session, scenario):
    assert view._compare_box.layout.display == "none"
    view._compare_toggle.value = True
    assert view._compare_box.layout.display == "flex"
    view._compare_dropdown.value = "Rules and manual review"
    models = view.comparison_models()
    assert list(models) == ["Your estimate", "Rules and manual review"]
    assert "Analyst review of every rule hit" in view._compare_html.value
    assert "Rules and manual review:" in view._compare_view.summary
    view._compare_dropdown.value = REFERENCE
    ref_total = scenario.reference_cost_model().estimate().total
    assert f"${ref_total:,.0f}" in view._compare_html.value
    # the comparison follows edits while it is open
    view._lines[0].field_texts["peak_qps"].value = "3000"
    assert f"${session.cost.estimate().total:,.0f}" in view._compare_html.value


def test_learner_text_is_escaped(view, session):
    view._lines[0].name_text.value = ws.XSS
    view._compare_toggle.value = True
    assert ws.XSS not in ws.all_html(view)
    assert ws.ESCAPED_XSS in view._compare_html.value
    assert ws.ESCAPED_XSS in view._breakdown_view._summary.value


def test_restores_from_the_file(scenario, view, path):
    view._lines[1].field_texts["runs_per_month"].value = "30"
    again = CostEstimatorWidget(scenario, ws.new_session(path, scenario))
    assert again._lines[1].field_texts["runs_per_month"].value == "30"
    assert again._totals_html.value == view._totals_html.value


def test_every_control_has_a_description_and_a_tooltip(view):
    view._compare_toggle.value = True
    for control in ws.controls(view):
        assert control.description and control.tooltip, control


def test_a_fields_unit_stays_beside_it_through_a_message(view):
    qps = view._lines[0].field_texts["peak_qps"]
    note = view._lines[0].field_messages["peak_qps"]
    assert note.value.startswith("<small>&nbsp;requests/s</small>")
    qps.value = "abc"
    assert note.value.startswith("<small>&nbsp;requests/s</small>") and "abc" in note.value
    qps.value = "900"
    assert note.value == "<small>&nbsp;requests/s</small> "
