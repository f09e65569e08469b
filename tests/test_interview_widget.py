"""MockInterview and drill widgets, driven without a kernel: set values, click, read the model and the file."""

from __future__ import annotations

import json

import pytest

from staffplus_widgets.core.wording import when
from staffplus_widgets.data.scenario import item_label
from staffplus_widgets.widgets._common import esc
from staffplus_widgets.widgets.drills import JudgmentDrill, RewriteDrill, RiskSpottingDrill
from staffplus_widgets.widgets.interview import MockInterview

XSS = "<img src=x onerror=alert(1)>"


def test_mock_interview_full_run_saves_attempt_and_history(fraud, tmp_path):
    path = tmp_path / "w.json"
    mi = MockInterview("payments-fraud", path=path, deterministic=True, autosave_delay=0)
    clarify_item = next(i for i in fraud.rubric if i["phase"] == "clarify")
    assert "Phase 1 of 6" in mi._title.value
    mi._answer.value = clarify_item["examples"]["raised"][0] + " " + XSS
    mi.advance_clock(7)  # 5-minute budget: over
    mi._submit_button.click()
    # later phases: empty answers, answer follow-ups with nothing, move on
    while mi.interview.stage != "done":
        if mi.interview.stage == "followups":
            assert mi._followup_box.children, "follow-up questions are shown"
            mi._continue_button.click()
        else:
            mi._submit_button.click()
    card = mi.value
    assert card["items"][clarify_item["id"]] == "unprompted"
    assert card["phases"][0]["used_min"] == pytest.approx(7.0)
    assert "over" in mi._scorecard.value
    assert (
        XSS not in mi._scorecard.value
        and "&lt;img src=x onerror=alert(1)&gt;" in mi._scorecard.value
    )
    assert (
        "Senior-level answer" in mi._scorecard.value
        and "Staff+-level answer" in mi._scorecard.value
    )
    saved = json.loads(path.read_text())
    assert (
        len(saved["interviews"]) == 1
        and saved["interviews"][0]["items"][clarify_item["id"]] == "unprompted"
    )
    # a rerun (new widget on the same file) shows the history of attempts
    again = MockInterview("payments-fraud", path=path, deterministic=True, autosave_delay=0)
    assert "Your attempts" in again._history.value
    finished = json.loads(path.read_text())["interviews"][0]["finished"]
    assert finished not in again._history.value and when(finished) in again._history.value
    again._end_button.click()
    assert len(json.loads(path.read_text())["interviews"]) == 2
    assert "Proactivity from your first to your latest attempt" in again._history.value


def test_followup_answer_makes_item_prompted(fraud, tmp_path):
    mi = MockInterview(
        "payments-fraud", path=tmp_path / "w.json", deterministic=True, autosave_delay=0
    )
    item = next(i for i in fraud.rubric if i["phase"] == "clarify")
    mi._answer.value = "I would start with the model."
    mi._submit_button.click()
    assert mi.interview.stage == "followups"
    mi._followup_answers[item["id"]].value = item["examples"]["raised"][0]
    mi._continue_button.click()
    assert mi.interview.item_status(item["id"]) == "prompted"


def test_pause_button_and_clock_text(tmp_path):
    mi = MockInterview(
        "payments-fraud", path=tmp_path / "w.json", deterministic=True, autosave_delay=0
    )
    mi.advance_clock(1)
    assert "04:00" in mi._clock_label.value
    mi._pause_button.click()
    assert "paused" in mi._clock_label.value and mi._pause_button.description == "Resume"
    mi.advance_clock(3)
    mi._pause_button.click()
    assert "04:00" in mi._clock_label.value
    mi.advance_clock(6)
    assert "-02:00" in mi._clock_label.value  # over budget shows negative time


def test_judgment_drill_scores_and_persists(pack, tmp_path):
    path = tmp_path / "drills.json"
    drill = JudgmentDrill(path=path)
    assert len(drill.statements) >= 24 or len(pack.scenarios) < 8
    for toggle, st in zip(drill._choices, drill.statements):
        toggle.value = st.kind
    drill._choices[0].value = "judgment" if drill.statements[0].kind == "recall" else "recall"
    drill._submit_button.click()
    total = len(drill.statements)
    assert f"Score: {total - 1} / {total}" in drill._result.value
    assert "it is <b>" in drill._result.value
    again = JudgmentDrill(path=path)
    assert again.value == drill.value


