"""Work is never lost or exposed: hostile files, odd numbers and bad arguments get a message.

One test per defect of the robustness issue that is not covered next to its module (submit,
conflicts and the browser race have their own files).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time

import pytest

from staffplus_widgets import workfile
from staffplus_widgets.core import fileio, validation
from staffplus_widgets.core.errors import StaffplusError
from staffplus_widgets.data.prices import price_catalogue
from staffplus_widgets.practice.session import WorkSession


# -- one reader: no hangs on FIFOs, no symlinks followed, a size cap -----------------------------------
def _run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "staffplus_widgets", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "{path}"],
        ["review", "{path}"],
        ["export", "{path}", "--to", "{out}"],
        ["submit", "{path}", "--to", "{folder}"],
    ],
)
def test_a_fifo_at_a_work_file_path_never_hangs_a_command(tmp_path, command):
    fifo = tmp_path / "payments-fraud.json"
    os.mkfifo(fifo)
    folder = tmp_path / "subs"
    folder.mkdir()
    args = [a.format(path=fifo, out=tmp_path / "r.html", folder=folder) for a in command]
    run = _run_cli(*args, timeout=30)  # a blocking open would hang until the timeout
    assert run.returncode == 1, (run.stdout, run.stderr)
    assert "not a regular file" in run.stderr and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "layout, command",
    [
        ("x.yaml", ["validate", "{root}/x.yaml"]),
        ("sc/a.yaml", ["--scenarios", "{root}/sc", "scenarios"]),
        ("wb/01_payments_fraud.ipynb", ["notebooks", "generate", "--solutions", "{root}/sol",
                                        "--workbooks", "{root}/wb"]),
    ],
)  # fmt: skip
def test_a_fifo_named_like_a_scenario_or_a_notebook_never_hangs_a_command(
    tmp_path, layout, command
):
    """Scenario YAML and notebooks go through the same safe reader as work files."""
    import shutil

    from conftest import ROOT

    (tmp_path / "sol").mkdir()
    shutil.copy(ROOT / "solutions" / "01_payments_fraud.ipynb", tmp_path / "sol")
    fifo = tmp_path / layout
    fifo.parent.mkdir(exist_ok=True)
    os.mkfifo(fifo)
    run = _run_cli(*[a.format(root=tmp_path) for a in command], timeout=30)
    assert "not a regular file" in run.stdout + run.stderr, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr


def test_a_bad_solved_notebook_is_one_line_not_a_traceback(tmp_path):
    (tmp_path / "sol").mkdir()
    (tmp_path / "sol" / "01_x.ipynb").write_text("{bad")
    run = _run_cli("notebooks", "generate", "--solutions", str(tmp_path / "sol"),
                   "--workbooks", str(tmp_path / "wb"))  # fmt: skip
    assert run.returncode == 1 and "is not a valid notebook" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_fifo_or_a_symlink_never_hangs_or_is_followed_by_a_workbook(fraud, tmp_path):
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    session = WorkSession(fraud, fifo, autosave_delay=0)
    assert "not a regular file" in session.notice and session.moved_to is not None
    target = tmp_path / "elsewhere.json"
    target.write_text("precious")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    session = WorkSession(fraud, link, autosave_delay=0)
    assert "symbolic link" in session.notice
    assert target.read_text() == "precious", "the link's target is never read or written"


def test_a_work_file_with_a_byte_order_mark_is_read(fraud, tmp_path):
    path = tmp_path / "w.json"
    work = workfile.new_work(fraud.id, "Ann")
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(work).encode())
    session = WorkSession(fraud, path, autosave_delay=0)
    assert session.restored and not session.notice and session.work["learner"] == "Ann"


def test_oversized_files_are_refused_unread(tmp_path):
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:
        fh.truncate(workfile.MAX_BYTES + 1)
    with pytest.raises(StaffplusError, match="larger than 5 MB"):
        workfile.read(big)


# -- crashes during save -------------------------------------------------------------------------------
def test_a_crashed_saves_temp_copy_is_cleared_but_a_live_writers_is_kept(tmp_path):
    target = tmp_path / "w.json"
    stale = tmp_path / f"{fileio.temp_prefix(target)}abc123.tmp"
    stale.write_text("a crashed save's full copy")
    live_path, live_fd = fileio.write_temp(
        tmp_path, b"being written", prefix=fileio.temp_prefix(target)
    )
    try:
        removed = fileio.remove_stale_temps(target)
        assert removed == [stale] and not stale.exists()
        assert os.path.exists(live_path), "a writer that holds its lock is left alone"
    finally:
        fileio.release(live_fd)
        os.unlink(live_path)


@pytest.mark.slow
def test_sigkill_during_autosave_never_leaves_a_partial_file_or_a_temp_copy(fraud, tmp_path):
    """200 kills in the middle of saving: the file is always whole, and the next load clears
    every temp copy the killed saves left (a forked writer, killed after 0-20 ms of saving)."""
    import random
    import signal

    path = tmp_path / "payments-fraud.json"
    WorkSession(fraud, path, autosave_delay=0).save_now()
    rng = random.Random(7)
    partial = leftovers = temps_seen = 0
    for _trial in range(200):
        pid = os.fork()
        if pid == 0:  # the writer: save as fast as it can until it is killed
            try:
                s = WorkSession(fraud, path, autosave_delay=0)
                i = 0
                while True:
                    i += 1
                    s.answers["mock_answer"] = "x" * (50_000 + i)
                    s.save_now()
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.0, 0.02))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        temps_seen += len(list(tmp_path.glob(".*.tmp")))
        try:
            workfile.read(path)
        except StaffplusError:
            partial += 1
        workfile.load(path, "payments-fraud")
        leftovers += len(list(tmp_path.glob(".*.tmp")))
    assert partial == 0, f"{partial} of 200 kills left a partial work file"
    assert leftovers == 0, f"{leftovers} temp copies survived the next load"
    assert temps_seen > 0, "some kills must land mid-save, or this test proves nothing"


# -- numbers and names are never quietly reinterpreted -------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [("1,000", 1000.0), ("12,500.5", 12500.5), ("1,000,000", 1e6), (" 42 ", 42.0), ("-0", 0.0)],
)
def test_numbers_in_valid_forms_are_read(text, expected):
    got = validation.number("weight", text, low=-10)
    assert got == expected and math.copysign(1, got) == 1  # -0 is stored as 0


@pytest.mark.parametrize(
    "text, says",
    [
        ("1,5", "comma"),
        ("12,50", "comma"),
        ("1_0", "underscores"),
        ("\u0661\u0662", "\u0661\u0662"),  # Arabic-Indic digits are shown, not turned into 12
        ("\uff11\uff12", "\uff11\uff12"),  # full-width digits
        ("nan", "NaN"),
        ("inf", "finite"),
        ("abc", "must be a number"),
    ],
)
def test_numbers_in_other_forms_are_refused_with_a_message_naming_the_field(text, says):
    with pytest.raises(StaffplusError) as err:
        validation.number("weight of Cost", text)
    assert "weight of Cost" in str(err.value) and says in str(err.value)


def test_names_that_look_the_same_are_the_same_name():
    assert validation.name("option name", "a\u200db") == "ab"
    # kept as typed (full-width stays full-width), compared in NFKC form
    assert validation.name("option name", "\uff21\uff22") == "\uff21\uff22"
    with pytest.raises(StaffplusError, match="duplicate"):
        validation.unique("option name", ["ab", "a\u200bb"])
    with pytest.raises(StaffplusError, match="duplicate"):
        validation.unique("option name", ["AB", "\uff21\uff22"])


def test_duplicate_names_through_invisible_characters_are_refused_by_the_models(fraud, tmp_path):
    s = WorkSession(fraud, tmp_path / "w.json", autosave_delay=0)
    s.register.add({"title": "Label delay", "category": "data", "likelihood": 2, "impact": 2})
    with pytest.raises(StaffplusError, match="duplicate"):
        s.register.add(
            {"title": "Label\u200b delay", "category": "data", "likelihood": 2, "impact": 2}
        )


# -- scenario files --------------------------------------------------------------------------------------
BOMB = "\n".join(
    ["a: &a [" + ",".join(['"lol"'] * 9) + "]"]
    + [f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]" for p, c in zip("abcdefgh", "bcdefghi")]
)


def test_a_yaml_alias_bomb_is_refused_fast_and_stops_no_other_scenario(tmp_path, monkeypatch):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB)
    started = time.perf_counter()
    run = _run_cli("validate", str(bomb))
    assert run.returncode == 1 and "alias" in run.stderr and str(bomb) in run.stderr
    assert time.perf_counter() - started < 30
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "bomb.yaml").write_text(BOMB)
    env = {**os.environ, "STAFFPLUS_SCENARIOS": str(extra), "STAFFPLUS_CACHE_DIR": "off"}
    listing = subprocess.run(
        [sys.executable, "-m", "staffplus_widgets", "scenarios"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert listing.returncode == 0 and "payments-fraud" in listing.stdout
    assert "bomb.yaml" in listing.stderr and "alias" in listing.stderr


def test_validate_reports_one_id_in_two_files(tmp_path):
    from staffplus_widgets.data.scenario import builtin_dir

    src = (builtin_dir() / "payments-fraud.yaml").read_text()
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(src)
    b.write_text(src)
    run = _run_cli("validate", str(a), str(b))
    assert run.returncode == 1
    assert "duplicate scenario id" in run.stderr and "payments-fraud" in run.stderr


def test_validate_recognises_the_price_catalogue(tmp_path):
    from staffplus_widgets.data.scenario import builtin_dir

    run = _run_cli("validate", str(builtin_dir() / "prices.yaml"))
    assert run.returncode == 0 and "price catalogue" in run.stdout, run.stderr
    bad = tmp_path / "prices.yaml"
    bad.write_text("instances:\n  c6i.xlarge: {hourly_usd: -1}\n")
    run = _run_cli("validate", str(bad))
    assert run.returncode == 1 and "prices.yaml" in run.stderr


# -- widgets show a message instead of raising --------------------------------------------------------
def test_a_corrupt_work_file_that_cannot_be_moved_aside_is_never_overwritten(
    fraud, tmp_path, monkeypatch
):
    path = tmp_path / "payments-fraud.json"
    path.write_text("{not json")

    def refuse(*_a, **_k):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(workfile.os, "link", refuse)  # as in a read-only folder
    monkeypatch.setattr(workfile.os, "rename", refuse)
    from staffplus_widgets.widgets import Workbench

    bench = Workbench(fraud, path=path, autosave_delay=0)  # never raises: it says so instead
    session = bench.session
    assert "not saved" in session.notice and "not saved" in bench._notice_html.value
    session.answers["mock_answer"] = "typed anyway"
    assert not session.save_now() and "not saved" in session.last_error
    assert path.read_text() == "{not json"


def test_a_work_file_of_another_scenario_is_left_alone_and_work_goes_beside_it(
    fraud, pack, tmp_path
):
    path = tmp_path / "w.json"
    other = workfile.new_work("search-ranking", "Ann")
    workfile.save(path, other)
    before = path.read_bytes()
    session = WorkSession(fraud, path, autosave_delay=0)
    assert "search-ranking" in session.notice and session.path != path
    session.answers["mock_answer"] = "fraud work"
    assert session.save_now()
    assert path.read_bytes() == before
    assert json.loads(session.path.read_text())["scenario"] == "payments-fraud"


@pytest.mark.parametrize("minutes", ["abc", float("nan"), float("inf"), -5, 0, 1000, True])
def test_a_bad_interview_length_shows_a_message_and_uses_the_default(fraud, tmp_path, minutes):
    from staffplus_widgets.widgets import MockInterview

    iv = MockInterview(
        "payments-fraud", path=tmp_path / "w.json", minutes=minutes, deterministic=True
    )
    assert iv.minutes == fraud.interview_minutes
    assert "interview length" in iv._message.value
    iv.close()


def test_a_widget_that_failed_half_way_closes_quietly(capsys):
    import gc

    from staffplus_widgets.widgets import MockInterview

    with pytest.raises(StaffplusError):
        MockInterview("no-such-scenario")
    gc.collect()
    assert "Exception ignored" not in capsys.readouterr().err


@pytest.mark.parametrize("limit", ["abc", float("nan"), float("inf"), -1, 0, 1e9])
def test_a_bad_drill_time_limit_shows_a_message(tmp_path, limit):
    from staffplus_widgets.widgets import RiskSpottingDrill

    drill = RiskSpottingDrill("payments-fraud", path=tmp_path / "w.json", limit_s=limit)
    assert drill.limit_s == 180.0 and "time limit" in drill.notice


@pytest.mark.parametrize(
    "content",
    [
        "[" * 50_000 + "]" * 50_000,  # deep nesting
        json.dumps(["not", "an", "object"]),
        json.dumps({"judgment": ["wrong", "type"]}),
        json.dumps({"judgment": {"answers": "wrong type"}}),
        "\x00\x01 not json",
    ],
)
def test_bad_drill_files_are_moved_aside_with_a_message(tmp_path, content):
    from staffplus_widgets.widgets import JudgmentDrill

    path = tmp_path / "drills.json"
    path.write_text(content)
    drill = JudgmentDrill(path=path, limit=3)
    assert "could not be read" in drill.notice and not path.exists()
    drill.value = {0: "recall"}
    drill.submit()
    assert json.loads(path.read_text())["judgment"]["answers"] == {
        drill.statements[0].key: "recall"
    }


def test_an_oversized_drill_file_is_not_read(tmp_path):
    from staffplus_widgets.widgets import JudgmentDrill

    path = tmp_path / "drills.json"
    with open(path, "wb") as fh:
        fh.truncate(2_000_000)
    assert "larger than" in JudgmentDrill(path=path, limit=2).notice


def test_a_lone_surrogate_in_a_drill_never_stops_later_saves(tmp_path):
    from staffplus_widgets.widgets import JudgmentDrill

    path = tmp_path / "drills.json"
    drill = JudgmentDrill(path=path, limit=2)
    drill._store["judgment"] = {"answers": {}, "note": "\ud800"}
    drill.value = {1: "judgment"}
    drill.submit()
    assert json.loads(path.read_text())["judgment"]["answers"] == {
        drill.statements[1].key: "judgment"
    }


# -- values in range whose result is not a number --------------------------------------------------------
def test_a_cost_line_whose_cost_cannot_be_computed_is_refused_and_never_saved(fraud, tmp_path):
    """1e-310 requests a second per instance is a positive number, and needs infinitely many
    instances: the line is refused with a message, and the work file keeps what it had."""
    s = WorkSession(fraud, tmp_path / "w.json", autosave_delay=0)
    line = {"kind": "inference", "name": "x", "peak_qps": 1000, "hourly_usd": 1}
    with pytest.raises(StaffplusError, match="too large to compute"):
        s.cost.add_line({**line, "throughput_per_instance": 1e-310})
    s.cost.add_line({**line, "throughput_per_instance": 100})
    assert s.save_now()
    assert [ln["name"] for ln in workfile.read(s.path)["cost"]["lines"]][-1] == "x"


# -- what is saved always loads again ---------------------------------------------------------------------
def test_work_the_next_load_would_refuse_is_never_saved(fraud, tmp_path):
    """An answer over the schema's 100,000 characters is refused at save time with a message;
    the file on disk keeps its last good version and loads again."""
    s = WorkSession(fraud, tmp_path / "w.json", autosave_delay=0)
    s.answers["mock_answer"] = "kept"
    assert s.save_now()
    s.answers["mock_answer"] = "x" * 100_001
    assert not s.save_now()
    assert "would not load again" in s.last_error
    again = WorkSession(fraud, tmp_path / "w.json", autosave_delay=0)
    assert again.answers["mock_answer"] == "kept" and not again.moved_to


def test_the_201st_interview_attempt_keeps_the_latest_200_and_says_so(fraud, tmp_path):
    s = WorkSession(fraud, tmp_path / "w.json", autosave_delay=0)
    s.interviews.extend({"score": n, "counts": {"missed": 0}} for n in range(201))
    assert s.save_now(), s.last_error
    assert "latest 200" in s.notice
    kept = workfile.read(s.path)["interviews"]
    assert len(kept) == 200 and kept[0]["score"] == 1 and kept[-1]["score"] == 200


@pytest.mark.parametrize(
    "field, value",
    [
        ("variant_weights", "s"),
        ("drills", {"rewrite": "x"}),
        ("drills", {"rewrite": {"text": 5}}),
        ("drills", {"risk_spotting": None}),
        ("interviews", [{"counts": None, "score": 5}]),
    ],
)
def test_wrong_typed_parts_of_a_work_file_are_refused_at_load(fraud, tmp_path, field, value):
    """The schema covers every part a widget reads, so a bad part is moved aside with a notice
    instead of crashing a constructor."""
    path = tmp_path / "payments-fraud.json"
    doc = workfile.new_work("payments-fraud", "Ann")
    doc[field] = value
    path.write_text(json.dumps(doc))
    s = WorkSession(fraud, path, autosave_delay=0)
    assert s.moved_to is not None and s.notice


@pytest.mark.parametrize("replacement", ["hand edit", "other scenario"])
def test_a_save_never_overwrites_a_changed_file_it_cannot_merge(fraud, tmp_path, replacement):
    """A hand edit with a typo, or another scenario's work written at this path, is kept aside
    under its own name and the learner is told, before this session's save takes the path."""
    path = tmp_path / "payments-fraud.json"
    s = WorkSession(fraud, path, autosave_delay=0)
    s.answers["mock_answer"] = "v1"
    assert s.save_now()
    time.sleep(0.01)
    if replacement == "hand edit":
        text = path.read_text().replace('"v1"', '"v1 + a long hand edit",')
    else:
        text = json.dumps(workfile.new_work("search-ranking", "Ann"))
    path.write_text(text)
    s.answers["clarifying"] = "x"
    assert s.save_now(), s.last_error
    kept = [p for p in tmp_path.iterdir() if p.name != path.name and not p.name.startswith(".")]
    assert len(kept) == 1 and kept[0].read_text() == text
    assert str(kept[0]) in s.notice
    assert workfile.read(path)["answers"]["clarifying"] == "x"


