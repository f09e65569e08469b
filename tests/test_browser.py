"""Layer 4: the workbooks in a real JupyterLab, driven in headless Chromium (DESIGN.md).

One JupyterLab server and one Chromium page serve the whole module (fixtures in
``tests/browser_support.py``). Each workbook is opened with a fresh kernel, run with
Run > Run All Cells, and must render every widget it displays without an error; then the learner's
path through ``01_payments_fraud.ipynb`` is replayed (scores, risks, costs, a bad number, a title
that is HTML, a constraint variant, the written answers, the export link, and a kernel restart
that must bring the work back), and the judgment drill, the mock interview and its drills are used
once each.

Run alone with ``.venv/bin/python -m pytest -q -m browser tests/test_browser.py -p no:xdist -x``.
Screenshots go to ``$STAFFPLUS_SCREENSHOTS`` (default: a temporary folder); the end of the pytest
output prints the folder and a table of render times.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from staffplus_widgets.workfile import work_path

# tests/ is on sys.path (conftest.py); let pytest rewrite its asserts before the import below
pytest.register_assert_rewrite("browser_support")
from browser_support import (  # noqa: E402
    NOTEBOOK,
    UI_TIMEOUT,
    VIEWPORT,
    WORKBOOKS,
    Browser,
    Lab,
    code_cells,
    expected_widget_views,
    image_digest,
    mark_outputs_stale,
    open_and_run,
    poll,
    restart_and_run_all,
    screenshot,
    set_text,
    text,
    wait_for_file,
    wait_for_widgets,
    wait_until_rerun,
)

pytest_plugins = ["browser_support"]  # fixtures and the render-time summary
pytestmark = [pytest.mark.browser, pytest.mark.slow]

FRAUD = "01_payments_fraud.ipynb"
# the payments-fraud workbook renders last, so the learner tests below can carry on in its run
NAMES = sorted((p.name for p in WORKBOOKS.glob("*.ipynb")), key=lambda n: (n == FRAUD, n))
FRAUD_SCENARIO = "payments-fraud"  # the workbook's `scenario` parameter
XSS = "<img src=x onerror=alert(1)>"
RECOMMENDATION = "Tiered GBDT: CPU only, so no deep model; a missed fraud costs about $115."
TIMEOUT_MS = UI_TIMEOUT * 1000


@pytest.mark.parametrize("name", NAMES)
def test_workbook_runs_and_renders_every_widget(
    name: str,
    lab: Lab,
    browser: Browser,
    screenshots: Path,
    render_times: dict[str, dict[str, Any]],
    record_property: Any,
) -> None:
    browser.dialogs.clear()
    run = open_and_run(browser, lab, name)
    shot = screenshot(browser.page, screenshots / f"{Path(name).stem}.png")
    problems = run.problems()
    render_times[name] = {
        "open_s": run.open_s,
        "render_s": run.render_s,
        "widgets": f"{run.outputs['rendered']}/{run.expected}",
        "result": "FAILED" if problems else "ok",
    }
    # travels to the controller under xdist; the root conftest prints the table from it
    record_property(
        "browser_render", {"workbook": name, "screenshot": str(shot), **render_times[name]}
    )
    assert not problems, f"{name} (screenshot {shot}):\n" + "\n".join(problems)
    assert not browser.dialogs, f"{name} opened browser dialogs: {browser.dialogs}"
    # the workbooks hold no formulas: typeset maths means prices like "$210k ... $3.3M" were eaten
    maths = browser.page.locator(".jp-MarkdownOutput mjx-container").count()
    assert maths == 0, f"{name}: {maths} formula(s) typeset in Markdown (screenshot {shot})"
    browser.fresh = name


def open_cleanly(browser: Browser, lab: Lab, name: str) -> Any:
    """The page with ``name`` just run cleanly: the run a render test left, or a new one."""
    if browser.fresh == name:
        browser.fresh = None  # whoever takes it over changes it
        return browser.page
    run = open_and_run(browser, lab, name)
    problems = run.problems()
    if problems:
        pytest.fail(f"{name} does not run cleanly:\n" + "\n".join(problems), pytrace=False)
    return browser.page


# -- the learner's path through the payments-fraud workbook --------------------------------------
@dataclass
class Payments:
    """01_payments_fraud.ipynb, run once in the shared page, with its work file."""

    browser: Browser
    lab: Lab

    @property
    def page(self) -> Any:
        return self.browser.page

    @property
    def work_file(self) -> Path:
        return work_path(FRAUD_SCENARIO, directory=self.lab.work_dir)

    def view(self, css_class: str) -> Any:
        """The (first) output of the notebook showing the view with ``css_class``."""
        return self.page.locator(f"{NOTEBOOK} .jp-OutputArea-output .{css_class}").first


@pytest.fixture(scope="module")
def payments(lab: Lab, browser: Browser) -> Iterator[Payments]:
    open_cleanly(browser, lab, FRAUD)
    yield Payments(browser, lab)


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def number(text: str) -> float:
    """The first number in ``text`` ("$12,345 per month" -> 12345.0)."""
    match = re.search(r"-?\d[\d,]*(?:\.\d+)?", text)
    assert match, f"no number in {text!r}"
    return float(match.group().replace(",", ""))


def changed_image(image: Any, before: str, what: str) -> str:
    return poll(
        lambda: (d := image_digest(image)) != before and d,
        UI_TIMEOUT,
        f"the {what} image to change",
    )


def heatmap_count(summary: str) -> int:
    """How many risks the heat map's text summary says it shows (0 when it says it is empty)."""
    match = re.search(r"(\d+) risks?\b", summary)
    return int(match.group(1)) if match else 0


