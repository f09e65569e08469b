"""Shared chart machinery: the colour-blind-safe palette, figure creation, PNG output, live charts.

Figures are plain ``matplotlib.figure.Figure`` objects with an Agg canvas: no pyplot state, so a
notebook's own plots are never disturbed and nothing leaks between widgets.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from matplotlib import rc_context
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ._style import (  # noqa: F401 - re-exported for the print charts
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


def style_axes(ax: Any) -> None:
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.tick_params(labelsize=9, colors=TEXT_COLOUR)


class LiveChart:
    """One figure kept for the life of a widget and updated in place on every edit.

    Subclasses draw the parts that only change with the model's *structure* (axes, tick labels,
    legends) in ``_draw_static`` and keep handles to the artists that change with every edit
    (bar sizes, value labels), which they mark ``animated`` and update in ``_update_dynamic``.
    ``png()`` then blits: the static background is rendered once per structure and cached, and
    only the animated artists are redrawn on top of it. That is what makes an edit cheap; a full
    redraw spends most of its time laying out and rasterising tick labels that did not change.

    The figure is still an ordinary Figure: ``savefig`` draws animated artists too, so
    ``figure_png(chart.figure)`` and the ``render_*`` functions give the complete picture.
    """

    width = 5.0
    height = 3.0

    def __init__(self) -> None:
        self.figure = new_figure(self.width, self.height)
        self._key: Any = object()
        self._background: Any = None
        self._animated: list[Artist] = []

    # -- for subclasses --------------------------------------------------------------------------
    def _structure(self, model: Any) -> Any:
        """What, when it changes, needs a full redraw (names, counts, axis limits)."""
        raise NotImplementedError

    def _size(self, model: Any) -> tuple[float, float]:
        return self.width, self.height

    def _draw_static(self, model: Any) -> None:
        raise NotImplementedError

    def _update_dynamic(self, model: Any) -> None:
        raise NotImplementedError

    def _sticky_limit(self, top: float, headroom: float = 1.15) -> float:
        """An axis limit that survives small edits: redrawing the axis costs a full render."""
        self._limit = sticky_limit(getattr(self, "_limit", None), top, headroom)
        return self._limit

    def _animate(self, *artists: Artist) -> None:
        for artist in artists:
            artist.set_animated(True)
            self._animated.append(artist)

    # -- public ----------------------------------------------------------------------------------
    def update(self, model: Any) -> Figure:
        """Bring the figure in line with ``model``; returns the (same) figure."""
        with literal_text():
            key = self._structure(model)
            if key != self._key:
                self.figure.clear()
                self.figure.set_size_inches(*self._size(model))
                self._animated = []
                self._draw_static(model)
                self._key = key
                self._background = None
            self._update_dynamic(model)
        return self.figure

    def png(self) -> bytes:
        """The current picture as PNG bytes (blitting onto the cached background)."""
        canvas = self.figure.canvas
        with literal_text():
            if self._background is None:
                canvas.draw()  # skips animated artists: this is the background
                self._background = canvas.copy_from_bbox(self.figure.bbox)
            else:
                canvas.restore_region(self._background)
            renderer = canvas.get_renderer()
            for artist in self._animated:
                if artist.get_visible():
                    artist.draw(renderer)
        return _encode_rgba(canvas.buffer_rgba())

    def close(self) -> None:
        """Release the figure (from pyplot too, if something registered it there)."""
        close_figure(self.figure)

    def invalidate(self) -> None:
        """Force a full redraw on the next ``update`` (e.g. after a font change)."""
        self._key = object()


def _encode_rgba(buffer: Any) -> bytes:
    from PIL import Image

    height, width = buffer.shape[0], buffer.shape[1]
    image = Image.frombuffer("RGBA", (width, height), buffer, "raw", "RGBA", 0, 1)
    out = io.BytesIO()
    # level 1: a few percent bigger, several times faster than the default for these small plots
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()
