"""Mock interview driven through its phases with scripted answers built from each scenario's rubric."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from fixtures.widget_support import BUILTIN_SCENARIOS

from staffplus_widgets.core.errors import StaffplusError
from staffplus_widgets.feedback.levels import assess
from staffplus_widgets.feedback.textmatch import split_sentences
from staffplus_widgets.practice.interview import (
    PHASE_IDS,
    ManualClock,
    MockInterviewSession,
    parse_answers,
    phase_budgets,
    run_headless,
)


@pytest.mark.parametrize("minutes", [12, 30, 45, 60, 61, 90, 180])
def test_budgets_add_up_to_interview_length(minutes):
    budgets = phase_budgets(minutes)
    assert sum(budgets) == minutes and len(budgets) == len(PHASE_IDS) and min(budgets) >= 1


@pytest.mark.parametrize("bad", [0, 11, 500, 45.5, "45", True])
def test_bad_lengths_rejected(bad):
    with pytest.raises(StaffplusError, match="interview length"):
        phase_budgets(bad)


def _hits(sc, item, text):
    """Is ``item`` mentioned at all (named or better) in ``text``?"""
    ev = assess(sc.rubric, split_sentences(text))[sc.rubric.index(item)]
    return ev is not None


def _plan(sc):
    """Pick: one item raised unprompted in its phase, one raised only after its follow-up, one missed."""
    items = sc.rubric
    early = next(i for i in items if i["phase"] != "wrap_up")
    later = next(
        i
        for i in items
        if i["phase"] in ("risks", "deep_dive", "wrap_up")
        and i is not early
        and not _hits(sc, i, early["examples"]["reasoned"][0])
    )
    said = early["examples"]["reasoned"][0] + "\n\n" + later["examples"]["reasoned"][0]
    missed = next(i for i in items if i not in (early, later) and not _hits(sc, i, said))
    return early, later, missed


@pytest.mark.parametrize(
    "scenario_id",
    list(BUILTIN_SCENARIOS),
)
def test_unprompted_prompted_and_missed(pack, scenario_id):
    if scenario_id not in pack.scenarios:
        pytest.fail(f"scenario {scenario_id} is missing from the pack: {pack.errors}")
    sc = pack.get(scenario_id)
    early, later, missed = _plan(sc)
    clock = ManualClock()
    s = MockInterviewSession(sc, clock=clock)
    asked_for = []
    for phase in PHASE_IDS:
        clock.advance(3)
        answer = (
            early["examples"]["reasoned"][0]
            if phase == early["phase"]
            else "Let me think about this part."
        )
        followups = s.submit_answer(answer)
        asked_for += [f.item for f in followups]
        if s.stage == "followups":
            for f in followups:
                reply = (
                    later["examples"]["reasoned"][0] if f.item == later["id"] else "I am not sure."
                )
                s.answer_followup(f.item, reply)
            s.finish_followups()
    assert s.stage == "done"
    assert s.item_status(early["id"]) == "unprompted"
    assert early["id"] not in asked_for
    assert later["id"] in asked_for, "the interviewer asks about what was not raised"
    assert s.item_status(later["id"]) == "prompted"
    assert s.item_status(missed["id"]) == "missed"
    card = s.scorecard()
    assert card["items"][early["id"]] == "unprompted" and card["items"][missed["id"]] == "missed"
    assert sum(card["counts"].values()) == len(sc.rubric)
    assert card["proactivity"] == pytest.approx(card["counts"]["unprompted"] / len(sc.rubric))
    assert all(p["used_min"] == pytest.approx(3.0) for p in card["phases"])
    cats = card["categories"]
    assert sum(v["unprompted"] + v["prompted"] + v["missed"] for v in cats.values()) == len(
        sc.rubric
    )
    json.dumps(card)  # it goes into the work file


def test_a_named_point_is_still_asked_with_a_nudge_and_counts_only_once_reasoned(fraud):
    item = fraud.rubric_item("label-delay")
    s = MockInterviewSession(fraud)
    while s.phase.id != item["phase"]:
        s.submit_answer("")
        if s.stage == "followups":
            s.finish_followups()
    followups = s.submit_answer(item["examples"]["named"][0])
    asked = {f.item: f for f in followups}
    assert item["id"] in asked, "naming a point does not spare the follow-up"
    assert asked[item["id"]].nudge and asked[item["id"]].nudge.startswith("You named")
    assert s.levels[item["id"]] == "named"
    assert s.answer_followup(item["id"], item["examples"]["reasoned"][0]) == "prompted"
    s.finish_followups()
    s.skip_to_end()
    card = s.scorecard()
    assert card["items"][item["id"]] == "prompted" and card["levels"][item["id"]] == "reasoned"
    nudged = [f for p in card["phases"] for f in p["followups"] if f["item"] == item["id"]]
    assert nudged and nudged[0]["nudge"].startswith("You named")


def test_a_dismissed_point_is_missed_and_recorded_as_dismissed(fraud):
    item = fraud.rubric_item("privacy-gdpr")
    s = MockInterviewSession(fraud)
    s.submit_answer(item["examples"]["negated"][0])
    s.skip_to_end()
    card = s.scorecard()
    assert card["items"][item["id"]] == "missed"
    assert card["levels"][item["id"]] in ("dismissed", "absent")


def test_staff_exemplar_in_first_phase_is_mostly_unprompted(fraud):
    s = MockInterviewSession(fraud)
    s.submit_answer(fraud.data["exemplars"]["staff"])
    s.skip_to_end()
    card = s.scorecard()
    assert card["counts"]["unprompted"] >= 0.75 * len(fraud.rubric)
    senior = MockInterviewSession(fraud)
    senior.submit_answer(fraud.data["exemplars"]["senior"])
    senior.skip_to_end()
    assert senior.scorecard()["proactivity"] < card["proactivity"]


def test_raised_after_its_followup_in_a_later_phase_is_prompted(fraud):
    item = next(i for i in fraud.rubric if i["phase"] == "clarify")
    s = MockInterviewSession(fraud)
    followups = s.submit_answer("Hello.")
    assert item["id"] in [f.item for f in followups]
    s.finish_followups()
    s.submit_answer(item["examples"]["raised"][0])  # said in the next phase, after being asked
    assert s.item_status(item["id"]) == "prompted"


def test_pause_stops_the_clock_and_stage_rules_hold(fraud):
    clock = ManualClock()
    s = MockInterviewSession(fraud, clock=clock)
    clock.advance(2)
    s.pause()
    clock.advance(10)
    assert s.elapsed_s() == pytest.approx(120)
    s.resume()
    clock.advance(1)
    assert s.remaining_s() == pytest.approx(s.phase.budget_min * 60 - 180)
    with pytest.raises(StaffplusError):
        s.finish_followups()
    with pytest.raises(StaffplusError):
        s.answer_followup("nope", "x")


ANSWERS = """## Clarify
{clarify}

