"""Scenario files: load, validate against the published JSON Schema, check cross-references.

A scenario is data (one YAML file). Instructors add scenarios by dropping files into a folder named
by ``STAFFPLUS_SCENARIOS`` (os.pathsep-separated) or ``--scenarios DIR``; a broken file is reported
with its path, the field path and the problem, and never stops the other scenarios from loading.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import fileio
from ..core.errors import ScenarioError, StaffplusError
from ..models.cost import CostModel
from . import yamlcache
from .prices import price_catalogue

if TYPE_CHECKING:  # annotations only: the checker loads on first use
    from .schemacheck import Validator

ENV_VAR = "STAFFPLUS_SCENARIOS"
MAX_SCENARIO_BYTES = 1_000_000
MIN_EXEMPLAR_WORDS = 150
PHASES = ("clarify", "requirements", "options", "deep_dive", "risks", "wrap_up")


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A shipped JSON Schema (``scenario`` or ``work``)."""
    raw = (
        resources.files("staffplus_widgets.data.schemas")
        .joinpath(f"{name}.schema.json")
        .read_text("utf-8")
    )
    return json.loads(raw)


@cache
@cache
def _validator(name: str) -> Validator:
    from .schemacheck import Validator

    return Validator(load_schema(name))


def _path_text(path: Any) -> str:
    parts = []
    for p in path:
        parts.append(f"[{p}]" if isinstance(p, int) else f".{p}" if parts else str(p))
    return "".join(parts) or "(top level)"


def schema_problems(name: str, data: Any) -> list[str]:
    """Every schema violation as 'field.path: message (got value)', sorted by path."""
    validator = _validator(name)
    if validator.is_valid(data):
        return []  # the usual case, without building any error
    problems = []
    for err in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        shown = repr(err.instance)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        message = err.message if len(err.message) < 160 else err.message[:157] + "..."
        problems.append(f"{_path_text(err.absolute_path)}: {message} (got {shown})")
    return problems


def _words(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9$%.,/+-]+", text))


def semantic_problems(data: dict[str, Any]) -> list[str]:
    """Cross-reference checks the schema cannot express, one part of the file at a time."""
    criteria = [c["name"] for c in data["criteria"]]
    options = [o["name"] for o in data["options"]]
    return [
        *_name_problems(criteria, options),
        *_option_problems(data, criteria, options),
        *_variant_problems(data, criteria, options),
        *_rubric_problems(data),
        *_cost_reference_problems(data, options),
    ]


def _name_problems(criteria: list[str], options: list[str]) -> list[str]:
    problems: list[str] = []
    for label, names in (("criteria", criteria), ("options", options)):
        seen: set[str] = set()
        for i, n in enumerate(names):
            if n.casefold() in seen:
                problems.append(f"{label}[{i}].name: duplicate name (got {n!r})")
            seen.add(n.casefold())
    return problems


def _option_problems(data: dict[str, Any], criteria: list[str], options: list[str]) -> list[str]:
    problems: list[str] = []
    for i, opt in enumerate(data["options"]):
        missing = [c for c in criteria if c not in opt["scores"]]
        extra = [c for c in opt["scores"] if c not in criteria]
        if missing:
            problems.append(
                f"options[{i}].scores: no score for criterion {missing[0]!r} (got {sorted(opt['scores'])!r})"
            )
        if extra:
            problems.append(f"options[{i}].scores.{extra[0]}: not a criterion (got {extra[0]!r})")
    if not any(o.get("baseline") for o in data["options"]):
        problems.append(
            "options: one option must be the deliberately simple baseline (got no 'baseline: true')"
        )
    if data["recommendation"]["option"] not in options:
        problems.append(
            f"recommendation.option: not an option name (got {data['recommendation']['option']!r})"
        )
    return problems


