"""Workbench without a kernel: shared session, restore, import/export, notices, save errors."""

from __future__ import annotations

import base64
import datetime as dt
import json

import ipywidgets as w
import pytest
from fixtures import widget_support as ws
from fixtures.widget_support import (
    FIXTURES,
    all_html,
    all_widgets,
    controls,
    error_text,
    saved,
)

from staffplus_widgets.data.scenario import get_pack
from staffplus_widgets.widgets import (
    CostEstimatorWidget,
    FeedbackPanel,
    RiskRegisterWidget,
    ScenarioCard,
    TradeOffMatrixWidget,
    Workbench,
)

GBT = "Gradient boosted trees with review band"


def upload(bench: Workbench, raw: bytes, name: str = "work.json") -> None:
    bench._import_upload.value = (
        {
            "name": name,
            "type": "application/json",
            "size": len(raw),
            "content": memoryview(raw),
            "last_modified": dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
        },
    )


def test_opens_a_scenario_by_id_and_shares_one_session(monkeypatch, tmp_path):
    monkeypatch.setenv("STAFFPLUS_SCENARIOS", str(FIXTURES))
    bench = Workbench("widget-fixture", learner="Ada", autosave_delay=0)
    assert bench.session.path == tmp_path / "staffplus-work" / "widget-fixture--Ada.json"
    assert isinstance(bench.card, ScenarioCard) and isinstance(bench.matrix, TradeOffMatrixWidget)
    assert isinstance(bench.risks, RiskRegisterWidget) and isinstance(
        bench.cost, CostEstimatorWidget
    )
    assert isinstance(bench.feedback, FeedbackPanel)
    assert list(bench._tabs.children) == [
        bench.card,
        bench.matrix,
        bench.risks,
        bench.cost,
        bench.feedback,
    ]
    # the card's variant reaches the matrix through the shared session
    bench.session.fill_reference()
    bench.card._variant_checkboxes["no-ml-capacity"].value = True
    assert "Rules and manual review" in bench.matrix._ranking_html.value
    assert bench.value["variants"] == ["no-ml-capacity"]


def test_every_edit_is_saved_and_a_new_workbench_restores_it(scenario, path):
    bench = Workbench(scenario, path=path, autosave_delay=0)
    bench.matrix._score_texts[0][0].value = "5"
    bench.risks._title_text.value = "Labels are late"
    bench.risks._likelihood_text.value = "4"
    bench.risks._impact_text.value = "3"
    bench.risks._add_risk_button.click()
    bench.cost._lines[0].field_texts["peak_qps"].value = "1500"
    bench.feedback._answer_textarea.value = "Rules first."
    doc = saved(path)
    assert doc["risks"]["risks"][0]["title"] == "Labels are late"
    assert doc["answers"]["mock_answer"] == "Rules first."
    again = Workbench(scenario, path=path, autosave_delay=0)
    assert again.session.restored
    assert again.matrix._score_texts[0][0].value == "5"
    assert "Labels are late" in again.risks._table_html.value
    assert again.cost._lines[0].field_texts["peak_qps"].value == "1500"
    assert again.feedback._answer_textarea.value == "Rules first."


def test_rerunning_the_cell_flushes_a_pending_debounced_save(scenario, path):
    first = Workbench(scenario, path=path, autosave_delay=60)
    first.matrix._score_texts[1][1].value = "1"
    assert not path.exists(), "still waiting for the debounce"
    second = Workbench(scenario, path=path, autosave_delay=60)
    assert second.matrix._score_texts[1][1].value == "1"


def test_export_link_carries_the_work_as_a_data_uri(scenario, path):
    bench = Workbench(scenario, path=path, autosave_delay=0)
    bench.matrix._score_texts[0][1].value = "2"
    link = bench._export_html.value
    assert "download='work.json'" in link
    href = link.split("href='")[1].split("'")[0]
    assert href.startswith("data:application/json;base64,")
    doc = json.loads(base64.b64decode(href.split(",", 1)[1]))
    assert doc["format"] == "staffplus-work" and doc["scenario"] == "widget-fixture"
    assert doc["tradeoff"] == bench.session.matrix.to_dict()