## Requirements and metrics
We need precision and recall targets.

### follow-up
{followup}

## Options
Option one, option two.

## Deep dive
Details.

## Risks
Things.

## Wrap-up
Done.
"""


def interview_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "staffplus_widgets", "interview", *args],
        capture_output=True,
        text=True,
    )


def test_headless_cli_json(fraud, tmp_path):
    clarify_item = next(i for i in fraud.rubric if i["phase"] == "clarify")
    req_item = next((i for i in fraud.rubric if i["phase"] == "requirements"), None)
    text = ANSWERS.format(
        clarify=clarify_item["examples"]["raised"][0],
        followup=req_item["examples"]["raised"][0] if req_item else "n/a",
    )
    path = tmp_path / "answers.md"
    path.write_text(text)
    proc = interview_cli("--scenario", "payments-fraud", "--answers", str(path), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    card = json.loads(proc.stdout)
    assert card["items"][clarify_item["id"]] == "unprompted"
    if req_item:
        assert card["items"][req_item["id"]] in ("prompted", "unprompted")
    assert sum(p["budget_min"] for p in card["phases"]) == 45
    text_out = interview_cli("--scenario", "payments-fraud", "--answers", str(path))
    assert text_out.returncode == 0 and "proactivity" in text_out.stdout


@pytest.mark.parametrize(
    "content, message",
    [
        ("no headings at all", "no '## <phase>' headings"),
        ("## Lunch\nsandwich", "unknown phase heading"),
        ("## Clarify\na\n## Clarify\nb", "phase appears twice"),
        ("## Clarify\na\n### notes\nb", "sub-headings"),
    ],
)
def test_bad_answer_files(content, message):
    with pytest.raises(StaffplusError, match=message):
        parse_answers(content)


def test_bad_answer_file_cli_exit_1(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("## Lunch\n")
    proc = interview_cli("--scenario", "payments-fraud", "--answers", str(path))
    assert (
        proc.returncode == 1
        and "unknown phase heading" in proc.stderr
        and "Traceback" not in proc.stderr
    )


def test_followup_for_unknown_item_rejected(fraud):
    with pytest.raises(StaffplusError, match="not in payments-fraud"):
        run_headless(fraud, parse_answers("## Clarify\nx\n### follow-up: no-such-item\ny"))
