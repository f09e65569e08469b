"""A learner's working session on one scenario: the three models, answers, attempts, and saving.

Kernel-free. Widgets share one ``WorkSession`` and call ``changed()`` after every valid edit; the
session saves after a short debounce (or at once with ``autosave_delay=0``), atomically, through
``workfile.save``. Nothing here imports ipywidgets.

Two writers, one file (two notebooks open on one scenario, or a notebook and ``staffplus`` at
once): before each save the session checks whether the file changed since it last read or wrote
it. If so it merges, artifact by artifact (matrix, register, cost, each answer, the interview
attempts, the drills): what only the other side changed is taken into this session, what only this
side changed is kept, and when both changed the same artifact this session's version is saved and
the other one is kept beside it as ``NAME.conflict-<timestamp>.json``, never lost; ``notice`` says
what happened and how to choose.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import workfile
from ..core import fileio, timers
from ..core.errors import StaffplusError, WorkFileError
from ..data.prices import price_catalogue
from ..data.scenario import Scenario
from ..models.cost import CostModel
from ..models.risks import RiskRegister
from ..models.tradeoff import TradeOffMatrix
from .attempts import MAX_KEPT

MAX_ATTEMPTS = 200  # mock interview attempts a work file keeps (the schema's maxItems)

# A neutral starting point for a learner's cost estimate: the kinds a design usually needs, with
# round placeholder numbers to overwrite (deliberately not the scenario's reference figures).
TEMPLATE_LINES: list[dict[str, Any]] = [
    {
        "kind": "inference",
        "name": "Online scoring",
        "peak_qps": 1000,
        "throughput_per_instance": 200,
        "instance": "c6i.xlarge",
    },
    {
        "kind": "batch",
        "name": "Training runs",
        "hours_per_run": 4,
        "runs_per_month": 4,
        "instance": "c6i.4xlarge",
    },
    {"kind": "storage", "name": "Feature and log storage", "gb": 1000, "storage": "s3-standard"},
    {"kind": "people", "name": "Team to build and run it", "fte": 2},
]


def starter_lines(scenario: Scenario) -> list[dict[str, Any]]:
    """The estimate a learner starts from, at the scenario's own peak traffic: the first online
    line of its reference estimate gives the peak QPS, a figure the scenario's context states
    (60 checkouts a second for the fraud scenario, not the template's 1,000)."""
    lines = [dict(line) for line in TEMPLATE_LINES]
    reference = scenario.data.get("cost_reference", {}).get("lines", [])
    peak = next((r.get("peak_qps") for r in reference if r.get("kind") == "inference"), None)
    if isinstance(peak, (int, float)) and not isinstance(peak, bool) and peak > 0:
        lines[0]["peak_qps"] = peak
    return lines


class WorkSession:
    """Holds the learner's models for one scenario and keeps the work file in step with them."""

    def __init__(
        self,
        scenario: Scenario,
        path: str | Path | None = None,
        *,
        learner: str = "",
        autosave_delay: float = 0.75,
        timer_factory: Callable[[float, Callable[[], None]], Any] | None = None,  # -> cancel()
    ):
        self.scenario = scenario
        learner = _learner_name(learner)
        self.path = (
            Path(path) if path is not None else workfile.work_path(scenario.id, learner or None)
        )
        self.autosave_delay = autosave_delay
        self._timer_factory = timer_factory or timers.later
        self._timer: Any = None
        self._lock = threading.RLock()
        self.listeners: list[Callable[[str], None]] = []
        self.save_listeners: list[Callable[[], None]] = []  # told after every save, saved or not
        self.last_error = ""
        self.saves = 0
        self.conflicts: list[Path] = []  # copies of the other writer's work kept on a conflict
        self._blocked = ""  # why this session must never write its file (see _open)
        loaded = self._open(scenario, learner)
        self.notice = loaded.notice
        self.moved_to = loaded.moved_to
        self.restored = loaded.existed and loaded.moved_to is None
        self._adopt(loaded.work, loaded.models)
        # what this session started from is the base of any merge, file or no file yet
        self._base = _parts(self.to_work())
        self._stamp = self._file_stamp() if self.restored else None

    def _open(self, scenario: Scenario, learner: str) -> workfile.Loaded:
        """Load the work file; never raise for a file we cannot use, say so instead."""
        try:
            return workfile.load(self.path, scenario.id, learner)
        except WorkFileError as exc:
            fresh = workfile.new_work(scenario.id, learner)
            if "holds work for scenario" in exc.reason:
                # another scenario's file at this path: leave it, keep this work beside it
                other = self.path
                self.path = other.with_name(f"{other.stem}.{workfile.slug(scenario.id)}.json")
                loaded = workfile.load(self.path, scenario.id, learner)
                loaded.notice = (
                    f"{other} {exc.reason}, so it was left untouched. Your work on "
                    f"{scenario.id} is saved to {self.path} instead."
                    + (f" {loaded.notice}" if loaded.notice else "")
                )
                return loaded
            # unreadable and could not be moved aside (a read-only folder): never write over it
            self._blocked = (
                f"{exc} Your changes are not saved, so that file is never overwritten: set "
                f"STAFFPLUS_WORK_DIR to a folder you can write to, or fix the file."
            )
            self.last_error = self._blocked
            return workfile.Loaded(fresh, self.path, self._blocked)

    # -- state -----------------------------------------------------------------------------------
    def _adopt(self, work: dict[str, Any], models: workfile.Models | None = None) -> None:
        """Take ``work`` and its models (the reader's, or built here for merged work)."""
        sc = self.scenario
        work = dict(work)
        # files from before learner ids get theirs now, and keep it from the next save on
        if not isinstance(work.get("learner_id"), str):
            work["learner_id"] = workfile.new_learner_id()
        self.work = work
        if models is None:
            models = workfile.build_models(work)
        self.matrix = (
            models.matrix
            if work.get("tradeoff") and models.matrix is not None
            else TradeOffMatrix.from_scenario(sc.data, with_scores=False)
        )
        self.register = (
            models.register if work.get("risks") and models.register is not None else RiskRegister()
        )
        self.cost = (
            models.cost
            if work.get("cost") and models.cost is not None
            else CostModel.from_lines(starter_lines(sc), prices=price_catalogue())
        )
        self.answers: dict[str, str] = dict(work.get("answers") or {})
        self.interviews: list[dict[str, Any]] = list(work.get("interviews") or [])
        self.attempts: list[dict[str, Any]] = list(work.get("attempts") or [])
        self.drills: dict[str, Any] = dict(work.get("drills") or {})
        self.variants: list[str] = [
            v for v in work.get("variants") or [] if v in self.variant_ids()
        ]
        self._variant_weights: dict[str, dict[str, float]] = dict(work.get("variant_weights") or {})

    def _kept_attempts(self) -> list[dict[str, Any]]:
        """The latest MAX_ATTEMPTS mock interviews: the work file keeps no more (it says so once)."""
        if len(self.interviews) > MAX_ATTEMPTS:
            del self.interviews[: len(self.interviews) - MAX_ATTEMPTS]
            self.notice = (
                f"Only your latest {MAX_ATTEMPTS} mock interview attempts are kept in the work "
                "file; export a report to keep the older ones."
            )
        return list(self.interviews)

    def record_attempt(self, attempt: dict[str, Any]) -> None:
        """Keep a review or mock interview as an attempt (``practice.attempts``) and save it; the
        work file keeps the latest ``MAX_KEPT``, as the progress profile needs no more."""
        if len(self.attempts) >= MAX_KEPT:
            self.notice = f"Only your latest {MAX_KEPT} reviews and mock interviews are kept for "
            self.notice += "your progress profile; export a report to keep the older ones."
        self.attempts = [*self.attempts, attempt][-MAX_KEPT:]
        self.changed("attempts")

    def variant_ids(self) -> list[str]:
        return [v["id"] for v in self.scenario.data["constraint_variants"]]

    def to_work(self) -> dict[str, Any]:
        work = dict(self.work)
        work.update(
            {
                "scenario": self.scenario.id,
                "tradeoff": self.matrix.to_dict(),
                "risks": self.register.to_dict(),
                "cost": self.cost.to_dict(),
                "answers": dict(self.answers),
                "interviews": self._kept_attempts(),
                "attempts": self.attempts[-MAX_KEPT:],
                "drills": dict(self.drills),
                "variants": list(self.variants),
            }
        )
        if self._variant_weights:
            work["variant_weights"] = self._variant_weights
        else:
            work.pop("variant_weights", None)
        return work

    @property
    def learner(self) -> str:
        """The name the export, the report and the hand-in carry ("" until the learner gives it)."""
        name = self.work.get("learner")
        return name if isinstance(name, str) else ""

    def set_learner(self, name: Any) -> None:
        """Give the work a learner name (checked as ``_learner_name`` does) and save it. The work
        file keeps its name: renaming it under an open notebook would lose track of it."""
        clean = _learner_name(name)
        if clean == self.learner:
            return
        self.work["learner"] = clean
        self.changed("learner")

    # -- constraint variants -----------------------------------------------------------------------
    def set_variant(self, variant_id: str, active: bool) -> None:
        """Turn a constraint variant on (exclude options, change weights) or off (undo both)."""
        variant = self.scenario.variant(variant_id)
        if active and variant_id not in self.variants:
            changes = variant.get("weight_changes", {})
            self._variant_weights[variant_id] = {
                c.name: c.weight for c in self.matrix.criteria if c.name in changes
            }
            self.matrix.apply_variant(variant)
            self.variants.append(variant_id)
        elif not active and variant_id in self.variants:
            self.matrix.include(constraint=variant_id)
            for name, weight in self._variant_weights.pop(variant_id, {}).items():
                if name in self.matrix.criterion_names():
                    self.matrix.set_weight(name, weight)
            self.variants.remove(variant_id)
        else:
            return
        self.changed("variants")

    # -- saving ----------------------------------------------------------------------------------
    def changed(self, what: str = "work") -> None:
        """Record that ``what`` changed: tell listeners, then save (debounced)."""
        for listener in list(self.listeners):
            try:
                listener(what)
            except Exception as exc:  # a broken view must never stop the work from being saved
                self.last_error = f"A view failed to refresh after {what!r}: {exc}"
        if self.autosave_delay <= 0:
            self.save_now()
            return
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            # scheduled already (timers.later): on the kernel's event loop, or a thread outside
            self._timer = self._timer_factory(self.autosave_delay, self.save_now)

    def save_now(self) -> bool:
        """Write the work file now. Returns False (and sets ``last_error``) if it could not.

        If another writer changed the file since this session last read or wrote it, the two are
        merged first (see the module docstring). Then ``save_listeners`` are told (a view that
        shows whether the work is saved, for saves that run later on a timer).
        """
        saved = self._save()
        for listener in list(self.save_listeners):
            with contextlib.suppress(Exception):  # a broken view never changes what was saved
                listener()
        return saved

    def _save(self) -> bool:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._blocked:
                self.last_error = self._blocked
                return False
            try:
                with fileio.locked(self.path):
                    work = self._merged(self.to_work())
                    workfile.save(self.path, work)
                    self._synced_as(work)
            except (
                OSError,
                StaffplusError,
                ValueError,
            ) as exc:  # ValueError: text that cannot be encoded
                self.last_error = f"Could not save to {self.path}: {exc}"
                return False
            except Exception as exc:  # noqa: BLE001 - an autosave runs on a timer, where an
                # exception would vanish into the event loop's log: say it where the learner looks
                self.last_error = f"Could not save to {self.path} ({type(exc).__name__}: {exc})"
                return False
            self.last_error = ""
            self.saves += 1
            return True

    # -- two writers, one file ---------------------------------------------------------------------
    def _set_aside(self, mine: dict[str, Any], why: str) -> dict[str, Any]:
        """The file on disk was replaced by something we cannot merge (a hand edit with a typo,
        another scenario's work): keep it under another name, never overwrite it unseen."""
        moved = workfile.move_aside(self.path)
        self.conflicts.append(moved)
        self.notice = (
            f"The work file was changed somewhere else at {time.strftime('%H:%M:%S')} and {why}. "
            f"That file is kept as {moved}; this notebook's work is saved in its place."
        )
        return mine

    def _file_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = os.lstat(self.path)
        except OSError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def _synced_as(self, work: dict[str, Any]) -> None:
        """Remember ``work`` as what the file holds now."""
        self._base = _parts(work)
        self._stamp = self._file_stamp()

    def _merged(self, mine: dict[str, Any]) -> dict[str, Any]:
        """``mine``, merged with whatever another writer saved since we last read or wrote."""
        stamp = self._file_stamp()
        if stamp is None or stamp == self._stamp:
            return mine
        try:
            theirs = workfile.read(self.path)
        except StaffplusError as exc:
            return self._set_aside(mine, f"it is no longer a valid work file ({exc.reason})")
        if theirs.get("scenario") != self.scenario.id:
            return self._set_aside(mine, f"it now holds work for {theirs.get('scenario')!r}")
        base = self._base
        ours, other = _parts(mine), _parts(theirs)
        merged = dict(mine)
        if isinstance(theirs.get("learner_id"), str) and theirs["learner_id"] != mine.get(
            "learner_id"
        ):
            # one file, one learner: the id already in the file wins (two sessions of a file
            # that had none gave it one each)
            merged["learner_id"] = self.work["learner_id"] = theirs["learner_id"]
        taken: list[str] = []
        clashed: list[str] = []
        for key in sorted(set(ours) | set(other)):
            o, t, b = ours.get(key), other.get(key), base.get(key)
            if t in (o, b):
                continue  # they did not change it, or changed it the way we did
            if o == b:  # only they changed it
                _set_part(merged, key, theirs)
                taken.append(key)
            elif key in ("interviews", "attempts") and _appended(base.get(key), o, t):
                merged[key] = _union_attempts(
                    json.loads(b or "[]"), mine.get(key) or [], theirs.get(key) or []
                )
                taken.append(key)
            else:
                clashed.append(key)
        if taken:
            self._adopt(merged)
            merged = self.to_work()
        if clashed:
            copy = self._keep_conflict(theirs)
            names = ", ".join(_label(k) for k in clashed)
            self.notice = (
                f"This work file was also changed somewhere else (another notebook or staffplus) "
                f"at {time.strftime('%H:%M:%S')}. Both sides changed your {names}: yours are kept "
                f"here, the other version is in {copy}. To use that one instead, import it with "
                "Import work."
            )
        elif taken and not self.conflicts:  # a conflict's notice stays until the learner acts
            self.notice = (
                "Your work file was also changed somewhere else (another notebook or staffplus); "
                f"those changes ({', '.join(_label(k) for k in taken)}) were merged in here."
            )
        if taken:
            for listener in list(self.listeners):
                try:
                    listener("import")
                except Exception as exc:  # a broken view must never stop the save
                    self.last_error = f"A view failed to refresh after a merge: {exc}"
        return merged

    def _keep_conflict(self, theirs: dict[str, Any]) -> Path:
        """Save the other writer's version beside the work file, under a name nobody has."""
        copy = workfile.save_beside(self.path, "conflict", theirs)
        self.conflicts.append(copy)
        return copy

    flush = save_now

    # -- carrying work between sessions (Binder) ---------------------------------------------------
    def export_bytes(self) -> bytes:
        return workfile.dumps(self.to_work()).encode("utf-8")

    def import_bytes(self, raw: bytes, source: str = "uploaded file") -> Path | None:
        """Replace the session's work with an uploaded work file; nothing changes if it is invalid.

        Returns where the replaced work was kept (None when there was no file yet): each import
        gets its own ``NAME.before-import-<time>.json``, so a second import never overwrites the
        first one's backup."""
        parsed = workfile.parse_models(raw, where=source)
        work = parsed.work
        if work.get("scenario") != self.scenario.id:
            raise StaffplusError(
                source,
                f"holds work for scenario {work.get('scenario')!r}, not {self.scenario.id!r}",
                None,
                has_value=False,
            )
        # keep a copy of what is being replaced, next to the work file, under a name of its own
        backup = None
        if self.path.exists():
            backup = workfile.save_beside(self.path, "before-import", workfile.read(self.path))
        self._adopt(work, parsed.models)
        self.changed("import")
        return backup

    def start_over(self) -> Path | None:
        """Begin the scenario again from a blank work document (the same learner, name and id).

        The work being replaced is saved first and kept as ``NAME.before-start-over-<time>.json``
        next to the work file; returns that path (None when nothing was saved yet). The views
        refresh as after an import."""
        backup = None
        self.save_now()
        if self.path.exists():
            backup = workfile.save_beside(self.path, "before-start-over", workfile.read(self.path))
        fresh = workfile.new_work(self.scenario.id, self.learner)
        if isinstance(self.work.get("learner_id"), str):
            fresh["learner_id"] = self.work["learner_id"]
        self._adopt(fresh)
        self.changed("import")
        return backup

    # -- solved state (instructors, solutions notebooks) ---------------------------------------------
    def fill_reference(self) -> None:
        """Load the scenario's reference artifacts (used by the solved notebooks)."""
        sc = self.scenario
        self.matrix = TradeOffMatrix.from_scenario(sc.data)
        self.register = RiskRegister.from_reference(sc.data["reference_risks"])
        self.cost = sc.reference_cost_model()
        self.variants = []
        self._variant_weights = {}
        self.answers["clarifying"] = "\n".join(
            q["question"] for q in sc.data["clarifying_questions"]
        )
        self.answers["mock_answer"] = sc.data["exemplars"]["staff"]
        self.changed("reference")

    def variant_outcomes(self) -> list[dict[str, Any]]:
        """For each constraint variant: the winner of a copy of the learner's matrix under it."""
        out = []
        for var in self.scenario.data["constraint_variants"]:
            probe = self.matrix.copy()
            probe.include()  # judge each variant on its own, not stacked on the active ones
            try:
                probe.apply_variant(var)
                winners = list(probe.ranking().winners)
            except StaffplusError:
                winners = []
            out.append(
                {
                    "id": var["id"],
                    "title": var["title"],
                    "winners": winners,
                    "recommended": var["recommended"],
                    "reason": var["reason"],
                    "excluded": [e["option"] for e in var["excludes"]],
                }
            )
        return out


def _learner_name(learner: Any) -> str:
    """The learner's name as the work file will hold it; refused now, with the reason, rather
    than by every save later (the schema allows text of at most 120 characters)."""
    if learner is None:
        return ""
    if not isinstance(learner, str):
        raise StaffplusError("learner", "must be text (a name)", learner)
    name = " ".join(learner.split())
    if len(name) > 120:
        raise StaffplusError("learner", "is longer than 120 characters", name[:40])
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise StaffplusError(
            "learner", "holds a character that cannot be saved", name[:40]
        ) from None
    return name


# -- the parts of a work document that merge on their own -------------------------------------------
_WHOLE = (
    "tradeoff",
    "risks",
    "cost",
    "interviews",
    "attempts",
    "variants",
    "variant_weights",
    "learner",
)
_LABELS = {
    "tradeoff": "trade-off matrix",
    "risks": "risk register",
    "cost": "cost estimate",
    "interviews": "mock interview attempts",
    "attempts": "review and interview history",
    "variants": "constraint variants",
    "variant_weights": "constraint variants",
    "learner": "name",
}


# parts that hold one entry per key, each entry a part of its own: two notebooks writing two
# answers (or the rewrite and the risk-spotting drill) never clash
_KEYED = {"answer": "answers", "drill": "drills"}


def _label(key: str) -> str:
    if key.startswith("answer:"):
        return f"answer {key.split(':', 1)[1]!r}"
    if key.startswith("drill:"):
        return f"{key.split(':', 1)[1].replace('_', '-')} drill results"
    return _LABELS[key]


def _parts(work: dict[str, Any]) -> dict[str, str]:
    """Each mergeable part of ``work`` as canonical JSON; every answer and drill is its own part."""
    out = {k: json.dumps(work.get(k), sort_keys=True, ensure_ascii=True) for k in _WHOLE}
    for prefix, field_name in _KEYED.items():
        for key, value in (work.get(field_name) or {}).items():
            out[f"{prefix}:{key}"] = json.dumps(value, sort_keys=True, ensure_ascii=True)
    return out


def _set_part(merged: dict[str, Any], key: str, theirs: dict[str, Any]) -> None:
    prefix, _, name = key.partition(":")
    if name and prefix in _KEYED:
        field_name = _KEYED[prefix]
        entries = dict(merged.get(field_name) or {})
        if name in (theirs.get(field_name) or {}):
            entries[name] = theirs[field_name][name]
        else:
            entries.pop(name, None)
        merged[field_name] = entries
    elif key in theirs:
        merged[key] = theirs[key]
    else:
        merged.pop(key, None)


def _appended(base: str | None, ours: str | None, theirs: str | None) -> bool:
    """Both sides only added attempts to the same list."""
    b = json.loads(base or "null") or []
    o = json.loads(ours or "null") or []
    t = json.loads(theirs or "null") or []
    return o[: len(b)] == b and t[: len(b)] == b


def _union_attempts(base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
    """The base attempts, then both sides' new ones, oldest first (by ``started``, or ``time``)."""
    new = ours[len(base) :] + [a for a in theirs[len(base) :] if a not in ours[len(base) :]]
    new.sort(
        key=lambda a: str(a.get("started") or a.get("time", "")) if isinstance(a, dict) else ""
    )
    return base + new
