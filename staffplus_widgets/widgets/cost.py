"""CostEstimatorWidget: line items with units, live totals, breakdown and growth charts, comparison."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import ipywidgets as w

from ..charts.svg import ComparisonSvg, CostBreakdownSvg, ProjectionSvg
from ..data.prices import price_catalogue
from ..models.cost import KINDS, CostEstimate, CostModel, LineCost, LineItem, range_check
from ..models.summaries import comparison_summary, cost_summary, projection_summary
from ._common import (
    FIELD_GRID,
    button,
    esc,
    field_row,
    fmt_number,
    html_widget,
    make,
    message,
    set_message,
    text_input,
)
from ._views import ChartView, SessionView, descendants

REFERENCE = "__reference__"
YOURS = "Your estimate"
PLACEHOLDER_VALUE = 1.0  # for fields without a default when a line is added: visibly a stand-in


def _money(x: float) -> str:
    return f"${x:,.0f}" if abs(x) >= 100 else f"${x:,.2f}"


@dataclass
class _LineControls:
    """The inputs of one cost line (kept together so handlers can find them by line index)."""

    box: w.VBox
    name_text: w.Text
    name_message: w.HTML
    scales_checkbox: w.Checkbox
    remove_button: w.Button
    field_texts: dict[str, w.Text]
    field_messages: dict[str, w.HTML]
    result_html: w.HTML  # the month's cost and its formula, then where the price came from


def _price_html(line: LineItem) -> str:
    price = (
        f"<small>price from catalogue entry <code>{esc(line.price_ref)}</code></small>"
        if line.price_ref
        else ""
    )
    if line.note:
        price += f"<small> Note: {esc(line.note)}</small>"
    return price


def _formula_html(result: LineCost) -> str:
    return (
        f"<small><b>{_money(result.monthly_usd)}</b> per month: "
        f"<code>{esc(result.formula)}</code></small>"
    )


def _result_html(line: LineItem, result: LineCost) -> str:
    price = _price_html(line)
    return _formula_html(result) + (f"<br>{price}" if price else "")


def starter_line(kind: str, name: str) -> dict[str, Any]:
    """A new line of ``kind``: defaults where the kind has them, a placeholder of 1 elsewhere."""
    spec = KINDS[kind]
    line: dict[str, Any] = {"kind": kind, "name": name}
    for fs in spec.fields:
        line[fs.key] = fs.default if fs.default is not None else PLACEHOLDER_VALUE
    return line


class CostEstimatorWidget(SessionView):
    """Build a monthly cost estimate from line items whose every input carries its unit.

    The inputs are generated from ``cost.KINDS`` (label, unit, and the field's help as tooltip).
    The monthly total, cost per 1,000 predictions and reviewer headcount update on every change,
    with a stacked breakdown, the x1/x3/x10 projection (which line dominates as traffic grows), a
    self-check against the scenario's expected range, and a side-by-side comparison with another
    design option's lines or the reference estimate.

    The scenario supplies the expected range and the lines to compare against; the session holds
    the learner's ``CostModel`` (``session.cost``) and saves every valid edit. ``value`` is
    ``session.cost.to_dict()``, updated after every change.
    """

    css_name = "cost-estimator"

    def _build(self) -> None:
        scenario, session = self._scenario, self._session
        self._shape: tuple[str, ...] | None = None
        self._lines: list[_LineControls] = []
        self._lines_box = make(w.VBox, "cost-lines")

        self._new_line_kind_dropdown = make(
            w.Dropdown,
            "cost-new-kind",
            description="Kind",
            options=[(spec.title, kind) for kind, spec in KINDS.items()],
            tooltip="What the line pays for; its inputs and formula follow from the kind",
            layout={"width": "300px"},
        )
        self._new_line_name_text = text_input("cost-new-name")
        self._add_line_button = button("cost-add-line", on_click=self._on_add_line_button_click)
        self._add_line_message = message("cost-add-line-message")

        self._totals_html = html_widget("", "cost-totals")
        self._range_html = html_widget("", "cost-range-check")
        self._breakdown_view = ChartView(
            CostBreakdownSvg(), cost_summary, "cost-breakdown-chart", session.cost
        )
        self._projection_view = ChartView(
            ProjectionSvg(), projection_summary, "cost-projection-chart", session.cost
        )

        option_lines = scenario.data["cost_reference"].get("option_lines", {})
        self._compare_toggle = make(
            w.ToggleButton,
            "cost-compare-toggle",
            value=False,
            description="Compare options",
            icon="columns",
            tooltip="Put your estimate next to another design option's lines or the reference "
            "estimate",
            layout={"width": "auto"},
        )
        self._compare_toggle.observe(self._on_compare_toggle_value, names="value")
        self._compare_dropdown = make(
            w.Dropdown,
            "cost-compare-with",
            description="Compare with",
            options=[
                *[(f"Option: {name}", name) for name in option_lines],
                ("Reference estimate (the solution)", REFERENCE),
            ],
            tooltip="Which estimate to put next to yours",
            layout={"width": "520px"},
        )
        self._compare_dropdown.observe(self._on_compare_dropdown_value, names="value")
        self._compare_view = ChartView(ComparisonSvg(), comparison_summary, "cost-comparison-chart")
        self._compare_html = html_widget("", "cost-comparison-table")
        # hidden until the toggle shows it: a layout of its own
        self._compare_box = make(
            w.VBox,
            "cost-compare",
            children=[self._compare_dropdown, self._compare_view, self._compare_html],
            layout=w.Layout(display="none"),
        )

        self.children = [
            self._title(
                "Cost estimate",
                "Every input has a unit; type a value and press Enter. Formulas show your "
                "numbers, so you can say them out loud.",
            ),
            self._status,
            self._lines_box,
            field_row(
                self._new_line_kind_dropdown,
                self._new_line_name_text,
                self._add_line_button,
                self._add_line_message,
            ),
            self._totals_html,
            self._range_html,
            self._breakdown_view,
            self._projection_view,
            self._compare_toggle,
            self._compare_box,
        ]
        self._refresh(inputs=True)

    @property
    def _cost(self) -> CostModel:
        return self._session.cost

    # -- lines -----------------------------------------------------------------------------------
    def _build_line(self, i: int, line: LineItem, result: LineCost) -> _LineControls:
        """The inputs of line ``i``, made with its values and ``result`` (its estimate) in place."""
        spec = KINDS[line.kind]
        # the kind labels the name: "Online inference [Fraud model serving]"
        name_text = text_input(
            "cost-line-name",
            line.name,
            label=spec.title,
            tooltip=f"Name of this {spec.title.lower()} line (Enter to rename)",
        )
        name_message = message("cost-line-name-message")
        scales = make(
            w.Checkbox,
            "cost-line-scales",
            value=line.scales_with_traffic,
            description="grows with traffic",
            indent=False,
            layout={"width": "auto"},
            tooltip="Ticked: this line is multiplied by the traffic multiplier in the projection",
        )
        remove = button(
            "cost-line-remove",
            tooltip=f"Remove the line {line.name}",
            on_click=partial(self._on_line_remove_click, i),
        )
        name_text.observe(partial(self._on_line_name_value, i), names="value")
        scales.observe(partial(self._on_line_scales_value, i), names="value")
        texts: dict[str, w.Text] = {}
        notes: dict[str, w.HTML] = {}
        fields: list[w.Widget] = []
        for fs in spec.fields:
            bounds = f"{fs.low:g} {'to' if fs.low_inclusive else '(exclusive) to'} {fs.high:g}"
            text = text_input(
                "cost-field",
                fmt_number(line.values[fs.key]),
                label=fs.label,
                tooltip=(f"{fs.help}. " if fs.help else "") + f"Unit: {fs.unit}; allowed {bounds}",
                placeholder=fs.unit,
                description_width="170px",
                extra_names=(f"cost-field-{fs.key}",),
            )
            text.observe(partial(self._on_line_field_value, i, fs.key), names="value")
            # the unit, then any message about the value typed, in one widget beside the field
            note = message(
                "cost-field-message",
                f"cost-field-message-{fs.key}",
                lead=f"<small>&nbsp;{esc(fs.unit)}</small> ",
            )
            texts[fs.key] = text
            notes[fs.key] = note
            fields += [text, note]
        result_html = html_widget(
            _result_html(line, result), "cost-line-formula", "cost-line-price"
        )
        box = make(
            w.VBox,
            "cost-line",
            f"cost-line-{line.kind}",
            children=[
                field_row(name_text, scales, remove, name_message),
                # one grid for the fields: each input with its unit and message beside it
                make(w.GridBox, children=fields, layout=FIELD_GRID),
                result_html,
            ],
            layout={"border": "1px solid #DDDDDD", "padding": "4px", "margin": "2px 0"},
        )
        return _LineControls(
            box, name_text, name_message, scales, remove, texts, notes, result_html
        )

    def _build_lines(self, est: CostEstimate) -> None:
        for old in descendants(self._lines_box):
            old.close()
        self._lines = [
            self._build_line(i, line, est.lines[i]) for i, line in enumerate(self._cost.lines)
        ]
        self._lines_box.children = [c.box for c in self._lines]
        self._shape = tuple(line.kind for line in self._cost.lines)

    def _sync_line(self, i: int, cost_line: LineCost | None = None) -> None:
        """Write line ``i``'s values into its inputs, and its formula with the learner's numbers."""
        line = self._cost.lines[i]
        controls = self._lines[i]
        with self._quiet():
            controls.name_text.value = line.name
            controls.scales_checkbox.value = line.scales_with_traffic
            for key, text in controls.field_texts.items():
                text.value = fmt_number(line.values[key])
                text.remove_class("staffplus-invalid")
                set_message(controls.field_messages[key])
            set_message(controls.name_message)
        self._show_line_result(i, cost_line)

    def _show_line_result(self, i: int, cost_line: LineCost | None = None) -> None:
        result = cost_line or self._cost.estimate().lines[i]
        self._lines[i].result_html.value = _result_html(self._cost.lines[i], result)

    # -- refresh ---------------------------------------------------------------------------------
    def _refresh(self, inputs: bool = False, line: int | None = None) -> None:
        """Recompute totals and charts; ``line`` (or every line with ``inputs``) re-syncs too."""
        model = self._cost
        with self.hold_sync():
            est = model.estimate()
            if self._shape != tuple(x.kind for x in model.lines):
                self._build_lines(est)
                inputs = True
            if inputs:
                for i in range(len(model.lines)):
                    self._sync_line(i, est.lines[i])
            elif line is not None and line < len(model.lines):
                self._show_line_result(line, est.lines[line])
            self._show_totals(est)
            self._breakdown_view.show(model)
            self._projection_view.show(model)
            if self._compare_toggle.value:
                self._show_comparison()
        self._set_value(model.to_dict())

    def _show_totals(self, est: CostEstimate) -> None:
        per_1000 = (
            _money(est.cost_per_1000)
            if est.cost_per_1000 is not None
            else "n/a (no online inference line)"
        )
        self._totals_html.value = (
            "<table class='staffplus-cost-totals-table'>"
            f"<tr><th style='text-align:left'>Monthly total</th><td>{_money(est.total)}</td></tr>"
            f"<tr><th style='text-align:left'>Cost per 1,000 predictions</th><td>{per_1000}</td></tr>"
            f"<tr><th style='text-align:left'>Reviewers on shift</th><td>{est.reviewers:,.1f}</td></tr>"
            f"<tr><th style='text-align:left'>Predictions per month</th>"
            f"<td>{est.predictions_per_month:,.0f}</td></tr></table>"
        )
        low, high = self._scenario.cost_range()
        where, gap = range_check(est.total, low, high)
        expected = f"{_money(low)} to {_money(high)} per month"
        if where == "inside":
            text = f"Inside the expected range ({expected})."
        else:
            text = f"{gap:.0%} {where} the expected range ({expected}). " + (
                "What did you leave out: people, review, storage growth?"
                if where == "below"
                else "Which line is oversized? Check utilisation, redundancy and prices."
            )
        self._range_html.value = (
            f"<p class='staffplus-range-{where}'><b>Self-check:</b> {esc(text)}</p>"
        )

    # -- handlers: lines -------------------------------------------------------------------------
    def _on_line_field_value(self, i: int, key: str, change: dict[str, Any]) -> None:
        if self._is_quiet:
            return
        line = self._cost.lines[i]
        name = line.name
        text = self._lines[i].field_texts[key]
        note = self._lines[i].field_messages[key]
        label = next(fs.label for fs in KINDS[line.kind].fields if fs.key == key)
        if self._edit(
            lambda: self._cost.update_line(name, **{key: change["new"]}),
            note,
            "cost",
            lambda: self._refresh(line=i),
            on_error=lambda e: set_message(note, e.reworded(f"{label} of '{name}'")),
        ):
            text.remove_class("staffplus-invalid")
        else:
            text.add_class("staffplus-invalid")

    def _on_line_name_value(self, i: int, change: dict[str, Any]) -> None:
        if self._is_quiet:
            return
        name = self._cost.lines[i].name
        self._edit(
            lambda: self._cost.update_line(name, name=change["new"]),
            self._lines[i].name_message,
            "cost",
            lambda: self._refresh(line=i),
        )

    def _on_line_scales_value(self, i: int, change: dict[str, Any]) -> None:
        if self._is_quiet:
            return
        name = self._cost.lines[i].name
        self._edit(
            lambda: self._cost.update_line(name, scales_with_traffic=bool(change["new"])),
            self._lines[i].name_message,
            "cost",
            lambda: self._refresh(line=i),
        )

    def _on_line_remove_click(self, i: int, _button: w.Button) -> None:
        name = self._cost.lines[i].name
        self._edit(lambda: self._cost.remove_line(name), None, "cost")

    def _on_add_line_button_click(self, _button: w.Button) -> None:
        self._when_typing_has_arrived(_button, self._add_line, self._add_line_message)

    def _add_line(self, last: bool) -> bool:
        """Add a line of the chosen kind and name; a refusal shows only on the ``last`` try."""
        kind = self._new_line_kind_dropdown.value

        def add() -> None:
            self._cost.add_line(
                starter_line(kind, self._new_line_name_text.value), where="new line"
            )
            with self._quiet():
                self._new_line_name_text.value = ""

        note = self._add_line_message
        if not self._edit(add, note, "cost", on_error=lambda e: last and set_message(note, str(e))):
            return False
        set_message(note)
        placeholders = [fs.label for fs in KINDS[kind].fields if fs.default is None]
        if placeholders:
            set_message(
                note,
                "Added. Replace the placeholder 1 in: " + ", ".join(placeholders) + ".",
                ok=True,
            )
        return True

    # -- handlers: comparison --------------------------------------------------------------------
    def _on_compare_toggle_value(self, change: dict[str, Any]) -> None:
        try:
            self._compare_box.layout.display = "flex" if change["new"] else "none"
            if change["new"]:
                self._show_comparison()
        except Exception as exc:
            self._unexpected(exc)

    def _on_compare_dropdown_value(self, change: dict[str, Any]) -> None:
        if self._compare_toggle.value:
            try:
                self._show_comparison()
            except Exception as exc:
                self._unexpected(exc)

    def comparison_models(self) -> dict[str, CostModel]:
        """The learner's model and the chosen other estimate, as the comparison chart shows them."""
        choice = self._compare_dropdown.value
        if choice == REFERENCE:
            label, other = "Reference estimate", self._scenario.reference_cost_model()
        else:
            lines = self._scenario.data["cost_reference"]["option_lines"][choice]
            label, other = choice, CostModel.from_lines(lines, prices=price_catalogue())
        return {YOURS: self._cost, label: other}

    def _show_comparison(self) -> None:
        models = self.comparison_models()
        self._compare_view.show(models)
        columns = []
        for label, model in models.items():
            est = model.estimate()
            rows = "".join(
                f"<tr><td>{esc(c.name)}</td><td style='text-align:right'>"
                f"{_money(c.monthly_usd)}</td></tr>"
                for c in est.lines
            )
            columns.append(
                f"<td style='vertical-align:top;padding-right:24px'><b>{esc(label)}</b>"
                f"<table>{rows}<tr><th style='text-align:left'>Total</th>"
                f"<th style='text-align:right'>{_money(est.total)}</th></tr></table></td>"
            )
        self._compare_html.value = f"<table><tr>{''.join(columns)}</tr></table>"

    def _on_session_changed(self, what: str) -> None:
        if what in ("cost", "import", "reference"):
            self._refresh(inputs=True)
