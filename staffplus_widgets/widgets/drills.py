"""Drill widgets: judgment vs recall, rewrite a senior answer, and timed risk spotting."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as W

from .. import workfile
from ..core import fileio
from ..core import validation as v
from ..core.errors import StaffplusError
from ..data.scenario import get_pack, get_scenario
from ..practice.drills import (
    grade_judgment,
    judgment_statements,
    legacy_key,
    rewrite_feedback,
    spot_risks,
)
from ..practice.session import WorkSession
from ._common import (
    SaveStatus,
    button,
    make,
    set_message,
)
from ._common import esc as _esc
from ._views import BriefRepr, TextValue

MAX_DRILL_BYTES = 1_000_000
MAX_SPOTTING_ROUNDS = 200  # risk-spotting rounds a work file keeps, the latest ones


def _drill_store(raw: bytes) -> dict[str, Any]:
    """The saved drill answers in ``raw``; ValueError for anything but the expected shape.

    ``{"judgment": {"answers": {"<scenario>:<n>": "recall" | "judgment"}, "last_score": [right,
    answered]}}``; an answer under an older file's place in the drill ("7") is read under its
    statement's key (``drills.legacy_key``). Parts of another shape are dropped, so a hand-edited
    file can never break the drill.
    """
    data = json.loads(raw.decode("utf-8").removeprefix("\ufeff"))
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    judgment = data.get("judgment")
    if judgment is None:
        return {}
    if not isinstance(judgment, dict):
        raise ValueError("'judgment' is not an object")
    answers = judgment.get("answers", {})
    if not isinstance(answers, dict):
        raise ValueError("'judgment.answers' is not an object")
    clean: dict[str, str] = {}
    for k, a in answers.items():
        if not isinstance(k, str) or a not in ("recall", "judgment"):
            continue
        if k.isdigit():
            key = legacy_key(k)
            if key is not None:
                clean.setdefault(key, a)  # a key written since wins over an old place
        elif ":" in k:
            clean[k] = a
    out: dict[str, Any] = {"judgment": {"answers": clean}}
    score = judgment.get("last_score")
    if isinstance(score, list) and len(score) == 2 and all(type(x) is int for x in score):
        out["judgment"]["last_score"] = score
    return out


class JudgmentDrill(BriefRepr, W.VBox):
    """Classify statements as knowledge recall or engineering judgment; see the score and what was wrong.

    Answers are saved to ``<work dir>/drills.json`` so they survive a kernel restart.
    """

    def __init__(self, *, path: str | os.PathLike[str] | None = None, limit: int | None = None):
        self.notice = ""
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, int) or limit < 1
        ):
            # [:-1] would drop the last statement, [:0] show none, [:2.5] raise
            self.notice = f"limit must be a whole number of statements, 1 or more (got {limit!r}); showing all."
            limit = None
        self.statements = judgment_statements(get_pack())[:limit]
        self.path = Path(workfile.default_dir() / "drills.json" if path is None else path)
        self._read_only = False
        refused_limit, self.notice = self.notice, ""
        self._store = self._load()
        self.notice = " ".join(n for n in (refused_limit, self.notice) if n)
        saved = self._store.get("judgment", {}).get("answers", {})
        self._choices: list[W.ToggleButtons] = []
        cells: list[W.Widget] = []
        for i, st in enumerate(self.statements):
            answer = saved.get(st.key)
            toggle = make(
                W.ToggleButtons,
                "judgment-choice",
                options=[("Recall", "recall"), ("Judgment", "judgment")],
                value=answer if answer in ("recall", "judgment") else None,
                # the buttons' names repeat on every row: the tooltip says which statement
                tooltips=[
                    f"Statement {i + 1} is recall: knowledge anyone can look up",
                    f"Statement {i + 1} is judgment: a choice tied to a constraint",
                ],
                style={"button_width": "90px"},
            )
            toggle.observe(self._on_choice_change, names="value")
            self._choices.append(toggle)
            cells += [
                toggle,
                make(
                    W.HTML,
                    value=f"<span style='padding-left:8px'>{i + 1}. "
                    f"{_esc(st.statement)} <i>({_esc(st.scenario)})</i></span>",
                ),
            ]
        # one grid: every pair of buttons in one column, every statement beside its pair, so
        # the rows line up however long a statement is (and wrap in their own column)
        grid = make(
            W.GridBox,
            "judgment-grid",
            children=cells,
            layout={
                "grid_template_columns": "max-content minmax(0, 1fr)",
                "align_items": "center",
                "grid_gap": "4px 0",
            },
        )
        self._submit_button = button(
            "judgment-submit", style="primary", on_click=self._on_submit_button_click
        )
        self._result = W.HTML()
        self._result.add_class("staffplus-judgment-result")
        intro = (
            f"<b>{len(self.statements)} statements.</b> Is each one knowledge recall or engineering judgment?"
            + (f"<p style='color:#b00020'>{_esc(self.notice)}</p>" if self.notice else "")
        )
        self._status = W.HTML()  # a save that fails later says so here
        super().__init__([W.HTML(intro), grid, self._submit_button, self._result, self._status])
        self.add_class("staffplus-judgment-drill")

    @property
    def value(self) -> dict[int, str]:
        return {i: t.value for i, t in enumerate(self._choices) if t.value}

    @value.setter
    def value(self, answers: dict[int, str]) -> None:
        with self.hold_sync():
            for i, toggle in enumerate(self._choices):
                toggle.value = answers.get(i)

    def submit(self) -> dict[str, Any]:
        """Score the current answers (what the button does); returns the graded result."""
        self._on_submit_button_click(None)
        return grade_judgment(self.statements, self.value)

    def _load(self) -> dict[str, Any]:
        p = Path(self.path)
        if not os.path.lexists(p):
            return {}
        try:
            data = _drill_store(fileio.read_regular(p, MAX_DRILL_BYTES, what="drill file"))
        except (StaffplusError, ValueError, RecursionError) as exc:
            reason = exc.reason if isinstance(exc, StaffplusError) else str(exc)
            try:
                moved = workfile.move_aside(p)
            except (OSError, StaffplusError):
                self._read_only = True
                self.notice = (
                    f"Your saved drill answers at {p} could not be read ({reason}) or moved aside; "
                    "they are left as they are, and answers here are not saved."
                )
                return {}
            self.notice = (
                f"Your saved drill answers could not be read ({reason}); the file was moved to "
                f"{moved}."
            )
            return {}
        return data

    def _save(self) -> None:
        if self._read_only:
            return
        # ASCII escapes: a lone surrogate pasted into a drill can never stop a later save
        data = json.dumps(self._store, ensure_ascii=True).encode("ascii")
        try:
            workfile.write_atomic(self.path, data)
        except OSError as exc:
            self.notice = f"Your drill answers could not be saved to {self.path}: {exc}"
            if hasattr(self, "_status"):
                set_message(self._status, self.notice)
        else:
            if hasattr(self, "_status"):
                set_message(self._status)

    def _on_choice_change(self, _change: dict[str, Any]) -> None:
        answers = self._store.setdefault("judgment", {}).setdefault("answers", {})
        for i, toggle in enumerate(self._choices):
            # statements beyond ``limit`` keep their saved answers
            if toggle.value:
                answers[self.statements[i].key] = toggle.value
            else:
                answers.pop(self.statements[i].key, None)
        self._save()

    def _on_submit_button_click(self, _button: W.Button | None) -> None:
        result = grade_judgment(self.statements, self.value)
        self._store.setdefault("judgment", {})["last_score"] = [result["score"], result["answered"]]
        self._save()
        left = result["total"] - result["answered"]
        if not result["answered"]:
            self._result.value = "<p>Classify at least one statement, then check.</p>"
            return
        parts = [
            f"<p><b>Score: {result['score']} / {result['answered']}</b> answered"
            + (f"; {left} not answered yet (their answers stay hidden)" if left else "")
            + "</p>"
        ]
        if result["wrong"]:
            parts.append("<ul>")
            for w in result["wrong"]:
                parts.append(
                    f"<li><b>{w['index'] + 1}.</b> {_esc(w['statement'])}<br>You said "
                    f"<i>{_esc(w['given'])}</i>; it is <b>{_esc(w['expected'])}</b>. "
                    f"{_esc(w['explanation'])}</li>"
                )
            parts.append("</ul>")
        else:
            parts.append("<p>All correct.</p>")
        self._result.value = "".join(parts)


class RewriteDrill(TextValue, BriefRepr, W.VBox):
    """Rewrite the scenario's senior-level answer as a Staff+ answer; see which signals the rewrite added."""

    _text_attr = "_rewrite"

    def __init__(
        self,
        scenario_id: str,
        *,
        learner: str = "",
        path: str | os.PathLike[str] | None = None,
        autosave_delay: float = 0.75,
        session: WorkSession | None = None,
    ):
        self.scenario = get_scenario(scenario_id)
        self.work = session or WorkSession(
            self.scenario, path, learner=learner, autosave_delay=autosave_delay
        )
        saved = self.work.drills.get("rewrite", {})
        self._senior = W.HTML(
            "<b>Senior-level answer</b><div style='white-space:pre-wrap;border:1px solid #ccc;"
            f"padding:6px'>{_esc(self.scenario.data['exemplars']['senior'])}</div>"
        )
        self._rewrite = W.Textarea(
            value=saved.get("text", ""),
            placeholder="Your Staff+ rewrite...",
            description="Rewrite",
            layout=W.Layout(width="100%", height="200px"),
        )
        self._rewrite.add_class("staffplus-rewrite-text")
        self._check_button = button(
            "rewrite-check", style="primary", on_click=self._on_check_button_click
        )
        self._result = W.HTML()
        self._result.add_class("staffplus-rewrite-result")
        super().__init__(
            [self._senior, self._rewrite, self._check_button, self._result, SaveStatus(self.work)]
        )
        self.add_class("staffplus-rewrite-drill")

    def check(self) -> None:
        """Compare the rewrite with the senior answer (what the button does)."""
        self._on_check_button_click(None)

    def _on_check_button_click(self, _button: W.Button | None) -> None:
        fb = rewrite_feedback(self.scenario, self._rewrite.value)
        self.work.drills["rewrite"] = {
            "text": self._rewrite.value,
            "score_before": fb["score_before"],
            "score_after": fb["score_after"],
            "added_items": fb["added_items"],
            "added_signals": fb["added_signals"],
        }
        self.work.changed("drills")
        items = {i["id"]: i for i in self.scenario.rubric}
        from ..feedback import SIGNALS

        parts = [
            f"<p><b>Score {fb['score_before']} &rarr; {fb['score_after']}</b></p>",
            "<p>Signals your rewrite added: "
            + (", ".join(_esc(SIGNALS[s]) for s in fb["added_signals"]) or "none")
            + "</p>",
            "<p>Still missing: "
            + (", ".join(_esc(SIGNALS[s]) for s in fb["missing_signals"]) or "nothing")
            + "</p>",
            f"<p>Rubric points added ({len(fb['added_items'])}):</p><ul>",
        ]
        parts += [
            f"<li>{_esc(items[i]['point'])} <i>[{_esc(items[i]['category'])}]</i></li>"
            for i in fb["added_items"]
        ]
        parts.append("</ul>")
        if fb["added_categories"]:
            parts.append("<p>New categories: " + _esc(", ".join(fb["added_categories"])) + "</p>")
        self._result.value = "".join(parts)


