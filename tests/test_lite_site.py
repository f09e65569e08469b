"""The JupyterLite site (``staffplus lite build``), built offline and used in headless Chromium.

The site is built once for the module from the repository's ``workbooks/`` (downloads cached in
``.cache/``), served from 127.0.0.1 on a free port, and opened in its own browser context, so its
storage (the learner's ``/drive``) starts empty. The learner's path: open 01_payments_fraud, Run
All, change a score, add a risk; autosave writes the work file into the browser's storage (the
Pyodide kernel has no threads); reload the page, Run All again, and both are back; the export
link downloads them. Any request that leaves 127.0.0.1 (Pyodide's CDN, PyPI) fails the test: the
site must hold everything the workbook needs.

Run alone with ``.venv/bin/python -m pytest -q -m browser tests/test_lite_site.py -p no:xdist``.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

pytest.register_assert_rewrite("browser_support")
from browser_support import (  # noqa: E402
    NOTEBOOK,
    PAGE_LOAD_TIMEOUT,
    UI_TIMEOUT,
    VIEWPORT,
    Browser,
    code_cells,
    dismiss_dialogs,
    expected_widget_views,
    poll,
    run_all,
    screenshot,
    set_text,
    state,
    text,
    unavailable,
    wait_for_widgets,
    wait_until_run,
)
from test_browser import FRAUD, _download, add_risk, expect  # noqa: E402

pytest_plugins = ["browser_support"]
pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
# the kernel starts Pyodide and loads ~20 wheels before the first cell runs
KERNEL_START_TIMEOUT = 180
TIMEOUT_MS = UI_TIMEOUT * 1000
TITLE = "Chargebacks for a stolen card arrive 60 days after the order"


class _Files(http.server.SimpleHTTPRequestHandler):
    # what a static host (GitHub Pages) sends: the WebAssembly and module types Pyodide needs
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
    }

    def log_message(self, *args: Any) -> None:  # quiet: the test reports what matters
        pass


@dataclass
class Site:
    """The built site, served on 127.0.0.1, and what building it took."""

    folder: Path
    url: str
    build_s: float
    size_mb: float


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, playwright_api: Any) -> Iterator[Site]:
    from staffplus_widgets.authoring import lite
    from staffplus_widgets.authoring.downloads import Missing

    folder = tmp_path_factory.mktemp("lite") / "site"
    start = time.monotonic()
    try:
        lite.build_site(folder, ROOT / "workbooks", ROOT / ".cache")
    except (Missing, ImportError) as exc:
        unavailable(f"the JupyterLite site could not be built: {exc}")
    build_s = time.monotonic() - start
    config_path = folder / "jupyter-lite.json"
    config = json.loads(config_path.read_text())
    # window.jupyterapp, which browser_support reads to know when the cells are done
    config["jupyter-config-data"]["exposeAppInBrowser"] = "true"
    config_path.write_text(json.dumps(config))
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Files, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(folder, f"http://127.0.0.1:{server.server_address[1]}", build_s, size)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass
class LitePage:
    """A page in its own browser context (empty storage), and every request that left the site."""

    page: Any
    site: Site
    outside: list[str] = field(default_factory=list)

    def view(self, css_class: str) -> Any:
        return self.page.locator(f"{NOTEBOOK} .jp-OutputArea-output .{css_class}").first

    def open_and_run(self, name: str = FRAUD) -> dict[str, Any]:
        """Open the workbook ``name``, Run All, and wait for every cell and widget view."""
        self.page.goto(
            f"{self.site.url}/lab/index.html?path={name}",
            wait_until="domcontentloaded",
            timeout=PAGE_LOAD_TIMEOUT * 1000,
        )

        def idle() -> bool:
            dismiss_dialogs(self.page)
            s = state(self.page)
            return bool(s and s["ready"] and s["path"] == name and s["kernel"] == "idle")

        poll(idle, KERNEL_START_TIMEOUT, "the Pyodide kernel to start and go idle")
        run_all(self.page)
        path = ROOT / "workbooks" / name
        ran = wait_until_run(self.page, len(code_cells(path)), timeout=KERNEL_START_TIMEOUT)
        out = ran["outputs"] if ran["outputs"]["errors"] else wait_for_widgets(
            self.page, expected_widget_views(path)
        )  # fmt: skip
        assert not out["errors"], out["errors"]
        assert out["rendered"] == expected_widget_views(path), out
        return out

    def saved_work(self) -> dict[str, Any] | None:
        """The work file as the kernel saved it into the browser's storage (JupyterLite's
        contents, what the kernel sees as ``/drive``), or None while there is none."""
        return self.page.evaluate(
            """async () => {
                 const contents = window.jupyterapp.serviceManager.contents;
                 let folder;
                 try { folder = await contents.get('staffplus-work', {content: true}); }
                 catch (e) { return null; }
                 const file = folder.content.find(f => /^payments-fraud.*\\.json$/.test(f.name));
                 if (!file) return null;
                 const got = await contents.get(file.path, {content: true, format: 'text'});
                 return JSON.parse(got.content);
               }"""
        )


@pytest.fixture(scope="module")
def lite_page(site: Site, browser: Browser) -> Iterator[LitePage]:
    context = browser.page.context.browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    seen = LitePage(page, site)
    own = re.compile(rf"^({re.escape(site.url)}/|data:|blob:)")

    def on_request(request: Any) -> None:
        if not own.match(request.url):
            seen.outside.append(request.url)

    context.on("request", on_request)
    page.on("dialog", lambda d: d.accept() if d.type == "beforeunload" else d.dismiss())
    try:
        yield seen
    finally:
        context.close()


def test_the_site_keeps_work_across_a_reload_and_exports_it(
    lite_page: LitePage, screenshots: Path, record_property: Any
) -> None:
    start = time.monotonic()
    page = lite_page.page
    lite_page.open_and_run()
    first_run_s = time.monotonic() - start
    status = text(page.locator(f"{NOTEBOOK} .staffplus-status-bar").first)
    assert "saved in this browser only" in status and "Download my work" in status, status

    matrix = lite_page.view("staffplus-tradeoff")
    score = matrix.locator(".staffplus-tradeoff-score").nth(1)
    new = "2" if float(score.locator("input").input_value()) != 2 else "4"
    option = matrix.locator(".staffplus-tradeoff-option-name input").first.input_value()
    criterion = matrix.locator(".staffplus-tradeoff-criterion-name input").nth(1).input_value()
    set_text(score, new)
    add_risk(lite_page, TITLE, likelihood="3", impact="4")

    def saved() -> dict[str, Any] | None:  # autosave, on the kernel's loop: nobody clicks Save
        work = lite_page.saved_work()
        if not work:
            return None
        risks = [r["title"] for r in (work.get("risks") or {}).get("risks", [])]
        scores = {
            (s["option"], s["criterion"]): float(s["score"])
            for s in (work.get("tradeoff") or {}).get("scores", [])
        }
        return work if TITLE in risks and scores.get((option, criterion)) == float(new) else None

    poll(saved, UI_TIMEOUT, "autosave to write the score and the risk into browser storage")

    page.reload(wait_until="domcontentloaded")
    lite_page.open_and_run()
    matrix = lite_page.view("staffplus-tradeoff")
    register = lite_page.view("staffplus-risk-register")
    expect(register.locator(".staffplus-risk-table")).to_contain_text(TITLE, timeout=TIMEOUT_MS)
    expect(matrix.locator(".staffplus-tradeoff-score").nth(1).locator("input")).to_have_value(
        re.compile(rf"^{re.escape(new)}(\.0*)?$"), timeout=TIMEOUT_MS
    )

    link = page.locator(f"{NOTEBOOK} a.staffplus-export-link").first
    exported = json.loads(_download(page, link))
    assert exported["format"] == "staffplus-work"
    assert TITLE in [r["title"] for r in exported["risks"]["risks"]]
    shot = screenshot(page, screenshots / "lite_01_payments_fraud.png")
    assert not lite_page.outside, f"the site reached outside 127.0.0.1: {lite_page.outside[:10]}"
    record_property(
        "lite_site",
        {
            "build_s": round(lite_page.site.build_s, 1),
            "size_mb": round(lite_page.site.size_mb, 1),
            "first_run_s": round(first_run_s, 1),
            "screenshot": str(shot),
        },
    )


@pytest.mark.parametrize("name", ["00_start_here.ipynb", "99_mock_interview.ipynb"])
def test_the_start_and_the_mock_interview_workbooks_run_in_the_site(
    lite_page: LitePage, name: str
) -> None:
    """The two learner workbooks that are not scenario workbooks (the course status, the drills,
    the interview clock) run and render every widget with nothing from outside the site."""
    lite_page.open_and_run(name)
    if name.startswith("99_"):  # the clock ticks on the kernel's loop: Pyodide has no threads
        interview = lite_page.view("staffplus-mock-interview")
        clock = interview.locator(".staffplus-interview-clock").first
        interview.locator("button.staffplus-interview-pause").first.click()
        expect(clock).to_contain_text("left of", timeout=TIMEOUT_MS)
        started = text(clock)
        poll(lambda: text(clock) != started, UI_TIMEOUT, f"the clock to tick on from {started!r}")
    assert not lite_page.outside, f"{name} reached outside 127.0.0.1: {lite_page.outside[:10]}"


def test_a_corrupt_work_file_in_browser_storage_is_moved_aside_not_lost(
    lite_page: LitePage,
) -> None:
    """On JupyterLite's /drive (no os.link there): the workbook renames the unreadable file to a
    free name, says where it went, and starts fresh; the learner's bytes are still there."""
    page = lite_page.page
    page.goto(f"{lite_page.site.url}/lab/index.html", wait_until="domcontentloaded")
    poll(lambda: state(page) is not None or page.evaluate("!!window.jupyterapp"), 60, "the app")
    page.evaluate(
        """async () => {
             const contents = window.jupyterapp.serviceManager.contents;
             try { await contents.get('staffplus-work'); }
             catch (e) { await contents.save('staffplus-work', {type: 'directory'}); }
             await contents.save('staffplus-work/search-ranking.json',
                                 {type: 'file', format: 'text', content: '{"half a file'});
           }"""
    )
    lite_page.open_and_run("02_search_ranking.ipynb")
    status = text(page.locator(f"{NOTEBOOK} .staffplus-status-bar").first)
    assert "could not be read" in status and "corrupt-" in status, status
    kept = page.evaluate(
        """async () => {
             const contents = window.jupyterapp.serviceManager.contents;
             const folder = await contents.get('staffplus-work', {content: true});
             const copy = folder.content.find(f => f.name.startsWith('search-ranking.corrupt-'));
             return copy ? (await contents.get(copy.path, {content: true, format: 'text'})).content : null;
           }"""
    )
    assert kept == '{"half a file'
    assert not lite_page.outside, lite_page.outside[:10]


def test_the_site_saves_no_widget_state_and_its_kernel_needs_nothing_from_outside(
    site: Site,
) -> None:
    import hashlib

    data = json.loads((site.folder / "jupyter-lite.json").read_text())["jupyter-config-data"]
    assert data["settingsOverrides"]["@jupyter-widgets/jupyterlab-manager:plugin"] == {
        "saveState": False
    }
    kernel = data["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    preload = kernel["loadPyodideOptions"]["packages"]
    assert {"staffplus-workbook", "ipywidgets", "pyyaml", "micropip", "ipython"} <= set(preload)
    assert not {"numpy", "matplotlib", "nbformat"} & set(preload)
    pyodide = site.folder / "static" / "pyodide"
    lock = json.loads((pyodide / "pyodide-lock.json").read_text())["packages"]
    for name in preload:  # in the site, with the sha256 Pyodide checks
        wheel = pyodide / lock[name]["file_name"]
        assert hashlib.sha256(wheel.read_bytes()).hexdigest() == lock[name]["sha256"], name
    assert lock["numpy"]["file_name"].startswith("https://cdn.jsdelivr.net/pyodide/")
