"""Real-browser support: a JupyterLab server, headless Chromium driven by Playwright, and helpers.

Loaded by ``tests/test_browser.py`` through ``pytest_plugins = ["browser_support"]`` (``tests/`` is
on ``sys.path`` via ``tests/conftest.py``), so its fixtures and its ``pytest_terminal_summary``
hook only exist when the browser tests are collected.

The server runs from the test environment (``sys.executable -m jupyterlab``) on 127.0.0.1 with
no token and no password, in a temporary copy of ``workbooks/``; learner work goes to a temporary
``STAFFPLUS_WORK_DIR`` and every Jupyter config/data/runtime folder is temporary too, so nothing
from the developer's own setup (a password, a custom kernel, open tabs) leaks in. Chromium is
Debian's ``/usr/bin/chromium`` (``playwright install`` is never run).

Selectors rely only on JupyterLab's own classes and on the stable ``staffplus-*`` classes the
widgets add with ``add_class``.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The notebooks to serve (a copy is served, never these files). STAFFPLUS_BROWSER_WORKBOOKS points
# the suite at another folder, e.g. solutions/, which must render just the same.
WORKBOOKS = Path(os.environ.get("STAFFPLUS_BROWSER_WORKBOOKS") or ROOT / "workbooks").resolve()

CHROMIUM = os.environ.get("STAFFPLUS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 1000}
# Screenshots taller than this are cut (Chromium's limit for one capture is about 16k pixels).
MAX_SCREENSHOT_HEIGHT = 15000

# Bounded waits (seconds).
SERVER_START_TIMEOUT = 90
SERVER_STOP_TIMEOUT = 15
PAGE_LOAD_TIMEOUT = 60
KERNEL_IDLE_TIMEOUT = 60
RUN_ALL_TIMEOUT = 150
WIDGET_RENDER_TIMEOUT = 60
UI_TIMEOUT = 15
SAVE_TIMEOUT = 15

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
ERROR_MIME = "application/vnd.jupyter.error"
STDERR_MIME = "application/vnd.jupyter.stderr"
TIMES_KEY = pytest.StashKey[dict]()
SHOTS_KEY = pytest.StashKey[Path]()


def unavailable(reason: str) -> None:
    """Missing browser tooling: a failure on CI (it must run there), a skip on a laptop."""
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"browser tests cannot run on CI: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


# -- the JupyterLab server -----------------------------------------------------------------------
@dataclass
class Lab:
    """A running JupyterLab server and the folders it works in."""

    url: str
    notebooks: Path
    work_dir: Path
    runtime_dir: Path
    log: Path
    process: subprocess.Popen = field(repr=False)

    def api(self, method: str, path: str, timeout: float = 10) -> Any:
        request = urllib.request.Request(self.url + path, method=method)
        with _DIRECT.open(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def shutdown_kernels(self) -> None:
        """Shut down every session and kernel, so each workbook starts from a fresh kernel."""
        with contextlib.suppress(OSError, ValueError):
            for session in self.api("GET", "/api/sessions"):
                with contextlib.suppress(OSError):
                    self.api("DELETE", f"/api/sessions/{session['id']}", timeout=20)
            for kernel in self.api("GET", "/api/kernels"):
                with contextlib.suppress(OSError):
                    self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=20)


# Straight to 127.0.0.1, whatever http_proxy says.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _lab_settings(settings_dir: Path) -> None:
    """User settings for the test server: no news or update checks, nothing fetched from outside."""
    notification = settings_dir / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True, exist_ok=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )


def start_lab(base: Path) -> Lab:
    """Start JupyterLab in a copy of ``workbooks/`` under ``base`` and wait for ``/api/status``."""
    notebooks = base / "workbooks"
    shutil.copytree(WORKBOOKS, notebooks, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    work_dir = base / "staffplus-work"
    jupyter = base / "jupyter"
    settings = jupyter / "lab-settings"
    workspaces = jupyter / "lab-workspaces"
    for folder in (work_dir, settings, workspaces):
        folder.mkdir(parents=True, exist_ok=True)
    _lab_settings(settings)

    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # the kernel should draw like a learner's kernel, not like pytest's
    env.pop("STAFFPLUS_SCENARIOS", None)
    env.update(
        {
            "STAFFPLUS_WORK_DIR": str(work_dir),
            "JUPYTER_CONFIG_DIR": str(jupyter / "config"),
            "JUPYTER_DATA_DIR": str(jupyter / "data"),
            "JUPYTER_RUNTIME_DIR": str(jupyter / "runtime"),
            "IPYTHONDIR": str(jupyter / "ipython"),
            "JUPYTER_PLATFORM_DIRS": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    log = base / "jupyterlab.log"
    for _attempt in range(3):
        lab = _launch(notebooks, work_dir, settings, workspaces, env, log)
        with contextlib.suppress(_PortTaken):
            _wait_until_up(lab)
            return lab
    raise RuntimeError(f"JupyterLab found no free port three times; log {log}:\n{lab.log_tail()}")


class _PortTaken(Exception):
    """Another process took the free port between choosing it and the server binding it."""


def _launch(
    notebooks: Path,
    work_dir: Path,
    settings: Path,
    workspaces: Path,
    env: dict[str, str],
    log: Path,
) -> Lab:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        "--ServerApp.disable_check_xsrf=True",
        f"--ServerApp.root_dir={notebooks}",
        # read-only use: the tests ask the app whether the kernel is idle and every cell ran
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.news_url=",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={workspaces}",
    ]
    with log.open("ab") as out:
        # its own process group, so the finalizer can stop it and anything it started
        process = subprocess.Popen(
            command,
            cwd=notebooks,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    runtime_dir = Path(env["JUPYTER_RUNTIME_DIR"])
    return Lab(f"http://127.0.0.1:{port}", notebooks, work_dir, runtime_dir, log, process)


def _wait_until_up(lab: Lab) -> None:
    """Bounded wait for ``/api/status``; the server is stopped when it does not come up."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while True:
        code = lab.process.poll()
        if code is not None:
            stop_lab(lab)
            if re.search(r"already in use|Errno 98", lab.log_tail()):
                raise _PortTaken()
            raise RuntimeError(
                f"JupyterLab exited with code {code} before it answered; "
                f"log {lab.log}:\n{lab.log_tail()}"
            )
        try:
            lab.api("GET", "/api/status", timeout=2)
            return
        except (OSError, ValueError):
            pass
        if time.monotonic() > deadline:
            stop_lab(lab)
            raise RuntimeError(
                f"JupyterLab did not answer /api/status within "
                f"{SERVER_START_TIMEOUT}s; log {lab.log}:\n{lab.log_tail()}"
            )
        time.sleep(0.25)


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def stop_lab(lab: Lab) -> None:
    """Shut the kernels down, then terminate the server's process group, then kill it."""
    if lab.process.poll() is None:
        lab.shutdown_kernels()
    _signal_group(lab.process, signal.SIGTERM)
    try:
        lab.process.wait(timeout=SERVER_STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pass
    # kill whatever is left in the group, even when the server itself has already exited
    _signal_group(lab.process, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        lab.process.wait(timeout=5)
    # kernels run in process groups of their own: kill any this server left behind, by pid
    for pid in _kernels_of(lab.runtime_dir):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def _kernels_of(runtime_dir: Path) -> list[int]:
    """Pids of kernels whose connection file is in this server's (temporary) runtime folder."""
    marker = str(runtime_dir).encode()
    pids = []
    for entry in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError):
            if marker in (entry / "cmdline").read_bytes():
                pids.append(int(entry.name))
    return pids


# -- fixtures ------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def playwright_api() -> Any:
    """The Playwright sync API module, or a skip (a failure on CI) when it cannot be used."""
    try:
        from playwright import sync_api
    except ImportError as exc:
        unavailable(f"Playwright for Python is not installed ({exc}); pip install -e '.[test]'")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        unavailable(
            f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set "
            "STAFFPLUS_CHROMIUM)"
        )
    return sync_api


@pytest.fixture(scope="session")
def lab(
    tmp_path_factory: pytest.TempPathFactory, playwright_api: Any, request: pytest.FixtureRequest
) -> Iterator[Lab]:
    """JupyterLab on 127.0.0.1 (free port, no token) in a temporary copy of ``workbooks/``."""
    server = start_lab(tmp_path_factory.mktemp("jupyterlab"))
    request.addfinalizer(lambda: stop_lab(server))
    yield server


@dataclass
class Browser:
    """The one Chromium page the suite drives, and what it saw besides the DOM."""

    page: Any
    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    # the notebook open in the page when it was just run cleanly and nobody has touched it since
    fresh: str | None = None


@pytest.fixture(scope="session")
def browser(
    playwright_api: Any, request: pytest.FixtureRequest, screenshots: Path
) -> Iterator[Browser]:
    """Headless Debian Chromium with a 1400x1000 page, reused by every browser test (a failing
    test leaves a screenshot in ``screenshots``)."""
    pw = playwright_api.sync_playwright().start()
    request.addfinalizer(pw.stop)
    try:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, timeout=60_000
        )
    except Exception as exc:  # a broken Chromium install is an environment problem too
        unavailable(f"Chromium at {CHROMIUM} did not start: {exc}")
    request.addfinalizer(chromium.close)
    context = chromium.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT * 1000)
    seen = Browser(page)

    def on_dialog(dialog: Any) -> None:
        # leaving a notebook with unsaved outputs asks "leave page?": that one is expected
        if dialog.type == "beforeunload":
            dialog.accept()
            return
        seen.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_console(msg: Any) -> None:
        if msg.type == "error":
            seen.console_errors.append(msg.text)

    page.on("dialog", on_dialog)
    page.on("console", on_console)
    yield seen


