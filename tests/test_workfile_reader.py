"""The reader checks each part of a work file once: an artifact by loading it into its model, the
rest by the schema, and a file that fails by the schema whole. These tests hold that to the
answer of the two full passes it replaces (the whole schema, then every model), for every field
of every artifact set to every kind of wrong value, so the models cannot drift from
``work.schema.json`` without a test saying where."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from typing import Any

import instructor_cohort
import pytest

from staffplus_widgets import workfile
from staffplus_widgets.core.errors import StaffplusError
from staffplus_widgets.data.scenario import schema_problems

# A value of each JSON kind, in and out of every range the artifacts have.
WRONG = (None, True, 0, -1, 3, 3.5, 6, 1e300, "", " ", "3", "x" * 5000, [], [1, 2], {}, {"a": 1})


def both_passes(doc: dict[str, Any]) -> str | None:
    """What the reader used to say: the first schema problem, else the first model problem."""
    problems = schema_problems("work", doc)
    if problems:
        return problems[0]
    failed = workfile._models_of(doc, first_only=True)[1]
    return str(failed[0]) if failed else None


def one_pass(doc: dict[str, Any]) -> str | None:
    try:
        workfile.parse_models(json.dumps(doc, ensure_ascii=False), where="w")
    except StaffplusError as exc:
        assert exc.field == "w"
        return exc.reason
    return None


@pytest.fixture(scope="module")
def base(cohort_scenario) -> dict[str, Any]:
    work, _ = instructor_cohort.good_work(
        cohort_scenario, "Ada", random.Random(3), source="interview"
    )
    matrix = work["tradeoff"]
    matrix["scale"] = [1, 5]
    first = matrix["options"][0]["name"]
    matrix["exclusions"] = [{"option": first, "constraint": "latency", "reason": "too slow"}]
    assert one_pass(work) is None and both_passes(work) is None
    return work


def places(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key and index below ``node``, parents first."""
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, child in children:
        yield (*path, key)
        yield from places(child, (*path, key))


def changed(doc: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return out


@pytest.mark.parametrize("artifact", workfile.ARTIFACTS)
def test_every_wrong_value_in_an_artifact_is_said_as_before(base, artifact):
    paths = [(artifact, *p) for p in places(base[artifact])] + [(artifact,)]
    seen = 0
    for path in paths:
        for value in WRONG:
            doc = changed(base, path, value)
            assert one_pass(doc) == both_passes(doc), (path, value)
            seen += 1
    assert seen > 100 * len(WRONG) / 4  # the artifacts were walked, not skipped


@pytest.mark.parametrize("artifact", workfile.ARTIFACTS)
def test_missing_unknown_and_duplicated_fields_are_said_as_before(base, artifact):
    for path in [(artifact, *p) for p in places(base[artifact])]:
        parent = base
        for key in path[:-1]:
            parent = parent[key]
        doc = copy.deepcopy(base)
        target = doc
        for key in path[:-1]:
            target = target[key]
        if isinstance(parent, dict):
            del target[path[-1]]
            assert one_pass(doc) == both_passes(doc), ("missing", path)
            target[path[-1]] = parent[path[-1]]
            target["unknown_field"] = [[[1]]]
        else:
            target.append(copy.deepcopy(parent[path[-1]]))  # the same entry twice
        assert one_pass(doc) == both_passes(doc), ("extra", path)


@pytest.mark.parametrize(
    ("artifact", "key", "limit"),
    [
        ("tradeoff", "options", 40),
        ("tradeoff", "criteria", 40),
        ("tradeoff", "scores", 1600),
        ("risks", "risks", 200),
        ("cost", "lines", 100),
    ],
)
def test_lists_longer_than_the_format_allows_are_said_as_before(base, artifact, key, limit):
    for length in (limit, limit + 1):
        doc = copy.deepcopy(base)
        entries = doc[artifact][key]
        doc[artifact][key] = [copy.deepcopy(entries[i % len(entries)]) for i in range(length)]
        said = one_pass(doc)
        assert said == both_passes(doc), (key, length)
    assert said is not None and "at most" in said


def test_a_problem_outside_the_artifacts_comes_first_as_before(base):
    doc = changed(base, ("answers",), {"mock_answer": 5})
    doc = changed(doc, ("risks", "risks", 0, "likelihood"), "3")
    assert one_pass(doc) == both_passes(doc)
    assert one_pass(doc).startswith("answers")
    doc = changed(base, ("learner",), 5)
    assert one_pass(doc) == both_passes(doc) is not None


def test_a_matrix_the_schema_passes_and_the_model_refuses_is_one_line_not_a_crash(base, tmp_path):
    # two options the schema allows and the model does not (names differ only in case): the
    # reader used to raise KeyError here, which took `staffplus validate` and the debrief down
    doc = copy.deepcopy(base)
    name = doc["tradeoff"]["options"][0]["name"]
    doc["tradeoff"]["options"].append({"name": name.upper()})
    assert schema_problems("work", doc) == []
    assert one_pass(doc) == f"option name: duplicate name (got {name.upper()!r})"
    from staffplus_widgets.cli import main

    path = tmp_path / "w.json"
    path.write_text(json.dumps(doc))
    assert main(["validate", str(path)]) == 1
