"""Workbench: one session and every view of it, with import/export to carry work between sessions."""

from __future__ import annotations

import base64
import sys
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w
import traitlets

from .. import workfile
from ..core import timers
from ..core.errors import StaffplusError
from ..data.scenario import Scenario, get_scenario
from ..practice.session import WorkSession
from ._common import (
    ROW,
    STYLE,
    button,
    classes,
    download_link,
    esc,
    html_widget,
    make,
    message,
    set_message,
    shared,
    text_input,
)
from ._views import BriefRepr
from .answer import ExportBar
from .card import ScenarioCard
from .cost import CostEstimatorWidget
from .feedback import FeedbackPanel
from .risks import RiskRegisterWidget
from .tradeoff import TradeOffMatrixWidget

# Re-running a cell makes a new Workbench on the same file while the old one may still hold a
# debounced save; flushing the old session first means the new one loads the newest work.
_OPEN: dict[Path, weakref.ReferenceType[WorkSession]] = {}


def _open_session(
    scenario: Scenario,
    path: str | Path | None,
    learner: str,
    autosave_delay: float,
    after_save: Callable[[], None],
) -> WorkSession:
    target = Path(path) if path is not None else workfile.work_path(scenario.id, learner or None)
    key = target.resolve()
    previous = _OPEN.get(key)
    old = previous() if previous is not None else None
    if old is not None:
        old.save_now()

    def timer(delay: float, save: Callable[[], None]) -> Any:
        # a debounced save runs later (on the kernel's event loop, or a thread outside a kernel);
        # report its outcome in the banner afterwards
        def run() -> None:
            save()
            after_save()

        return timers.later(delay, run)

    session = WorkSession(
        scenario, target, learner=learner, autosave_delay=autosave_delay, timer_factory=timer
    )
    _OPEN[key] = weakref.ref(session)
    return session


def saved_where(path: Any, platform: str | None = None) -> str:
    """The status bar's line on where the work is kept (HTML). In JupyterLite (Pyodide, platform
    ``emscripten``) the file is in this browser's storage for the site and nowhere else."""
    where = f"<code>{esc(path)}</code>"
    if (platform or sys.platform) != "emscripten":
        return f"Your work is saved to {where}."
    return (
        f"Your work is saved in this browser only ({where} in its storage for this site): "
        "another browser or computer will not see it, and clearing this site's data deletes it. "
        "To keep it, use <b>Download my work</b> below; to continue elsewhere, import that file there."
    )