class RiskSpottingDrill(BriefRepr, W.VBox):
    """A timed 'what could go wrong?' round: list risks, then see what you found and missed."""

    def __init__(
        self,
        scenario_id: str,
        *,
        learner: str = "",
        path: str | os.PathLike[str] | None = None,
        limit_s: float = 180.0,
        autosave_delay: float = 0.75,
        session: WorkSession | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.scenario = get_scenario(scenario_id)
        self.work = session or WorkSession(
            self.scenario, path, learner=learner, autosave_delay=autosave_delay
        )
        self.notice = ""
        try:
            self.limit_s = v.seconds("time limit (seconds)", limit_s)
        except StaffplusError as exc:
            self.limit_s = 180.0
            self.notice = f"{exc}. Using 3 minutes instead."
        limit_s = self.limit_s
        self._clock = clock
        self._started: float | None = None
        self._start_button = button(
            "spotting-start", on_click=self._on_start_button_click, minutes=limit_s / 60
        )
        self._text = W.Textarea(
            placeholder="One risk per line",
            description="Risks",
            disabled=True,
            layout=W.Layout(width="100%", height="160px"),
        )
        self._text.add_class("staffplus-spotting-text")
        self._done_button = button(
            "spotting-done", style="primary", disabled=True, on_click=self._on_done_button_click
        )
        self._result = W.HTML()
        self._result.add_class("staffplus-spotting-result")
        notice = (
            f"<p class='staffplus-error' style='color:#b00020'>{_esc(self.notice)}</p>"
            if self.notice
            else ""
        )
        super().__init__(
            [
                W.HTML(f"<b>What could go wrong?</b> {_esc(self.scenario.title)}{notice}"),
                self._start_button,
                self._text,
                self._done_button,
                self._result,
                SaveStatus(self.work),
            ]
        )

    @property
    def value(self) -> str:
        return self._text.value

    @value.setter
    def value(self, text: str) -> None:
        self._text.value = text

    def start(self) -> None:
        self._on_start_button_click(None)

    def done(self) -> None:
        self._on_done_button_click(None)

    def _on_start_button_click(self, _button: W.Button | None) -> None:
        self._started = self._clock()
        self._text.disabled = False
        self._done_button.disabled = False
        self._start_button.disabled = True
        self._result.value = ""

    def _on_done_button_click(self, _button: W.Button | None) -> None:
        if self._started is None:
            self._result.value = (
                "<span class='staffplus-error' style='color:#b00020'>Start the round first.</span>"
            )
            return
        used = self._clock() - self._started
        try:
            res = spot_risks(self.scenario, self._text.value, used, self.limit_s)
        except StaffplusError as exc:
            self._result.value = (
                f"<span class='staffplus-error' style='color:#b00020'>{_esc(exc)}</span>"
            )
            return
        history = self.work.drills.setdefault("risk_spotting", [])
        del history[: max(0, len(history) - (MAX_SPOTTING_ROUNDS - 1))]  # the schema keeps 200
        history.append(
            {
                "found": [f["id"] for f in res["found"]],
                "lines": res["lines"],
                "seconds": res["seconds_used"],
            }
        )
        self.work.changed("drills")
        self._start_button.disabled = False
        self._done_button.disabled = True
        self._text.disabled = True
        over = (
            " (over time: in the interview you would have been cut off)" if res["over_time"] else ""
        )
        parts = [
            f"<p><b>Found {len(res['found'])} of {len(self.scenario.rubric)}</b> in {res['seconds_used']:.0f} s{over}.</p>",
            "<p>Found:</p><ul>",
        ]
        parts += [
            f"<li>&#10003; {_esc(f['id'])} [{_esc(f['category'])}]: &ldquo;{_esc(f['line'])}&rdquo;</li>"
            for f in res["found"]
        ]
        parts.append("</ul><p>Missed (the reference):</p><ul>")
        parts += [
            f"<li>&#10007; {_esc(m['point'])} [{_esc(m['category'])}]</li>" for m in res["missed"]
        ]
        parts.append("</ul>")
        if res["unmatched_lines"]:
            parts.append(
                "<p>Lines that matched no rubric item (may still be good risks): "
                + "; ".join(_esc(x) for x in res["unmatched_lines"])
                + "</p>"
            )
        self._result.value = "".join(parts)
