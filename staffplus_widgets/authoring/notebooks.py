"""Workbook sources: solved notebooks in ``solutions/`` are the single source of every learner workbook.

- ``to_learner(nb)`` strips nbgrader-compatible solution regions (``### BEGIN SOLUTION`` /
  ``### END SOLUTION`` in code cells) and replaces markdown cells marked ``nbgrader.solution`` (the
  written-out reference answers) with an answer prompt, and adds the Colab cell (`colab.py`).
- ``generate(solutions, workbooks)`` writes every learner workbook; ``check=True`` reports drift.
- ``toc(workbooks)`` renders the README's table of contents from notebook metadata
  (``metadata.staffplus``: title, objectives, minutes, scenario, audience).
- ``scaffold_scenario(scenario, number)`` creates the solved workbook for a new scenario following the
  shared skeleton, so an instructor who adds a scenario file also gets its workbook.
"""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

from . import colab

if TYPE_CHECKING:  # annotations only: no import at run time
    from ..data.scenario import Scenario

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
LEARNER_CODE = "# Nothing to type here: the widgets save your work as you go."
# In a notebook with no work session (the start page, the debrief) the answer is a Markdown cell,
# saved with the notebook itself; in a scenario workbook it is an AnswerBox (see LEARNER_ANSWER).
LEARNER_MARKDOWN = (
    "**Your answer:** _write your reasoning here (double-click to edit; this cell is saved with "
    "the notebook when you save it, not in your work file), then compare it with the solved "
    "notebook in `solutions/`._"
)
LEARNER_ANSWER_NOTE = (
    "Write it in the box below: it is saved with your work as you type, goes into your export "
    "and hand-in, and **Check** tells you which points you reasoned about. Then compare it with "
    "the solved notebook in `solutions/`."
)
LEARNER_ANSWER = (
    'AnswerBox(wb.session, "{key}", description="Your reasoning",\n'
    '          placeholder="{placeholder}")'
)
ANSWER_PLACEHOLDER = "Which option, why, against which constraint, and what would change your call"
ANSWER_PLACEHOLDERS = {
    "constraint_variants": "For each variant: which option wins now, and the constraint that "
    "moved it",
}
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
TOC_START, TOC_END = "<!-- toc:start -->", "<!-- toc:end -->"


# -- learner generation -----------------------------------------------------------------------------
def strip_solution(source: str) -> str:
    """Remove every BEGIN/END SOLUTION region. The learner's cell needs nothing in its place (the
    widgets hold the work); only a cell left empty gets the placeholder comment."""
    out: list[str] = []
    inside = False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise ValueError("nested '### BEGIN SOLUTION'")
            inside = True
            continue
        if stripped == END:
            if not inside:
                raise ValueError("'### END SOLUTION' without BEGIN")
            inside = False
            continue
        if not inside:
            out.append(line)
    if inside:
        raise ValueError("'### BEGIN SOLUTION' without END")
    return "\n".join(out).rstrip("\n") or LEARNER_CODE


def to_learner(nb: Any) -> Any:
    """The learner version of a solved notebook (a new object; the input is not changed).

    A reference answer (a Markdown cell marked ``nbgrader.solution``) becomes its label and, in a
    workbook with a work session (``wb``), an ``AnswerBox`` saved with the work under a key made
    from the label ("the recommendation" -> ``recommendation``); elsewhere a Markdown prompt.
    """
    learner = copy.deepcopy(nb)
    has_session = any(
        c.cell_type == "code" and re.search(r"^wb = ", c.source, re.M) for c in learner.cells
    )
    cells = []
    for cell in learner.cells:
        meta = cell.get("metadata", {})
        cells.append(cell)
        if cell.cell_type == "code":
            if BEGIN in cell.source:
                cell.source = strip_solution(cell.source)
        elif cell.cell_type == "markdown" and meta.get("nbgrader", {}).get("solution"):
            label = _answer_label(cell.source)
            if has_session and label:
                cell.source = f"**{label}** {LEARNER_ANSWER_NOTE}"
                key = _answer_key(label)
                hint = ANSWER_PLACEHOLDERS.get(key, ANSWER_PLACEHOLDER)
                box = nbformat.v4.new_code_cell(LEARNER_ANSWER.format(key=key, placeholder=hint))
                box.id = f"{cell.get('id') or 'answer'}-box"
                cells.append(box)
            else:
                cell.source = f"**{label}**\n\n{LEARNER_MARKDOWN}" if label else LEARNER_MARKDOWN
    learner.cells = cells
    sp = learner.metadata.get("staffplus", {})
    sp["solution"] = False
    sp["title"] = sp.get("title", "").replace(" (solved)", "")
    learner.metadata["staffplus"] = sp
    first = learner.cells[0] if learner.cells else None
    if first is not None and first.cell_type == "markdown":
        first.source = first.source.replace(" (solved)", "")
    return clean(colab.with_colab_cell(learner))


