"""What every staffplus view shares: inline messages, text inputs, chart views, the session link.

Views are thin: every edit goes through a core model, which raises ``StaffplusError`` naming the
field and the value. The view catches it, shows the message beside the field and keeps the last
valid state; anything unexpected is shown as a message too, so no traceback reaches the notebook.
"""

from __future__ import annotations

import contextlib
import html
import logging
import weakref
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import ipywidgets as w
import traitlets

from ..core import timers
from ..core.errors import StaffplusError
from ..data.scenario import Scenario
from ..practice.session import WorkSession

# A click's own handler runs before comm messages queued behind it; these many seconds later,
# every value typed before the click has been handled. A refused draft is tried again this many
# times before the refusal is shown (a value can arrive later on a loaded machine).
SETTLE_S = 0.25
SETTLE_TRIES = 4

if TYPE_CHECKING:  # the charts load with the first view that draws one
    from ..charts.svg import SvgChart

log = logging.getLogger("staffplus_widgets")

# The live view of each kind per session. Re-running a cell builds a new view on the same session;
# ipywidgets keeps the old one alive (its registry holds every open widget), and an old view
# left listening would redraw its charts on every edit for nothing. The new view replaces it.
_LIVE_VIEWS: weakref.WeakKeyDictionary[Any, dict[type, weakref.ReferenceType[Any]]] = (
    weakref.WeakKeyDictionary()
)

PREFIX = "staffplus-"
# The one piece of styling the views need: a rejected input gets a red border as well as its
# message. Plain CSS in an HTML widget (no custom JavaScript), scoped to our own class.
STYLE = (
    "<style>.staffplus-invalid input, .staffplus-invalid textarea "
    "{border-color: #B00020 !important; box-shadow: 0 0 0 1px #B00020;}</style>"
)
ERROR_COLOUR = "#B00020"
OK_COLOUR = "#1B5E20"


def esc(text: Any) -> str:
    """Escape anything for an HTML widget (learner text and scenario text alike)."""
    return html.escape(str(text), quote=True)


WidgetT = TypeVar("WidgetT", bound=w.Widget)


def classes(*names: str) -> tuple[str, ...]:
    """Stable ``staffplus-*`` class names (what the browser tests select on)."""
    return tuple(name if name.startswith(PREFIX) else PREFIX + name for name in names)


def css(widget: WidgetT, *names: str) -> WidgetT:
    """Add stable ``staffplus-*`` classes to a widget that exists already (one update message).

    New widgets get theirs from the start instead (``make``, or ``_dom_classes=classes(...)``):
    every change to a live widget is another message to the front end.
    """
    new = [name for name in dict.fromkeys(classes(*names)) if name not in widget._dom_classes]
    if new:
        widget._dom_classes = (*widget._dom_classes, *new)
    return widget


# -- shared layout and style models ------------------------------------------------------------
# An ipywidget without an explicit layout (and style) gets models of its own: one comm message
# each to open, and as many to close. Most of ours are never changed once made, so widgets that
# ask for the same layout or style share one model. A shared model refuses changes (it would
# change every widget that uses it): a widget whose layout changes later (hidden and shown,
# resized) is given a ``w.Layout`` of its own instead.
_SHARED: dict[tuple[Any, ...], w.Widget] = {}
_SHARED_CLASSES: dict[type, type] = {}


class _Frozen:
    """Mixin for a shared model: setting one of its synced traits raises instead."""

    _frozen = False

    def __setattr__(self, name: str, value: Any) -> None:
        if self._frozen and name in self.keys:  # type: ignore[attr-defined]
            raise AttributeError(
                f"this {type(self).__name__} is shared by many widgets and cannot change "
                f"({name!r}); give the widget a model of its own"
            )
        super().__setattr__(name, value)


def shared(cls: type[WidgetT], **traits: Any) -> WidgetT:
    """The one shared, unchangeable ``cls(**traits)`` (a Layout or a style).

    Made on first use, and again if it was closed (``Widget.close_all()``, a kernel restart).
    """
    key = (cls, tuple(sorted(traits.items())))
    model = _SHARED.get(key)
    if model is None or model.comm is None:
        frozen = _SHARED_CLASSES.get(cls)
        if frozen is None:
            frozen = _SHARED_CLASSES[cls] = type(f"Shared{cls.__name__}", (_Frozen, cls), {})
        model = frozen(**traits)
        model._frozen = True
        _SHARED[key] = model
    return model  # type: ignore[return-value]