def test_the_learner_names_the_work_in_the_workbook_and_the_export_carries_it(scenario, path):
    bench = Workbench(scenario, path=path, autosave_delay=0)
    assert bench._learner_text.value == ""
    bench._learner_text.value = "  Ada   Lovelace "
    assert saved(path)["learner"] == "Ada Lovelace" and bench.session.learner == "Ada Lovelace"
    href = bench._export_html.value.split("href='")[1].split("'")[0]
    assert json.loads(base64.b64decode(href.split(",", 1)[1]))["learner"] == "Ada Lovelace"
    assert path.exists() and bench.session.path == path, "the file keeps its name"
    for bad, reason in (("x" * 121, "longer than 120"), ("Ada\ud800", "cannot be saved")):
        bench._learner_text.value = bad
        assert reason in ws.error_text(bench._learner_message)
        assert saved(path)["learner"] == "Ada Lovelace"
    bench._learner_text.value = ws.XSS  # a name is text: kept, and escaped where it is shown
    assert bench._learner_message.value == "" and saved(path)["learner"] == ws.XSS
    assert Workbench(scenario, path=path, autosave_delay=0)._learner_text.value == ws.XSS


def test_an_imported_name_shows_in_the_name_field(scenario, tmp_path):
    other = Workbench(scenario, path=tmp_path / "a.json", autosave_delay=0)
    other._learner_text.value = "Grace Hopper"
    bench = Workbench(scenario, path=tmp_path / "b.json", autosave_delay=0)
    upload(bench, other.session.export_bytes(), "a.json")
    assert bench._learner_text.value == "Grace Hopper" and bench.session.learner == "Grace Hopper"


def test_starting_over_asks_first_then_keeps_the_old_work_and_says_where(scenario, path):
    bench = Workbench(scenario, path=path, autosave_delay=0)
    bench._learner_text.value = "Ada"
    bench.matrix._score_texts[0][1].value = "2"
    bench.session.answers["mock_answer"] = "MY ANSWER"
    bench.session.changed("answers")
    before = saved(path)
    bench._start_over_button.click()
    assert bench._confirm_button.layout.display == "" and bench._start_over_button.disabled
    assert "kept as a backup" in ws.error_text(bench._start_over_message)
    bench._cancel_button.click()
    assert saved(path) == before and bench._confirm_button.layout.display == "none"

    bench._start_over_button.click()
    bench._confirm_button.click()
    (backup,) = path.parent.glob("work.before-start-over-*.json")
    assert saved(backup)["answers"]["mock_answer"] == "MY ANSWER"
    assert saved(backup)["tradeoff"] == before["tradeoff"]
    assert str(backup) in bench._start_over_message.value
    now = saved(path)
    assert now["answers"] == {} and now["learner"] == "Ada"
    assert now["learner_id"] == before["learner_id"], "the same learner"
    assert {t.value for row in bench.matrix._score_texts for t in row} == {"3"}
    assert bench.session.answers == {} and not bench._start_over_button.disabled


def test_a_second_import_keeps_the_first_ones_backup(scenario, tmp_path):
    bench = Workbench(scenario, path=tmp_path / "w.json", autosave_delay=0)
    bench.session.answers["mock_answer"] = "ORIGINAL"
    bench.session.save_now()
    for answer in ("A", "B"):
        other = Workbench(scenario, path=tmp_path / f"{answer}.json", autosave_delay=0)
        other.session.answers["mock_answer"] = answer
        upload(bench, other.session.export_bytes(), f"{answer}.json")
        bench.session.save_now()
    backups = sorted(tmp_path.glob("w.before-import-*.json"))
    assert sorted(saved(b)["answers"]["mock_answer"] for b in backups) == ["A", "ORIGINAL"]


