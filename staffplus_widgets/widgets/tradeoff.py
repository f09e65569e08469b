"""TradeOffMatrixWidget: options x weighted criteria, live totals and ranks, charts, reference reveal."""

from __future__ import annotations

from functools import partial
from typing import Any

import ipywidgets as w

from ..charts.svg import SensitivitySvg, TotalsSvg
from ..models.summaries import option_status, sensitivity_summary, totals_summary
from ..models.tradeoff import SCALE, TradeOffMatrix
from . import _matrix_parts as grid
from ._common import (
    button,
    esc,
    field_row,
    fmt_number,
    heading,
    html_widget,
    make,
    message,
    set_message,
    text_input,
)
from ._views import ChartView, SessionView, descendants


class TradeOffMatrixWidget(SessionView):
    """Edit a trade-off matrix: options, weighted criteria, 1-5 scores with one-line reasons.

    Weighted totals and ranks update on every edit (ties shown as ties, options excluded by a
    constraint variant shown as excluded with the reason), with a totals chart, a sensitivity
    chart and the robustness share. The scenario's reference scores stay hidden until the learner
    clicks "Compare with reference".

    The scenario supplies the reference matrix and recommendation for the reveal; the session
    holds the learner's ``TradeOffMatrix`` (``session.matrix``) and saves every valid edit.
    ``value`` is ``session.matrix.to_dict()``, updated after every change.
    """

    css_name = "tradeoff"

    def _build(self) -> None:
        self._shape: tuple[int, int] | None = None
        # as wide as its widest row (a box shrinks to its parent and scrolls inside itself)
        self._grid = make(
            w.VBox, "tradeoff-grid", layout={"width": "max-content", "flex": grid.FIXED}
        )
        # many criteria make the grid wider than the notebook: the one grid scrolls, sideways
        # and (past ~12 options) down, with the option names, totals and ranks (sticky on the
        # left) and the criteria and weights (the sticky header row) always in view
        self._grid_scroller = make(
            w.Box,
            "tradeoff-scroller",
            children=[self._grid],
            layout={"overflow": "auto", "width": "100%", "max_height": "70vh"},
        )
        # a criterion's message, naming the criterion, goes under the grid: in its 100 px
        # column it wrapped to five lines and pushed the header out of line
        self._grid_notes = make(w.VBox, "tradeoff-grid-notes")
        # what each option is and what a high score on each criterion means, next to the grid
        self._key_html = html_widget("", "tradeoff-key")
        self._ranking_html = html_widget("", "tradeoff-ranking")

        # adding options and criteria
        self._new_option_text = text_input("tradeoff-new-option")
        self._add_option_button = button(
            "tradeoff-add-option", on_click=self._on_add_option_button_click
        )
        self._new_option_message = message("tradeoff-new-option-message")

        self._new_criterion_text = text_input("tradeoff-new-criterion")
        self._new_criterion_weight_text = text_input("tradeoff-new-criterion-weight", "1")
        self._add_criterion_button = button(
            "tradeoff-add-criterion", on_click=self._on_add_criterion_button_click
        )
        self._new_criterion_message = message("tradeoff-new-criterion-message")

        # one cell in detail: its score and one-line justification
        self._cell_option_dropdown = make(
            w.Dropdown,
            "tradeoff-cell-option",
            description="Option",
            tooltip="Which option's score to explain",
            layout={"width": "330px"},
        )
        self._cell_criterion_dropdown = make(
            w.Dropdown,
            "tradeoff-cell-criterion",
            description="Criterion",
            tooltip="Which criterion's score to explain",
            layout={"width": "330px"},
        )
        self._cell_score_text = text_input("tradeoff-cell-score", tooltip=grid.SCORE_HELP)
        self._cell_why_text = text_input("tradeoff-cell-why")
        self._cell_message = message("tradeoff-cell-message")
        for dropdown in (self._cell_option_dropdown, self._cell_criterion_dropdown):
            dropdown.observe(self._on_cell_dropdown_value, names="value")
        self._cell_score_text.observe(self._on_cell_score_text_value, names="value")
        self._cell_why_text.observe(self._on_cell_why_text_value, names="value")

        # charts
        self._totals_view = ChartView(
            TotalsSvg(), totals_summary, "tradeoff-totals-chart", self._matrix
        )
        self._sensitivity_view = ChartView(
            SensitivitySvg(), sensitivity_summary, "tradeoff-sensitivity-chart", self._matrix
        )

        # the reference stays out of every widget until the learner asks for it
        self._reference_toggle = make(
            w.ToggleButton,
            "tradeoff-reference-toggle",
            value=False,
            description="Compare with reference",
            icon="eye",
            tooltip="Reveal the reference scores, their reasons and the recommendation. "
            "Commit to your own matrix first.",
            layout={"width": "auto"},
        )
        self._reference_toggle.observe(self._on_reference_toggle_value, names="value")
        self._reference_html = html_widget("", "tradeoff-reference")

        self.children = [
            self._title(
                "Trade-off matrix",
                f"Scores {SCALE[0]}-{SCALE[1]}, higher is always better. Type a value and press "
                "Enter; the totals and charts follow.",
            ),
            self._status,
            self._grid_scroller,
            self._grid_notes,
            self._ranking_html,
            self._key_html,
            field_row(self._new_option_text, self._add_option_button, self._new_option_message),
            field_row(
                self._new_criterion_text,
                self._new_criterion_weight_text,
                self._add_criterion_button,
                self._new_criterion_message,
            ),
            heading("Explain a score", 5),
            field_row(self._cell_option_dropdown, self._cell_criterion_dropdown),
            field_row(self._cell_score_text, self._cell_why_text, self._cell_message),
            self._totals_view,
            self._sensitivity_view,
            self._reference_toggle,
            self._reference_html,
        ]
        self._refresh(inputs=True)

    # the session may swap in a new matrix object (import, reference): never hold on to one
    @property
    def _matrix(self) -> TradeOffMatrix:
        return self._session.matrix

    # -- grid ------------------------------------------------------------------------------------
    def _build_grid(self) -> None:
        """Create the grid's inputs for the matrix's current shape (only when the shape changes).

        Rows of fixed-width cells rather than a CSS grid: each option's message must sit on a
        line of its own under the row (so it is in view however far the row scrolls), and the
        front end ignores ``grid_column`` spans. The inputs start with the model's values, so
        the ``_sync_inputs`` that follows has nothing to send.
        """
        m = self._matrix
        n_crit = len(m.criteria)
        self._criterion_name_texts: list[w.Text] = []
        self._weight_texts: list[w.Text] = []
        self._criterion_remove_buttons: list[w.Button] = []
        self._criterion_messages: list[w.HTML] = []
        header: list[w.Widget] = [
            grid.sticky(
                [
                    make(w.HTML, value="<b>Option</b>", layout=grid.cell(grid.NAME_PX)),
                    make(w.HTML, value="<b>Total</b>", layout=grid.cell(grid.TOTAL_PX)),
                    make(w.HTML, value="<b>Rank</b>", layout=grid.cell(grid.RANK_PX)),
                ]
            )
        ]
        for j, crit in enumerate(m.criteria):
            name = grid.text_cell(
                grid.criterion_label(j),
                crit.name,
                tooltip=grid.criterion_tooltip(crit),
                width=grid.CELL_PX,
                names=("tradeoff-criterion-name",),
                in_row=False,
            )
            weight = grid.text_cell(
                grid.weight_label(crit.name),
                fmt_number(crit.weight),
                tooltip="Weight of this criterion (any non-negative number)",
                placeholder="weight",
                width=grid.CELL_PX,
                names=("tradeoff-weight",),
                in_row=False,
            )
            remove = button(
                "tradeoff-remove-criterion",
                tooltip=f"Remove the criterion {crit.name}",
                layout={"width": f"{grid.CELL_PX}px"},
                on_click=partial(self._on_criterion_remove_click, j),
            )
            note = message("tradeoff-criterion-message")
            name.observe(partial(self._on_criterion_name_value, j), names="value")
            weight.observe(partial(self._on_weight_text_value, j), names="value")
            self._criterion_name_texts.append(name)
            self._weight_texts.append(weight)
            self._criterion_remove_buttons.append(remove)
            self._criterion_messages.append(note)
            # a box has no margin of its own while its inputs do: widen it by theirs to align
            header.append(
                make(
                    w.VBox,
                    children=[name, weight, remove],
                    layout=grid.cell(grid.CELL_PX + 2 * grid.MARGIN_PX),
                )
            )
        rows: list[w.Widget] = [grid.row(header, "grid-header")]

        self._option_name_texts: list[w.Text] = []
        self._option_remove_buttons: list[w.Button] = []
        self._score_texts: list[list[w.Text]] = []
        self._total_htmls: list[w.HTML] = []
        self._rank_htmls: list[w.HTML] = []
        self._row_messages: list[w.HTML] = []
        results = self._result_cells()  # the totals and ranks start right (no update to follow)
        for i, opt in enumerate(m.options):
            name = grid.text_cell(
                grid.option_label(i),
                opt.name,
                tooltip=opt.description or opt.name,
                width=grid.NAME_PX,
                names=("tradeoff-option-name",),
            )
            remove = button(
                "tradeoff-remove-option",
                tooltip=f"Remove the option {opt.name}",
                layout=grid.cell(grid.CELL_PX),
                on_click=partial(self._on_option_remove_click, i),
            )
            name.observe(partial(self._on_option_name_value, i), names="value")
            row_scores = []
            for j, crit in enumerate(m.criteria):
                cell = m.cell(opt.name, crit.name)
                score = grid.text_cell(
                    grid.score_label(opt.name, crit.name),
                    fmt_number(cell.score),
                    tooltip=grid.score_tooltip(opt.name, crit.name, cell),
                    placeholder="1-5",
                    width=grid.CELL_PX,
                    names=("tradeoff-score",),
                )
                score.observe(partial(self._on_score_text_value, i, j), names="value")
                row_scores.append(score)
            total = make(
                w.HTML, "tradeoff-total", value=results[i][0], layout=grid.cell(grid.TOTAL_PX)
            )
            rank = make(
                w.HTML, "tradeoff-rank", value=results[i][1], layout=grid.cell(grid.RANK_PX)
            )
            note = message("tradeoff-row-message", "grid-sticky")
            self._option_name_texts.append(name)
            self._option_remove_buttons.append(remove)
            self._score_texts.append(row_scores)
            self._total_htmls.append(total)
            self._rank_htmls.append(rank)
            self._row_messages.append(note)
            rows.append(
                make(
                    w.VBox,
                    children=[
                        grid.row([grid.sticky([name, total, rank]), *row_scores, remove]),
                        note,
                    ],
                )
            )
        with self._grid.hold_sync():
            for old in (*descendants(self._grid), *self._grid_notes.children):
                old.close()
            self._grid.children = rows
            self._grid_notes.children = self._criterion_messages
        self._shape = (len(m.options), n_crit)

    def _sync_inputs(self) -> None:
        """Write the model's names, weights and scores into the inputs (after outside changes)."""
        m = self._matrix
        with self._quiet():
            for j, crit in enumerate(m.criteria):
                self._criterion_name_texts[j].value = crit.name
                self._criterion_name_texts[j].tooltip = grid.criterion_tooltip(crit)
                self._weight_texts[j].value = fmt_number(crit.weight)
                self._weight_texts[j].description = grid.weight_label(crit.name)
                self._criterion_remove_buttons[j].tooltip = f"Remove the criterion {crit.name}"
                set_message(self._criterion_messages[j])
            for i, opt in enumerate(m.options):
                self._option_name_texts[i].value = opt.name
                self._option_name_texts[i].tooltip = opt.description or opt.name
                self._option_remove_buttons[i].tooltip = f"Remove the option {opt.name}"
                set_message(self._row_messages[i])
                for j, crit in enumerate(m.criteria):
                    self._sync_score_cell(i, j, opt.name, crit.name)

    def _sync_score_cell(self, i: int, j: int, option: str, criterion: str) -> None:
        cell = self._matrix.cell(option, criterion)
        text = self._score_texts[i][j]
        with self._quiet():
            text.value = fmt_number(cell.score)
        text.tooltip = grid.score_tooltip(option, criterion, cell)
        text.description = grid.score_label(option, criterion)
        text.remove_class("staffplus-invalid")

    # -- refresh ---------------------------------------------------------------------------------
    def _refresh(self, inputs: bool = False) -> None:
        m = self._matrix
        with self.hold_sync():
            if self._shape != (len(m.options), len(m.criteria)):
                self._build_grid()
                inputs = True
            if inputs:
                self._sync_inputs()
                self._sync_cell_dropdowns()
            self._show_results()
            self._show_cell()
            if self._reference_toggle.value:
                self._reference_html.value = grid.reference_matrix_html(
                    self._scenario, self._matrix, self._session.variants
                )
        self._set_value(m.to_dict())

    def _result_cells(self) -> list[tuple[str, str]]:
        """Per option, the HTML of its total and of its rank (or why it is excluded)."""
        m = self._matrix
        status = option_status(m)
        reasons = {e.option: e for e in m.exclusions}
        out = []
        for name in m.option_names():
            state, total, label = status[name]
            if state == "excluded":
                e = reasons[name]
                text = (
                    f"<span class='staffplus-excluded' title='{esc(e.reason)}'>excluded by "
                    f"{esc(e.constraint)}: {esc(e.reason)}</span>"
                )
            elif state == "winner":
                text = f"<b class='staffplus-winner'>{esc(label)}</b>"
            else:
                text = esc(label)
            out.append((f"{total:.2f}" if m.criteria else "-", text))
        return out

    def _show_results(self) -> None:
        m = self._matrix
        for total_html, rank_html, (total, rank) in zip(
            self._total_htmls, self._rank_htmls, self._result_cells()
        ):
            if total_html.value != total:
                total_html.value = total
            if rank_html.value != rank:
                rank_html.value = rank
        ranking = m.ranking()
        if len(ranking.winners) > 1:
            line = (
                "<b>Tie for first:</b> "
                + esc(" and ".join(ranking.winners))
                + ". Break it with a weight or a score before you recommend one."
            )
        elif ranking.winners:
            line = f"<b>Your recommendation:</b> {esc(ranking.winners[0])}"
        elif m.options and m.criteria:
            line = "<b>No feasible option:</b> every option is excluded by a constraint."
        else:
            line = "Add at least one option and one criterion."
        self._ranking_html.value = f"<p>{line}</p>"
        key = grid.key_html(m)
        if self._key_html.value != key:
            self._key_html.value = key
        self._totals_view.show(m)
        self._sensitivity_view.show(m)

    def _sync_cell_dropdowns(self) -> None:
        m = self._matrix
        with self._quiet():
            for dropdown, names in (
                (self._cell_option_dropdown, m.option_names()),
                (self._cell_criterion_dropdown, m.criterion_names()),
            ):
                keep = dropdown.index
                dropdown.options = names
                if names:
                    dropdown.index = keep if keep is not None and keep < len(names) else 0

    def _show_cell(self) -> None:
        option = self._cell_option_dropdown.value
        criterion = self._cell_criterion_dropdown.value
        enabled = bool(option and criterion)
        self._cell_score_text.disabled = self._cell_why_text.disabled = not enabled
        with self._quiet():
            if enabled:
                cell = self._matrix.cell(option, criterion)
                self._cell_score_text.value = fmt_number(cell.score)
                self._cell_why_text.value = cell.why
            else:
                self._cell_score_text.value = self._cell_why_text.value = ""

    # -- handlers: grid --------------------------------------------------------------------------
    def _on_score_text_value(self, i: int, j: int, change: dict[str, Any]) -> None:
        if self._is_quiet:
            return
        option, criterion = self._matrix.options[i].name, self._matrix.criteria[j].name
        cell_text = self._score_texts[i][j]
        if self._edit(
            lambda: self._matrix.set_score(option, criterion, change["new"]),
            self._row_messages[i],
            "tradeoff",
        ):
            self._sync_score_cell(i, j, option, criterion)
        else:
            cell_text.add_class("staffplus-invalid")

    def _on_option_name_value(self, i: int, change: dict[str, Any]) -> None:
        if self._is_quiet:
            return
        old = self._matrix.options[i].name
        self._edit(
            lambda: self._matrix.rename_option(old, change["new"]),
            self._row_messages[i],
            "tradeoff",
            lambda: self._refresh(inputs=True),
        )

    def _on_option_remove_click(self, i: int, _button: w.Button) -> None:
        name = self._matrix.options[i].name
        self._edit(lambda: self._matrix.remove_option(name), None, "tradeoff")

    def _on_criterion_name_value(self, j: int, change: dict[str, Any]) -> None:
        if self._is_quiet:
            return
        old = self._matrix.criteria[j].name
        note = self._criterion_messages[j]
        self._edit(
            lambda: self._matrix.rename_criterion(old, change["new"]),
            note,
            "tradeoff",
            lambda: self._refresh(inputs=True),
            # under the grid, the message says which column it is about
            on_error=lambda e: set_message(note, f"Renaming criterion '{old}': {e}"),
        )

    def _on_weight_text_value(self, j: int, change: dict[str, Any]) -> None:
        if self._is_quiet:
            return
        name = self._matrix.criteria[j].name
        self._edit(
            lambda: self._matrix.set_weight(name, change["new"]),
            self._criterion_messages[j],
            "tradeoff",
        )

    def _on_criterion_remove_click(self, j: int, _button: w.Button) -> None:
        name = self._matrix.criteria[j].name
        self._edit(
            lambda: self._matrix.remove_criterion(name), self._criterion_messages[j], "tradeoff"
        )

    def _on_add_option_button_click(self, _button: w.Button) -> None:
        def add() -> None:
            self._matrix.add_option(self._new_option_text.value)
            with self._quiet():
                self._new_option_text.value = ""

        self._when_typing_has_arrived(
            _button,
            lambda last: self._edit_or_wait(add, self._new_option_message, last),
            self._new_option_message,
        )

    def _on_add_criterion_button_click(self, _button: w.Button) -> None:
        def add() -> None:
            self._matrix.add_criterion(
                self._new_criterion_text.value, self._new_criterion_weight_text.value
            )
            with self._quiet():
                self._new_criterion_text.value = ""
                self._new_criterion_weight_text.value = "1"

        self._when_typing_has_arrived(
            _button,
            lambda last: self._edit_or_wait(add, self._new_criterion_message, last),
            self._new_criterion_message,
        )

    def _edit_or_wait(self, add: Any, note: w.HTML, last: bool) -> bool:
        """``_edit`` the add; a refusal shows only on the last try (a value may still arrive)."""
        done = self._edit(
            add, note, "tradeoff", on_error=lambda e: last and set_message(note, str(e))
        )
        if done:
            set_message(note)
        return done

    # -- handlers: one cell in detail ------------------------------------------------------------
    def _on_cell_dropdown_value(self, change: dict[str, Any]) -> None:
        if self._is_quiet:
            return
        set_message(self._cell_message)
        try:
            self._show_cell()
        except Exception as exc:
            self._unexpected(exc)

    def _selected_cell(self) -> tuple[str, str, int, int]:
        option = self._cell_option_dropdown.value
        criterion = self._cell_criterion_dropdown.value
        return (
            option,
            criterion,
            self._matrix.option_names().index(option),
            self._matrix.criterion_names().index(criterion),
        )

    def _on_cell_score_text_value(self, change: dict[str, Any]) -> None:
        if self._is_quiet or not self._cell_option_dropdown.value:
            return
        option, criterion, i, j = self._selected_cell()

        def after() -> None:
            self._sync_score_cell(i, j, option, criterion)
            set_message(self._row_messages[i])
            self._refresh()

        self._edit(
            lambda: self._matrix.set_score(option, criterion, change["new"]),
            self._cell_message,
            "tradeoff",
            after,
        )

    def _on_cell_why_text_value(self, change: dict[str, Any]) -> None:
        if self._is_quiet or not self._cell_option_dropdown.value:
            return
        option, criterion, i, j = self._selected_cell()
        score = self._matrix.cell(option, criterion).score
        self._edit(
            lambda: self._matrix.set_score(option, criterion, score, change["new"]),
            self._cell_message,
            "tradeoff",
            lambda: self._sync_score_cell(i, j, option, criterion),
        )

    # -- reference -------------------------------------------------------------------------------
    def _on_reference_toggle_value(self, change: dict[str, Any]) -> None:
        try:
            self._reference_html.value = (
                grid.reference_matrix_html(self._scenario, self._matrix, self._session.variants)
                if change["new"]
                else ""
            )
            self._reference_toggle.description = (
                "Hide reference" if change["new"] else "Compare with reference"
            )
        except Exception as exc:
            self._unexpected(exc)

    # -- outside changes -------------------------------------------------------------------------
    def _on_session_changed(self, what: str) -> None:
        if what in ("tradeoff", "variants", "import", "reference"):
            self._refresh(inputs=True)
