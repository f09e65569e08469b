"""The two base classes of the views: ``ChartView`` (a live SVG chart with its text summary) and
``SessionView`` (a view over one learner's work session: its edits, messages and saves). Every
artifact view builds on them; ``descendants`` walks a view's widgets."""

from __future__ import annotations

import contextlib
import html
import logging
import weakref
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets

from ..core import timers
from ..core.errors import StaffplusError
from ..data.scenario import Scenario
from ..practice.session import WorkSession
from ._common import (
    STYLE,
    chart_img,
    classes,
    esc,
    listen_weakly,
    make,
    message,
    set_message,
    shared,
)

# A click's own handler runs before comm messages queued behind it; these many seconds later,
# every value typed before the click has been handled. A refused draft is tried again this many
# times before the refusal is shown (a value can arrive later on a loaded machine).
SETTLE_S = 0.25
SETTLE_TRIES = 4

if TYPE_CHECKING:  # the charts load with the first view that draws one
    from ..charts.svgkit import SvgChart

log = logging.getLogger("staffplus_widgets")

# The live view of each kind per session. Re-running a cell builds a new view on the same session;
# ipywidgets keeps the old one alive (its registry holds every open widget), and an old view
# left listening would redraw its charts on every edit for nothing. The new view replaces it.
_LIVE_VIEWS: weakref.WeakKeyDictionary[Any, dict[type, weakref.ReferenceType[Any]]] = (
    weakref.WeakKeyDictionary()
)


class TextValue:
    """``value`` is the text of the view's text area, the attribute ``_text_attr`` names."""

    _text_attr = "_text"

    @property
    def value(self) -> str:
        return getattr(self, self._text_attr).value

    @value.setter
    def value(self, text: str) -> None:
        getattr(self, self._text_attr).value = text


