"""Matplotlib figure helpers for the analytics charts (the cohort debrief): figure creation, axes
style, PNG output, literal text. The artifact charts are SVG (``charts.svg``) and need none of it.

Figures are plain ``matplotlib.figure.Figure`` objects with an Agg canvas: no pyplot state, so a
notebook's own plots are never disturbed and nothing leaks between widgets.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ._style import (  # noqa: F401 - re-exported for the debrief charts
    GREY,
    HATCHES,
    OKABE_ITO,
    PALETTE,
    TEXT_COLOUR,
    money,
    nice_ceiling,
    short,
    sticky_limit,
)

# Low DPI and small figures: a widget re-renders on every edit, and rasterising is most of its
# cost. 80 dpi keeps 8 pt labels legible when the picture is shown 1:1; the HTML report asks for
# more through ``figure_png(fig, dpi=...)``.
DPI = 80


@contextmanager
def literal_text() -> Iterator[None]:
    """Draw every string literally: learner text such as "$5 or $10" is not mathtext.

    Text artists read the setting when they are created and tick labels when they are drawn, so
    both building and rendering a figure happen inside this context.
    """
    with rc_context({"text.parse_math": False}):
        yield


def new_figure(width: float, height: float) -> Figure:
    """A Figure with its own Agg canvas (pyplot never sees it)."""
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def close_figure(fig: Figure) -> None:
    """Release ``fig`` from pyplot if pyplot manages it (our own figures are never registered)."""
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt

        plt.close(fig)


def figure_png(fig: Figure, *, dpi: float | None = None, close: bool = True) -> bytes:
    """Render ``fig`` to PNG bytes and close it (the figure must not be used afterwards)."""
    buffer = io.BytesIO()
    try:
        with literal_text():
            fig.savefig(buffer, format="png", dpi=dpi or fig.dpi)
    finally:
        if close:
            close_figure(fig)
    return buffer.getvalue()


def style_axes(ax: Axes) -> None:
    """Give debrief chart axes the house style: no top or right spine, small text-coloured ticks."""
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.tick_params(labelsize=9, colors=TEXT_COLOUR)