def add_risk(
    payments: Payments,
    title: str,
    likelihood: str = "4",
    impact: str = "5",
    *,
    click_right_after_typing: bool = False,
) -> None:
    """Fill in the risk form and add the draft with one click, the way a learner does.

    The click can reach the kernel before the value typed just before it; the form waits for
    the typing to arrive (``SessionView._when_typing_has_arrived``), so one click always adds
    the typed risk. "Not added" here is a failure: the learner would have had to click again.
    With ``click_right_after_typing`` the last field is not left first: the click itself takes
    the focus away, so the field's value and the click leave the browser together (the case
    that, without the wait, lost an add in about one of ten tries on a busy machine).
    """
    register = payments.view("staffplus-risk-register")
    set_text(register.locator(".staffplus-risk-title"), title)
    set_text(register.locator(".staffplus-risk-likelihood"), likelihood)
    impact_field = register.locator(".staffplus-risk-impact")
    if click_right_after_typing:
        field = impact_field.locator("input, textarea").first
        field.click()
        field.fill(impact)
    else:
        set_text(impact_field, impact)
    add = register.locator("button.staffplus-risk-add, .staffplus-risk-add button").first
    table = register.locator(".staffplus-risk-table")
    note = register.locator(".staffplus-risk-form-message")
    add.click()

    def outcome() -> str | None:
        if title in text(table):
            return "added"
        return "refused" if "Not added" in text(note) else None

    result = poll(outcome, UI_TIMEOUT, f"the risk {title!r} to be added or refused")
    assert result == "added", f"one click did not add {title!r}: {text(note)}"
    expect(note).to_contain_text("Added", timeout=TIMEOUT_MS)


def test_typing_a_score_updates_the_weighted_total_and_the_chart(payments: Payments) -> None:
    matrix = payments.view("staffplus-tradeoff")
    score = matrix.locator(".staffplus-tradeoff-score").first
    total = matrix.locator(".staffplus-tradeoff-total").first
    summary = matrix.locator(".staffplus-tradeoff-totals-chart-summary").first
    image = matrix.locator("img.staffplus-tradeoff-totals-chart-image").first
    old_score = float(score.locator("input").input_value())
    new_score = 1 if old_score >= 3 else 5
    old_total, old_summary = text(total), text(summary)
    old_image = image_digest(image)

    set_text(score, str(new_score))

    expect(total).not_to_have_text(old_total, timeout=TIMEOUT_MS)
    expect(summary).not_to_have_text(old_summary, timeout=TIMEOUT_MS)
    changed_image(image, old_image, "totals chart")
    went_up = number(text(total)) > number(old_total)
    assert went_up == (new_score > old_score), (old_total, text(total))


