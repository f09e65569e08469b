"""The parsed-YAML cache: same data as parsing, only for the very same text, never required."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from staffplus_widgets.core.errors import ScenarioError
from staffplus_widgets.data import yamlcache
from staffplus_widgets.data.scenario import builtin_dir, load_file

SCENARIO_FILES = sorted(builtin_dir().glob("*.yaml"))


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv(yamlcache.ENV_VAR, str(tmp_path / "cache"))
    return tmp_path / "cache" / yamlcache.SUBDIR


def no_parsing(monkeypatch) -> None:
    def refuse(text):
        raise AssertionError("parsed although the cache had this text")

    monkeypatch.setattr(yamlcache, "parse", refuse)


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.name)
def test_a_cached_file_gives_exactly_what_parsing_gives(path, cache, monkeypatch):
    text = path.read_text("utf-8")
    fresh = yamlcache.parse(text)
    assert yamlcache.load(text) == fresh
    assert (cache / f"{yamlcache.digest(text)}.json").is_file()
    no_parsing(monkeypatch)
    again = yamlcache.load(text)
    assert again == fresh and json.dumps(again, sort_keys=True) == json.dumps(fresh, sort_keys=True)


def test_an_edited_text_is_parsed_again(cache, monkeypatch):
    assert yamlcache.load("a: 1\n") == {"a": 1}
    assert yamlcache.load("a: 2\n") == {"a": 2}
    assert len(list(cache.glob("*.json"))) == 2


@pytest.mark.parametrize(
    "entry",
    [
        "not json at all",
        '{"sha256": "0000", "data": {"a": 99}}',  # written for another text
        '{"data": {"a": 99}}',
        '{"sha256": "KEY"',  # truncated
        "[1, 2]",
    ],
)
def test_a_bad_entry_is_ignored_and_replaced(entry, cache):
    text = "a: 1\n"
    key = yamlcache.digest(text)
    cache.mkdir(parents=True)
    (cache / f"{key}.json").write_text(entry.replace("KEY", key), "utf-8")
    assert yamlcache.load(text) == {"a": 1}
    assert json.loads((cache / f"{key}.json").read_text("utf-8"))["data"] == {"a": 1}


def test_invalid_yaml_says_where_and_is_never_cached(cache):
    with pytest.raises(yamlcache.InvalidYaml) as info:
        yamlcache.load("a: [1, 2\nb: 3\n")
    assert info.value.line is not None and info.value.problem
    assert not cache.exists() or not list(cache.glob("*.json"))


@pytest.mark.parametrize(
    "text, value",
    [("when: 2026-11-25\n", {"when": dt.date(2026, 11, 25)}), ("1: one\n", {1: "one"})],
)
def test_data_json_cannot_hold_exactly_is_parsed_every_time(text, value, cache):
    assert yamlcache.load(text) == value
    assert yamlcache.load(text) == value
    assert not cache.exists() or not list(cache.glob("*.json"))


def test_off_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(yamlcache.ENV_VAR, "off")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert yamlcache.cache_dir() is None
    assert yamlcache.load("a: 1\n") == {"a": 1}
    assert list(tmp_path.iterdir()) == []


def test_default_folder_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv(yamlcache.ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert yamlcache.cache_dir() == tmp_path / "staffplus" / yamlcache.SUBDIR


def test_a_folder_that_cannot_be_written_only_means_parsing(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(yamlcache.ENV_VAR, str(blocker / "cache"))  # mkdir fails, even as root
    assert yamlcache.load("a: 1\n") == {"a": 1}


def test_the_oldest_entries_go_when_the_folder_is_full(cache, monkeypatch):
    monkeypatch.setattr(yamlcache, "MAX_ENTRIES", 3)
    for i in range(5):
        yamlcache.load(f"n: {i}\n")
    assert len(list(cache.glob("*.json"))) == 3
    assert not list(cache.glob("*.tmp"))


def test_cached_scenarios_are_still_validated(cache, tmp_path, monkeypatch):
    """The cache keeps the parse, not the verdict: a rule applies to cached files at once."""
    source = builtin_dir() / "payments-fraud.yaml"
    text = source.read_text("utf-8")
    path = tmp_path / "payments-fraud.yaml"
    path.write_text(text, "utf-8")
    assert load_file(path).id == "payments-fraud"
    # an entry for this very text whose data breaks the schema (only tampering could do this)
    entry = cache / f"{yamlcache.digest(text)}.json"
    stored = json.loads(entry.read_text("utf-8"))
    del stored["data"]["rubric"]
    entry.write_text(json.dumps(stored), "utf-8")
    with pytest.raises(ScenarioError, match="rubric"):
        load_file(path)


def test_scenario_files_that_are_not_yaml_keep_their_message(tmp_path, cache):
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\nrubric: [1, 2\n", "utf-8")
    with pytest.raises(ScenarioError, match=r"is not valid YAML at line \d+"):
        load_file(path)


def test_a_key_given_twice_is_refused_with_its_line():
    from staffplus_widgets.data.yamlcache import InvalidYaml, parse

    with pytest.raises(InvalidYaml) as err:
        parse("id: a\ntitle: First\nrubric: []\ntitle: Second\n")
    assert "twice" in err.value.problem and err.value.line == 4
