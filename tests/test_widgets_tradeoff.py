"""TradeOffMatrixWidget without a kernel: set values, click, read the model, the HTML and the file."""

from __future__ import annotations

import re

import pytest
from fixtures import widget_support as ws

from staffplus_widgets.widgets import ScenarioCard, TradeOffMatrixWidget
from staffplus_widgets.widgets._common import esc
from staffplus_widgets.widgets._views import descendants

GBT = "Gradient boosted trees with review band"
RULES = "Rules and manual review"
DEEP = "Deep sequence model on GPUs"


@pytest.fixture
def session(path, scenario):
    s = ws.new_session(path, scenario)
    s.fill_reference()  # start from the reference scores so there is a clear winner
    return s


@pytest.fixture
def view(scenario, session):
    return TradeOffMatrixWidget(scenario, session)


def test_starts_from_the_scenario_options_with_midpoint_scores(scenario, path):
    view = TradeOffMatrixWidget(scenario, ws.new_session(path, scenario))
    assert [t.value for t in view._option_name_texts] == [RULES, GBT, DEEP]
    assert {t.value for row in view._score_texts for t in row} == {"3"}
    assert "Tie for first" in view._ranking_html.value


def test_editing_a_score_updates_model_totals_rank_chart_and_file(view, session, path):
    before = view._totals_view.picture
    view._score_texts[0][0].value = "5"  # Rules on Fraud caught
    assert session.matrix.cell(RULES, "Fraud caught").score == 5
    totals = session.matrix.totals()
    assert view._total_htmls[0].value == f"{totals[RULES]:.2f}"
    assert "Your recommendation:</b> Rules and manual review" in view._ranking_html.value
    assert "1st, winner" in view._rank_htmls[0].value
    assert view._totals_view.picture != before
    assert f"{RULES} {totals[RULES]:.2f} (rank 1)" in view._totals_view.summary
    on_disk = {
        (s["option"], s["criterion"]): s["score"] for s in ws.saved(path)["tradeoff"]["scores"]
    }
    assert on_disk[(RULES, "Fraud caught")] == 5
    assert view.value == session.matrix.to_dict()


def test_value_is_observable(view):
    seen = []
    view.observe(lambda change: seen.append(change["new"]), names="value")
    view._weight_texts[1].value = "30"
    assert seen and seen[-1]["criteria"][1]["weight"] == 30


@pytest.mark.parametrize("bad", [*ws.BAD_NUMBERS, "0", "6", "5.01", "0.99", "three"])
def test_bad_score_shows_a_message_beside_the_row_and_keeps_the_model(view, session, path, bad):
    before = session.matrix.to_dict()
    on_disk = path.read_text()
    view._score_texts[1][2].value = bad
    message = ws.error_text(view._row_messages[1])
    assert f"score of '{GBT}' on 'Team maintenance burden'" in message
    assert repr(bad) in message, "the message names the value"
    assert session.matrix.to_dict() == before
    assert path.read_text() == on_disk
    assert "staffplus-invalid" in view._score_texts[1][2]._dom_classes
    # a valid value clears the message and the mark
    view._score_texts[1][2].value = "2"
    assert view._row_messages[1].value == ""
    assert "staffplus-invalid" not in view._score_texts[1][2]._dom_classes


@pytest.mark.parametrize("bad", [*ws.BAD_NUMBERS, "1e7"])
def test_bad_weight_shows_a_message_under_the_criterion(view, session, bad):
    before = session.matrix.to_dict()
    view._weight_texts[0].value = bad
    assert "weight of 'Fraud caught'" in ws.error_text(view._criterion_messages[0])
    assert session.matrix.to_dict() == before


def test_criterion_messages_sit_under_the_grid_not_in_its_header(view):
    view._weight_texts[0].value = "-1"
    note = view._criterion_messages[0]
    assert note in view._grid_notes.children
    assert note not in descendants(view._grid), "a message in a 100 px column wraps"
    view._criterion_name_texts[1].value = ""
    assert "Renaming criterion 'Serving cost': criterion name: cannot be empty" in (
        ws.error_text(view._criterion_messages[1])
    )


