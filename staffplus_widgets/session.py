"""A learner's working session on one scenario: the three models, answers, attempts, and saving.

Kernel-free. Widgets share one ``WorkSession`` and call ``changed()`` after every valid edit; the
session saves after a short debounce (or at once with ``autosave_delay=0``), atomically, through
``workfile.save``. Nothing here imports ipywidgets.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import workfile
from .cost import CostModel
from .errors import StaffplusError
from .risks import RiskRegister
from .scenario import Scenario
from .tradeoff import TradeOffMatrix

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


class WorkSession:
    """Holds the learner's models for one scenario and keeps the work file in step with them."""

    def __init__(
        self,
        scenario: Scenario,
        path: str | Path | None = None,
        *,
        learner: str = "",
        autosave_delay: float = 0.75,
        timer_factory: Callable[[float, Callable[[], None]], Any] | None = None,
    ):
        self.scenario = scenario
        self.path = (
            Path(path) if path is not None else workfile.work_path(scenario.id, learner or None)
        )
        self.autosave_delay = autosave_delay
        self._timer_factory = timer_factory or (lambda d, f: threading.Timer(d, f))
        self._timer: Any = None
        self._lock = threading.RLock()
        self.listeners: list[Callable[[str], None]] = []
        self.last_error = ""
        self.saves = 0
        loaded = workfile.load(self.path, scenario.id, learner)
        self.notice = loaded.notice
        self.moved_to = loaded.moved_to
        self.restored = loaded.existed and loaded.moved_to is None
        self._adopt(loaded.work)

    # -- state -----------------------------------------------------------------------------------
    def _adopt(self, work: dict[str, Any]) -> None:
        sc = self.scenario
        self.work = work
        self.matrix = (
            TradeOffMatrix.from_dict(work["tradeoff"])
            if work.get("tradeoff")
            else TradeOffMatrix.from_scenario(sc.data, with_scores=False)
        )
        self.register = (
            RiskRegister.from_dict(work.get("risks")) if work.get("risks") else RiskRegister()
        )
        self.cost = (
            CostModel.from_dict(work["cost"])
            if work.get("cost")
            else CostModel.from_lines(TEMPLATE_LINES)
        )
        self.answers: dict[str, str] = dict(work.get("answers") or {})
        self.interviews: list[dict[str, Any]] = list(work.get("interviews") or [])
        self.drills: dict[str, Any] = dict(work.get("drills") or {})
        self.variants: list[str] = [
            v for v in work.get("variants") or [] if v in self.variant_ids()
        ]
        self._variant_weights: dict[str, dict[str, float]] = dict(work.get("variant_weights") or {})

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
                "interviews": list(self.interviews),
                "drills": dict(self.drills),
                "variants": list(self.variants),
            }
        )
        if self._variant_weights:
            work["variant_weights"] = self._variant_weights
        else:
            work.pop("variant_weights", None)
        return work

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
            self._timer = self._timer_factory(self.autosave_delay, self.save_now)
            if hasattr(self._timer, "daemon"):
                self._timer.daemon = True
            self._timer.start()

    def save_now(self) -> bool:
        """Write the work file now. Returns False (and sets ``last_error``) if it could not."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            try:
                workfile.save(self.path, self.to_work())
            except (
                OSError,
                StaffplusError,
                ValueError,
            ) as exc:  # ValueError: text that cannot be encoded
                self.last_error = f"Could not save to {self.path}: {exc}"
                return False
            self.last_error = ""
            self.saves += 1
            return True

    flush = save_now

    # -- carrying work between sessions (Binder) ---------------------------------------------------
    def export_bytes(self) -> bytes:
        return workfile.dumps(self.to_work()).encode("utf-8")

    def import_bytes(self, raw: bytes, source: str = "uploaded file") -> None:
        """Replace the session's work with an uploaded work file; nothing changes if it is invalid."""
        work = workfile.parse(raw, where=source)
        if work.get("scenario") != self.scenario.id:
            raise StaffplusError(
                source,
                f"holds work for scenario {work.get('scenario')!r}, not {self.scenario.id!r}",
                None,
                has_value=False,
            )
        # keep a copy of what is being replaced, next to the work file
        if self.path.exists():
            backup = self.path.with_name(self.path.stem + ".before-import.json")
            workfile.save(backup, json.loads(self.path.read_text("utf-8")))
        self._adopt(work)
        self.changed("import")

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