def test_import_round_trip_between_two_sessions(scenario, tmp_path):
    source = Workbench(scenario, path=tmp_path / "a.json", autosave_delay=0)
    source.session.fill_reference()
    source.risks._title_text.value = "Imported risk"
    source.risks._likelihood_text.value = "2"
    source.risks._impact_text.value = "5"
    source.risks._add_risk_button.click()
    raw = source.session.export_bytes()

    target = Workbench(scenario, path=tmp_path / "b.json", autosave_delay=0)
    target.matrix._score_texts[0][0].value = "1"  # work that the import replaces (and backs up)
    upload(target, raw, "a.json")
    assert "Imported a.json" in error_text(target._import_message)
    assert target.session.matrix.to_dict() == source.session.matrix.to_dict()
    assert target.session.register.to_dict() == source.session.register.to_dict()
    # every view followed the import
    assert target.matrix._score_texts[1][0].value == "4"
    assert "Imported risk" in target.risks._table_html.value
    assert saved(tmp_path / "b.json")["risks"] == source.session.register.to_dict()
    [backup_path] = tmp_path.glob("b.before-import-*.json")
    assert backup_path.name in error_text(target._import_message)
    backup = saved(backup_path)
    assert {(s["option"], s["criterion"]): s["score"] for s in backup["tradeoff"]["scores"]}[
        ("Rules and manual review", "Fraud caught")
    ] == 1
    assert target._import_upload.value == ()


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"{not json", "is not valid JSON"),
        (b"\xff\xfe", "is not UTF-8"),
        (b"[1, 2]", "must be a JSON object"),
        (
            b'{"format": "staffplus-work", "version": 2, "scenario": "payments-fraud"}',
            "holds work for scenario 'payments-fraud'",
        ),
        (
            b'{"format": "staffplus-work", "version": 2, "scenario": "widget-fixture", "cost": '
            b'{"lines": [{"kind": "storage", "name": "s", "gb": NaN, "usd_per_gb_month": 1}]}}',
            "NaN is not allowed",
        ),
    ],
)
def test_importing_a_bad_file_shows_why_and_keeps_the_work(scenario, path, raw, reason):
    bench = Workbench(scenario, path=path, autosave_delay=0)
    bench.matrix._score_texts[0][0].value = "5"
    before = bench.session.to_work()
    on_disk = path.read_bytes()
    upload(bench, raw, "bad.json")
    message = error_text(bench._import_message)
    assert message.startswith("\u26a0 Not imported, your work is unchanged") and reason in message
    assert bench.session.to_work() == before and path.read_bytes() == on_disk
    assert bench.matrix._score_texts[0][0].value == "5"


def test_a_corrupt_work_file_is_moved_aside_and_the_learner_is_told_where(scenario, path):
    path.write_text("{ this is not json")
    bench = Workbench(scenario, path=path, autosave_delay=0)
    moved = bench.session.moved_to
    assert moved is not None and moved.exists() and moved.read_text() == "{ this is not json"
    notice = bench._notice_html.value
    assert "role='alert'" in notice and str(moved) in notice


def test_a_workbook_says_when_an_instructor_copy_replaced_its_scenario(scenario, tmp_path):
    from dataclasses import replace

    copy = replace(scenario, path="/hub/<course>/payments-fraud.yaml", replaces=scenario.path)
    bench = Workbench(copy, path=tmp_path / "work.json", autosave_delay=0)
    notice = bench._notice_html.value
    assert "role='alert'" in notice and "which replaces" in notice and scenario.path in notice
    assert "/hub/&lt;course&gt;/payments-fraud.yaml" in notice and "<course>" not in notice
    plain = Workbench(scenario, path=tmp_path / "plain.json", autosave_delay=0)
    assert plain._notice_html.value == ""


