"""ScenarioCard: the prompt, context and constraints, clarifying questions, constraint variants."""

from __future__ import annotations

from functools import partial
from typing import Any

import ipywidgets as w

from ..core.errors import StaffplusError
from ._common import (
    ROW,
    STYLE,
    esc,
    html_widget,
    make,
    message,
    set_message,
)
from ._views import SessionView

# Which context fields are facts about the product and which bind the design.
CONTEXT_FIELDS = ("product", "scale", "labels")
CONSTRAINT_FIELDS = ("latency_budget", "team", "infrastructure", "regulation", "budget")


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _table(rows: list[tuple[str, str]]) -> str:
    body = "".join(
        f"<tr><th style='text-align:left;vertical-align:top;padding:2px 10px 2px 0'>{esc(k)}</th>"
        f"<td style='text-align:left;padding:2px 0'>{esc(' '.join(v.split()))}</td></tr>"
        for k, v in rows
    )
    return f"<table>{body}</table>"


class ScenarioCard(SessionView):
    """The scenario as the interviewer states it, with reveals and constraint variant toggles.

    Turning a variant on calls ``session.set_variant(id, True)``, which excludes the options it
    rules out and notifies every other view (the trade-off matrix recomputes its recommendation).
    ``value`` is ``{"variants": [active variant ids], "revealed": [indices of revealed
    answers], "hinted": [indices of questions whose hint is shown]}``.
    """

    css_name = "scenario-card"

    def _build(self) -> None:
        scenario, session = self._scenario, self._session
        data = scenario.data
        context = data["context"]
        # the scenario as it is read, top to bottom, in one widget (each part keeps its class)
        self._scenario_html = html_widget(
            # the views' CSS rides along (see SessionView._title)
            f"{STYLE}<div class='staffplus-card-title'><h3 style='margin:4px 0'>"
            f"{esc(data['title'])}</h3><p><i>{esc(data['summary'])}</i></p></div>"
            "<div class='staffplus-card-prompt'><b>The interviewer says</b>"
            "<blockquote style='margin:4px 0 8px 16px'>"
            f"{esc(' '.join(data['prompt'].split()))}</blockquote></div>"
            "<div class='staffplus-card-context'><b>Context</b>"
            + _table([(_label(k), context[k]) for k in CONTEXT_FIELDS])
            + "</div><div class='staffplus-card-constraints'><b>Constraints</b>"
            + _table([(_label(k), context[k]) for k in CONSTRAINT_FIELDS])
            + "</div><h4 style='margin:8px 0 4px 0'>Clarifying questions</h4>",
            "card-scenario",
        )

        # clarifying questions: ask first, take a hint if stuck, then reveal the interviewer's answer
        self._question_toggles: list[w.ToggleButton] = []
        self._hint_toggles: list[w.ToggleButton] = []
        self._answer_htmls: list[w.HTML] = []
        question_rows: list[w.Widget] = []
        for i, q in enumerate(data["clarifying_questions"]):
            hint = make(
                w.ToggleButton,
                "card-hint",
                value=False,
                description="Hint",
                tooltip="A nudge on what the answer would change, without the answer",
                icon="lightbulb-o",
                layout={"width": "auto"},
                disabled=not q.get("hint"),
            )
            hint.observe(partial(self._on_question_toggle_value, i), names="value")
            self._hint_toggles.append(hint)
            toggle = make(
                w.ToggleButton,
                "card-reveal",
                value=False,
                description="Reveal answer",
                tooltip="Decide what you would do with each possible answer, then reveal "
                "the interviewer's answer and how it changes the design",
                icon="eye",
                layout={"width": "auto"},
            )
            toggle.observe(partial(self._on_question_toggle_value, i), names="value")
            answer = html_widget("", "card-answer")
            self._question_toggles.append(toggle)
            self._answer_htmls.append(answer)
            # the card is a column already: the answer goes straight under its question's row
            question_rows += [
                make(
                    w.HBox,
                    children=[
                        html_widget(f"<b>Q{i + 1}.</b> {esc(q['question'])}"),
                        hint,
                        toggle,
                    ],
                    layout=ROW,
                ),
                answer,
            ]

        # constraint variants: one checkbox each; the effect is spelled out before turning it on
        self._variant_checkboxes: dict[str, w.Checkbox] = {}
        self._variant_effects: dict[str, w.HTML] = {}
        variant_rows: list[w.Widget] = []
        for var in data["constraint_variants"]:
            checkbox = make(
                w.Checkbox,
                "card-variant",
                f"card-variant-{var['id']}",
                value=var["id"] in session.variants,
                description=var["title"],
                tooltip=" ".join(var["description"].split()),
                indent=False,
                layout={"width": "auto"},
            )
            checkbox.observe(partial(self._on_variant_checkbox_value, var["id"]), names="value")
            effect = html_widget(self._variant_effect(var), "card-variant-effect")
            self._variant_checkboxes[var["id"]] = checkbox
            self._variant_effects[var["id"]] = effect
            variant_rows += [checkbox, effect]
        self._variant_message = message("card-variant-message")

        self.children = [
            self._scenario_html,
            *question_rows,
            html_widget(
                "<h4 style='margin:8px 0 4px 0'>What if the constraints change?</h4>"
                "<small>Turn a variant on to see which options it rules out; the trade-off "
                "matrix recomputes its recommendation.</small>"
            ),
            *variant_rows,
            self._variant_message,
            self._status,
        ]
        self._refresh()

    # -- handlers --------------------------------------------------------------------------------
    def _on_question_toggle_value(self, index: int, _change: dict[str, Any]) -> None:
        """Show what the learner asked for under question ``index``: its hint, its answer, both."""
        try:
            q = self._scenario.data["clarifying_questions"][index]
            revealed = self._question_toggles[index].value
            hinted = self._hint_toggles[index].value and q.get("hint")
            parts = []
            if hinted:
                parts.append(f"<b>Hint:</b> {esc(' '.join(q['hint'].split()))}")
            if revealed:
                parts.append(
                    f"<b>Answer:</b> {esc(' '.join(q['answer'].split()))}"
                    f"<br><b>How it changes the design:</b> {esc(' '.join(q['changes'].split()))}"
                )
            self._answer_htmls[index].value = (
                f"<div style='margin:2px 0 8px 24px'>{'<br>'.join(parts)}</div>" if parts else ""
            )
            self._question_toggles[index].description = (
                "Hide answer" if revealed else "Reveal answer"
            )
            self._hint_toggles[index].description = "Hide hint" if hinted else "Hint"
            self._update_value()
        except Exception as exc:
            self._unexpected(exc)

    def _on_variant_checkbox_value(self, variant_id: str, change: dict[str, Any]) -> None:
        if self._is_quiet:
            return
        # set_variant saves and notifies the other views itself
        error: Exception | None = None
        self._emitting = True
        try:
            self._session.set_variant(variant_id, bool(change["new"]))
        except Exception as exc:
            error = exc
        finally:
            self._emitting = False
        if error is not None:
            with self._quiet():
                self._variant_checkboxes[variant_id].value = variant_id in self._session.variants
            if isinstance(error, StaffplusError):
                set_message(self._variant_message, str(error))
            else:
                self._unexpected(error)
            return
        set_message(self._variant_message)
        self._after_save()
        try:
            self._refresh()
        except Exception as exc:
            self._unexpected(exc)

    # -- view ------------------------------------------------------------------------------------
    def _refresh(self) -> None:
        with self.hold_sync(), self._quiet():
            for var in self._scenario.data["constraint_variants"]:
                vid = var["id"]
                self._variant_checkboxes[vid].value = vid in self._session.variants
                self._variant_effects[vid].value = self._variant_effect(var)
        self._update_value()

    def _variant_effect(self, var: dict[str, Any]) -> str:
        """What turning ``var`` on does, and whether it is on."""
        rules_out = [
            f"<li>rules out <b>{esc(ex['option'])}</b>: {esc(ex['reason'])}</li>"
            for ex in var["excludes"]
        ]
        weights = [
            f"<li>sets the weight of <b>{esc(c)}</b> to {wt:g}</li>"
            for c, wt in var.get("weight_changes", {}).items()
        ]
        state = ""
        if var["id"] in self._session.variants:
            names = self._session.matrix.option_names()
            missing = [ex["option"] for ex in var["excludes"] if ex["option"] not in names]
            state = "<b>Active.</b> "
            if missing:
                state += (
                    "(Options you renamed or removed are not excluded: "
                    + esc(", ".join(missing))
                    + ".) "
                )
        return (
            f"<div style='margin:0 0 6px 24px'>{state}{esc(' '.join(var['description'].split()))}"
            f"<ul style='margin:2px 0'>{''.join(rules_out + weights)}</ul></div>"
        )

    def _update_value(self) -> None:
        self._set_value(
            {
                "variants": list(self._session.variants),
                "revealed": [i for i, t in enumerate(self._question_toggles) if t.value],
                "hinted": [i for i, t in enumerate(self._hint_toggles) if t.value],
            }
        )

    def _on_session_changed(self, what: str) -> None:
        if what in ("variants", "import", "reference", "tradeoff"):
            self._refresh()