def _variant_problems(data: dict[str, Any], criteria: list[str], options: list[str]) -> list[str]:
    problems: list[str] = []
    for i, var in enumerate(data["constraint_variants"]):
        for j, ex in enumerate(var["excludes"]):
            if ex["option"] not in options:
                problems.append(
                    f"constraint_variants[{i}].excludes[{j}].option: not an option name (got {ex['option']!r})"
                )
        for crit in var.get("weight_changes", {}):
            if crit not in criteria:
                problems.append(
                    f"constraint_variants[{i}].weight_changes.{crit}: not a criterion (got {crit!r})"
                )
        if var["recommended"] not in options:
            problems.append(
                f"constraint_variants[{i}].recommended: not an option name (got {var['recommended']!r})"
            )
        elif var["recommended"] == data["recommendation"]["option"]:
            problems.append(
                f"constraint_variants[{i}].recommended: must flip the recommendation (got {var['recommended']!r})"
            )
    return problems


def _rubric_problems(data: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    ids = [item["id"] for item in data["rubric"]]
    if len(set(ids)) != len(ids):
        problems.append(
            f"rubric: duplicate item ids (got {sorted(i for i in ids if ids.count(i) > 1)!r})"
        )
    categories = {item["category"] for item in data["rubric"]}
    if len(categories) < 6:
        problems.append(
            f"rubric: items must cover at least 6 categories (got {sorted(categories)!r})"
        )
    for i, risk in enumerate(data["reference_risks"]):
        if "rubric_item" in risk and risk["rubric_item"] not in ids:
            problems.append(
                f"reference_risks[{i}].rubric_item: not a rubric id (got {risk['rubric_item']!r})"
            )
    for kind in ("senior", "staff"):
        n = _words(data["exemplars"][kind])
        if n < MIN_EXEMPLAR_WORDS:
            problems.append(
                f"exemplars.{kind}: needs at least {MIN_EXEMPLAR_WORDS} words (got {n})"
            )
    return problems


def _cost_reference_problems(data: dict[str, Any], options: list[str]) -> list[str]:
    problems: list[str] = []
    cref = data["cost_reference"]
    try:
        total = (
            CostModel.from_lines(
                cref["lines"], where="cost_reference.lines", prices=price_catalogue()
            )
            .estimate()
            .total
        )
        low, high = cref["expected_monthly_usd"]["low"], cref["expected_monthly_usd"]["high"]
        if low > high:
            problems.append(
                f"cost_reference.expected_monthly_usd: low is above high (got {low!r} > {high!r})"
            )
        elif not low <= total <= high:
            problems.append(
                f"cost_reference.lines: reference total ${total:,.0f} is outside expected_monthly_usd (got {low!r}..{high!r})"
            )
    except StaffplusError as exc:
        problems.append(str(exc))
    for opt_name, lines in cref.get("option_lines", {}).items():
        if opt_name not in options:
            problems.append(
                f"cost_reference.option_lines.{opt_name}: not an option name (got {opt_name!r})"
            )
        try:
            CostModel.from_lines(
                lines, where=f"cost_reference.option_lines.{opt_name}", prices=price_catalogue()
            )
        except StaffplusError as exc:
            problems.append(str(exc))
    return problems


@dataclass(frozen=True)
class Scenario:
    """A validated scenario. ``data`` is the parsed file; the properties are conveniences."""

    data: dict[str, Any]
    path: str = "<builtin>"
    builtin: bool = True
    replaces: str = ""  # the path of the file with the same id that this one replaced, if any

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def title(self) -> str:
        return self.data["title"]

    @property
    def rubric(self) -> list[dict[str, Any]]:
        return self.data["rubric"]

    @property
    def interview_minutes(self) -> int:
        return int(self.data.get("interview_minutes", 45))

    def rubric_item(self, item_id: str) -> dict[str, Any]:
        for item in self.rubric:
            if item["id"] == item_id:
                return item
        raise KeyError(item_id)

    def option_names(self) -> list[str]:
        return [o["name"] for o in self.data["options"]]

    def variant(self, variant_id: str) -> dict[str, Any]:
        for var in self.data["constraint_variants"]:
            if var["id"] == variant_id:
                return var
        raise StaffplusError("constraint variant", f"not a variant of {self.id}", variant_id)

    def cost_range(self) -> tuple[float, float]:
        rng = self.data["cost_reference"]["expected_monthly_usd"]
        return float(rng["low"]), float(rng["high"])

    def reference_cost_model(self) -> CostModel:
        return CostModel.from_lines(self.data["cost_reference"]["lines"], prices=price_catalogue())

    def expected_categories(self) -> list[str]:
        """Categories the rubric covers: a Staff+ candidate would not leave these empty."""
        seen: list[str] = []
        for item in self.rubric:
            if item["category"] not in seen:
                seen.append(item["category"])
        return seen

    def risk_hints(self) -> list[tuple[str, str]]:
        """(category, hint) for every category the rubric or the reference register covers, in
        that order: what the risk register's Hint button offers, one empty category at a time."""
        hints = self.data.get("risk_hints", {})
        order = self.expected_categories()
        for risk in self.data["reference_risks"]:
            if risk["category"] not in order:
                order.append(risk["category"])
        return [(c, hints[c]) for c in order if c in hints]


def validate_data(data: Any) -> list[str]:
    """Problems with parsed scenario data: the schema's, or once it passes, the semantic checks'."""
    problems = schema_problems("scenario", data)
    if problems:
        return problems
    return semantic_problems(data)


def load_file(path: str | os.PathLike[str], *, builtin: bool = False) -> Scenario:
    """Load and validate one scenario file; raises ScenarioError naming the file and field."""
    p = Path(path)
    try:
        # regular files only, never a blocking open: a FIFO or /dev/zero named *.yaml in a
        # scenarios folder must not hang every command that loads the pack
        raw = fileio.read_regular(
            p, MAX_SCENARIO_BYTES, what="scenario file", follow_links=True
        ).decode("utf-8")
    except StaffplusError as exc:
        raise ScenarioError(str(p), exc.reason, None, has_value=False) from None
    except UnicodeDecodeError:
        raise ScenarioError(str(p), "is not UTF-8 text", None, has_value=False) from None
    # parsed once per text and machine (see yamlcache); validated below every time
    try:
        data = yamlcache.load(raw)
    except yamlcache.InvalidYaml as exc:
        where = f" at line {exc.line}" if exc.line is not None else ""
        raise ScenarioError(
            str(p), f"is not valid YAML{where}: {exc.problem}", None, has_value=False
        ) from None
    problems = validate_data(data)
    if problems:
        raise ScenarioError(
            str(p),
            "; ".join(problems[:5])
            + (f"; and {len(problems) - 5} more" if len(problems) > 5 else ""),
            None,
            has_value=False,
        )
    return Scenario(data, str(p), builtin)


def builtin_dir() -> Path:
    """The folder of the scenario files shipped with the package."""
    return Path(str(resources.files("staffplus_widgets.data.scenarios")))


def _expanded(path: str) -> Path:
    """``~/x`` expanded; ``~nobody/x`` (an unknown user) is kept as written and then reported as
    a folder that does not exist, never a RuntimeError."""
    try:
        return Path(path).expanduser()
    except RuntimeError:
        return Path(path)


def scenario_dirs(extra: list[str] | None = None) -> list[Path]:
    """Scenario folders in load order: the built-in one, ``STAFFPLUS_SCENARIOS``, then ``extra``."""
    dirs = [builtin_dir()]
    env = os.environ.get(ENV_VAR, "")
    for chunk in [*env.split(os.pathsep), *(extra or [])]:
        if chunk.strip():
            dirs.append(_expanded(chunk.strip()))
    return dirs


@dataclass
class ScenarioPack:
    """The loaded scenarios by id, one message per file or folder that failed to load, and one
    notice per scenario that a later folder's file replaced."""

    scenarios: dict[str, Scenario] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def get(self, scenario_id: str) -> Scenario:
        if scenario_id not in self.scenarios:
            known = ", ".join(sorted(self.scenarios)) or "none"
            raise StaffplusError("scenario", f"unknown scenario id (known: {known})", scenario_id)
        return self.scenarios[scenario_id]

    def ids(self) -> list[str]:
        return list(self.scenarios)


def _scenario_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.glob("*.y*ml")
        if p.name != "prices.yaml" and p.suffix in (".yaml", ".yml")
    )