def test_drill_answers_stay_on_their_statements_when_scenarios_are_added(tmp_path):
    # a drills.json from the eight-scenario drill keyed answers by place: 4 was content-moderation's
    # first statement, 31 video-recommendations' last; 40 was never a statement
    path = tmp_path / "drills.json"
    path.write_text(
        json.dumps({"judgment": {"answers": {"4": "recall", "31": "judgment", "40": "recall"}}})
    )
    drill = JudgmentDrill(path=path)
    answered = {drill.statements[i].key: v for i, v in drill.value.items()}
    assert answered == {"content-moderation:0": "recall", "video-recommendations:3": "judgment"}
    first = next(i for i, st in enumerate(drill.statements) if st.scenario == "ride-eta")
    drill._choices[first].value = "recall"
    saved = json.loads(path.read_text())["judgment"]["answers"]
    assert saved == {**answered, "ride-eta:0": "recall"}
    assert JudgmentDrill(path=path).value == drill.value


def test_judgment_drill_scores_only_what_was_answered_and_reveals_only_those(tmp_path):
    drill = JudgmentDrill(path=tmp_path / "drills.json")
    for toggle, st in list(zip(drill._choices, drill.statements))[:6]:
        toggle.value = "judgment" if st.kind == "recall" else "recall"  # six answers, all wrong
    drill._submit_button.click()
    left = len(drill.statements) - 6
    assert f"Score: 0 / 6</b> answered; {left} not answered yet" in drill._result.value
    assert drill._result.value.count("<li>") == 6  # the unanswered ones stay hidden
    for st in drill.statements[6:]:
        assert st.explanation not in drill._result.value or not st.explanation
    result = drill.submit()
    assert (result["score"], result["answered"], result["total"]) == (0, 6, len(drill.statements))


def test_judgment_drill_with_no_answers_asks_for_one(tmp_path):
    drill = JudgmentDrill(path=tmp_path / "drills.json")
    drill._submit_button.click()
    assert "Classify at least one statement" in drill._result.value


def test_judgment_drill_corrupt_file_moved_aside(tmp_path):
    path = tmp_path / "drills.json"
    path.write_text("{oops")
    drill = JudgmentDrill(path=path)
    assert "moved to" in drill.notice and not path.exists()
    assert list(tmp_path.glob("drills.corrupt-*.json"))


def test_rewrite_drill_shows_added_signals(fraud, tmp_path):
    d = RewriteDrill("payments-fraud", path=tmp_path / "w.json", autosave_delay=0)
    d._rewrite.value = fraud.data["exemplars"]["staff"]
    d._check_button.click()
    assert "Signals your rewrite added" in d._result.value
    saved = json.loads((tmp_path / "w.json").read_text())
    assert saved["drills"]["rewrite"]["score_after"] > saved["drills"]["rewrite"]["score_before"]


def test_risk_spotting_drill_timed_and_reveals_reference(fraud, tmp_path):
    t = [100.0]
    d = RiskSpottingDrill(
        "payments-fraud", path=tmp_path / "w.json", autosave_delay=0, clock=lambda: t[0], limit_s=60
    )
    d._done_button.click()  # disabled in the UI; clicking programmatically still must not crash
    d._start_button.click()
    item = fraud.rubric[0]
    d._text.value = item["examples"]["raised"][0] + "\n" + XSS
    t[0] += 90
    d._done_button.click()
    assert "over time" in d._result.value and f"Found 1 of {len(fraud.rubric)}" in d._result.value
    assert XSS not in d._result.value
    saved = json.loads((tmp_path / "w.json").read_text())
    assert saved["drills"]["risk_spotting"][0]["found"] == [item["id"]]


def test_answer_box_saves_and_checks_one_phase(fraud, tmp_path):
    from staffplus_widgets.practice.session import WorkSession
    from staffplus_widgets.widgets import AnswerBox

    session = WorkSession(fraud, tmp_path / "w.json", autosave_delay=0)
    box = AnswerBox(session, "clarifying", phase="clarify")
    clarify = [i for i in fraud.rubric if i["phase"] == "clarify"]
    box.value = clarify[0]["examples"]["raised"][0] + "\n" + XSS
    box._check_button.click()
    import re

    covered = re.search(r"You covered (\d+) of (\d+) key points", box._result.value)
    assert covered and int(covered.group(1)) >= 1 and int(covered.group(2)) == len(clarify)
    assert XSS not in box._result.value
    assert json.loads((tmp_path / "w.json").read_text())["answers"]["clarifying"] == box.value
    again = AnswerBox(WorkSession(fraud, tmp_path / "w.json", autosave_delay=0), "clarifying")
    assert again.value == box.value


