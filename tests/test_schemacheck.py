"""Our small schema validator agrees with the reference `jsonschema` implementation."""

from __future__ import annotations

import copy

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from staffplus_widgets.data.scenario import builtin_dir, load_schema
from staffplus_widgets.data.schemacheck import Validator
from staffplus_widgets.practice.session import WorkSession


@pytest.mark.parametrize("name", ["scenario", "work"])
def test_published_schemas_are_valid_json_schema(name):
    jsonschema.Draft202012Validator.check_schema(load_schema(name))


def _same(name, doc):
    ours = sorted(
        (tuple(map(str, p.path)), p.message) for p in Validator(load_schema(name)).iter_errors(doc)
    )
    theirs = list(jsonschema.Draft202012Validator(load_schema(name)).iter_errors(doc))
    assert bool(ours) == bool(theirs), (ours[:3], [e.message for e in theirs[:3]])
    assert {p for p, _ in ours} == {tuple(map(str, e.absolute_path)) for e in theirs}


SCENARIOS = sorted(p for p in builtin_dir().glob("*.yaml") if p.name != "prices.yaml")


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_agrees_on_scenarios_and_their_mutations(path):
    doc = yaml.safe_load(path.read_text())
    _same("scenario", doc)
    mutations = [
        ("rubric", 0, "category", "vibes"),
        ("options", 1, "scores", "x"),
        ("criteria", 0, "weight", -1),
        ("sources", 0, "url", "ftp://x"),
        ("rubric", 2, "matchers", []),
        ("context", None, "team", ""),
        ("options", 0, "extra", 1),
        ("judgment_drill", 0, "kind", "both"),
        ("reference_risks", 1, "impact", 6),
    ]
    for key, index, field, value in mutations:
        bad = copy.deepcopy(doc)
        target = bad[key] if index is None else bad[key][index]
        target[field] = value
        _same("scenario", bad)
    bad = copy.deepcopy(doc)
    del bad["prompt"]
    _same("scenario", bad)


def test_agrees_on_work_files(fraud, tmp_path):
    s = WorkSession(fraud, tmp_path / "w.json", autosave_delay=0)
    s.fill_reference()
    work = s.to_work()
    _same("work", work)
    for mutate in (
        lambda w: w.update(version="2"),
        lambda w: w.update(format="x"),
        lambda w: w["risks"]["risks"][0].update(likelihood=9),
        lambda w: w["cost"]["lines"][0].update(kind="magic"),
        lambda w: w.update(tradeoff=[]),
        lambda w: w["answers"].update(x=3),
        lambda w: w.pop("scenario"),
        lambda w: w.update(scenario="Bad Id"),
    ):
        bad = copy.deepcopy(work)
        mutate(bad)
        _same("work", bad)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-10, 10)
    | st.floats(-10, 10, allow_nan=False)
    | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "format",
                    "version",
                    "scenario",
                    "risks",
                    "cost",
                    "tradeoff",
                    "answers",
                    "title",
                    "x",
                ]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_agrees_on_random_documents(doc):
    _same("work", doc)


def test_the_compiled_check_agrees_with_iter_errors_on_every_shipped_example():
    """is_valid is the fast path of schema_problems: it must say valid exactly when there are no errors."""
    import json
    from pathlib import Path

    from staffplus_widgets.data.scenario import _validator

    validator = _validator("work")
    fixtures = sorted((Path(__file__).parent / "fixtures").rglob("*.json"))
    seen = 0
    for path in fixtures:
        try:
            doc = json.loads(path.read_text("utf-8"))
        except (UnicodeDecodeError, ValueError):
            continue
        seen += 1
        assert validator.is_valid(doc) == (list(validator.iter_errors(doc)) == []), path.name
    assert seen