def test_a_failing_save_is_shown_prominently(scenario, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the work folder should be")
    bench = Workbench(scenario, path=blocker / "work.json", autosave_delay=0)
    bench.matrix._score_texts[0][0].value = "4"
    assert bench.session.last_error.startswith("Could not save")
    assert "Your work is not being saved" in bench._error_html.value
    assert "Could not save" in bench.matrix._status.value
    blocker.unlink()
    bench._save_button.click()
    assert bench.session.last_error == "" and bench._error_html.value == ""
    assert "Saved to" in bench._save_message.value


def test_every_control_has_a_description_and_a_tooltip(scenario, path):
    bench = Workbench(scenario, path=path, autosave_delay=0)
    for control in controls(bench):
        assert control.description and control.tooltip, control


def _builtin_ids() -> list[str]:
    return get_pack().ids()


@pytest.mark.parametrize("scenario_id", _builtin_ids())
def test_every_builtin_scenario_opens_cleanly(scenario_id, tmp_path):
    bench = Workbench(scenario_id, path=tmp_path / "w.json", autosave_delay=0)
    bench.session.fill_reference()
    for view in (bench.card, bench.matrix, bench.risks, bench.cost, bench.feedback):
        assert view._status.value == "", (view, view._status.value)
    assert "Your recommendation:" in bench.matrix._ranking_html.value
    assert bench.matrix._sensitivity_view.summary
    assert bench.cost._range_html.value.count("Inside the expected range") == 1
    bench.feedback._review_button.click()
    assert "Work review for" in all_html(bench.feedback)


def test_rerunning_a_view_cell_replaces_the_old_view_but_never_a_workbench_tab(scenario, path):
    bench = Workbench(scenario, path=path, autosave_delay=0)
    first = TradeOffMatrixWidget(scenario, bench.session)
    listeners = len(bench.session.listeners)
    second = TradeOffMatrixWidget(scenario, bench.session)
    assert first.comm is None, "the old view was closed"
    assert first._listener not in bench.session.listeners
    assert len(bench.session.listeners) == listeners
    assert bench.matrix.comm is not None, "the Workbench's own tab stays open"
    second._score_texts[0][0].value = "2"
    assert bench.matrix._score_texts[0][0].value == "2"


def test_status_and_export_bar_can_be_shown_on_their_own(scenario, path):
    bench = Workbench(scenario, path=path, autosave_delay=0)
    assert bench.children[:2] == (bench.status, bench.export_bar)
    assert bench._notice_html in bench.status.children
    assert bench._import_upload in bench.export_bar.children[0].children
    assert "staffplus-export-link" in all_html(bench.export_bar)


def test_the_work_downloads_in_one_click_and_the_bar_offers_it_once(scenario, path):
    from staffplus_widgets.widgets import ExportBar

    bench = Workbench(scenario, path=path, autosave_delay=0)
    link = bench._export_html.value
    # a styled <a download> (a button that downloads), its style riding along
    assert "<a class='staffplus-download staffplus-export-link'" in link and "<style>" in link
    assert ">Download my work (work.json)</a>" in link
    # the report bar has no second work-file button; the upload button names what it takes
    (report_bar,) = [c for c in bench.export_bar.children if isinstance(c, ExportBar)]
    assert report_bar.children[0].children == (report_bar._report_button,)
    assert bench._import_upload.description == "Import a work file"


def test_only_widgets_with_a_description_carry_a_tooltip(scenario, path):
    """ipywidgets 8's front end cannot render a tooltip on a view without a description (Image)."""
    bench = Workbench(scenario, path=path, autosave_delay=0)
    bench.cost._compare_toggle.value = True
    bench.feedback._review_button.click()
    for widget in all_widgets(bench):
        if "description" not in widget.trait_names():
            assert not getattr(widget, "tooltip", None), widget


def test_building_and_using_the_views_raises_no_deprecation_warnings(scenario, path):
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bench = Workbench(scenario, path=path, autosave_delay=0)
        bench.matrix._score_texts[0][0].value = "4"
        bench.cost._compare_toggle.value = True
        bench.feedback._review_button.click()
    assert not [w for w in caught if issubclass(w.category, DeprecationWarning)], [
        str(w.message) for w in caught
    ]


def test_layouts_and_styles_that_never_change_are_shared_and_refuse_changes(scenario, path):
    from staffplus_widgets.widgets._common import shared

    bench = Workbench(scenario, path=path, autosave_delay=0)
    widgets = all_widgets(bench)
    layouts = {id(x.layout) for x in widgets}
    assert len(layouts) < len(widgets) / 3, "each widget would otherwise open a Layout of its own"
    html = bench.matrix._ranking_html
    assert html.layout is bench.risks._table_html.layout
    with pytest.raises(AttributeError, match="shared"):
        html.layout.display = "none"
    with pytest.raises(AttributeError, match="shared"):
        html.style.font_size = "20px"
    # the views that hide and show parts of themselves own those layouts
    bench.cost._compare_toggle.value = True
    assert bench.cost._compare_box.layout.display == "flex"
    assert html.layout.display is None
    # a closed shared model (Widget.close_all(), say) is made again on next use
    old = shared(w.Layout, width="123px")
    assert shared(w.Layout, width="123px") is old
    old.close()
    assert shared(w.Layout, width="123px") is not old


def test_a_displayed_view_describes_itself_in_one_line_without_walking_its_children(
    scenario, path, monkeypatch
):
    bench = Workbench(scenario, path=path, autosave_delay=0)

    def walked(self):
        raise AssertionError(f"{type(self).__name__} repr walked the widget tree")

    monkeypatch.setattr(w.Widget, "_repr_keys", walked)
    for view in (bench, bench.card, bench.matrix, bench.risks, bench.cost, bench.feedback):
        text = view._repr_mimebundle_()["text/plain"]
        assert text == f"{type(view).__name__}(scenario={scenario.id!r}, work={path.name!r})"


def test_an_answer_box_shows_an_imported_answer_and_never_writes_the_old_one_back(
    scenario, tmp_path
):
    from staffplus_widgets.widgets import AnswerBox

    bench = Workbench(scenario, path=tmp_path / "w.json", autosave_delay=0)
    box = AnswerBox(bench.session, "clarifying")
    box.value = "my old questions"
    doc = json.loads(bench.session.export_bytes())
    doc["answers"]["clarifying"] = "IMPORTED"
    upload(bench, json.dumps(doc).encode(), "other.json")
    assert box.value == "IMPORTED"
    box.value += "?"
    bench.session.save_now()
    assert saved(tmp_path / "w.json")["answers"]["clarifying"] == "IMPORTED?"