@pytest.mark.parametrize("first, second", [("李雷", "王芳"), ("Ann Lee", "Ann/Lee")])
def test_two_learners_whose_names_slug_alike_never_share_a_work_file(
    fraud, tmp_path, monkeypatch, first, second
):
    monkeypatch.setenv("STAFFPLUS_WORK_DIR", str(tmp_path))
    a = WorkSession(fraud, learner=first, autosave_delay=0)
    a.answers["mock_answer"] = f"{first}'s answer"
    assert a.save_now()
    b = WorkSession(fraud, learner=second, autosave_delay=0)
    assert b.path != a.path and "mock_answer" not in b.answers
    # and the first learner still finds their own file
    assert WorkSession(fraud, learner=first, autosave_delay=0).path == a.path


def test_names_are_stored_as_typed_and_compared_in_nfkc(fraud, tmp_path):
    s = WorkSession(fraud, tmp_path / "w.json", autosave_delay=0)
    s.register.add(
        {"title": "CO₂ per m² ½ budget™", "category": "cost", "likelihood": 2, "impact": 2}
    )
    assert s.register.titles()[-1] == "CO₂ per m² ½ budget™"
    with pytest.raises(StaffplusError, match="duplicate"):
        s.register.add(
            {"title": "CO2 per m2 1⁄2 budgetTM", "category": "cost", "likelihood": 2, "impact": 2}
        )


