"""MockInterview: a timed, phase-by-phase mock interview over ``interview.MockInterviewSession``.

The view is thin: the session decides what the interviewer asks and how items end; the widget shows
the phase, a clock that can be paused, the follow-ups, and at the end the scorecard with the senior
and Staff+ exemplars beside what the learner said. Finished attempts are saved in the work file, and
the history of earlier attempts is shown so progress is visible.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..core import timers
from ..core import validation as v
from ..core.errors import StaffplusError
from ..core.wording import count, when
from ..data.scenario import get_scenario, item_label
from ..practice import attempts
from ..practice.interview import ManualClock, MockInterviewSession, WallClock
from ..practice.session import WorkSession
from ._common import (
    SaveStatus,
    button,
)
from ._common import esc as _esc
from ._views import BriefRepr

_STATUS_MARK = {
    "unprompted": "&#10003; unprompted",
    "prompted": "~ prompted",
    "missed": "&#10007; missed",
}


def _mmss(seconds: float) -> str:
    sign = "-" if seconds < 0 else ""
    seconds = abs(int(round(seconds)))
    return f"{sign}{seconds // 60:02d}:{seconds % 60:02d}"


class MockInterview(BriefRepr, W.VBox):
    """A full mock interview for one scenario.

    Parameters
    ----------
    scenario_id : str
        Which scenario to interview on.
    learner : str
        Learner name; selects the work file (``<scenario>--<learner>.json``).
    path : str or Path, optional
        Work file path (overrides ``learner``).
    minutes : int, optional
        Interview length; phase budgets always add up to it (default 45).
    deterministic : bool
        No wall clock: time moves only through ``advance_clock`` (tests, papermill).
    autosave_delay : float
        Debounce for saving, in seconds (0 saves at once).
    """

    def __init__(
        self,
        scenario_id: str,
        *,
        learner: str = "",
        path: Any = None,
        minutes: int | None = None,
        deterministic: bool = False,
        autosave_delay: float = 0.75,
        session: WorkSession | None = None,
    ):
        self._ticker: Any = None  # first, so close() works on a half-built widget
        self._waiting = False  # a wall-clock attempt not started yet (see _new_interview)
        self.scenario = get_scenario(scenario_id)
        self.work = session or WorkSession(
            self.scenario, path, learner=learner, autosave_delay=autosave_delay
        )
        self.deterministic = deterministic
        self.minutes, problem = _interview_minutes(minutes, self.scenario.interview_minutes)
        self.interview = self._new_interview()

        self._title = W.HTML(layout=W.Layout(margin="0 0 4px 0"))
        self._title.add_class("staffplus-interview-title")
        self._clock_label = W.HTML()
        self._clock_label.add_class("staffplus-interview-clock")
        self._pause_button = button(
            "interview-pause", layout=W.Layout(width="auto"), on_click=self._on_pause_button_click
        )
        self._answer = W.Textarea(
            placeholder="What you would say in this phase, as you would say it...",
            description="Your answer",
            layout=W.Layout(width="100%", height="160px"),
            style={"description_width": "initial"},
        )
        self._answer.add_class("staffplus-interview-answer")
        self._submit_button = button(
            "interview-submit", style="primary", on_click=self._on_submit_button_click
        )
        self._message = W.HTML()
        self._message.add_class("staffplus-interview-message")
        self._followup_box = W.VBox()
        self._followup_answers: dict[str, W.Textarea] = {}
        self._continue_button = button(
            "interview-continue", on_click=self._on_continue_button_click
        )
        self._restart_button = button("interview-restart", on_click=self._on_restart_button_click)
        self._end_button = button("interview-end", on_click=self._on_end_button_click)
        self._scorecard = W.HTML()
        self._scorecard.add_class("staffplus-interview-scorecard")
        self._history = W.HTML()
        self._history.add_class("staffplus-interview-history")

        self._answer_row = W.VBox([self._answer, W.HBox([self._submit_button, self._end_button])])
        super().__init__(
            [
                self._title,
                W.HBox([self._clock_label, self._pause_button]),
                self._answer_row,
                self._followup_box,
                self._message,
                SaveStatus(self.work),
                self._scorecard,
                W.HBox([self._restart_button]),
                self._history,
            ]
        )
        self.add_class("staffplus-mock-interview")
        self._render()
        if problem:
            self._message.value = f"<span class='staffplus-error'>{_esc(problem)}</span>"
        self._start_ticker()

    # -- public --------------------------------------------------------------------------------------
    @property
    def value(self) -> dict[str, Any]:
        """The current attempt's scorecard (complete or not)."""
        return self.interview.scorecard()

    def advance_clock(self, minutes: float) -> None:
        """Deterministic mode only: move the interview clock forward."""
        if not isinstance(self.interview.clock, ManualClock):
            raise StaffplusError(
                "clock",
                "only a deterministic interview's clock can be advanced",
                None,
                has_value=False,
            )
        self.interview.clock.advance(minutes)
        self._render_clock()

    def play(self, answers: list[str], followup_answer: str = "") -> dict[str, Any]:
        """Answer every phase in turn (scripted runs: solved notebooks, demos). Returns the scorecard.

        In deterministic mode each phase uses exactly its budget.
        """
        for text in list(answers) + [""] * max(0, len(self.interview.phases) - len(answers)):
            if self.interview.stage == "done":
                break
            if isinstance(self.interview.clock, ManualClock):
                self.interview.clock.advance(self.interview.phase.budget_min)
            self._answer.value = text
            self._on_submit_button_click(None)
            if self.interview.stage == "followups":
                for box in self._followup_answers.values():
                    box.value = followup_answer
                self._on_continue_button_click(None)
        return self.value

    def close(self) -> None:
        if getattr(self, "_ticker", None) is not None:
            self._stop_ticker()
        super().close()

    # -- handlers ------------------------------------------------------------------------------------
    def _begin(self) -> None:
        """Answering before pressing Start starts the clock too."""
        if self._waiting:
            self._waiting = False
            self.interview.resume()

    def _on_submit_button_click(self, _button: Any) -> None:
        self._begin()
        try:
            self.interview.submit_answer(self._answer.value)
        except StaffplusError as exc:
            self._message.value = (
                f"<span class='staffplus-error' style='color:#b00020'>{_esc(exc)}</span>"
            )
            return
        self._answer.value = ""
        self._after_step()

    def _on_continue_button_click(self, _button: Any) -> None:
        if self.interview.stage != "followups":
            return
        try:
            for item_id, box in self._followup_answers.items():
                if box.value.strip():
                    self.interview.answer_followup(item_id, box.value)
            self.interview.finish_followups()
        except StaffplusError as exc:
            self._message.value = (
                f"<span class='staffplus-error' style='color:#b00020'>{_esc(exc)}</span>"
            )
            return
        self._after_step()

    def _on_pause_button_click(self, _button: Any) -> None:
        self._waiting = False  # the first press is Start
        if self.interview.paused:
            self.interview.resume()
        else:
            self.interview.pause()
        self._render_clock()

    def _on_restart_button_click(self, _button: Any) -> None:
        self.interview = self._new_interview()
        self._answer.value = ""
        self._render()
        self._start_ticker()

    def _on_end_button_click(self, _button: Any) -> None:
        if self.interview.stage == "done":
            return
        self._begin()
        if self.interview.stage == "answering" and self._answer.value.strip():
            try:
                self.interview.submit_answer(self._answer.value)
            except StaffplusError as exc:  # an answer over the length cap: say so, end nothing
                self._message.value = (
                    f"<span class='staffplus-error' style='color:#b00020'>{_esc(exc)}</span>"
                )
                return
            self._answer.value = ""
        self.interview.skip_to_end()
        self._after_step()

    # -- internals -----------------------------------------------------------------------------------
    def _new_interview(self) -> MockInterviewSession:
        """A new attempt. On the wall clock it waits, paused, for Start: Run All reaches this cell
        while the learner is still reading the top of the notebook."""
        clock = ManualClock() if self.deterministic else WallClock()
        interview = MockInterviewSession(self.scenario, self.minutes, clock)
        self._waiting = not self.deterministic
        if self._waiting:
            interview.pause()
        return interview

    def _after_step(self) -> None:
        self._message.value = ""
        if self.interview.stage == "done":
            card = self.interview.scorecard()
            self.work.interviews.append(card)
            # one save for both: the attempt joins the progress history with the scorecard
            self.work.record_attempt(attempts.from_interview(self.scenario, card))
            self._stop_ticker()
        self._render()

    def _start_ticker(self) -> None:
        if self.deterministic:
            return
        self._stop_ticker()

        def tick() -> None:
            if self.interview.stage == "done":
                return
            self._render_clock()
            # no threads needed (Pyodide has none); where nothing can wait, the clock shows
            # the time at each answer or button press instead of ticking
            self._ticker = timers.later(1.0, tick, run_now=False)

        tick()

    def _stop_ticker(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            self._ticker = None

    def _render_clock(self) -> None:
        iv = self.interview
        if iv.stage == "done":
            self._clock_label.value = "<b>Interview finished.</b>"
            return
        if self._waiting:
            self._clock_label.value = (
                f"<b>{iv.phase.budget_min:g} min</b> for this phase: the clock starts when you "
                "press <b>Start</b>"
            )
            self._pause_button.description, self._pause_button.icon = "Start", "play"
            return
        remaining = iv.remaining_s()
        style = "color:#b00020;font-weight:bold" if remaining < 0 else "font-weight:bold"
        state = " (paused)" if iv.paused else ""
        self._clock_label.value = (
            f"<span style='{style}'>{_mmss(remaining)}</span> left of "
            f"{iv.phase.budget_min:g} min for this phase{state}"
        )
        self._pause_button.description = "Resume" if iv.paused else "Pause"
        self._pause_button.icon = "play" if iv.paused else "pause"

    def _render(self) -> None:
        iv = self.interview
        with self.hold_sync():
            n = len(iv.phases)
            if iv.stage == "done":
                self._title.value = (
                    f"<h3>Mock interview: {_esc(self.scenario.title)}, finished</h3>"
                )
            else:
                self._title.value = (
                    f"<h3>Phase {iv.index + 1} of {n}: {_esc(iv.phase.title)}</h3>"
                    f"<p>{_esc(iv.phase.goal)}</p>"
                    + (
                        f"<blockquote>{_esc(self.scenario.data['prompt'].strip())}</blockquote>"
                        if iv.index == 0
                        else ""
                    )
                )
            self._answer_row.layout.display = "" if iv.stage == "answering" else "none"
            self._pause_button.layout.display = "none" if iv.stage == "done" else ""
            self._render_followups()
            self._render_clock()
            self._scorecard.value = self._scorecard_html() if iv.stage == "done" else ""
            self._history.value = self._history_html()

    def _render_followups(self) -> None:
        iv = self.interview
        if iv.stage != "followups":
            self._followup_box.children = ()
            self._followup_answers = {}
            return
        rows: list[W.Widget] = [W.HTML("<b>The interviewer asks:</b>")]
        self._followup_answers = {}
        for f in iv.phase.followups:
            box = W.Textarea(
                placeholder="Your answer (optional)", layout=W.Layout(width="100%", height="60px")
            )
            box.add_class("staffplus-interview-followup-answer")
            self._followup_answers[f.item] = box
            # a point the candidate only named: say so, with the follow-up (never the reference)
            named = (
                "<br><small>&#9680; You named this without saying what it changes: tie it to a "
                "consequence, a constraint, a number or a decision.</small>"
                if f.nudge
                else ""
            )
            rows += [W.HTML(f"<p>&ldquo;{_esc(f.question)}&rdquo;{named}</p>"), box]
        rows.append(self._continue_button)
        self._followup_box.children = tuple(rows)

    def _scorecard_html(self) -> str:
        card = self.interview.scorecard()
        items = {i["id"]: i for i in self.scenario.rubric}
        c = card["counts"]
        parts = [
            f"<h4>Scorecard: {card['score']}/100, proactivity {card['proactivity']:.0%}</h4>",
            f"<p>{c['unprompted']} reasoned unprompted, {c['prompted']} only after a follow-up, {c['missed']} missed "
            f"(of {len(items)}): only a point tied to a consequence, a constraint, a number or a "
            f"decision counts as raised. {_named_line(card)}</p>",
            _why_html(card, items),
            "<table class='staffplus-table'><tr><th>Category</th><th>Unprompted</th><th>Prompted</th><th>Missed</th></tr>",
        ]
        for cat, counts in card["categories"].items():
            parts.append(
                f"<tr><td>{_esc(cat)}</td><td>{counts['unprompted']}</td><td>{counts['prompted']}</td>"
                f"<td>{counts['missed']}</td></tr>"
            )
        parts.append(
            "</table><h4>Time per phase</h4><table class='staffplus-table'><tr><th>Phase</th><th>Used (min)</th><th>Budget (min)</th></tr>"
        )
        for p in card["phases"]:
            over = " &#9888; over" if p["used_min"] > p["budget_min"] else ""
            parts.append(
                f"<tr><td>{_esc(p['title'])}</td><td>{p['used_min']:.1f}{over}</td><td>{p['budget_min']:g}</td></tr>"
            )
        parts.append("</table><h4>Rubric items</h4><ul>")
        for item_id, status in card["items"].items():
            item = items[item_id]
            parts.append(
                f"<li><b>{_STATUS_MARK[status]}</b>: {_esc(item['point'])} <i>[{_esc(item['category'])}]</i></li>"
            )
        parts.append("</ul><h4>Staff+ signals in what you said unprompted</h4><ul>")
        from ..feedback import SIGNALS

        for sig, present in card["signals"].items():
            parts.append(
                f"<li>{'&#10003;' if present else '&#10007;'} {_esc(SIGNALS.get(sig, sig))}</li>"
            )
        parts.append(
            "</ul><h4>Side by side</h4><div style='display:flex;gap:12px;align-items:flex-start'>"
        )
        columns = [
            ("Your answer (unprompted)", self.interview.unprompted_text() or "(nothing written)"),
            ("Senior-level answer", self.scenario.data["exemplars"]["senior"]),
            ("Staff+-level answer", self.scenario.data["exemplars"]["staff"]),
        ]
        for title, text in columns:
            parts.append(
                f"<div style='flex:1;min-width:0'><b>{_esc(title)}</b>"
                f"<div style='white-space:pre-wrap;border:1px solid #ccc;padding:6px;font-size:90%'>{_esc(text)}</div></div>"
            )
        parts.append("</div>")
        return "".join(parts)

    def _history_html(self) -> str:
        attempts = [a for a in self.work.interviews if isinstance(a, dict)]
        if not attempts:
            return (
                "<p><i>No finished attempts yet: your attempts are saved and listed here.</i></p>"
            )
        rows = [
            "<h4>Your attempts</h4><table class='staffplus-table'><tr><th>#</th><th>Finished</th><th>Score</th>"
            "<th>Proactivity</th><th>Unprompted</th><th>Prompted</th><th>Missed</th></tr>"
        ]
        for n, a in enumerate(attempts, 1):
            counts = a.get("counts", {})
            prop = a.get("proactivity", 0)
            rows.append(
                f"<tr><td>{n}</td><td>{_esc(when(a.get('finished')))}</td><td>{_esc(a.get('score', '-'))}</td>"
                f"<td>{prop:.0%}</td><td>{_esc(counts.get('unprompted', '-'))}</td>"
                f"<td>{_esc(counts.get('prompted', '-'))}</td><td>{_esc(counts.get('missed', '-'))}</td></tr>"
                if isinstance(prop, (int, float))
                else ""
            )
        rows.append("</table>")
        if len(attempts) >= 2:
            first, last = attempts[0].get("proactivity", 0), attempts[-1].get("proactivity", 0)
            if isinstance(first, (int, float)) and isinstance(last, (int, float)):
                rows.append(
                    f"<p>Proactivity from your first to your latest attempt: {first:.0%} &rarr; {last:.0%}.</p>"
                )
        return "".join(rows)


def _why_html(card: dict[str, Any], items: dict[str, dict[str, Any]]) -> str:
    """Why the scorecard reads what it reads: what the score is taken from, and what the points
    raised only after a follow-up cost (they earn nothing in the score or the proactivity)."""
    c = card["counts"]
    total = len(items) or 1
    prompted = [items[i] for i, status in card["items"].items() if status == "prompted"]
    parts = [
        "<p class='staffplus-interview-why'><b>Why this score:</b> the score reviews only what you "
        "said before the interviewer asked, and proactivity is the share of the "
        f"{total} rubric points you reasoned about there ({c['unprompted']} of {total}). "
    ]
    if prompted:
        names = ", ".join(f"&ldquo;{_esc(item_label(i['point']))}&rdquo;" for i in prompted[:6])
        more = f" and {len(prompted) - 6} more" if len(prompted) > 6 else ""
        parts.append(
            f"You raised {count(len(prompted), 'point')} only after a follow-up ({names}{more}): "
            "they earn nothing here, because in the room an interviewer who has to ask has "
            "already marked the gap. Raise them in your first answer next time."
        )
    elif not c["unprompted"]:
        parts.append(
            "Nothing you said before the follow-ups reasoned about a rubric point: name the "
            "concern and say what it changes (a cost, a constraint, a decision)."
        )
    return "".join(parts) + "</p>"


def _named_line(card: dict[str, Any]) -> str:
    """How many missed points were only named or dismissed, from the scorecard's levels."""
    levels = card.get("levels") or {}
    missed = [i for i, status in card["items"].items() if status == "missed"]
    named = sum(1 for i in missed if levels.get(i) == "named")
    dismissed = sum(1 for i in missed if levels.get(i) == "dismissed")
    if not (named or dismissed):
        return ""
    return f"Of the missed: {named} named only, {dismissed} waved away."


def _interview_minutes(minutes: Any, default: int) -> tuple[int, str]:
    """The interview length to use, and what to tell the learner if ``minutes`` was unusable."""
    if minutes is None:
        return default, ""
    try:
        value = v.number("interview length (minutes)", minutes, low=12, high=180, integer=True)
    except StaffplusError as exc:
        return default, f"{exc}. Using the scenario's {default} minutes instead."
    return int(value), ""
