"""FeedbackPanel without a kernel: the answer is ws.saved, the review shows evidence and follow-ups."""

from __future__ import annotations

import pytest
from fixtures import widget_support as ws

from staffplus_widgets.feedback import review_text
from staffplus_widgets.widgets import FeedbackPanel


@pytest.fixture
def panel(scenario, session):
    return FeedbackPanel(scenario, session)


def test_the_answer_is_saved_into_the_session_and_the_file(panel, session, path):
    panel._answer_textarea.value = "  I would start with rules.  "
    assert session.answers["mock_answer"] == "I would start with rules."
    assert ws.saved(path)["answers"]["mock_answer"] == "I would start with rules."
    assert "5 words" in panel._word_count_html.value
    assert panel.value["mock_answer"] == "I would start with rules."


def test_review_shows_raised_points_with_evidence_and_missed_ones_with_follow_ups(
    panel, scenario, session
):
    answer = (
        "Every FP cost us a good customer at checkout, so we price both errors. "
        "Fraudsters adapt within days once a rule blocks them."
    )
    panel._answer_textarea.value = answer
    panel._review_button.click()
    shown = panel._review_html.value
    review = review_text(scenario, answer)
    assert f"score {review.score}/100" in shown
    assert (
        "\u201cEvery FP cost us a good customer at checkout, so we price both errors.\u201d"
        in shown
    )
    assert "Fraudsters adapt within days" in shown
    absent = [i for i in review.items if i.level == "absent"]
    assert absent and all(i.followup.replace("'", "&#x27;") in shown for i in absent)
    assert "Staff+ signals" in shown and "business 1/1" in shown
    assert "Work review for widget-fixture" in shown  # the artifacts are reviewed too
    assert panel._scorecard_view.layout.display == "flex"
    assert "business 1 unprompted, 0 prompted, 0 missed" in panel._scorecard_view.summary
    assert panel.value["review"]["answer"]["score"] == review.score


def test_the_staff_exemplar_scores_clearly_above_an_empty_answer(panel, scenario):
    panel._answer_textarea.value = scenario.data["exemplars"]["staff"]
    panel._review_button.click()
    review = review_text(scenario, scenario.data["exemplars"]["staff"])
    assert review.score >= 85
    assert f"score {review.score}/100" in panel._review_html.value
    assert "Not raised" not in panel._review_html.value


def test_the_three_levels_are_shown_apart_in_words_and_symbols_not_colour(panel, scenario):
    """Reasoned, named only and dismissed each get a symbol, a word and their evidence; a named
    point gets the nudge; the learner's words are escaped."""
    named = scenario.rubric_item("latency-budget")["examples"]["named"][0]
    answer = (
        scenario.rubric_item("error-costs")["examples"]["reasoned"][0]
        + " "
        + named
        + " "
        + scenario.rubric_item("pci-scope")["examples"]["negated"][0].rstrip(".")
        + " <img src=x onerror=alert(1)>."
    )
    panel._answer_textarea.value = answer
    panel._review_button.click()
    shown = panel._review_html.value
    review = review_text(scenario, answer)
    levels = {i.id: i.level for i in review.items}
    assert levels["error-costs"] == "reasoned" and levels["latency-budget"] == "named"
    assert levels["pci-scope"] == "dismissed"
    assert "\u2714 Reasoned (1)" in shown and "\u25d0 Named only (1)" in shown
    assert "\u2718 Dismissed (1)" in shown and "\u25cb Not raised" in shown
    assert "You named" in shown and "Say what it changes in the design" in shown
    assert "You mentioned it only to dismiss it" in shown
    assert "<img" not in shown and "&lt;img src=x onerror=alert(1)&gt;" in shown


def test_review_without_an_answer_still_reviews_the_artifacts(panel):
    panel._review_button.click()
    assert "Write an answer above" in panel._review_html.value
    assert "Trade-off matrix:" in panel._review_html.value
    assert panel._scorecard_view.layout.display == "none"


def test_an_answer_that_is_too_long_is_refused_beside_the_box(panel, session):
    panel._answer_textarea.value = "x" * 100_001
    assert "mock answer: is longer than 100000 characters" in ws.error_text(panel._answer_message)
    assert "mock_answer" not in session.answers


def test_learner_text_is_escaped_in_the_review(panel):
    panel._answer_textarea.value = f"The monthly cost is about $200k {ws.XSS}."
    panel._review_button.click()
    assert ws.XSS not in ws.all_html(panel)
    assert ws.ESCAPED_XSS in panel._review_html.value


def test_restores_the_answer_from_the_file(scenario, panel, path):
    panel._answer_textarea.value = "Ship rules first."
    again = FeedbackPanel(scenario, ws.new_session(path, scenario))
    assert again._answer_textarea.value == "Ship rules first."


def test_a_review_failure_is_a_message(panel, monkeypatch):
    import staffplus_widgets.widgets.feedback as module

    def broken(*args, **kwargs):
        raise ValueError("rubric exploded")

    monkeypatch.setattr(module, "review_work", broken)
    panel._review_button.click()
    assert "Unexpected problem (ValueError: rubric exploded)" in ws.error_text(panel._status)


def test_every_control_has_a_description_and_a_tooltip(panel):
    for control in ws.controls(panel):
        assert control.description and control.tooltip, control


def test_restored_work_shows_its_feedback_again_without_another_click(scenario, session, path):
    panel = FeedbackPanel(scenario, session)
    assert panel._review_html.value == "" and panel.value["review"] is None  # nothing to review
    answer = "Fraudsters adapt within days once a rule blocks them, so we retrain weekly."
    panel._answer_textarea.value = answer
    session.save_now()
    after_restart = FeedbackPanel(scenario, ws.new_session(path, scenario))
    expected = review_text(scenario, answer).score
    assert f"score {expected}/100" in after_restart._review_html.value
    assert after_restart._scorecard_view.layout.display == "flex"
    assert after_restart.value["review"] is not None


def test_a_review_click_reviews_the_answer_once_and_the_session_models_as_they_are(
    panel, scenario, session, monkeypatch
):
    import staffplus_widgets.feedback.review as review_module
    import staffplus_widgets.widgets.feedback as panel_module
    from staffplus_widgets import workfile
    from staffplus_widgets.feedback import review_work

    calls = []

    def counted(*args, **kwargs):
        calls.append(args[1])
        return review_text(*args, **kwargs)

    monkeypatch.setattr(panel_module, "review_text", counted)
    monkeypatch.setattr(review_module, "review_text", counted)
    monkeypatch.setattr(
        workfile, "build_models", lambda work: pytest.fail("the session's models are rebuilt")
    )
    panel._answer_textarea.value = "Every FP cost us a good customer at checkout, so we price both."
    panel._review_button.click()
    assert calls == [session.answers["mock_answer"]]
    monkeypatch.undo()
    # the same report as reviewing the saved document from scratch
    assert panel.value["review"] == review_work(scenario, session.to_work())
