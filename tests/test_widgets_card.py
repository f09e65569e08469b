"""ScenarioCard without a kernel: reveals, variant toggles, escaping, restore."""

from __future__ import annotations

import copy

from fixtures.widget_support import (
    ESCAPED_XSS,
    XSS,
    all_html,
    controls,
    new_session,
    saved,
)

from staffplus_widgets.data.scenario import Scenario
from staffplus_widgets.widgets import ScenarioCard


def test_shows_prompt_context_and_constraints(scenario, session):
    card = ScenarioCard(scenario, session)
    text = all_html(card)
    html = card._scenario_html.value

    def part(name: str) -> str:
        """The HTML of one part of the scenario (each part is a div with its own class)."""
        return html.split(f"class='staffplus-card-{name}'>", 1)[1].split("</div>", 1)[0]

    assert "We sell outdoor gear online" in part("prompt")
    assert "2M card payments a month" in part("context")
    for key in ("Latency budget", "Team", "Infrastructure", "Regulation", "Budget"):
        assert f">{key}</th>" in part("constraints")
    assert "What does a false decline cost" in text


def test_answers_stay_hidden_until_revealed(scenario, session):
    card = ScenarioCard(scenario, session)
    answer = scenario.data["clarifying_questions"][1]["answer"]
    assert answer not in all_html(card)
    card._question_toggles[1].value = True
    assert answer in card._answer_htmls[1].value
    assert "How it changes the design" in card._answer_htmls[1].value
    assert card.value["revealed"] == [1]
    assert card._question_toggles[1].description == "Hide answer"
    card._question_toggles[1].value = False
    assert answer not in all_html(card)


def test_a_hint_comes_before_the_answer_and_gives_nothing_of_it_away(scenario, session):
    card = ScenarioCard(scenario, session)
    q = scenario.data["clarifying_questions"][1]
    assert q["hint"] not in all_html(card)
    card._hint_toggles[1].value = True
    shown = card._answer_htmls[1].value
    assert q["hint"] in shown and q["answer"] not in shown
    assert card._hint_toggles[1].description == "Hide hint"
    assert card.value["hinted"] == [1] and card.value["revealed"] == []
    card._question_toggles[1].value = True  # the answer joins the hint
    shown = card._answer_htmls[1].value
    assert shown.index(q["hint"]) < shown.index(q["answer"])
    card._hint_toggles[1].value = False
    assert q["hint"] not in card._answer_htmls[1].value
    assert q["answer"] in card._answer_htmls[1].value
    # a question without a hint offers none
    assert card._hint_toggles[0].disabled and not card._hint_toggles[1].disabled


def test_turning_a_variant_on_excludes_options_with_reasons_and_saves(scenario, session, path):
    card = ScenarioCard(scenario, session)
    card._variant_checkboxes["no-ml-capacity"].value = True
    assert session.variants == ["no-ml-capacity"]
    reasons = {e.option: e.reason for e in session.matrix.exclusions}
    assert reasons["Deep sequence model on GPUs"] == "There are no GPUs and nobody to run them."
    assert saved(path)["variants"] == ["no-ml-capacity"]
    assert "Active." in card._variant_effects["no-ml-capacity"].value
    assert card.value["variants"] == ["no-ml-capacity"]
    card._variant_checkboxes["no-ml-capacity"].value = False
    assert session.variants == [] and session.matrix.exclusions == []
    assert saved(path)["variants"] == []


def test_the_effect_of_a_variant_is_spelled_out_but_not_its_answer(scenario, session):
    card = ScenarioCard(scenario, session)
    effect = card._variant_effects["two-week-deadline"].value
    assert "sets the weight of <b>Time to ship</b> to 60" in effect
    variant = scenario.variant("two-week-deadline")
    assert variant["reason"] not in all_html(card)


def test_variants_are_restored_in_a_new_card(scenario, session, path):
    ScenarioCard(scenario, session)._variant_checkboxes["two-week-deadline"].value = True
    again = ScenarioCard(scenario, new_session(path, scenario))
    assert again._variant_checkboxes["two-week-deadline"].value is True
    assert again._variant_checkboxes["no-ml-capacity"].value is False


def test_a_variant_turned_on_elsewhere_ticks_the_box(scenario, session):
    card = ScenarioCard(scenario, session)
    session.set_variant("no-ml-capacity", True)
    assert card._variant_checkboxes["no-ml-capacity"].value is True


def test_a_failing_variant_unticks_and_says_why(scenario, session, monkeypatch):
    card = ScenarioCard(scenario, session)

    def broken(variant_id, active):
        raise RuntimeError("boom")

    monkeypatch.setattr(session, "set_variant", broken)
    card._variant_checkboxes["no-ml-capacity"].value = True
    assert card._variant_checkboxes["no-ml-capacity"].value is False
    assert "Unexpected problem (RuntimeError: boom)" in card._status.value


def test_scenario_text_is_escaped(scenario, path):
    data = copy.deepcopy(scenario.data)
    data["prompt"] = XSS
    data["clarifying_questions"][0]["answer"] = XSS
    data["constraint_variants"][0]["excludes"][0]["reason"] = XSS
    hostile = Scenario(data, "memory")
    card = ScenarioCard(hostile, new_session(path, hostile))
    card._question_toggles[0].value = True
    text = all_html(card)
    assert XSS not in text
    assert text.count(ESCAPED_XSS) == 3


def test_every_control_has_a_description_and_a_tooltip(scenario, session):
    for control in controls(ScenarioCard(scenario, session)):
        assert control.description and control.tooltip, control