@pytest.mark.parametrize(
    "args, says",
    [
        (["debrief", "{tmp}", "--jobs", "1_0"], "whole number"),
        (["interview", "--scenario", "payments-fraud", "--answers", "{tmp}/a.md", "--minutes", "１２"], "digits 0-9"),
        (["review", "{tmp}/payments-fraud.json", "--scenario", "search-ranking"], "holds work for"),
    ],
)  # fmt: skip
def test_command_line_values_are_never_reinterpreted(tmp_path, args, says):
    (tmp_path / "a.md").write_text("## clarify\nWhat is the latency budget?\n")
    workfile.save(tmp_path / "payments-fraud.json", workfile.new_work("payments-fraud", "Ann"))
    run = _run_cli(*[a.format(tmp=tmp_path) for a in args], timeout=60)
    assert run.returncode != 0 and says in run.stderr, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr


def test_an_answer_without_punctuation_is_cut_into_bounded_sentences():
    """Phrase matching is quadratic in a sentence's length: 930 kB pasted without a full stop
    took minutes to review. Such text is cut into runs of MAX_SENTENCE_WORDS words."""
    from staffplus_widgets.feedback.textmatch import MAX_SENTENCE_WORDS, split_sentences

    text = "label delay chargeback because " * 1000
    sentences = split_sentences(text)
    assert max(len(s.text.split()) for s in sentences) <= MAX_SENTENCE_WORDS
    assert " ".join(s.text for s in sentences) == text.strip()
    assert all(text[s.start : s.start + len(s.text)] == s.text for s in sentences)


