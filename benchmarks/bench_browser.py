"""The workbook as a learner feels it, in headless Chromium on this machine (issue: "a course a
learner enjoys"):

- opening a scenario workbook to every widget rendered after Run All, against an empty notebook
  opened and run the same way, in the same JupyterLab (median of interleaved runs; target 1.5x);
- typing a score and pressing Enter to the updated total and chart in the page, p50 and p95 over
  repeated edits (target: p95 under 150 ms). The time is taken in the page: from the Enter key
  to the moment both the total's text and the chart's image have changed (a MutationObserver);
- the number of widget models each workbook opens (counted in its kernel after it ran).

Needs Debian's Chromium (``/usr/bin/chromium``) and the test extra; it serves JupyterLab on
127.0.0.1 with the browser tests' own helpers (``tests/browser_support.py``).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import Result

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

FRAUD = "01_payments_fraud.ipynb"
EMPTY = "zz_empty.ipynb"
OPENS = 3  # interleaved opens of each notebook
EDITS = 20

# In the page: arm an observer on the first score cell's total and the totals chart; resolve
# window.__edit with the milliseconds from the Enter key to both having changed.
_JS_ARM = """() => {
  const view = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .staffplus-tradeoff');
  const input = view.querySelector('.staffplus-tradeoff-score input');
  // an HTML widget replaces its <img> when its value changes: look the two up again each time
  const now = () => [
    view.querySelector('.staffplus-tradeoff-total').textContent,
    view.querySelector('img.staffplus-tradeoff-totals-chart-image').getAttribute('src'),
  ];
  const before = now();
  window.__edit = null;
  let t0 = null;
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') t0 = performance.now(); },
                         {capture: true, once: true});
  const seen = new MutationObserver(() => {
    const [total, src] = now();
    if (t0 !== null && total !== before[0] && src !== before[1]) {
      window.__edit = performance.now() - t0;
      seen.disconnect();
    }
  });
  seen.observe(view, {subtree: true, childList: true, characterData: true, attributes: true});
  return input.value;
}"""


def _open_and_run(bs, page, lab, name: str) -> float:
    """Seconds from opening ``name`` (fresh kernel) to every widget view rendered after Run All."""
    path = lab.notebooks / name
    n_code, expected = len(bs.code_cells(path)), bs.expected_widget_views(path)
    start = time.monotonic()
    bs.open_notebook(page, lab, name)
    bs.run_all(page)
    ran = bs.wait_until_run(page, n_code)
    if expected and not ran["outputs"]["errors"]:
        out = bs.wait_for_widgets(page, expected)
        assert out["rendered"] >= expected, (name, out)
    return time.monotonic() - start


def _edit_latencies(page) -> list[float]:
    page.locator(
        ".jp-NotebookPanel:not(.lm-mod-hidden) .staffplus-tradeoff"
    ).first.scroll_into_view_if_needed()
    field = page.locator(
        ".jp-NotebookPanel:not(.lm-mod-hidden) .staffplus-tradeoff .staffplus-tradeoff-score input"
    ).first
    out = []
    for n in range(EDITS):
        old = page.evaluate(_JS_ARM)
        new = "2" if old.strip() != "2" else "4"
        field.fill(new)
        field.press("Enter")
        deadline = time.monotonic() + 10
        while (ms := page.evaluate("() => window.__edit")) is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"edit {n}: the total and chart did not change")
            time.sleep(0.01)
        out.append(ms)
        field.blur()
    return out


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _widget_models(notebook: Path) -> int:
    """How many widget models the notebook leaves open in its kernel after running."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(
        nbformat.v4.new_code_cell("import ipywidgets as _w\nprint(len(_w.Widget.widgets))")
    )
    with tempfile.TemporaryDirectory() as tmp:
        NotebookClient(nb, timeout=300, resources={"metadata": {"path": tmp}}).execute()
    return int(nb.cells[-1].outputs[0]["text"].strip())


def browser_latency() -> Result:
    import browser_support as bs
    from playwright.sync_api import sync_playwright

    name = f"browser: open {FRAUD} to ready / empty"
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        lab = bs.start_lab(Path(tmp))
        try:
            empty = {"cells": [{"cell_type": "code", "execution_count": None, "id": "only",
                                "metadata": {}, "outputs": [], "source": "1 + 1"}],
                     "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                 "language": "python"}},
                     "nbformat": 4, "nbformat_minor": 5}  # fmt: skip
            (lab.notebooks / EMPTY).write_text(json.dumps(empty))
            with sync_playwright() as pw:
                chromium = pw.chromium.launch(
                    executable_path=bs.CHROMIUM, headless=True, args=bs.CHROMIUM_ARGS
                )
                page = chromium.new_context(viewport=bs.VIEWPORT).new_page()
                page.on("dialog", lambda d: d.accept() if d.type == "beforeunload" else d.dismiss())
                base, opened = [], []
                for _ in range(OPENS):
                    base.append(_open_and_run(bs, page, lab, EMPTY))
                    opened.append(_open_and_run(bs, page, lab, FRAUD))
                edits = _edit_latencies(page)
                chromium.close()
        finally:
            bs.stop_lab(lab)
    open_ms, base_ms = statistics.median(opened) * 1000, statistics.median(base) * 1000
    p50, p95 = _p(edits, 0.5), _p(edits, 0.95)
    notes.append(
        f"open {FRAUD} to ready: median {open_ms / 1000:.2f} s over {OPENS} "
        f"(empty notebook {base_ms / 1000:.2f} s), ratio {open_ms / base_ms:.2f} (target <= 1.5)"
    )
    notes.append(
        f"edit a score to total and chart updated: p50 {p50:.0f} ms, p95 {p95:.0f} ms over "
        f"{EDITS} edits (target p95 < 150 ms)"
    )
    models = {p.name: _widget_models(p) for p in sorted((ROOT / "workbooks").glob("*.ipynb"))}
    notes.append("widget models per workbook: " + ", ".join(f"{k} {v}" for k, v in models.items()))
    ok = open_ms / base_ms <= 1.5 and p95 < 150
    return Result(name, open_ms, base_ms, "<= 1.5x; edit p95 < 150 ms", ok, notes)


BENCHMARKS = [browser_latency]