def _answer_label(reference: str) -> str:
    """A reference answer's bold label as the learner gets it ("Your reasoning: the
    recommendation."), or "" without one.

    Only the label survives: the answer itself often starts on the label's own line, and none of
    it may reach the learner's copy.
    """
    label = re.match(r"\*\*([^*\n]+)\*\*", reference)
    return re.sub(r"^Reference reasoning", "Your reasoning", label.group(1)) if label else ""


def _answer_key(label: str) -> str:
    """The work file's key for an answer: "Your reasoning: the constraint variants." ->
    ``constraint_variants`` (the export labels it "Constraint variants")."""
    topic = label.split(":", 1)[-1]
    topic = re.sub(r"^\s*the\s+", "", topic.strip(), flags=re.I)
    return re.sub(r"[^a-z0-9]+", "_", topic.lower()).strip("_") or "reasoning"


def clean(nb: Any) -> Any:
    """nbstripout semantics: no outputs, no execution counts, no widget state, no run metadata."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in ("execution", "collapsed", "scrolled", "ExecuteTime"):
            cell.metadata.pop(key, None)
    for key in ("widgets", "papermill", "toc", "varInspector"):
        nb.metadata.pop(key, None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def dumps(nb: Any) -> str:
    """Serialise a notebook as nbformat 4 JSON text that always ends with a newline."""
    return nbformat.writes(nb, version=4) + (
        "" if nbformat.writes(nb, version=4).endswith("\n") else "\n"
    )


MAX_NOTEBOOK_BYTES = 20_000_000


def read_notebook(path: Path) -> Any:
    """A notebook file read safely (regular files only, size cap) and parsed; ValueError names it."""
    from ..core.errors import StaffplusError
    from ..core.fileio import read_regular

    try:
        raw = read_regular(path, MAX_NOTEBOOK_BYTES, what="notebook", follow_links=True)
        return nbformat.reads(raw.decode("utf-8"), as_version=4)
    except StaffplusError as exc:
        raise ValueError(str(exc)) from None
    except UnicodeDecodeError:
        raise ValueError(f"{path}: is not UTF-8 text") from None
    except Exception as exc:  # nbformat's NotJSONError, jsonschema's ValidationError, ...
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ValueError(f"{path}: is not a valid notebook ({first[:120]})") from None


def _current_text(target: Path) -> str | None:
    """What a workbook file holds now (None when there is none); never a blocking open."""
    from ..core.errors import StaffplusError
    from ..core.fileio import read_regular

    if not os.path.lexists(target):
        return None
    try:
        return read_regular(target, MAX_NOTEBOOK_BYTES, what="notebook").decode("utf-8", "replace")
    except StaffplusError as exc:
        raise ValueError(str(exc)) from None


# The numbers of the per-scenario workbooks: 00 is the start page, 98 and 99 the debrief and the
# mock interview.
SCENARIO_NUMBERS = range(1, 97)  # 97 is the progress profile, 98 the debrief, 99 the mock interview


def scenario_workbooks(folder: Path) -> list[Path]:
    """The per-scenario workbooks in ``folder`` (``NN_*.ipynb`` with NN in SCENARIO_NUMBERS)."""
    return sorted(
        p for p in Path(folder).glob("[0-9][0-9]_*.ipynb") if int(p.name[:2]) in SCENARIO_NUMBERS
    )


def next_number(solutions: Path) -> int:
    """The number after the highest scenario workbook's in ``solutions``, so a new scenario goes
    after the others."""
    used = [int(p.name[:2]) for p in scenario_workbooks(solutions)]
    number = max(used, default=0) + 1
    if number not in SCENARIO_NUMBERS:
        raise ValueError(
            f"{solutions}: no workbook number left below {SCENARIO_NUMBERS.stop} (give --number)"
        )
    return number


def _local_scenarios(solutions: Path, workbooks: Path, check: bool) -> list[str]:
    """Copy (or compare) the scenario files in ``solutions/scenarios/`` to the workbooks' folder."""
    changed = []
    for src in sorted((Path(solutions) / LOCAL_SCENARIOS).glob("*.yaml")):
        target = Path(workbooks) / LOCAL_SCENARIOS / src.name
        if _current_text(target) != src.read_text("utf-8"):
            changed.append(f"{LOCAL_SCENARIOS}/{src.name}")
            if not check:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(src.read_bytes())
    return changed


