"""A small JSON Schema (2020-12) validator for the keywords our published schemas use.

Why not the ``jsonschema`` package: importing it pulls in format checkers that cost about a second
and tens of MB in every learner's kernel, for two schemas that use a dozen keywords. The test suite
validates the same documents with ``jsonschema`` too, so the two cannot silently disagree.

Supported: type, enum, const, required, properties, additionalProperties (bool or schema),
items, minItems, maxItems, minProperties, minLength, maxLength, pattern, minimum, maximum,
and ``$ref`` to ``#/$defs/...``. An unsupported keyword in a schema raises ``ValueError``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

SUPPORTED = frozenset(
    {
        "$schema",
        "$id",
        "$defs",
        "$ref",
        "title",
        "description",
        "type",
        "enum",
        "const",
        "required",
        "properties",
        "additionalProperties",
        "items",
        "minItems",
        "maxItems",
        "minProperties",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
    }
)
_TYPES = {
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "string": lambda x: isinstance(x, str),
    "integer": lambda x: (
        isinstance(x, int) and not isinstance(x, bool) or (isinstance(x, float) and x.is_integer())
    ),
    "number": lambda x: isinstance(x, (int, float)) and not isinstance(x, bool),
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
}


@dataclass(frozen=True)
class Problem:
    """One schema violation: where in the document it is, what is wrong, and the value found."""

    path: tuple[Any, ...]
    message: str
    instance: Any

    @property
    def absolute_path(self) -> tuple[Any, ...]:  # the name jsonschema's errors use
        return self.path


@lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def check_schema(schema: Any) -> None:
    """Raise ValueError if ``schema`` uses a keyword this validator does not implement."""
    if isinstance(schema, dict):
        unknown = set(schema) - SUPPORTED
        if unknown:
            raise ValueError(f"unsupported schema keyword(s): {sorted(unknown)}")
        for key, value in schema.items():
            if key in ("properties", "$defs"):
                for sub in value.values():
                    check_schema(sub)
            elif key in ("items", "additionalProperties") and isinstance(value, dict):
                check_schema(value)


def _repr(value: Any) -> str:
    return repr(value)


class Validator:
    """A checked JSON Schema whose ``iter_errors`` yields every problem, like ``jsonschema``."""

    def __init__(self, schema: dict[str, Any]):
        check_schema(schema)
        self.schema = schema
        self.defs = schema.get("$defs", {})
        self._compiled: Callable[[Any], bool] | None = None

    def iter_errors(self, instance: Any) -> Iterator[Problem]:
        yield from self._check(self.schema, instance, ())

    def is_valid(self, instance: Any) -> bool:
        """True exactly when ``iter_errors`` would yield nothing, found without building errors.

        The schema is compiled once into nested checks (closures), so a valid document, the usual
        case, costs one pass without generators or paths; ``iter_errors`` runs only to explain a
        document that fails. A folder of 200 hand-ins is read about three times faster so
        (benchmarks/run.py debrief).
        """
        if self._compiled is None:
            self._compiled = _Compiler(self.defs).compile(self.schema)
        return self._compiled(instance)

    def _check(self, schema: dict[str, Any], x: Any, path: tuple[Any, ...]) -> Iterator[Problem]:
        if "$ref" in schema:
            ref = schema["$ref"]
            if not ref.startswith("#/$defs/"):
                raise ValueError(f"unsupported $ref {ref!r}")
            target = dict(self.defs[ref.split("/")[-1]])
            extra = {k: v for k, v in schema.items() if k != "$ref"}
            if extra:  # siblings of $ref apply too (2020-12)
                yield from self._check(extra, x, path)
            yield from self._check(target, x, path)
            return
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(_TYPES[t](x) for t in types):
                yield Problem(
                    path, f"{_repr(x)} is not of type {', '.join(repr(t) for t in types)}", x
                )
                return
        if "const" in schema and x != schema["const"]:
            yield Problem(path, f"{_repr(schema['const'])} was expected", x)
        if "enum" in schema and x not in schema["enum"]:
            yield Problem(path, f"{_repr(x)} is not one of {schema['enum']!r}", x)
        if isinstance(x, str):
            yield from _string_problems(schema, x, path)
        if isinstance(x, (int, float)) and not isinstance(x, bool):
            yield from _number_problems(schema, x, path)
        if isinstance(x, list):
            yield from self._list_problems(schema, x, path)
        if isinstance(x, dict):
            yield from self._object_problems(schema, x, path)

    def _list_problems(
        self, schema: dict[str, Any], x: list[Any], path: tuple[Any, ...]
    ) -> Iterator[Problem]:
        if "minItems" in schema and len(x) < schema["minItems"]:
            yield Problem(path, f"should have at least {schema['minItems']} items, has {len(x)}", x)
        if "maxItems" in schema and len(x) > schema["maxItems"]:
            yield Problem(path, f"should have at most {schema['maxItems']} items, has {len(x)}", x)
        if isinstance(schema.get("items"), dict):
            for i, item in enumerate(x):
                yield from self._check(schema["items"], item, (*path, i))

    def _object_problems(
        self, schema: dict[str, Any], x: dict[str, Any], path: tuple[Any, ...]
    ) -> Iterator[Problem]:
        for key in schema.get("required", []):
            if key not in x:
                yield Problem(path, f"{key!r} is a required property", x)
        if "minProperties" in schema and len(x) < schema["minProperties"]:
            yield Problem(path, f"should have at least {schema['minProperties']} properties", x)
        props = schema.get("properties", {})
        additional = schema.get("additionalProperties", True)
        for key, value in x.items():
            if key in props:
                yield from self._check(props[key], value, (*path, key))
            elif additional is False:
                yield Problem(path, f"additional property {key!r} is not allowed", x)
            elif isinstance(additional, dict):
                yield from self._check(additional, value, (*path, key))


def _string_problems(schema: dict[str, Any], x: str, path: tuple[Any, ...]) -> Iterator[Problem]:
    if "minLength" in schema and len(x) < schema["minLength"]:
        yield Problem(path, f"{_repr(x)} is too short", x)
    if "maxLength" in schema and len(x) > schema["maxLength"]:
        yield Problem(path, f"{_repr(x)[:40]} is too long", x)
    if "pattern" in schema and not _regex(schema["pattern"]).search(x):
        yield Problem(path, f"{_repr(x)} does not match {schema['pattern']!r}", x)


def _number_problems(schema: dict[str, Any], x: float, path: tuple[Any, ...]) -> Iterator[Problem]:
    if "minimum" in schema and x < schema["minimum"]:
        yield Problem(path, f"{_repr(x)} is less than the minimum of {schema['minimum']}", x)
    if "maximum" in schema and x > schema["maximum"]:
        yield Problem(path, f"{_repr(x)} is greater than the maximum of {schema['maximum']}", x)


Check = Callable[[Any], bool]


def _all(checks: list[Check]) -> Check:
    if len(checks) == 1:
        return checks[0]

    def every(x: Any) -> bool:
        for check in checks:  # noqa: SIM110 - a loop, not all() over a generator: this runs per value
            if not check(x):
                return False
        return True

    return every


class _Compiler:
    """Turns a schema into one function that says whether a value is valid (see ``is_valid``).

    Each keyword becomes one check with the same meaning as in ``Validator._check``; a ``$ref``
    is compiled once per definition and looked up when called, so recursive schemas work."""

    def __init__(self, defs: dict[str, Any]):
        self.defs = defs
        self.done: dict[str, Check] = {}

    def compile(self, schema: dict[str, Any]) -> Check:
        checks: list[Check] = []
        if "$ref" in schema:
            name = schema["$ref"].split("/")[-1]
            if not schema["$ref"].startswith("#/$defs/"):
                raise ValueError(f"unsupported $ref {schema['$ref']!r}")
            if name not in self.done:
                self.done[name] = lambda x: True  # placeholder while the definition compiles
                self.done[name] = self.compile(dict(self.defs[name]))
            done = self.done
            checks.append(lambda x: done[name](x))
            schema = {k: v for k, v in schema.items() if k != "$ref"}
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            preds = [_TYPES[t] for t in types]
            checks.append(preds[0] if len(preds) == 1 else lambda x: any(p(x) for p in preds))
        if "const" in schema:
            const = schema["const"]
            checks.append(lambda x: x == const)
        if "enum" in schema:
            enum = schema["enum"]
            checks.append(lambda x: x in enum)
        checks += self._strings(schema) + self._numbers(schema)
        checks += self._lists(schema) + self._objects(schema)
        return _all(checks) if checks else (lambda x: True)

    @staticmethod
    def _strings(schema: dict[str, Any]) -> list[Check]:
        lo, hi, pattern = schema.get("minLength"), schema.get("maxLength"), schema.get("pattern")
        if lo is None and hi is None and pattern is None:
            return []
        search = _regex(pattern).search if pattern is not None else None

        def string(x: Any) -> bool:
            if not isinstance(x, str):
                return True
            return (
                (lo is None or len(x) >= lo)
                and (hi is None or len(x) <= hi)
                and (search is None or search(x) is not None)
            )

        return [string]

    @staticmethod
    def _numbers(schema: dict[str, Any]) -> list[Check]:
        lo, hi = schema.get("minimum"), schema.get("maximum")
        if lo is None and hi is None:
            return []

        def number(x: Any) -> bool:
            if not isinstance(x, (int, float)) or isinstance(x, bool):
                return True
            return (lo is None or x >= lo) and (hi is None or x <= hi)

        return [number]

    def _lists(self, schema: dict[str, Any]) -> list[Check]:
        lo, hi = schema.get("minItems"), schema.get("maxItems")
        item = self.compile(schema["items"]) if isinstance(schema.get("items"), dict) else None
        if lo is None and hi is None and item is None:
            return []

        def array(x: Any) -> bool:
            if not isinstance(x, list):
                return True
            if (lo is not None and len(x) < lo) or (hi is not None and len(x) > hi):
                return False
            if item is not None:
                for value in x:
                    if not item(value):
                        return False
            return True

        return [array]

    def _objects(self, schema: dict[str, Any]) -> list[Check]:
        required = tuple(schema.get("required", ()))
        least = schema.get("minProperties")
        props = {k: self.compile(v) for k, v in schema.get("properties", {}).items()}
        additional = schema.get("additionalProperties", True)
        extra = self.compile(additional) if isinstance(additional, dict) else None
        closed = additional is False
        if not (required or least is not None or props or closed or extra):
            return []

        def obj(x: Any) -> bool:
            if not isinstance(x, dict):
                return True
            for key in required:
                if key not in x:
                    return False
            if least is not None and len(x) < least:
                return False
            for key, value in x.items():
                check = props.get(key)
                if check is not None:
                    if not check(value):
                        return False
                elif closed or extra is not None and not extra(value):
                    return False
            return True

        return [obj]
