"""Two writers on one work file: nothing is lost, and the learner is told what happened.

Two notebooks open on the same scenario, or a notebook and ``staffplus`` at once, both save to one
file. Each save merges what the other side changed since this side last read or wrote the file;
when both changed the same artifact, this side's version is saved and the other's is kept as
``NAME.conflict-<timestamp>.json``.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import textwrap

import pytest

from staffplus_widgets.practice.session import WorkSession


def risk(title: str) -> dict:
    return {"title": title, "category": "data", "likelihood": 3, "impact": 4}


def saved(path) -> dict:
    return json.loads(path.read_text())


def test_edits_of_different_artifacts_from_two_sessions_are_both_kept(fraud, tmp_path):
    path = tmp_path / "w.json"
    a = WorkSession(fraud, path, autosave_delay=0)
    b = WorkSession(fraud, path, autosave_delay=0)
    crit = a.matrix.criterion_names()[0]
    a.matrix.set_weight(crit, 77)
    a.changed("tradeoff")
    b.register.add(risk("Labels arrive late"))
    b.changed("risks")
    a.register_titles = None  # noqa: B018 - nothing: a has not seen b's risk yet
    a.answers["mock_answer"] = "A's answer"
    a.changed("answers")
    doc = saved(path)
    weights = {c["name"]: c["weight"] for c in doc["tradeoff"]["criteria"]}
    assert weights[crit] == 77, "A's weight survived B's save"
    assert [r["title"] for r in doc["risks"]["risks"]] == ["Labels arrive late"], "and B's risk A's"
    assert doc["answers"]["mock_answer"] == "A's answer"
    assert "Labels arrive late" in a.register.titles(), "A took B's risk into its own session"
    assert "merged" in a.notice and not a.conflicts
    assert not list(tmp_path.glob("*.conflict-*.json"))


def test_both_changing_the_same_artifact_keeps_the_other_version_beside_it(fraud, tmp_path):
    path = tmp_path / "w.json"
    a = WorkSession(fraud, path, autosave_delay=0)
    b = WorkSession(fraud, path, autosave_delay=0)
    a.register.add(risk("From A"))
    a.changed("risks")
    b.register.add(risk("From B"))
    b.changed("risks")
    assert [r["title"] for r in saved(path)["risks"]["risks"]] == ["From B"]
    (copy,) = tmp_path.glob("w.conflict-*.json")
    assert [r["title"] for r in saved(copy)["risks"]["risks"]] == ["From A"], "A's work is kept"
    assert b.conflicts == [copy]
    assert "risk register" in b.notice and copy.name in b.notice and "Import work" in b.notice


def test_a_learner_id_is_given_once_and_kept(fraud, tmp_path):
    path = tmp_path / "w.json"
    a = WorkSession(fraud, path, autosave_delay=0)
    a.save_now()
    first = saved(path)["learner_id"]
    b = WorkSession(fraud, path, autosave_delay=0)
    b.save_now()
    assert saved(path)["learner_id"] == first and len(first) == 32


DRIVER = textwrap.dedent(
    """
    import json, sys
    from staffplus_widgets.data.scenario import get_scenario
    from staffplus_widgets.practice.session import WorkSession

    session = WorkSession(get_scenario("payments-fraud"), sys.argv[1], autosave_delay=0)
    print("ready", flush=True)
    for line in sys.stdin:
        cmd, _, arg = line.strip().partition(" ")
        if cmd == "weight":
            name, value = arg.rsplit(" ", 1)
            session.matrix.set_weight(name, float(value))
            session.changed("tradeoff")
        elif cmd == "risk":
            session.register.add({"title": arg, "category": "data", "likelihood": 2, "impact": 3})
            session.changed("risks")
        elif cmd == "answer":
            session.answers["mock_answer"] = arg
            session.changed("answers")
        print(json.dumps({"notice": session.notice, "error": session.last_error,
                          "risks": session.register.titles()}), flush=True)
    """
)


@contextlib.contextmanager
def two_kernels(path):
    """Two driver processes on one work file, each ready for commands; both closed after."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", DRIVER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for p in procs:
            assert p.stdout.readline().strip() == "ready", p.stderr.read()
        yield procs
    finally:
        for p in procs:
            p.stdin.close()
            p.wait(timeout=30)


def test_two_real_processes_alternating_edits_lose_nothing(tmp_path):
    """Two kernels, one file: A and B alternate edits to the matrix, the register and the answer."""
    path = tmp_path / "payments-fraud.json"
    with two_kernels(path) as (a, b):

        def say(p, line):
            p.stdin.write(line + "\n")
            p.stdin.flush()
            out = p.stdout.readline()
            assert out, p.stderr.read()
            return json.loads(out)

        crit = "Monthly run cost"
        say(a, f"weight {crit} 33")
        say(b, "risk Card testing bursts")
        say(a, "risk Labels arrive late")  # A never saw B's risk: both risks changed
        last_b = say(b, "answer B writes the answer")
        last_a = say(a, "weight Team maintenance burden 44")
    doc = saved(path)
    weights = {c["name"]: c["weight"] for c in doc["tradeoff"]["criteria"]}
    assert weights[crit] == 33 and weights["Team maintenance burden"] == 44
    assert doc["answers"]["mock_answer"] == "B writes the answer"
    titles = [r["title"] for r in doc["risks"]["risks"]]
    conflicts = sorted(tmp_path.glob("payments-fraud.conflict-*.json"))
    kept = titles + [r["title"] for c in conflicts for r in saved(c)["risks"]["risks"]]
    assert {"Card testing bursts", "Labels arrive late"} <= set(kept), "no risk vanished"
    assert conflicts, "both changed the register: the other version is kept beside it"
    assert "risk register" in last_a["notice"] and not last_a["error"] and not last_b["error"]


@pytest.mark.slow
def test_many_alternating_saves_from_two_processes_never_lose_a_risk(tmp_path):
    """Each side adds its own risks, taking the other's in first: no conflict, every risk kept."""
    path = tmp_path / "payments-fraud.json"
    with two_kernels(path) as procs:
        for i in range(20):
            for name, p in zip("AB", procs):
                p.stdin.write(f"answer {name}{i}\n")  # an edit that merges in the other's risks
                p.stdin.flush()
                p.stdout.readline()
                p.stdin.write(f"risk {name} risk {i}\n")
                p.stdin.flush()
                p.stdout.readline()
    doc = saved(path)
    titles = {r["title"] for r in doc["risks"]["risks"]}
    conflicts = list(tmp_path.glob("*.conflict-*.json"))
    for c in conflicts:
        titles |= {r["title"] for r in saved(c)["risks"]["risks"]}
    assert titles == {f"{n} risk {i}" for n in "AB" for i in range(20)}


def test_two_drills_in_two_sessions_of_one_file_keep_both_results(fraud, tmp_path):
    """The rewrite drill and the risk-spotting drill each hold their own session in notebook 99:
    each drill's results are a part of their own, so neither moves the other's aside."""
    path = tmp_path / "payments-fraud.json"
    a = WorkSession(fraud, path, autosave_delay=0)
    b = WorkSession(fraud, path, autosave_delay=0)
    a.drills["rewrite"] = {"text": "mine"}
    assert a.save_now()
    b.drills["risk_spotting"] = [{"found": [], "lines": 1, "seconds": 3}]
    assert b.save_now()
    a.drills["rewrite"] = {"text": "mine, again"}
    assert a.save_now()
    doc = saved(path)
    assert doc["drills"]["rewrite"]["text"] == "mine, again" and doc["drills"]["risk_spotting"]
    assert not list(tmp_path.glob("*.conflict-*.json"))
