"""Submissions: atomic copies into a shared folder that never overwrite another learner's work."""

from __future__ import annotations

import json
import os
import random
import sys
import threading
from pathlib import Path

import pytest

from staffplus_widgets import submit as sub
from staffplus_widgets import workfile
from staffplus_widgets.cli import main
from staffplus_widgets.errors import StaffplusError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "instructor"
sys.path.insert(0, str(FIXTURES))

import instructor_cohort as cohort  # noqa: E402

SID = cohort.SCENARIO_ID


@pytest.fixture(scope="module")
def pack():
    return cohort.load_fixture_pack()


@pytest.fixture(scope="module")
def sc(pack):
    return pack.get(SID)


@pytest.fixture()
def shared(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    return folder


def make_work(
    sc, folder: Path, learner: str, answer: str = "first answer", name: str = "w.json"
) -> Path:
    work, _ = cohort.good_work(sc, learner, random.Random(len(learner)), source="answer")
    work["answers"] = {"mock_answer": answer}
    return workfile.save(folder / name, work)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_first_submission_is_named_after_scenario_and_learner(sc, tmp_path, shared):
    src = make_work(sc, tmp_path, "Ann Lee")
    result = sub.submit(src, shared)
    assert result.path == shared / f"{SID}--Ann-Lee.json" and not result.replaced
    copy = workfile.parse(result.path.read_bytes())
    original = workfile.parse(src.read_bytes())
    assert copy["submission"]["name"] == "Ann Lee" and copy["submission"]["learner"] == "Ann Lee"
    assert {k: v for k, v in copy.items() if k != "submission"} == original
    assert listing(shared) == [f"{SID}--Ann-Lee.json"], "no temp files left behind"
    assert oct(result.path.stat().st_mode & 0o777) == oct(sub.FILE_MODE)


def test_resubmitting_replaces_only_your_own_copy(sc, tmp_path, shared):
    src = make_work(sc, tmp_path, "Ann Lee", "first answer")
    first = sub.submit(src, shared)
    inode = first.path.stat().st_ino
    make_work(sc, tmp_path, "Ann Lee", "second, better answer")
    second = sub.submit(src, shared)
    assert second.path == first.path and second.replaced
    assert json.loads(second.path.read_text())["answers"]["mock_answer"] == "second, better answer"
    assert second.path.stat().st_ino != inode, "replaced by rename, not rewritten in place"
    assert listing(shared) == [f"{SID}--Ann-Lee.json"]


def test_another_learner_with_the_same_name_gets_a_suffix(sc, tmp_path, shared):
    ann = make_work(sc, tmp_path, "Ann Lee", "Ann's answer", "ann.json")
    other = make_work(sc, tmp_path, "Ann Lee (evening group)", "the other Ann", "other.json")
    taken = sub.submit(ann, shared)
    before = taken.path.read_bytes()
    second = sub.submit(other, shared, "Ann Lee")
    assert second.path.name == f"{SID}--Ann-Lee-2.json" and not second.replaced
    assert taken.path.read_bytes() == before, "the first learner's file is untouched"
    # each re-submits: both replace their own copy only
    make_work(sc, tmp_path, "Ann Lee (evening group)", "the other Ann, revised", "other.json")
    again = sub.submit(other, shared, "Ann Lee")
    assert again.path == second.path and again.replaced
    assert taken.path.read_bytes() == before
    assert json.loads(again.path.read_text())["answers"]["mock_answer"] == "the other Ann, revised"


def test_same_learner_field_but_a_different_name_is_a_different_submission(sc, tmp_path, shared):
    src = make_work(sc, tmp_path, "Sam")
    a = sub.submit(src, shared, "Sam")
    b = sub.submit(src, shared, "Sam Two")
    assert a.path != b.path and listing(shared) == sorted([a.path.name, b.path.name])


def test_name_defaults_to_learner_then_os_user(sc, tmp_path, shared, monkeypatch):
    src = make_work(sc, tmp_path, "")
    monkeypatch.setattr(sub.getpass, "getuser", lambda: "jdoe")
    assert sub.submit(src, shared).path.name == f"{SID}--jdoe.json"

    def no_user() -> str:
        raise KeyError("no passwd entry")

    monkeypatch.setattr(sub.getpass, "getuser", no_user)
    assert sub.submit(src, shared).path.name == f"{SID}--learner.json"
    assert sub.submit(src, shared, "  Zoë  Ångström ").path.name == f"{SID}--Zo-ngstr-m.json"


@pytest.mark.parametrize("occupant", ["symlink", "folder", "corrupt", "other-format"])
def test_never_replaces_something_that_is_not_your_submission(sc, tmp_path, shared, occupant):
    src = make_work(sc, tmp_path, "Ann Lee")
    target = shared / f"{SID}--Ann-Lee.json"
    victim = tmp_path / "victim.json"
    victim.write_text("precious")
    if occupant == "symlink":
        os.symlink(victim, target)
    elif occupant == "folder":
        target.mkdir()
    elif occupant == "corrupt":
        target.write_text("{not json")
    else:
        target.write_text(json.dumps({"format": "something-else", "learner": "Ann Lee"}))
    result = sub.submit(src, shared)
    assert result.path.name == f"{SID}--Ann-Lee-2.json"
    assert victim.read_text() == "precious"
    if occupant == "corrupt":
        assert target.read_text() == "{not json"


def test_without_hard_links_the_name_is_reserved_first(sc, tmp_path, shared, monkeypatch):
    ann = make_work(sc, tmp_path, "Ann Lee", "Ann", "ann.json")
    other = make_work(sc, tmp_path, "Another Ann", "other", "other.json")

    def no_links(src, dst):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(sub.os, "link", no_links)
    first = sub.submit(ann, shared)
    before = first.path.read_bytes()
    second = sub.submit(other, shared, "Ann Lee")
    assert second.path.name.endswith("-2.json") and first.path.read_bytes() == before
    assert sub.submit(ann, shared).replaced
    assert len(listing(shared)) == 2


def test_concurrent_submissions_under_one_name_all_survive(sc, tmp_path, shared):
    sources = [
        make_work(sc, tmp_path, f"Student {i}", f"answer {i}", f"s{i}.json") for i in range(12)
    ]
    results: list[sub.Submission] = []
    errors: list[BaseException] = []

    def go(src: Path) -> None:
        try:
            results.append(sub.submit(src, shared, "Sam"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=go, args=(s,)) for s in sources]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len({r.path for r in results}) == 12 and len(listing(shared)) == 12
    answers = sorted(json.loads(p.read_text())["answers"]["mock_answer"] for p in shared.iterdir())
    assert answers == sorted(f"answer {i}" for i in range(12))


def test_invalid_or_oversized_work_is_refused(sc, tmp_path, shared):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "format": "staffplus-work",
                "version": 2,
                "scenario": SID,
                "risks": {
                    "risks": [{"title": "t", "category": "nope", "likelihood": 1, "impact": 1}]
                },
            }
        )
    )
    with pytest.raises(StaffplusError, match="category"):
        sub.submit(bad, shared)
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as fh:
        fh.truncate(workfile.MAX_BYTES + 1)
    with pytest.raises(StaffplusError, match="larger than 5 MB"):
        sub.submit(huge, shared)
    with pytest.raises(StaffplusError, match="is not an existing folder"):
        sub.submit(make_work(sc, tmp_path, "Ann"), tmp_path / "nowhere")
    assert listing(shared) == []


