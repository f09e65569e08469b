"""Trade-off matrix: totals, ties, exclusions, closed-form sensitivity, robustness, validation."""

from __future__ import annotations

import math
import random

import pytest
from fixtures.widget_support import run_fresh
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from staffplus_widgets.core.errors import StaffplusError
from staffplus_widgets.models.tradeoff import TradeOffMatrix


def fraud_matrix() -> TradeOffMatrix:
    """Worked example (hand-computed below)."""
    m = TradeOffMatrix()
    m.add_option("Rules", "hand-written rules", baseline=True)
    m.add_option("GBDT", "gradient-boosted trees on CPU")
    m.add_option("Deep", "sequence model on GPU")
    m.add_criterion("Loss caught", 3, "more fraud dollars stopped")
    m.add_criterion("Serving cost", 2, "cheaper")
    m.add_criterion("Team burden", 1, "less to maintain")
    for opt, row in {"Rules": (2, 5, 4), "GBDT": (4, 4, 4), "Deep": (5, 2, 1)}.items():
        for crit, s in zip(("Loss caught", "Serving cost", "Team burden"), row):
            m.set_score(opt, crit, s)
    return m


def test_worked_example_totals_and_ranking():
    m = fraud_matrix()
    t = m.totals()
    # (3*2 + 2*5 + 1*4) / 6 = 20/6 ; (12 + 8 + 4) / 6 = 4 ; (15 + 4 + 1) / 6 = 20/6
    assert t["Rules"] == pytest.approx(20 / 6)
    assert t["GBDT"] == pytest.approx(4.0)
    assert t["Deep"] == pytest.approx(20 / 6)
    r = m.ranking()
    assert r.winners == ("GBDT",)
    assert [(row.name, row.rank, row.tied) for row in r.rows] == [
        ("GBDT", 1, False),
        ("Rules", 2, True),
        ("Deep", 2, True),
    ]


def test_worked_example_sensitivity_by_hand():
    m = fraud_matrix()
    s = {x.criterion: x for x in m.sensitivity()}
    # Loss caught weight t, others fixed (2, 1): GBDT (12... ) -> A_GBDT=12, A_Rules=14, A_Deep=5
    # vs Rules: 4t+12 >= 2t+14 -> t >= 1 ; vs Deep: 4t+12 >= 5t+5 -> t <= 7
    assert s["Loss caught"].low == pytest.approx(1.0) and s["Loss caught"].below == "Rules"
    assert s["Loss caught"].high == pytest.approx(7.0) and s["Loss caught"].above == "Deep"
    # Serving cost weight t, others (3, 1): A_GBDT=16, A_Rules=10, A_Deep=16
    # vs Rules: 4t+16 >= 5t+10 -> t <= 6 ; vs Deep: 4t+16 >= 2t+16 -> t >= 0
    assert s["Serving cost"].high == pytest.approx(6.0) and s["Serving cost"].above == "Rules"
    assert s["Serving cost"].low == 0 and s["Serving cost"].below is None


def test_ties_reported_as_ties():
    m = TradeOffMatrix()
    for n in "ABC":
        m.add_option(n)
    m.add_criterion("x", 1)
    m.set_score("A", "x", 4)
    m.set_score("B", "x", 4)
    m.set_score("C", "x", 2)
    r = m.ranking()
    assert r.winners == ("A", "B")
    assert [row.tied for row in r.rows] == [True, True, False]


def test_exclusion_removes_option_from_ranking_with_reason():
    m = fraud_matrix()
    m.exclude("GBDT", "no-ml-platform", "needs a feature store the team does not have")
    r = m.ranking()
    assert "GBDT" not in [row.name for row in r.rows]
    assert r.excluded[0].reason.startswith("needs a feature store")
    assert set(r.winners) == {"Rules", "Deep"}
    m.include(constraint="no-ml-platform")
    assert m.ranking().winners == ("GBDT",)


def test_rename_and_remove_keep_scores_consistent():
    m = fraud_matrix()
    m.rename_option("GBDT", "GBDT on CPU")
    m.rename_criterion("Serving cost", "Cost to serve")
    assert m.cell("GBDT on CPU", "Cost to serve").score == 4
    m.remove_criterion("Team burden")
    assert all(c != "Team burden" for (_, c) in m.scores)
    m.remove_option("Deep")
    assert m.option_names() == ["Rules", "GBDT on CPU"]


