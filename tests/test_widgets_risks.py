"""RiskRegisterWidget without a kernel: add, edit, remove, table, heat map, coverage, reference."""

from __future__ import annotations

import copy
import html
import xml.etree.ElementTree as ET

import pytest
from fixtures import widget_support as ws

from staffplus_widgets.core.categories import CATEGORY_IDS
from staffplus_widgets.data.scenario import Scenario
from staffplus_widgets.widgets import RiskRegisterWidget


@pytest.fixture
def view(scenario, session):
    return RiskRegisterWidget(scenario, session)


def fill(view, **values):
    form = {
        "title": "Labels arrive eight weeks late",
        "category": "data",
        "likelihood": "4",
        "impact": "3",
        "mitigation": "Evaluate on matured windows",
        "owner": "Data scientist",
        "detection": "Precision on matured labels",
        "raised": "unprompted",
        **values,
    }
    for name, value in form.items():
        view._inputs[name].value = value


def test_adding_a_risk_with_every_field_saves_it(view, session, path):
    fill(view, raised="prompted", category="legal")
    view._add_risk_button.click()
    risk = session.register.risks[0]
    assert (risk.title, risk.category, risk.likelihood, risk.impact, risk.raised) == (
        "Labels arrive eight weeks late",
        "legal",
        4,
        3,
        "prompted",
    )
    assert (risk.mitigation, risk.owner, risk.detection) == (
        "Evaluate on matured windows",
        "Data scientist",
        "Precision on matured labels",
    )
    assert ws.saved(path)["risks"]["risks"][0] == risk.to_dict()
    assert "Added" in view._form_message.value
    assert view._title_text.value == "" and view._risk_dropdown.value == ""
    assert view.value == session.register.to_dict()


def test_the_table_is_sorted_by_severity(view):
    for title, lk, im in (("low", "1", "2"), ("high", "4", "5"), ("mid", "3", "3")):
        fill(view, title=title, likelihood=lk, impact=im)
        view._add_risk_button.click()
    table = view._table_html.value
    assert table.index(">high<") < table.index(">mid<") < table.index(">low<")
    assert "<b>20</b>" in table


@pytest.mark.parametrize("field", ["likelihood", "impact"])
@pytest.mark.parametrize("bad", [*ws.BAD_NUMBERS, "0", "6", "2.5", "five"])
def test_bad_levels_are_rejected_beside_the_field(view, session, path, field, bad):
    fill(view)
    view._inputs[field].value = bad  # checked at once in the draft...
    first = ws.error_text(view._messages[field])
    assert f"risk {field}" in first
    view._add_risk_button.click()  # ...and again when adding
    assert f"risk {field}" in ws.error_text(view._messages[field])
    label = field.capitalize()
    assert ws.error_text(view._form_message).endswith(f"Not added: check {label} above.")
    assert session.register.risks == []
    assert not path.exists() or ws.saved(path)["risks"] is None


@pytest.mark.parametrize("bad, reason", ws.bad_names())
def test_bad_titles_are_rejected_beside_the_title(view, session, bad, reason):
    fill(view, title=bad)
    view._add_risk_button.click()
    assert reason in ws.error_text(view._messages["title"])
    assert session.register.risks == []


def test_a_refused_add_never_shows_the_last_adds_message(view, session):
    fill(view)
    view._add_risk_button.click()
    assert "Added" in view._form_message.value
    # the click can reach the kernel before the last field typed: it is refused, visibly
    fill(view, title="Analyst queue overflows at peak", impact="")
    view._add_risk_button.click()
    assert "Added" not in view._form_message.value
    assert ws.error_text(view._form_message).endswith("Not added: check Impact above.")
    assert "risk impact" in ws.error_text(view._messages["impact"])
    assert len(session.register.risks) == 1
    # once the field holds a good value the same click adds it
    view._impact_text.value = "3"
    view._add_risk_button.click()
    assert "Added" in view._form_message.value and len(session.register.risks) == 2


def test_duplicate_titles_are_rejected(view, session):
    fill(view)
    view._add_risk_button.click()
    fill(view, title="LABELS ARRIVE EIGHT WEEKS LATE")
    view._add_risk_button.click()
    assert "duplicate name" in ws.error_text(view._messages["title"])
    assert len(session.register.risks) == 1


