"""The scenario pack: every built-in scenario passes the content checks; extra folders; broken files."""

from __future__ import annotations

import copy
import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from fixtures.widget_support import BUILTIN_SCENARIOS

from staffplus_widgets.cli.content import scenario_checks
from staffplus_widgets.data.scenario import Scenario, builtin_dir, load_file, load_pack
from staffplus_widgets.feedback import review_text

REQUIRED = list(BUILTIN_SCENARIOS)


def test_required_scenarios_load_without_errors(pack):
    assert pack.errors == []
    assert set(REQUIRED) <= set(pack.ids())


@pytest.mark.parametrize("scenario_id", REQUIRED)
def test_scenario_content_bar(pack, scenario_id):
    sc = pack.get(scenario_id)
    d = sc.data
    problems, _info = scenario_checks(
        sc
    )  # examples detected/negated, winners, variants, exemplar gap
    assert problems == []
    assert len(d["options"]) >= 3 and sum(bool(o.get("baseline")) for o in d["options"]) >= 1
    assert len(d["rubric"]) >= 10 and len({i["category"] for i in d["rubric"]}) >= 6
    assert {i["phase"] for i in d["rubric"]} >= {"clarify", "risks"}
    assert len(d["sources"]) >= 2
    low, high = sc.cost_range()
    assert low <= sc.reference_cost_model().estimate().total <= high


@pytest.mark.parametrize("scenario_id", REQUIRED)
def test_every_question_and_every_category_a_learner_can_leave_empty_has_a_hint(pack, scenario_id):
    sc = pack.get(scenario_id)
    assert all(q.get("hint") for q in sc.data["clarifying_questions"])
    wanted = set(sc.expected_categories()) | {r["category"] for r in sc.data["reference_risks"]}
    assert {c for c, _ in sc.risk_hints()} == wanted
    # (that no hint repeats its answer is one of scenario_checks' problems, tested above)


def test_a_hint_that_gives_the_answer_away_is_a_problem(pack):
    data = copy.deepcopy(pack.get("payments-fraud").data)
    q = data["clarifying_questions"][0]
    q["hint"] = "Maybe: " + " ".join(q["answer"].split()[:8])
    risk = data["reference_risks"][0]
    data["risk_hints"][risk["category"]] = "Consider: " + risk["mitigation"]
    # fraud has no fairness item yet (issue 21 adds one): a hint there points at nothing
    data["risk_hints"]["fairness"] = "Who is declined more often?"
    problems, _ = scenario_checks(Scenario(data, "memory"))
    assert "clarifying_questions[0].hint repeats the answer's words; say it as a nudge" in problems
    assert any(p.startswith(f"risk_hints.{risk['category']} repeats") for p in problems)
    if "fairness" not in {r["category"] for r in data["rubric"] + data["reference_risks"]}:
        assert any(p.startswith("risk_hints.fairness: no rubric item") for p in problems)


@pytest.mark.parametrize("scenario_id", REQUIRED)
def test_staff_exemplar_scores_clearly_above_senior(pack, scenario_id):
    sc = pack.get(scenario_id)
    staff = review_text(sc, sc.data["exemplars"]["staff"])
    senior = review_text(sc, sc.data["exemplars"]["senior"])
    assert staff.score >= senior.score + 40
    assert len(staff.raised_ids) >= 0.75 * len(sc.rubric)
    assert sum(s.present for s in staff.signals) > sum(s.present for s in senior.signals)


@pytest.mark.parametrize("scenario_id", REQUIRED)
def test_every_example_lands_at_its_level(pack, scenario_id):
    """raised: named or reasoned; reasoned: reasoned; named: named; negated: never credited."""
    sc = pack.get(scenario_id)
    for item in sc.rubric:
        ex = item["examples"]
        assert item.get("concept"), item["id"]
        assert ex.get("named") and ex.get("reasoned"), item["id"]

        def level(sentence, item_id=item["id"]):
            return next(i.level for i in review_text(sc, sentence).items if i.id == item_id)

        for sentence in ex["raised"]:
            assert sentence.strip().lower() not in {m.lower() for m in item["matchers"]}
            assert level(sentence) in ("named", "reasoned"), (item["id"], sentence)
        for sentence in ex["reasoned"]:
            assert level(sentence) == "reasoned", (item["id"], sentence)
        for sentence in ex["named"]:
            assert level(sentence) == "named", (item["id"], sentence)
        for sentence in ex["negated"]:
            assert level(sentence) in ("dismissed", "absent"), (item["id"], sentence)


