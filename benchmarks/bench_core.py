"""Core analysis speed: trade-off sensitivity + robustness (10 options x 12 criteria) and a 20-line cost
projection, each as a ratio to a plain-Python baseline computing the same numbers in the same run."""

from __future__ import annotations

import math
import random

from common import Result, interleaved

from staffplus_widgets.data.prices import price_catalogue
from staffplus_widgets.models.cost import CostModel
from staffplus_widgets.models.tradeoff import TradeOffMatrix

DRAWS = 10_000


def make_matrix(n_opt: int = 10, n_crit: int = 12, seed: int = 3) -> TradeOffMatrix:
    rng = random.Random(seed)
    m = TradeOffMatrix()
    for i in range(n_opt):
        m.add_option(f"Option {i}")
    for j in range(n_crit):
        m.add_criterion(f"Criterion {j}", rng.uniform(0.5, 5))
    for i in range(n_opt):
        for j in range(n_crit):
            m.set_score(f"Option {i}", f"Criterion {j}", rng.randint(1, 5))
    return m


def analysis(m: TradeOffMatrix) -> tuple:
    return m.ranking(), m.sensitivity(), m.robustness(draws=DRAWS)


def plain_python_analysis(weights: list[float], scores: list[list[float]]) -> tuple:
    """The same questions answered the obvious way: loops, and a scanned weight grid."""

    def totals(w):
        s = sum(w)
        return [sum(wj * sj for wj, sj in zip(w, row)) / s for row in scores]

    base = totals(weights)
    winner = max(range(len(base)), key=base.__getitem__)
    intervals = []
    for k in range(len(weights)):
        holds = []
        for step in range(200):
            w = list(weights)
            w[k] = weights[k] * 4 * step / 199
            if sum(w) == 0:
                continue
            t = totals(w)
            holds.append(t[winner] >= max(t) - 1e-9)
        intervals.append(holds)
    rng = random.Random(0)
    wins = 0
    for _ in range(DRAWS):
        w = [wj * rng.uniform(0.5, 1.5) for wj in weights]
        t = totals(w)
        wins += t[winner] >= max(t) - 1e-9
    return winner, intervals, wins / DRAWS


def tradeoff_analysis() -> Result:
    m = make_matrix()
    weights = [c.weight for c in m.criteria]
    scores = [[m.cell(o, c.name).score for c in m.criteria] for o in m.option_names()]
    ours, base = interleaved(
        lambda: analysis(m), lambda: plain_python_analysis(weights, scores), repeat=7
    )
    return Result(
        "trade-off analysis 10x12 (sens+robust 10k)",
        ours,
        base,
        "< 20 ms and < 1x plain Python",
        ours < 20 and ours < base,
    )


def make_cost(n: int = 20) -> CostModel:
    kinds = [
        {
            "kind": "inference",
            "peak_qps": 5000,
            "throughput_per_instance": 300,
            "instance": "c6i.xlarge",
        },
        {"kind": "batch", "hours_per_run": 3, "runs_per_month": 30, "instance": "g5.xlarge"},
        {"kind": "storage", "gb": 20000, "storage": "s3-standard"},
        {"kind": "pipeline", "nodes": 6, "instance": "m6i.2xlarge"},
        {"kind": "labeling", "labels_per_month": 40000, "labeling": "crowd-simple"},
        {"kind": "review", "cases_per_day": 4000, "minutes_per_case": 2, "labour": "fraud-analyst"},
        {"kind": "people", "fte": 2},
    ]
    return CostModel.from_lines(
        prices=price_catalogue(),
        lines=[{**kinds[i % len(kinds)], "name": f"line {i}"} for i in range(n)],
    )


def plain_projection(lines: list[dict]) -> list[float]:
    out = []
    for k in (1, 3, 10):
        total = 0.0
        for x in lines:
            kind = x["kind"]
            if kind == "inference":
                total += (
                    math.ceil(
                        x["peak_qps"] * k / (x["throughput_per_instance"] * x["target_utilization"])
                    )
                    * x["redundancy"]
                    * x["hourly_usd"]
                    * 730
                )
            elif kind == "batch":
                total += (
                    x["hours_per_run"] * x["runs_per_month"] * x["instances"] * x["hourly_usd"] * k
                )
            elif kind == "storage":
                total += x["gb"] * x["usd_per_gb_month"] * k
            elif kind == "pipeline":
                total += x["nodes"] * x["hourly_usd"] * 730
            elif kind == "labeling":
                total += x["labels_per_month"] * x["usd_per_label"] * k
            elif kind == "review":
                total += (
                    x["cases_per_day"]
                    * k
                    * x["minutes_per_case"]
                    / 60
                    * x["days_per_month"]
                    * x["hourly_usd"]
                )
            else:
                total += x["fte"] * x["annual_usd"] / 12
        out.append(total)
    return out


def cost_projection() -> Result:
    m = make_cost()
    flat = [{**line.values, "kind": line.kind} for line in m.lines]
    ours, base = interleaved(lambda: m.projection(), lambda: plain_projection(flat), repeat=31)
    assert (
        abs(m.projection()[2].total - plain_projection(flat)[2]) < 1e-6 * plain_projection(flat)[2]
    )
    return Result(
        "cost projection 20 lines x1/x3/x10", ours, base, "< 5 ms (formulas shown)", ours < 5
    )


BENCHMARKS = [tradeoff_analysis, cost_projection]