def test_editing_a_selected_risk_applies_each_field(view, session, path):
    fill(view)
    view._add_risk_button.click()
    view._risk_dropdown.value = "Labels arrive eight weeks late"
    assert view._likelihood_text.value == "4" and not view._remove_risk_button.disabled
    view._impact_text.value = "5"
    view._category_dropdown.value = "modeling"
    view._raised_buttons.value = "prompted"
    view._title_text.value = "Chargeback labels are late"
    risk = session.register.risks[0]
    assert (risk.title, risk.impact, risk.category, risk.raised) == (
        "Chargeback labels are late",
        5,
        "modeling",
        "prompted",
    )
    assert view._risk_dropdown.value == "Chargeback labels are late"
    assert "(severity 20)" in view._risk_dropdown.label
    assert ws.saved(path)["risks"]["risks"][0]["impact"] == 5
    view._impact_text.value = "9"
    assert "risk impact: must be at most 5" in ws.error_text(view._messages["impact"])
    assert session.register.risks[0].impact == 5


def test_removing_a_risk(view, session, path):
    fill(view)
    view._add_risk_button.click()
    view._risk_dropdown.value = "Labels arrive eight weeks late"
    view._remove_risk_button.click()
    assert session.register.risks == [] and ws.saved(path)["risks"]["risks"] == []
    assert view._risk_dropdown.value == ""


def test_heat_map_counts_follow_the_register(view, session):
    for i, (lk, im) in enumerate([(4, 4), (4, 4), (1, 5)]):
        fill(view, title=f"risk {i}", likelihood=str(lk), impact=str(im))
        view._add_risk_button.click()
    picture = ET.fromstring(view._heatmap_view.picture)

    def count(likelihood: int, impact: int) -> str:
        """The cell's count as written, or "" for an empty cell (it writes no zero)."""
        cell = picture.find(f".//{{*}}g[@id='cell-{likelihood}-{impact}']")
        texts = [t.text for t in cell.iter() if t.tag.endswith("text")]
        return "" if texts[-1].startswith("sev ") else texts[-1]

    assert count(4, 4) == "2" and count(1, 5) == "1" and count(2, 2) == ""
    assert "likelihood 4 x impact 4: 2" in view._heatmap_view.summary


def test_coverage_nudges_towards_empty_categories_without_revealing_the_reference(view, scenario):
    expected = scenario.expected_categories()
    nudge = view._coverage_html.value
    assert "Still empty:</b> " + ", ".join(expected) in nudge
    fill(view, category="legal")
    view._add_risk_button.click()
    assert "legal" not in view._coverage_html.value.split("Still empty:</b>")[1]
    reference_titles = [r["title"] for r in scenario.data["reference_risks"]]
    assert not any(t in ws.all_html(view) for t in reference_titles)
    view._reference_button.click()
    assert all(t in view._reference_html.value for t in reference_titles)
    assert view._reference_button.description == "Hide reference register"
    view._reference_button.click()
    assert not any(t in ws.all_html(view) for t in reference_titles)


def test_every_category_can_be_chosen(view):
    assert [v for _, v in view._category_dropdown.options] == list(CATEGORY_IDS)


def test_learner_text_is_escaped_everywhere(view):
    fill(view, title=ws.XSS, mitigation=ws.XSS, owner=ws.XSS, detection=ws.XSS)
    view._add_risk_button.click()
    shown = ws.all_html(view)
    assert ws.XSS not in shown
    assert view._table_html.value.count(ws.ESCAPED_XSS) == 4


def test_restores_from_the_file(scenario, view, path):
    fill(view)
    view._add_risk_button.click()
    again = RiskRegisterWidget(scenario, ws.new_session(path, scenario))
    assert "Labels arrive eight weeks late" in again._table_html.value
    assert [v for _, v in again._risk_dropdown.options] == ["", "Labels arrive eight weeks late"]


def test_every_control_has_a_description_and_a_tooltip(view):
    for control in ws.controls(view):
        assert control.description and control.tooltip, control


# -- the click that outruns its field (in a kernel, on its event loop) -------------------------------
def _in_a_kernel_loop(steps):
    """Run ``steps`` (a coroutine function) on an asyncio loop, as a kernel's handlers run."""
    import asyncio

    asyncio.run(steps())


def browser_click(button):
    """A click as it comes from the browser: a comm message, not a call to ``click()``."""
    button._handle_button_msg(button, {"event": "click"}, [])