def test_the_grid_keeps_names_and_headers_in_view_while_it_scrolls(view):
    header, *rows = view._grid.children
    assert "staffplus-grid-header" in header._dom_classes
    first = header.children[0]
    assert "staffplus-grid-sticky" in first._dom_classes
    for i, option_row in enumerate(rows):
        line, note = option_row.children
        sticky = line.children[0]
        assert "staffplus-grid-sticky" in sticky._dom_classes
        assert view._option_name_texts[i] in sticky.children
        assert view._total_htmls[i] in sticky.children
        assert "staffplus-grid-sticky" in note._dom_classes  # in view however far it scrolls
    assert view._grid_scroller.layout.overflow == "auto"


def test_each_option_is_described_and_each_criterion_explained_beside_the_grid(
    view, scenario, session
):
    key = view._key_html.value
    for opt in scenario.data["options"]:
        assert esc(opt["description"]) in key
    for crit in scenario.data["criteria"]:
        assert esc(crit["name"]) in key
        assert esc(crit.get("high_means", "")) in key
    view._weight_texts[0].value = "7"
    assert "<b>Fraud caught</b> (weight 7)" in view._key_html.value
    session.matrix.describe_option(RULES, ws.XSS)
    view._refresh()
    assert ws.XSS not in view._key_html.value and ws.ESCAPED_XSS in view._key_html.value


def test_the_last_positive_weight_cannot_become_zero(view, session):
    for j in (1, 2, 3):
        view._weight_texts[j].value = "0"
    assert all(m.value == "" for m in view._criterion_messages[1:])
    view._weight_texts[0].value = "0"
    assert "at least one criterion needs a weight above 0" in ws.error_text(
        view._criterion_messages[0]
    )
    assert session.matrix.criteria[0].weight == 50


@pytest.mark.parametrize("bad, reason", ws.bad_names(GBT, GBT.upper()))
def test_bad_option_name_is_rejected_beside_the_row(view, session, bad, reason):
    view._option_name_texts[0].value = bad
    assert reason in ws.error_text(view._row_messages[0])
    assert session.matrix.option_names()[0] == RULES


@pytest.mark.parametrize("bad, reason", ws.bad_names("Serving cost", "time TO ship"))
def test_bad_criterion_name_is_rejected_under_the_criterion(view, session, bad, reason):
    view._criterion_name_texts[0].value = bad
    assert reason in ws.error_text(view._criterion_messages[0])
    assert session.matrix.criterion_names()[0] == "Fraud caught"


@pytest.mark.parametrize("bad, reason", [("", "cannot be empty"), (RULES.lower(), "duplicate")])
def test_adding_a_bad_option_shows_why(view, session, bad, reason):
    view._new_option_text.value = bad
    view._add_option_button.click()
    assert reason in ws.error_text(view._new_option_message)
    assert len(session.matrix.options) == 3


@pytest.mark.parametrize(
    "name, weight, reason",
    [
        ("", "1", "cannot be empty"),
        ("Serving cost", "1", "duplicate"),
        ("Privacy", "abc", "must be a number"),
        ("Privacy", "-2", "cannot be negative"),
        ("Privacy", "nan", "NaN"),
    ],
)
def test_adding_a_bad_criterion_shows_why(view, session, name, weight, reason):
    view._new_criterion_text.value = name
    view._new_criterion_weight_text.value = weight
    view._add_criterion_button.click()
    assert reason in ws.error_text(view._new_criterion_message)
    assert len(session.matrix.criteria) == 4


