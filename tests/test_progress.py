"""The progress profile: attempts kept in the work file, the profile numbers and the recommendation
over generated histories (several learners, scenarios and attempts), empty, single-attempt and hostile
folders, the terminal/JSON/HTML forms, the widget and the room's view in the debrief."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

import pytest
from fixtures import widget_support as ws
from hypothesis import given, settings
from hypothesis import strategies as st

from staffplus_widgets import workfile
from staffplus_widgets.authoring.demo import demo_history
from staffplus_widgets.cli import main
from staffplus_widgets.core.categories import CATEGORY_IDS
from staffplus_widgets.documents import progress as doc
from staffplus_widgets.practice import attempts
from staffplus_widgets.practice import progress as pr
from staffplus_widgets.practice.drills import judgment_statements

XSS = "<img src=x onerror=alert(1)>"


# -- building histories ----------------------------------------------------------------------------
def attempt(sc, kind, when, level_of, raised_of=None):
    """An attempt on scenario ``sc`` where each item's level is ``level_of(item)``."""
    items = {}
    for item in sc.rubric:
        verdict = {"category": item["category"], "phase": item["phase"], "level": level_of(item)}
        if kind == "interview":
            verdict["raised"] = (raised_of or (lambda i: "missed"))(item)
        items[item["id"]] = verdict
    return {"kind": kind, "time": when, "scenario": sc.id, "score": 50, "items": items}


def write(folder: Path, sid: str, records: list[dict], learner: str = "ann") -> Path:
    work = workfile.new_work(sid, learner)
    work["attempts"] = records
    return workfile.save(workfile.work_path(sid, learner, folder), work)


def only(category, level, other="reasoned"):
    return lambda item: level if item["category"] == category else other


# -- the work file and the session -------------------------------------------------------------------
def test_the_session_keeps_the_latest_attempts_and_merges_two_writers(tmp_path, scenario):
    path = tmp_path / "w.json"
    one = ws.new_session(path, scenario, autosave_delay=0)
    two = ws.new_session(path, scenario, autosave_delay=0)
    a = attempt(scenario, "review", "2026-11-02T09:00:00Z", lambda i: "named")
    b = attempt(scenario, "review", "2026-11-02T10:00:00Z", lambda i: "reasoned")
    one.record_attempt(a)
    two.record_attempt(b)  # the other notebook added one too: both are kept, oldest first
    assert [r["time"] for r in ws.saved(path)["attempts"]] == [a["time"], b["time"]]
    assert not two.conflicts
    many = ws.new_session(tmp_path / "many.json", scenario, autosave_delay=0)
    many.attempts = [dict(a, time=f"2026-{n:05d}") for n in range(attempts.MAX_KEPT)]
    many.record_attempt(b)
    kept = ws.saved(tmp_path / "many.json")["attempts"]
    assert len(kept) == attempts.MAX_KEPT and kept[-1] == b and kept[0]["time"] == "2026-00001"
    assert f"Only your latest {attempts.MAX_KEPT} reviews" in many.notice and not one.notice


def test_a_review_click_is_an_attempt_and_restored_work_is_not(scenario, session, path):
    from staffplus_widgets.feedback import review_text
    from staffplus_widgets.widgets import FeedbackPanel

    panel = FeedbackPanel(scenario, session)
    answer = "Every FP cost us a good customer at checkout, so we price both errors."
    panel._answer_textarea.value = answer
    panel._review_button.click()
    saved = ws.saved(path)["attempts"]
    review = review_text(scenario, answer)
    assert len(saved) == 1 and saved[0]["kind"] == "review" and saved[0]["score"] == review.score
    assert {k: v["level"] for k, v in saved[0]["items"].items()} == review.levels()
    FeedbackPanel(scenario, ws.new_session(path, scenario, autosave_delay=0))  # shows it again
    assert len(ws.saved(path)["attempts"]) == 1


def test_a_finished_mock_interview_is_an_attempt_with_how_each_item_was_raised(fraud, tmp_path):
    from staffplus_widgets.widgets.interview import MockInterview

    path = tmp_path / "w.json"
    mi = MockInterview("payments-fraud", path=path, deterministic=True, autosave_delay=0)
    item = next(i for i in fraud.rubric if i["phase"] == "clarify")
    mi._answer.value = item["examples"]["reasoned"][0]
    mi._submit_button.click()
    mi._end_button.click()
    saved = ws.saved(path)
    (record,) = saved["attempts"]
    card = saved["interviews"][-1]
    assert record["kind"] == "interview" and record["time"] == card["finished"]
    assert {k: v["raised"] for k, v in record["items"].items()} == card["items"]
    assert {k: v["level"] for k, v in record["items"].items()} == card["levels"]
    assert record["items"][item["id"]]["category"] == item["category"]


