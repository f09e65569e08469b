"""The fixed risk and rubric categories (ids are a contract: files, feedback and reports use them)."""

from __future__ import annotations

CATEGORIES: dict[str, str] = {
    "business": "Product impact, revenue, customer trust, the cost of each kind of error",
    "data": "Label availability and delay, leakage, selection bias, data quality, cold start",
    "modeling": "Model choice under constraints, calibration, evaluation, offline/online gap",
    "infrastructure": "Serving, latency budgets, capacity, GPU or streaming availability",
    "cost": "Compute, storage, labeling, human review and people cost, and their growth",
    "operations": "Monitoring, alerting, drift, retraining, on-call, review operations",
    "privacy": "Personal data, consent, retention and deletion, data minimization",
    "legal": "Regulation and compliance: payments, lending, advertising, content law",
    "fairness": "Disparate impact, per-segment error rates, proxies for protected attributes",
    "security": "Adversaries, abuse, evasion, prompt injection, data exfiltration",
    "team": "Team size and skills, ownership, maintenance burden, build vs buy",
}

CATEGORY_IDS: tuple[str, ...] = tuple(CATEGORIES)

# Categories beyond model accuracy: what "cross-functional awareness" means in the rubric.
CROSS_FUNCTIONAL: frozenset[str] = frozenset(
    {"business", "cost", "privacy", "legal", "fairness", "security", "team", "operations"}
)
