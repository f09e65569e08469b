"""FeedbackPanel: write the mock answer, then review it and the artifacts against the rubric."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from .. import workfile
from ..charts.svg import ScorecardSvg
from ..core import validation as v
from ..documents.report import work_review_text
from ..feedback import Review, review_text, review_work
from ..models.summaries import scorecard_summary
from ..practice import attempts
from ._common import (
    button,
    esc,
    html_widget,
    make,
    message,
)
from ._views import ChartView, SessionView

ANSWER_KEY = "mock_answer"
MAX_ANSWER = 100_000  # the work file schema's limit for one answer
PRESENT = "\u2714 present"
MISSING = "\u2718 missing"


# Each level has a symbol and a word, so no meaning rides on colour alone.
LEVEL_HEADINGS = {
    "reasoned": (
        "\u2714",
        "Reasoned",
        "tied to a consequence, a constraint, a number or a decision",
    ),
    "named": (
        "\u25d0",
        "Named only",
        "mentioned, but not tied to anything: a quarter of the credit",
    ),
    "dismissed": ("\u2718", "Dismissed", "mentioned only to wave it away: no credit"),
    "absent": ("\u25cb", "Not raised", "the interviewer would ask"),
}
_CUE_TEXT = {
    "consequence": "a consequence",
    "constraint": "a constraint",
    "number": "a number",
    "decision": "a decision",
}


def levels_html(items: list[Any]) -> str:
    """The review's rubric points grouped by level, each with its evidence or its follow-up."""
    parts = []
    for level, (symbol, title, meaning) in LEVEL_HEADINGS.items():
        mine = [i for i in items if i.level == level]
        if not mine:
            continue
        parts.append(
            f"<p class='staffplus-level-{level}'><b>{symbol} {title} ({len(mine)})</b> "
            f"<small>{esc(meaning)}</small></p><ul class='staffplus-feedback-{level}'>"
        )
        for i in mine:
            head = f"<li><b>{esc(i.point)}</b> <small>[{esc(i.category)}]</small>"
            if level == "reasoned":
                tie = f" <small>(tied to {_CUE_TEXT.get(i.cue or '', 'reasoning')})</small>"
                parts.append(f"{head}<br><i>\u201c{esc(i.evidence or '')}\u201d</i>{tie}</li>")
            elif level == "named":
                parts.append(
                    f"{head}<br><i>\u201c{esc(i.evidence or '')}\u201d</i>"
                    f"<br><small>{esc(i.nudge or i.followup)}</small></li>"
                )
            elif level == "dismissed":
                parts.append(
                    f"{head}<br><small>You mentioned it only to dismiss it: "
                    f"\u201c{esc(i.dismissed or '')}\u201d. {esc(i.followup)}</small></li>"
                )
            else:
                parts.append(
                    f"<li>{esc(i.followup)} <small>[{esc(i.category)}, {esc(i.phase)}]</small></li>"
                )
        parts.append("</ul>")
    return "".join(parts)


def review_attempt(review: Review) -> dict[str, Any]:
    """A written answer as a scorecard attempt: everything raised in writing counts as unprompted."""
    return {
        "score": review.score,
        "categories": {
            cat: {"unprompted": c["raised"], "prompted": 0, "missed": c["total"] - c["raised"]}
            for cat, c in review.categories.items()
        },
    }


