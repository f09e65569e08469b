"""Work files: one JSON document per learner per scenario, saved atomically and never lost.

- ``format: "staffplus-work"`` and an integer ``version``; older versions upgrade on load through
  small step functions (``_UPGRADES``).
- Saves write a temp file in the same folder, fsync it, then ``os.replace`` it over the target, so a
  crash leaves either the old or the new complete document.
- A file that cannot be read is moved aside to ``<name>.corrupt-<timestamp>.json`` (never
  overwritten) and the learner is told where it went.
- JSON only: no pickle, no eval, and YAML is never involved.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
import unicodedata
import uuid
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .core import fileio
from .core.errors import StaffplusError, WorkFileError
from .core.fileio import fsync_dir, read_upto, write_atomic  # noqa: F401  (the one write path)

if TYPE_CHECKING:  # annotations only: the models load with the first work file read
    from .models.cost import CostModel
    from .models.risks import RiskRegister
    from .models.tradeoff import TradeOffMatrix

FORMAT = "staffplus-work"
VERSION = 3
MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
ENV_VAR = "STAFFPLUS_WORK_DIR"
DEFAULT_DIR = "staffplus-work"


def default_dir() -> Path:
    """The work folder: ``STAFFPLUS_WORK_DIR`` or ``staffplus-work``, with ``~`` expanded."""
    folder = Path(os.environ.get(ENV_VAR) or DEFAULT_DIR)
    try:
        return folder.expanduser()
    except RuntimeError:  # "~nobody/work": an unknown user; the save then says it cannot write
        return folder


def slug(text: str) -> str:
    """A file-name-safe form of ``text``, at most 60 characters, or 'learner' if nothing is left."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text.strip()).strip("-.")
    return cleaned[:60] or "learner"


def work_path(
    scenario_id: str, learner: str | None = None, directory: str | os.PathLike[str] | None = None
) -> Path:
    """Where a learner's scenario work is saved, made unique if another learner has that name."""
    folder = Path(directory) if directory is not None else default_dir()
    stem = slug(scenario_id) + (f"--{slug(learner)}" if learner else "")
    path = folder / f"{stem}.json"
    if learner and _belongs_to_someone_else(path, learner):
        # "李雷" and "王芳" both slug to "learner", "Ann/Lee" and "Ann Lee" to "Ann-Lee": the
        # file already there is another learner's, so this one gets a name of their own
        digest = hashlib.sha1(_same_name(learner).encode("utf-8")).hexdigest()[:8]
        path = folder / f"{stem}-{digest}.json"
    return path