def _style_class(cls: type[w.Widget]) -> type[w.Widget] | None:
    trait = cls.class_traits().get("style")
    return getattr(trait, "klass", None)


def make(
    cls: type[WidgetT],
    *names: str,
    layout: Mapping[str, str] | w.Layout | None = None,
    style: Mapping[str, str] | w.Widget | None = None,
    **traits: Any,
) -> WidgetT:
    """``cls(**traits)`` with its ``staffplus-*`` classes and shared layout and style models.

    Parameters
    ----------
    cls : type
        The ipywidget class.
    *names : str
        Class names, as for ``css``.
    layout, style : mapping or model, optional
        Traits of a shared (unchangeable) layout or style; the default is the shared empty one.
        Pass a model instead (``w.Layout(...)``) for a widget that changes it later.
    **traits
        Everything else, passed to ``cls``: set it here rather than after, so that opening the
        widget is the only message.
    """
    traits["layout"] = (
        layout if isinstance(layout, w.Layout) else shared(w.Layout, **(layout or {}))
    )
    style_class = _style_class(cls)
    if style_class is not None:
        traits["style"] = (
            style if isinstance(style, w.Widget) else shared(style_class, **(style or {}))
        )
    if names:
        traits["_dom_classes"] = classes(*names)
    return cls(**traits)


def fmt_number(value: float) -> str:
    """Numbers as a learner would type them: 250000 not 2.5e+05, 0.6 not 0.6000000001."""
    return f"{value:.10g}"


def message(*names: str, width: str = "", lead: str = "") -> w.HTML:
    """An inline message placed right beside a field, empty until there is something to say.

    ``lead`` is HTML that always stays in front of the message, such as the field's unit: one
    widget for both, since every widget is a model the notebook has to open.
    """
    layout = {"min_width": "0", "width": width} if width else {"min_width": "0"}
    widget = make(w.HTML, "message", *names, value=lead, layout=layout)
    widget._staffplus_lead = lead  # read by set_message
    return widget


def set_message(widget: w.HTML, text: str = "", *, ok: bool = False) -> None:
    lead = getattr(widget, "_staffplus_lead", "")
    if not text:
        if widget.value != lead:
            widget.value = lead
        return
    colour, mark, role = (
        (OK_COLOUR, "\u2714", "status") if ok else (ERROR_COLOUR, "\u26a0", "alert")
    )
    widget.value = (
        f'{lead}<span class="{PREFIX}{"ok" if ok else "error"}" role="{role}" '
        f'style="color:{colour}">{mark} {esc(text)}</span>'
    )


def listen_weakly(
    listeners: list[Callable[..., None]], owner: Any, method: str
) -> Callable[..., None]:
    """Add to ``listeners`` a listener that calls ``owner.<method>(*args)`` while ``owner`` lives,
    and removes itself once it is gone: a closed or dropped widget must not keep receiving (or
    pinning) a session's events. Returns the listener."""
    ref = weakref.ref(owner)

    def listener(*args: Any) -> None:
        target = ref()
        if target is None:
            with contextlib.suppress(ValueError):
                listeners.remove(listener)
        else:
            getattr(target, method)(*args)

    listeners.append(listener)
    return listener


class SaveStatus(w.HTML):
    """Whether a session's work is being saved, shown where the learner works: the session's
    notice (a file moved aside, a merge) and the reason the last save failed, refreshed after
    every save, the ones a timer runs later too. Empty while all is well."""

    def __init__(self, session: Any) -> None:
        super().__init__()
        self.add_class(PREFIX + "save-status")
        self._session = session
        listen_weakly(session.save_listeners, self, "refresh")
        self.refresh()

    def refresh(self) -> None:
        s = self._session
        parts = []
        if s.notice:
            parts.append(f"<div role='status'><b>Note:</b> {esc(s.notice)}</div>")
        if s.last_error:
            parts.append(
                f"<div role='alert' style='color:{ERROR_COLOUR}'><b>Your work is not being "
                f"saved:</b> {esc(s.last_error)}</div>"
            )
        value = "".join(parts)
        if self.value != value:
            self.value = value


def text_input(
    description: str,
    value: str = "",
    *,
    tooltip: str,
    placeholder: str = "",
    width: str = "260px",
    description_width: str = "initial",
    flex: str = "",
    names: tuple[str, ...] = (),
) -> w.Text:
    """A Text that reports only on Enter or blur, so "1e99" is judged whole, not as "1", "1e"...

    Numbers use Text rather than FloatText on purpose: "abc", "nan" or "-3" reach the model and
    come back as a message that names the field, instead of being silently coerced. ``names``
    are its ``staffplus-*`` classes; its layout (``width``, ``flex``) and style are shared.
    """
    return make(
        w.Text,
        *names,
        value=value,
        description=description,
        tooltip=tooltip,
        placeholder=placeholder,
        continuous_update=False,
        layout={"width": width, "flex": flex} if flex else {"width": width},
        style={"description_width": description_width},
    )


