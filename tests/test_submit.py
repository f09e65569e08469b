"""Submissions: atomic copies into a shared folder that never overwrite another learner's work."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from staffplus_widgets import workfile
from staffplus_widgets.cli import main
from staffplus_widgets.core.errors import StaffplusError
from staffplus_widgets.practice import submit as sub

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "instructor"
sys.path.insert(0, str(FIXTURES))

import instructor_cohort as cohort  # noqa: E402

SID = cohort.SCENARIO_ID


@pytest.fixture()
def shared(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    return folder


def make_work(
    sc, folder: Path, learner: str, answer: str = "first answer", name: str = "w.json"
) -> Path:
    """A work file for ``learner``; writing it again keeps its learner id, as a session does."""
    work, _ = cohort.good_work(sc, learner, random.Random(len(learner)), source="answer")
    work["answers"] = {"mock_answer": answer}
    path = folder / name
    if path.exists():
        work["learner_id"] = json.loads(path.read_text())["learner_id"]
    return workfile.save(path, work)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def id_of(path: Path) -> str:
    return json.loads(path.read_text())["learner_id"]


def filed(name: str, path: Path, suffix: str = "") -> str:
    """The hand-in file name for ``name`` and the learner id of the work file at ``path``."""
    return f"{SID}--{name}--{id_of(path)[: sub.ID_CHARS]}{suffix}.json"


def test_first_submission_is_named_after_scenario_learner_and_id(cohort_scenario, tmp_path, shared):
    src = make_work(cohort_scenario, tmp_path, "Ann Lee")
    result = sub.submit(src, shared)
    assert result.path == shared / filed("Ann-Lee", src) and not result.replaced
    copy = workfile.parse(result.path.read_bytes())
    original = workfile.parse(src.read_bytes())
    assert copy["submission"]["name"] == "Ann Lee" and copy["submission"]["learner"] == "Ann Lee"
    assert copy["submission"]["learner_id"] == original["learner_id"]
    assert {k: v for k, v in copy.items() if k != "submission"} == original
    assert listing(shared) == [filed("Ann-Lee", src)], "no temp files left behind"


def test_a_hand_in_is_readable_by_its_owner_only_or_the_folders_group(
    cohort_scenario, tmp_path, shared
):
    src = make_work(cohort_scenario, tmp_path, "Ann Lee")
    assert sub.submit(src, shared).path.stat().st_mode & 0o777 == sub.PRIVATE_MODE
    group = tmp_path / "group"
    group.mkdir()
    os.chmod(group, 0o2770)  # set-group-id: the instructors' group reads hand-ins
    assert sub.submit(src, group).path.stat().st_mode & 0o777 == sub.GROUP_MODE


def test_resubmitting_replaces_only_your_own_copy(cohort_scenario, tmp_path, shared):
    src = make_work(cohort_scenario, tmp_path, "Ann Lee", "first answer")
    first = sub.submit(src, shared)
    inode = first.path.stat().st_ino
    make_work(cohort_scenario, tmp_path, "Ann Lee", "second, better answer")
    second = sub.submit(src, shared)
    assert second.path == first.path and second.replaced
    assert json.loads(second.path.read_text())["answers"]["mock_answer"] == "second, better answer"
    assert second.path.stat().st_ino != inode, "replaced by rename, not rewritten in place"
    assert listing(shared) == [filed("Ann-Lee", src)]


def test_two_learners_with_the_same_name_never_replace_each_other(
    cohort_scenario, tmp_path, shared
):
    """Same display name, same OS user (jovyan on Zero to JupyterHub): the learner id decides."""
    ann = make_work(cohort_scenario, tmp_path, "Ann Lee", "Ann's answer", "ann.json")
    other = make_work(cohort_scenario, tmp_path, "Ann Lee", "the other Ann", "other.json")
    assert id_of(ann) != id_of(other)
    taken = sub.submit(ann, shared)
    before = taken.path.read_bytes()
    second = sub.submit(other, shared)
    assert second.path != taken.path and not second.replaced
    assert taken.path.read_bytes() == before, "the first learner's file is untouched"
    make_work(cohort_scenario, tmp_path, "Ann Lee", "the other Ann, revised", "other.json")
    again = sub.submit(other, shared)
    assert again.path == second.path and again.replaced
    assert taken.path.read_bytes() == before
    assert json.loads(again.path.read_text())["answers"]["mock_answer"] == "the other Ann, revised"


def test_a_copy_with_a_forged_name_but_another_id_is_never_replaced(
    cohort_scenario, tmp_path, shared
):
    src = make_work(cohort_scenario, tmp_path, "Ann Lee")
    target = shared / filed("Ann-Lee", src)
    forged = json.loads(src.read_text())
    forged["learner_id"] = "f" * 32  # someone else's file under this learner's name
    target.write_text(json.dumps(forged))
    result = sub.submit(src, shared)
    assert result.path.name == filed("Ann-Lee", src, "-2") and not result.replaced
    assert json.loads(target.read_text())["learner_id"] == "f" * 32


def test_a_work_file_without_an_id_gets_one_and_never_replaces(cohort_scenario, tmp_path, shared):
    src = make_work(cohort_scenario, tmp_path, "Old Timer")
    old = json.loads(src.read_text())
    del old["learner_id"]
    src.write_text(json.dumps(old))
    a, b = sub.submit(src, shared), sub.submit(src, shared)
    assert a.path != b.path and not b.replaced
    assert len({id_of(a.path), id_of(b.path)}) == 2


def test_same_learner_under_another_name_is_another_file(cohort_scenario, tmp_path, shared):
    src = make_work(cohort_scenario, tmp_path, "Sam")
    a = sub.submit(src, shared, "Sam")
    b = sub.submit(src, shared, "Sam Two")
    assert a.path != b.path and listing(shared) == sorted([a.path.name, b.path.name])


def test_name_defaults_to_learner_then_os_user(cohort_scenario, tmp_path, shared, monkeypatch):
    src = make_work(cohort_scenario, tmp_path, "")
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setattr(sub.getpass, "getuser", lambda: "jdoe")
    assert sub.submit(src, shared).path.name == filed("jdoe", src)

    def no_user() -> str:
        raise KeyError("no passwd entry")

    monkeypatch.setattr(sub.getpass, "getuser", no_user)
    assert sub.submit(src, shared).path.name == filed("learner", src)
    assert sub.submit(src, shared, "  Zoë  Ångström ").path.name == filed("Zo-ngstr-m", src)


@pytest.mark.parametrize("occupant", ["symlink", "folder", "corrupt", "other-format", "fifo"])
def test_never_replaces_something_that_is_not_your_submission(
    cohort_scenario, tmp_path, shared, occupant
):
    src = make_work(cohort_scenario, tmp_path, "Ann Lee")
    target = shared / filed("Ann-Lee", src)
    victim = tmp_path / "victim.json"
    victim.write_text(src.read_text())  # even a copy of your own work behind a link stays put
    if occupant == "symlink":
        os.symlink(victim, target)
    elif occupant == "folder":
        target.mkdir()
    elif occupant == "corrupt":
        target.write_text("{not json")
    elif occupant == "fifo":
        os.mkfifo(target)
    else:
        target.write_text(json.dumps({"format": "something-else", "learner": "Ann Lee"}))
    result = sub.submit(src, shared)
    assert result.path.name == filed("Ann-Lee", src, "-2")
    assert victim.read_text() == src.read_text()
    if occupant == "corrupt":
        assert target.read_text() == "{not json"


def test_without_hard_links_the_name_is_reserved_first(
    cohort_scenario, tmp_path, shared, monkeypatch
):
    ann = make_work(cohort_scenario, tmp_path, "Ann Lee", "Ann", "ann.json")
    other = make_work(cohort_scenario, tmp_path, "Another Ann", "other", "other.json")

    def no_links(src, dst):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(sub.os, "link", no_links)
    first = sub.submit(ann, shared)
    before = first.path.read_bytes()
    # another learner's copy already sits at this learner's name (a forged or colliding id)
    squatter = shared / filed("Ann-Lee", other)
    squatter.write_bytes(before)
    second = sub.submit(other, shared, "Ann Lee")
    assert second.path.name == filed("Ann-Lee", other, "-2") and first.path.read_bytes() == before
    assert squatter.read_bytes() == before
    assert sub.submit(ann, shared).replaced
    assert len(listing(shared)) == 3


def test_concurrent_submissions_under_one_name_all_survive(cohort_scenario, tmp_path, shared):
    sources = [
        make_work(cohort_scenario, tmp_path, "Sam", f"answer {i}", f"s{i}.json") for i in range(12)
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


def test_invalid_or_oversized_work_is_refused(cohort_scenario, tmp_path, shared):
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
        sub.submit(make_work(cohort_scenario, tmp_path, "Ann"), tmp_path / "nowhere")
    assert listing(shared) == []


def run_cli(capsys, *args: str, check_rc: int) -> tuple[str, str]:
    rc = main(["--scenarios", str(FIXTURES), *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and rc == check_rc, (rc, out, err)
    return out, err


def test_cli_submit(cohort_scenario, tmp_path, shared, capsys):
    src = make_work(cohort_scenario, tmp_path, "Ann Lee")
    out, _ = run_cli(capsys, "submit", str(src), "--to", str(shared), check_rc=0)
    assert out.strip() == str(shared / filed("Ann-Lee", src))
    out, _ = run_cli(capsys, "submit", str(src), "--to", str(shared), "--name", "Bob", check_rc=0)
    assert out.strip().endswith(filed("Bob", src))
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
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)  # never waited on
    _, err = run_cli(capsys, "submit", str(fifo), "--to", str(shared), check_rc=1)
    assert "not a regular file" in err
    assert listing(shared) == sorted([filed("Ann-Lee", src), filed("Bob", src)])


def test_lone_surrogates_are_refused_with_a_clear_message(cohort_scenario, tmp_path, shared):
    # such text can never be written back as UTF-8, so the work file counts as corrupt
    work = cohort.surrogate_work(cohort_scenario)
    src = tmp_path / "w.json"
    src.write_text(json.dumps(work, ensure_ascii=True), "ascii")
    with pytest.raises(StaffplusError, match="not valid Unicode"):
        sub.submit(src, shared)
    assert list(shared.iterdir()) == []


def test_learners_sharing_one_os_account_on_a_hub_get_separate_submissions(tmp_path, monkeypatch):
    """On Zero to JupyterHub every learner is the OS user "jovyan": the hub user name keeps them apart."""
    import getpass

    from staffplus_widgets import workfile
    from staffplus_widgets.practice.submit import submit

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
    assert sorted(p.name.split("--")[1] for p in paths) == ["ana", "bo"]


# -- the answer review saved at hand-in ----------------------------------------------------------------------------
def test_submission_carries_a_fresh_review_of_the_answer(
    cohort_scenario, cohort_pack, tmp_path, shared
):
    from staffplus_widgets.feedback import recorded_review, review_text, text_digest

    answer = " ".join(cohort._examples(cohort_scenario).values())
    path = make_work(cohort_scenario, tmp_path, "Ann", answer=answer)
    forged = json.loads(path.read_text())
    forged["reviews"] = {"mock_answer": {"score": 100, "raised": ["made-up"], "stamp": "x"}}
    path.write_text(json.dumps(forged))
    copy = json.loads(sub.submit(path, shared, pack=cohort_pack).path.read_text())
    record = copy["reviews"]["mock_answer"]
    review = review_text(cohort_scenario, answer)
    assert record["text_sha256"] == text_digest(answer)
    assert (record["raised"], record["score"]) == (review.raised_ids, review.score)
    assert recorded_review(cohort_scenario, answer, record) == (
        review.raised_ids,
        review.score,
        record["levels"],
    )
    assert record["levels"] == {i.id: i.level for i in review.items if i.level != "absent"}
    assert recorded_review(cohort_scenario, answer + " ", record) is None  # another text


def test_no_review_without_an_answer_or_a_known_scenario(
    cohort_scenario, cohort_pack, tmp_path, shared
):
    empty = make_work(cohort_scenario, tmp_path, "Bo", answer="   ", name="e.json")
    assert "reviews" not in json.loads(sub.submit(empty, shared, pack=cohort_pack).path.read_text())
    # the fixture scenario is not built in: without its pack, nothing to review against
    unknown = make_work(cohort_scenario, tmp_path, "Cy", name="u.json")
    assert "reviews" not in json.loads(sub.submit(unknown, shared).path.read_text())


# -- real users: two learners and an instructor (needs root to switch uids with setpriv) ------------------
LEARNER_A, LEARNER_B, INSTRUCTOR, INSTRUCTORS = 52001, 52002, 52003, 53000


def as_user(uid: int, *cmd: str, groups: str = "") -> subprocess.CompletedProcess[str]:
    switch = ["setpriv", f"--reuid={uid}", f"--regid={uid}"]
    switch += [f"--groups={groups}"] if groups else ["--clear-groups"]
    env = {"PATH": os.environ.get("PATH", ""), "HOME": "/tmp", "STAFFPLUS_CACHE_DIR": "off"}
    return subprocess.run([*switch, *cmd], capture_output=True, text=True, env=env, timeout=60)


def _needs_root():
    import shutil

    if os.geteuid() != 0 or not shutil.which("setpriv"):
        if os.environ.get("CI") == "true":
            pytest.fail("the two-user hand-in test needs root and setpriv in CI")
        pytest.skip("needs root and setpriv to act as two users")


@pytest.fixture()
def request_cleanup():
    todo: list = []
    yield todo
    for fn in todo:
        fn()


@pytest.mark.parametrize("setgid", [True, False])
def test_two_real_users_can_neither_read_nor_replace_each_others_hand_ins(
    cohort_scenario, setgid, request_cleanup
):
    """A sticky hand-in folder shared by two OS users: each hands in under the same name, neither
    can read, list, replace or delete the other's copy; the instructors' group (set-group-id
    folder) or root reads both."""
    _needs_root()
    import shutil
    import tempfile

    tmp_path = Path(tempfile.mkdtemp(prefix="staffplus-users-"))  # pytest's own is root-only
    request_cleanup.append(lambda: shutil.rmtree(tmp_path, ignore_errors=True))
    os.chmod(tmp_path, 0o755)
    folder = tmp_path / "submissions"
    folder.mkdir()
    os.chown(folder, 0, INSTRUCTORS)
    os.chmod(folder, 0o3773 if setgid else 0o1733)
    sources = {}
    for uid in (LEARNER_A, LEARNER_B):
        home = tmp_path / f"home-{uid}"
        home.mkdir()
        src = make_work(cohort_scenario, home, "Ann Lee", f"answer of {uid}")
        os.chown(home, uid, uid)
        os.chown(src, uid, uid)
        sources[uid] = src
    python = sys.executable
    fixture_dir = str(FIXTURES)
    done = {}
    for uid, src in sources.items():
        run = as_user(
            uid, python, "-m", "staffplus_widgets", "--scenarios", fixture_dir, "submit", str(src),
            "--to", str(folder),
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        done[uid] = Path(run.stdout.strip())
    a, b = done[LEARNER_A], done[LEARNER_B]
    assert a != b, "same name, two learners: two files"
    assert a.stat().st_uid == LEARNER_A and b.stat().st_uid == LEARNER_B
    assert a.stat().st_mode & 0o777 == (sub.GROUP_MODE if setgid else sub.PRIVATE_MODE)
    # learner B: cannot read, list, replace or delete learner A's copy
    assert as_user(LEARNER_B, "cat", str(a)).returncode != 0
    assert as_user(LEARNER_B, "ls", str(folder)).returncode != 0
    assert as_user(LEARNER_B, "rm", "-f", str(a)).returncode != 0
    assert as_user(LEARNER_B, "cp", str(b), str(a)).returncode != 0
    assert json.loads(a.read_text())["answers"]["mock_answer"] == f"answer of {LEARNER_A}"
    # re-submitting replaces only one's own copy
    rerun = as_user(
        LEARNER_B, python, "-m", "staffplus_widgets", "--scenarios", fixture_dir, "submit",
        str(sources[LEARNER_B]), "--to", str(folder),
    )  # fmt: skip
    assert rerun.returncode == 0 and Path(rerun.stdout.strip()) == b, rerun.stderr
    if setgid:  # the instructors' group reads every hand-in
        for path in (a, b):
            assert as_user(INSTRUCTOR, "cat", str(path), groups=str(INSTRUCTORS)).returncode == 0
    else:  # only root (the instructor on a one-machine hub uses sudo)
        assert as_user(INSTRUCTOR, "cat", str(a)).returncode != 0


def test_a_copy_the_os_will_not_let_us_replace_goes_to_the_next_name(
    cohort_scenario, tmp_path, shared, monkeypatch
):
    """In a sticky (1733) folder, os.replace over another user's file fails with EPERM: the hand-in
    takes the next free name instead of failing with "cannot be written"."""
    src = make_work(cohort_scenario, tmp_path, "Ann Lee")
    first = sub.submit(src, shared)
    real_replace = sub.os.replace

    def sticky(a, b):
        if Path(b) == first.path:
            raise PermissionError(1, "Operation not permitted")
        return real_replace(a, b)

    monkeypatch.setattr(sub.os, "replace", sticky)
    again = sub.submit(src, shared)
    assert again.path.name == filed("Ann-Lee", src, "-2") and not again.replaced