def load_pack(extra_dirs: list[str] | None = None) -> ScenarioPack:
    """Every scenario from the built-in pack and the extra folders; errors are collected.

    Folders load in order (built-in, ``STAFFPLUS_SCENARIOS``, ``extra_dirs``) and a later folder's
    file replaces an earlier one with the same id, so an instructor's edited copy of a built-in
    scenario wins; each replacement is a notice. Two files with one id in the same folder are an
    error: neither order is the instructor's intent.
    """
    pack = ScenarioPack()
    for index, folder in enumerate(scenario_dirs(extra_dirs)):
        if not folder.is_dir():
            pack.errors.append(f"{folder}: scenario folder does not exist")
            continue
        here: set[str] = set()
        for path in _scenario_files(folder):
            try:
                sc = load_file(path, builtin=index == 0)
            except ScenarioError as exc:
                pack.errors.append(str(exc))
                continue
            if sc.id in here:
                pack.errors.append(
                    f"{path}: id: duplicate scenario id in one folder, already loaded from {pack.scenarios[sc.id].path} (got {sc.id!r})"
                )
                continue
            here.add(sc.id)
            if sc.id in pack.scenarios:
                sc = replace(sc, replaces=pack.scenarios[sc.id].path)
                pack.notices.append(f"{sc.id}: using {path}, which replaces {sc.replaces}")
            pack.scenarios[sc.id] = sc
    return pack