def test_add_rename_and_remove_options_and_criteria(view, session, path):
    view._new_option_text.value = "Buy a vendor API"
    view._add_option_button.click()
    view._new_criterion_text.value = "Privacy"
    view._new_criterion_weight_text.value = "10"
    view._add_criterion_button.click()
    assert len(view._option_name_texts) == 4 and len(view._weight_texts) == 5
    assert view._new_option_text.value == "" and view._new_option_message.value == ""
    view._option_name_texts[3].value = "Vendor API"
    view._criterion_name_texts[4].value = "Privacy risk"
    view._score_texts[3][4].value = "1"
    assert session.matrix.cell("Vendor API", "Privacy risk").score == 1
    view._option_remove_buttons[2].click()  # the deep model
    view._criterion_remove_buttons[1].click()  # serving cost
    doc = ws.saved(path)["tradeoff"]
    assert [o["name"] for o in doc["options"]] == [RULES, GBT, "Vendor API"]
    assert [c["name"] for c in doc["criteria"]] == [
        "Fraud caught",
        "Team maintenance burden",
        "Time to ship",
        "Privacy risk",
    ]
    assert [t.value for t in view._option_name_texts] == [RULES, GBT, "Vendor API"]
    assert len(view._score_texts[0]) == 4


def test_ties_are_shown_as_ties(view, session):
    for j, crit in enumerate(session.matrix.criterion_names()):
        view._score_texts[0][j].value = str(int(session.matrix.cell(GBT, crit).score))
    assert "Tie for first" in view._ranking_html.value
    assert "tied 1st" in view._rank_htmls[0].value and "tied 1st" in view._rank_htmls[1].value
    assert "tie" in view._totals_view.summary.lower()


def test_a_constraint_variant_excludes_options_with_the_reason_and_flips_the_winner(
    scenario, session, view, path
):
    card = ScenarioCard(scenario, session)
    assert "Your recommendation:</b> " + GBT in view._ranking_html.value
    card._variant_checkboxes["no-ml-capacity"].value = True
    assert session.variants == ["no-ml-capacity"]
    assert "Your recommendation:</b> " + RULES in view._ranking_html.value
    assert "excluded by no-ml-capacity" in view._rank_htmls[1].value
    assert "One engineer cannot own weekly retraining" in view._rank_htmls[1].value
    assert "is excluded by no-ml-capacity" in view._totals_view.summary
    assert {e["option"] for e in ws.saved(path)["tradeoff"]["exclusions"]} == {GBT, DEEP}
    card._variant_checkboxes["no-ml-capacity"].value = False
    assert "Your recommendation:</b> " + GBT in view._ranking_html.value
    assert ws.saved(path)["tradeoff"]["exclusions"] == []


def test_a_weight_change_variant_updates_the_weight_inputs(scenario, session, view):
    ScenarioCard(scenario, session)._variant_checkboxes["two-week-deadline"].value = True
    assert view._weight_texts[3].value == "60"
    assert "Your recommendation:</b> " + RULES in view._ranking_html.value


def test_justification_is_edited_in_the_cell_editor(view, session, path):
    view._cell_option_dropdown.value = DEEP
    view._cell_criterion_dropdown.value = "Serving cost"
    assert view._cell_score_text.value == "1"
    assert view._cell_why_text.value == "A GPU fleet sized for the Black Friday peak."
    view._cell_why_text.value = "GPUs at peak cost more than the analysts"
    view._cell_score_text.value = "2"
    cell = session.matrix.cell(DEEP, "Serving cost")
    assert (cell.score, cell.why) == (2, "GPUs at peak cost more than the analysts")
    assert view._score_texts[2][1].value == "2"
    assert "GPUs at peak" in view._score_texts[2][1].tooltip
    assert {
        (s["option"], s["criterion"], s["why"]) for s in ws.saved(path)["tradeoff"]["scores"]
    } >= {(DEEP, "Serving cost", "GPUs at peak cost more than the analysts")}
    view._cell_score_text.value = "nan"
    assert "NaN" in ws.error_text(view._cell_message)
    assert session.matrix.cell(DEEP, "Serving cost").score == 2


def test_learner_text_is_escaped(view, session):
    view._option_name_texts[1].value = ws.XSS
    assert session.matrix.option_names()[1] == ws.XSS
    html = ws.all_html(view)
    assert ws.XSS not in html
    assert ws.ESCAPED_XSS in view._ranking_html.value