def test_adding_a_risk_updates_the_heat_map_and_the_table(payments: Payments) -> None:
    register = payments.view("staffplus-risk-register")
    summary = register.locator(".staffplus-risk-heatmap-summary").first
    image = register.locator("img.staffplus-risk-heatmap-image").first
    before, old_image = heatmap_count(text(summary)), image_digest(image)
    title = "Chargeback labels arrive 8 weeks late"

    add_risk(payments, title)

    poll(
        lambda: heatmap_count(text(summary)) == before + 1,
        UI_TIMEOUT,
        f"the heat map to count {before + 1} risks",
    )
    changed_image(image, old_image, "heat map")
    expect(register.locator(".staffplus-risk-table")).to_contain_text(title, timeout=TIMEOUT_MS)


def test_fifty_risks_added_with_both_cores_busy_all_land_with_one_click_each(
    payments: Payments,
) -> None:
    """The click that outruns its field, under load: two CPU burners beside the browser and the
    kernel, fifty adds, each with one click; every one lands with the values typed."""
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    added: list[tuple[str, int, int]] = []
    try:
        for i in range(50):
            title = f"Race check {i:02d}: card testing bursts"
            likelihood, impact = 1 + i % 5, 1 + (i * 3) % 5
            add_risk(payments, title, str(likelihood), str(impact), click_right_after_typing=True)
            added.append((title, likelihood, impact))
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()

    def holds_all(doc: dict[str, Any]) -> bool:
        risks = {r["title"]: r for r in (doc.get("risks") or {}).get("risks", [])}
        return all(t in risks for t, _, _ in added)

    doc = wait_for_file(payments.work_file, holds_all, "all fifty raced risks")
    risks = {r["title"]: r for r in doc["risks"]["risks"]}
    lost = [t for t, lk, im in added if (risks[t]["likelihood"], risks[t]["impact"]) != (lk, im)]
    assert not lost, f"stored with values other than typed: {lost}"


def test_a_risk_title_that_is_html_is_shown_literally_and_never_run(payments: Payments) -> None:
    payments.browser.dialogs.clear()
    register = payments.view("staffplus-risk-register")
    table = register.locator(".staffplus-risk-table")

    add_risk(payments, XSS, likelihood="2", impact="2")

    expect(table).to_contain_text(XSS, timeout=TIMEOUT_MS)
    payments.page.wait_for_timeout(500)  # time for an injected onerror to fire, if there were one
    assert not payments.browser.dialogs, f"learner text was run as HTML: {payments.browser.dialogs}"
    assert table.locator("img").count() == 0
    options = [text(o) for o in register.locator(".staffplus-risk-select select option").all()]
    assert any(XSS in option for option in options), options


def cost_parts(payments: Payments) -> tuple[Any, Any, Any]:
    cost = payments.view("staffplus-cost-estimator")
    line = cost.locator(".staffplus-cost-line-inference").first
    qps = line.locator(".staffplus-cost-field-peak_qps").first
    return cost, line, qps


def monthly_total(cost: Any) -> str:
    row = cost.locator(".staffplus-cost-totals tr").filter(has_text="Monthly total").first
    return text(row.locator("td").first)


def test_changing_peak_qps_changes_the_monthly_cost(payments: Payments) -> None:
    cost, line, qps = cost_parts(payments)
    formula = line.locator(".staffplus-cost-line-formula").first
    old_qps = float(qps.locator("input").input_value())
    old_total, old_formula = monthly_total(cost), text(formula)

    set_text(qps, f"{old_qps * 10:g}")

    poll(lambda: monthly_total(cost) != old_total, UI_TIMEOUT, "the monthly total to change")
    expect(formula).not_to_have_text(old_formula, timeout=TIMEOUT_MS)
    assert number(monthly_total(cost)) > number(old_total), (old_total, monthly_total(cost))