@pytest.fixture(scope="session")
def screenshots(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``$STAFFPLUS_SCREENSHOTS`` or a temporary folder; the summary prints where it is."""
    folder = Path(os.environ.get("STAFFPLUS_SCREENSHOTS") or tmp_path_factory.mktemp("screens"))
    folder.mkdir(parents=True, exist_ok=True)
    request.config.stash[SHOTS_KEY] = folder
    return folder


@pytest.fixture(scope="session")
def render_times(request: pytest.FixtureRequest, screenshots: Path) -> dict[str, dict[str, Any]]:
    """Workbook name -> timings, written to ``render-times.txt`` next to the screenshots and
    printed as a table at the end of the pytest output."""
    times: dict[str, dict[str, Any]] = request.config.stash.setdefault(TIMES_KEY, {})
    # under xdist a worker has no terminal: each worker writes its own file
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    report = screenshots / (f"render-times-{worker}.txt" if worker else "render-times.txt")

    def write() -> None:
        if times:
            report.write_text("\n".join(times_table(times)) + "\n")

    request.addfinalizer(write)
    return times


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """When a browser test fails, keep what the page and the server showed at that moment:
    a screenshot next to the others and the end of the JupyterLab log (which holds the kernels'
    stderr, so an exception in a save thread shows up here)."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    seen, lab = item.funcargs.get("browser"), item.funcargs.get("lab")
    folder = item.config.stash.get(SHOTS_KEY, None)
    if isinstance(seen, Browser) and folder is not None:
        name = re.sub(r"[^\w.-]+", "_", item.name)
        try:
            shot = screenshot(seen.page, folder / f"FAILED-{name}.png")
        except Exception as exc:  # the page may be what broke
            report.sections.append(("browser at the failure", f"no screenshot: {exc}"))
        else:
            report.sections.append(("browser at the failure", f"screenshot: {shot}"))
    if isinstance(lab, Lab):
        report.sections.append(("JupyterLab log at the failure (tail)", lab.log_tail(60)))


def times_table(times: dict[str, dict[str, Any]]) -> list[str]:
    lines = [f"{'workbook':<34} {'open s':>7} {'run+render s':>13} {'widgets':>8}  result"]
    for name, t in sorted(times.items()):
        lines.append(
            f"{name:<34} {t['open_s']:>7.1f} {t['render_s']:>13.1f} "
            f"{t['widgets']:>8}  {t['result']}"
        )
    if times:
        lines.append(
            f"{'total':<34} {sum(t['open_s'] for t in times.values()):>7.1f} "
            f"{sum(t['render_s'] for t in times.values()):>13.1f}"
        )
    lines.append(
        "open: load JupyterLab and start a fresh kernel; run+render: Run All Cells until "
        "every cell ran and every widget view rendered"
    )
    return lines


# -- reading a notebook --------------------------------------------------------------------------
def code_cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text())
    return [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in nb["cells"]
        if c["cell_type"] == "code"
    ]