def generate(solutions: Path, workbooks: Path, *, check: bool = False) -> list[str]:
    """Write (or, with ``check``, compare) the learner version of every solved notebook, and the
    scenario files a scaffolded workbook reads from ``scenarios/`` beside it.

    Returns the names of the workbooks (and scenario files) that were written or that differ.
    """
    changed = _local_scenarios(solutions, workbooks, check)
    for src in sorted(Path(solutions).glob("*.ipynb")):
        nb = read_notebook(src)
        text = dumps(to_learner(nb))
        target = Path(workbooks) / src.name
        current = _current_text(target)
        if current != text:
            changed.append(src.name)
            if not check:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, "utf-8")
    if check:
        expected = {p.name for p in Path(solutions).glob("*.ipynb")}
        changed += sorted(
            p.name + " (no solved source)"
            for p in Path(workbooks).glob("*.ipynb")
            if p.name not in expected
        )
    return changed


# -- table of contents ------------------------------------------------------------------------------
def toc(workbooks: Path) -> str:
    """Render the README's Markdown table of workbooks, objectives and minutes from metadata."""
    rows = ["| Workbook | What you will be able to do | Minutes |", "|---|---|---|"]
    for path in sorted(Path(workbooks).glob("*.ipynb")):
        meta = read_notebook(path).metadata.get("staffplus", {})
        objectives = "; ".join(meta.get("objectives", []))
        audience = " (instructors)" if meta.get("audience") == "instructor" else ""
        rows.append(
            f"| [{meta.get('title', path.stem)}](workbooks/{path.name}){audience} | {objectives} | {meta.get('minutes', '')} |"
        )
    return "\n".join(rows)


def readme_with_toc(readme: str, table: str) -> str:
    """Put ``table`` between the README's toc markers; a README without them is a ValueError."""
    pattern = re.compile(re.escape(TOC_START) + r".*?" + re.escape(TOC_END), re.S)
    if not pattern.search(readme):
        raise ValueError("README has no toc markers")
    return pattern.sub(lambda _m: f"{TOC_START}\n{table}\n{TOC_END}", readme)


# -- scaffolding the solved workbooks --------------------------------------------------------------
def _md(source: str, **meta: Any) -> Any:
    return nbformat.v4.new_markdown_cell(source.strip("\n"), metadata=meta)


def _code(source: str, **meta: Any) -> Any:
    return nbformat.v4.new_code_cell(source.strip("\n"), metadata=meta)


def _solution_md(source: str, grade_id: str) -> Any:
    return _md(
        source,
        nbgrader={
            "solution": True,
            "grade": False,
            "locked": False,
            "grade_id": grade_id,
            "schema_version": 3,
        },
    )


def _solution_code_meta(grade_id: str) -> dict[str, Any]:
    return {
        "nbgrader": {
            "solution": True,
            "grade": False,
            "locked": False,
            "grade_id": grade_id,
            "schema_version": 3,
        }
    }


def _finish(cells: list[Any], meta: dict[str, Any], stem: str) -> Any:
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{stem.replace('_', '-')}-{i:02d}"
    nb.metadata["staffplus"] = meta
    return clean(nb)


# JupyterLab hands Markdown to MathJax after the Markdown escapes are gone, so a dollar escaped
# the Markdown way (one backslash) still opens a formula; only two backslashes keep it literal
# there (jupyterlab/jupyterlab#8645). The workbooks are made for JupyterLab.
DOLLAR = "\\\\$"


def _one_line(text: str) -> str:
    """One line of Markdown; dollar signs escaped so JupyterLab does not typeset them as maths."""
    return " ".join(text.split()).replace("$", DOLLAR)


LOCAL_SCENARIOS = "scenarios"  # beside the notebooks: copies of scenarios that are not built in