def test_a_non_number_shows_a_message_beside_the_field_and_keeps_the_last_value(
    payments: Payments,
) -> None:
    cost, line, qps = cost_parts(payments)
    good, total = qps.locator("input").input_value(), monthly_total(cost)
    # the field's own message (with its unit), in the line's grid of fields
    note = line.locator(".staffplus-cost-field-message-peak_qps").first

    set_text(qps, "abc")

    expect(note).to_contain_text("abc", timeout=TIMEOUT_MS)
    expect(note.locator(".staffplus-error")).to_be_visible(timeout=TIMEOUT_MS)
    # the views' CSS (carried by each view's heading) gives the rejected input a red border too
    expect(qps.locator("input")).to_have_css("border-color", "rgb(176, 0, 32)")
    field, box = qps.locator("input").bounding_box(), note.bounding_box()
    assert box["x"] >= field["x"] + field["width"] - 1, (field, box)
    assert box["y"] < field["y"] + field["height"] and field["y"] < box["y"] + box["height"]
    assert monthly_total(cost) == total

    set_text(qps, good)
    # the message goes; the unit it follows stays
    expect(note).not_to_contain_text("abc", timeout=TIMEOUT_MS)
    expect(note.locator(".staffplus-error")).to_have_count(0)
    expect(note).to_contain_text("requests/s")


# In the page: the matrix's one scroller, scrolled to its right end, and what is in view there.
_JS_GRID_AT_RIGHT_END = """(view) => {
  const scroller = view.querySelector('.staffplus-tradeoff-scroller');
  scroller.scrollLeft = scroller.scrollWidth;
  const box = scroller.getBoundingClientRect();
  const inside = (el) => { const r = el.getBoundingClientRect();
    return r.width > 0 && r.left >= box.left - 1 && r.right <= box.right + 1; };
  const weights = [...view.querySelectorAll('.staffplus-tradeoff-weight')];
  const names = [...view.querySelectorAll('.staffplus-tradeoff-option-name')];
  const out = {scrolls: scroller.scrollWidth > scroller.clientWidth,
    lastWeightInView: inside(weights[weights.length - 1]),
    optionNamesInView: names.every(inside), columns: weights.length,
    box: [box.left, box.right, scroller.scrollWidth, scroller.clientWidth, scroller.style.overflow,
      getComputedStyle(scroller).overflowX],
    last: (() => { const r = weights[weights.length - 1].getBoundingClientRect();
      return [r.left, r.right, r.width]; })()};
  scroller.scrollLeft = 0;
  out.firstWeightInView = inside(weights[0]);
  return out; }"""

# In the page: buttons of rendered widget views whose label is wider than the button.
_JS_CUT_BUTTONS = """(sel) => [...document.querySelectorAll(sel + ' .jp-OutputArea-output button')]
  .filter((b) => b.offsetParent !== null && b.scrollWidth > b.clientWidth + 1)
  .map((b) => `${(b.textContent || b.title).trim()} (${b.scrollWidth} > ${b.clientWidth} px)`)"""


@pytest.mark.parametrize("width", [1024, 1280, 1400])
def test_the_matrix_is_one_grid_every_column_reachable_and_no_label_cut(
    payments: Payments, width: int
) -> None:
    page = payments.page
    page.set_viewport_size({"width": width, "height": 900})
    try:
        matrix = payments.view("staffplus-tradeoff")
        matrix.scroll_into_view_if_needed()
        grid = poll(
            lambda: (g := matrix.evaluate(_JS_GRID_AT_RIGHT_END))["columns"] and g,
            UI_TIMEOUT,
            "the matrix grid to lay out",
        )
        # the option names stay in view at both ends; every criterion is in view at one of them
        assert grid["optionNamesInView"], json.dumps(grid)
        assert grid["firstWeightInView"] and grid["lastWeightInView"], json.dumps(grid)
        cut: list[str] = []
        for output in page.locator(f"{NOTEBOOK} .jp-OutputArea-output").all():
            output.scroll_into_view_if_needed()  # JupyterLab lays out only the cells in view
            cut += page.evaluate(_JS_CUT_BUTTONS, NOTEBOOK)
        assert not sorted(set(cut)), (
            f"at {width} px these button labels are cut: {sorted(set(cut))}"
        )
    finally:
        page.set_viewport_size(VIEWPORT)