def run_cli(capsys, *args: str, check_rc: int) -> tuple[str, str]:
    rc = main(["--scenarios", str(FIXTURES), *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and rc == check_rc, (rc, out, err)
    return out, err


def test_cli_submit(sc, tmp_path, shared, capsys):
    src = make_work(sc, tmp_path, "Ann Lee")
    out, _ = run_cli(capsys, "submit", str(src), "--to", str(shared), check_rc=0)
    assert out.strip() == str(shared / f"{SID}--Ann-Lee.json")
    out, _ = run_cli(capsys, "submit", str(src), "--to", str(shared), "--name", "Bob", check_rc=0)
    assert out.strip().endswith(f"{SID}--Bob.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    _, err = run_cli(capsys, "submit", str(bad), "--to", str(shared), check_rc=1)
    assert err.startswith("staffplus submit: ") and len(err.strip().splitlines()) == 1
    unknown = tmp_path / "unknown.json"
    unknown.write_text(
        json.dumps({"format": "staffplus-work", "version": 2, "scenario": "no-such-scenario"})
    )
    assert (
        "unknown scenario id"
        in run_cli(capsys, "submit", str(unknown), "--to", str(shared), check_rc=1)[1]
    )
    run_cli(capsys, "submit", str(src), "--to", str(tmp_path / "missing"), check_rc=1)
    run_cli(capsys, "submit", str(src), check_rc=2)
    assert listing(shared) == [f"{SID}--Ann-Lee.json", f"{SID}--Bob.json"]


def test_lone_surrogates_are_refused_with_a_clear_message(sc, tmp_path, shared):
    # such text can never be written back as UTF-8, so the work file counts as corrupt
    work = cohort.surrogate_work(sc)
    src = tmp_path / "w.json"
    src.write_text(json.dumps(work, ensure_ascii=True), "ascii")
    with pytest.raises(StaffplusError, match="not valid Unicode"):
        sub.submit(src, shared)
    assert list(shared.iterdir()) == []


def test_learners_sharing_one_os_account_on_a_hub_get_separate_submissions(tmp_path, monkeypatch):
    """On Zero to JupyterHub every learner is the OS user "jovyan": the hub user name keeps them apart."""
    import getpass

    from staffplus_widgets import workfile
    from staffplus_widgets.submit import submit

    monkeypatch.setattr(getpass, "getuser", lambda: "jovyan")
    shared = tmp_path / "shared"
    shared.mkdir()
    paths = []
    for user in ("ana", "bo"):
        path = tmp_path / f"{user}.json"
        workfile.save(path, workfile.new_work("payments-fraud"))
        monkeypatch.setenv("JUPYTERHUB_USER", user)
        paths.append(submit(path, shared).path)
    assert len(set(paths)) == 2 and len(list(shared.glob("*.json"))) == 2
    assert {p.name for p in paths} == {"payments-fraud--ana.json", "payments-fraud--bo.json"}


# -- the answer review saved at hand-in ----------------------------------------------------------------------------
def test_submission_carries_a_fresh_review_of_the_answer(sc, pack, tmp_path, shared):
    from staffplus_widgets.feedback import recorded_review, review_text, text_digest

    answer = " ".join(cohort._examples(sc).values())
    path = make_work(sc, tmp_path, "Ann", answer=answer)
    forged = json.loads(path.read_text())
    forged["reviews"] = {"mock_answer": {"score": 100, "raised": ["made-up"], "stamp": "x"}}
    path.write_text(json.dumps(forged))
    copy = json.loads(sub.submit(path, shared, pack=pack).path.read_text())
    record = copy["reviews"]["mock_answer"]
    review = review_text(sc, answer)
    assert record["text_sha256"] == text_digest(answer)
    assert (record["raised"], record["score"]) == (review.raised_ids, review.score)
    assert recorded_review(sc, answer, record) == (
        review.raised_ids,
        review.score,
        record["levels"],
    )
    assert record["levels"] == {i.id: i.level for i in review.items if i.level != "absent"}
    assert recorded_review(sc, answer + " ", record) is None  # another text


def test_no_review_without_an_answer_or_a_known_scenario(sc, pack, tmp_path, shared):
    empty = make_work(sc, tmp_path, "Bo", answer="   ", name="e.json")
    assert "reviews" not in json.loads(sub.submit(empty, shared, pack=pack).path.read_text())
    # the fixture scenario is not built in: without its pack, nothing to review against
    unknown = make_work(sc, tmp_path, "Cy", name="u.json")
    assert "reviews" not in json.loads(sub.submit(unknown, shared).path.read_text())