def expected_widget_views(path: Path) -> int:
    """How many widget views running ``path`` should display.

    A cell displays a widget when its last statement is a bare name or attribute (``drill``,
    ``wb.matrix``) or a call of a class (``Workbench(...)``): that is how the workbooks show
    their widgets. ``print(...)`` and assignments display nothing.
    """
    count = 0
    for source in code_cells(path):
        try:
            body = ast.parse(source).body
        except SyntaxError:
            continue
        if not body or not isinstance(body[-1], ast.Expr):
            continue
        value = body[-1].value
        if isinstance(value, ast.Name | ast.Attribute):
            count += 1
        elif isinstance(value, ast.Call):
            func = value.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            count += bool(name[:1].isupper())
    return count


# -- driving JupyterLab --------------------------------------------------------------------------
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"

# JavaScript run in the page. ``window.jupyterapp`` is exposed by the server option
# ``expose_app_in_browser``; it is only read, to know when the kernel and the cells are done.
_JS_STATE = """
(widgetMime) => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  if (!panel || !panel.content || !panel.sessionContext) return null;
  const ctx = panel.sessionContext;
  const kernel = ctx.session && ctx.session.kernel;
  const counts = [];
  let widgetOutputs = 0;
  const model = panel.content.model;
  if (model) {
    for (let i = 0; i < model.cells.length; i++) {
      const c = model.cells.get(i);
      if (c.type !== 'code') continue;
      counts.push(c.executionCount);
      for (let j = 0; j < c.outputs.length; j++) {
        const data = c.outputs.get(j).data || {};
        if (data[widgetMime]) widgetOutputs++;
      }
    }
  }
  return {
    path: panel.context ? panel.context.path : null,
    ready: !!(panel.context && panel.context.isReady),
    kernel: kernel ? kernel.status : (ctx.isReady ? 'none' : 'starting'),
    kernelName: ctx.kernelDisplayName,
    counts,
    widgetOutputs,
  };
}
"""

