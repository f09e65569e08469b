"""Work files: atomic saves that survive SIGKILL, corrupt files moved aside, upgrades, limits."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffplus_widgets import workfile as wf
from staffplus_widgets.core.errors import StaffplusError


def test_default_dir_respects_env(tmp_path, monkeypatch):
    monkeypatch.setenv("STAFFPLUS_WORK_DIR", str(tmp_path / "w"))
    assert wf.work_path("payments-fraud") == tmp_path / "w" / "payments-fraud.json"
    monkeypatch.delenv("STAFFPLUS_WORK_DIR")
    assert wf.default_dir().as_posix() == "staffplus-work"
    assert wf.work_path("x", learner="Ana María/../../etc", directory=tmp_path).parent == tmp_path


def test_save_and_load_round_trip_unicode(tmp_path):
    work = wf.new_work("payments-fraud", learner="Zoë 张")
    work["answers"] = {"mock_answer": "Chargebacks — 90 days ✓ \u202e <script>"}
    path = wf.save(tmp_path / "a.json", work)
    loaded = wf.load(path, "payments-fraud")
    assert loaded.existed and loaded.notice == ""
    assert loaded.work["answers"] == work["answers"]
    assert loaded.work["learner"] == "Zoë 张"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"], "no temp files left behind"


def test_missing_file_gives_fresh_work(tmp_path):
    loaded = wf.load(tmp_path / "none.json", "search-ranking")
    assert not loaded.existed and loaded.work["scenario"] == "search-ranking"


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"[1, 2]",
        b"\xff\xfe\x00",
        b'{"format": "other", "version": 2}',
        b'{"format": "staffplus-work", "version": 99, "scenario": "x"}',
        b'{"format": "staffplus-work", "version": 2, "scenario": "x", "risks": {"risks": [{"title": "t", "category": "nope", "likelihood": 1, "impact": 1}]}}',
        b'{"format": "staffplus-work", "version": 2, "scenario": "x", "cost": {"lines": [{"kind": "storage", "name": "s", "gb": NaN, "usd_per_gb_month": 1}]}}',
    ],
)
def test_corrupt_file_is_moved_aside_never_overwritten(tmp_path, content):
    path = tmp_path / "payments-fraud.json"
    path.write_bytes(content)
    loaded = wf.load(path, "payments-fraud")
    assert loaded.moved_to is not None and loaded.moved_to.read_bytes() == content
    assert str(loaded.moved_to) in loaded.notice
    assert not path.exists()
    # a second corrupt file the same second gets its own name
    path.write_bytes(content)
    again = wf.load(path, "payments-fraud")
    assert again.moved_to != loaded.moved_to and loaded.moved_to.read_bytes() == content


def test_huge_and_deep_files_are_refused(tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(
        b'{"format": "staffplus-work", "version": 2, "scenario": "x", "answers": {"a": "'
        + b"x" * (wf.MAX_BYTES + 10)
        + b'"}}'
    )
    loaded = wf.load(big, "x")
    assert "larger than 5 MB" in loaded.notice
    with pytest.raises(StaffplusError, match="nested deeper"):
        wf.parse("[" * 100_000 + "]" * 100_000)
    with pytest.raises(StaffplusError, match="nested deeper"):
        nested: list = []
        for _ in range(80):
            nested = [nested]
        wf.parse(
            json.dumps(
                {"format": "staffplus-work", "version": 2, "scenario": "x", "drills": {"a": nested}}
            )
        )


def test_save_refuses_oversized_work_and_keeps_old_file(tmp_path):
    path = wf.save(tmp_path / "w.json", wf.new_work("x"))
    before = path.read_bytes()
    work = wf.new_work("x")
    # every answer within the schema's 100,000 characters, the whole over the size cap
    work["answers"] = {f"a{i}": "x" * 99_000 for i in range(wf.MAX_BYTES // 99_000 + 1)}
    with pytest.raises(StaffplusError, match="larger than"):
        wf.save(path, work)
    assert path.read_bytes() == before


def _attempt(kind="review"):
    items = {"label-delay": {"category": "data", "phase": "deep_dive", "level": "named"}}
    if kind == "interview":
        items["label-delay"]["raised"] = "prompted"
    return {"kind": kind, "time": "2026-11-02T09:00:00Z", "scenario": "payments-fraud",
            "score": 40, "items": items}  # fmt: skip


def test_version_2_loads_with_no_attempts_and_attempts_round_trip(tmp_path):
    old = {"format": "staffplus-work", "version": 2, "scenario": "payments-fraud",
           "interviews": [{"score": 40, "counts": {"unprompted": 1}}]}  # fmt: skip
    path = tmp_path / "payments-fraud.json"
    path.write_text(json.dumps(old))
    loaded = wf.load(path, "payments-fraud")
    assert loaded.work["version"] == wf.VERSION == 3
    assert loaded.work["attempts"] == [] and len(loaded.work["interviews"]) == 1
    assert "from format version 2 to 3" in loaded.notice
    work = dict(loaded.work, attempts=[_attempt(), _attempt("interview")])
    wf.save(path, work)
    assert wf.read(path)["attempts"] == [_attempt(), _attempt("interview")]
    assert wf.new_work("x")["attempts"] == []


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "guess"},
        {"items": {"a": {"category": "nope", "level": "named"}}},
        {"items": {"a": {"category": "data", "level": "half"}}},
        {"items": {"a": {"category": "data", "level": "named", "raised": "loudly"}}},
        {"items": None},
        {"score": 101},
    ],
)
def test_a_malformed_attempt_is_refused(bad):
    attempt = {k: v for k, v in (_attempt() | bad).items() if v is not None}
    doc = {"format": "staffplus-work", "version": 3, "scenario": "x", "attempts": [attempt]}
    wf.parse(json.dumps(dict(doc, attempts=[_attempt()])))  # the well-formed one loads
    with pytest.raises(StaffplusError):
        wf.parse(json.dumps(doc))


def test_version_1_is_upgraded(tmp_path):
    v1 = {
        "format": "staffplus-work",
        "version": 1,
        "scenario": "payments-fraud",
        "matrix": {
            "options": [{"name": "Rules"}],
            "criteria": [{"name": "Cost", "weight": 1}],
            "scores": [],
        },
        "risks": [{"title": "Label delay", "category": "data", "likelihood": 4, "impact": 4}],
        "cost_lines": [{"kind": "people", "name": "Team", "fte": 2}],
        "answer": "I would ask about chargebacks first.",
    }
    path = tmp_path / "old.json"
    path.write_text(json.dumps(v1))
    loaded = wf.load(path, "payments-fraud")
    work = loaded.work
    assert work["version"] == wf.VERSION and "Upgraded" in loaded.notice
    assert work["risks"]["risks"][0]["title"] == "Label delay"
    assert work["cost"]["lines"][0]["fte"] == 2
    assert work["answers"]["mock_answer"].startswith("I would ask")
    assert work["tradeoff"]["options"][0]["name"] == "Rules"


def test_loading_never_uses_unsafe_deserialisers():
    source = Path(wf.__file__).read_text()
    for bad in ("import pickle", "eval(", "yaml.load(", "exec(", "marshal"):
        assert bad not in source


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=20), st.text(max_size=200), max_size=8))
def test_round_trip_any_answers(tmp_path_factory, answers):
    folder = tmp_path_factory.mktemp("rt")
    work = wf.new_work("payments-fraud")
    work["answers"] = answers
    wf.save(folder / "w.json", work)
    assert wf.load(folder / "w.json", "payments-fraud").work["answers"] == answers


SAVER = r"""
import sys
from staffplus_widgets import workfile as wf
path = sys.argv[1]
i = 0
print("ready", flush=True)
while True:
    i += 1
    work = wf.new_work("payments-fraud")
    # big enough that a torn write would be visible
    work["answers"] = {"mock_answer": str(i) * 20000, "n": str(i)}
    wf.save(path, work)
