"""The staffplus CLI: exit codes 0/1/2, one line per problem, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from staffplus_widgets import __version__
from staffplus_widgets.cli import main


def run(*args, check_rc=None):
    proc = subprocess.run(
        [sys.executable, "-m", "staffplus_widgets", *args], capture_output=True, text=True
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    if check_rc is not None:
        assert proc.returncode == check_rc, (proc.stdout, proc.stderr)
    return proc


def test_version_and_help():
    assert run("--version", check_rc=0).stdout.strip() == f"staffplus {__version__}"
    assert "review" in run("--help", check_rc=0).stdout


def test_console_script_is_installed():
    import shutil

    exe = shutil.which("staffplus") or str(
        __import__("pathlib").Path(sys.executable).parent / "staffplus"
    )
    proc = subprocess.run([exe, "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and __version__ in proc.stdout


@pytest.mark.parametrize(
    "args", [["bogus"], ["show"], ["review"], ["scenarios", "--format", "xml"], []]
)
def test_usage_errors_exit_2(args):
    run(*args, check_rc=2)


def test_invalid_input_exits_1_with_one_line_per_problem(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    missing = tmp_path / "missing.yaml"
    proc = run("validate", str(bad), str(missing), check_rc=1)
    lines = [line for line in proc.stderr.splitlines() if line]
    assert len(lines) == 2 and all(line.startswith("staffplus validate: ") for line in lines)
    run("show", "no-such-scenario", check_rc=1)


def test_scenarios_json_is_stable(pack):
    out = json.loads(run("scenarios", "--format", "json", check_rc=0).stdout)
    assert {"scenarios", "errors"} <= set(out)
    assert [s["id"] for s in out["scenarios"]] == pack.ids()
    for row in out["scenarios"]:
        assert {"id", "title", "rubric_items", "categories", "path"} <= set(row)


def test_main_returns_codes_in_process(capsys):
    assert main(["--version"]) == 0
    assert main(["validate"]) == 2


def test_notebooks_scaffold_writes_a_solved_notebook_and_says_where(tmp_path, capsys):
    solutions = tmp_path / "solutions"
    rc = main(
        ["notebooks", "scaffold", "--solutions", str(solutions), "--scenario", "credit-risk",
         "--number", "42"]
    )  # fmt: skip
    out, err = capsys.readouterr()
    (written,) = solutions.glob("42_*.ipynb")
    assert rc == 0 and "Traceback" not in err and f"wrote {written}" in out
    again = main(
        ["notebooks", "scaffold", "--solutions", str(solutions), "--scenario", "credit-risk",
         "--number", "42"]
    )  # fmt: skip
    assert again == 1 and "exists (use --force" in capsys.readouterr().err
