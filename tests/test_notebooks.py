"""Notebooks: committed clean, generated from solutions/, described in the README, executed for real."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import nbformat
import pytest
from fixtures.widget_support import BUILTIN_SCENARIOS

from staffplus_widgets.authoring import notebooks as nbs

ROOT = Path(__file__).resolve().parent.parent
WORKBOOKS = ROOT / "workbooks"
SOLUTIONS = ROOT / "solutions"
ALL = sorted([*WORKBOOKS.glob("*.ipynb"), *SOLUTIONS.glob("*.ipynb")])
SCENARIO_WORKBOOKS = nbs.scenario_workbooks(SOLUTIONS)
SCENARIO_IDS = list(BUILTIN_SCENARIOS)
CELL_TIMEOUT = 180


def test_every_scenario_has_a_workbook_and_the_fixed_notebooks_exist():
    names = {p.name for p in WORKBOOKS.glob("*.ipynb")}
    assert {"00_start_here.ipynb", "99_mock_interview.ipynb"} <= names
    scenarios = {
        nbformat.read(p, as_version=4).metadata["staffplus"].get("scenario")
        for p in SCENARIO_WORKBOOKS
    }
    assert scenarios == set(SCENARIO_IDS)


@pytest.mark.parametrize("path", ALL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_committed_without_outputs_or_widget_state(path):
    raw = json.loads(path.read_text())
    assert "widgets" not in raw["metadata"]
    for cell in raw["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, path.name
    assert raw["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", ALL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_metadata_skeleton(path):
    nb = nbformat.read(path, as_version=4)
    meta = nb.metadata["staffplus"]
    assert meta["title"] and meta["objectives"] and isinstance(meta["minutes"], int)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "Objectives" in text and "Summary and what's next" in text
    if path.parent == SOLUTIONS:
        assert meta["solution"] is True and nbs.BEGIN in "\n".join(c.source for c in nb.cells)


@pytest.mark.parametrize("path", SCENARIO_WORKBOOKS, ids=lambda p: p.name)
def test_scenario_workbooks_follow_one_skeleton(path):
    nb = nbformat.read(path, as_version=4)
    headings = [
        line
        for c in nb.cells
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("## ")
    ]
    assert [h.removeprefix("## ").split(". ", 1)[-1] for h in headings] == [
        "The scenario and its constraints",
        "Clarifying questions",
        "Design options and the trade-off matrix",
        "Risk register",
        "Cost estimate",
        "What changes if...",
        "Your mock answer and feedback",
        "Export",
        "Summary and what's next",
    ]
    assert "parameters" in nb.cells[1].metadata.get("tags", [])


@pytest.mark.parametrize("path", SCENARIO_WORKBOOKS, ids=lambda p: p.name)
def test_reference_reasoning_agrees_with_the_scenario(path, pack):
    nb = nbformat.read(path, as_version=4)
    sc = pack.get(nb.metadata["staffplus"]["scenario"])
    reference = "\n".join(
        c.source
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "markdown"
    )
    assert sc.data["recommendation"]["option"] in reference
    for variant in sc.data["constraint_variants"]:
        assert variant["recommended"] in reference


def test_learner_workbooks_are_generated_from_solutions():
    assert nbs.generate(SOLUTIONS, WORKBOOKS, check=True) == [], "run: staffplus notebooks generate"


def test_learner_versions_hold_no_solutions():
    for path in WORKBOOKS.glob("*.ipynb"):
        text = path.read_text()
        assert (
            nbs.BEGIN not in text and "fill_reference" not in text and '"reference"' not in text
        ), path.name


@pytest.mark.parametrize("path", sorted(SOLUTIONS.glob("*.ipynb")), ids=lambda p: p.name)
def test_no_sentence_of_a_reference_answer_reaches_the_learner(path):
    """A reference answer may start on its label's line; only the label may be carried over."""
    learner = (WORKBOOKS / path.name).read_text("utf-8")
    solved = nbformat.read(path, as_version=4)
    answers = [
        c.source
        for c in solved.cells
        if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("solution")
    ]
    assert answers, "every solved notebook writes out at least one reference answer"
    for answer in answers:
        body = answer.split("**", 2)[-1] if answer.startswith("**") else answer
        for sentence in (s.strip() for s in body.replace("\n", " ").split(". ")):
            if len(sentence) > 20:
                assert json.dumps(sentence)[1:-1] not in learner, (path.name, sentence)


def test_answer_prompts_keep_only_the_label():
    prompt = (
        nbs.to_learner(
            nbformat.v4.new_notebook(
                cells=[
                    nbformat.v4.new_markdown_cell(
                        "**Reference reasoning: the recommendation.** Ship *X*. It is cheap.",
                        metadata={"nbgrader": {"solution": True}},
                    )
                ]
            )
        )
        .cells[0]
        .source
    )
    assert prompt == "**Your reasoning: the recommendation.**\n\n" + nbs.LEARNER_MARKDOWN