_CACHE: dict[tuple[str, tuple[str, ...]], ScenarioPack] = {}


def get_pack(extra_dirs: list[str] | None = None, *, refresh: bool = False) -> ScenarioPack:
    """The scenario pack for these folders, loaded once and reused unless ``refresh`` is set."""
    key = (os.environ.get(ENV_VAR, ""), tuple(extra_dirs or ()))
    if refresh or key not in _CACHE:
        _CACHE[key] = load_pack(extra_dirs)
    return _CACHE[key]


_BUILTIN_BY_ID: dict[str, Scenario] = {}


def get_scenario(scenario_id: str, extra_dirs: list[str] | None = None) -> Scenario:
    """One scenario by id.

    With no extra folder configured, a built-in id is read from its own file without parsing the
    whole pack: a notebook opening one scenario pays for one file, not twelve. With extra folders,
    one of them may replace the built-in file, so the pack decides.
    """
    key = (os.environ.get(ENV_VAR, ""), tuple(extra_dirs or ()))
    if key in _CACHE:
        return _CACHE[key].get(scenario_id)
    if any(c.strip() for c in key[0].split(os.pathsep)) or key[1]:
        return get_pack(extra_dirs).get(scenario_id)
    if scenario_id in _BUILTIN_BY_ID:
        return _BUILTIN_BY_ID[scenario_id]
    if isinstance(scenario_id, str) and re.fullmatch(r"[a-z0-9][a-z0-9-]*", scenario_id):
        path = builtin_dir() / f"{scenario_id}.yaml"
        if path.is_file():
            try:
                sc = load_file(path, builtin=True)
            except ScenarioError:
                sc = None  # the full pack load below reports it with the others
            if sc is not None and sc.id == scenario_id:
                _BUILTIN_BY_ID[scenario_id] = sc
                return sc
    return get_pack(extra_dirs).get(scenario_id)


def item_label(point: str) -> str:
    """A rubric item's short name for tables and charts: the first clause of its point ("Puts a
    dollar figure on each error"), at most 64 characters, ending on a word."""
    first = re.split(r"[:;(/]| - |\. ", " ".join(point.split()), maxsplit=1)[0]
    first = first.strip().rstrip(".,")
    if len(first) > 64:
        first = first[:64].rsplit(" ", 1)[0].rstrip(",") + "..."
    return first
