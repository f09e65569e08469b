"""Parsed YAML kept as JSON between processes, keyed by the text's SHA-256.

Every notebook kernel reads its scenario file, and the start-here notebook reads all eight. Turning
50 kB of YAML into Python objects costs about 12 ms a file even with libyaml's parser (the object
construction is pure Python), plus 45 ms to import PyYAML; reading the same data back as JSON
costs about 1 ms. So the first process to parse a text stores the result, as ``__pycache__`` does
for modules, and later kernels read that instead.

What this caches is only the parse. Callers still validate what they get, every time, so a
change to a schema or a validation rule applies to cached files at once. An entry is used only
if it names the very text being loaded (the hash is stored inside the entry as well as in its
file name); anything unreadable, truncated or foreign is ignored and parsed afresh. Data that
JSON cannot represent exactly (YAML dates, non-string keys) is never stored. A cache folder that
cannot be written (a read-only home on a shared hub) just means every load parses.

The folder is ``$STAFFPLUS_CACHE_DIR``, else ``$XDG_CACHE_HOME/staffplus``, else
``~/.cache/staffplus``; ``STAFFPLUS_CACHE_DIR=off`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

ENV_VAR = "STAFFPLUS_CACHE_DIR"
SUBDIR = "yaml-v2"  # bump when the entry format or what parse refuses changes (v2: repeated keys)
MAX_ENTRIES = 200  # a few versions of every scenario; the oldest go first


def cache_dir() -> Path | None:
    """Where parsed YAML is kept, or None when the cache is turned off."""
    configured = os.environ.get(ENV_VAR, "").strip()
    if configured.lower() == "off":
        return None
    if configured:
        base = Path(configured).expanduser()
    else:
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        base = (Path(xdg) if xdg else Path.home() / ".cache") / "staffplus"
    return base / SUBDIR


def digest(text: str) -> str:
    """The SHA-256 hex key of a YAML text, which names and identifies its cache entry."""
    # surrogatepass: a lone surrogate must give a key, not an error (the parser reports it)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class InvalidYaml(ValueError):
    """The text is not valid YAML: ``problem`` says why, ``line`` (1-based) where, when known."""

    def __init__(self, problem: str, line: int | None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line


def load(text: str) -> Any:
    """``yaml.load(text)`` with a safe loader, from the cache when this exact text was parsed before.

    Raises ``InvalidYaml`` for text that is not valid YAML (so callers need not import PyYAML).
    """
    folder = cache_dir()
    key = digest(text)
    if folder is not None:
        hit = _read(folder / f"{key}.json", key)
        if hit is not None:
            return hit[0]
    data = parse(text)
    if folder is not None:
        _store(folder, key, data)
    return data


# A scenario file is about ten thousand YAML nodes. Aliases ("*a") reuse a node without copying
# it, so a few hundred bytes of nested aliases ("billion laughs") stand for billions of nodes once
# anything walks the data (validation, the JSON cache). Past this many nodes, counted with every
# alias expanded, a file is refused before it is built.
MAX_EXPANDED_NODES = 200_000


def parse(text: str) -> Any:
    """Parse YAML with libyaml's safe loader when present (both loaders are safe loaders).

    The document is composed first and its size with every alias expanded is checked against
    ``MAX_EXPANDED_NODES``, so an alias bomb is refused in milliseconds instead of exhausting
    memory.
    """
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)  # noqa: S506 - a SafeLoader, never the full loader
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise InvalidYaml(str(problem), mark.line + 1 if mark is not None else None) from None
    finally:
        loader.dispose()


def _check_expansion(root: Any) -> None:
    """Raise InvalidYaml when ``root`` expands past ``MAX_EXPANDED_NODES`` or refers to itself."""
    import yaml

    sizes: dict[int, int] = {}
    open_ids: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_ids.discard(key)
            if isinstance(node, yaml.SequenceNode):
                children = node.value
            else:
                children = [part for pair in node.value for part in pair]
            total = 1 + sum(sizes[id(c)] for c in children)
            if total > MAX_EXPANDED_NODES:
                raise InvalidYaml(
                    f"expands past {MAX_EXPANDED_NODES:,} nodes through aliases (an alias bomb?)",
                    node.start_mark.line + 1,
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if not isinstance(node, (yaml.SequenceNode, yaml.MappingNode)):
            sizes[key] = 1
            continue
        if key in open_ids:
            raise InvalidYaml("refers to itself through an alias", node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            _check_unique_keys(node)
        open_ids.add(key)
        stack.append((node, True))
        kids = (
            node.value
            if isinstance(node, yaml.SequenceNode)
            else [p for pair in node.value for p in pair]
        )
        for child in kids:
            if id(child) in open_ids:
                raise InvalidYaml("refers to itself through an alias", child.start_mark.line + 1)
            if id(child) not in sizes:
                stack.append((child, False))


def _check_unique_keys(node: Any) -> None:
    """YAML keeps the last of two equal keys without a word; a scenario's second 'title:' or
    'rubric:' is a mistake to report, not to guess at."""
    import yaml

    seen: set[str] = set()
    for k, _ in node.value:
        if isinstance(k, yaml.ScalarNode):
            if k.value in seen:
                raise InvalidYaml(f"has the key {k.value!r} twice", k.start_mark.line + 1)
            seen.add(k.value)


def _read(path: Path, key: str) -> tuple[Any] | None:
    """``(data,)`` from a cache entry written for ``key``; None for a miss or a bad entry."""
    try:
        entry = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("sha256") != key or "data" not in entry:
        return None
    return (entry["data"],)


def _store(folder: Path, key: str, data: Any) -> None:
    try:
        text = json.dumps({"sha256": key, "data": data}, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return  # dates, sets, non-string keys, NaN: JSON cannot hold it, so parse every time
    if json.loads(text)["data"] != data:
        return  # e.g. integer keys that JSON would turn into strings
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # written aside and renamed: a kernel reading at the same moment sees all or nothing
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{key[:12]}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, folder / f"{key}.json")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(folder)
    except OSError:
        return  # read-only or full: loading still works, it just parses


def _prune(folder: Path) -> None:
    entries = list(folder.glob("*.json"))
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda p: p.stat().st_mtime)
    for old in entries[: len(entries) - MAX_ENTRIES]:
        old.unlink(missing_ok=True)
