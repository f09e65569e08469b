"""RiskRegisterWidget: add, edit and remove risks; severity table, 5x5 heat map, category coverage."""

from __future__ import annotations

from textwrap import shorten
from typing import Any

import ipywidgets as w

from ..charts.svg import HeatmapSvg
from ..core.categories import CATEGORIES, CATEGORY_IDS
from ..core.errors import StaffplusError
from ..core.wording import count
from ..models.risks import Risk, RiskRegister
from ..models.summaries import heatmap_summary
from ._common import (
    FIELD_GRID,
    button,
    esc,
    field_row,
    html_widget,
    make,
    message,
    set_message,
    text_input,
)
from ._views import ChartView, SessionView

NEW = ""  # the selector's value for "a new risk"
FIELDS = ("title", "category", "likelihood", "impact", "mitigation", "owner", "detection", "raised")
# A valid stand-in for every field, so one field of an unsaved draft can be checked on its own.
_PLACEHOLDER: dict[str, Any] = {
    "title": "draft",
    "category": CATEGORY_IDS[0],
    "likelihood": 3,
    "impact": 3,
    "raised": "unprompted",
}


def field_of(error: StaffplusError) -> str | None:
    """Which form field a register error is about: the model names it in ``error.field``
    ("risk likelihood" -> "likelihood"); None for an error about no one field."""
    name = error.field.rsplit(" ", 1)[-1].rsplit(".", 1)[-1]
    return name if name in FIELDS else None


# the form's labels take the width the dropdowns and the mitigation box use by default, so every
# input starts at the same place
FORM_LABEL = ""
# the form's one-line text fields: field, label, tooltip, placeholder, width. A scenario's
# ``risk_form_examples`` replace the title, owner and detection placeholders with its own terms.
TEXT_FIELDS = (
    ("title", "Title", "What could go wrong, in one line",
     "e.g. labels arrive weeks after the decision they judge", "520px"),
    ("likelihood", "Likelihood", "1 (rare) to 5 (almost certain)", "1-5", "160px"),
    ("impact", "Impact", "1 (nuisance) to 5 (severe: money, trust or law)", "1-5", "160px"),
    ("owner", "Owner", "Who owns the risk (a role, not a person)",
     "e.g. the lead of the team that gets paged", "520px"),
    ("detection", "Detection", "The signal that tells you it is happening",
     "e.g. a metric and the threshold that pages someone", "520px"),
)  # fmt: skip


