"""The learner workbooks' Google Colab cell: what Colab needs, and nothing anywhere else.

Colab has neither this package nor, until it is switched on, a widget manager that renders
ipywidgets 8 (``google.colab.output.enable_custom_widget_manager``). ``generate`` puts this cell
after a workbook's title (and its papermill parameters cell): in Colab it installs the package
from the repository and switches the widget manager on; in JupyterLab, JupyterLite, Binder, VS
Code and the test suite's kernels ``google.colab`` is not loaded, so it does nothing and never
reaches the network. The cell has no import statement of ``google``: JupyterLite's kernel loads
the Pyodide packages a cell's imports name before it runs it, whatever branch they are in.
"""

from __future__ import annotations

from typing import Any

import nbformat

REPOSITORY = "https://github.com/staffplus/staffplus-workbook"
CELL_ID = "colab-setup"
COLAB_CELL = f"""\
# Only in Google Colab: install the workbook and turn on Colab's widget manager (ipywidgets 8
# needs it there). Anywhere else (JupyterLab, JupyterLite, Binder, VS Code) this does nothing.
import sys

if "google.colab" in sys.modules:
    import subprocess

    old_widgets = getattr(sys.modules.get("ipywidgets"), "__version__", "")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "staffplus-workbook @ git+{REPOSITORY}"],
        check=True,
    )
    import importlib

    # not "from google.colab import ...": Pyodide would fetch the package that provides
    # "google" (protobuf) from its CDN for a cell that, in JupyterLite, does nothing
    importlib.import_module("google.colab.output").enable_custom_widget_manager()
    if old_widgets.startswith("7."):
        print("Colab had ipywidgets 7 loaded: Runtime > Restart session, then run all cells.")"""


def with_colab_cell(nb: Any) -> Any:
    """``nb`` with the Colab cell after its ``# title`` cell and its parameters cell, if any; a
    notebook without a title (a fragment) is left as it is."""
    cells = nb.cells
    if not cells or cells[0].cell_type != "markdown" or not cells[0].source.startswith("# "):
        return nb
    at = 1
    if len(cells) > 1 and "parameters" in cells[1].get("metadata", {}).get("tags", []):
        at = 2
    if any(c.get("id") == CELL_ID for c in cells):
        return nb
    cell = nbformat.v4.new_code_cell(COLAB_CELL)
    cell.id = CELL_ID
    cells.insert(at, cell)
    return nb