def test_export_bar_gives_work_and_report_downloads(fraud, tmp_path):
    import base64
    import re

    from staffplus_widgets.practice.session import WorkSession
    from staffplus_widgets.widgets import ExportBar

    session = WorkSession(fraud, tmp_path / "w.json", autosave_delay=0)
    session.fill_reference()
    session.register.add(title=XSS, category="security", likelihood=2, impact=5)
    bar = ExportBar(session)
    bar._work_button.click()
    m = re.search(r"href='data:application/json;base64,([^']+)'", bar._links.value)
    assert m and json.loads(base64.b64decode(m.group(1)))["scenario"] == "payments-fraud"
    bar._report_button.click()
    m = re.search(r"href='data:text/html;base64,([^']+)'", bar._links.value)
    page = base64.b64decode(m.group(1)).decode()
    assert (
        "<script" not in page and XSS not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    )
    assert (tmp_path / "w.report.html").read_text() == page


def test_the_wall_clock_waits_for_start(tmp_path):
    iv = MockInterview("payments-fraud", path=tmp_path / "w.json", autosave_delay=0)
    try:
        assert iv._pause_button.description == "Start" and iv.interview.paused
        assert "starts when you press" in iv._clock_label.value
        iv._pause_button.click()
        assert not iv.interview.paused and "left of" in iv._clock_label.value
        assert iv._pause_button.description == "Pause"
        iv._restart_button.click()  # a new attempt waits again
        assert iv._pause_button.description == "Start" and iv.interview.paused
        iv._answer.value = "Clarify first: latency, volume, who eats a missed fraud."
        iv._submit_button.click()  # answering before Start starts the clock
        assert not iv.interview.paused
        assert iv.interview.stage == "followups" or iv.interview.index == 1
    finally:
        iv.close()


def test_the_clarify_check_counts_every_question_on_the_card(fraud, tmp_path):
    from staffplus_widgets.feedback.questions import asked_questions
    from staffplus_widgets.practice.session import WorkSession
    from staffplus_widgets.widgets import AnswerBox

    asked = (
        "What does a false decline cost us next to a missed fraud, and who pays the chargeback?\n"
        "How long until we learn an order was fraud, and do blocked orders ever get a label?\n"
        "How close are we to Visa's dispute thresholds?"
    )
    got = [a.sentence is not None for a in asked_questions(fraud, asked)]
    assert got == [False, True, True, True, False, False]
    # a list of the same topics asks nothing, and neither does a one-word question
    topics = "costs, chargebacks, label delay, dispute thresholds, GPUs, EU cards. What budget?"
    assert not any(a.sentence for a in asked_questions(fraud, topics))
    box = AnswerBox(WorkSession(fraud, tmp_path / "w.json", autosave_delay=0), "q", phase="clarify")
    box.value = asked + "\n" + XSS
    box._check_button.click()
    assert "You asked 3 of the card's 6 questions" in box._result.value
    assert "Not asked yet: What latency budget" in box._result.value
    assert XSS not in box._result.value


def test_the_scorecard_says_why_and_what_the_points_raised_only_after_a_follow_up_cost(
    fraud, tmp_path
):
    mi = MockInterview("payments-fraud", path=tmp_path / "w.json", deterministic=True)
    answered = None
    while mi.interview.stage != "done":
        if mi.interview.stage == "followups":
            if answered is None:  # answer the first follow-up well, after being asked
                answered, box = next(iter(mi._followup_answers.items()))
                item = next(i for i in fraud.rubric if i["id"] == answered)
                box.value = item["examples"]["raised"][0]
            mi._continue_button.click()
        else:
            mi._submit_button.click()
    card = mi.value
    assert card["score"] == 0 and card["items"][answered] == "prompted"
    why = mi._scorecard.value.split("Why this score:")[1].split("</p>")[0]
    assert "only what you said before the interviewer asked" in why
    assert "1 point only after a follow-up" in why and esc(item_label(item["point"])) in why
    assert "earn nothing here" in why