def test_the_reference_stays_hidden_until_the_learner_asks(view, scenario):
    secret = scenario.data["options"][0]["scores"]["Fraud caught"]["why"]
    flips = " ".join(scenario.data["recommendation"]["flips_when"].split())
    assert secret not in ws.all_html(view) and "flips when" not in ws.all_html(view).lower()
    view._reference_toggle.value = True
    shown = ws.all_html(view)
    assert secret in shown and "It flips when" in shown and flips[:40] in shown
    assert "you: " in view._reference_html.value  # the learner's score beside the reference
    view._reference_toggle.value = False
    assert secret not in ws.all_html(view)


def test_sensitivity_chart_and_robustness_are_shown(view, session):
    summary = view._sensitivity_view.summary
    assert "stays first in" in summary and "Fraud caught: weight 50" in summary
    picture = view._sensitivity_view.picture
    assert picture.startswith(b"<svg ")
    assert "src='data:image/svg+xml;base64," in view._sensitivity_view._image.value
    assert "Fraud caught" in " ".join(view._sensitivity_view.chart.texts())


def test_restores_from_the_file_in_a_new_widget(scenario, view, session, path):
    view._score_texts[2][0].value = "4"
    view._option_name_texts[2].value = "Sequence model"
    again = TradeOffMatrixWidget(scenario, ws.new_session(path, scenario))
    assert again._option_name_texts[2].value == "Sequence model"
    assert again._score_texts[2][0].value == "4"
    assert again._ranking_html.value == view._ranking_html.value


def test_an_unexpected_error_becomes_a_message_not_a_traceback(view, session, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(session.matrix, "set_score", broken)
    view._score_texts[0][0].value = "4"  # must not raise
    assert "Unexpected problem (RuntimeError: disk on fire)" in ws.error_text(view._status)


def test_every_control_has_a_description_and_a_tooltip(view):
    for control in ws.controls(view):
        assert control.description and control.tooltip, control


def test_important_controls_have_stable_css_classes(view):
    expected = {
        view._add_option_button: "staffplus-tradeoff-add-option",
        view._add_criterion_button: "staffplus-tradeoff-add-criterion",
        view._score_texts[0][0]: "staffplus-tradeoff-score",
        view._weight_texts[0]: "staffplus-tradeoff-weight",
        view._reference_toggle: "staffplus-tradeoff-reference-toggle",
        view: "staffplus-tradeoff",
    }
    for widget, cls in expected.items():
        assert cls in widget._dom_classes


def test_chart_images_keep_their_pixel_width(view):
    chart = view._totals_view
    assert f"width:{chart.chart.width}px;max-width:100%" in chart._image.value
    assert f'width="{chart.chart.width}"'.encode() in chart.picture


def test_every_chart_says_in_its_alt_text_what_its_summary_says(view, session):
    import html as H

    view._score_texts[0][0].value = "5"
    for chart in (view._totals_view, view._sensitivity_view):
        alt = re.search(r"alt='([^']*)'", chart._image.value).group(1)
        assert alt and H.unescape(alt) == chart.summary


def test_a_hostile_option_name_stays_text_in_the_alt_text(scenario, tmp_path):
    hostile = "<img src=x onerror=alert(1)>'\""
    session = ws.new_session(tmp_path / "w.json", scenario)
    view = TradeOffMatrixWidget(scenario, session)
    view._option_name_texts[0].value = hostile
    value = view._totals_view._image.value
    assert "onerror=alert" not in value.replace("onerror=alert(1)&gt;", "")
    assert "<img src=x" not in value


def test_every_grid_input_says_which_option_and_criterion_it_is(view):
    m = view._matrix
    for i, opt in enumerate(m.options):
        for j, crit in enumerate(m.criteria):
            assert view._score_texts[i][j].description == f"Score of {opt.name} on {crit.name}"
    assert [t.description for t in view._weight_texts] == [
        f"Weight of {c.name}" for c in m.criteria
    ]
    assert view._option_remove_buttons[0].tooltip == f"Remove the option {RULES}"
    # a rename renames what a screen reader hears
    view._option_name_texts[0].value = "Rules only"
    view._criterion_name_texts[0].value = "Fraud stopped"
    assert view._score_texts[0][0].description == "Score of Rules only on Fraud stopped"
    assert view._weight_texts[0].description == "Weight of Fraud stopped"
    assert view._option_remove_buttons[0].tooltip == "Remove the option Rules only"