def test_a_constraint_variant_in_the_card_updates_the_matrix(payments: Payments) -> None:
    card, matrix = payments.view("staffplus-scenario-card"), payments.view("staffplus-tradeoff")
    variant = card.locator(".staffplus-card-variant").first
    box = variant.locator("input[type=checkbox]")
    effect = card.locator(".staffplus-card-variant-effect").first
    ranking = matrix.locator(".staffplus-tradeoff-ranking")
    old_ranking = text(ranking)
    assert not box.is_checked()

    box.check()
    try:
        expect(effect).to_contain_text("Active", timeout=TIMEOUT_MS)
        expect(matrix.locator(".staffplus-excluded").first).to_contain_text(
            "excluded", timeout=TIMEOUT_MS
        )
    finally:
        box.uncheck()
    expect(matrix.locator(".staffplus-excluded")).to_have_count(0, timeout=TIMEOUT_MS)
    expect(ranking).to_have_text(old_ranking, timeout=TIMEOUT_MS)


def test_revealing_a_clarifying_answer(payments: Payments) -> None:
    card = payments.view("staffplus-scenario-card")
    answer = card.locator(".staffplus-card-answer").first
    expect(answer).to_have_text("")
    card.locator(".staffplus-card-reveal").first.click()
    expect(answer).to_contain_text("Answer", timeout=TIMEOUT_MS)


def test_the_written_answers_are_checked_and_reviewed(payments: Payments) -> None:
    page = payments.page
    questions = payments.view("staffplus-answer-text").locator("textarea")
    questions.fill(
        "What is the peak checkout volume and the latency budget?\n"
        "How late do chargeback labels arrive?"
    )
    page.locator(f"{NOTEBOOK} .staffplus-answer-check").first.click()
    expect(page.locator(f"{NOTEBOOK} .staffplus-answer-result").first).to_contain_text(
        "You covered", timeout=TIMEOUT_MS
    )
    # the reasoning under the matrix is an answer box saved with the work, not a Markdown cell
    reasoning = page.locator(f"{NOTEBOOK} .staffplus-answer-text textarea").nth(1)
    reasoning.scroll_into_view_if_needed()
    reasoning.fill(RECOMMENDATION)
    reasoning.blur()
    wait_for_file(
        payments.work_file,
        lambda w: w.get("answers", {}).get("recommendation") == RECOMMENDATION,
        "the recommendation reasoning",
    )

    panel = payments.view("staffplus-feedback-panel")
    answer = panel.locator(".staffplus-feedback-answer textarea")
    answer.fill(
        "I would start with a tiered GBDT on CPU: auto-block high-confidence fraud and "
        "send the ambiguous band to human review, because false declines cost customer "
        "trust. Chargeback labels arrive weeks late, so I would monitor precision on "
        "matured labels."
    )
    answer.blur()  # the answer is saved when the box loses focus
    expect(panel.locator(".staffplus-feedback-word-count")).not_to_have_text(
        re.compile(r"^\s*0 words"), timeout=TIMEOUT_MS
    )
    panel.locator(".staffplus-feedback-review").first.click()
    expect(panel.locator(".staffplus-feedback-review-result")).to_contain_text(
        re.compile(r"score \d+/100", re.I), timeout=TIMEOUT_MS
    )