def _same_name(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def _belongs_to_someone_else(path: Path, learner: str) -> bool:
    """Does the work file at ``path`` name a different learner? (unreadable: leave it be)"""
    if not os.path.lexists(path):
        return False
    try:
        owner = read(path).get("learner")
    except StaffplusError:
        return False
    return (
        isinstance(owner, str) and bool(owner.strip()) and _same_name(owner) != _same_name(learner)
    )


def new_learner_id() -> str:
    """A random id for a new work file: "same learner" means the same id, never the same name."""
    return uuid.uuid4().hex


def new_work(scenario_id: str, learner: str = "") -> dict[str, Any]:
    """A fresh, empty work document for a scenario, with a new random learner id."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "scenario": scenario_id,
        "learner": learner,
        "learner_id": new_learner_id(),
        "created_with": __version__,
        "updated": _now(),
        "tradeoff": None,
        "risks": None,
        "cost": None,
        "answers": {},
        "interviews": [],
        "drills": {},
        "variants": [],
        "attempts": [],
    }


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


# -- upgrades ------------------------------------------------------------------------------------
def _v1_to_v2(doc: dict[str, Any]) -> dict[str, Any]:
    """v1 kept the register as a bare list, cost lines at the top level and one answer string."""
    out = {k: v for k, v in doc.items() if k not in ("matrix", "risks", "cost_lines", "answer")}
    out["tradeoff"] = doc.get("matrix")
    risks = doc.get("risks")
    out["risks"] = {"risks": risks} if isinstance(risks, list) else risks
    lines = doc.get("cost_lines")
    out["cost"] = {"lines": lines} if isinstance(lines, list) else None
    out["answers"] = {"mock_answer": doc["answer"]} if isinstance(doc.get("answer"), str) else {}
    out.setdefault("interviews", [])
    out.setdefault("drills", {})
    out.setdefault("variants", [])
    out["version"] = 2
    return out


def _v2_to_v3(doc: dict[str, Any]) -> dict[str, Any]:
    """v3 keeps every review and mock interview as an attempt; v2 files start with none (their
    ``interviews`` stay as they are, the progress profile reads only ``attempts``)."""
    out = dict(doc)
    out.setdefault("attempts", [])
    out["version"] = 3
    return out


_UPGRADES = {1: _v1_to_v2, 2: _v2_to_v3}


def upgrade(doc: dict[str, Any]) -> dict[str, Any]:
    """Upgrade a work document step by step to the current version, refusing newer versions."""
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise StaffplusError("version", "must be an integer", version)
    if version > VERSION:
        raise StaffplusError(
            "version",
            f"is newer than this staffplus understands ({VERSION}); upgrade the package",
            version,
        )
    while version < VERSION:
        step = _UPGRADES.get(version)
        if step is None:
            raise StaffplusError("version", "has no upgrade path", version)
        doc = step(doc)
        version = doc["version"]
    return doc


# -- validation ----------------------------------------------------------------------------------
def _depth(obj: Any, limit: int = MAX_DEPTH) -> int:
    """Nesting depth (a scalar is one level), level by level, so a hostile file cannot blow the
    stack; it stops counting past ``limit``."""
    level = [obj]
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return depth
        deeper: list[Any] = []
        for node in level:
            if type(node) is dict:
                deeper.extend(node.values())
            elif type(node) is list:
                deeper.extend(node)
        level = deeper
    return depth


# A JSON escape of a lone surrogate ("\\ud800") can only appear in text that has such an escape:
# the exact check (writing the document back out) runs only for those. The one-character test
# first skips the regex for the usual file, which has no backslash at all (the debrief reads
# 1,000); it is the fast one: CPython's search for the two characters "\\u" took 18 us on a
# 19 kB file with none, against 0.3 us for the backslash alone and 5 us for the regex.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


@dataclass(frozen=True)
class Models:
    """A work file's artifacts as models, built once by the reader (None where the file has none)."""

    matrix: TradeOffMatrix | None
    register: RiskRegister | None
    cost: CostModel | None


@dataclass(frozen=True)
class Parsed:
    """A validated, upgraded work document and its models."""

    work: dict[str, Any]
    models: Models


def parse(raw: bytes | str, *, where: str = "work file") -> dict[str, Any]:
    """Parse and upgrade a work document; raises StaffplusError with a one-line reason."""
    return parse_models(raw, where=where).work


def parse_models(raw: bytes | str, *, where: str = "work file") -> Parsed:
    """The one reader: parse, upgrade and validate a work document, and build its models once.

    Raises StaffplusError with a one-line reason: the first schema problem, else the first model
    problem (each artifact must load into its model)."""
    if len(raw) > MAX_BYTES:
        raise StaffplusError(where, f"is larger than {MAX_BYTES // (1024 * 1024)} MB", len(raw))
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise StaffplusError(where, "is not UTF-8 text", None, has_value=False) from None
    if raw.startswith("\ufeff"):
        raw = raw[1:]  # a byte-order mark, as some editors save UTF-8
    try:
        doc = json.loads(raw, parse_constant=_reject_constant)
    except RecursionError:
        raise StaffplusError(
            where, f"is nested deeper than {MAX_DEPTH} levels", None, has_value=False
        ) from None
    except ValueError as exc:
        raise StaffplusError(where, f"is not valid JSON ({exc})", None, has_value=False) from None
    if not isinstance(doc, dict):
        raise StaffplusError(where, "must be a JSON object", type(doc).__name__)
    if _depth(doc) > MAX_DEPTH:
        raise StaffplusError(
            where, f"is nested deeper than {MAX_DEPTH} levels", None, has_value=False
        )
    try:
        if "\\" in raw and _SURROGATE_ESCAPE.search(raw):
            json.dumps(doc, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        # "\ud800" escapes decode to lone surrogates that can never be written back out
        raise StaffplusError(
            where,
            "contains text that is not valid Unicode (a lone surrogate escape)",
            None,
            has_value=False,
        ) from None
    if doc.get("format") != FORMAT:
        raise StaffplusError(f"{where}: format", f"must be {FORMAT!r}", doc.get("format"))
    doc = upgrade(doc)
    from .data.scenario import schema_problems

    # Each part is checked once: an artifact by loading it into its model (which holds every rule
    # the schema has for it, and its own), the rest of the document by the schema. Only a file
    # that fails is checked whole by the schema, so its first problem is said as the schema says
    # it (tests/test_workfile_reader.py holds the two ways to the same answer).
    models, failed = _models_of(doc, first_only=True)
    if failed:
        problems = schema_problems("work", doc)
        raise StaffplusError(
            where, problems[0] if problems else str(failed[0]), None, has_value=False
        )
    problems = schema_problems("work", {k: None if k in ARTIFACTS else x for k, x in doc.items()})
    if problems:
        raise StaffplusError(where, problems[0], None, has_value=False)
    return Parsed(doc, models)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def problems_in(doc: dict[str, Any]) -> list[str]:
    """Schema problems, then model problems (each artifact must load into its model)."""
    from .data.scenario import schema_problems

    return schema_problems("work", doc) or [str(exc) for exc in _models_of(doc)[1]]


def build_models(doc: dict[str, Any]) -> Models:
    """The models of a schema-valid document; raises StaffplusError on the first model problem."""
    models, problems = _models_of(doc, first_only=True)
    if problems:
        raise problems[0]
    return models


# The parts of a work document that load into models (see ``_models_of``).
ARTIFACTS = ("tradeoff", "risks", "cost")


def _models_of(
    doc: dict[str, Any], *, first_only: bool = False
) -> tuple[Models, list[StaffplusError]]:
    """Each artifact the document has, loaded into its model, and the problems found doing so."""
    from .data.prices import price_catalogue
    from .models.cost import CostModel
    from .models.risks import RiskRegister
    from .models.tradeoff import TradeOffMatrix

    built: dict[str, Any] = {}
    problems: list[StaffplusError] = []
    for key, loader in (
        ("tradeoff", TradeOffMatrix.from_dict),
        ("risks", RiskRegister.from_dict),
        ("cost", partial(CostModel.from_dict, prices=price_catalogue())),
    ):
        built[key] = None
        if doc.get(key) is not None:
            try:
                built[key] = loader(doc[key], where=key)
            except StaffplusError as exc:
                problems.append(exc)
                if first_only:
                    break
    return Models(built.get("tradeoff"), built.get("risks"), built.get("cost")), problems


def read(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and validate the work file at ``path`` without moving or changing it.

    The one reader every command, ``submit``, the debrief and the widgets use (``load`` adds
    moving a corrupt file aside): a regular file only, no symbolic links, never blocking on a
    FIFO, at most ``MAX_BYTES``. Raises StaffplusError with a one-line reason.
    """
    return read_models(path).work


def read_models(path: str | os.PathLike[str]) -> Parsed:
    """``read``, with the models the reader built (see ``parse_models``)."""
    return parse_models(read_bytes(path), where=str(path))


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The raw bytes of a work file, read the safe way (see ``read``)."""
    return fileio.read_regular(path, MAX_BYTES, what="work file")


# The copies kept beside a work file: move_aside's and save_beside's names (any tag), stamped.
_COPY = re.compile(r"\.[a-z-]+-\d{8}-\d{6}(?:-\d+)?\.json$")


def work_file_names(folder: str | os.PathLike[str]) -> list[str]:
    """The work files of a folder, by name: ``*.json`` that are not hidden, and not the copies
    kept beside a work file (``NAME.corrupt-<time>.json``, ``NAME.conflict-<time>.json``,
    ``NAME.before-import-<time>.json``, ...). A learner whose name has a dot ("J. Smith") keeps
    it in the file name, so a dot alone does not make a copy. Raises OSError when the folder
    cannot be listed."""
    with os.scandir(folder) as it:
        names = [e.name for e in it if e.name.endswith(".json") and not e.name.startswith(".")]
    return sorted(n for n in names if not _COPY.search(n))


# -- load and save -------------------------------------------------------------------------------
@dataclass
class Loaded:
    """The result of loading a work file: the work, its path and what the learner must be told."""

    work: dict[str, Any]
    path: Path
    notice: str = ""  # what the learner must be told (a corrupt file moved aside, an upgrade)
    moved_to: Path | None = None
    existed: bool = False
    models: Models | None = None  # built by the reader; None for fresh work


def save_beside(path: Path, tag: str, work: dict[str, Any]) -> Path:
    """Save ``work`` next to ``path`` as ``NAME.<tag>-<timestamp>[-n].json``, a name nobody has:
    the other writer's version on a conflict, the work an import replaces."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(1000):
        copy = path.with_name(f"{path.stem}.{tag}-{stamp}" + (f"-{n}" if n else "") + ".json")
        if not os.path.lexists(copy):
            return save(copy, work)
    raise StaffplusError(str(path), f"has no free name for a {tag} copy", None, has_value=False)


def move_aside(path: Path) -> Path:
    """Rename a bad file to ``name.corrupt-<timestamp>.json`` without overwriting anything."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(1000):
        suffix = f".corrupt-{stamp}" + (f"-{n}" if n else "") + ".json"
        target = path.with_name(path.stem + suffix)
        try:
            # link + unlink never replaces an existing file (os.rename would on POSIX); a
            # symbolic link is moved as itself, never followed. Pyodide's os has no link at all.
            os.link(path, target, follow_symlinks=False)
        except FileExistsError:
            continue
        except (OSError, NotImplementedError, AttributeError):
            # no hard links here (JupyterLite's /drive, FAT, some network shares), or no link
            # that leaves a symbolic link unfollowed: rename, after checking the name is free
            if os.path.lexists(target):
                continue
            os.rename(path, target)
            return target
        os.unlink(path)
        return target
    raise WorkFileError(str(path), "could not find a free name to move the corrupt file to")


def load(path: str | os.PathLike[str], scenario_id: str | None = None, learner: str = "") -> Loaded:
    """Load work from ``path``; a missing file gives fresh work, a corrupt one is moved aside."""
    p = Path(path)
    fileio.remove_stale_temps(p)  # a save killed half-way leaves its temp copy: ours to clear
    if not os.path.lexists(p):
        return Loaded(new_work(scenario_id or p.stem.split("--")[0], learner), p)
    try:
        raw = read_bytes(p)
        old_version = None
        with contextlib.suppress(Exception):
            old_version = json.loads(raw).get("version")
        parsed = parse_models(raw, where=str(p))
    except (StaffplusError, OSError) as exc:
        try:
            moved = move_aside(p)
        except (OSError, WorkFileError) as move_exc:
            raise WorkFileError(
                str(p), f"cannot be read ({exc}) and could not be moved aside ({move_exc})"
            ) from None
        notice = (
            f"Your saved work at {p} could not be read ({exc}). It was moved to {moved} "
            f"so nothing is lost; you are starting fresh."
        )
        return Loaded(
            new_work(scenario_id or p.stem.split("--")[0], learner), p, notice, moved, True
        )
    work = parsed.work
    notice = ""
    if scenario_id and work.get("scenario") != scenario_id:
        raise WorkFileError(
            str(p), f"holds work for scenario {work.get('scenario')!r}, not {scenario_id!r}"
        )
    if isinstance(old_version, int) and old_version < VERSION:
        notice = f"Upgraded your saved work from format version {old_version} to {VERSION}."
    return Loaded(work, p, notice, None, True, parsed.models)


def dumps(work: dict[str, Any]) -> str:
    """The JSON text a work file is saved as: one-space indent, Unicode kept, NaN refused."""
    return json.dumps(work, ensure_ascii=False, indent=1, sort_keys=False, allow_nan=False)


def save(path: str | os.PathLike[str], work: dict[str, Any]) -> Path:
    """Atomically write ``work`` to ``path``: temp file in the same folder, fsync, os.replace."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    work = dict(work)
    work["format"], work["version"], work["updated"] = FORMAT, VERSION, _now()
    from .data.scenario import schema_problems

    # never write what the next load would refuse and move aside (a 100,001-character answer)
    problems = schema_problems("work", work)
    if problems:
        raise StaffplusError("work", f"was not saved, it would not load again: {problems[0]}", None,
                             has_value=False)  # fmt: skip
    data = dumps(work).encode("utf-8")
    if len(data) > MAX_BYTES:
        raise StaffplusError(
            "work", f"is larger than {MAX_BYTES // (1024 * 1024)} MB; remove some text", len(data)
        )
    fileio.remove_stale_temps(p)
    return write_atomic(p, data)
