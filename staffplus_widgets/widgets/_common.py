"""What every staffplus view shares: inline messages, text inputs, chart views, the session link.

Views are thin: every edit goes through a core model, which raises ``StaffplusError`` naming the
field and the value. The view catches it, shows the message beside the field and keeps the last
valid state; anything unexpected is shown as a message too, so no traceback reaches the notebook.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import html
import json
import weakref
from collections.abc import Callable, Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any, TypeVar

import ipywidgets as w

if TYPE_CHECKING:  # annotations only
    from ..practice.session import WorkSession

PREFIX = "staffplus-"
# The one piece of styling the views need: a rejected input gets a red border as well as its
# message. Plain CSS in an HTML widget (no custom JavaScript), scoped to our own class.
# The matrix grid keeps its option column (``staffplus-grid-sticky``) and its header row
# (``staffplus-grid-header``) in view while the one grid scrolls under them; sticky needs every
# box between them and the scroller to let its content overflow (a widget box scrolls itself).
STYLE = (
    "<style>.staffplus-invalid input, .staffplus-invalid textarea "
    "{border-color: #B00020 !important; box-shadow: 0 0 0 1px #B00020;}"
    ".staffplus-tradeoff-grid, .staffplus-tradeoff-grid .widget-box {overflow: visible;}"
    ".staffplus-grid-sticky {position: sticky; left: 0; z-index: 1;"
    " background: var(--jp-layout-color0, #fff);}"
    ".staffplus-grid-header {position: sticky; top: 0; z-index: 2;"
    " background: var(--jp-layout-color0, #fff);}"
    # links inside our views look like links (widget HTML has no link style of its own) ...
    "[class*='staffplus-'] a[href] {color: var(--jp-content-link-color, #1565c0);"
    " text-decoration: underline;}"
    # ... and a download is a button that downloads in one click (a styled <a download>)
    "[class*='staffplus-'] a.staffplus-download {display: inline-flex; align-items: center;"
    " gap: 6px; height: var(--jp-widgets-inline-height, 28px); padding: 0 12px;"
    " border-radius: 2px; text-decoration: none; white-space: nowrap;"
    " color: var(--jp-ui-inverse-font-color1, #fff); background: var(--jp-brand-color1, #1976d2);}"
    "[class*='staffplus-'] a.staffplus-download:hover {box-shadow: 0 1px 3px rgba(0,0,0,0.4);}"
    # the upload button reads "Import a work file", without ipywidgets' file count "(0)" after it
    ".staffplus-import.jupyter-button {font-size: 0 !important;}"
    ".staffplus-import.jupyter-button i {font-size: var(--jp-widgets-font-size, 13px);"
    " margin-right: 6px;}"
    '.staffplus-import.jupyter-button::after {content: "Import a work file";'
    " font-size: var(--jp-widgets-font-size, 13px);}</style>"
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
    listeners: list[Callable[..., None]], owner: object, method: str
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

    def __init__(self, session: WorkSession) -> None:
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


CONTROLS_FILE = "controls.json"


@functools.cache
def controls() -> dict[str, dict[str, str]]:
    """The label, tooltip, icon, placeholder and width of every named control (controls.json).

    One table of the words on the controls, kept apart from the code that wires them, so that a
    label is changed (or checked for an accessible name) in one place."""
    text = resources.files(__package__).joinpath(CONTROLS_FILE).read_text("utf-8")
    return json.loads(text)


def _spec(name: str, given: dict[str, str | None], fmt: Mapping[str, Any]) -> dict[str, str]:
    """The control ``name``'s words from the table, overridden by ``given``, formatted with ``fmt``."""
    table = controls().get(name)
    if table is None and given.get("label") is None:
        raise KeyError(f"no control {name!r} in {CONTROLS_FILE}, and no label given")
    out = {**(table or {}), **{k: v for k, v in given.items() if v is not None}}
    return {k: v.format(**fmt) if fmt else v for k, v in out.items()}