def test_cost_lines_each_computable_whose_total_is_not_are_refused():
    from staffplus_widgets.models.cost import CostModel

    line = {
        "kind": "inference",
        "peak_qps": 1e9,
        "throughput_per_instance": 1e-291,
        "hourly_usd": 1e4,
    }
    with pytest.raises(StaffplusError, match="total too large"):
        CostModel.from_lines(
            prices=price_catalogue(), lines=[{**line, "name": f"l{i}"} for i in range(26)]
        )
    model = CostModel.from_lines(prices=price_catalogue(), lines=[{**line, "name": "l0"}])
    with pytest.raises(StaffplusError, match="total too large"):
        for i in range(1, 30):
            model.add_line({**line, "name": f"l{i}"})
    assert math.isfinite(model.estimate(10).total)


@pytest.mark.parametrize("where", ["STAFFPLUS_SCENARIOS", "--scenarios"])
def test_an_unknown_users_home_is_a_folder_that_does_not_exist(where, monkeypatch):
    if where == "STAFFPLUS_SCENARIOS":
        monkeypatch.setenv("STAFFPLUS_SCENARIOS", "~nonuser-xyz/x")
        run = _run_cli("scenarios")
    else:
        run = _run_cli("--scenarios", "~nonuser-xyz/x", "scenarios")
    assert run.returncode == 0 and "does not exist" in run.stdout + run.stderr
    assert "Traceback" not in run.stderr