class Workbench(BriefRepr, w.VBox):
    """Everything for one scenario in tabs: card, matrix, register, estimate, feedback.

    Opens (or restores) the learner's ``WorkSession`` and shares it between the views, so a
    constraint variant turned on in the card updates the matrix, and every edit is saved. The
    import button (a ``.json`` work file) and the export link (a download with the work inlined
    as a ``data:`` URI) carry work between Binder sessions.

    Parameters
    ----------
    scenario_id : str or Scenario
        A scenario id from the pack (built-in or ``STAFFPLUS_SCENARIOS``), or a loaded Scenario.
    learner : str
        Optional learner name; it becomes part of the work file name.
    path : str or Path, optional
        Where to keep the work file (default: ``workfile.work_path(scenario_id, learner)``).
    autosave_delay : float
        Seconds of quiet before saving (0 saves on every change).

    Attributes
    ----------
    session, card, matrix, risks, cost, feedback
        The session and the five views.
    status
        The notice (e.g. a corrupt file moved aside), save errors, the file path and "Save now".
    export_bar
        Import (upload a ``.json`` work file) and export (download link), plus the design-review
        report download when available.
    value : dict
        The whole work document (``session.to_work()``), updated after every change.
    """

    value = traitlets.Dict(read_only=True, help="The learner's work document.")

    def __init__(
        self,
        scenario_id: str | Scenario,
        *,
        learner: str = "",
        path: str | Path | None = None,
        autosave_delay: float = 0.75,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("layout", shared(w.Layout))  # one model fewer
        kwargs.setdefault("_dom_classes", classes("workbench"))
        super().__init__(**kwargs)
        scenario = scenario_id if isinstance(scenario_id, Scenario) else get_scenario(scenario_id)
        self.scenario = scenario
        ref = weakref.ref(self)

        def after_save() -> None:
            # the export link is rebuilt per save, not per edit: it can be megabytes of base64
            bench = ref()
            if bench is not None:
                bench._refresh_status()
                bench._refresh_export()

        self.session = _open_session(scenario, path, learner, autosave_delay, after_save)

        self._notice_html = html_widget("", "notice")
        self._error_html = html_widget("", "save-error")
        self._import_upload = make(
            w.FileUpload,
            "import",
            accept=".json",
            multiple=False,
            # (the visible label is CSS's, without ipywidgets' "(0)"; see _common.STYLE)
            description="Import a work file",
            layout={"width": "auto"},
            tooltip="Load a work file you exported earlier (.json); your current work is "
            "backed up next to the work file first",
        )
        self._import_upload.observe(self._on_import_upload_value, names="value")
        self._import_message = message("import-message")
        self._export_html = html_widget("", "export")
        self._save_button = button(
            "save-now",
            tooltip=f"Write your work to {self.session.path} now",
            on_click=self._on_save_button_click,
        )
        self._save_message = message("save-message")
        # the name goes into the export and the hand-in; typed here, not in a code cell
        self._learner_text = text_input("learner-name", self.session.learner)
        self._learner_text.observe(self._on_learner_text_value, names="value")
        self._learner_message = message("learner-message")
        # starting over asks once more, then keeps the old work as a backup file and says where
        self._start_over_button = button("start-over", on_click=self._on_start_over_click)
        self._confirm_button = button(
            "start-over-confirm",
            on_click=self._on_confirm_click,
            style="danger",
            layout=w.Layout(width="auto", display="none"),
        )
        self._cancel_button = button(
            "start-over-cancel",
            on_click=self._on_cancel_click,
            layout=w.Layout(width="auto", display="none"),
        )
        self._start_over_message = message("start-over-message")

        own = {"replace_previous": False}
        self.card = ScenarioCard(scenario, self.session, **own)
        self.matrix = TradeOffMatrixWidget(scenario, self.session, **own)
        self.risks = RiskRegisterWidget(scenario, self.session, **own)
        self.cost = CostEstimatorWidget(scenario, self.session, **own)
        self.feedback = FeedbackPanel(scenario, self.session, **own)
        self._tabs = make(
            w.Tab,
            "tabs",
            children=[self.card, self.matrix, self.risks, self.cost, self.feedback],
            titles=("Scenario", "Trade-offs", "Risks", "Cost", "Feedback"),
        )
        for view in (self.card, self.matrix, self.risks, self.cost, self.feedback):
            # a view's edit saves right after the listeners ran: show the outcome then
            view._commit_hooks.append(after_save)

        # status and export bar are public so a notebook can show them on their own, next to
        # the views it displays one by one (wb.card, wb.matrix, ...)
        self.status = w.VBox(
            [
                self._notice_html,
                self._error_html,
                make(
                    w.HBox,
                    children=[
                        html_widget(f"<small>{saved_where(self.session.path)}</small>"),
                        self._save_button,
                        self._save_message,
                    ],
                    layout=ROW,
                ),
                make(
                    w.HBox,
                    children=[
                        self._learner_text,
                        self._learner_message,
                        self._start_over_button,
                        self._confirm_button,
                        self._cancel_button,
                        self._start_over_message,
                    ],
                    layout=ROW,
                ),
            ],
            _dom_classes=classes("status-bar"),
        )
        bar: list[w.Widget] = [
            make(
                w.HBox,
                children=[self._import_upload, self._export_html, self._import_message],
                layout=ROW,
            )
        ]
        # the work file downloads from the link above; the report is built on request
        bar.append(ExportBar(self.session, work=False))
        self.export_bar = w.VBox(bar, _dom_classes=classes("export-bar"))
        self.children = [self.status, self.export_bar, self._tabs]
        self.session.listeners.append(self._listener())
        self._refresh()

    def _listener(self) -> Any:
        ref = weakref.ref(self)

        def listener(what: str) -> None:
            bench = ref()
            if bench is None:
                return
            try:
                if what == "import" and bench._learner_text.value != bench.session.learner:
                    bench._learner_text.value = bench.session.learner  # the imported name
                bench._refresh_status()
                bench.set_trait("value", bench.session.to_work())
            except Exception as exc:  # never stop the session from saving
                set_message(bench._import_message, f"Unexpected problem: {exc}")

        return listener

    # -- handlers --------------------------------------------------------------------------------
    def _on_import_upload_value(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        name = str(upload.get("name", "uploaded file"))
        try:
            raw = bytes(upload["content"])
            backup = self.session.import_bytes(raw, source=name)
        except StaffplusError as exc:
            set_message(self._import_message, f"Not imported, your work is unchanged: {exc}")
        except Exception as exc:
            set_message(
                self._import_message,
                f"Not imported, your work is unchanged (unexpected {type(exc).__name__}: {exc})",
            )
        else:
            kept = f" Your previous work is kept in {backup.name}." if backup else ""
            set_message(self._import_message, f"Imported {name}.{kept}", ok=True)
        finally:
            # clear the upload so the same file can be chosen again
            self._import_upload.value = ()
        self._refresh()

    def _on_learner_text_value(self, change: dict[str, Any]) -> None:
        try:
            self.session.set_learner(change["new"])
        except StaffplusError as exc:
            set_message(self._learner_message, str(exc))
        except Exception as exc:
            set_message(self._learner_message, f"Unexpected problem: {exc}")
        else:
            set_message(self._learner_message)
            self._refresh_export()

    def _asking(self, ask: bool) -> None:
        self._confirm_button.layout.display = self._cancel_button.layout.display = (
            "" if ask else "none"
        )
        self._start_over_button.disabled = ask

    def _on_start_over_click(self, _button: w.Button) -> None:
        self._asking(True)
        set_message(
            self._start_over_message,
            "This clears your matrix, risks, cost estimate, answers and interview attempts "
            "for this scenario. Your current work is kept as a backup file first.",
        )

    def _on_cancel_click(self, _button: w.Button) -> None:
        self._asking(False)
        set_message(self._start_over_message)

    def _on_confirm_click(self, _button: w.Button) -> None:
        self._asking(False)
        try:
            backup = self.session.start_over()
        except StaffplusError as exc:
            set_message(self._start_over_message, f"Nothing changed: {exc}")
            return
        except Exception as exc:
            set_message(self._start_over_message, f"Nothing changed (unexpected problem: {exc})")
            return
        kept = (
            f" Your previous work is kept in {backup}; import it to go back to it."
            if backup
            else ""
        )
        set_message(self._start_over_message, f"Started over.{kept}", ok=True)
        self._refresh()

    def _on_save_button_click(self, _button: w.Button) -> None:
        if self.session.save_now():
            set_message(self._save_message, f"Saved to {self.session.path}.", ok=True)
        else:
            set_message(self._save_message)
        self._refresh()

    # -- view ------------------------------------------------------------------------------------
    def export_href(self) -> str:
        """The ``data:`` URI the export link downloads (the work file, base64)."""
        raw = self.session.export_bytes()
        return "data:application/json;base64," + base64.b64encode(raw).decode("ascii")

    def _refresh_status(self) -> None:
        session = self.session
        notes = [session.notice] if session.notice else []
        if self.scenario.replaces:
            notes.append(
                f"this workbook uses {self.scenario.path}, which replaces {self.scenario.replaces}"
            )
        with self.hold_sync():
            self._notice_html.value = "".join(
                f"<div role='alert' style='border:2px solid #E69F00;padding:6px;margin:4px 0'>"
                f"<b>Note:</b> {esc(note)}</div>"
                for note in notes
            )
            self._error_html.value = (
                f"<div role='alert' style='border:2px solid #B00020;padding:6px;margin:4px 0;"
                f"color:#B00020'><b>Your work is not being saved:</b> {esc(session.last_error)}"
                "</div>"
                if session.last_error
                else ""
            )

    def _refresh_export(self) -> None:
        session = self.session
        with self.hold_sync():
            self._export_html.value = STYLE + download_link(
                self.export_href(),
                session.path.name,
                f"Download my work ({session.path.name})",
                "Your work as a file to keep, or to import in another session",
                "staffplus-export-link",
            )

    def _refresh(self) -> None:
        self._refresh_status()
        self._refresh_export()
        self.set_trait("value", self.session.to_work())