def test_a_click_before_the_last_typed_value_arrives_still_adds_that_value(view, session):
    import asyncio

    from staffplus_widgets.widgets import _views as _common

    async def steps():
        fill(view, impact="")  # the impact the learner typed has not reached the kernel yet
        browser_click(view._add_risk_button)
        assert "Adding" in view._form_message.value and not session.register.risks
        await asyncio.sleep(0.01)
        view._inputs["impact"].value = "5"  # ...it arrives just after the click
        await asyncio.sleep(_common.SETTLE_S * (_common.SETTLE_TRIES + 1))

    _in_a_kernel_loop(steps)
    assert [r.impact for r in session.register.risks] == [5], "added once, with the typed value"
    assert "Added" in view._form_message.value and "Not added" not in view._form_message.value


def test_a_second_click_while_the_first_waits_adds_nothing_twice(view, session):
    import asyncio

    from staffplus_widgets.widgets import _views as _common

    async def steps():
        fill(view)
        browser_click(view._add_risk_button)
        browser_click(view._add_risk_button)
        await asyncio.sleep(_common.SETTLE_S * 2)

    _in_a_kernel_loop(steps)
    assert len(session.register.risks) == 1


def test_a_value_that_never_comes_is_refused_after_the_last_try(view, session):
    import asyncio

    from staffplus_widgets.widgets import _views as _common

    async def steps():
        fill(view, impact="")
        browser_click(view._add_risk_button)
        await asyncio.sleep(_common.SETTLE_S * (_common.SETTLE_TRIES + 1))

    _in_a_kernel_loop(steps)
    assert not session.register.risks
    assert ws.error_text(view._form_message).endswith("Not added: check Impact above.")


def test_a_click_from_a_notebook_cell_is_handled_at_once_even_in_a_kernel(view, session):
    """A cell that fills the form and calls click() needs no wait: its values are set."""

    async def steps():
        fill(view)
        view._add_risk_button.click()
        assert len(session.register.risks) == 1

    _in_a_kernel_loop(steps)


@pytest.mark.parametrize("scenario_id", ["payments-fraud", "search-ranking", "credit-risk"])
def test_the_form_suggests_risks_in_the_scenarios_own_terms_never_a_reference_one(
    scenario_id, tmp_path
):
    from staffplus_widgets.data.scenario import get_scenario

    sc = get_scenario(scenario_id)
    view = RiskRegisterWidget(sc, ws.new_session(tmp_path / "w.json", sc))
    examples = sc.data["risk_form_examples"]
    assert view._title_text.placeholder == examples["title"]
    assert view._owner_text.placeholder == examples["owner"]
    assert view._detection_text.placeholder == examples["detection"]
    reference = " ".join(r["title"].lower() for r in sc.data["reference_risks"])
    assert examples["title"].removeprefix("e.g. ").lower() not in reference
    if scenario_id != "payments-fraud":
        assert "chargeback" not in view._title_text.placeholder


def test_hints_come_one_empty_category_at_a_time_before_the_reference(view, scenario):
    hints = dict(scenario.risk_hints())
    assert list(hints) == ["business", "legal", "team"]  # rubric order
    assert view._hints_html.value == "" and view._hint_button.description == "Hint (3 left)"
    fill(view, category="business")  # the learner covers business first
    view._add_risk_button.click()
    assert view._hint_button.description == "Hint (2 left)"
    view._hint_button.click()  # skips the covered category
    shown = view._hints_html.value
    assert html.escape(hints["legal"]) in shown and html.escape(hints["team"]) not in shown
    assert html.escape(hints["business"]) not in shown
    assert scenario.data["reference_risks"][0]["title"] not in shown
    view._hint_button.click()
    assert html.escape(hints["team"]) in view._hints_html.value
    assert view._hint_button.disabled and "reference register" in view._hints_html.value
    fill(view, title="Nobody on call", category="team")
    view._add_risk_button.click()
    assert "<b>team</b> <small>(covered now)</small>" in view._hints_html.value


def test_a_scenario_without_hints_shows_no_hint_button(scenario, session):
    data = copy.deepcopy(scenario.data)
    del data["risk_hints"]
    bare = Scenario(data, "memory")
    view = RiskRegisterWidget(bare, session)
    assert view._hint_button.layout.display == "none" and view._hints_html.value == ""


def test_focus_goes_to_the_next_title_after_an_add_and_to_the_field_at_fault_after_a_refusal(
    view, monkeypatch
):
    focused: list[str] = []
    for name, widget in view._inputs.items():
        monkeypatch.setattr(widget, "focus", lambda name=name: focused.append(name))
    fill(view)
    view._add_risk_button.click()
    assert focused == ["title"]  # a keyboard user types the next risk at once
    fill(view, title="Analyst queue overflows at peak", impact="")
    view._add_risk_button.click()
    assert focused == ["title", "impact"]
