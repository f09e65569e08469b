"""The staffplus CLI: exit codes 0/1/2, one line per problem, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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


def test_scaffold_picks_the_next_number_and_a_local_scenario_opens_without_the_env_var(
    tmp_path, capsys, monkeypatch
):
    import nbformat

    from staffplus_widgets.data import scenario as scenario_module
    from staffplus_widgets.data.scenario import builtin_dir

    extra = tmp_path / "mine"
    extra.mkdir()
    text = (builtin_dir() / "credit-risk.yaml").read_text()
    (extra / "credit-risk-copy.yaml").write_text(
        text.replace("id: credit-risk", "id: credit-risk-copy", 1)
    )
    solutions, workbooks = tmp_path / "solutions", tmp_path / "workbooks"
    solutions.mkdir()
    for name in ("00_start_here", "01_a", "07_b", "97_my_progress", "98_instructor_debrief",
                 "99_mock_interview"):  # fmt: skip
        (solutions / f"{name}.ipynb").write_text("{}")
    rc = main(
        ["--scenarios", str(extra), "notebooks", "scaffold", "--solutions", str(solutions),
         "--scenario", "credit-risk-copy"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert rc == 0, out
    written = solutions / "08_credit_risk_copy.ipynb"  # after 07, never 97, 98 or 99
    assert f"wrote {written}" in out
    copied = solutions / "scenarios" / "credit-risk-copy.yaml"
    assert copied.read_text() == (extra / "credit-risk-copy.yaml").read_text()
    for stub in solutions.glob("*.ipynb"):
        if stub != written:
            stub.unlink()
    assert main(["notebooks", "generate", "--solutions", str(solutions),
                 "--workbooks", str(workbooks)]) == 0  # fmt: skip
    assert (workbooks / "scenarios" / "credit-risk-copy.yaml").is_file()
    assert main(["notebooks", "check", "--solutions", str(solutions),
                 "--workbooks", str(workbooks)]) == 0  # fmt: skip
    # the learner workbook, run from its own folder as JupyterLab does, finds its scenario
    monkeypatch.delenv("STAFFPLUS_SCENARIOS", raising=False)
    monkeypatch.setattr(scenario_module, "_CACHE", {})
    monkeypatch.chdir(workbooks)
    nb = nbformat.read(workbooks / written.name, as_version=4)
    namespace: dict = {}
    for cell in [c for c in nb.cells if c.cell_type == "code"]:  # up to the one that makes wb
        exec(cell.source, namespace)
        if "wb" in namespace:
            break
    assert namespace["wb"].scenario.id == "credit-risk-copy"
    assert namespace["sc"].path == str(Path("scenarios") / "credit-risk-copy.yaml")
