"""DebriefWidget: the instructors' cohort debrief of a submissions folder, in a notebook.

A thin view over ``debrief.scan``: the same numbers as ``staffplus debrief --format json``, shown as
tables and the five debrief charts (each with its text summary). The charts are the matplotlib
figures of ``charts.debrief``, the same ones the HTML report embeds; ``figures()`` hands them to the
instructor to restyle, extend or ``savefig`` for slides. Matplotlib loads with the first chart drawn,
so only the instructor's notebook pays for it. A Refresh re-reads only files that changed since the
last one (``debrief.ScanCache``), so it can be pressed while submissions arrive. Every string from a
submission is escaped before it reaches an HTML widget, and chart text is drawn literally.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets

from ..core.errors import StaffplusError
from ..core.wording import count
from ..documents import debrief
from ..documents.debrief_report import cohort_chart
from ..documents.export import Table, html_table, pct, unicode_safe
from ..documents.progress import cohort_summary
from ._common import (
    button,
    chart_img,
    classes,
    css,
    esc,
    make,
    message,
    set_message,
)
from ._views import BriefRepr

if TYPE_CHECKING:  # annotations only: no import at run time
    from ..data.scenario import ScenarioPack

CHART_WIDTH_PX = 640  # how wide a debrief chart is shown; narrower screens shrink it to fit

CHART_SUMMARIES = {
    "items": debrief.items_summary,
    "options": debrief.options_summary,
    "weights": debrief.weights_summary,
    "cost": debrief.cost_spread_summary,
    "scores": debrief.scores_summary,
}


def _table_html(table: Table) -> str:
    return html_table(table.headers, table.rows, numeric=table.numeric, caption=table.caption)


class DebriefWidget(BriefRepr, w.VBox):
    """Cohort debrief of a submissions folder: folder, scenario, Refresh, then tables and charts.

    Parameters
    ----------
    directory : str or path
        The submissions folder (``staffplus submit --to DIR``).
    scenario_id : str, optional
        The scenario shown first (default: the first one found in the folder).
    pack : ScenarioPack, optional
        Scenarios to debrief against (default ``scenario.get_pack()``).

    Notes
    -----
    ``value`` is the debrief JSON of the folder (``Debrief.to_json()``, all scenarios), read-only.
    The constructor never calls ``display()``.
    """

    value = traitlets.Dict(read_only=True, help="Debrief.to_json() of the folder.")

    def __init__(
        self, directory: Any, scenario_id: str | None = None, *, pack: ScenarioPack | None = None
    ) -> None:
        if pack is None:
            from ..data.scenario import get_pack

            pack = get_pack()
        self._pack = pack
        self._cache = debrief.ScanCache()
        self._wanted = scenario_id
        self._folder = css(
            w.Text(
                value=str(directory),
                description="Folder",
                continuous_update=False,
                layout=w.Layout(width="60%"),
                style={"description_width": "initial"},
            ),
            "debrief-folder",
        )
        self._scenario = css(
            w.Dropdown(
                options=[],
                description="Scenario",
                layout=w.Layout(width="auto"),
                style={"description_width": "initial"},
            ),
            "debrief-scenario",
        )
        self._refresh_button = button("debrief-refresh")
        self._status = message("debrief-status")
        self._overview = css(w.HTML(), "debrief-overview")
        self._tables = css(w.HTML(), "debrief-tables")
        self._images: dict[str, w.HTML] = {}
        self._pictures: dict[str, bytes] = {}
        self._summaries: dict[str, w.HTML] = {}
        charts: list[w.Widget] = []
        for key in CHART_SUMMARIES:
            self._images[key] = make(w.HTML, "chart-picture", f"debrief-{key}-picture")
            self._summaries[key] = css(w.HTML(), "chart-summary", f"debrief-{key}-summary")
            charts.append(
                css(w.VBox([self._images[key], self._summaries[key]]), "chart", f"debrief-{key}")
            )
        self._problems = css(w.HTML(), "debrief-problems")
        self._cohort = css(w.HTML(), "debrief-cohort")  # across scenarios, whichever is shown
        self._refresh_button.on_click(self._on_refresh_button_click)
        self._folder.observe(self._on_folder_value, names="value")
        self._scenario.observe(self._on_scenario_value, names="value")
        super().__init__(
            children=[
                w.HBox(
                    [self._folder, self._scenario, self._refresh_button],
                    layout=w.Layout(flex_flow="row wrap", align_items="center"),
                ),
                self._status,
                self._overview,
                self._tables,
                w.VBox(charts),
                self._cohort,
                self._problems,
            ],
            _dom_classes=classes("debrief"),
        )
        self.refresh()

    # -- public ------------------------------------------------------------------------------------
    @property
    def section(self) -> dict[str, Any] | None:
        """The scenario section currently shown (``value["scenarios"][i]``), or None."""
        return self._section_for(self._scenario.value)

    def summary(self, key: str) -> str:
        """The plain-text summary shown under chart ``key`` (items, options, weights, cost, scores)."""
        return html.unescape(self._summaries[key].value.removeprefix("<p>").removesuffix("</p>"))

    def chart_image(self, key: str) -> bytes:
        """The PNG shown as chart ``key`` (items, options, weights, cost, scores); empty when no
        scenario is shown."""
        return self._pictures.get(key, b"")

    def figures(self) -> dict[str, Any]:
        """The charts of the section shown as new matplotlib ``Figure`` objects, by key, to
        restyle, extend or ``savefig``; empty when no scenario is shown."""
        from ..charts import debrief as debrief_charts

        section = self.section
        return debrief_charts.render_all(section) if section is not None else {}

    def refresh(self) -> None:
        """Read the folder again (unchanged files come from the cache) and redraw."""
        folder = self._folder.value.strip()
        if not folder:
            set_message(self._status, "Type the folder of hand-ins to read (e.g. ~/submissions).")
            return
        if "\x00" in folder:
            set_message(self._status, f"{folder!r}: a folder name cannot contain a NUL character")
            return
        try:
            folder = str(Path(folder).expanduser())  # the README names ~/submissions on Z2JH
        except RuntimeError:
            pass  # "~nobody": an unknown user; the scan says the folder cannot be listed
        try:
            data = debrief.scan(folder, self._pack, None, cache=self._cache).to_json()
        except (StaffplusError, OSError, ValueError) as exc:
            set_message(self._status, str(exc))
            return
        set_message(self._status)
        self.set_trait("value", data)
        ids = [s["id"] for s in data["scenarios"]]
        if (
            self._wanted is not None
            and self._wanted not in ids
            and self._wanted in self._pack.scenarios
        ):
            ids.append(self._wanted)
        options = [(self._title(sid), sid) for sid in ids]
        current = self._scenario.value
        chosen = (
            current
            if current in ids
            else self._wanted
            if self._wanted in ids
            else (ids[0] if ids else None)
        )
        with self.hold_sync():
            self._scenario.unobserve(self._on_scenario_value, names="value")
            try:
                self._scenario.options = options
                self._scenario.value = chosen
            finally:
                self._scenario.observe(self._on_scenario_value, names="value")
        self._render()

    # -- handlers -------------------------------------------------------------------------------------
    def _on_refresh_button_click(self, _button: Any) -> None:
        self.refresh()

    def _on_folder_value(self, _change: dict[str, Any]) -> None:
        self._cache = debrief.ScanCache()
        self.refresh()

    def _on_scenario_value(self, change: dict[str, Any]) -> None:
        self._wanted = change["new"]
        self._render()

    # -- rendering -------------------------------------------------------------------------------------
    def _title(self, scenario_id: str) -> str:
        sc = self._pack.scenarios.get(scenario_id)
        return f"{sc.title} ({scenario_id})" if sc is not None else scenario_id

    def _section_for(self, scenario_id: str | None) -> dict[str, Any] | None:
        if scenario_id is None:
            return None
        for section in self.value.get("scenarios", []):
            if section["id"] == scenario_id:
                return section
        if scenario_id in self._pack.scenarios:  # asked for, nobody has submitted yet
            return debrief.ScenarioDebrief(self._pack.get(scenario_id)).to_dict()
        return None

    def _render(self) -> None:
        data = self.value
        files = data.get("files", {})
        section = self.section
        with self.hold_sync():
            self._overview.value = unicode_safe(
                f"<p><b>{files.get('counted', 0)}</b> submissions counted, "
                f"<b>{files.get('rejected', 0)}</b> not counted, in {esc(data.get('directory', ''))}.</p>"
            )
            self._problems.value = unicode_safe(self._problems_html(data))
            self._cohort.value = unicode_safe(self._cohort_html(data.get("cohort")))
            if section is None:
                self._tables.value = (
                    "<p><i>No submissions for any known scenario in this folder yet.</i></p>"
                )
                self._pictures = {}
                for key in CHART_SUMMARIES:
                    self._images[key].value = ""
                    self._summaries[key].value = ""
                return
            self._tables.value = unicode_safe(self._tables_html(section))
            pictures = debrief.section_charts(section)  # the report's own PNGs
            self._pictures = {key: pictures.get(key) or b"" for key in CHART_SUMMARIES}
            for key, summarise in CHART_SUMMARIES.items():
                text = summarise(section)
                # drawn at print resolution and shown at the notebook's width, sharp on a projector
                self._images[key].value = unicode_safe(
                    chart_img(
                        self._pictures[key],
                        "image/png",
                        text,
                        CHART_WIDTH_PX,
                        "chart-image",
                        f"debrief-{key}-image",
                    )
                )
                self._summaries[key].value = unicode_safe(f"<p>{esc(text)}</p>")

    @staticmethod
    def _cohort_html(cohort: dict[str, Any] | None) -> str:
        """The habits the room misses across every scenario handed in, with the room's chart."""
        if not cohort or not cohort["categories"]:
            return ""
        text = cohort_summary(cohort)
        habits = "".join(f"<li>{esc(h['text'])}</li>" for h in cohort["habits"])
        picture = chart_img(cohort_chart(cohort) or b"", "image/png", text, CHART_WIDTH_PX,
                            "chart-image", "debrief-cohort-image")  # fmt: skip
        return (
            "<h3>Across scenarios: the habits the room misses</h3>"
            f"<p><b>Weakest categories:</b> {esc(', '.join(cohort['weakest']))}</p>"
            f"<ul class='staffplus-debrief-habits'>{habits}</ul>{picture}"
            f"<p class='staffplus-chart-summary'>{esc(text)}</p>"
        )

    @staticmethod
    def _problems_html(data: dict[str, Any]) -> str:
        rows = data.get("rejected", [])
        if not rows:
            return ""
        items = "".join(f"<li>{esc(r['reason'])}</li>" for r in rows)
        return f"<h4>Files not counted ({len(rows)})</h4><ul>{items}</ul>"

    @staticmethod
    def _tables_html(section: dict[str, Any]) -> str:
        n = section["learners"]
        parts = [f"<h3>{esc(section['title'])} ({esc(section['id'])}): {count(n, 'learner')}</h3>"]
        parts.append(
            _table_html(
                Table(
                    ("Rubric item", "Category", "Unprompted", "Prompted", "Not at all"),
                    tuple(
                        (
                            r["label"],
                            r["category"],
                            f"{pct(r['shares']['unprompted'])} ({r['counts']['unprompted']})",
                            f"{pct(r['shares']['prompted'])} ({r['counts']['prompted']})",
                            f"{pct(r['shares']['missed'])} ({r['counts']['missed']})",
                        )
                        for r in section["items"]
                    ),
                    numeric=(2, 3, 4),
                    caption="What the cohort raised",
                )
            )
        )
        if section["most_missed"]:
            parts.append(
                "<p><b>Most missed:</b> "
                + esc(", ".join(f"{m['label']} ({m['missed']})" for m in section["most_missed"]))
                + "</p>"
            )
        c = section["chosen_options"]
        rows = [
            (o["option"] + (" (reference)" if o["reference"] else ""), str(o["learners"]))
            for o in c["options"]
        ]
        rows += [("Tie: " + " / ".join(t["options"]), str(t["learners"])) for t in c["ties"]]
        if c["none"]:
            rows.append(("No usable matrix", str(c["none"])))
        parts.append(_table_html(Table(("Chosen option", "Learners"), tuple(rows), numeric=(1,))))
        parts.append(
            _table_html(
                Table(
                    ("Criterion", "Learners", "Min", "Median", "Max", "Reference"),
                    tuple(
                        (
                            wt["criterion"],
                            str(wt["learners"]),
                            *(
                                pct(wt[k], 1) if wt[k] is not None else "-"
                                for k in ("min", "median", "max", "reference")
                            ),
                        )
                        for wt in section["weights"]
                    ),
                    numeric=(1, 2, 3, 4, 5),
                    caption="Normalised weights",
                )
            )
        )
        cost = section["cost"]
        parts.append(
            _table_html(
                Table(
                    ("Below", "Inside", "Above", "Missing"),
                    (
                        (
                            str(cost["below"]),
                            str(cost["inside"]),
                            str(cost["above"]),
                            str(cost["missing"]),
                        ),
                    ),
                    numeric=(0, 1, 2, 3),
                    caption=f"Cost estimates against ${cost['range'][0]:,.0f}-${cost['range'][1]:,.0f}",
                )
            )
        )
        if section["duplicates"]:
            parts.append(
                "<p><b>Duplicate learner names (each file counted):</b> "
                + esc(
                    "; ".join(
                        f"{d['learner']}: {', '.join(d['files'])}" for d in section["duplicates"]
                    )
                )
                + "</p>"
            )
        return "".join(parts)