class BriefRepr:
    """A one-line ``repr`` for the views learners display.

    ipywidgets builds a widget's repr from every trait that differs from its default, through
    every child, and IPython asks for it (as the text/plain part of the output) each time a view
    is a cell's result. For a workbench view that walked some 500 widgets, about 90 ms a notebook,
    to print 110 characters JupyterLab never shows. This says what the view is about instead,
    which is what a terminal or a plain-text export shows.
    """

    def __repr__(self) -> str:
        session = getattr(self, "_session", None) or getattr(self, "session", None)
        scenario = getattr(session, "scenario", None) or getattr(self, "scenario", None)
        parts = []
        if isinstance(scenario, Scenario):
            parts.append(f"scenario={scenario.id!r}")
        if isinstance(session, WorkSession):
            parts.append(f"work={session.path.name!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


class ChartView(BriefRepr, w.VBox):
    """A live chart as an SVG ``<img>`` with its text summary underneath.

    The picture is replaced in place (no Output capture needed, so it also works without a kernel);
    the summary carries the same facts as the picture, and is the picture's alt text, for screen
    readers and tests. An SVG in an ``<img>`` is a picture only: it runs no script and loads
    nothing, whatever text it holds.
    """

    def __init__(
        self,
        chart: SvgChart[Any],
        summarise: Callable[[Any], str],
        name: str,
        model: object = None,
        **kwargs: Any,
    ) -> None:
        """``model``, when given, is drawn at once: the picture and summary then travel with the
        widgets' opening messages instead of in an update each right after."""
        self._chart = chart
        self._summarise = summarise
        self._name = name
        self._picture = b""
        self._image = make(w.HTML, "chart-picture", f"{name}-picture")
        self._summary = make(w.HTML, "chart-summary", f"{name}-summary")
        if model is not None:
            self._draw(model)
        kwargs.setdefault("layout", shared(w.Layout))  # pass a Layout to hide or show the chart
        super().__init__(
            children=[self._image, self._summary], _dom_classes=classes("chart", name), **kwargs
        )

    @property
    def chart(self) -> SvgChart[Any]:
        return self._chart

    @property
    def summary(self) -> str:
        """The plain-text summary currently shown."""
        return html.unescape(self._summary.value.removeprefix("<p>").removesuffix("</p>"))

    @property
    def picture(self) -> bytes:
        """The SVG document currently shown."""
        return self._picture

    def _draw(self, model: object) -> None:
        svg = self._chart.update(model).svg()
        text = self._summarise(model)
        # the picture's own width (an SVG chart's width never changes), so a column flex box
        # does not stretch it; narrower screens shrink it to fit
        image = chart_img(
            svg, "image/svg+xml", text, self._chart.width, "chart-image", f"{self._name}-image"
        )
        summary = f"<p>{esc(text)}</p>"
        self._picture = svg
        if self._image.value != image:
            self._image.value = image
        if self._summary.value != summary:
            self._summary.value = summary

    def show(self, model: object) -> None:
        self._draw(model)

    def close(self) -> None:
        self._chart.close()
        self._image.close()
        self._summary.close()
        super().close()


class SessionView(BriefRepr, w.VBox):
    """Base of the composites: holds the scenario and the shared ``WorkSession``.

    Subclasses call ``_edit`` for every change: it runs the model operation, shows a
    ``StaffplusError`` beside the field, saves through ``session.changed`` (debounced, atomic) and
    refreshes. They react to changes made elsewhere (another view, a constraint variant, an import)
    in ``_on_session_changed``.

    Subclasses build their own parts in ``_build``; the constructor is this one, shared.

    Parameters
    ----------
    scenario : Scenario
        What the view checks against and reveals (its reference parts stay hidden until asked).
    session : WorkSession
        Holds the model the view edits and saves every valid edit.
    replace_previous : bool
        Close the previous view of the same kind on this session (see above).

    Attributes
    ----------
    value : dict
        The model this view edits, as a plain dict (each subclass says which), updated after every
        change.

    A new view replaces (closes) the previous view of the same kind on the same session, which is
    what re-running a notebook cell means; ``replace_previous=False`` keeps both (the Workbench's
    own views use it, so a stand-alone view never closes a tab).
    """

    value = traitlets.Dict(read_only=True, help="The model this view edits, as a plain dict.")
    css_name = "view"  # the view's ``staffplus-*`` class; each subclass names its own

    def __init__(
        self,
        scenario: Scenario,
        session: WorkSession,
        *,
        replace_previous: bool = True,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("layout", shared(w.Layout))  # one model fewer per view
        # the view's class from the start: added later, it would be one more message
        kwargs.setdefault("_dom_classes", classes(self.css_name))
        super().__init__(**kwargs)
        self._scenario = scenario
        self._session = session
        self._emitting = False
        self._quiet_depth = 0
        self._pending_click = False
        self._status = message("status")

        # called after each of this view's edits has been saved (the Workbench shows the outcome)
        self._commit_hooks: list[Callable[[], None]] = []
        self._listener = listen_weakly(session.listeners, self, "_receive")
        if replace_previous:
            views = _LIVE_VIEWS.setdefault(session, {})
            previous = views.get(type(self))
            old = previous() if previous is not None else None
            if old is not None and old is not self:
                old.close()
            views[type(self)] = weakref.ref(self)
        self._build()

    def _build(self) -> None:
        """Build the view's own widgets (each subclass; the base has none). Runs at the end of
        the shared constructor, so ``self._scenario`` and ``self._session`` are set."""

    # -- quiet programmatic updates --------------------------------------------------------------
    @contextlib.contextmanager
    def _quiet(self) -> Iterator[None]:
        """Set widget values without their handlers treating it as learner input."""
        self._quiet_depth += 1
        try:
            yield
        finally:
            self._quiet_depth -= 1

    @property
    def _is_quiet(self) -> bool:
        return self._quiet_depth > 0

    # -- edits -----------------------------------------------------------------------------------
    def _edit(
        self,
        action: Callable[[], Any],
        field_message: w.HTML | None,
        what: str,
        refresh: Callable[[], None] | None = None,
        *,
        on_error: Callable[[StaffplusError], None] | None = None,
    ) -> bool:
        """Run one model edit; on success save, then refresh. Returns whether it was applied."""
        target = field_message or self._status
        try:
            action()
        except StaffplusError as exc:
            if on_error is not None:
                on_error(exc)
            else:
                set_message(target, str(exc))
            return False
        except Exception as exc:  # a bug must not cost the learner their notebook state
            self._unexpected(exc)
            return False
        if field_message is not None:
            set_message(field_message)
        self._commit(what)
        try:
            (refresh or self._refresh)()
        except Exception as exc:
            self._unexpected(exc)
        return True

    def _commit(self, what: str) -> None:
        """Tell the session (and through it every other view) that ``what`` changed; it saves."""
        self._emitting = True
        try:
            self._session.changed(what)
        except Exception as exc:
            self._unexpected(exc)
        finally:
            self._emitting = False
        self._after_save()

    def _after_save(self) -> None:
        """Show the outcome of the save that just ran (or was scheduled)."""
        self._show_save_state()
        for hook in self._commit_hooks:
            try:
                hook()
            except Exception as exc:
                self._unexpected(exc)

    def _show_save_state(self) -> None:
        error = self._session.last_error
        if error:
            set_message(self._status, error)
        elif self._status.value and "could not save" in self._status.value.lower():
            set_message(self._status)

    def _unexpected(self, exc: BaseException) -> None:
        log.debug("unexpected error in a staffplus view", exc_info=exc)
        set_message(
            self._status,
            f"Unexpected problem ({type(exc).__name__}: {exc}). Your last valid work is kept; "
            "please report this.",
        )

    # -- a click that reads fields typed just before it ------------------------------------------
    def _when_typing_has_arrived(
        self, clicked: w.Button, attempt: Callable[[bool], bool], waiting: w.HTML | None = None
    ) -> None:
        """Run ``attempt`` once the values typed just before a click have reached the kernel.

        In a browser, a button's click can be handled before the value typed into a field just
        before it: the front end holds back a field's second update until the kernel has finished
        the first, and ipykernel dispatches comm messages that arrive while it is busy without
        waiting for the ones before them. So the click only asks; ``attempt(last)`` runs once the
        messages queued behind the click have been handled (``SETTLE_S`` later, on the kernel's
        event loop), and again while it returns False, up to ``SETTLE_TRIES`` times;
        ``last`` tells it to show its refusal. A programmatic ``click()`` (a notebook cell, a
        test), or one outside a kernel, runs it at once.
        """
        if self._pending_click:
            return  # a second click while the first is waiting adds nothing twice
        if not getattr(clicked, "in_browser_click", False) or timers.running_loop() is None:
            attempt(True)
            return
        self._pending_click = True
        if waiting is not None:
            set_message(waiting, "Adding\u2026", ok=True)

        def run(left: int) -> None:
            try:
                done = attempt(left == 0)
            except Exception as exc:  # a bug must not leave the view waiting forever
                self._unexpected(exc)
                done = True
            if done or left == 0:
                self._pending_click = False
            else:
                timers.later(SETTLE_S, lambda: run(left - 1))

        timers.later(SETTLE_S, lambda: run(SETTLE_TRIES - 1))

    # -- changes made elsewhere ------------------------------------------------------------------
    def _title(self, text: str, intro: str = "") -> w.HTML:
        """The view's heading and one line of how to use it, with the views' CSS, in one widget.

        Every view carries the CSS, so a view shown on its own still marks rejected inputs.
        """
        small = f"<small>{intro}</small>" if intro else ""
        return make(
            w.HTML,
            value=f"{STYLE}<h4 style='margin:8px 0 4px 0'>{esc(text)}</h4>{small}",
        )

    def _receive(self, what: str) -> None:
        if self._emitting:
            return
        try:
            self._on_session_changed(what)
        except Exception as exc:  # a listener that raises would stop the session from saving
            self._unexpected(exc)

    def _on_session_changed(self, what: str) -> None:
        self._refresh()

    def _refresh(self) -> None:
        raise NotImplementedError

    def _set_value(self, value: dict[str, Any]) -> None:
        self.set_trait("value", value)

    # -- lifetime --------------------------------------------------------------------------------
    def close(self) -> None:
        """Stop listening to the session and close every child widget."""
        with contextlib.suppress(ValueError):
            self._session.listeners.remove(self._listener)
        for child in descendants(self):
            child.close()
        super().close()


def descendants(widget: w.Widget) -> list[w.Widget]:
    out: list[w.Widget] = []
    stack = list(getattr(widget, "children", ()))
    while stack:
        child = stack.pop()
        out.append(child)
        if not isinstance(child, ChartView):
            stack.extend(getattr(child, "children", ()))
    return out