# What the learner sees in the notebook's outputs: widget views (rendered, or still loading),
# error outputs, tracebacks, "Error displaying widget", ipywidgets' error view (a widget whose
# front-end view could not be created) and staffplus inline error messages.
_JS_OUTPUTS = r"""
({sel, errorMime, stderrMime}) => {
  const root = document.querySelector(sel);
  if (!root) return null;
  // textContent, not innerText: cells scrolled out of view are not laid out (content-visibility)
  const text = (el) => (el.textContent || '').trim();
  const where = (el) => {
    const names = [];
    for (let e = el; e && e !== root; e = e.parentElement) {
      const own = Array.from(e.classList || []).filter(c => c.startsWith('staffplus-'));
      if (own.length) names.push(own.join('.'));
    }
    return names.reverse().join(' > ') || '(no staffplus class)';
  };
  const outs = Array.from(root.querySelectorAll('.jp-OutputArea-output'));
  const views = outs.filter(o => o.querySelector('.jupyter-widgets')
                                 || /Loading widget/i.test(text(o)));
  const broken = Array.from(root.querySelectorAll('.jupyter-widgets-error-widget'));
  const rendered = views.filter(o => o.querySelector('.jupyter-widgets')
                                     && !o.querySelector('.jupyter-widgets-error-widget')
                                     && !/Error displaying widget|model not found/i.test(text(o)));
  const errors = [];
  const traceback = /Traceback \(most recent call last\)/;
  for (const o of outs) {
    const mime = o.getAttribute('data-mime-type') || '';
    const t = text(o);
    if (mime === errorMime) errors.push('error output: ' + t.slice(0, 3000));
    else if (mime === stderrMime && /Traceback|Error|Exception/.test(t))
      errors.push('stderr: ' + t.slice(0, 3000));
    else if (!views.includes(o) && (traceback.test(t) || /^\w*(Error|Exception): /m.test(t)))
      errors.push('output: ' + t.slice(0, 3000));
    if (/Error displaying widget|model not found/i.test(t))
      errors.push('widget: ' + t.slice(0, 500));
  }
  for (const b of broken) errors.push('widget view could not be created in ' + where(b));
  const messages = Array.from(root.querySelectorAll('.staffplus-error'))
      .map(e => where(e) + ': ' + text(e)).filter(Boolean);
  return {outputs: outs.length, views: views.length, rendered: rendered.length,
          broken: broken.length, errors, messages};
}
"""


