"""ProgressView: the learner's progress profile in a notebook (workbook 97).

A thin view over ``practice.progress.progress``: the same numbers as ``staffplus progress --format
json``, shown as a table, the three progress charts (each with its text summary as alt text and
under it), the habits missed most and what to practise next, with a link to that workbook.
``figures()`` hands the charts over as matplotlib Figures to keep (``savefig``). Every string from
a work file is escaped before it reaches an HTML widget.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets

from ..core.errors import StaffplusError
from ..data.scenario import get_pack
from ..documents.progress import CHARTS, overview, progress_charts, recommendation_lines
from ..practice.progress import History, build_profile, progress
from ._common import button, chart_img, classes, css, esc, make, message, set_message
from ._views import BriefRepr

if TYPE_CHECKING:  # annotations only: no import at run time
    from ..data.scenario import ScenarioPack

CHART_WIDTH_PX = 640


class ProgressView(BriefRepr, w.VBox):
    """The progress profile of a work folder: folder, Refresh, table, charts, habits, next step.

    Parameters
    ----------
    directory : str or path
        The learner's work folder (``staffplus-work/``, or a folder of downloaded work files).
    workbooks : mapping, optional
        Scenario id -> workbook file name, to link the recommended workbook.
    pack : ScenarioPack, optional
        Scenarios to recommend from (default ``scenario.get_pack()``).

    Notes
    -----
    ``value`` is ``Profile.to_json()`` of the folder, read-only. The constructor never calls
    ``display()``.
    """

    value = traitlets.Dict(read_only=True, help="Profile.to_json() of the folder.")

    def __init__(
        self,
        directory: Any,
        workbooks: Mapping[str, str] | None = None,
        *,
        pack: ScenarioPack | None = None,
    ) -> None:
        self._pack = pack
        self._workbooks = dict(workbooks or {})
        self._folder = css(
            w.Text(value=str(directory), description="Work folder", continuous_update=False,
                   layout=w.Layout(width="60%"), style={"description_width": "initial"}),
            "progress-folder",
        )  # fmt: skip
        self._refresh_button = button("progress-refresh", on_click=self._on_refresh_button_click)
        self._status = message("progress-status")
        self._overview = css(w.HTML(), "progress-overview")
        self._images = {key: make(w.HTML, "chart-picture", f"progress-{key}-picture")
                        for key, _alt, _summary in CHARTS}  # fmt: skip
        self._summaries = {key: css(w.HTML(), "chart-summary", f"progress-{key}-summary")
                           for key, _alt, _summary in CHARTS}  # fmt: skip
        self._next = css(w.HTML(), "progress-next")
        self._folder.observe(self._on_folder_value, names="value")
        charts = [
            css(w.VBox([self._images[k], self._summaries[k]]), "chart", f"progress-{k}")
            for k in self._images
        ]
        super().__init__(
            children=[
                w.HBox([self._folder, self._refresh_button],
                       layout=w.Layout(flex_flow="row wrap", align_items="center")),
                self._status, self._overview, w.VBox(charts), self._next,
            ],
            _dom_classes=classes("progress"),
        )  # fmt: skip
        self.refresh()

    # -- public ------------------------------------------------------------------------------------
    def summary(self, key: str) -> str:
        """The plain-text summary shown under chart ``key`` (profile, trend, unprompted)."""
        return html.unescape(self._summaries[key].value.removeprefix("<p>").removesuffix("</p>"))

    def figures(self) -> dict[str, Any]:
        """The charts as new matplotlib ``Figure`` objects, by key, to keep or ``savefig``."""
        from ..charts.progress import render_all

        return render_all(self.value) if self.value else {}

    def refresh(self) -> None:
        """Read the folder again and redraw."""
        folder = self._folder.value.strip()
        if not folder or "\x00" in folder:
            set_message(self._status, "Type the folder your work files are in (staffplus-work).")
            return
        try:
            path = Path(folder).expanduser()
            if os.path.lexists(path):
                data = progress(path, self._pack, self._workbooks).to_json()
            else:  # nothing saved yet: an empty profile, and where it will come from
                data = build_profile(History(str(path)), self._pack or get_pack(),
                                     self._workbooks).to_json()  # fmt: skip
        except (StaffplusError, OSError, ValueError, RuntimeError) as exc:
            set_message(self._status, str(exc))
            return
        set_message(
            self._status,
            ""
            if os.path.lexists(path)
            else f"Nothing is saved in {path} yet: your reviews and "
            "mock interviews will be, as you do them.",
            ok=True,
        )
        self.set_trait("value", data)
        self._render(data)

    # -- handlers ----------------------------------------------------------------------------------
    def _on_refresh_button_click(self, _button: Any) -> None:
        self.refresh()

    def _on_folder_value(self, _change: dict[str, Any]) -> None:
        self.refresh()

    # -- rendering ---------------------------------------------------------------------------------
    def _render(self, data: dict[str, Any]) -> None:
        pictures = progress_charts(data)
        with self.hold_sync():
            self._overview.value = self._overview_html(data)
            for key, _alt, summarise in CHARTS:
                text = summarise(data)
                self._images[key].value = chart_img(
                    pictures.get(key) or b"", "image/png", text, CHART_WIDTH_PX,
                    "chart-image", f"progress-{key}-image",
                )  # fmt: skip
                self._summaries[key].value = f"<p>{esc(text)}</p>"
            self._next.value = self._next_html(data)

    @staticmethod
    def _overview_html(data: dict[str, Any]) -> str:
        parts = [f"<p>{esc(overview(data))}</p>"]
        if data["rejected"]:
            items = "".join(f"<li>{esc(r['reason'])}</li>" for r in data["rejected"])
            parts.append(f"<h4>Files not used ({len(data['rejected'])})</h4><ul>{items}</ul>")
        return "".join(parts)

    @staticmethod
    def _next_html(data: dict[str, Any]) -> str:
        habits = (
            "".join(f"<li>{esc(h['text'])}</li>" for h in data["habits"]) or "<li>None yet.</li>"
        )
        parts = [f"<h4>Habits missed most</h4><ul class='staffplus-progress-habits'>{habits}</ul>"]
        r = data["recommendation"]
        if r:
            lines = "".join(
                f"<li>{esc(line)}</li>" for line in recommendation_lines(data, workbook=False)
            )
            parts.append(f"<h4>What to practise next</h4><ul>{lines}</ul>")
            if r["workbook"]:
                parts.append(
                    f"<p><a href='{esc(r['workbook'])}' target='_blank'>Open {esc(r['workbook'])}"
                    f"</a> and practise its {esc(r['phase_title'])} phase.</p>"
                )
        return "".join(parts)
