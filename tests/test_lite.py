"""The workbooks in the browser (JupyterLite, Pyodide), without a browser: no threads, a file
system without fsync, locks or hard links, and the pieces of ``staffplus lite build``.

The site itself is built and driven in Chromium by ``tests/test_lite_site.py``.
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import json
import os
import re
import subprocess
import sys
import threading
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from staffplus_widgets import workfile
from staffplus_widgets.authoring import lite
from staffplus_widgets.core import fileio, timers
from staffplus_widgets.practice.session import WorkSession

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def no_threads(monkeypatch):
    """Pyodide: ``threading.Timer.start`` raises "can't start new thread"."""
    started = []

    def refuse(self):
        started.append(self)
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Timer, "start", refuse)
    return started


# -- timers and autosave without threads ---------------------------------------------------------
def test_later_without_threads_or_a_loop_runs_a_save_at_once_and_skips_a_tick(no_threads):
    ran = []
    handle = timers.later(5.0, lambda: ran.append("save"))
    assert ran == ["save"] and len(no_threads) == 1
    handle.cancel()  # a handle like any other
    timers.later(5.0, lambda: ran.append("tick"), run_now=False)
    assert ran == ["save"]


def test_later_on_a_running_loop_never_starts_a_thread(no_threads):
    ran = []

    async def main():
        handle = timers.later(0.01, lambda: ran.append("late"))
        cancelled = timers.later(0.01, lambda: ran.append("cancelled"))
        cancelled.cancel()
        assert ran == [] and isinstance(handle, asyncio.TimerHandle)
        await asyncio.sleep(0.05)

    asyncio.run(main())
    assert ran == ["late"] and no_threads == []


def _edit(session: WorkSession, text: str) -> None:
    session.answers["recommendation"] = text
    session.changed("answers")


def test_autosave_without_threads_and_no_loop_saves_at_once(fraud, tmp_path, no_threads):
    path = tmp_path / "w.json"
    session = WorkSession(fraud, path, autosave_delay=0.75)
    _edit(session, "Ship the rules engine first: the team of four cannot run a GPU model.")
    assert session.last_error == ""
    assert "team of four" in workfile.read(path)["answers"]["recommendation"]


def test_autosave_without_threads_on_the_kernel_loop_saves_after_the_delay(
    fraud, tmp_path, no_threads
):
    path = tmp_path / "w.json"
    seen = {}

    async def main():
        session = WorkSession(fraud, path, autosave_delay=0.05)
        _edit(session, "first draft")
        _edit(session, "Tiered: auto-block above 0.9, human review for the ambiguous band.")
        seen["before"] = path.exists()
        for _ in range(200):  # the loop runs the debounced save; bounded, not timed
            await asyncio.sleep(0.02)
            if path.exists():
                break

    asyncio.run(main())
    assert seen["before"] is False, "debounced: nothing written during the edits"
    assert "ambiguous band" in workfile.read(path)["answers"]["recommendation"]
    assert no_threads == []


def test_the_interview_clock_without_threads_neither_recurses_nor_starts_one(tmp_path, no_threads):
    from staffplus_widgets.widgets import MockInterview

    iv = MockInterview("payments-fraud", path=tmp_path / "w.json", autosave_delay=0)
    try:
        iv._pause_button.click()  # starts the clock: a tick that cannot wait is skipped
        assert "left of" in iv._clock_label.value
        assert iv._ticker is not None
    finally:
        iv.close()


def test_the_status_bar_says_browser_work_stays_in_this_browser():
    from staffplus_widgets.widgets.workbench import saved_where

    server = saved_where("/home/ann/staffplus-work/payments-fraud.json", "linux")
    assert server.startswith("Your work is saved to <code>")
    browser = saved_where("/drive/staffplus-work/a<b.json", "emscripten")
    assert "this browser only" in browser and "Download my work" in browser
    assert "a&lt;b.json" in browser


# -- the browser's file system: no fsync, no locks, no hard links ---------------------------------
@pytest.mark.parametrize("code", [errno.EINVAL, errno.ENOSYS, errno.ENOTSUP])
def test_write_atomic_where_fsync_and_locks_are_not_supported(tmp_path, monkeypatch, code):
    def unsupported(*_args):
        raise OSError(code, "not supported here")

    monkeypatch.setattr(fileio.os, "fsync", unsupported)
    monkeypatch.setattr(fileio.fcntl, "flock", unsupported)
    target = tmp_path / "w.json"
    fileio.write_atomic(target, b"old")
    fileio.write_atomic(target, b"new")  # os.replace over an existing file
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["w.json"], "no temp file left behind"
    with fileio.locked(target):
        fileio.write_atomic(target, b"merged")
    assert target.read_bytes() == b"merged"


def test_a_failing_disk_is_still_an_error(tmp_path, monkeypatch):
    def broken(*_args):
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(fileio.os, "fsync", broken)
    target = tmp_path / "w.json"
    with pytest.raises(OSError):
        fileio.write_atomic(target, b"new")
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_stale_temps_are_judged_by_age_where_locks_are_not_supported(tmp_path, monkeypatch):
    def unsupported(*_args):
        raise OSError(errno.ENOSYS, "no flock")

    target = tmp_path / "w.json"
    fresh = tmp_path / f"{fileio.temp_prefix(target)}fresh.tmp"
    stale = tmp_path / f"{fileio.temp_prefix(target)}stale.tmp"
    fresh.write_text("x")
    stale.write_text("x")
    old = stale.stat().st_mtime - fileio.STALE_AFTER_S - 60
    os.utime(stale, (old, old))
    monkeypatch.setattr(fileio.fcntl, "flock", unsupported)
    assert fileio.remove_stale_temps(target) == [stale]
    assert fresh.exists()


@pytest.mark.parametrize(
    "failure", [OSError(errno.EPERM, "no hard links"), NotImplementedError("follow_symlinks")]
)
def test_move_aside_without_hard_links_renames_and_never_overwrites(tmp_path, monkeypatch, failure):
    def no_link(*_args, **_kwargs):
        raise failure

    monkeypatch.setattr(workfile.os, "link", no_link)
    path = tmp_path / "payments-fraud.json"
    path.write_text("{broken")
    first = workfile.move_aside(path)
    path.write_text("{broken again")
    second = workfile.move_aside(path)  # same second: the next free name, not the first copy
    assert first != second and not path.exists()
    assert first.read_text() == "{broken" and second.read_text() == "{broken again"


def test_move_aside_where_os_has_no_link_at_all(tmp_path, monkeypatch):
    """Pyodide's os module has no link (found in the site: os.link raised AttributeError)."""
    monkeypatch.delattr(workfile.os, "link")
    path = tmp_path / "payments-fraud.json"
    path.write_text("{broken")
    moved = workfile.move_aside(path)
    assert moved.read_text() == "{broken" and not path.exists()