@pytest.mark.parametrize(
    "bad, message",
    [
        ("abc", "must be a number"),
        (float("nan"), "NaN"),
        (float("inf"), "finite"),
        (-1, "negative"),
        ("", "empty"),
        (True, "true/false"),
        (2e6, "at most"),
    ],
)
def test_bad_weights_rejected_without_change(bad, message):
    m = fraud_matrix()
    before = m.to_dict()
    with pytest.raises(StaffplusError, match=message):
        m.set_weight("Serving cost", bad)
    assert m.to_dict() == before


@pytest.mark.parametrize("bad", [0, 6, 0.99, "five", float("nan"), None])
def test_bad_scores_rejected(bad):
    m = fraud_matrix()
    before = m.to_dict()
    with pytest.raises(StaffplusError, match="score of 'GBDT' on 'Serving cost'"):
        m.set_score("GBDT", "Serving cost", bad)
    assert m.to_dict() == before


@pytest.mark.parametrize("bad", ["", "   ", "gbdt", "GBDT", None, 3, "x" * 200])
def test_bad_option_names(bad):
    m = fraud_matrix()
    with pytest.raises(StaffplusError, match="option name"):
        m.add_option(bad)
    assert len(m.options) == 3


def test_last_positive_weight_cannot_go_to_zero():
    m = TradeOffMatrix()
    m.add_option("A")
    m.add_criterion("x", 1)
    m.add_criterion("y", 0)
    with pytest.raises(StaffplusError, match="at least one criterion"):
        m.set_weight("x", 0)
    with pytest.raises(StaffplusError, match="cannot be removed"):
        m.remove_criterion("x")


def test_robustness_is_seeded_and_bounded():
    m = fraud_matrix()
    a, b = m.robustness(seed=1), m.robustness(seed=1)
    assert a == b and 0.0 < a <= 1.0
    m2 = TradeOffMatrix()
    m2.add_option("A")
    m2.add_option("B")
    m2.add_criterion("x", 1)
    m2.add_criterion("y", 1)
    m2.set_score("A", "x", 5)
    m2.set_score("A", "y", 5)
    m2.set_score("B", "x", 1)
    m2.set_score("B", "y", 1)
    assert m2.robustness() == 1.0  # dominance survives any weights


# -- properties ------------------------------------------------------------------------------------
score = st.integers(1, 5)


@st.composite
def matrices(draw, max_options=5, max_criteria=5):
    n_opt = draw(st.integers(2, max_options))
    n_crit = draw(st.integers(1, max_criteria))
    weights = draw(st.lists(st.floats(0.1, 10, allow_nan=False), min_size=n_crit, max_size=n_crit))
    scores = {
        f"o{i}": draw(st.lists(score, min_size=n_crit, max_size=n_crit)) for i in range(n_opt)
    }
    m = TradeOffMatrix()
    for name in scores:
        m.add_option(name)
    for j, w in enumerate(weights):
        m.add_criterion(f"c{j}", w)
    for name, row in scores.items():
        for j, s in enumerate(row):
            m.set_score(name, f"c{j}", s)
    return m


@settings(max_examples=150, deadline=None)
@given(matrices(), st.floats(0.01, 100))
def test_scaling_all_weights_changes_nothing(m, k):
    before = m.totals()
    for c in list(m.criteria):
        m.set_weight(c.name, c.weight * k)
    after = m.totals()
    for name in before:
        assert after[name] == pytest.approx(before[name], rel=1e-9, abs=1e-9)


@settings(max_examples=120, deadline=None)
@given(matrices())
def test_sensitivity_interval_agrees_with_brute_force_scan(m):
    ranking = m.ranking()
    assume(len(ranking.winners) == 1)
    winner = ranking.winners[0]
    for s in m.sensitivity():
        original = m.cell  # unchanged
        hi = s.high if math.isfinite(s.high) else s.weight * 4 + 40
        grid = (
            [s.low * (i / 20) for i in range(20)]
            + [s.low + (hi - s.low) * i / 40 for i in range(41)]
            + [hi * 1.05 + 0.1, hi * 2 + 1]
        )
        for t in grid:
            if t == 0 and len(m.criteria) == 1:
                continue
            probe = m.copy()
            try:
                probe.set_weight(s.criterion, t)
            except Exception:
                continue  # weight 0 on the only weighted criterion
            totals = probe.totals()
            best = max(totals[n] for n in probe.feasible())
            holds = totals[winner] >= best - 1e-9
            margin = 1e-6 * max(1.0, t)
            if s.low + margin < t < s.high - margin:
                assert holds, (s, t, totals)
            elif t < s.low - margin or t > s.high + margin:
                assert not holds, (s, t, totals)
                who = s.below if t < s.low else s.above
                assert totals[who] > totals[winner] - 1e-9
        assert original == m.cell