class Button(w.Button):
    """A core ``Button`` that tells a click in the browser from a programmatic ``click()``.

    Only a browser click can outrun the values typed before it (see
    ``SessionView._when_typing_has_arrived``); a notebook cell that sets fields and calls
    ``click()`` has set them already, so it is handled at once.
    """

    in_browser_click = False

    def _handle_button_msg(self, _widget: Any, content: Any, buffers: Any) -> None:
        if isinstance(content, dict) and content.get("event", "") == "click":
            self.in_browser_click = True
            try:
                self.click()
            finally:
                self.in_browser_click = False


def button(
    description: str,
    *,
    tooltip: str,
    icon: str = "",
    style: str = "",
    disabled: bool = False,
    names: tuple[str, ...] = (),
    layout: Mapping[str, str] | w.Layout | None = None,
) -> w.Button:
    """A Button sized to its label (a shared layout unless ``layout`` says otherwise)."""
    return make(
        Button,
        *names,
        description=description,
        tooltip=tooltip,
        icon=icon,
        button_style=style,
        disabled=disabled,
        layout={"width": "auto"} if layout is None else layout,
    )


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
    """A live chart as an SVG ``Image`` with its text summary underneath.

    The Image is replaced in place (no Output capture needed, so it also works without a kernel);
    the summary carries the same facts as the picture for screen readers and tests. An SVG in an
    ``<img>`` is a picture only: it runs no script and loads nothing, whatever text it holds.
    """

    def __init__(
        self,
        chart: SvgChart,
        summarise: Callable[[Any], str],
        name: str,
        model: Any = None,
        **kwargs: Any,
    ) -> None:
        """``model``, when given, is drawn at once: the picture and summary then travel with the
        widgets' opening messages instead of in an update each right after."""
        self._chart = chart
        self._summarise = summarise
        picture, summary = (b"", "") if model is None else self._render(model)
        # the picture's own width (an SVG chart's width never changes), so a column flex box
        # does not stretch it; narrower screens shrink it to fit
        self._image = make(
            w.Image,
            "chart-image",
            f"{name}-image",
            format="svg+xml",
            value=picture,
            layout={"max_width": "100%", "height": "auto", "width": f"{chart.width}px"},
        )
        self._summary = make(w.HTML, "chart-summary", f"{name}-summary", value=summary)
        kwargs.setdefault("layout", shared(w.Layout))  # pass a Layout to hide or show the chart
        super().__init__(
            children=[self._image, self._summary], _dom_classes=classes("chart", name), **kwargs
        )

    @property
    def chart(self) -> SvgChart:
        return self._chart

    @property
    def summary(self) -> str:
        """The plain-text summary currently shown."""
        return html.unescape(self._summary.value.removeprefix("<p>").removesuffix("</p>"))

    def _render(self, model: Any) -> tuple[bytes, str]:
        return self._chart.update(model).svg(), f"<p>{esc(self._summarise(model))}</p>"

    def show(self, model: Any) -> None:
        picture, summary = self._render(model)
        # no tooltip on the Image: its front-end view has no description, and a tooltip makes
        # it fail to render (ipywidgets 8, updateTooltip); the summary sits right below instead
        if self._image.value != picture:
            self._image.value = picture
        if self._summary.value != summary:
            self._summary.value = summary

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


ROW = {"align_items": "center", "flex_flow": "row wrap"}
# fields in one grid, each with its unit and message in the column beside it (one model, where a
# box per field would be one model per field)
FIELD_GRID = {"grid_template_columns": "max-content auto", "align_items": "center"}


def field_row(*widgets: w.Widget) -> w.HBox:
    """A field, its unit and its message on one line, so the message sits right beside it."""
    return make(w.HBox, children=list(widgets), layout=ROW)


def heading(text: str, level: int = 4) -> w.HTML:
    return make(w.HTML, value=f"<h{level} style='margin:8px 0 4px 0'>{esc(text)}</h{level}>")


def html_widget(value: str = "", *names: str) -> w.HTML:
    """An HTML widget with its ``staffplus-*`` classes, sharing the default layout and style."""
    return make(w.HTML, *names, value=value)