def test_a_corrupt_work_file_is_moved_aside_on_a_file_system_without_links(
    fraud, tmp_path, monkeypatch
):
    monkeypatch.setattr(workfile.os, "link", lambda *a, **k: (_ for _ in ()).throw(OSError(1, "")))
    path = tmp_path / "payments-fraud.json"
    path.write_text("{not json")
    session = WorkSession(fraud, path, autosave_delay=0)
    assert session.moved_to is not None and session.moved_to.read_text() == "{not json"
    _edit(session, "fresh start")
    assert workfile.read(path)["answers"]["recommendation"] == "fresh start"


# -- the pieces of the site build -------------------------------------------------------------------
def test_our_wheel_holds_the_package_and_needs_neither_numpy_nor_matplotlib(tmp_path):
    wheel = lite.own_wheel(tmp_path)
    assert wheel.name.startswith("staffplus_workbook-") and wheel.name.endswith("-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = Parser().parsestr(archive.read(info).decode())
        record = archive.read(info.replace("METADATA", "RECORD")).decode()
    assert "staffplus_widgets/__init__.py" in names
    assert "staffplus_widgets/data/scenarios/payments-fraud.yaml" in names
    assert not any("__pycache__" in n for n in names)
    requires = {
        lite.canonical(r.split(">")[0].split("<")[0]) for r in meta.get_all("Requires-Dist")
    }
    assert requires == {"ipywidgets", "pyyaml"}
    assert meta["Name"] == "staffplus-workbook"
    assert all(f"{n}," in record for n in names)
    assert lite.own_wheel(tmp_path / "again").read_bytes() == wheel.read_bytes(), "reproducible"


def test_the_lock_points_local_entries_at_their_wheels_and_the_rest_at_the_cdn(tmp_path):
    wheel = lite.write_wheel(tmp_path, "comm", "0.2.3", {"comm/__init__.py": b""})
    ipy = lite.write_wheel(tmp_path, "ipython", "9.12.0", {"IPython/__init__.py": b""})
    entry = {"name": "x", "version": "1", "depends": [], "sha256": "old", "imports": []}
    lock = {
        "info": {"python": "3.14.2"},
        "packages": {
            "ipython": {**entry, "name": "ipython", "file_name": "ipython-9.12.0-py3-none-any.whl"},
            "numpy": {**entry, "name": "numpy", "file_name": "numpy-2-cp314-wasm32.whl"},
        },
    }
    new = lite.rewrite_lock(lock, {"ipython": ipy, "comm": wheel}, "https://cdn.example/full/")
    assert new["info"] == lock["info"]
    packages = new["packages"]
    assert packages["numpy"]["file_name"] == "https://cdn.example/full/numpy-2-cp314-wasm32.whl"
    assert packages["ipython"]["file_name"] == ipy.name
    assert packages["ipython"]["sha256"] == hashlib.sha256(ipy.read_bytes()).hexdigest()
    assert packages["comm"]["depends"] == ["traitlets"] and packages["comm"]["version"] == "0.2.3"
    assert lock["packages"]["ipython"]["sha256"] == "old", "the input is not changed"
    json.dumps(new)


def test_the_site_holds_the_learner_workbooks_only():
    names = [p.name for p in lite.learner_notebooks(ROOT / "workbooks")]
    assert "01_payments_fraud.ipynb" in names and "00_start_here.ipynb" in names
    assert "99_mock_interview.ipynb" in names
    assert "98_instructor_debrief.ipynb" not in names  # matplotlib and a folder of hand-ins


def test_lite_build_needs_a_workbooks_folder(tmp_path, capsys):
    from staffplus_widgets.cli import main

    assert main(["lite", "build", str(tmp_path / "site"), "--workbooks", str(tmp_path / "no")]) == 1
    assert "no such folder" in capsys.readouterr().err
    assert main(["lite"]) == 2


def test_lite_build_without_the_build_tools_says_which_extra(tmp_path, capsys, monkeypatch):
    from staffplus_widgets.cli import main

    monkeypatch.setitem(sys.modules, "jupyterlite_pyodide_kernel", None)  # not installed
    assert (
        main(["lite", "build", str(tmp_path / "site"), "--workbooks", str(ROOT / "workbooks")]) == 1
    )
    assert "staffplus-workbook[lite]" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_an_fcntl_without_flock_means_no_locks(monkeypatch, tmp_path):
    """Pyodide's fcntl module has no flock: writes, locks and stale temps work without one."""
    import importlib
    import types

    monkeypatch.setitem(sys.modules, "fcntl", types.ModuleType("fcntl"))
    try:
        importlib.reload(fileio)
        assert fileio.fcntl is None
        target = tmp_path / "w.json"
        with fileio.locked(target):
            fileio.write_atomic(target, b"saved")
        assert target.read_bytes() == b"saved"
        assert fileio.remove_stale_temps(target) == []
    finally:
        monkeypatch.undo()
        importlib.reload(fileio)
    assert fileio.fcntl is not None


def test_an_autosave_that_fails_unexpectedly_says_so(fraud, tmp_path, monkeypatch):
    """A save run by a timer has nobody to raise to: the error goes where the learner looks."""
    session = WorkSession(fraud, tmp_path / "w.json", autosave_delay=0)

    def broken(*_args, **_kwargs):
        raise AttributeError("module 'fcntl' has no attribute 'flock'")

    monkeypatch.setattr(workfile, "save", broken)
    assert not session.save_now()
    assert "AttributeError" in session.last_error and "flock" in session.last_error


# Runs every code cell of the workbooks named on the command line, as the browser kernel would
# have to: numpy, matplotlib and nbformat cannot be imported and no thread can start.
_LIKE_PYODIDE = r"""
import importlib.abc, json, sys, threading

class NotInTheBrowser(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in {"numpy", "matplotlib", "nbformat"}:
            raise ImportError(f"{name} is not in the browser kernel")

def no_thread(self):
    raise RuntimeError("can't start new thread")

sys.meta_path.insert(0, NotInTheBrowser())
threading.Thread.start = no_thread
for path in sys.argv[1:]:
    ns = {"__name__": "__main__"}
    for cell in json.load(open(path, encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "code":
            exec(compile("".join(cell["source"]), path, "exec"), ns)
    print("ran", path)
"""


def _browser_packages(path: Path) -> list[str]:
    meta = json.loads(path.read_text(encoding="utf-8"))["metadata"].get("staffplus", {})
    return meta.get("browser_packages", [])


def test_only_the_progress_workbook_needs_a_package_from_pyodides_cdn():
    # 97 draws its charts with matplotlib, which a deployed site loads from Pyodide's CDN on the
    # first import; every other learner workbook must run on what the site itself holds
    needing = {p.name: _browser_packages(p) for p in lite.learner_notebooks(ROOT / "workbooks")}
    assert {k: v for k, v in needing.items() if v} == {"97_my_progress.ipynb": ["matplotlib"]}


def test_every_learner_workbook_runs_without_numpy_matplotlib_or_threads(tmp_path):
    notebooks = [
        str(p) for p in lite.learner_notebooks(ROOT / "workbooks") if not _browser_packages(p)
    ]
    env = {**os.environ, "STAFFPLUS_WORK_DIR": str(tmp_path / "work")}
    done = subprocess.run(
        [sys.executable, "-c", _LIKE_PYODIDE, *notebooks],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.count("\nran ") + done.stdout.startswith("ran ") == len(notebooks)


# -- the Colab cell ---------------------------------------------------------------------------------
def _colab_cell() -> str:
    nb = json.loads((ROOT / "workbooks" / "01_payments_fraud.ipynb").read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if c.get("id") == "colab-setup"]
    assert len(cells) == 1 and cells[0]["cell_type"] == "code"
    return "".join(cells[0]["source"])


def test_the_colab_cell_does_nothing_outside_colab(monkeypatch):
    # and names no import of google that Pyodide's loader would fetch (protobuf, from its CDN)
    assert not re.search(r"^\s*(from|import)\s+google", _colab_cell(), re.M)

    def no_subprocess(*_args, **_kwargs):
        raise AssertionError("the Colab cell ran a command outside Colab")

    monkeypatch.setattr(subprocess, "run", no_subprocess)
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(compile(_colab_cell(), "colab-setup", "exec"), {})


def test_in_colab_the_cell_installs_the_package_and_turns_on_the_widget_manager(monkeypatch):
    import types

    calls = []
    output = types.SimpleNamespace(enable_custom_widget_manager=lambda: calls.append("widgets"))
    colab = types.ModuleType("google.colab")
    colab.output = output
    google = types.ModuleType("google")
    google.colab = colab
    monkeypatch.setitem(sys.modules, "google", google)
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setitem(sys.modules, "google.colab.output", output)
    monkeypatch.setattr(subprocess, "run", lambda cmd, **kw: calls.append(cmd))
    exec(compile(_colab_cell(), "colab-setup", "exec"), {})
    pip, widgets = calls
    assert pip[1:4] == ["-m", "pip", "install"]
    assert any(a.startswith("staffplus-workbook @ git+https://github.com/") for a in pip)
    assert widgets == "widgets"


def test_every_generated_workbook_has_the_colab_cell_before_the_package_is_imported():
    for path in sorted((ROOT / "workbooks").glob("*.ipynb")):
        sources = [
            (c.get("id"), "".join(c["source"]))
            for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
            if c["cell_type"] == "code"
        ]
        ids = [i for i, _ in sources]
        first_import = next(n for n, (_, s) in enumerate(sources) if "staffplus_widgets" in s)
        assert ids.index("colab-setup") < first_import, path.name


# -- where the site is published ------------------------------------------------------------------
def test_the_pages_workflow_publishes_what_staffplus_lite_build_makes():
    import yaml

    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    steps = flow["jobs"]["build"]["steps"]
    run = "\n".join(s.get("run", "") for s in steps)
    built = re.search(r"staffplus lite build (\S+)", run)
    assert built and "pip install -e '.[lite]'" in run
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == built.group(1)
    assert flow["permissions"]["pages"] == "write"


def test_the_readme_badges_open_the_start_workbook_in_the_site_and_in_colab():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lite_link = re.search(r"\[!\[Try in your browser\]\([^)]+\)\]\(([^)]+)\)", readme)
    colab_link = re.search(r"\[!\[Open In Colab\]\([^)]+\)\]\(([^)]+)\)", readme)
    assert lite_link and colab_link, "both badges, beside the Binder one"
    start = lite_link.group(1).split("?path=")[1]
    assert start in [p.name for p in lite.learner_notebooks(ROOT / "workbooks")]
    colab_path = colab_link.group(1).split("/blob/main/")[1]
    assert (ROOT / colab_path).is_file()
    assert readme.index("[![Binder]") < readme.index("[![Try in your browser]")


def test_the_site_settings_are_the_server_settings():
    """The site's JupyterLab settings are those jupyter-config/overrides.json installs for a
    server (no widget state in notebooks, no news or update checks)."""
    overrides = json.loads((ROOT / "jupyter-config" / "overrides.json").read_text())
    assert overrides == lite.SETTINGS