def scaffold_scenario(scenario: Scenario, number: int, *, local: bool = False) -> tuple[str, Any]:
    """The solved workbook for one scenario, following the shared skeleton. Returns (file name, notebook).

    With ``local``, the workbook reads the scenario from the ``scenarios/`` folder beside it (where
    ``staffplus notebooks scaffold`` copies a scenario that is not built in), so it opens in
    JupyterLab without ``STAFFPLUS_SCENARIOS``.
    """
    d = scenario.data
    stem = f"{number:02d}_{scenario.id.replace('-', '_')}"
    rec = d["recommendation"]
    variants = "\n".join(
        f"- **{v['title']}** -> *{v['recommended']}*. {_one_line(v['reason'])}"
        for v in d["constraint_variants"]
    )
    meta = {
        "title": f"{d['title']} (solved)",
        "scenario": scenario.id,
        "minutes": 75,
        "audience": "learner",
        "solution": True,
        "objectives": [
            "ask the clarifying questions that change the design",
            "compare at least three options in a weighted trade-off matrix and say what flips the choice",
            "build a risk register across business, legal, privacy, cost and team concerns",
            "estimate the monthly cost and which line dominates at 10x traffic",
        ],
    }
    cells = [
        _md(f"""
# {d["title"]} (solved)

**Purpose.** {_one_line(d["summary"])}

You will build the three artifacts a Staff+ interviewer looks for (a trade-off matrix, a risk register and a
cost estimate), see how constraints flip the recommendation, and get feedback on a spoken answer.

**Objectives** (about 75 minutes):
1. Ask the clarifying questions that change the design.
2. Compare at least three options in a weighted trade-off matrix, and say what would flip your choice.
3. Build a risk register that covers business, legal, privacy, cost and team concerns, each with an owner and a detection signal.
4. Estimate the monthly cost, and which line dominates as traffic grows.

Everything you enter in the widgets is saved as you go to `staffplus-work/{scenario.id}.json`.
"""),
        _code(
            f'scenario = "{scenario.id}"\nlearner = ""'
            + (
                f'\nscenario_dir = "{LOCAL_SCENARIOS}"  # the scenario file is in this folder'
                if local
                else ""
            ),
            tags=["parameters"],
        ),
        _code(
            f"""
from staffplus_widgets import Workbench
from staffplus_widgets.data.scenario import get_scenario
from staffplus_widgets.practice import checks
from staffplus_widgets.widgets import AnswerBox

sc = get_scenario(scenario{", [scenario_dir]" if local else ""})
### BEGIN SOLUTION
# The solved notebook keeps its own work file and fills in the reference artifacts,
# so running it never touches a learner's work.
from staffplus_widgets.practice.session import WorkSession

learner = learner or "reference"
WorkSession(sc, learner=learner, autosave_delay=0).fill_reference()
### END SOLUTION
wb = Workbench({"sc" if local else "scenario"}, learner=learner)
wb.status
""",
            **_solution_code_meta(f"{stem}-setup"),
        ),
        _md("""
## 1. The scenario and its constraints

Read the prompt the way you would hear it in the room. The context gives the numbers that matter: traffic,
latency budget, team, infrastructure, labels, regulation and budget. The toggles are constraint variants:
turn one on and watch which options it rules out and how the recommendation in section 3 changes.
"""),
        _code("wb.card"),
        _md("""
## 2. Clarifying questions

A Staff+ candidate asks the questions whose answers change the design *before* proposing anything.
Write yours below (one per line), then press **Check** to see which of the interviewer's key questions
you covered. The interviewer's answers are revealed in the scenario card above.
"""),
        _code(
            """
questions = AnswerBox(wb.session, "clarifying", phase="clarify",
                      placeholder="One question per line: scale? latency budget? labels? team? regulation?")
### BEGIN SOLUTION
questions.value = "\\n".join(q["question"] for q in sc.data["clarifying_questions"])
### END SOLUTION
questions
""",
            **_solution_code_meta(f"{stem}-questions"),
        ),
        _md("""
## 3. Design options and the trade-off matrix

Score each option from 1 (worst) to 5 (best) on each criterion, with a one-line reason. Weights are
normalised, so only their ratios matter. Include at least one deliberately simple baseline and at least two
cross-functional criteria (cost, team burden, compliance...). The sensitivity chart shows how far each
weight can move before the winner changes: that interval is what you say when the interviewer asks
"what would change your mind?".
"""),
        _code("wb.matrix"),
        _code(
            """
ranking = wb.session.matrix.ranking()
report = checks.matrix(wb.session)
print(report)
### BEGIN SOLUTION
assert report.passed, report
assert ranking.winners == (sc.data["recommendation"]["option"],), ranking.winners
### END SOLUTION
print("Recommended by your matrix:", " / ".join(ranking.winners) or "no winner yet")
""",
            **_solution_code_meta(f"{stem}-matrix-check"),
        ),
        _solution_md(
            f"""
**Reference reasoning: the recommendation.** Ship *{rec["option"]}*. {_one_line(rec["why"])}

What would flip it: {_one_line(rec["flips_when"])}
""",
            f"{stem}-reasoning",
        ),
        _md("""
## 4. Risk register

Name what will go wrong before anyone asks. For each risk give a likelihood and an impact (1-5), a
mitigation, an owner (a role or team) and the detection signal that tells you it is happening. The
coverage panel names the categories a Staff+ candidate would not leave empty for this scenario.
"""),
        _code("wb.risks"),
        _code(
            """
register = wb.session.register
report = checks.risks(wb.session)
print(report)
### BEGIN SOLUTION
assert report.passed, report
### END SOLUTION
print(f"{len(register.risks)} risks; highest severity first:",
      [f"{r.title} ({r.severity})" for r in register.by_severity()[:3]])
""",
            **_solution_code_meta(f"{stem}-risks-check"),
        ),
        _md("""
## 5. Cost estimate

Estimate the monthly cost line by line. Every input has a unit, and every line shows its formula with your
numbers, so you can redo the arithmetic aloud. Then look at the x1 / x3 / x10 projection: which line
dominates as the system grows? That is where the design's real cost risk sits.
"""),
        _code("wb.cost"),
        _code(
            """
estimate = wb.session.cost.estimate()
low, high = sc.cost_range()
report = checks.cost(wb.session)
print(report)
### BEGIN SOLUTION
assert report.passed, report
### END SOLUTION
print(f"Monthly total ${estimate.total:,.0f}; reference range ${low:,.0f} - ${high:,.0f}")
""",
            **_solution_code_meta(f"{stem}-cost-check"),
        ),
        _md("""
## 6. What changes if...

The same problem under a different constraint has a different best answer: that is the engineering
judgment the interview probes. Below, each constraint variant is applied to a copy of *your* matrix.
"""),
        _code(
            """
outcomes = wb.session.variant_outcomes()
for outcome in outcomes:
    print(f"{outcome['title']}: your matrix picks {' / '.join(outcome['winners']) or 'nothing'}")
### BEGIN SOLUTION
for outcome in outcomes:
    assert outcome["winners"] == [outcome["recommended"]], outcome
### END SOLUTION
""",
            **_solution_code_meta(f"{stem}-variants"),
        ),
        _solution_md(
            f"""
**Reference reasoning: the constraint variants.**

{variants}
""",
            f"{stem}-variants-reasoning",
        ),
        _md("""
## 7. Your mock answer and feedback

Write the answer you would give in the first ten minutes of the interview, then press **Review**. Each
rubric point is judged at one of four levels: **reasoned** (you tied it to a consequence, a constraint, a
number or a decision: full credit), **named only** (you mentioned it, tied to nothing, or only in a list:
a quarter), **dismissed** (you waved it away: nothing) or **not raised**. The feedback shows the sentence
behind each level, what to add to a point you only named, what the interviewer would still ask, the
Staff+ signals present, and a score with its breakdown.
"""),
        _code("wb.feedback"),
        _code(
            """
from staffplus_widgets.feedback import review_text

answer = wb.session.answers.get("mock_answer", "")
review = review_text(sc, answer)
### BEGIN SOLUTION
assert review.score >= 70, review.breakdown
### END SOLUTION
named = sum(1 for i in review.items if i.level == "named")
print(
    f"Score {review.score}/100: {len(review.raised_ids)} of {len(sc.rubric)} rubric points reasoned, "
    f"{named} named only (when this cell ran; the Feedback tab above is live)"
)
""",
            **_solution_code_meta(f"{stem}-answer-check"),
        ),
        _md("""
## 8. Export

Download a design-review document of your work (one standalone HTML file with the charts embedded) or your
work file itself, to keep or to submit to your instructor (`staffplus submit`).
"""),
        _code("wb.export_bar"),
        _md(f"""
## Summary and what's next

- The recommendation follows from the constraints, and you can say what would flip it.
- The risks a Staff+ candidate raises unprompted span business, legal, privacy, cost and team.
- The cost estimate tells you which line dominates at scale.

**Next:** run [the timed mock interview](99_mock_interview.ipynb) on this scenario (set `scenario = "{scenario.id}"`
in its first cell), and see how much you raise before the interviewer asks. [The start page](00_start_here.ipynb)
lists every workbook and what you have done in each.
"""),
    ]
    return f"{stem}.ipynb", _finish(cells, meta, stem)