@pytest.mark.parametrize("scenario_id", REQUIRED)
def test_exemplars_meet_the_levels_bar(pack, scenario_id):
    """The Staff+ exemplar scores at least 85, the senior one at most 25 (issue: feedback levels)."""
    sc = pack.get(scenario_id)
    assert review_text(sc, sc.data["exemplars"]["staff"]).score >= 85
    assert review_text(sc, sc.data["exemplars"]["senior"]).score <= 25


def test_judgment_drill_has_24_statements_of_both_kinds(pack):
    statements = [s for sc in pack.scenarios.values() for s in sc.data["judgment_drill"]]
    assert len(statements) >= 24
    assert {s["kind"] for s in statements} == {"recall", "judgment"}


def test_extra_folder_from_env_and_broken_file_does_not_stop_others(tmp_path, monkeypatch):
    src = builtin_dir() / "payments-fraud.yaml"
    data = yaml.safe_load(src.read_text())
    data["id"] = "payments-fraud-eu"
    data["title"] = "Payments fraud, EU only"
    (tmp_path / "eu.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    broken = dict(data, id="broken")
    broken["rubric"] = broken["rubric"][:3]
    del broken["prompt"]
    (tmp_path / "broken.yaml").write_text(yaml.safe_dump(broken, sort_keys=False))
    (tmp_path / "garbage.yaml").write_text("id: [unclosed\n")
    monkeypatch.setenv("STAFFPLUS_SCENARIOS", str(tmp_path))
    pack = load_pack()
    assert "payments-fraud-eu" in pack.ids() and "payments-fraud" in pack.ids()
    assert len(pack.errors) == 2
    broken_err = next(e for e in pack.errors if "broken.yaml" in e)
    assert "rubric" in broken_err and "prompt" in broken_err
    garbage_err = next(e for e in pack.errors if "garbage.yaml" in e)
    assert "not valid YAML at line" in garbage_err


def test_error_names_file_field_path_and_value(tmp_path):
    data = yaml.safe_load((builtin_dir() / "search-ranking.yaml").read_text())
    data["rubric"][2]["category"] = "vibes"
    data["options"][1]["scores"][data["criteria"][0]["name"]]["score"] = 9
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(Exception) as exc:
        load_file(path)
    text = str(exc.value)
    assert str(path) in text and "rubric[2].category" in text and "'vibes'" in text
    assert "options[1].scores" in text and "9" in text


def test_cli_scenarios_flag_and_validate(tmp_path):
    copy_path = tmp_path / "credit-risk-copy.yaml"  # validate wants the file named by its id
    shutil.copy(builtin_dir() / "credit-risk.yaml", copy_path)
    copy_path.write_text(
        copy_path.read_text().replace("id: credit-risk", "id: credit-risk-copy", 1)
    )
    out = subprocess.run(
        [sys.executable, "-m", "staffplus_widgets", "--scenarios", str(tmp_path), "scenarios"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0 and "credit-risk-copy" in out.stdout
    ok = subprocess.run(
        [sys.executable, "-m", "staffplus_widgets", "validate", str(copy_path)],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr


def test_scenario_files_name_their_sources():
    for path in Path(builtin_dir()).glob("*.yaml"):
        if path.name == "prices.yaml":
            continue
        data = yaml.safe_load(path.read_text())
        assert path.stem == data["id"]
        assert all(s["url"].startswith("http") and s["used_for"].strip() for s in data["sources"])


# -- what `staffplus validate` asks of a scenario beyond the schema ---------------------------------
def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "staffplus_widgets", *args],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip


def test_validate_wants_the_file_named_by_its_id(tmp_path):
    wrong = tmp_path / "fraud-copy.yaml"
    shutil.copy(builtin_dir() / "payments-fraud.yaml", wrong)
    run = _cli("validate", str(wrong))
    assert run.returncode == 1
    assert f"{wrong}: id: the file should be named payments-fraud.yaml (got 'fraud-copy.yaml')" in (
        run.stderr
    )


def test_a_rubric_item_without_a_concept_or_with_an_empty_matcher_is_a_problem(pack):
    data = copy.deepcopy(pack.get("payments-fraud").data)
    del data["rubric"][1]["concept"]
    data["rubric"][2]["matchers"].append("the ... is")
    problems, _ = scenario_checks(Scenario(data, "memory"))
    first, second = data["rubric"][1]["id"], data["rubric"][2]["id"]
    assert any(p.startswith(f"rubric[1] {first}.concept: missing") for p in problems)
    assert any(
        p.startswith(f"rubric[2] {second}.matchers: made only of ignored words")
        and "'the ... is'" in p
        for p in problems
    )


def test_a_reference_risk_category_without_a_rubric_item_is_a_problem(pack):
    data = copy.deepcopy(pack.get("search-ranking").data)
    data["rubric"] = [i for i in data["rubric"] if i["category"] != "security"]
    problems, _ = scenario_checks(Scenario(data, "memory"))
    index = next(i for i, r in enumerate(data["reference_risks"]) if r["category"] == "security")
    assert (
        f"reference_risks[{index}].category: no rubric item is in this category, so the feedback "
        "never asks about it (got 'security')"
    ) in problems


@pytest.mark.parametrize("scenario_id", REQUIRED)
def test_every_category_of_the_reference_risks_has_a_rubric_item(pack, scenario_id):
    sc = pack.get(scenario_id)
    assert {r["category"] for r in sc.data["reference_risks"]} <= {i["category"] for i in sc.rubric}


def test_an_instructor_copy_replaces_the_built_in_scenario_and_says_so(tmp_path, monkeypatch):
    from staffplus_widgets.data import scenario as scenario_module

    text = (builtin_dir() / "payments-fraud.yaml").read_text()
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    copy_path = tmp_path / "payments-fraud.yaml"
    copy_path.write_text(text.replace(title, "title: Fraud, the <b>workshop</b> edit", 1))
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n")
    monkeypatch.setenv("STAFFPLUS_SCENARIOS", str(tmp_path))
    monkeypatch.setattr(scenario_module, "_CACHE", {})
    pack = load_pack()
    replaced = pack.get("payments-fraud")
    assert replaced.title == "Fraud, the <b>workshop</b> edit" and replaced.path == str(copy_path)
    assert replaced.replaces == str(builtin_dir() / "payments-fraud.yaml")
    assert pack.notices == [
        f"payments-fraud: using {copy_path}, which replaces {builtin_dir() / 'payments-fraud.yaml'}"
    ]
    # the one-scenario path that notebooks take reads the replacement too
    assert scenario_module.get_scenario("payments-fraud").path == str(copy_path)
    # the listing says which file won and which was skipped, on stdout where it is read
    listing = _cli("scenarios", env={**os.environ, "STAFFPLUS_CACHE_DIR": "off"})
    assert listing.returncode == 0
    assert f"replaced: payments-fraud: using {copy_path}" in listing.stdout
    assert "skipped: " in listing.stdout and "broken.yaml" in listing.stdout


def test_two_files_with_one_id_in_one_folder_are_an_error(tmp_path, monkeypatch):
    text = (builtin_dir() / "credit-risk.yaml").read_text().replace("id: credit-risk", "id: cr", 1)
    (tmp_path / "a.yaml").write_text(text)
    (tmp_path / "b.yaml").write_text(text)
    monkeypatch.setenv("STAFFPLUS_SCENARIOS", str(tmp_path))
    pack = load_pack()
    assert pack.get("cr").path == str(tmp_path / "a.yaml")
    assert any("b.yaml: id: duplicate scenario id in one folder" in e for e in pack.errors)
    assert pack.notices == []


def test_a_price_catalogue_typo_names_the_field_path(tmp_path):
    text = (builtin_dir() / "payments-fraud.yaml").read_text()
    data = yaml.safe_load(text)
    index = next(i for i, line in enumerate(data["cost_reference"]["lines"]) if "instance" in line)
    data["cost_reference"]["lines"][index]["instance"] = "c6i.xlarg"
    path = tmp_path / "payments-fraud.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    run = _cli("validate", str(path))
    assert run.returncode == 1
    assert f"cost_reference.lines[{index}].instance: is not in the price catalogue's instances" in (
        run.stderr
    )
    assert "c6i.xlarge" in run.stderr and "(got 'c6i.xlarg')" in run.stderr


def test_a_rubric_without_a_clarify_item_is_a_problem(pack):
    from staffplus_widgets.feedback.rubric_checks import rubric_problems

    sc = pack.get("payments-fraud")
    data = copy.deepcopy(sc.data)
    for item in data["rubric"]:
        if item["phase"] == "clarify":
            item["phase"] = "requirements"
    problems, _ = rubric_problems(dataclasses.replace(sc, data=data))
    assert any("needs an item in phase 'clarify'" in p for p in problems)
    assert not any("phase" in p for p in rubric_problems(sc)[0])
