"""Feedback engine: matching tolerance, negation, signals, scores, work-file review, CLI JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from staffplus_widgets.data.scenario import get_pack
from staffplus_widgets.feedback import review_text, review_work
from staffplus_widgets.feedback.textmatch import (
    compile_phrase,
    find,
    is_negated,
    match_groups,
    match_phrases,
    normalise,
    normalise_all,
    split_sentences,
)
from staffplus_widgets.practice.session import WorkSession


def hit(phrase, text):
    raised, _ = match_phrases([phrase], split_sentences(text))
    return raised is not None


@pytest.mark.parametrize(
    "phrase, text",
    [
        ("false positive cost", "Each FP costs us about $10 in lost sales."),
        ("false positive cost", "The false-positive cost is what sets the threshold."),
        ("label delay", "Chargeback labels are delayed by 30 to 120 days."),
        ("pii", "We must strip personally identifiable information before logging."),
        ("p99 latency", "The 99th-percentile latency budget is 150 ms."),
        ("qps", "Peak load is 3,000 requests per second."),
        ("a/b test", "We gate the launch on an A/B test."),
        ("on-call", "Who is oncall when the model drifts?"),
        ("3-d secure", "Step up with 3DS for the grey zone."),
        ("log impression", "We start logging impressions with their rank."),
        ("selection bias", "Selection biases creep in from blocked payments."),
        ("optimize threshold", "We optimise thresholds per segment."),
        ("latency ... ms", "latency stays under 300ms"),
    ],
)
def test_matching_tolerates_inflections_abbreviations_hyphens(phrase, text):
    assert hit(phrase, text)


@pytest.mark.parametrize(
    "text",
    [
        "Privacy isn't a concern here.",
        "We won't worry about privacy.",
        "No need to think about privacy for this.",
        "Privacy is not something we need to handle.",
        "Let's ignore privacy for now.",
    ],
)
def test_negated_mentions_do_not_count(text):
    assert not hit("privacy", text)


@pytest.mark.parametrize(
    "text",
    [
        "We cannot launch without a privacy review.",
        "Not only latency but also privacy matters.",
        "Privacy matters because the model is not allowed to see raw card numbers.",
    ],
)
def test_double_negatives_and_contrast_still_count(text):
    assert hit("privacy", text)


def test_review_structure_and_score_breakdown(fraud):
    staff = review_text(fraud, fraud.data["exemplars"]["staff"])
    d = staff.to_dict()
    assert set(d) >= {"score", "categories", "items", "missed_followups", "signals", "breakdown"}
    assert 0 <= d["score"] <= 100
    assert d["score"] == round(sum(d["breakdown"].values()))
    for item in d["items"]:
        assert set(item) >= {"id", "category", "raised", "evidence"}
        if item["raised"]:
            assert item["evidence"] in fraud.data["exemplars"]["staff"]
    assert {c: v["total"] for c, v in d["categories"].items()} == {
        c: sum(1 for i in fraud.rubric if i["category"] == c) for c in d["categories"]
    }
    assert staff.cross_functional


def test_empty_answer_scores_zero_and_lists_every_followup(fraud):
    r = review_text(fraud, "")
    assert r.score == 0 and len(r.missed_followups) == len(fraud.rubric)


def test_dismissed_point_is_reported(fraud):
    item = fraud.rubric[0]
    r = review_text(fraud, item["examples"]["negated"][0])
    result = next(i for i in r.items if i.id == item["id"])
    assert not result.raised and result.dismissed


def test_signals_detect_options_numbers_and_flip(fraud):
    text = (
        "Option one is a rules baseline, option two is a GBDT on CPU and option three a GPU sequence model; "
        "the trade-off is latency versus recall. Peak is 3,000 QPS, review costs $45 per hour and 20 analysts "
        "handle 9,600 cases a day. I recommend the GBDT unless we get GPU serving, then I'd switch. "
        "Because the team is three engineers, we can't run a streaming pipeline. Given no GPU serving, "
        "the deep model waits. The risk is label delay, so we mitigate by training only on matured rows. "
        "Another risk is fraud drift; we monitor the PSI and alert on it."
    )
    r = review_text(fraud, text)
    assert {s.id for s in r.signals if s.present} == {
        "options_tradeoffs",
        "numbers",
        "recommendation_flip",
        "constraints",
        "risks_mitigations",
    }


def test_review_work_checks_artifacts(fraud, tmp_path):
    s = WorkSession(fraud, tmp_path / "w.json", autosave_delay=0)
    s.fill_reference()
    report = review_work(fraud, s.to_work())
    assert all(report["tradeoff"]["checks"].values())
    assert report["tradeoff"]["winner"] == fraud.data["recommendation"]["option"]
    assert report["cost"]["position"] == "inside"
    assert report["risks"]["count"] == len(fraud.data["reference_risks"])
    blank = WorkSession(fraud, tmp_path / "b.json", autosave_delay=0)
    r2 = review_work(fraud, blank.to_work())
    assert r2["risks"]["empty_categories"] and r2["answer"] is None


def _review_cli(*args: str) -> subprocess.CompletedProcess:
    """``python -m staffplus_widgets review ARGS`` in a new process."""
    return subprocess.run(
        [sys.executable, "-m", "staffplus_widgets", "review", *args],
        capture_output=True,
        text=True,
    )


def test_review_cli_json_keys(fraud, tmp_path):
    answer = tmp_path / "a.md"
    answer.write_text(fraud.data["exemplars"]["staff"])
    out = _review_cli("--scenario", "payments-fraud", str(answer), "--format", "json")
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert set(d) >= {"score", "categories", "items", "missed_followups"}
    assert all({"raised", "total"} <= set(v) for v in d["categories"].values())
    text = _review_cli("--scenario", "payments-fraud", str(answer))
    assert text.returncode == 0 and "score" in text.stdout
    s = WorkSession(fraud, tmp_path / "w.json", autosave_delay=0)
    s.fill_reference()
    work = _review_cli(str(tmp_path / "w.json"), "--format", "json")
    assert work.returncode == 0, work.stderr
    assert {"score", "categories", "items", "missed_followups", "tradeoff", "risks", "cost"} <= set(
        json.loads(work.stdout)
    )
    missing = _review_cli(str(answer))
    assert missing.returncode == 1 and "--scenario" in missing.stderr


# -- the one-pass paths give what the sentence-by-sentence definitions give ----------------------------
_PIECES = st.sampled_from(
    [
        "False-positives cost $10",
        "We won't ship A/B tests",
        "can't; cannot; shan't",
        "the team's on-call rota",
        "300ms at the 99th percentile",
        "Queries per second peak at 3k",
        "ΣΟΦΟΣ and İstanbul",
        "plain words only",
        "x\x00y",
        "",
        "GPUs; LLMs; SLOs",
    ]
)


@given(st.lists(_PIECES, max_size=8))
def test_normalise_all_equals_normalising_one_by_one(pieces):
    assert normalise_all(pieces) == [normalise(p) for p in pieces]


def _match_one_by_one(phrases, sentences):
    """The matcher's definition: sentence by sentence, phrases in order; first affirmative wins."""
    negated = None
    for s in sentences:
        for ph in (compile_phrase(p) for p in phrases):
            span = find(ph, s.toks)
            if span is None:
                continue
            neg = is_negated(s.raw, s.pos[span[0]], s.pos[span[1] - 1] + 1)
            hit_ = (ph.text, s.text, s.start, neg)
            if not neg:
                return hit_, negated
            negated = negated or hit_
    return None, negated


def _as_tuple(h):
    return None if h is None else (h.phrase, h.sentence, h.start, h.negated)


def test_indexed_matching_equals_the_definition_on_every_scenario():
    pack = get_pack()
    checked = 0
    for sc in pack.scenarios.values():
        groups = tuple(tuple(i["matchers"]) for i in sc.rubric)
        texts = [sc.data["exemplars"]["staff"], sc.data["exemplars"]["senior"]]
        texts += [e for i in sc.rubric for e in i["examples"]["raised"]]
        texts.append("We won't need a " + " and no ".join(i["matchers"][0] for i in sc.rubric))
        for text in texts:
            sentences = split_sentences(text)
            for phrases, (hit_, neg) in zip(groups, match_groups(groups, sentences)):
                assert (_as_tuple(hit_), _as_tuple(neg)) == _match_one_by_one(phrases, sentences)
                checked += 1
    assert checked > 1000


def test_every_fold_starts_with_a_boundary_and_a_literal_the_quick_check_knows():
    from staffplus_widgets.feedback import textmatch

    for pattern, _ in textmatch._FOLDS:
        assert pattern.startswith(r"\b") and pattern[2].isalnum(), pattern
        assert pattern[2] in textmatch._FOLD_FIRSTS
