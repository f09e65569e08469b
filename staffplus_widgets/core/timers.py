"""One way to run something a little later, wherever the workbook runs.

- In a Jupyter kernel, JupyterLite's in-browser Pyodide kernel included, an asyncio loop is running
  while a widget event or a cell is handled: ``later`` schedules on it with ``call_later``. The
  callback then runs on the kernel's own thread, between messages.
- With no running loop (plain Python, the test suite, the command line) it falls back to a
  ``threading.Timer``.
- Where threads cannot start either (Pyodide outside its loop), the callback runs at once, or,
  for a repeating tick (``run_now=False``: a callback that schedules itself again would recurse
  forever), not at all.

Pyodide cannot start threads at all ("can't start new thread"), which is why nothing in the
workbook may depend on ``threading.Timer`` alone.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any


class _Done:
    """The handle of a callback that already ran: cancelling it does nothing."""

    def cancel(self) -> None:
        return None


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The asyncio loop running in this thread (a Jupyter kernel's), or None outside one."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def later(delay: float, callback: Callable[[], Any], *, run_now: bool = True) -> Any:
    """Run ``callback`` after ``delay`` seconds; returns a handle with ``cancel()``.

    With neither a running loop nor threads, ``callback`` runs at once when ``run_now`` (a save
    that cannot wait is still a save), and is skipped otherwise (a clock's next tick).
    """
    loop = running_loop()
    if loop is not None:
        return loop.call_later(max(0.0, delay), callback)
    try:
        timer = threading.Timer(max(0.0, delay), callback)
        timer.daemon = True
        timer.start()
        return timer
    except RuntimeError:  # no threads on this platform: do it now, or not at all
        if run_now:
            callback()
        return _Done()