# -- the profile numbers -------------------------------------------------------------------------------
def test_profile_numbers_come_from_the_latest_attempt_per_scenario(tmp_path, pack):
    fraud, credit = pack.get("payments-fraud"), pack.get("credit-risk")
    write(tmp_path, fraud.id, [
        attempt(fraud, "review", "2026-11-02T09:00:00Z", lambda i: "absent"),
        attempt(fraud, "review", "2026-11-03T09:00:00Z", only("privacy", "named")),
    ])  # fmt: skip
    write(tmp_path, credit.id, [
        attempt(credit, "interview", "2026-11-02T12:00:00Z", only("privacy", "dismissed"),
                lambda i: "prompted" if i["category"] == "legal" else "unprompted"),
    ])  # fmt: skip
    data = pr.progress(tmp_path, pack).to_json()
    assert data["attempts"] == {
        "total": 3, "reviews": 2, "interviews": 1, "scenarios": ["credit-risk", "payments-fraud"],
        "first": "2026-11-02T09:00:00Z", "latest": "2026-11-03T09:00:00Z",
    }  # fmt: skip
    cats = {c["id"]: c for c in data["categories"]}
    rubric = fraud.rubric + credit.rubric

    def n(cat, sc=None):
        return sum(1 for i in (sc.rubric if sc else rubric) if i["category"] == cat)

    privacy = cats["privacy"]
    assert privacy["counts"] == {"reasoned": 0, "named": n("privacy", fraud),
                                 "dismissed": n("privacy", credit), "absent": 0}  # fmt: skip
    assert privacy["shares"]["named"] == round(n("privacy", fraud) / n("privacy"), 4)
    assert cats["data"]["shares"] == {
        "reasoned": 1.0,
        "named": 0.0,
        "dismissed": 0.0,
        "missed": 0.0,
    }
    # interviews: only credit-risk's; legal raised after the follow-up
    assert cats["legal"]["interview"]["counts"] == {
        "unprompted": 0, "prompted": n("legal", credit), "missed": 0}  # fmt: skip
    if n("data", credit):
        assert cats["data"]["interview"]["shares"]["unprompted"] == 1.0
    # the trend: fraud went from nothing reasoned to everything but privacy
    trend = {t["category"]: t for t in data["trend"]}
    assert [p["reasoned"] for p in trend["data"]["points"]] == [0.0, 1.0, 1.0]
    assert [p["rolling"] for p in trend["data"]["points"]] == [0.0, 0.5, 0.6667]
    assert trend["data"]["first"] == 0.0 and trend["data"]["latest"] == 0.6667  # the recent level
    assert [p["attempt"] for p in trend["data"]["points"]] == [1, 2, 3]
    assert trend["privacy"]["latest"] == 0.0 and trend["privacy"]["change"] == 0.0
    # habits: privacy named and dismissed, legal only after a follow-up
    texts = [h["text"] for h in data["habits"]]
    assert f"You name privacy but rarely say what it changes ({n('privacy', fraud)} of " \
           f"{n('privacy')} items)." in texts  # fmt: skip
    assert any(t.startswith("You wave privacy away") for t in texts)
    assert any(t.startswith("In interviews you reason about legal only after") for t in texts)
    counts = [h["count"] for h in data["habits"]]
    assert counts == sorted(counts, reverse=True)
    assert data["weakest"][0] == "privacy"