class FeedbackPanel(SessionView):
    """The learner's mock answer and its review against the scenario's rubric.

    The answer is saved into ``session.answers["mock_answer"]`` whenever the text area loses
    focus. "Review" shows ``feedback.review_work(scenario, session.to_work())`` (trade-off checks,
    risk coverage, cost range) and the text review: rubric points raised with the sentence that
    raised them, points missed with the interviewer's follow-up, categories, signals and score.

    The scenario supplies the rubric; the session holds the answers and the artifacts that are
    reviewed. ``value`` is ``{"mock_answer": text, "review": the last review_work result or
    None}``.
    """

    css_name = "feedback-panel"

    def _build(self) -> None:
        session = self._session
        self._review: dict[str, Any] | None = None
        self._answer_textarea = make(
            w.Textarea,
            "feedback-answer",
            value=session.answers.get(ANSWER_KEY, ""),
            description="Your answer",
            tooltip="Write what you would say in the interview, as you would say it. It is saved "
            "when you click outside the box.",
            placeholder="Clarify, state requirements with numbers, compare options, recommend, "
            "name risks and mitigations, say what would change your mind...",
            continuous_update=False,
            rows=12,
            layout={"width": "100%"},
        )
        self._answer_textarea.observe(self._on_answer_textarea_value, names="value")
        self._answer_message = message("feedback-answer-message")
        self._word_count_html = html_widget("", "feedback-word-count")
        self._review_button = button(
            "feedback-review", style="primary", on_click=self._on_review_button_click
        )
        self._review_html = html_widget("", "feedback-review-result")
        # shown once there is a review: a layout of its own
        self._scorecard_view = ChartView(
            ScorecardSvg(),
            scorecard_summary,
            "feedback-scorecard",
            layout=w.Layout(display="none"),
        )

        self.children = [
            self._title("Mock answer"),
            self._status,
            self._answer_textarea,
            make(w.HBox, children=[self._word_count_html, self._answer_message]),
            self._review_button,
            self._review_html,
            self._scorecard_view,
        ]
        self._refresh()
        # restored work (a restart, a re-run) shows its feedback again without another click
        if session.answers.get(ANSWER_KEY, "").strip():
            self._show_review()

    # -- handlers --------------------------------------------------------------------------------
    def _on_answer_textarea_value(self, change: dict[str, Any]) -> None:
        if self._is_quiet:
            return

        def save() -> None:
            self._session.answers[ANSWER_KEY] = v.text(
                "mock answer", change["new"], limit=MAX_ANSWER
            )

        self._edit(save, self._answer_message, "answers")

    def _on_review_button_click(self, _button: w.Button) -> None:
        # the text area may hold text the session has not seen (no blur yet in some front ends)
        if self._answer_textarea.value.strip() != self._session.answers.get(ANSWER_KEY, ""):
            self._on_answer_textarea_value({"new": self._answer_textarea.value})
        review = self._show_review()
        if review is not None:  # a click is an attempt; showing restored work again is not
            self._session.record_attempt(attempts.from_review(review))

    def _show_review(self) -> Review | None:
        """Review the saved answer and the artifacts, and show the result with its scorecard;
        returns the answer's review (None without an answer or when the review failed)."""
        text_review = None
        try:
            session = self._session
            answer = session.answers.get(ANSWER_KEY, "")
            text_review = review_text(self._scenario, answer) if answer.strip() else None
            # the session's own models, and the answer reviewed once
            models = workfile.Models(session.matrix, session.register, session.cost)
            result = review_work(
                self._scenario, session.to_work(), models=models, answer_review=text_review
            )
            self._review = result
            self._review_html.value = self._render(result, text_review)
            if text_review is not None:
                self._scorecard_view.show(review_attempt(text_review))
                self._scorecard_view.layout.display = "flex"
            else:
                self._scorecard_view.layout.display = "none"
            self._refresh()
        except Exception as exc:
            self._unexpected(exc)
            return None
        return text_review

    # -- view ------------------------------------------------------------------------------------
    def _render(self, result: dict[str, Any], review: Review | None) -> str:
        parts = [
            "<h5>Your artifacts</h5>",
            f"<pre style='white-space:pre-wrap'>{esc(work_review_text(self._scenario, result))}</pre>",
        ]
        if review is None:
            parts.append("<p><i>Write an answer above to get the text review.</i></p>")
            return "".join(parts)
        b = review.breakdown
        parts.append(
            f"<h5>Your answer: score {review.score}/100</h5><p>coverage {b['coverage']:g}/60, "
            f"breadth {b['breadth']:g}/15, Staff+ signals {b['signals']:g}/25</p>"
        )
        parts.append(levels_html(review.items))
        cats = ", ".join(f"{c} {x['raised']}/{x['total']}" for c, x in review.categories.items())
        parts.append(
            f"<p><b>Categories:</b> {esc(cats)}<br><b>Cross-functional concerns raised:"
            f"</b> {esc(', '.join(review.cross_functional) or 'none')}</p>"
        )
        parts.append("<b>Staff+ signals</b><ul class='staffplus-feedback-signals'>")
        parts += [
            f"<li>{PRESENT if s.present else MISSING}: {esc(s.label)}"
            + (f"<br><small>\u201c{esc(s.evidence)}\u201d</small>" if s.evidence else "")
            + "</li>"
            for s in review.signals
        ]
        parts.append("</ul>")
        return "".join(parts)

    def _refresh(self) -> None:
        answer = self._session.answers.get(ANSWER_KEY, "")
        with self._quiet():
            if self._answer_textarea.value != answer:
                self._answer_textarea.value = answer
        words = len(answer.split())
        self._word_count_html.value = f"<small>{words} words</small>"
        self._set_value({"mock_answer": answer, "review": self._review})

    def _on_session_changed(self, what: str) -> None:
        if what in ("answers", "import", "reference"):
            if what == "import":
                self._review = None
                self._review_html.value = ""
                self._scorecard_view.layout.display = "none"
            self._refresh()
