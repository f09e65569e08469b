"""`staffplus workshop-link`: the nbgitpuller link that opens a workbook on a JupyterHub."""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest

from staffplus_widgets.cli.workshop import workshop_link
from staffplus_widgets.core.errors import StaffplusError


def test_link_opens_the_notebook_in_jupyterlab():
    link = workshop_link(
        "https://hub.example.org/",
        "https://github.com/acme/staffplus-workbook.git",
        "workshop-2026",
    )
    parts = urlsplit(link)
    assert parts.scheme == "https" and parts.netloc == "hub.example.org"
    assert parts.path == "/hub/user-redirect/git-pull"
    q = parse_qs(parts.query)
    assert q["repo"] == ["https://github.com/acme/staffplus-workbook.git"]
    assert q["branch"] == ["workshop-2026"]
    assert q["urlpath"] == ["lab/tree/staffplus-workbook/workbooks/00_start_here.ipynb"]


def test_custom_notebook_and_cli():
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "staffplus_widgets",
            "workshop-link",
            "--hub",
            "http://127.0.0.1:8000",
            "--repo",
            "https://example.org/x/course",
            "--notebook",
            "workbooks/99_mock_interview.ipynb",
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    q = parse_qs(urlsplit(out.stdout.strip()).query)
    assert q["urlpath"] == ["lab/tree/course/workbooks/99_mock_interview.ipynb"] and q[
        "branch"
    ] == ["main"]


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"hub": "hub.example.org"}, "--hub"),
        ({"hub": "ftp://hub"}, "--hub"),
        ({"repo": "not a url"}, "--repo"),
        ({"branch": "../etc"}, "--branch"),
        ({"branch": "-rf"}, "--branch"),
        ({"notebook": "/etc/passwd.ipynb"}, "--notebook"),
        ({"notebook": "../x.ipynb"}, "--notebook"),
        ({"notebook": "workbooks/readme.md"}, "--notebook"),
    ],
)
def test_bad_input_is_rejected(kwargs, field):
    args = {
        "hub": "https://hub.example.org",
        "repo": "https://github.com/a/b",
        "branch": "main",
        "notebook": "workbooks/00_start_here.ipynb",
        **kwargs,
    }
    with pytest.raises(StaffplusError, match=field):
        workshop_link(**args)


def test_cli_bad_input_exit_1_and_usage_exit_2():
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "staffplus_widgets",
            "workshop-link",
            "--hub",
            "nope",
            "--repo",
            "https://github.com/a/b",
        ],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1 and "--hub" in bad.stderr and "Traceback" not in bad.stderr
    usage = subprocess.run(
        [sys.executable, "-m", "staffplus_widgets", "workshop-link"], capture_output=True, text=True
    )
    assert usage.returncode == 2


def test_learner_work_lives_outside_pulled_content():
    # nbgitpuller never touches files the repository does not track; work is git-ignored
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    assert "staffplus-work/" in (root / ".gitignore").read_text().splitlines()
    tracked = subprocess.run(
        ["git", "ls-files", "staffplus-work"], cwd=root, capture_output=True, text=True
    ).stdout
    assert tracked.strip() == ""


@pytest.mark.parametrize(
    "hub, says",
    [
        ("https://[::1", "is not a valid URL"),
        ("https://hub:abc", "is not a valid URL"),
        ("https://hub/?next=1#top", "must not have a query"),
    ],
)
def test_a_malformed_hub_url_is_one_line_not_a_traceback(hub, says):
    with pytest.raises(StaffplusError, match=says):
        workshop_link(hub, "https://github.com/a/b")


def test_only_a_leading_dot_slash_is_taken_off_the_notebook_path():
    link = workshop_link("https://hub", "https://github.com/a/b", notebook="./.private/x.ipynb")
    assert link.endswith("lab/tree/b/.private/x.ipynb")
    with pytest.raises(StaffplusError, match="inside the repository"):
        workshop_link("https://hub", "https://github.com/a/b", notebook="./../outside.ipynb")