def test_the_recommendation_exercises_the_weakest_categories_most(tmp_path, pack):
    folder = demo_history(tmp_path, scenarios=5, attempts_each=6, seed=3)
    profile = pr.progress(folder, pack, {"ads-ctr": "04_ads_ctr.ipynb"})
    data = profile.to_json()
    weak = data["weakest"]
    assert len(weak) == pr.WEAKEST and set(weak) <= set(CATEGORY_IDS)
    shares = {c["id"]: c["shares"]["reasoned"] for c in data["categories"]}
    others = [s for c, s in shares.items() if c not in weak]
    assert all(shares[c] <= min(others) for c in weak if c in shares)
    r = data["recommendation"]

    def weak_items(sid):
        return sum(1 for i in pack.get(sid).rubric if i["category"] in weak)

    best = max(weak_items(s) for s in pack.scenarios)
    assert weak_items(r["scenario"]) == best == len(r["items"])
    tied = sorted(s for s in pack.scenarios if weak_items(s) == best)
    tries = {s: sum(1 for a in profile.attempts if a.scenario == s) for s in tied}
    assert tries[r["scenario"]] == min(tries.values())
    phases = [i["phase"] for i in pack.get(r["scenario"]).rubric if i["category"] in weak]
    assert phases.count(r["phase"]) == max(phases.count(p) for p in phases)
    assert [d["statement"] for d in r["drills"]] == [
        s.statement for s in judgment_statements(pack) if s.scenario == r["scenario"]
    ]
    assert r["workbook"] == ({"ads-ctr": "04_ads_ctr.ipynb"}).get(r["scenario"])


def test_several_learners_each_get_their_own_profile_and_the_demo_improves(tmp_path, pack):
    profiles = [
        pr.progress(demo_history(tmp_path / f"l{n}", 4, 8, seed=n, learner=f"l{n}"), pack).to_json()
        for n in range(3)
    ]
    assert all(p["attempts"]["total"] == 32 for p in profiles)
    assert len({json.dumps(p["categories"]) for p in profiles}) == 3  # learners differ
    for p in profiles:  # the generated learner practises: more reasoned at the end than the start
        early = [q["reasoned"] for t in p["trend"] for q in t["points"] if q["attempt"] <= 8]
        late = [q["reasoned"] for t in p["trend"] for q in t["points"] if q["attempt"] > 24]
        assert sum(late) / len(late) > sum(early) / len(early)
    again = pr.progress(demo_history(tmp_path / "again", 4, 8, seed=0, learner="l0"), pack)
    assert again.to_json()["categories"] == profiles[0]["categories"]  # deterministic


def test_an_empty_folder_has_an_empty_profile_and_still_a_place_to_start(tmp_path, pack):
    data = pr.progress(tmp_path, pack).to_json()
    assert data["files"] == {"seen": 0, "read": 0, "rejected": 0}
    assert data["categories"] == [] and data["trend"] == [] and data["habits"] == []
    assert data["weakest"] == list(CATEGORY_IDS[: pr.WEAKEST])
    assert data["recommendation"]["scenario"] in pack.scenarios
    assert "No attempts yet" in doc.profile_summary(data["categories"])
    assert "none yet" in doc.progress_text(data)
    page = doc.render_html(data)
    assert "<script" not in page and page.count("<img") == 3


def test_a_single_attempt_is_its_own_first_and_latest(tmp_path, pack, fraud):
    write(tmp_path, fraud.id, [attempt(fraud, "review", "2026-11-02T09:00:00Z", lambda i: "named")])
    data = pr.progress(tmp_path, pack).to_json()
    assert data["attempts"]["total"] == 1
    assert all(t["first"] == t["latest"] == 0.0 and t["change"] == 0 for t in data["trend"])
    assert all(c["interview"] is None for c in data["categories"])
    assert {h["habit"] for h in data["habits"]} == {"named"}
    assert doc.unprompted_summary(data["categories"]) == "No mock interviews yet."