def broken_widget_details(page: Any, limit: int = 3) -> list[str]:
    """The JavaScript error behind ipywidgets' error views (shown when the view is clicked)."""
    details = []
    views = page.locator(f"{NOTEBOOK} .jupyter-widgets-error-widget")
    for i in range(min(views.count(), limit)):
        view = views.nth(i)
        with contextlib.suppress(Exception):
            view.click(timeout=2000)
            page.wait_for_timeout(100)
            details.append(text(view)[:600])
    return details


def poll(check: Callable[[], Any], timeout: float, what: str, interval: float = 0.25) -> Any:
    """Call ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what} (last: {last!r})")


def dismiss_dialogs(page: Any) -> list[str]:
    """Close JupyterLab's modal dialogs and toasts that would block the learner's clicks.

    Kernel selection is accepted (the default kernel is the notebook's python3); anything else is
    dismissed and returned, so the caller can report it.
    """
    seen: list[str] = []
    for _ in range(5):
        dialog = page.locator(".jp-Dialog")
        if not dialog.count():
            break
        content = text(dialog.first)
        if re.search(r"select kernel", content, re.I):
            dialog.first.locator(".jp-mod-accept").first.click()
        else:
            seen.append(content)
            page.keyboard.press("Escape")
            with contextlib.suppress(Exception):
                dialog.first.wait_for(state="detached", timeout=2000)
            if dialog.count():
                dialog.first.locator(".jp-mod-reject").first.click()
        page.wait_for_timeout(100)
    # toasts: the news question (answered "No") and any notification, closed so none covers
    # a widget the test is about to click
    for toast in page.locator(".jp-toastContainer .Toastify__toast").all():
        with contextlib.suppress(Exception):
            seen.append("notification: " + text(toast))
            no = toast.locator(".jp-toast-button").filter(has_text=re.compile(r"^\s*No\s*$"))
            (no if no.count() else toast.locator(".jp-Notification-Toast-Close")).first.click(
                timeout=1000
            )
    return seen


def text(locator: Any) -> str:
    """A locator's text, whitespace collapsed (``textContent``: right even for cells out of view,
    which JupyterLab does not lay out; ipywidgets writes option labels with no-break spaces)."""
    return " ".join((locator.text_content() or "").replace("\xa0", " ").split())


def state(page: Any) -> dict[str, Any] | None:
    return page.evaluate(_JS_STATE, WIDGET_MIME)


def outputs(page: Any) -> dict[str, Any]:
    found = page.evaluate(
        _JS_OUTPUTS, {"sel": NOTEBOOK, "errorMime": ERROR_MIME, "stderrMime": STDERR_MIME}
    )
    return found or {
        "outputs": 0,
        "views": 0,
        "rendered": 0,
        "broken": 0,
        "errors": [],
        "messages": [],
    }


def open_notebook(page: Any, lab: Lab, name: str) -> None:
    """Open ``name`` alone (a fresh workspace) with a fresh kernel, and wait until it is idle."""
    lab.shutdown_kernels()
    page.goto(
        f"{lab.url}/lab/tree/{name}?reset",
        wait_until="domcontentloaded",
        timeout=PAGE_LOAD_TIMEOUT * 1000,
    )
    page.locator(f"{NOTEBOOK} .jp-Notebook").first.wait_for(
        state="visible", timeout=PAGE_LOAD_TIMEOUT * 1000
    )

    def idle() -> bool:
        dismiss_dialogs(page)
        s = state(page)
        return bool(
            s and s["ready"] and s["path"] and s["path"].endswith(name) and s["kernel"] == "idle"
        )

    poll(idle, KERNEL_IDLE_TIMEOUT, f"{name} to open with an idle kernel")


def menu(page: Any, top: str, label: str, command: str) -> None:
    """Click a main-menu entry, e.g. ``menu(page, "Run", "Run All Cells", "runmenu:run-all")``.

    The entry is found by its label (what the learner reads); if the menu cannot be used, the
    same JupyterLab command is run directly, so a relabelled menu does not hide the real checks.
    """
    dismiss_dialogs(page)
    page.keyboard.press("Escape")
    try:
        bar = page.locator(".lm-MenuBar .lm-MenuBar-item")
        bar.filter(
            has=page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{re.escape(top)}$"))
        ).first.click()
        entry = page.locator(".lm-MenuBar-menu .lm-Menu-item").filter(
            has=page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(label)}$"))
        )
        entry.first.click(timeout=5000)
    except Exception as exc:
        page.keyboard.press("Escape")
        warnings.warn(
            f"menu {top} > {label} not usable ({type(exc).__name__}); ran the "
            f"command {command} directly",
            stacklevel=2,
        )
        page.evaluate("(c) => window.jupyterapp.commands.execute(c)", command)


def run_all(page: Any) -> None:
    """Run > Run All Cells, as a learner would."""
    menu(page, "Run", "Run All Cells", "runmenu:run-all")


def restart_and_run_all(page: Any) -> None:
    """Kernel > Restart Kernel and Run All Cells..., then accept the confirmation dialog."""
    menu(page, "Kernel", "Restart Kernel and Run All Cells\u2026", "runmenu:restart-and-run-all")
    dialog = page.locator(".jp-Dialog")
    dialog.first.wait_for(state="visible", timeout=UI_TIMEOUT * 1000)
    dialog.first.locator(".jp-mod-accept").first.click()
    dialog.first.wait_for(state="detached", timeout=UI_TIMEOUT * 1000)


def wait_until_run(page: Any, n_code: int, timeout: float = RUN_ALL_TIMEOUT) -> dict[str, Any]:
    """Wait for every code cell to have run and the kernel to be idle; stop early on an error."""

    def done() -> dict[str, Any] | None:
        dismiss_dialogs(page)
        s = state(page)
        if not s:
            return None
        if s["kernel"] == "dead":
            raise AssertionError("the kernel died while running the notebook")
        if s["kernel"] != "idle":
            return None
        out = outputs(page)
        if out["errors"]:
            return {"state": s, "outputs": out}
        if len(s["counts"]) == n_code and all(c for c in s["counts"]):
            return {"state": s, "outputs": out}
        return None

    return poll(done, timeout, f"all {n_code} code cells to run and the kernel to go idle")


def mark_outputs_stale(page: Any) -> None:
    """Tag every output on the page; :func:`wait_until_rerun` waits for all of them to go."""
    page.evaluate(
        "(sel) => document.querySelectorAll(sel + ' .jp-OutputArea-output')"
        ".forEach(o => o.setAttribute('data-staffplus-stale', '1'))",
        NOTEBOOK,
    )


def wait_until_rerun(page: Any, n_code: int, timeout: float = RUN_ALL_TIMEOUT) -> dict[str, Any]:
    """After a restart: wait until every tagged output was replaced and the run is complete.

    The cells already had execution counts before the restart, so counts alone cannot tell a
    finished re-run from one that has not started; outputs that are still the old ones can.
    """
    stale = page.locator(f"{NOTEBOOK} [data-staffplus-stale]")

    def replaced() -> bool:
        dismiss_dialogs(page)
        return not stale.count() or bool(outputs(page)["errors"])

    poll(replaced, timeout, "the restarted kernel to replace every output")
    return wait_until_run(page, n_code, timeout)


def wait_for_widgets(
    page: Any, expected: int, timeout: float = WIDGET_RENDER_TIMEOUT
) -> dict[str, Any]:
    """Wait until ``expected`` widget views are rendered (or an error output shows up)."""

    def done() -> dict[str, Any] | None:
        out = outputs(page)
        if out["errors"] or (out["views"] >= expected and out["rendered"] == out["views"]):
            return out
        return None

    try:
        return poll(done, timeout, f"{expected} widget views to render")
    except AssertionError:
        return outputs(page)


def screenshot(page: Any, path: Path) -> Path:
    """The whole notebook: grow the viewport to the notebook's height, capture, shrink back."""
    extra = page.evaluate(
        """(sel) => {
             const scroller = document.querySelector(sel + ' .jp-WindowedPanel-outer')
                              || document.querySelector(sel + ' .jp-Notebook');
             if (!scroller) return 0;
             scroller.scrollTop = 0;
             return scroller.scrollHeight - scroller.clientHeight;
           }""",
        NOTEBOOK,
    )
    tall = max(VIEWPORT["height"], min(VIEWPORT["height"] + int(extra), MAX_SCREENSHOT_HEIGHT))
    try:
        page.set_viewport_size({"width": VIEWPORT["width"], "height": tall})
        page.wait_for_timeout(400)  # JupyterLab re-lays out on resize
        # a 15,000 px page with every widget drawn takes Chromium more than the default 15 s
        # when the other xdist worker is busy too (CI failed on that once): allow a minute
        page.screenshot(path=str(path), full_page=True, timeout=60_000)
    finally:
        page.set_viewport_size(VIEWPORT)
    return path