def test_in_a_workbook_with_a_session_the_answer_is_a_saved_answer_box():
    solved = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("wb = Workbench(sc)"),
            nbformat.v4.new_markdown_cell(
                "**Reference reasoning: the constraint variants.** Ship *X*. It is cheap.",
                metadata={"nbgrader": {"solution": True}},
                id="nb-19",
            ),
        ]
    )
    _, label, box = nbs.to_learner(solved).cells
    assert label.source.startswith("**Your reasoning: the constraint variants.** Write it")
    assert "Ship" not in label.source + box.source
    assert box.cell_type == "code" and box.id == "nb-19-box" and box.outputs == []
    assert box.source.startswith('AnswerBox(wb.session, "constraint_variants"')


def test_every_scenario_workbook_saves_its_written_answers_with_the_work():
    for path in sorted(WORKBOOKS.glob("0[1-9]_*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        boxes = [c for c in cells if c.cell_type == "code" and "AnswerBox(wb.session" in c.source]
        assert len(boxes) >= 2, path.name
        assert not any(nbs.LEARNER_MARKDOWN in c.source for c in cells), path.name


@pytest.mark.parametrize(
    "path", sorted([*SOLUTIONS.glob("*.ipynb"), *WORKBOOKS.glob("*.ipynb")]), ids=lambda p: p.name
)
def test_every_dollar_in_markdown_stays_a_dollar_in_jupyterlab(path):
    """ "At about $210k a month ... the $3.3M" must not be typeset as a formula between the two."""
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "markdown":
            continue
        for i, char in enumerate(cell.source):
            if char == "$":
                assert cell.source[max(0, i - 2) : i] == "\\\\", (
                    path.name,
                    cell.source[i - 30 : i + 10],
                )


def test_readme_table_of_contents_is_current():
    readme = (ROOT / "README.md").read_text()
    assert nbs.readme_with_toc(readme, nbs.toc(WORKBOOKS)) == readme, (
        "run: staffplus notebooks toc --write"
    )
    for path in WORKBOOKS.glob("*.ipynb"):
        assert f"(workbooks/{path.name})" in readme


@pytest.mark.parametrize(
    "source, expected",
    [
        ("a = 1\n### BEGIN SOLUTION\nb = 2\n### END SOLUTION\nc = 3", "a = 1\nc = 3"),
        (
            "if x:\n    ### BEGIN SOLUTION\n    y()\n    ### END SOLUTION\n    z()",
            "if x:\n    z()",
        ),
        ("### BEGIN SOLUTION\nb = 2\n### END SOLUTION\n", nbs.LEARNER_CODE),
    ],
)
def test_strip_solution(source, expected):
    assert nbs.strip_solution(source) == expected


def test_every_learner_code_cell_parses_and_none_asks_for_code():
    import ast

    for path in sorted(WORKBOOKS.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                ast.parse(cell.source)
                assert "YOUR CODE HERE" not in cell.source, path.name


@pytest.mark.parametrize(
    "bad",
    [
        "### BEGIN SOLUTION\nx",
        "x\n### END SOLUTION",
        "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION",
    ],
)
def test_strip_solution_rejects_unbalanced_markers(bad):
    with pytest.raises(ValueError):
        nbs.strip_solution(bad)


# -- execution ---------------------------------------------------------------------------------------
def _papermill(path: Path, tmp_path: Path, parameters: dict) -> nbformat.NotebookNode:
    import papermill as pm

    out = tmp_path / f"out-{path.name}"
    pm.execute_notebook(
        str(path),
        str(out),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(path.parent),
        progress_bar=False,
        execution_timeout=CELL_TIMEOUT,
        log_output=False,
    )
    return nbformat.read(out, as_version=4)


@pytest.mark.notebooks
@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_mock_interview_notebook_runs_for_every_scenario(scenario_id, tmp_path):
    for folder in (SOLUTIONS, WORKBOOKS):
        nb = _papermill(
            folder / "99_mock_interview.ipynb",
            tmp_path,
            {"scenario": scenario_id, "learner": f"pm-{scenario_id}"},
        )
        injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert injected and scenario_id in injected[0].source
        if folder is SOLUTIONS:
            printed = "".join(
                o.get("text", "")
                for c in nb.cells
                for o in c.get("outputs", [])
                if o.get("name") == "stdout"
            )
            assert "Proactivity" in printed


@pytest.mark.notebooks
@pytest.mark.parametrize("path", SCENARIO_WORKBOOKS, ids=lambda p: p.name)
def test_solved_scenario_workbook_runs_with_parameters(path, tmp_path, monkeypatch):
    monkeypatch.setenv("STAFFPLUS_WORK_DIR", str(tmp_path / "work"))
    sc_id = nbformat.read(path, as_version=4).metadata["staffplus"]["scenario"]
    nb = _papermill(path, tmp_path, {"scenario": sc_id, "learner": "papermill"})
    printed = "".join(
        o.get("text", "")
        for c in nb.cells
        for o in c.get("outputs", [])
        if o.get("name") == "stdout"
    )
    assert "reference range" in printed and "Recommended by your matrix" in printed
    saved = json.loads((tmp_path / "work" / f"{sc_id}--papermill.json").read_text())
    assert saved["risks"]["risks"] and saved["cost"]["lines"]


@pytest.mark.notebooks
def test_work_saved_through_widgets_is_restored_in_a_fresh_kernel(tmp_path, monkeypatch):
    from nbclient import NotebookClient

    monkeypatch.setenv("STAFFPLUS_WORK_DIR", str(tmp_path / "work"))
    source = WORKBOOKS / "01_payments_fraud.ipynb"

    def run(extra: str) -> None:
        nb = nbformat.read(source, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(extra))
        NotebookClient(
            nb,
            timeout=CELL_TIMEOUT,
            kernel_name="python3",
            resources={"metadata": {"path": str(WORKBOOKS)}},
        ).execute()

    run("""
risks = wb.risks
risks._title_text.value = "Chargebacks arrive 90 days late"
risks._category_dropdown.value = "data"
risks._likelihood_text.value = "4"
risks._impact_text.value = "4"
risks._add_risk_button.click()
assert "Chargebacks arrive 90 days late" in wb.session.register.titles()
wb.session.matrix.set_weight(wb.session.matrix.criteria[0].name, 7)
wb.session.changed("test")
assert wb.session.save_now()
""")
    run("""
assert "Chargebacks arrive 90 days late" in wb.session.register.titles(), wb.session.register.titles()
assert wb.session.matrix.criteria[0].weight == 7
assert wb.session.restored
""")


@pytest.mark.notebooks
def test_python_executable_is_the_test_environment():
    # papermill and nbval start "python3" kernels; they must be this environment's interpreter
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    assert spec.argv[0] in (sys.executable, "python", "python3") or os.path.realpath(
        spec.argv[0]
    ) == os.path.realpath(sys.executable)


@pytest.mark.parametrize("path", SCENARIO_WORKBOOKS, ids=lambda p: p.name)
def test_solved_scenario_notebooks_are_the_template_exactly(path, pack):
    # one source for the per-scenario notebooks: notebooks.scaffold_scenario; solutions/ holds its
    # output (regenerate with `staffplus notebooks scaffold --scenario ID --number N --force`)
    number = int(path.name[:2])
    (scenario_id,) = [s for s in SCENARIO_IDS if path.stem[3:] == s.replace("-", "_")]
    name, nb = nbs.scaffold_scenario(pack.get(scenario_id), number)
    assert name == path.name and nbs.dumps(nb) == path.read_text("utf-8")


@pytest.mark.parametrize("path", SCENARIO_WORKBOOKS, ids=lambda p: p.name)
def test_learner_workbooks_keep_their_self_checks(path):
    learner = (WORKBOOKS / path.name).read_text("utf-8")
    for check in (
        "checks.matrix(wb.session)",
        "checks.risks(wb.session)",
        "checks.cost(wb.session)",
    ):
        assert check in learner, f"{path.name} lost {check}"
    assert "assert report.passed" not in learner  # the solved notebook's bar, not the learner's


def test_self_checks_say_what_is_open_and_pass_on_the_reference(tmp_path):
    from staffplus_widgets.data.scenario import get_scenario
    from staffplus_widgets.practice import checks
    from staffplus_widgets.practice.session import WorkSession

    sc = get_scenario("payments-fraud")
    empty = WorkSession(sc, tmp_path / "empty.json", learner="new", autosave_delay=0)
    empty.register.risks.clear()
    report = checks.risks(empty)
    assert not report.passed and "[ ] at least 6 risks (0)" in str(report)
    done = WorkSession(sc, tmp_path / "done.json", learner="ref", autosave_delay=0)
    done.fill_reference()
    for check in (checks.matrix, checks.risks, checks.cost):
        assert check(done).passed, str(check(done))


@pytest.mark.notebooks
def test_progress_notebook_runs_on_a_generated_history(tmp_path):
    from staffplus_widgets.authoring.demo import demo_history
    from staffplus_widgets.practice.progress import progress

    folder = demo_history(tmp_path / "staffplus-work", scenarios=3, attempts_each=4)
    (folder / "broken.json").write_text("{not json")
    expected = progress(folder).to_json()
    for where in (SOLUTIONS, WORKBOOKS):
        nb = _papermill(where / "97_my_progress.ipynb", tmp_path, {"work_dir": str(folder)})
        printed = "".join(
            o.get("text", "")
            for c in nb.cells
            for o in c.get("outputs", [])
            if o.get("name") == "stdout"
        )
        assert "Weakest categories: " + ", ".join(expected["weakest"]) in printed
        assert expected["habits"][0]["text"] in printed
        assert "profile: Per category" in printed and "unprompted: In the latest" in printed
        shown = "".join(
            o.get("data", {}).get("text/markdown", "")
            for c in nb.cells
            for o in c.get("outputs", [])
        )
        assert shown.startswith("**Practise next:**")