def test_a_hostile_folder_lists_bad_files_and_counts_the_good_ones(tmp_path, pack, fraud):
    good = attempt(fraud, "review", "2026-11-02T09:00:00Z", lambda i: "reasoned")
    write(tmp_path, fraud.id, [good], learner=XSS)
    (tmp_path / "notjson.json").write_text("{oops")
    (tmp_path / f"{XSS}.json").write_text("[1, 2]")
    (tmp_path / "other-format.json").write_text(json.dumps({"format": "x", "version": 1}))
    (tmp_path / "huge.json").write_bytes(b" " * (workfile.MAX_BYTES + 1))
    (tmp_path / "bad-attempt.json").write_text(json.dumps(
        {"format": "staffplus-work", "version": 3, "scenario": "x",
         "attempts": [{"kind": "review", "time": XSS, "scenario": "x", "items": {XSS: {}}}]}))  # fmt: skip
    os.symlink(tmp_path / "notjson.json", tmp_path / "link.json")
    with open(os.path.join(os.fsencode(tmp_path), b"latin\xff\n.json"), "wb") as f:
        f.write(b"\xff")  # a name and content that are not UTF-8
    # copies kept beside a work file, and the same work downloaded again: counted once
    (tmp_path / "payments-fraud.corrupt-20261102-090000.json").write_text("{")
    (tmp_path / "payments-fraud--ann.conflict-20261102-090000-2.json").write_text("{")
    write(tmp_path, "credit-risk", [], learner="J. Smith")  # a dot in the name is no copy
    download = json.loads(workfile.dumps(workfile.new_work(fraud.id, "ann")))
    download["attempts"] = [good]
    (tmp_path / "payments-fraud (1).json").write_text(json.dumps(download))
    data = pr.progress(tmp_path, pack).to_json()
    rejected = {r["file"]: r["reason"] for r in data["rejected"]}
    assert set(rejected) == {"notjson.json", f"{XSS}.json", "other-format.json", "huge.json",
                             "bad-attempt.json", "link.json", "latin\\udcff\\n.json"}  # fmt: skip
    assert "not valid JSON" in rejected["notjson.json"] and "larger than" in rejected["huge.json"]
    assert all(str(tmp_path) not in r and "\n" not in r for r in rejected.values())
    assert data["files"]["read"] == 3 and data["attempts"]["total"] == 1
    assert "credit-risk--J.-Smith.json" in pr.read_history(tmp_path).files
    json.dumps(data, ensure_ascii=False).encode("utf-8")  # prints as staffplus progress does
    assert data["learners"] == sorted([XSS, "ann", "J. Smith"])  # the names, said and escaped
    assert "3 learners, counted together" in doc.overview(data)
    page = doc.render_html(data)
    assert XSS not in page and html.escape(XSS, quote=True) in page
    assert "<script" not in page
    from staffplus_widgets.widgets.progress import ProgressView

    view = ProgressView(tmp_path, pack=pack)
    assert XSS not in ws.all_html(view) and "&lt;img src=x" in ws.all_html(view)


def test_a_missing_folder_is_one_clear_error(tmp_path, pack):
    with pytest.raises(pr.StaffplusError, match="cannot be listed"):
        pr.progress(tmp_path / "nope", pack)