def image_digest(locator: Any) -> str:
    """A digest of the bytes an ``<img>`` (a widget ``Image``: a blob URL) currently shows."""
    data = locator.evaluate(
        """async (img) => {
             const r = await fetch(img.src);
             const b = new Uint8Array(await r.arrayBuffer());
             let s = '';
             for (let i = 0; i < b.length; i += 0x8000)
               s += String.fromCharCode(...b.subarray(i, i + 0x8000));
             return btoa(s);
           }"""
    )
    return hashlib.sha256(base64.b64decode(data)).hexdigest()


def set_text(locator: Any, value: str) -> None:
    """Type into a widget text field, press Enter, then leave the field as a person does before
    clicking anything else (the field sends its value on Enter or when it loses focus)."""
    field = locator.locator("input, textarea").first
    field.click()
    field.fill(value)
    field.press("Enter")
    field.blur()


def wait_for_file(
    path: Path, check: Callable[[dict[str, Any]], bool], what: str, timeout: float = SAVE_TIMEOUT
) -> dict[str, Any]:
    """Poll a work file (written atomically by the kernel) until ``check`` holds."""

    def read() -> dict[str, Any] | None:
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            return None
        return data if check(data) else None

    try:
        return poll(read, timeout, f"{path.name} to hold {what}")
    except AssertionError as exc:
        try:
            held = path.read_text(errors="replace")
        except OSError as err:
            held = f"(unreadable: {err})"
        raise AssertionError(f"{exc}\n{path} holds:\n{held[-4000:]}") from None