def test_the_export_link_downloads_the_saved_work(payments: Payments) -> None:
    title = "Issuer fraud reports arrive before chargebacks"
    add_risk(payments, title, likelihood="2", impact="3")
    wait_for_file(
        payments.work_file,
        lambda w: _saved(w, lambda d: d.get("title") == title),
        f"the risk {title!r}",
    )
    link = payments.page.locator(f"{NOTEBOOK} a.staffplus-export-link").first
    expect(link).to_have_attribute(
        "href", re.compile(r"^data:application/json;base64,"), timeout=TIMEOUT_MS
    )
    # the link is rebuilt after each save: wait until it carries the new risk
    poll(
        lambda: title in _download(payments.page, link),
        UI_TIMEOUT,
        "the export link to carry the new risk",
    )
    work = json.loads(_download(payments.page, link))
    assert work["format"] == "staffplus-work" and isinstance(work["version"], int)
    assert work["answers"]["recommendation"] == RECOMMENDATION
    # it looks like a button (our style applies), and the upload beside it shows no "(0)"
    look = link.evaluate(
        "a => [getComputedStyle(a).display, getComputedStyle(a).textDecorationLine]"
    )
    assert look == ["inline-flex", "none"], look
    upload = payments.page.locator(f"{NOTEBOOK} .staffplus-import").first
    assert upload.evaluate("b => getComputedStyle(b, '::after').content") == '"Import a work file"'
    assert upload.evaluate("b => getComputedStyle(b).fontSize") == "0px"


def test_hints_come_before_the_answers(payments: Payments) -> None:
    page = payments.page
    hint = page.locator(f"{NOTEBOOK} .staffplus-card-hint").nth(1)
    hint.scroll_into_view_if_needed()
    hint.click()
    answer = page.locator(f"{NOTEBOOK} .staffplus-card-answer").nth(1)
    expect(answer).to_contain_text("Hint:", timeout=TIMEOUT_MS)
    assert "Answer:" not in text(answer)
    button = page.locator(f"{NOTEBOOK} .staffplus-risk-hint").first
    button.scroll_into_view_if_needed()
    before = text(button)
    button.click()
    expect(page.locator(f"{NOTEBOOK} .staffplus-risk-hints").first).to_contain_text(
        "Hints", timeout=TIMEOUT_MS
    )
    expect(button).not_to_have_text(before, timeout=TIMEOUT_MS)


def _download(page: Any, link: Any) -> str:
    with page.expect_download(timeout=TIMEOUT_MS) as download:
        link.click()
    return Path(download.value.path()).read_text()


def _saved(work: dict[str, Any], predicate: Any) -> bool:
    """Whether any dict nested in the work file satisfies ``predicate``."""
    stack: list[Any] = [work]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if predicate(item):
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def test_restarting_the_kernel_restores_the_work(payments: Payments) -> None:
    page = payments.page
    matrix = payments.view("staffplus-tradeoff")
    score = matrix.locator(".staffplus-tradeoff-score").nth(1)
    old = float(score.locator("input").input_value())
    new = "2" if old != 2 else "4"
    option = matrix.locator(".staffplus-tradeoff-option-name input").first.input_value()
    criterion = matrix.locator(".staffplus-tradeoff-criterion-name input").nth(1).input_value()
    title = "Analyst review queue overflows during a holiday peak"

    set_text(score, new)
    add_risk(payments, title, likelihood="3", impact="4")
    # the reasoning is written here too, so the test does not depend on the one before it
    reasoning = page.locator(f"{NOTEBOOK} .staffplus-answer-text textarea").nth(1)
    reasoning.scroll_into_view_if_needed()
    reasoning.fill(RECOMMENDATION)
    reasoning.blur()
    # the work is saved (debounced, atomically) before the kernel goes away
    wait_for_file(
        payments.work_file,
        lambda w: _saved(
            w,
            lambda d: (
                d.get("option") == option
                and d.get("criterion") == criterion
                and float(d.get("score", 0)) == float(new)
            ),
        ),
        f"the score {new} for {option!r} on {criterion!r}",
    )
    wait_for_file(
        payments.work_file, lambda w: _saved(w, lambda d: d.get("title") == title), repr(title)
    )
    wait_for_file(
        payments.work_file,
        lambda w: w.get("answers", {}).get("recommendation") == RECOMMENDATION,
        "the recommendation reasoning",
    )

    mark_outputs_stale(page)
    restart_and_run_all(page)
    path = payments.lab.notebooks / FRAUD
    ran = wait_until_rerun(page, len(code_cells(path)))
    expected = expected_widget_views(path)
    out = ran["outputs"] if ran["outputs"]["errors"] else wait_for_widgets(page, expected)
    assert not out["errors"], out["errors"]
    assert out["rendered"] == expected, out

    matrix = payments.view("staffplus-tradeoff")
    register = payments.view("staffplus-risk-register")
    expect(register.locator(".staffplus-risk-table")).to_contain_text(title, timeout=TIMEOUT_MS)
    expect(matrix.locator(".staffplus-tradeoff-score").nth(1).locator("input")).to_have_value(
        re.compile(rf"^{re.escape(new)}(\.0*)?$"), timeout=TIMEOUT_MS
    )
    reasoning = page.locator(f"{NOTEBOOK} .staffplus-answer-text textarea").nth(1)
    expect(reasoning).to_have_value(RECOMMENDATION, timeout=TIMEOUT_MS)


