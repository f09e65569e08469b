"""Cohort debrief: exact numbers over a generated cohort, hostile files listed, nothing rendered live."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import statistics
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from staffplus_widgets import workfile
from staffplus_widgets.cli import main
from staffplus_widgets.core.errors import StaffplusError
from staffplus_widgets.data.scenario import schema_problems
from staffplus_widgets.documents import debrief
from staffplus_widgets.documents.export import text_safe
from staffplus_widgets.feedback import review_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "instructor"
sys.path.insert(0, str(FIXTURES))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import instructor_cohort as cohort  # noqa: E402
from test_export import Page, assert_standalone  # noqa: E402

SID = cohort.SCENARIO_ID
N = 40
TOP_KEYS = {"format", "version", "directory", "files", "rejected", "scenarios", "cohort"}
SECTION_KEYS = {
    "id",
    "title",
    "learners",
    "sources",
    "items",
    "most_missed",
    "chosen_options",
    "weights",
    "cost",
    "scores",
    "duplicates",
    "roster",
}


@pytest.fixture(scope="module")
def clean(tmp_path_factory, cohort_scenario):
    folder = tmp_path_factory.mktemp("clean")
    expected = cohort.make_cohort(cohort_scenario, folder, N, seed=11)
    return folder, expected


@pytest.fixture(scope="module")
def mixed(tmp_path_factory, clean, cohort_scenario):
    """The clean cohort plus every hostile kind, two good hostile files and a duplicate learner."""
    src, expected = clean
    folder = tmp_path_factory.mktemp("mixed")
    for e in expected:
        shutil.copy2(src / e.file, folder / e.file)
    rejected, good = cohort.write_hostile(cohort_scenario, folder)
    dup = f"{SID}--learner-000-again.json"
    shutil.copy2(src / expected[0].file, folder / dup)
    return folder, expected, rejected, [*good, dup]


@pytest.fixture(scope="module")
def clean_json(clean, cohort_pack):
    return debrief.scan(clean[0], cohort_pack).to_json()


@pytest.fixture(scope="module")
def mixed_json(mixed, cohort_pack):
    return debrief.scan(mixed[0], cohort_pack).to_json()


# -- the generator's premise: each rubric example raises its own item only ----------------------------------
def test_fixture_examples_raise_exactly_their_item_and_filler_nothing(cohort_scenario):
    for item in cohort_scenario.rubric:
        assert review_text(cohort_scenario, item["examples"]["raised"][0]).raised_ids == [
            item["id"]
        ]
    assert review_text(cohort_scenario, " ".join(cohort.FILLER)).raised_ids == []


# -- exact numbers ------------------------------------------------------------------------------------------
def test_every_good_submission_is_counted_with_exact_numbers(clean_json, clean, cohort_scenario):
    _, expected = clean
    assert clean_json["files"] == {"seen": N, "counted": N, "rejected": 0, "other_scenario": 0}
    (section,) = clean_json["scenarios"]
    assert section["id"] == SID and section["learners"] == N
    assert section["sources"] == dict(Counter(e.source for e in expected)) | {
        k: 0 for k in ("interview", "answer") if k not in {e.source for e in expected}
    }
    for row in section["items"]:
        counts = Counter(e.items[row["id"]] for e in expected)
        assert row["counts"] == {
            s: counts.get(s, 0) for s in ("unprompted", "prompted", "missed")
        }, row["id"]
        assert row["shares"]["missed"] == round(counts.get("missed", 0) / N, 4)
    roster = {r["file"]: r for r in section["roster"]}
    for e in expected:
        r = roster[e.file]
        assert (r["learner"], r["source"], r["score"]) == (e.learner, e.source, e.score)
        assert r["cost_position"] == e.cost_position
        assert r["winner"] == (e.winners[0] if len(e.winners) == 1 else None)
        assert r["tied"] == (list(e.winners) if len(e.winners) > 1 else [])


def test_both_sources_and_all_cost_positions_are_exercised(clean):
    _, expected = clean
    assert {e.source for e in expected} == {"interview", "answer"}
    assert {e.cost_position for e in expected} == {"below", "inside", "above", "missing"}
    assert any(len(e.winners) > 1 for e in expected) and any(not e.winners for e in expected)
    assert any(s == "prompted" for e in expected for s in e.items.values())


def test_most_missed_items(clean_json, clean):
    _, expected = clean
    section = clean_json["scenarios"][0]
    missed = Counter(i for e in expected for i, s in e.items.items() if s == "missed")
    top = section["most_missed"]
    assert len(top) == min(5, len(missed))
    assert [m["missed"] for m in top] == sorted(missed.values(), reverse=True)[: len(top)]
    assert all(missed[m["id"]] == m["missed"] for m in top)


def test_chosen_options_spread(clean_json, clean, cohort_scenario):
    _, expected = clean
    c = clean_json["scenarios"][0]["chosen_options"]
    single = Counter(e.winners[0] for e in expected if len(e.winners) == 1)
    assert {o["option"]: o["learners"] for o in c["options"]} == dict(single)
    assert [o["learners"] for o in c["options"]] == sorted(single.values(), reverse=True)
    assert c["tied"] == sum(1 for e in expected if len(e.winners) > 1)
    assert c["none"] == sum(1 for e in expected if not e.winners)
    assert c["reference"] == cohort_scenario.data["recommendation"]["option"]
    assert [o["option"] for o in c["options"] if o["reference"]] == [
        o for o in single if o == cohort_scenario.data["recommendation"]["option"]
    ]
    assert sum(t["learners"] for t in c["ties"]) == c["tied"]


def test_weight_spread_per_criterion(clean_json, clean, cohort_scenario):
    _, expected = clean
    rows = {w["criterion"]: w for w in clean_json["scenarios"][0]["weights"]}
    total = sum(c["weight"] for c in cohort_scenario.data["criteria"])
    for crit in cohort_scenario.data["criteria"]:
        values = [e.weights[crit["name"]] for e in expected if e.weights]
        w = rows[crit["name"]]
        assert w["learners"] == len(values) and w["in_scenario"]
        assert (w["min"], w["median"], w["max"]) == (
            round(min(values), 4),
            round(statistics.median(values), 4),
            round(max(values), 4),
        )
        assert w["reference"] == round(crit["weight"] / total, 4)


def test_cost_against_the_reference_range(clean_json, clean, cohort_scenario):
    _, expected = clean
    c = clean_json["scenarios"][0]["cost"]
    positions = Counter(e.cost_position for e in expected)
    assert {k: c[k] for k in ("below", "inside", "above", "missing")} == {
        k: positions.get(k, 0) for k in ("below", "inside", "above", "missing")
    }
    assert c["values"] == sorted(
        round(e.cost_total, 2) for e in expected if e.cost_total is not None
    )
    assert c["range"] == list(cohort_scenario.cost_range())


def test_score_histogram(clean_json, clean):
    _, expected = clean
    s = clean_json["scenarios"][0]["scores"]
    scores = [e.score for e in expected]
    assert s["edges"] == list(range(0, 101, 10))
    assert s["counts"] == [
        sum(1 for x in scores if lo <= x < lo + 10 or (lo == 90 and x == 100))
        for lo in range(0, 100, 10)
    ]
    assert sum(s["counts"]) == N and s["values"] == sorted(scores)
    assert s["mean"] == round(statistics.fmean(scores), 2) and s["median"] == statistics.median(
        scores
    )


def test_only_the_latest_attempt_counts(tmp_path, cohort_pack, cohort_scenario):
    import random

    work, exp = cohort.good_work(
        cohort_scenario, "Twice", random.Random(2), source="interview", attempts=2
    )
    first, latest = work["interviews"]
    assert first["items"] != latest["items"] or first["score"] != latest["score"]
    workfile.save(tmp_path / "a.json", work)
    (section,) = debrief.scan(tmp_path, cohort_pack).to_json()["scenarios"]
    assert section["roster"][0]["score"] == latest["score"]
    assert {
        r["id"]: next(k for k, v in r["counts"].items() if v) for r in section["items"]
    } == latest["items"]


# -- hostile folders ------------------------------------------------------------------------------------------
def test_hostile_files_are_listed_and_good_ones_still_counted(mixed_json, clean_json, mixed):
    _, expected, rejected, good = mixed
    assert {r["file"]: r["reason"] for r in mixed_json["rejected"]}.keys() == rejected.keys()
    for row in mixed_json["rejected"]:
        assert rejected[row["file"]] in row["reason"], row
        assert row["reason"].startswith(row["file"] + ": ") and "\n" not in row["reason"]
    (section,) = mixed_json["scenarios"]
    assert section["learners"] == N + len(good)
    assert mixed_json["files"]["counted"] == N + len(good)
    assert mixed_json["files"]["rejected"] == len(rejected)
    counted = {r["file"] for r in section["roster"]}
    assert {e.file for e in expected} | set(good) == counted
    clean_rows = {r["file"]: r for r in clean_json["scenarios"][0]["roster"]}
    for r in section["roster"]:
        if r["file"] in clean_rows:
            assert {k: v for k, v in r.items() if k != "duplicate"} == {
                k: v for k, v in clean_rows[r["file"]].items() if k != "duplicate"
            }


def test_duplicate_learner_names_are_counted_and_flagged(mixed_json, mixed):
    _, expected, _, _ = mixed
    (section,) = mixed_json["scenarios"]
    dups = section["duplicates"]
    files = sorted(
        [expected[0].file, f"{SID}--learner-000-again.json"]
    )  # files are read in name order
    assert dups == [{"learner": expected[0].learner, "files": files}]
    flagged = {r["file"] for r in section["roster"] if r["duplicate"]}
    assert flagged == set(dups[0]["files"])


def test_oversized_file_is_refused_before_it_is_opened(mixed, cohort_pack, monkeypatch):
    folder = mixed[0]
    opened: list[str] = []
    real_open = os.open

    def spy(path, *args, **kwargs):
        opened.append(os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(debrief.os, "open", spy)
    debrief.scan(folder, cohort_pack)
    assert not [
        p
        for p in opened
        if p.endswith(("huge.json", "pipe.json", "link.json", "link-to-valid.json"))
    ]
    assert any(p.endswith("not-json.json") for p in opened)


def test_the_debrief_gives_the_same_verdict_as_workfile_parse(mixed):
    folder = mixed[0]
    for path in sorted(folder.glob("*.json")):
        if path.is_symlink() or not path.is_file() or path.stat().st_size > workfile.MAX_BYTES:
            continue
        raw = path.read_bytes()
        try:
            expected = ("ok", text_safe(workfile.parse(raw, where=path.name)))
        except StaffplusError as exc:
            expected = ("rejected", str(exc))
        try:
            work, _ = debrief.parse_submission(raw, path.name)
            got = ("ok", work)
        except debrief.Rejected as exc:
            got = ("rejected", exc.reason)
        assert got == expected, path.name


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 300),
    st.floats(-2, 7, allow_nan=False),
    st.text(max_size=3),
    st.just("x" * 130),
)
_values = st.recursive(
    _scalars,
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=4), c, max_size=3),
    max_leaves=6,
)
_PATHS = [
    ("learner",),
    ("scenario",),
    ("version",),
    ("variants",),
    ("answers",),
    ("answers", "mock_answer"),
    ("interviews",),
    ("drills",),
    ("tradeoff",),
    ("tradeoff", "scale"),
    ("tradeoff", "options", 0),
    ("tradeoff", "options", 0, "name"),
    ("tradeoff", "options", 0, "baseline"),
    ("tradeoff", "criteria", 0),
    ("tradeoff", "criteria", 0, "weight"),
    ("tradeoff", "scores", 0, "score"),
    ("tradeoff", "scores", 0, "why"),
    ("tradeoff", "exclusions"),
    ("risks",),
    ("risks", "risks", 0, "likelihood"),
    ("risks", "risks", 0, "category"),
    ("risks", "risks", 0, "raised"),
    ("risks", "risks", 0, "owner"),
    ("cost",),
    ("cost", "lines", 0, "kind"),
    ("cost", "lines", 0, "name"),
    ("cost", "lines"),
]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=st.sampled_from(_PATHS), value=_values, delete=st.booleans())
def test_the_compiled_schema_check_agrees_with_the_full_one(cohort_scenario, path, value, delete):
    import random

    doc, _ = cohort.good_work(cohort_scenario, "P", random.Random(0), source="interview")
    doc = json.loads(workfile.dumps(doc))
    node = doc
    for key in path[:-1]:
        if (
            isinstance(node, dict)
            and key in node
            or isinstance(node, list)
            and isinstance(key, int)
            and key < len(node)
        ):
            node = node[key]
        else:
            return
    last = path[-1]
    if delete and isinstance(node, dict):
        node.pop(last, None)
    elif isinstance(node, dict) or (
        isinstance(node, list) and isinstance(last, int) and last < len(node)
    ):
        node[last] = value
    from staffplus_widgets.data.scenario import _validator

    validator = _validator("work")
    assert validator.is_valid(doc) == (list(validator.iter_errors(doc)) == [])
    assert validator.is_valid(doc) == (schema_problems("work", doc) == [])


# -- scenario selection, folder problems -----------------------------------------------------------------------
def test_scenario_filter_and_unknown_scenario(tmp_path, cohort_pack, cohort_scenario, clean):
    src, expected = clean
    for e in expected[:3]:
        shutil.copy2(src / e.file, tmp_path / e.file)
    other = json.loads((src / expected[3].file).read_text())
    other["scenario"] = "payments-fraud"
    other["tradeoff"] = other["cost"] = None
    (tmp_path / "other.json").write_text(json.dumps(other))
    data = debrief.scan(tmp_path, cohort_pack, SID).to_json()
    assert data["files"] == {"seen": 4, "counted": 3, "rejected": 0, "other_scenario": 1}
    everything = debrief.scan(tmp_path, cohort_pack).to_json()
    assert [s["id"] for s in everything["scenarios"]] == ["fixture-refund-abuse", "payments-fraud"]
    empty = debrief.scan(tmp_path, cohort_pack, "credit-risk").to_json()
    assert (
        empty["scenarios"][0]["learners"] == 0 and empty["scenarios"][0]["scores"]["mean"] is None
    )
    debrief.render_html(empty)
    with pytest.raises(StaffplusError, match="unknown scenario id"):
        debrief.scan(tmp_path, cohort_pack, "nope")
    with pytest.raises(StaffplusError, match="cannot be listed"):
        debrief.scan(tmp_path / "missing", cohort_pack)


def test_cache_reuses_unchanged_files_and_sees_changes(tmp_path, cohort_pack, clean):
    src, expected = clean
    for e in expected[:6]:
        shutil.copy2(src / e.file, tmp_path / e.file)
    cache = debrief.ScanCache()
    cold = debrief.scan(tmp_path, cohort_pack, cache=cache).to_json()
    assert cache.hits == 0
    assert debrief.scan(tmp_path, cohort_pack, cache=cache).to_json() == cold and cache.hits == 6
    changed = json.loads((tmp_path / expected[0].file).read_text())
    changed["learner"] = "Renamed"
    workfile.save(tmp_path / expected[0].file, changed)  # os.replace: a new inode
    (tmp_path / expected[1].file).unlink()
    (tmp_path / "broken.json").write_text("{")
    warm = debrief.scan(tmp_path, cohort_pack, cache=cache).to_json()
    assert warm == debrief.scan(tmp_path, cohort_pack).to_json()
    assert warm["files"] == {"seen": 6, "counted": 5, "rejected": 1, "other_scenario": 0}
    assert "Renamed" in {r["learner"] for r in warm["scenarios"][0]["roster"]}
    assert expected[1].file not in cache.entries


def test_saved_reviews_give_the_numbers_a_fresh_review_gives(
    tmp_path, cohort_pack, clean, clean_json
):
    src, expected = clean
    saved = sum("reviews" in json.loads((src / e.file).read_text()) for e in expected)
    assert 0 < saved < len(expected)  # the generator hands some files in by hand
    for e in expected:
        work = json.loads((src / e.file).read_text())
        work.pop("reviews", None)
        (tmp_path / e.file).write_text(json.dumps(work))
    fresh = debrief.scan(tmp_path, cohort_pack).to_json()
    assert fresh["scenarios"] == clean_json["scenarios"]


def test_a_saved_review_is_used_only_for_its_own_text_and_rubric(
    tmp_path, cohort_pack, cohort_scenario
):
    from staffplus_widgets.feedback import review_record, review_text

    rng = random.Random(3)
    work, _ = cohort.good_work(cohort_scenario, "Dee", rng, source="answer")
    answer = work["answers"]["mock_answer"]
    ids = [i["id"] for i in cohort_scenario.rubric]
    honest = review_record(cohort_scenario, answer)
    claims_all = {**honest, "raised": ids, "score": 100, "levels": dict.fromkeys(ids, "reasoned")}

    def score_of(record):
        w = {**work, "reviews": {"mock_answer": record}}
        workfile.save(tmp_path / f"{SID}--dee.json", w)
        data = debrief.scan(tmp_path, cohort_pack).to_json()
        assert data["files"]["counted"] == 1, data["rejected"]  # a bad record never rejects
        return data["scenarios"][0]["roster"][0]["score"]

    truth = review_text(cohort_scenario, answer).score
    assert truth < 100
    assert score_of(honest) == truth
    # a record of this very text and rubric is trusted, like an interview scorecard in the file
    assert score_of(claims_all) == 100
    stale = [
        {**claims_all, "text_sha256": "0" * 64},  # the answer was edited after hand-in
        {**claims_all, "stamp": "0" * 64},  # another rubric or engine
        {**claims_all, "raised": [*ids, ids[0]]},
        {**claims_all, "raised": ["not-an-item"]},
        {**claims_all, "score": 101},
        {**claims_all, "score": True},
        {**claims_all, "raised": "all"},
        {
            **claims_all,
            "levels": {**claims_all["levels"], ids[0]: "named"},
        },  # disagrees with raised
        {**claims_all, "levels": {**claims_all["levels"], ids[0]: "brilliant"}},
        {**claims_all, "levels": None},
        "<script>alert(1)</script>",
        None,
    ]
    for record in stale:
        assert score_of(record) == truth, record


def test_review_stamp_follows_the_rubric(cohort_scenario):
    import dataclasses

    from staffplus_widgets.feedback import review_stamp

    rubric = [dict(i) for i in cohort_scenario.rubric]
    rubric[0]["matchers"] = [*rubric[0]["matchers"], "an extra phrase"]
    edited = dataclasses.replace(cohort_scenario, data={**cohort_scenario.data, "rubric": rubric})
    assert review_stamp(edited) != review_stamp(cohort_scenario) == review_stamp(cohort_scenario)


def _counting_outcome(monkeypatch):
    """Count the files this process assesses itself (a forked worker's count stays in the worker)."""
    calls: list[str] = []
    real = debrief._outcome

    def counting(path, name, pack):
        calls.append(name)
        return real(path, name, pack)

    monkeypatch.setattr(debrief, "_outcome", counting)
    return calls


def test_two_processes_give_the_single_process_debrief(mixed, mixed_json, cohort_pack, monkeypatch):
    folder = mixed[0]
    monkeypatch.setattr(debrief, "PARALLEL_FROM", 1)
    calls = _counting_outcome(monkeypatch)
    assert debrief.scan(folder, cohort_pack, jobs=2).to_json() == mixed_json
    files = debrief.submission_files(folder)
    assert len(calls) == len(files[0::2])  # the other half was assessed in the worker
    calls.clear()
    assert debrief.scan(folder, cohort_pack, jobs=1).to_json() == mixed_json
    assert len(calls) == len(files)
    assert debrief._JOB is None


def test_a_worker_that_dies_has_its_share_done_here(mixed, mixed_json, cohort_pack, monkeypatch):
    folder = mixed[0]
    parent = os.getpid()
    real = debrief._outcome

    def dies_in_the_worker(path, name, pack):
        if os.getpid() != parent:
            os._exit(3)
        return real(path, name, pack)

    monkeypatch.setattr(debrief, "PARALLEL_FROM", 1)
    monkeypatch.setattr(debrief, "_outcome", dies_in_the_worker)  # the fork inherits it
    assert debrief.scan(folder, cohort_pack, jobs=2).to_json() == mixed_json


def test_a_kernel_like_process_with_threads_scans_alone(monkeypatch):
    import threading

    monkeypatch.setattr(threading, "active_count", lambda: 4)
    assert debrief.default_jobs() == 1
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert debrief.default_jobs() == min(2, os.cpu_count() or 1)


# -- HTML ---------------------------------------------------------------------------------------------------------
def test_html_escapes_everything_and_embeds_charts(mixed_json):
    out = debrief.render_html(mixed_json)
    page = assert_standalone(out)
    assert "&lt;img src=x onerror=alert(1)&gt;.json" in out  # a hostile file name, escaped
    assert "&lt;script&gt;alert(2)&lt;\\script&gt;" in out
    assert "Mallory &lt;script&gt;" in out
    images = page.all("img")
    assert len(images) == 5 + 1  # five per scenario, and the room's habits across scenarios
    for img in images:
        assert img["alt"] and page.text_by_id[img["aria-describedby"]].strip()
    for row in mixed_json["rejected"]:
        assert (
            f'<li class="text">{__import__("html").escape(row["reason"], quote=True)}</li>' in out
        )


def test_charts_render_for_empty_and_full_sections(mixed_json, cohort_scenario):
    from staffplus_widgets.charts import debrief as charts

    empty = debrief.ScenarioDebrief(cohort_scenario).to_dict()
    for section in (empty, mixed_json["scenarios"][0]):
        pngs = debrief.section_charts(section)
        assert set(pngs) == set(charts.RENDERERS)
        assert all(p.startswith(b"\x89PNG") for p in pngs.values())
    for summarise in (
        debrief.items_summary,
        debrief.options_summary,
        debrief.weights_summary,
        debrief.cost_spread_summary,
        debrief.scores_summary,
    ):
        assert summarise(empty) and summarise(mixed_json["scenarios"][0])
    assert "Mallory" not in debrief.options_summary(mixed_json["scenarios"][0])
    assert "Option A <script>" in debrief.options_summary(mixed_json["scenarios"][0])


# -- CLI --------------------------------------------------------------------------------------------------------
def run_cli(capsys, *args: str, check_rc: int) -> tuple[str, str]:
    rc = main(["--scenarios", str(FIXTURES), *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and rc == check_rc, (rc, out[-500:], err[-2000:])
    return out, err


def test_cli_debrief_json_keys_and_exit_codes(mixed, tmp_path, capsys):
    folder, expected, rejected, good = mixed
    out, err = run_cli(capsys, "debrief", str(folder), "--format", "json", check_rc=0)
    data = json.loads(out)
    assert set(data) == TOP_KEYS and data["format"] == "staffplus-debrief" and data["version"] == 1
    assert set(data["files"]) == {"seen", "counted", "rejected", "other_scenario"}
    (section,) = data["scenarios"]
    assert set(section) == SECTION_KEYS
    assert set(section["items"][0]) == {
        "id",
        "label",
        "category",
        "phase",
        "point",
        "followup",
        "counts",
        "shares",
        "levels",
    }
    assert set(section["chosen_options"]) == {"reference", "options", "tied", "ties", "none"}
    assert set(section["weights"][0]) == {
        "criterion",
        "in_scenario",
        "learners",
        "min",
        "median",
        "max",
        "reference",
    }
    assert set(section["cost"]) == {
        "range",
        "reference_total",
        "below",
        "inside",
        "above",
        "missing",
        "values",
        "median",
    }
    assert set(section["scores"]) == {"edges", "counts", "values", "mean", "median", "min", "max"}
    assert set(section["roster"][0]) == {
        "file",
        "learner",
        "source",
        "score",
        "winner",
        "tied",
        "cost_total",
        "cost_position",
        "duplicate",
    }
    assert len(
        [line for line in err.splitlines() if line.startswith("staffplus debrief: not counted: ")]
    ) == len(rejected)

    html_out = tmp_path / "d.html"
    out, _ = run_cli(capsys, "debrief", str(folder), "--out", str(html_out), check_rc=0)
    assert f"{N + len(good)} submissions counted" in out
    assert_standalone(html_out.read_text("utf-8"))
    json_out = tmp_path / "d.json"
    run_cli(capsys, "debrief", str(folder), "--scenario", SID, "--out", str(json_out), check_rc=0)
    assert json.loads(json_out.read_text())["files"]["counted"] == N + len(good)

    run_cli(capsys, "debrief", str(folder), check_rc=2)  # neither --out nor --format json
    run_cli(capsys, "debrief", str(folder), "--format", "xml", check_rc=2)
    run_cli(capsys, "debrief", check_rc=2)
    _, err = run_cli(capsys, "debrief", str(folder), "--out", str(tmp_path / "d.pdf"), check_rc=1)
    assert err.count("\n") == 1
    run_cli(capsys, "debrief", str(tmp_path / "missing"), "--format", "json", check_rc=1)
    _, err = run_cli(
        capsys, "debrief", str(folder), "--scenario", "nope", "--format", "json", check_rc=1
    )
    assert "unknown scenario id" in err
    for bad in ("0", "two", "-1", "1000"):
        _, err = run_cli(
            capsys, "debrief", str(folder), "--format", "json", "--jobs", bad, check_rc=2
        )
        assert "--jobs: must be a whole number from 1 to 64" in err
    out, _ = run_cli(capsys, "debrief", str(folder), "--format", "json", "--jobs", "1", check_rc=0)
    assert json.loads(out)["files"] == data["files"]


# -- widget -----------------------------------------------------------------------------------------------------
def test_debrief_widget_shows_the_same_numbers(mixed, cohort_pack, mixed_json):
    from staffplus_widgets.widgets.debrief import DebriefWidget

    folder = mixed[0]
    view = DebriefWidget(folder, pack=cohort_pack)
    assert {k: v for k, v in view.value.items() if k != "directory"} == {
        k: v for k, v in mixed_json.items() if k != "directory"
    }
    assert (
        view._scenario.value == SID
        and view.section["learners"] == mixed_json["scenarios"][0]["learners"]
    )
    for key in ("items", "options", "weights", "cost", "scores"):
        assert view.chart_image(key)[:4] == b"\x89PNG" and view.summary(key)
    assert view.summary("scores") == debrief.scores_summary(mixed_json["scenarios"][0])
    for widget in (view._tables, view._problems, view._overview):
        assert "<script" not in widget.value and "<img" not in widget.value
    assert "&lt;img src=x onerror=alert(1)&gt;.json" in view._problems.value
    assert re.search(r"<b>\d+</b> submissions counted", view._overview.value)


def test_debrief_widget_refresh_folder_and_scenario(tmp_path, cohort_pack, clean):
    from staffplus_widgets.widgets.debrief import DebriefWidget

    src, expected = clean
    view = DebriefWidget(tmp_path, "payments-fraud", pack=cohort_pack)
    assert view.value["files"]["seen"] == 0 and view.section["learners"] == 0
    for e in expected[:4]:
        shutil.copy2(src / e.file, tmp_path / e.file)
    view._refresh_button.click()
    assert view._scenario.value == "payments-fraud"
    view._scenario.value = SID
    assert view.section["learners"] == 4
    assert "4" in view._tables.value
    view._folder.value = str(tmp_path / "missing")
    assert "cannot be listed" in view._status.value
    assert view.section["learners"] == 4, "the last good debrief stays on screen"
    view._folder.value = str(src)
    assert view.section["learners"] == N and view._status.value == ""


def test_page_helper_sees_figcaption_text():
    page = Page(
        '<figure><img alt="a" aria-describedby="s"><figcaption id="s">words</figcaption></figure>'
    )
    assert page.text_by_id["s"] == "words"


def test_rubric_items_are_shown_by_a_short_name_not_their_id():
    from staffplus_widgets.data.scenario import item_label

    assert item_label("Puts a dollar figure on each error: a false decline costs about $10") == (
        "Puts a dollar figure on each error"
    )
    assert item_label("Derives the block threshold from the costs, c_FP / (c_FP + c_FN)") == (
        "Derives the block threshold from the costs, c_FP"
    )
    long = item_label(
        "Asks what is logged and, on hearing that impressions and positions are not, " * 2
    )
    assert len(long) <= 67 and long.endswith("...") and " " in long


def test_the_demo_cohort_differs_the_way_a_room_does(tmp_path):
    from staffplus_widgets.authoring.demo import demo_cohort

    folder = demo_cohort(tmp_path, learners=12)
    (sc,) = debrief.debrief_json(folder)["scenarios"]
    assert sc["learners"] == 12
    # more than one option wins, estimates spread below and above the range, scores spread
    assert len(sc["chosen_options"]["options"]) >= 2
    assert len(set(sc["cost"]["values"])) >= 6 and sc["cost"]["below"] + sc["cost"]["above"] >= 1
    assert max(sc["scores"]["values"]) - min(sc["scores"]["values"]) >= 30
    sizes = {
        len(json.loads(p.read_text())["risks"]["risks"]) for p in (tmp_path / "work").glob("*.json")
    }
    assert len(sizes) >= 3, sizes