# -- running one workbook ------------------------------------------------------------------------
@dataclass
class Run:
    """What running one workbook in the browser produced."""

    name: str
    expected: int
    outputs: dict[str, Any]
    state: dict[str, Any]
    open_s: float
    render_s: float
    console_errors: list[str]
    broken: list[str]

    def problems(self) -> list[str]:
        out, found = self.outputs, []
        found += out["errors"]
        found += [f"  JavaScript: {detail}" for detail in self.broken]
        if self.state["widgetOutputs"] != self.expected:
            found.append(
                f"the notebook model holds {self.state['widgetOutputs']} widget outputs, "
                f"expected {self.expected}"
            )
        if out["rendered"] != self.expected:
            found.append(
                f"{out['rendered']} of {self.expected} widget views rendered "
                f"({out['views']} widget outputs on the page)"
            )
        found += [f"inline error shown without any input: {m}" for m in out["messages"]]
        if found and self.console_errors:
            found.append("browser console errors: " + " | ".join(self.console_errors[:8]))
        return found


def open_and_run(browser: Browser, lab: Lab, name: str) -> Run:
    """Open ``name`` with a fresh kernel, Run All Cells, wait for every cell and widget view."""
    page = browser.page
    path = lab.notebooks / name
    n_code, expected = len(code_cells(path)), expected_widget_views(path)
    browser.console_errors.clear()
    browser.fresh = None
    start = time.monotonic()
    open_notebook(page, lab, name)
    opened = time.monotonic()
    run_all(page)
    ran = wait_until_run(page, n_code)
    out = ran["outputs"] if ran["outputs"]["errors"] else wait_for_widgets(page, expected)
    done = time.monotonic()
    broken = broken_widget_details(page) if out.get("broken") else []
    return Run(
        name,
        expected,
        out,
        state(page) or ran["state"],
        opened - start,
        done - opened,
        list(browser.console_errors),
        broken,
    )