def test_the_interview_and_drill_widgets_say_when_work_is_not_saved(tmp_path, monkeypatch):
    from staffplus_widgets.widgets import MockInterview, RewriteDrill, RiskSpottingDrill

    blocker = tmp_path / "afile"
    blocker.write_text("a file where the work folder should be")
    monkeypatch.setenv("STAFFPLUS_WORK_DIR", str(blocker))
    mi = MockInterview("payments-fraud", deterministic=True, autosave_delay=0)
    mi.play(["We price errors at $10 and $110, so the threshold is 8%."] * 6)
    rw = RewriteDrill("payments-fraud", autosave_delay=0)
    rw.value = "A rewrite."
    rw.check()
    sp = RiskSpottingDrill("payments-fraud", autosave_delay=0)
    sp.start()
    sp.value = "labels arrive late"
    sp.done()
    for widget in (mi, rw, sp):
        [status] = [c for c in widget.children if type(c).__name__ == "SaveStatus"]
        assert "not being saved" in status.value, type(widget).__name__


@pytest.mark.parametrize("limit", [2.5, -1, 0, True])
def test_a_judgment_drill_limit_that_is_no_count_shows_every_statement_and_says_so(tmp_path, limit):
    from staffplus_widgets.widgets import JudgmentDrill

    full = JudgmentDrill(path=tmp_path / "a.json")
    drill = JudgmentDrill(path=tmp_path / "d.json", limit=limit)
    assert len(drill.statements) == len(full.statements) and "limit must be" in drill.notice


@pytest.mark.parametrize(
    "learner, says",
    [(5, "must be text"), ("a" * 121, "longer than 120"), ("\ud800", "cannot be saved")],
)
def test_a_learner_name_the_work_file_cannot_hold_is_refused_at_once(
    fraud, tmp_path, learner, says
):
    with pytest.raises(StaffplusError, match=says):
        WorkSession(fraud, tmp_path / "w.json", learner=learner, autosave_delay=0)
    assert WorkSession(fraud, tmp_path / "w.json", learner=None, autosave_delay=0).save_now()