# -- the drills and the mock interview -----------------------------------------------------------
def test_the_judgment_drill_is_scored(lab: Lab, browser: Browser) -> None:
    page = open_cleanly(browser, lab, "00_start_here.ipynb")
    choices = page.locator(f"{NOTEBOOK} .staffplus-judgment-choice")
    expect(choices.first).to_be_visible(timeout=TIMEOUT_MS)
    choices.nth(0).locator("button").filter(has_text="Judgment").click()
    choices.nth(1).locator("button").filter(has_text="Recall").click()
    page.locator(f"{NOTEBOOK} .staffplus-judgment-submit").first.click()
    expect(page.locator(f"{NOTEBOOK} .staffplus-judgment-result").first).to_contain_text(
        re.compile(r"Score: \d+ / \d+"), timeout=TIMEOUT_MS
    )
    # the way through the course: a link to each workbook, with what the learner has done there
    # (JupyterLab resolves "01_payments_fraud.ipynb" to its /files/ URL and opens it in a tab)
    row = page.locator(f"{NOTEBOOK} .jp-OutputArea-output tr").filter(
        has=page.locator("a[href*='01_payments_fraud.ipynb']")
    )
    expect(row).to_contain_text(re.compile(r"started: \d+ risks?"), timeout=TIMEOUT_MS)
    expect(
        page.locator(f"{NOTEBOOK} .jp-OutputArea-output a[href*='99_mock_interview.ipynb']")
    ).to_have_count(1)