class RiskRegisterWidget(SessionView):
    """Edit the learner's risk register and see it as a table, a heat map and category coverage.

    Pick "New risk" to fill in a draft and add it, or pick an existing risk to edit it in place
    (each field applies on Enter). The table is sorted by severity (likelihood x impact); the
    coverage panel names the categories the scenario's rubric expects that are still empty,
    without revealing the reference risks until "Show reference register" is clicked.

    The scenario supplies the expected categories and the reference register; the session holds
    the learner's ``RiskRegister`` (``session.register``) and saves every valid edit. ``value``
    is ``session.register.to_dict()``, updated after every change.
    """

    css_name = "risk-register"

    @staticmethod
    def _field_input(key: str, label: str, tooltip: str, placeholder: str, width: str) -> w.Text:
        return text_input(
            f"risk-{key}",
            label=label,
            tooltip=tooltip,
            placeholder=placeholder,
            width=width,
            description_width=FORM_LABEL,
        )

    def _build(self) -> None:
        session = self._session
        self._risk_dropdown = make(
            w.Dropdown,
            "risk-select",
            description="Risk",
            tooltip="Pick a risk to edit, or 'New risk' to add one",
            options=self._dropdown_options(),
            value=NEW,
            layout={"width": "520px"},
        )
        self._risk_dropdown.observe(self._on_risk_dropdown_value, names="value")

        # the one-line text fields, from the table above: one input each, named after its field
        examples = self._scenario.data.get("risk_form_examples") or {}
        for key, label, tooltip, placeholder, width in TEXT_FIELDS:
            hint = examples.get(key, placeholder)
            setattr(self, f"_{key}_text", self._field_input(key, label, tooltip, hint, width))
        self._category_dropdown = make(
            w.Dropdown,
            "risk-category",
            description="Category",
            options=[
                (f"{c}: {shorten(CATEGORIES[c], 44, placeholder='...')}", c) for c in CATEGORY_IDS
            ],
            value=CATEGORY_IDS[0],
            layout={"width": "520px"},
            tooltip="; ".join(f"{c}: {d}" for c, d in CATEGORIES.items()),
        )
        self._mitigation_text = make(
            w.Textarea,
            "risk-mitigation",
            description="Mitigation",
            tooltip="What you would do about it, before and after it happens",
            placeholder="design change, guard rail, fallback...",
            continuous_update=False,
            layout={"width": "520px", "height": "56px"},
        )
        self._raised_buttons = make(
            w.ToggleButtons,
            "risk-raised",
            description="Raised",
            options=[("Unprompted", "unprompted"), ("Prompted", "prompted")],
            value="unprompted",
            tooltips=[
                "You raised it before the interviewer asked",
                "You raised it only after a prompt",
            ],
            tooltip="Did you raise this before the interviewer asked?",
            style={"button_width": "110px"},
        )
        self._inputs: dict[str, w.ValueWidget] = {
            "title": self._title_text,
            "category": self._category_dropdown,
            "likelihood": self._likelihood_text,
            "impact": self._impact_text,
            "mitigation": self._mitigation_text,
            "owner": self._owner_text,
            "detection": self._detection_text,
            "raised": self._raised_buttons,
        }
        self._messages: dict[str, w.HTML] = {f: message(f"risk-{f}-message") for f in FIELDS}
        for name, widget in self._inputs.items():
            widget.observe(
                lambda change, name=name: self._on_field_value(name, change), names="value"
            )

        self._add_risk_button = button(
            "risk-add", style="primary", on_click=self._on_add_risk_button_click
        )
        self._remove_risk_button = button(
            "risk-remove", disabled=True, on_click=self._on_remove_risk_button_click
        )
        self._form_message = message("risk-form-message")

        self._table_html = html_widget("", "risk-table")
        self._heatmap_view = ChartView(
            HeatmapSvg(), heatmap_summary, "risk-heatmap", session.register
        )
        self._coverage_html = html_widget("", "risk-coverage")
        self._reference_button = button(
            "risk-reference-button", on_click=self._on_reference_button_click
        )
        self._reference_html = html_widget("", "risk-reference")
        # graduated help: one hint per empty category, then the whole reference register
        self._hinted: list[str] = []
        self._hint_button = button(
            "risk-hint",
            on_click=self._on_hint_button_click,
            # a scenario without hints shows no Hint button (its hints never change)
            layout=None if self._scenario.risk_hints() else {"width": "auto", "display": "none"},
        )
        self._hints_html = html_widget("", "risk-hints")

        self.children = [
            self._title("Risk register"),
            self._status,
            self._risk_dropdown,
            # one grid for the form: each field with its message beside it
            make(
                w.GridBox,
                children=[
                    widget
                    for key, field in (
                        ("title", self._title_text),
                        ("category", self._category_dropdown),
                        ("likelihood", self._likelihood_text),
                        ("impact", self._impact_text),
                        ("mitigation", self._mitigation_text),
                        ("owner", self._owner_text),
                        ("detection", self._detection_text),
                        ("raised", self._raised_buttons),
                    )
                    for widget in (field, self._messages[key])
                ],
                layout=FIELD_GRID,
            ),
            field_row(self._add_risk_button, self._remove_risk_button, self._form_message),
            self._table_html,
            make(
                w.HBox,
                children=[self._heatmap_view, self._coverage_html],
                layout={"flex_flow": "row wrap", "align_items": "flex-start"},
            ),
            field_row(self._hint_button, self._reference_button),
            self._hints_html,
            self._reference_html,
        ]
        self._sync_dropdown(NEW)
        self._load_form(NEW)
        self._refresh()

    @property
    def _register(self) -> RiskRegister:
        return self._session.register

    @property
    def _selected(self) -> str:
        return self._risk_dropdown.value or NEW

    # -- form ------------------------------------------------------------------------------------
    def _form_values(self) -> dict[str, Any]:
        return {name: widget.value for name, widget in self._inputs.items()}

    def _load_form(self, title: str) -> None:
        """Show ``title``'s fields (or an empty draft) and the buttons that fit."""
        with self._quiet(), self.hold_sync():
            if title == NEW:
                values: dict[str, Any] = {
                    "title": "",
                    "category": self._category_dropdown.value,
                    "likelihood": "",
                    "impact": "",
                    "mitigation": "",
                    "owner": "",
                    "detection": "",
                    "raised": "unprompted",
                }
            else:
                risk = self._register.get(title)
                values = {
                    **risk.to_dict(),
                    "likelihood": str(risk.likelihood),
                    "impact": str(risk.impact),
                }
            for name, widget in self._inputs.items():
                widget.value = values[name]
            for note in self._messages.values():
                set_message(note)
            set_message(self._form_message)
            self._add_risk_button.disabled = title != NEW
            self._remove_risk_button.disabled = title == NEW

    def _show_error(self, error: StaffplusError) -> None:
        name = field_of(error)
        set_message(self._messages[name] if name else self._form_message, str(error))

    # -- handlers --------------------------------------------------------------------------------
    def _on_risk_dropdown_value(self, change: dict[str, Any]) -> None:
        if self._is_quiet:
            return
        try:
            self._load_form(change["new"] or NEW)
        except Exception as exc:
            self._unexpected(exc)

    def _on_field_value(self, name: str, change: dict[str, Any]) -> None:
        if self._is_quiet:
            return
        note = self._messages[name]
        if self._selected == NEW:
            # a draft: check this one field now, so the message appears beside it at once
            try:
                Risk.create({**_PLACEHOLDER, name: change["new"]})
            except StaffplusError as exc:
                set_message(note, str(exc))
            except Exception as exc:
                self._unexpected(exc)
            else:
                set_message(note)
            return
        title = self._selected
        index = self._register.titles().index(title)

        def after() -> None:
            # the selector's labels carry the title and the severity, so follow a rename
            self._sync_dropdown(self._register.risks[index].title)
            self._refresh()

        self._edit(
            lambda: self._register.update(title, **{name: change["new"]}), note, "risks", after
        )

    def _on_add_risk_button_click(self, _button: w.Button) -> None:
        # the last add's "Added" must not stand for this one, whatever happens next
        set_message(self._form_message)
        self._when_typing_has_arrived(_button, self._add_draft, self._form_message)

    def _add_draft(self, last: bool) -> bool:
        """Add the draft as the form holds it now; a refusal is shown only on the ``last`` try."""
        for note in self._messages.values():
            set_message(note)

        def add() -> None:
            self._register.add(self._form_values())

        def after() -> None:
            self._sync_dropdown(NEW)
            self._load_form(NEW)
            self._refresh()

        def refused(error: StaffplusError) -> None:
            if last:
                self._not_added(error)

        if self._edit(add, self._form_message, "risks", after, on_error=refused):
            set_message(self._form_message, "Added. Fill in the next one.", ok=True)
            self._title_text.focus()  # a keyboard user goes on typing the next risk's title
            return True
        return False

    def _not_added(self, error: StaffplusError) -> None:
        """A refused draft: the reason beside its field, and beside the button that it was not
        added (the field's message alone is easy to miss below a long form)."""
        self._show_error(error)
        name = field_of(error)
        if name:
            label = self._inputs[name].description or name
            set_message(self._form_message, f"Not added: check {label} above.")
            self._inputs[name].focus()

    def _on_remove_risk_button_click(self, _button: w.Button) -> None:
        title = self._selected
        if title == NEW:
            return

        def after() -> None:
            self._sync_dropdown(NEW)
            self._load_form(NEW)
            self._refresh()

        self._edit(lambda: self._register.remove(title), self._form_message, "risks", after)

    def _on_reference_button_click(self, _button: w.Button) -> None:
        try:
            showing = bool(self._reference_html.value)
            self._reference_html.value = "" if showing else self._reference_register()
            self._reference_button.description = (
                "Show reference register" if showing else "Hide reference register"
            )
        except Exception as exc:
            self._unexpected(exc)

    def _on_hint_button_click(self, _button: w.Button) -> None:
        try:
            waiting = self._unhinted()
            if waiting:
                self._hinted.append(waiting[0])
            self._show_hints()
        except Exception as exc:
            self._unexpected(exc)

    # -- view ------------------------------------------------------------------------------------
    def _unhinted(self) -> list[str]:
        """Categories with a hint that the register leaves empty and whose hint is not shown."""
        covered = self._register.coverage()
        return [
            c
            for c, _ in self._scenario.risk_hints()
            if not covered.get(c) and c not in self._hinted
        ]

    def _show_hints(self) -> None:
        covered = self._register.coverage()
        hints = dict(self._scenario.risk_hints())
        items = "".join(
            f"<li><b>{esc(c)}</b>"
            + (" <small>(covered now)</small>" if covered.get(c) else "")
            + f": {esc(' '.join(hints[c].split()))}</li>"
            for c in self._hinted
        )
        left = len(self._unhinted())
        self._hint_button.disabled = not left
        self._hint_button.description = f"Hint ({left} left)" if left else "No hints left"
        if not self._hinted:
            self._hints_html.value = ""
            return
        note = (
            "Take another hint, or add a risk for the category above."
            if left
            else "Every empty category has had its hint. Next step: the reference register."
        )
        self._hints_html.value = (
            f"<b>Hints</b><ul style='margin:2px 0'>{items}</ul><small>{note}</small>"
        )

    def _dropdown_options(self) -> list[tuple[str, str]]:
        return [("New risk", NEW)] + [
            (f"{r.title} (severity {r.severity})", r.title) for r in self._register.risks
        ]

    def _sync_dropdown(self, select: str) -> None:
        with self._quiet():
            self._risk_dropdown.options = self._dropdown_options()
            self._risk_dropdown.value = select if select in self._register.titles() else NEW

    def _refresh(self) -> None:
        reg = self._register
        with self.hold_sync():
            self._table_html.value = self._table(reg)
            self._heatmap_view.show(reg)
            self._coverage_html.value = self._coverage(reg)
            self._show_hints()
        self._set_value(reg.to_dict())

    def _table(self, reg: RiskRegister) -> str:
        if not reg.risks:
            return "<p><i>No risks yet. What could go wrong for the business, the data, the team, the law?</i></p>"
        head = "".join(
            f"<th style='text-align:left;padding:2px 6px'>{h}</th>"
            for h in (
                "Severity",
                "Title",
                "Category",
                "L",
                "I",
                "Mitigation",
                "Owner",
                "Detection",
                "Raised",
            )
        )
        rows = "".join(
            "<tr>"
            + "".join(
                f"<td style='vertical-align:top;padding:2px 6px'>{c}</td>"
                for c in (
                    f"<b>{r.severity}</b>",
                    esc(r.title),
                    esc(r.category),
                    r.likelihood,
                    r.impact,
                    esc(r.mitigation),
                    esc(r.owner),
                    esc(r.detection),
                    esc(r.raised),
                )
            )
            + "</tr>"
            for r in reg.by_severity()
        )
        return (
            f"<table class='staffplus-risk-table-rows'><caption style='text-align:left'>"
            f"{count(len(reg.risks), 'risk')}, most severe first (severity = likelihood x impact)"
            f"</caption><tr>{head}</tr>{rows}</table>"
        )

    def _coverage(self, reg: RiskRegister) -> str:
        counts = reg.coverage()
        expected = self._scenario.expected_categories()
        items = "".join(
            f"<li>{esc(c)}: <b>{counts[c]}</b>"
            + (" <small>(the rubric covers this)</small>" if c in expected else "")
            + "</li>"
            for c in CATEGORY_IDS
        )
        missing = reg.missing(expected)
        if missing:
            nudge = (
                "<p class='staffplus-nudge'><b>Still empty:</b> "
                + esc(", ".join(missing))
                + ". A Staff+ candidate would raise something in each of these.</p>"
            )
        else:
            nudge = (
                "<p class='staffplus-nudge'>Every category the rubric covers has at least "
                "one risk.</p>"
            )
        return f"<b>Coverage by category</b><ul style='margin:2px 0'>{items}</ul>{nudge}"

    def _reference_register(self) -> str:
        rows = "".join(
            "<tr>"
            + "".join(
                f"<td style='vertical-align:top;padding:2px 6px'>{c}</td>"
                for c in (
                    f"<b>{r['likelihood'] * r['impact']}</b>",
                    esc(r["title"]),
                    esc(r["category"]),
                    r["likelihood"],
                    r["impact"],
                    esc(" ".join(r["mitigation"].split())),
                    esc(r["owner"]),
                    esc(r["detection"]),
                )
            )
            + "</tr>"
            for r in sorted(
                self._scenario.data["reference_risks"],
                key=lambda r: (-r["likelihood"] * r["impact"], -r["impact"]),
            )
        )
        head = "".join(
            f"<th style='text-align:left;padding:2px 6px'>{h}</th>"
            for h in ("Severity", "Title", "Category", "L", "I", "Mitigation", "Owner", "Detection")
        )
        return (
            f"<h5>Reference register</h5><table class='staffplus-reference-table'>"
            f"<tr>{head}</tr>{rows}</table>"
        )

    def _on_session_changed(self, what: str) -> None:
        if what in ("risks", "import", "reference"):
            keep = self._selected if self._selected in self._register.titles() else NEW
            self._sync_dropdown(keep)
            self._load_form(keep)
            self._refresh()
