"""Risk register: risks with likelihood x impact severity, a 5x5 grid, and coverage per category."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from ..core import validation as v
from ..core.categories import CATEGORY_IDS
from ..core.errors import StaffplusError

LEVELS = (1, 2, 3, 4, 5)
RAISED = ("unprompted", "prompted")
MAX_RISKS = 200


@dataclass(frozen=True)
class Risk:
    """One risk: category, likelihood and impact from 1 to 5, mitigation, owner and detection."""

    title: str
    category: str
    likelihood: int
    impact: int
    mitigation: str = ""
    owner: str = ""
    detection: str = ""
    raised: str = "unprompted"

    @property
    def severity(self) -> int:
        return self.likelihood * self.impact

    @property
    def complete(self) -> bool:
        """An entry someone can act on: it has a mitigation, an owner and a detection signal."""
        return bool(self.mitigation and self.owner and self.detection)

    @classmethod
    def create(cls, data: dict[str, Any], *, where: str = "risk") -> Risk:
        if not isinstance(data, dict):
            raise StaffplusError(where, "must be a mapping of fields", data)
        if not data.keys() <= _RISK_FIELDS:
            unknown = sorted(set(data) - _RISK_FIELDS)
            raise StaffplusError(
                f"{where}.{unknown[0]}", "is not a field of a risk", data[unknown[0]]
            )
        title = v.name((where, " title"), data.get("title"))
        category = data.get("category")
        if category not in CATEGORY_IDS:
            raise StaffplusError(
                f"{where} category", f"must be one of {', '.join(CATEGORY_IDS)}", category
            )
        likelihood = int(
            v.number((where, " likelihood"), data.get("likelihood"), low=1, high=5, integer=True)
        )
        impact = int(v.number((where, " impact"), data.get("impact"), low=1, high=5, integer=True))
        raised = data.get("raised", "unprompted")
        if raised not in RAISED:
            raise StaffplusError(f"{where} raised", "must be 'unprompted' or 'prompted'", raised)
        return cls(
            title,
            category,
            likelihood,
            impact,
            v.text((where, " mitigation"), data.get("mitigation", ""), limit=1000),
            v.text((where, " owner"), data.get("owner", ""), limit=120),
            v.text((where, " detection signal"), data.get("detection", ""), limit=1000),
            raised,
        )

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


_RISK_FIELDS = frozenset(f.name for f in fields(Risk))
_STORED = v.stored_types(
    numbers=("likelihood", "impact"), texts=("mitigation", "owner", "detection")
)


@dataclass
class RiskRegister:
    """The list of risks, edited with validation, with severity order, 5x5 grid and coverage."""

    risks: list[Risk] = field(default_factory=list)

    def titles(self) -> list[str]:
        return [r.title for r in self.risks]

    def get(self, title: str) -> Risk:
        for r in self.risks:
            if r.title == title:
                return r
        raise StaffplusError("risk", "no such risk", title)

    def add(self, data: dict[str, Any] | None = None, **kwargs: Any) -> Risk:
        risk = Risk.create({**(data or {}), **kwargs})
        v.unique("risk title", [*self.titles(), risk.title])
        if len(self.risks) >= MAX_RISKS:
            raise StaffplusError("risks", f"at most {MAX_RISKS} risks", len(self.risks))
        self.risks.append(risk)
        return risk

    def update(self, title: str, /, **changes: Any) -> Risk:
        index = self.risks.index(self.get(title))
        risk = Risk.create({**self.risks[index].to_dict(), **changes})
        v.unique(
            "risk title", [t for i, t in enumerate(self.titles()) if i != index] + [risk.title]
        )
        self.risks[index] = risk
        return risk

    def remove(self, title: str) -> None:
        self.risks.remove(self.get(title))

    def by_severity(self) -> list[Risk]:
        """Highest severity first; ties by impact (a rare disaster beats a frequent nuisance), then order."""
        order = {r.title: i for i, r in enumerate(self.risks)}
        return sorted(self.risks, key=lambda r: (-r.severity, -r.impact, order[r.title]))

    def grid(self) -> list[list[int]]:
        """Counts per cell: ``grid[likelihood-1][impact-1]``."""
        cells = [[0] * 5 for _ in LEVELS]
        for r in self.risks:
            cells[r.likelihood - 1][r.impact - 1] += 1
        return cells

    def coverage(self) -> dict[str, int]:
        counts = dict.fromkeys(CATEGORY_IDS, 0)
        for r in self.risks:
            counts[r.category] += 1
        return counts

    def missing(self, expected: list[str]) -> list[str]:
        cov = self.coverage()
        return [c for c in expected if cov.get(c, 0) == 0]

    def to_dict(self) -> dict[str, Any]:
        return {"risks": [r.to_dict() for r in self.risks]}

    @classmethod
    def from_dict(cls, data: Any, *, where: str = "risks") -> RiskRegister:
        if data is None:
            return cls()
        if not isinstance(data, dict) or not isinstance(data.get("risks", []), list):
            raise StaffplusError(where, "must be a mapping with a list of risks", data)
        reg = cls()
        seen: set[str] = set()
        stored = data.get("risks", [])
        v.at_most(where, stored, MAX_RISKS)
        for i, raw in enumerate(stored):
            if isinstance(raw, dict):
                v.as_stored(f"{where}[{i}]", raw, _STORED)
            risk = Risk.create(raw, where=f"{where}[{i}]")
            v.claim("risk title", seen, risk.title)
            reg.risks.append(risk)
        return reg

    def copy(self) -> RiskRegister:
        return RiskRegister(list(self.risks))

    @classmethod
    def from_reference(cls, reference: list[dict[str, Any]]) -> RiskRegister:
        reg = cls()
        for r in reference:
            reg.add(
                {
                    k: r[k]
                    for k in (
                        "title",
                        "category",
                        "likelihood",
                        "impact",
                        "mitigation",
                        "owner",
                        "detection",
                    )
                }
            )
        return reg


def with_raised(risk: Risk, raised: str) -> Risk:
    """A copy of ``risk`` marked as raised unprompted or prompted."""
    return replace(risk, raised=raised)
