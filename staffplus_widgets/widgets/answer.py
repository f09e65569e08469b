"""AnswerBox and ExportBar: free-text answers saved with the work, and carrying work out of the notebook."""

from __future__ import annotations

import base64
from typing import Any

import ipywidgets as W

from ..feedback import review_text
from ..feedback.questions import asked_questions
from ..practice.session import WorkSession
from ._common import (
    ROW,
    STYLE,
    button,
    classes,
    download_link,
    listen_weakly,
    make,
)
from ._common import esc as _esc
from ._views import BriefRepr, TextValue


class AnswerBox(TextValue, BriefRepr, W.VBox):
    """A text answer stored in ``session.answers[key]``, saved as the learner types.

    ``phase`` limits the **Check** feedback to the rubric points of one interview phase (for example the
    clarifying questions), without revealing the reference wording of points not yet raised.
    """

    def __init__(
        self,
        session: WorkSession,
        key: str,
        *,
        phase: str | None = None,
        placeholder: str = "",
        description: str = "Your answer",
    ):
        self.session = session
        self.key = key
        self.phase = phase
        self._text = make(
            W.Textarea,
            "answer-text",
            value=session.answers.get(key, ""),
            placeholder=placeholder,
            description=description,
            layout={"width": "100%", "height": "140px"},
            style={"description_width": "initial"},
            tooltip="Saved automatically to your work file",
        )
        self._check_button = button("answer-check", on_click=self._on_check_button_click)
        self._result = make(W.HTML, "answer-result")
        self._text.observe(self._on_text_value, names="value")
        self._following = False
        # an import, a merge from another notebook or the reference fill replaces the answer: show
        # it, or the next keystroke would write the old text back over it
        listen_weakly(session.listeners, self, "_on_session_change")
        super().__init__(
            [self._text, self._check_button, self._result], _dom_classes=classes("answer-box")
        )

    def _on_text_value(self, change: dict[str, Any]) -> None:
        if self._following:
            return
        self.session.answers[self.key] = change["new"]
        self.session.changed("answers")

    def _on_session_change(self, what: str) -> None:
        if what not in ("import", "reference"):
            return
        current = self.session.answers.get(self.key, "")
        if self._text.value != current:
            self._following = True
            try:
                self._text.value = current
            finally:
                self._following = False

    def _questions_html(self) -> str:
        """For the clarifying phase: which of the card's questions the answer asked."""
        asked = asked_questions(self.session.scenario, self._text.value)
        if self.phase != "clarify" or not asked:
            return ""
        n = sum(1 for a in asked if a.sentence)
        rows = [
            f"<li>&#10003; Asked: &ldquo;{_esc(a.sentence)}&rdquo;</li>"
            if a.sentence
            else f"<li>&#9675; Not asked yet: {_esc(a.question)}</li>"
            for a in asked
        ]
        return (
            f"<p><b>You asked {n} of the card's {len(asked)} questions.</b> Each answer there "
            "changes the design; ask the rest before you draw anything.</p><ul>"
            + "".join(rows)
            + "</ul>"
        )

    def _on_check_button_click(self, _button: W.Button | None) -> None:
        review = review_text(self.session.scenario, self._text.value)
        items = [i for i in review.items if self.phase is None or i.phase == self.phase]
        covered = [i for i in items if i.raised]
        parts = [
            f"<p><b>You covered {len(covered)} of {len(items)} key points"
            + (" for this phase" if self.phase else "")
            + ".</b></p><ul>"
        ]
        for i in covered:
            parts.append(
                f"<li>&#10003; Reasoned [{_esc(i.category)}] &ldquo;{_esc(i.evidence)}&rdquo;</li>"
            )
        # named only: the learner's own words and what is missing, never the reference wording
        for i in items:
            if i.level == "named":
                parts.append(
                    f"<li>&#9680; Named only [{_esc(i.category)}] &ldquo;{_esc(i.evidence)}&rdquo;"
                    "<br><small>Say what it changes in the design: a consequence, a constraint, "
                    "a number or a decision.</small></li>"
                )
            elif i.level == "dismissed":
                parts.append(
                    f"<li>&#10008; Dismissed [{_esc(i.category)}] &ldquo;{_esc(i.dismissed)}&rdquo;"
                    "<br><small>Waving a concern away earns nothing: say why it does or does "
                    "not change the design.</small></li>"
                )
        missing = [i for i in items if not i.raised]
        if missing:
            cats = sorted({i.category for i in missing})
            parts.append(
                f"</ul><p>Still open: {len(missing)} point(s) in {_esc(', '.join(cats))}. "
                "Think about what in those areas would change your design.</p>"
            )
        else:
            parts.append("</ul>")
        self._result.value = self._questions_html() + "".join(parts)


class ExportBar(BriefRepr, W.VBox):
    """Downloads of the work file and the design-review report (data URIs, so they work on Binder).

    The work file downloads in one click from a link kept up to date; the report is built when
    asked (it draws every chart), then downloads from the link that appears. ``work=False``
    leaves the work file out, for a view that already shows its link (the Workbench).
    """

    def __init__(self, session: WorkSession, *, work: bool = True):
        self.session = session
        self._work_button = button("export-work", on_click=self._on_work_button_click)
        self._report_button = button("export-report", on_click=self._on_report_button_click)
        self._links = make(W.HTML, "export-links")
        buttons = [self._work_button, self._report_button] if work else [self._report_button]
        super().__init__(
            [make(W.HBox, children=buttons, layout=ROW), self._links],
            _dom_classes=classes("export-downloads"),
        )

    @staticmethod
    def _link(data: bytes, mime: str, filename: str, label: str) -> str:
        encoded = base64.b64encode(data).decode("ascii")
        return STYLE + download_link(
            f"data:{mime};base64,{encoded}", filename, label, f"Save {filename}"
        )

    def _on_work_button_click(self, _button: W.Button | None) -> None:
        self.session.save_now()
        name = self.session.path.name
        self._links.value = self._link(
            self.session.export_bytes(), "application/json", name, f"Download {name}"
        )

    def _on_report_button_click(self, _button: W.Button | None) -> None:
        from ..documents.export import render_html, write_text_atomic

        try:
            page = render_html(self.session.scenario, self.session.to_work())
        except Exception as exc:  # the report must never take the notebook down
            self._links.value = f"<span class='staffplus-error' style='color:#b00020'>Could not build the report: {_esc(exc)}</span>"
            return
        target = self.session.path.with_suffix(".report.html")
        saved = ""
        try:
            write_text_atomic(target, page)
            saved = f" (also saved to <code>{_esc(target)}</code>)"
        except OSError as exc:  # a read-only folder still gets the download link
            saved = f" (no copy saved next to your work: {_esc(exc.strerror or exc)})"
        self._links.value = (
            self._link(page.encode("utf-8"), "text/html", target.name, f"Download {target.name}")
            + saved
        )