def text_input(
    name: str,
    value: str = "",
    *,
    label: str | None = None,
    tooltip: str | None = None,
    placeholder: str | None = None,
    width: str | None = None,
    description_width: str = "initial",
    flex: str = "",
    extra_names: tuple[str, ...] = (),
) -> w.Text:
    """A Text that reports only on Enter or blur, so "1e99" is judged whole, not as "1", "1e"...

    Numbers use Text rather than FloatText on purpose: "abc", "nan" or "-3" reach the model and
    come back as a message that names the field, instead of being silently coerced. ``name`` is
    its ``staffplus-*`` class and its entry in the controls table (label, tooltip, placeholder,
    width), which the keyword arguments override; its layout and style are shared.
    """
    spec = _spec(
        name,
        {"label": label, "tooltip": tooltip, "placeholder": placeholder, "width": width},
        {},
    )
    width = spec.get("width", "260px")
    return make(
        w.Text,
        name,
        *extra_names,
        value=value,
        description=spec["label"],
        tooltip=spec.get("tooltip", ""),
        placeholder=spec.get("placeholder", ""),
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
    name: str,
    *,
    tooltip: str | None = None,
    style: str = "",
    disabled: bool = False,
    layout: Mapping[str, str] | w.Layout | None = None,
    on_click: Callable[[w.Button], None] | None = None,
    **fmt: Any,
) -> w.Button:
    """The button ``name`` of the controls table (its ``staffplus-*`` class too), sized to its
    label unless ``layout`` says otherwise, calling ``on_click`` when clicked. ``fmt`` fills the
    label's and tooltip's ``{placeholders}``."""
    spec = _spec(name, {"tooltip": tooltip}, fmt)
    made = make(
        Button,
        name,
        description=spec["label"],
        tooltip=spec.get("tooltip", ""),
        icon=spec.get("icon", ""),
        button_style=style,
        disabled=disabled,
        layout={"width": "auto"} if layout is None else layout,
    )
    if on_click is not None:
        made.on_click(on_click)
    return made


ROW = {"align_items": "center", "flex_flow": "row wrap"}
# fields in one grid, each with its unit and message in the column beside it (one model, where a
# box per field would be one model per field)
FIELD_GRID = {"grid_template_columns": "max-content auto", "align_items": "center"}


def download_link(href: str, filename: str, label: str, tooltip: str, *extra: str) -> str:
    """An ``<a download>`` that looks and acts like a button: one click saves ``filename``.
    ``href`` is a ``data:`` URI (it works on Binder and the hub, with no file server route)."""
    names = " ".join(("staffplus-download", *extra))
    return (
        f"<a class='{names}' download='{esc(filename)}' href='{esc(href)}' "
        f"title='{esc(tooltip)}'><i class='fa fa-download' aria-hidden='true'></i>{esc(label)}</a>"
    )


def chart_img(data: bytes, mime: str, alt: str, width: int, *names: str) -> str:
    """An ``<img>`` of a chart, embedded as a ``data:`` URI, with ``alt`` text (the chart's text
    summary, so a screen reader hears the same facts as the picture shows). ipywidgets' ``Image``
    has no alt text and fails to render with a tooltip, so charts are this HTML instead. An SVG in
    an ``<img>`` runs no script and loads nothing."""
    if not data:
        return ""
    src = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return (
        f"<img class='{esc(' '.join(classes(*names)))}' src='{src}' alt='{esc(alt)}' "
        f"style='width:{int(width)}px;max-width:100%;height:auto'>"
    )


def field_row(*widgets: w.Widget) -> w.HBox:
    """A field, its unit and its message on one line, so the message sits right beside it."""
    return make(w.HBox, children=list(widgets), layout=ROW)


def heading(text: str, level: int = 4) -> w.HTML:
    return make(w.HTML, value=f"<h{level} style='margin:8px 0 4px 0'>{esc(text)}</h{level}>")


def html_widget(value: str = "", *names: str) -> w.HTML:
    """An HTML widget with its ``staffplus-*`` classes, sharing the default layout and style."""
    return make(w.HTML, *names, value=value)