# -- the forms: terminal, JSON, page, widget, charts -----------------------------------------------------
def test_cli_progress_text_json_html_and_exit_codes(tmp_path, capsys, pack):
    folder = demo_history(tmp_path / "work", 3, 4)
    (folder / "broken.json").write_text("{")
    assert main(["progress", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert "Habits missed most:" in out and "Weakest categories:" in out
    assert "not used: broken.json: is not valid JSON" in err
    assert main(["progress", str(folder), "--format", "json", "--workbooks", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == json.loads(json.dumps(pr.progress(folder, pack).to_json()))
    assert set(data) == {"format", "version", "directory", "files", "rejected", "learners", "attempts",
                         "categories", "trend", "habits", "weakest", "recommendation"}  # fmt: skip
    page = tmp_path / "progress.html"
    assert main(["progress", str(folder), "--out", str(page)]) == 0
    text = page.read_text()
    assert "<script" not in text and text.count("<img") == 3 and 'alt="' in text
    assert main(["progress", str(tmp_path / "missing")]) == 1
    assert "is not a folder" in capsys.readouterr().err
    assert main(["progress", str(folder), "--out", str(tmp_path / "p.txt")]) == 1
    assert main(["progress", str(folder), "--format", "yaml"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err


def test_cli_review_record_keeps_the_review_as_an_attempt(tmp_path, capsys, fraud):
    work = workfile.new_work(fraud.id, "ann")
    work["answers"] = {"mock_answer": fraud.data["exemplars"]["staff"]}
    path = workfile.save(tmp_path / "payments-fraud.json", work)
    assert main(["review", str(path)]) == 0
    assert workfile.read(path)["attempts"] == []  # review stays read-only without --record
    assert main(["review", str(path), "--record"]) == 0
    (record,) = workfile.read(path)["attempts"]
    assert record["kind"] == "review" and set(record["items"]) == {i["id"] for i in fraud.rubric}
    capsys.readouterr()


def test_the_widget_shows_the_profile_charts_and_a_link_to_the_next_workbook(tmp_path, pack):
    folder = demo_history(tmp_path, 3, 4)
    view = ProgressViewFor(folder, pack)
    data = view.value
    assert data == pr.progress(folder, pack, {"ads-ctr": "04_ads_ctr.ipynb"}).to_json()
    for key in ("profile", "trend", "unprompted"):
        assert "<img" in view._images[key].value and view.summary(key)
        assert html.escape(view.summary(key), quote=True) in view._images[key].value  # alt text
    figures = view.figures()
    assert set(figures) == {"profile", "trend", "unprompted"}
    assert all(hasattr(f, "savefig") for f in figures.values())
    if data["recommendation"]["scenario"] == "ads-ctr":
        assert "href='04_ads_ctr.ipynb'" in view._next.value
    view._folder.value = str(tmp_path / "gone")  # a new learner: nothing saved yet
    assert "Nothing is saved in" in view._status.value and view.value["attempts"]["total"] == 0
    assert view.value["recommendation"] and "No attempts yet" in view.summary("profile")
    (tmp_path / "file.json").write_text("{}")
    view._folder.value = str(tmp_path / "file.json")  # not a folder: said, the last profile kept
    assert "cannot be listed" in view._status.value and view.value["attempts"]["total"] == 0


def ProgressViewFor(folder, pack):  # noqa: N802 - reads like the class it builds
    from staffplus_widgets.widgets.progress import ProgressView

    return ProgressView(folder, {"ads-ctr": "04_ads_ctr.ipynb"}, pack=pack)


def test_charts_draw_for_empty_and_full_profiles(tmp_path, pack):
    from staffplus_widgets.charts import progress as charts

    full = pr.progress(demo_history(tmp_path, 3, 4), pack).to_json()
    empty = pr.build_profile(pr.History("x"), pack).to_json()
    for data in (empty, full):
        figures = charts.render_all(data)
        assert set(figures) == set(charts.RENDERERS)
        for figure in figures.values():
            assert figure.axes and figure.axes[0].get_title(loc="left")
    pngs = doc.progress_charts(full)
    assert all(png.startswith(b"\x89PNG") for png in pngs.values())


def test_workbook_links_are_the_scenario_workbooks_only():
    from staffplus_widgets.practice.course import workbooks_by_scenario

    links = workbooks_by_scenario(Path(__file__).resolve().parent.parent / "workbooks")
    assert links["payments-fraud"] == "01_payments_fraud.ipynb"
    assert "97_my_progress.ipynb" not in links.values()
    assert "99_mock_interview.ipynb" not in links.values()


# -- the room -------------------------------------------------------------------------------------------
def test_the_debrief_says_which_habits_the_room_misses_across_scenarios(tmp_path, pack):
    from staffplus_widgets.authoring.demo import demo_cohort
    from staffplus_widgets.documents import debrief

    demo_cohort(tmp_path / "a", "payments-fraud", learners=4, seed=1)
    demo_cohort(tmp_path / "b", "credit-risk", learners=3, seed=2)
    room = tmp_path / "room"
    room.mkdir()
    for part in ("a", "b"):
        for f in (tmp_path / part / "submissions").iterdir():
            (room / f.name).write_bytes(f.read_bytes())
    data = debrief.debrief_json(room, pack)
    cohort = data["cohort"]
    total = sum(c["items"] for c in cohort["categories"])
    assert total == 4 * len(pack.get("payments-fraud").rubric) + 3 * len(
        pack.get("credit-risk").rubric
    )
    # the same numbers as the per-scenario tables: every item, every learner
    for c in cohort["categories"]:
        missed = sum(r["counts"]["missed"] for s in data["scenarios"] for r in s["items"]
                     if r["category"] == c["id"])  # fmt: skip
        assert c["interview"]["counts"]["missed"] == missed
        assert set(c["scenarios"]) <= {"payments-fraud", "credit-risk"}
    assert cohort["habits"] and all(h["text"].startswith(("The room", "In interviews the room"))
                                    for h in cohort["habits"])  # fmt: skip
    page = debrief.render_html(data)
    assert "Across scenarios: the habits the room misses" in page
    assert cohort["habits"][0]["text"] in html.unescape(page)


def test_cohort_habits_count_each_learner_and_item(pack):
    verdicts = [  # (scenario, verdict, how many learner-item pairs gave it)
        ("s", {"category": "privacy", "phase": "risks", "level": "named"}, 2),
        (
            "t",
            {"category": "privacy", "phase": "risks", "level": "reasoned", "raised": "prompted"},
            1,
        ),
        ("t", {"category": "cost", "phase": "wrap_up", "level": "absent", "raised": "missed"}, 1),
    ]
    room = pr.cohort_habits(verdicts)
    assert [c["id"] for c in room["categories"]] == ["cost", "privacy"]
    assert (
        room["habits"][0]["text"]
        == "The room names privacy but rarely says what it changes (2 of 3 items)."
    )
    assert room["weakest"][:2] == ["cost", "privacy"]


def test_cli_interview_record_keeps_the_scorecard_and_the_attempt(tmp_path, capsys, fraud):
    answers = tmp_path / "answers.md"
    answers.write_text("## Clarify\n\n" + fraud.rubric[0]["examples"]["reasoned"][0] + "\n")
    path = tmp_path / "payments-fraud.json"
    args = ["interview", "--scenario", fraud.id, "--answers", str(answers), "--format", "json"]
    assert main(args) == 0 and not path.exists()  # nothing kept without --record
    card = json.loads(capsys.readouterr().out)
    assert main([*args, "--record", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["items"] == card["items"]  # stdout stays JSON
    saved = workfile.read(path)
    (record,) = saved["attempts"]
    assert saved["interviews"][0]["items"] == card["items"]
    assert {k: v["raised"] for k, v in record["items"].items()} == card["items"]
    other = workfile.save(tmp_path / "other.json", workfile.new_work("credit-risk"))
    assert main([*args, "--record", str(other)]) == 0  # another scenario's file: left alone
    assert workfile.read(other)["attempts"] == [] and "left untouched" in capsys.readouterr().err


def test_with_nothing_weak_the_least_practised_scenario_is_next(tmp_path, pack):
    for sid in sorted(pack.scenarios)[1:]:  # every scenario but the first, everything reasoned
        sc = pack.get(sid)
        write(tmp_path, sid, [attempt(sc, "review", "2026-11-02T09:00:00Z", lambda i: "reasoned")])
    data = pr.progress(tmp_path, pack).to_json()
    assert data["weakest"] == [] and data["habits"] == []
    r = data["recommendation"]
    assert r["scenario"] == sorted(pack.scenarios)[0] and r["attempts"] == 0
    assert r["items"] == [] and r["why"].startswith("You reasoned about every category")


LEVELS = ("absent", "named", "reasoned", "dismissed")
verdicts = st.fixed_dictionaries(
    {"category": st.sampled_from(CATEGORY_IDS), "phase": st.sampled_from(pr.PHASE_IDS),
     "level": st.sampled_from(LEVELS)},
    optional={"raised": st.sampled_from(("unprompted", "prompted", "missed"))},
)  # fmt: skip
histories = st.lists(
    st.tuples(
        st.sampled_from(("payments-fraud", "credit-risk", "not-installed")),
        st.sampled_from(attempts.KINDS),
        st.dictionaries(st.text(min_size=1, max_size=8), verdicts, max_size=8),
    ),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(histories)
def test_any_history_gives_a_consistent_profile(pack, raw):
    history = pr.History("x", attempts=[
        pr.Attempt("f.json", kind, f"2026-11-{n + 1:02d}T09:00:00Z", sid, 50, items)
        for n, (sid, kind, items) in enumerate(raw)
    ])  # fmt: skip
    data = pr.build_profile(history, pack).to_json()
    json.dumps(data)
    for c in data["categories"]:
        assert sum(c["counts"].values()) == c["items"] > 0
        assert sum(c["shares"].values()) == pytest.approx(1, abs=1e-3)
        if c["interview"]:
            assert sum(c["interview"]["counts"].values()) == c["interview"]["items"]
    for t in data["trend"]:
        numbers = [p["attempt"] for p in t["points"]]
        assert numbers == sorted(set(numbers)) and 0 <= t["latest"] <= 1
    counts = [h["count"] for h in data["habits"]]
    assert counts == sorted(counts, reverse=True) and len(counts) <= pr.MOST_HABITS
    assert len(data["weakest"]) <= pr.WEAKEST and len(set(data["weakest"])) == len(data["weakest"])
    assert data["recommendation"]["scenario"] in pack.scenarios


def test_with_no_attempts_the_recommendation_claims_no_weakness(tmp_path, pack):
    # nothing has been measured: the place to start must not read as a verdict on the learner
    data = pr.progress(tmp_path, pack).to_json()
    assert data["recommendation"]["why"].startswith("No attempts yet")
    assert "your weakest" not in doc.progress_text(data)
    assert "Weakest categories: not measured yet" in doc.progress_text(data)