def test_the_mock_interview_moves_through_a_phase_and_the_drills_give_feedback(
    lab: Lab, browser: Browser
) -> None:
    page = open_cleanly(browser, lab, "99_mock_interview.ipynb")
    interview = page.locator(f"{NOTEBOOK} .staffplus-mock-interview").first
    clock = interview.locator(".staffplus-interview-clock")
    # the clock waits for Start: Run All reaches the cell while the learner is still reading
    expect(clock).to_contain_text("starts when you press", timeout=TIMEOUT_MS)
    interview.locator(".staffplus-interview-pause").click()
    expect(clock).to_contain_text("left of", timeout=TIMEOUT_MS)
    ticking = text(clock)
    poll(lambda: text(clock) != ticking, 10, "the interview clock to tick in the page")
    expect(interview).to_contain_text("Phase 1 of", timeout=TIMEOUT_MS)

    interview.locator(".staffplus-interview-answer textarea").fill(
        "Before designing anything: what is the peak checkout volume, the latency budget, how "
        "late do chargeback labels arrive, and who runs the model?"
    )
    interview.locator("button.staffplus-interview-submit").click()
    # the interviewer either follows up on what was not raised (answers optional) or moves on
    go_on = interview.locator("button.staffplus-interview-continue")
    poll(
        lambda: go_on.is_visible() or "Phase 2 of" in text(interview),
        UI_TIMEOUT,
        "follow-up questions or the next phase",
    )
    if go_on.is_visible():
        go_on.click()
    expect(interview).to_contain_text("Phase 2 of", timeout=TIMEOUT_MS)

    rewrite = page.locator(f"{NOTEBOOK} .staffplus-rewrite-text textarea").first
    rewrite.fill(
        "Given a 3-person team with no GPU serving, I would ship a tiered GBDT on CPU "
        "first and send the ambiguous band to human review, because a false decline "
        "costs customer trust. What would change my mind: 10x volume."
    )
    page.locator(f"{NOTEBOOK} .staffplus-rewrite-check").first.click()
    expect(page.locator(f"{NOTEBOOK} .staffplus-rewrite-result").first).to_contain_text(
        "Score", timeout=TIMEOUT_MS
    )

    page.locator(f"{NOTEBOOK} .staffplus-spotting-start").first.click()
    risks = page.locator(f"{NOTEBOOK} .staffplus-spotting-text textarea").first
    expect(risks).to_be_enabled(timeout=TIMEOUT_MS)
    risks.fill("chargeback labels arrive late\nfalse declines lose customers\nPCI DSS scope")
    page.locator(f"{NOTEBOOK} .staffplus-spotting-done").first.click()
    expect(page.locator(f"{NOTEBOOK} .staffplus-spotting-result").first).not_to_have_text(
        "", timeout=TIMEOUT_MS
    )


def test_the_progress_profile_reads_a_downloaded_folder_and_shows_its_charts(
    lab: Lab, browser: Browser
) -> None:
    from staffplus_widgets.authoring.demo import demo_history

    # a folder of downloaded work files beside the work folder (never the shared one itself)
    folder = demo_history(lab.work_dir.parent / "downloaded-work", scenarios=3, attempts_each=4)
    (folder / f"{XSS}.json").write_text("{not json")
    page = open_cleanly(browser, lab, "97_my_progress.ipynb")
    set_text(page.locator(f"{NOTEBOOK} .staffplus-progress-folder"), str(folder))
    overview = page.locator(f"{NOTEBOOK} .staffplus-progress-overview")
    expect(overview).to_contain_text("12 attempts", timeout=TIMEOUT_MS)
    expect(overview).to_contain_text(f"{XSS}.json: is not valid JSON")  # shown as text
    for key in ("profile", "trend", "unprompted"):
        image = page.locator(f"{NOTEBOOK} img.staffplus-progress-{key}-image")
        expect(image).to_have_count(1, timeout=TIMEOUT_MS)
        summary = text(page.locator(f"{NOTEBOOK} .staffplus-progress-{key}-summary"))
        assert summary and image.get_attribute("alt") == summary
    expect(page.locator(f"{NOTEBOOK} .staffplus-progress-habits li").first).to_contain_text(
        re.compile(r"\(\d+ of \d+ items\)\.")
    )
    link = page.locator(f"{NOTEBOOK} .staffplus-progress-next a[href$='.ipynb']")
    expect(link).to_have_count(1)
    # the Markdown link under it, for the default folder (what the tests before saved in this
    # lab, if anything), is one JupyterLab resolves and opens
    from staffplus_widgets.data.scenario import get_pack
    from staffplus_widgets.practice import progress as pr
    from staffplus_widgets.practice.course import workbooks_by_scenario

    default = pr.progress(lab.work_dir, get_pack(), workbooks_by_scenario(WORKBOOKS))
    expected = default.to_json()["recommendation"]
    output_link = page.locator(
        f"{NOTEBOOK} .jp-OutputArea-output a[href*='{expected['workbook']}']"
    ).filter(has_text=expected["title"])
    expect(output_link).to_have_count(1)
    assert not browser.dialogs
