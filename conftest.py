"""Repository-wide pytest setup, shared by the tests and by nbval's notebook collection.

Notebook kernels inherit this process's environment: pointing STAFFPLUS_WORK_DIR at a temporary
folder keeps every test run, including nbval's, away from a learner's real ./staffplus-work.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("MPLBACKEND", "Agg")
if "STAFFPLUS_TEST_WORK_DIR" not in os.environ:
    os.environ["STAFFPLUS_TEST_WORK_DIR"] = tempfile.mkdtemp(prefix="staffplus-test-work-")
os.environ["STAFFPLUS_WORK_DIR"] = os.environ["STAFFPLUS_TEST_WORK_DIR"]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """The browser suite's render time per workbook, gathered from the test reports (works with
    xdist, whose workers have no terminal of their own)."""
    _lite_summary(terminalreporter)
    rows = {}
    for key in ("passed", "failed"):
        for report in terminalreporter.stats.get(key, []):
            for name, value in getattr(report, "user_properties", []):
                if name == "browser_render" and report.when == "call":
                    rows[value["workbook"]] = value
    if not rows:
        return
    terminalreporter.write_sep(
        "-", "browser: time to open each workbook and render all its widgets"
    )
    terminalreporter.write_line(
        f"{'workbook':<34} {'open s':>7} {'run+render s':>13} {'widgets':>8}  result"
    )
    for name, t in sorted(rows.items()):
        terminalreporter.write_line(
            f"{name:<34} {t['open_s']:>7.1f} {t['render_s']:>13.1f} {t['widgets']:>8}  {t['result']}"
        )
    shots = {str(__import__("pathlib").Path(t["screenshot"]).parent) for t in rows.values()}
    terminalreporter.write_line(f"screenshots in: {', '.join(sorted(shots))}")


def _lite_summary(terminalreporter):
    """The JupyterLite site test's build time, site size and first run (tests/test_lite_site.py)."""
    for report in terminalreporter.stats.get("passed", []):
        for name, t in getattr(report, "user_properties", []):
            if name == "lite_site" and report.when == "call":
                terminalreporter.write_sep("-", "JupyterLite site (built offline)")
                terminalreporter.write_line(
                    f"built in {t['build_s']} s, {t['size_mb']} MB; first open + Run All "
                    f"{t['first_run_s']} s; whole test {report.duration:.1f} s"
                )