@settings(max_examples=60, deadline=None)
@given(matrices())
def test_serialise_then_load_is_identity(m):
    again = TradeOffMatrix.from_dict(m.to_dict())
    assert again.to_dict() == m.to_dict()
    assert again.totals() == m.totals()


# -- robustness: plain Python for small matrices, numpy for big ones -------------------------------
@pytest.mark.parametrize("seed", range(6))
def test_both_robustness_paths_estimate_the_same_share(seed):
    from staffplus_widgets.models import tradeoff as t

    rng = random.Random(seed)
    n_opt, n_crit = rng.randint(2, 6), rng.randint(2, 9)
    weights = [rng.uniform(0.2, 5) for _ in range(n_crit)]
    scores = [[float(rng.randint(1, 5)) for _ in range(n_crit)] for _ in range(n_opt)]
    totals = [sum(w * s for w, s in zip(weights, row)) for row in scores]
    top = max(totals)
    winners = [i for i, x in enumerate(totals) if x >= top - 1e-9]
    draws = 20_000
    job = t._Draws(weights, scores, winners, draws, 0.5, seed)
    plain = t._robustness_python(job)
    fast = t._robustness_numpy(job)
    # two independent estimates of one probability: 5 standard errors of their difference
    p = (plain + fast) / 2
    assert abs(plain - fast) <= 5 * math.sqrt(2 * p * (1 - p) / draws) + 1e-9


def test_robustness_uses_plain_python_below_the_threshold_and_numpy_above(monkeypatch):
    from staffplus_widgets.models import tradeoff as t

    used = []
    monkeypatch.setattr(t, "_robustness_python", lambda *a: used.append("python") or 0.5)
    monkeypatch.setattr(t, "_robustness_numpy", lambda *a: used.append("numpy") or 0.5)
    m = fraud_matrix()
    m.robustness()
    cells = len(m.feasible()) * len(m.criteria)
    m.robustness(draws=t.NUMPY_FROM // cells + 1)
    assert used == ["python", "numpy"]


def test_a_typical_matrix_never_imports_numpy():
    code = (
        "import sys\n"
        "from staffplus_widgets.data.scenario import get_scenario\n"
        "from staffplus_widgets.models.tradeoff import TradeOffMatrix\n"
        "m = TradeOffMatrix.from_scenario(get_scenario('payments-fraud').data)\n"
        "m.set_score(m.option_names()[1], m.criteria[0].name, 5)\n"
        "assert 0 < m.robustness() <= 1\n"
        "assert 'numpy' not in sys.modules\n"
    )
    run_fresh(code)


def test_stored_exclusions_load_as_exclude_would_and_in_linear_time():
    m = TradeOffMatrix()
    m.add_option("A")
    m.add_option("B")
    stored = [
        {"option": "A", "constraint": "latency", "reason": "too slow"},
        {"option": "B", "constraint": "cost", "reason": "too dear"},
        {"option": "A", "constraint": "latency", "reason": "p99 over budget"},  # replaces the first
    ]
    one_by_one = m.copy()
    for e in stored:
        one_by_one.exclude(e["option"], e["constraint"], e["reason"])
    loaded = TradeOffMatrix.from_dict({**m.to_dict(), "exclusions": stored})
    assert loaded.exclusions == one_by_one.exclusions
    assert [e.reason for e in loaded.exclusions] == ["too dear", "p99 over budget"]
    # many distinct exclusions (a hostile file holds up to ~80,000) load in one pass; the old
    # entry-by-entry rebuild made 2e8 comparisons for these 20,000
    many = [{"option": "A", "constraint": f"c{i}", "reason": "r"} for i in range(20_000)]
    assert len(TradeOffMatrix.from_dict({**m.to_dict(), "exclusions": many}).exclusions) == 20_000