"""


def test_sigkill_during_saves_leaves_old_or_new_document(tmp_path):
    path = tmp_path / "w.json"
    seen_versions = set()
    for attempt in range(12):
        proc = subprocess.Popen([sys.executable, "-c", SAVER, str(path)], stdout=subprocess.PIPE)
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(0.05 + 0.02 * attempt)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        if not path.exists():
            continue  # killed before the first save completed: nothing to check yet
        doc = json.loads(path.read_text())  # must be complete JSON every time
        n = doc["answers"]["n"]
        assert doc["answers"]["mock_answer"] == n * 20000
        seen_versions.add(n)
        assert wf.load(path, "payments-fraud").notice == ""
    assert seen_versions, "the saver never completed a save"


def test_lone_surrogates_are_refused_on_load(tmp_path):
    path = tmp_path / "payments-fraud.json"
    path.write_text(
        '{"format": "staffplus-work", "version": 2, "scenario": "payments-fraud", "answers": {"a": "\\ud800"}}'
    )
    loaded = wf.load(path, "payments-fraud")
    assert "not valid Unicode" in loaded.notice and loaded.moved_to is not None


def test_read_upto_reads_past_a_stale_size_but_never_past_the_cap(tmp_path):
    path = tmp_path / "grew.json"
    path.write_bytes(b"x" * 200_000)
    fd = os.open(path, os.O_RDONLY)
    try:
        assert wf.read_upto(fd, 11, 1_000_000) == b"x" * 200_000  # size said 10
    finally:
        os.close(fd)
    fd = os.open(path, os.O_RDONLY)
    try:
        assert len(wf.read_upto(fd, 11, 70_001)) == 70_001  # stops at the cap
    finally:
        os.close(fd)


def test_a_new_estimate_starts_at_the_scenarios_peak_traffic(pack, tmp_path):
    from staffplus_widgets.practice.session import WorkSession

    fraud = WorkSession(pack.get("payments-fraud"), tmp_path / "f.json", autosave_delay=0)
    search = WorkSession(pack.get("search-ranking"), tmp_path / "s.json", autosave_delay=0)
    peaks = {s.cost.lines[0].values["peak_qps"] for s in (fraud, search)}
    assert 60 in peaks and 1000 not in peaks and len(peaks) == 2
