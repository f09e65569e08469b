"""Review levels: absent, named, reasoned, dismissed (DESIGN.md "Feedback levels").

Each rule of the level engine has its own test here, on the small widget fixture scenario whose
matchers this file controls; the built-in scenarios are held to the same rules by the corpus
benchmark and by tests/test_scenarios.py.
"""

from __future__ import annotations

import pytest

from staffplus_widgets.feedback import LEVELS, NAMED_CREDIT, review_text, review_work
from staffplus_widgets.feedback.rubric_checks import generic_matcher
from staffplus_widgets.feedback.statements import analyse
from staffplus_widgets.feedback.textmatch import split_sentences
from staffplus_widgets.practice.session import WorkSession


def level(scenario, text, item_id):
    return next(i.level for i in review_text(scenario, text).items if i.id == item_id)


def statement(text):
    (s,) = split_sentences(text)
    return analyse(s)


def _signal(scenario, text, signal_id):
    return next(s for s in review_text(scenario, text).signals if s.id == signal_id)


# -- named versus reasoned --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, cue",
    [
        (
            "Chargebacks are a label delay problem, so recent payments wait before training.",
            "consequence",
        ),
        ("Label delay is real because issuers take weeks to file.", "consequence"),
        (
            "Label delay means last week's payments look legitimate -> we hold them out.",
            "consequence",
        ),
        ("The label delay is about eight weeks here.", "number"),
        ("Given the label delay, I'd train only on payments older than sixty days.", "decision"),
        ("With the label delay we can't evaluate on last month at all.", "constraint"),
    ],
)
def test_a_mention_tied_to_a_consequence_constraint_number_or_decision_is_reasoned(
    scenario, text, cue
):
    review = review_text(scenario, text)
    item = next(i for i in review.items if i.id == "label-delay")
    assert item.level == "reasoned" and item.raised
    assert item.cue is not None


@pytest.mark.parametrize(
    "text",
    [
        "Label delay.",
        "Label delay matters here.",
        "We should think about label delay.",
        "Label delay is something to keep in mind.",
        "We could look at label delay at some point.",
    ],
)
def test_a_bare_mention_is_named_and_earns_a_quarter_at_most(scenario, text):
    review = review_text(scenario, text)
    item = next(i for i in review.items if i.id == "label-delay")
    assert item.level == "named" and not item.raised
    assert item.nudge.startswith("You named") and item.followup in item.nudge
    assert review.breakdown["coverage"] <= 60 * NAMED_CREDIT / len(scenario.rubric) + 1e-9


# -- lists and fragments ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Label delay, fraudsters adapt, PCI DSS, disparate impact, maintenance burden.",
        "label delay / PCI DSS / disparate impact / review band",
        "- Label delay with chargeback windows",
        "## Label delay",
        "Label delay and PCI DSS:",
        "latency budget p99 latency label delay chargeback weeks pci dss cardholder data disparate impact",
    ],
)
def test_lists_headings_and_noun_phrases_never_reach_reasoned(scenario, text):
    review = review_text(scenario, text)
    assert not review.raised_ids
    assert any(i.level == "named" for i in review.items)
    assert review.score <= 25


def test_a_list_of_quantities_is_a_statement_and_a_list_of_terms_is_not():
    assert statement("privacy, GDPR, legal, cost, team, fairness, drift, chargebacks").fragment
    assert not statement("FP ~$10, FN ~$115 -> block above 0.08.").fragment
    assert not statement(
        "We block above 0.78, send the middle to analysts, and pass the rest."
    ).fragment
    assert not statement("VAMP ratio?").fragment  # a question says something
    # quantities and missing pieces after a colon describe the team; they are not bare terms
    assert not statement(
        "It's about the team: five people, one on-call, no infra engineer, no Flink."
    ).fragment


def test_terms_strung_together_behind_one_verb_are_named_at_most(scenario):
    text = (
        "We monitor label delay, PCI DSS, disparate impact and adversarial drift, and integrate "
        "SHAP, LIME, SMOTE and focal loss for a defense-in-depth review band."
    )
    review = review_text(scenario, text)
    assert not review.raised_ids and any(i.level == "named" for i in review.items)
    # a run of figures and shares is a rule, and one with a consequence is reasoning
    priced = "I'd pass below 8%, challenge up to 40%, send the rest to the review band, and block above 78%."
    assert level(scenario, priced, "review-band") == "reasoned"


def test_matcher_phrases_strung_together_are_named_at_most(scenario):
    pasted = ", ".join(m.replace("...", " ") for item in scenario.rubric for m in item["matchers"])
    review = review_text(scenario, pasted + ".")
    assert not review.raised_ids and review.score <= 30
    run = " ".join(m.replace("...", " ") for item in scenario.rubric for m in item["matchers"])
    assert not review_text(scenario, "We have " + run + ".").raised_ids


def test_a_sentence_about_many_points_at_once_reasons_about_none(scenario):
    text = (
        "We handle label delay, PCI DSS, disparate impact, the review band and the maintenance "
        "burden because they matter."
    )
    assert not review_text(scenario, text).raised_ids


# -- dismissals ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, dismissed",
    [
        ("PCI DSS is out of scope.", ["pci-scope"]),
        ("PCI DSS and disparate impact are moot.", ["pci-scope", "segment-fairness"]),
        (
            "PCI DSS, disparate impact and label delay are someone else's problem.",
            ["pci-scope", "segment-fairness", "label-delay"],
        ),
        (
            "We don't need to worry about PCI DSS, label delay or disparate impact.",
            ["pci-scope", "label-delay", "segment-fairness"],
        ),
        ("Monthly cost doesn't matter here, so no estimate.", ["monthly-cost"]),
        ("Disparate impact is a waste of time.", ["segment-fairness"]),
        ("Testing for disparate impact would be a waste of time.", ["segment-fairness"]),
        ("A review band will be overkill for v1.", ["review-band"]),
        ("Disparate impact? Not needed.", []),  # the question names it; the answer waves it away
        ("Let's skip the review band for v1.", ["review-band"]),
        ("We can ship without a review band.", ["review-band"]),
        ("I'd leave PCI DSS to the legal team.", ["pci-scope"]),
        (
            "Label delay is a non-issue and adversarial drift is overblown.",
            ["label-delay", "adversaries"],
        ),
        ("Fraudsters adapt, but that is overkill to plan for.", []),
        (
            "Neither label delay nor disparate impact needs special handling.",
            ["label-delay", "segment-fairness"],
        ),
        ("Neither PCI DSS nor label delay matters for v1.", ["pci-scope", "label-delay"]),
        (
            "PCI DSS, label delay and disparate impact: none of that is worth building in v1.",
            ["pci-scope", "label-delay", "segment-fairness"],
        ),
        (
            "PCI DSS and disparate impact are trust and safety's job.",
            ["pci-scope", "segment-fairness"],
        ),
        ("Disparate impact is the risk team's job, not ours.", ["segment-fairness"]),
        ("Label delay I'd leave entirely to T&S.", ["label-delay"]),
        ("A review band is not something any sane business does.", ["review-band"]),
        ("Disparate impact can be checked later by the compliance team.", ["segment-fairness"]),
        ("PCI DSS is a checkbox.", ["pci-scope"]),
        ("Label delay is just how the data works.", []),
        ("I'd set PCI DSS aside for now.", ["pci-scope"]),
        ("Set aside disparate impact until launch.", ["segment-fairness"]),
        ("Label delay I'd leave aside: it is a reporting issue.", ["label-delay"]),
    ],
)
def test_dismissals_with_real_scope_earn_nothing(scenario, text, dismissed):
    review = review_text(scenario, text)
    assert not review.raised_ids, [(i.id, i.evidence) for i in review.items if i.raised]
    assert all(i.level != "named" or i.id not in dismissed for i in review.items)
    for item_id in dismissed:
        assert level(scenario, text, item_id) == "dismissed", item_id
    assert review.score <= 5


@pytest.mark.parametrize(
    "text, item_id",
    [
        ("We cannot launch without a PCI DSS review, so card data stays tokenized.", "pci-scope"),
        (
            "Without a review band, ambiguous payments get auto-declined, costing good customers.",
            "review-band",
        ),
        ("Don't ignore the label delay: chargebacks take eight weeks, so we wait.", "label-delay"),
        # warned against, not decided
        (
            "It would be a mistake to skip the review band, because good customers get declined.",
            "review-band",
        ),
        (
            "If we skip the review band, good customers get declined at 2% of checkouts.",
            "review-band",
        ),
        (
            "Not only latency but also PCI DSS scope matters, because card data widens the audit.",
            "pci-scope",
        ),
        (
            "We don't need a streaming pipeline: the maintenance burden is too much for three people.",
            "team-burden",
        ),
        # a design step that happens later, in someone's tooling
        (
            "Disparate impact is checked later by the compliance team's tooling, because it needs the final model.",
            "segment-fairness",
        ),
        # a fact about two options, not a shrug
        ("Neither PCI DSS nor the review band needs a GPU, so we stay on CPU.", "pci-scope"),
        # whose job it is, when the job is ours or the hardest one
        (
            "Disparate impact is our job: we test approval rates per segment monthly.",
            "segment-fairness",
        ),
        (
            "Label delay is the hardest job here, because chargebacks take eight weeks.",
            "label-delay",
        ),
        # "set aside" as in reserve
        (
            "We set aside 10% of the review band for a random audit sample, because label delay "
            "hides what the model misses.",
            "review-band",
        ),
    ],
)
def test_double_negatives_conditionals_and_decisions_are_not_dismissals(scenario, text, item_id):
    assert level(scenario, text, item_id) == "reasoned"


def test_an_answer_that_mostly_dismisses_earns_nothing_for_names(scenario):
    names = "Label delay matters here. We should think about the review band."
    assert review_text(scenario, names).score > 0  # names alone earn their quarter
    waved = names + " PCI DSS is out of scope. Disparate impact is overblown."
    review = review_text(scenario, waved)
    assert {i.level for i in review.items} >= {"named", "dismissed"}
    assert review.score == 0


@pytest.mark.parametrize(
    "text, item_id",
    [
        ("We don't use race in the model, so disparate impact can't happen by definition.", "segment-fairness"),
        ("Label delay? That's fine, the late ones were probably fraud anyway.", "label-delay"),
        ("The review band is for the analysts; if it's too much, ops can ask for more headcount.", "review-band"),
    ],
)  # fmt: skip
def test_shrugs_that_give_a_reason_earn_nothing(scenario, text, item_id):
    assert level(scenario, text, item_id) != "reasoned"


def test_a_dismissal_with_a_reason_is_still_a_dismissal(scenario):
    text = "We don't need to worry about disparate impact because the model is accurate."
    assert level(scenario, text, "segment-fairness") == "dismissed"
    assert not review_text(scenario, text).raised_ids


def test_the_opposite_stance_dismisses_the_point(scenario):
    sc = _with_contrary(
        scenario, "simple-baseline", ["skip the rules", "go straight to a deep model"]
    )
    text = "I'd go straight to a deep model, because rules are old fashioned."
    assert level(sc, text, "simple-baseline") == "dismissed"
    # negated, the contrary phrase is the point itself
    text = "We never go straight to a deep model; a simple baseline of rules ships first, so we have a bar."
    assert level(sc, text, "simple-baseline") == "reasoned"


def test_the_reason_in_a_sentence_that_takes_the_opposite_stance_reasons_about_nothing(scenario):
    sc = _with_contrary(scenario, "simple-baseline", ["go straight to a deep model"])
    text = "I'd go straight to a deep model, so label delay is handled by retraining weekly."
    assert level(sc, text, "simple-baseline") == "dismissed"
    assert level(sc, text, "label-delay") == "named"
    # the same reason without the opposite stance reasons about label delay
    text = "I'd use a deep model, so label delay is handled by retraining weekly."
    assert level(sc, text, "label-delay") == "reasoned"


SHRUGS = (
    "Latency isn't a concern. GDPR is legal's problem, not ours. Label delay is overkill to worry "
    "about for v1. Cost doesn't matter here. The team can figure out on-call later. Honestly I "
    "wouldn't bother with fairness. "
)


def test_in_an_answer_that_mostly_shrugs_a_bare_name_is_a_shrug_and_a_reason_only_a_name():
    from staffplus_widgets.data.scenario import get_scenario
    from staffplus_widgets.feedback.levels import dismissive_stance

    sc = get_scenario("payments-fraud")
    named = "Fraudsters adapt to the model over time."
    reasoned = "PCI scope stays small because the feature store keeps only acquirer tokens."
    assert level(sc, named, "adversarial-drift") == "named"
    assert level(sc, reasoned, "compliance-pci-psd2") == "reasoned"
    assert dismissive_stance(split_sentences(SHRUGS + named))
    assert level(sc, SHRUGS + named, "adversarial-drift") == "dismissed"
    review = review_text(sc, SHRUGS + reasoned)
    assert level(sc, SHRUGS + reasoned, "compliance-pci-psd2") == "named"
    assert review.score == 0 and not review.raised_ids
    assert "waves concerns away" in next(i.nudge for i in review.items if i.level == "named")
    # reasoned in one sentence and waved away in another: in a shrugging answer, the shrug stands
    waved = "PCI DSS would be a waste of time for v1."
    assert level(sc, waved, "compliance-pci-psd2") == "dismissed"
    assert level(sc, reasoned + " " + waved, "compliance-pci-psd2") == "reasoned"
    assert level(sc, SHRUGS + reasoned + " " + waved, "compliance-pci-psd2") == "dismissed"


def _with_contrary(scenario, item_id, phrases):
    import dataclasses

    rubric = [dict(i, contrary=phrases) if i["id"] == item_id else i for i in scenario.rubric]
    return dataclasses.replace(scenario, data={**scenario.data, "rubric": rubric})


# -- one answer, one point: the level it earns ------------------------------------------------------
# any level but "reasoned": the rule says only that the point earns no reasoning credit
NOT_REASONED = frozenset(LEVELS) - {"reasoned"}


@pytest.mark.parametrize(
    "text, item_id, expected",
    [
        # where the reason stands
        pytest.param(
            "Label delay is real. So we wait sixty days.",
            "label-delay",
            "reasoned",
            id="the_next_sentence_can_carry_the_reason",
        ),
        pytest.param(
            "Label delay is real. Fraudsters adapt within days, so we retrain weekly.",
            "label-delay",
            "named",
            id="unless_the_next_sentence_is_about_another_point",
        ),
        pytest.param(
            "Label delay is real. Fraudsters adapt within days, so we retrain weekly.",
            "adversaries",
            "reasoned",
            id="which_the_next_sentence_reasons_about",
        ),
        # "within ... ms" is the latency matcher: its own "within" is not a constraint on it
        pytest.param(
            "Scoring runs within a few ms.",
            "latency-budget",
            "named",
            id="cue_words_inside_the_matched_phrase_do_not_count",
        ),
        pytest.param(
            "Chargebacks take weeks for disputed card payments. "
            "Hold the disputed card payments out of training for sixty days.",
            "label-delay",
            "reasoned",
            id="the_next_sentence_that_takes_up_the_same_words_carries_the_reason",
        ),
        pytest.param(
            "Chargebacks take weeks. Hold the analysts' queue to sixty cases a day.",
            "label-delay",
            "named",
            id="a_next_sentence_about_something_else_does_not",
        ),
        pytest.param(
            "Rollout: shadow for six weeks, ramp by channel, cap the review queue, and track label "
            "delay by week.",
            "label-delay",
            "reasoned",
            id="a_sentence_of_three_orders_is_a_plan_not_a_run_of_terms",
        ),
        pytest.param(
            "We do label delay handling, drift checks, shadow mode, canary rollout, retraining, "
            "and dashboards, so insight gets into the model.",
            "label-delay",
            "named",
            id="a_long_run_of_terms_is_not_saved_by_a_mere_so",
        ),
        pytest.param(
            "Interviewer: Chargebacks take weeks to arrive, so what do you train on?\n"
            "Candidate: Whatever we have.\n",
            "label-delay",
            "absent",
            id="what_the_interviewer_says_in_a_transcript_earns_the_learner_nothing",
        ),
        pytest.param(
            "Q: how long do chargebacks take?\nLabel delay: chargebacks take weeks, so I'd wait.",
            "label-delay",
            "reasoned",
            id="a_learners_own_one_line_question_note_skips_that_line_only",
        ),
        # shrugs, concessions and hand-offs
        pytest.param(
            "Label delay? Doesn't matter at our scale.",
            "label-delay",
            "dismissed",
            id="a_question_answered_with_a_shrug_is_dismissed",
        ),
        pytest.param(
            "Label delay? Chargebacks take 60 days, so we train on orders older than that.",
            "label-delay",
            "reasoned",
            id="a_question_answered_with_a_reason_is_not",
        ),
        pytest.param(
            "I know label delay is 60 days, but that is a number someone picked years ago.",
            "label-delay",
            NOT_REASONED,
            id="a_point_conceded_only_to_be_set_aside_is_not_reasoned",
        ),
        pytest.param(
            "Label delay sounds scary, but I'd just retrain when someone complains.",
            "label-delay",
            NOT_REASONED,
            id="a_point_granted_only_to_be_waved_off_is_not_reasoned",
        ),
        pytest.param(
            "Label delay is 60 days, but chargebacks settle by day 90, so we train on older orders.",
            "label-delay",
            "reasoned",
            id="a_but_that_adds_a_constraint_with_no_concession_is_reasoning",
        ),
        pytest.param(
            "Label delay would matter, but it's two quarters out, so it's not our problem.",
            "label-delay",
            NOT_REASONED,
            id="a_reason_inside_a_shrug_serves_the_shrug",
        ),
        pytest.param(
            "Label delay and GDPR are what legal and security are for.",
            "label-delay",
            "dismissed",
            id="a_point_handed_to_what_another_team_is_for_is_dismissed",
        ),
        pytest.param(
            "PCI DSS is out of scope for the first week. Later, raw card numbers stay out of the "
            "feature store, so PCI DSS scope never reaches the model.",
            "pci-scope",
            "reasoned",
            id="a_reasoned_mention_elsewhere_beats_a_dismissal",
        ),
    ],
)
def test_the_level_a_point_earns(scenario, text, item_id, expected):
    allowed = expected if isinstance(expected, frozenset) else {expected}
    assert level(scenario, text, item_id) in allowed


# -- meaning ------------------------------------------------------------------------------------------
def test_a_paraphrase_is_matched_by_meaning_and_then_judged_by_the_same_rules(scenario):
    # no matcher phrase of label-delay occurs here; the concept and examples carry it
    text = (
        "Chargebacks come up to eight weeks after the payment, so I'd only train on older payments."
    )
    review = review_text(scenario, text)
    item = next(i for i in review.items if i.id == "label-delay")
    assert item.level == "reasoned" and item.via in ("meaning", "phrase")
    bare = "Chargebacks come weeks after the payment and older payments."
    assert level(scenario, "- " + bare.rstrip("."), "label-delay") in ("named", "absent")


def test_similarity_alone_never_credits_a_dismissal(scenario):
    text = "Chargebacks arriving weeks after the payment is honestly not something we need to worry about."
    assert not review_text(scenario, text).raised_ids


# -- signals ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "options",
    [
        "(1) velocity rules, cheap and explainable; (2) a GBDT, better recall but more upkeep; "
        "(3) a GPU sequence model, best recall but needs a platform.",
        "Choices:\n\n- Rules: cheap but brittle.\n\n- GBDT: better, but more upkeep.\n\n- Vendor: fast, but pricey.",
        "A) rules, cheaper but brittle. B) a gradient-boosted model, better recall. C) a vendor.",
    ],
)
def test_options_are_recognised_in_common_formats(scenario, options):
    review = review_text(scenario, options)
    assert next(s for s in review.signals if s.id == "options_tradeoffs").present


_RULES_FIRST = "I recommend the rules and manual review first because the team is three people. "
_GBDT_FIRST = "I'd build the GBDT because the team is three people. "
_FEATURE_LIST = (
    "I'd use gradient boosted trees, with the manual review rules as a fallback. Features: "
    "amount, currency, digital vs physical delivery, shipping speed. Compare new vs old recall "
    "on the holdout."
)
_MECHANICS = (
    "Peak is 3,000 QPS and the p99 budget is 100 ms, so features come from Redis. "
    "We retrain every 7 days on 90 days of rows."
)
_ONE_OPTION = "I'd use gradient boosted trees, which are faster to train on CPU."
_FLIP_HEADING = "## What would change my call\n"
_WHAT_WOULD_CHANGE = (
    "I recommend the gradient boosted trees with a review band.\n\n"
    + _FLIP_HEADING
    + "If the dispute ratio doubled, I'd front a vendor while we build."
)


@pytest.mark.parametrize(
    "text, signal_id, present",
    [
        # risks and what is done about them
        pytest.param(
            "What goes wrong:\n\n- Chargebacks land late, so we hold out recent weeks and alert on "
            "drift.\n\n- Fraudsters probe the threshold; we retrain weekly and page the on-call.",
            "risks_mitigations",
            True,
            id="risks_under_a_what_goes_wrong_heading_count_as_risks",
        ),
        pytest.param(
            "Chargebacks are delayed by weeks, so I'd train with a label cutoff. A blind spot: "
            "declined orders never show their outcome, so I'd approve a small random slice.",
            "risks_mitigations",
            True,
            id="risks_said_as_what_they_do_with_what_i_would_do_count_as_risks",
        ),
        pytest.param(
            "Chargebacks are delayed by weeks. Declined orders are a blind spot.",
            "risks_mitigations",
            False,
            id="the_same_risks_with_nothing_done_about_them_are_no_habit",
        ),
        # flips: a condition tied to an option
        pytest.param(
            _RULES_FIRST + "If the team had GPU serving I'd move to the sequence model.",
            "recommendation_flip",
            True,
            id="a_flip_is_a_conditional_tied_to_an_option",
        ),
        pytest.param(
            _RULES_FIRST + "If the analysts can't staff a queue, I'd ship the rules alone instead.",
            "recommendation_flip",
            True,
            id="a_flip_can_fall_back_to_the_simpler_option",
        ),
        pytest.param(
            "The rules are the safe choice, because the team is three people. A GPU sequence model "
            "would catch more but needs a platform; if the platform team ships GPU serving, I'd add it.",
            "recommendation_flip",
            True,
            id="a_flip_can_point_back_at_the_option_the_sentence_before_weighed",
        ),
        pytest.param(
            _RULES_FIRST + "Once a week we look at the numbers.",
            "recommendation_flip",
            False,
            id="once_alone_is_not_a_flip",
        ),
        pytest.param(
            _GBDT_FIRST
            + "If validation of new methods slips past nine months, ship the rules instead.",
            "recommendation_flip",
            True,
            id="a_condition_then_an_order_is_a_flip",
        ),
        pytest.param(
            _GBDT_FIRST + "If the model service times out, fall back to the rules.",
            "recommendation_flip",
            False,
            id="a_runtime_fallback_is_not_a_flip",
        ),
        pytest.param(
            _WHAT_WOULD_CHANGE,
            "recommendation_flip",
            True,
            id="conditions_under_a_what_would_change_heading_are_flips",
        ),
        pytest.param(
            _WHAT_WOULD_CHANGE.replace(_FLIP_HEADING, ""),
            "recommendation_flip",
            False,
            id="the_same_conditions_without_the_heading_are_not",
        ),
        # options weighed against each other
        pytest.param(
            _FEATURE_LIST,
            "options_tradeoffs",
            False,
            id="a_vs_inside_a_feature_list_compares_no_options",
        ),
        pytest.param(
            _FEATURE_LIST
            + " The rules are cheaper but catch half of what the boosted trees catch.",
            "options_tradeoffs",
            True,
            id="the_same_answer_weighing_two_options_compares_them",
        ),
        pytest.param(
            _ONE_OPTION,
            "options_tradeoffs",
            False,
            id="one_remark_about_one_option_weighs_no_options",
        ),
        pytest.param(
            _ONE_OPTION
            + " The vendor would be live sooner but costs $300k a month, more than the budget.",
            "options_tradeoffs",
            True,
            id="a_second_option_priced_against_the_budget_weighs_options",
        ),
        pytest.param(
            "## Options\n"
            "**Tune the rules.** Cheap and explainable; catches about half.\n"
            "- **Vendor.** Live in six weeks, but about $300k a month against the budget.\n"
            "- **Trees on CPU.** Twelve weeks on infrastructure the team knows.",
            "options_tradeoffs",
            True,
            id="bold_option_lead_ins_stay_inside_their_options_section",
        ),
        pytest.param(
            "Options. A refit of the rules takes eight weeks and recovers part of the loss. "
            "A vendor integrates in three months at $120k a month.",
            "options_tradeoffs",
            True,
            id="a_one_word_options_line_opens_the_section",
        ),
        # constraints and numbers
        pytest.param(
            "Eight underwriters cap the refer band at a few hundred files a day. "
            "The bank validated a GBDT last year, so validation takes about twelve weeks.",
            "constraints",
            True,
            id="underwriter_capacity_and_validation_are_constraints",
        ),
        pytest.param(
            _MECHANICS,
            "numbers",
            False,
            id="the_numbers_habit_needs_money_among_the_numbers",
        ),
        pytest.param(
            _MECHANICS + " Serving costs about $4k a month.",
            "numbers",
            True,
            id="the_same_numbers_with_a_monthly_cost_are_the_habit",
        ),
    ],
)
def test_the_signals_an_answer_shows(scenario, text, signal_id, present):
    assert _signal(scenario, text, signal_id).present is present


def test_two_alternatives_weighed_in_one_reasoned_sentence_are_options_compared(scenario):
    def compared(text):
        return next(s for s in review_text(scenario, text).signals if s.id == "options_tradeoffs")

    text = "I'd pick boosted trees rather than a deep net, because the team has no GPU serving."
    assert compared(text).present and compared(text).evidence == text
    # the same words with no reason, or as a bare heading, compare nothing
    assert not compared("Boosted trees rather than a deep net.").present
    assert not compared("Trees versus deep nets: out of scope.").present
    text = "A deep sequence model would catch more, but it needs GPU serving, so not this year."
    assert compared(text).present
    # a metric picked over another is no design option
    assert not compared(
        "Evaluate with PR-AUC rather than ROC-AUC, to avoid misleading numbers."
    ).present


@pytest.mark.parametrize(
    "text",
    [
        "Map each PD to a risk grade; higher utilisation means higher risk, so I'd check it by grade.",
        "Prune the features down to fifty; I'd check it with a holdout.",
        "A fine-tuned encoder ranks the rest; we'd test it weekly.",
    ],
)
def test_words_that_score_risk_name_no_risk(scenario, text):
    # a credit model's "higher risk", "prune down", "fine-tuned": nothing here can go wrong
    assert not _signal(scenario, text + " " + text, "risks_mitigations").present


def test_twenty_four_thousand_is_a_number_and_twenty_four_seven_is_not():
    assert "number" in statement("Spend the $15k a month on about 24k judgments.").cues
    assert "number" not in statement("Someone is on call 24/7.").cues


def test_an_answer_that_mostly_waves_its_concerns_away_reasons_about_nothing(scenario):
    shrugs = (
        "Label delay: chargebacks take weeks, so I'd train on the first month only. "
        "Fraudsters adapting is overkill for v1. "
        "The review queue is the ops team's problem. "
        "PCI is what legal is for. "
        "Drift detection can wait. "
        "Fairness is not a modelling concern."
    )
    review = review_text(scenario, shrugs)
    assert review.raised_ids == [] and review.score <= 5
    item = next(i for i in review.items if i.id == "label-delay")
    assert item.level == "named" and "waves concerns away" in item.nudge
    # the same reasoned sentence among statements that weigh their concerns keeps its credit
    weighed = (
        "Label delay: chargebacks take weeks, so I'd train on the first month only. "
        "The review queue holds 1,400 cases a day, so the middle band is sized to it. "
        "PCI scope stays small because features use acquirer tokens. "
        "Drift shows up within days, so we alert on the score distribution."
    )
    assert level(scenario, weighed, "label-delay") == "reasoned"


@pytest.mark.parametrize(
    "text",
    [
        "Ideally we'd fix label delay, but we have months of chargebacks already, so we train.",
        "Label delay is a real bias in theory, but we retrain monthly, so it catches up.",
        "Sure, label delay exists, but the first month holds 60% of chargebacks, so we train.",
    ],
)
def test_a_point_granted_in_passing_before_but_is_set_aside(scenario, text):
    assert level(scenario, text, "label-delay") != "reasoned"


@pytest.mark.parametrize(
    "text",
    [
        "Label delay is not a modelling concern.",
        "Compliance owns label delay, so we wait for them.",
        "They can handle the label delay, so we move on.",
        "Label delay takes care of itself once we retrain, so no change.",
        "Label delay: the business can pick a window later, so we move on.",
        "TC40 data gives issuer-grade truth, so label delay is fully covered.",
        "Label delay is the north star, so we are proactive about chargebacks.",
    ],
)
def test_hand_offs_and_problems_that_solve_themselves_earn_nothing(scenario, text):
    assert level(scenario, text, "label-delay") in ("dismissed", "named", "absent")
    assert level(scenario, text, "label-delay") != "reasoned"


def test_a_bold_heading_answered_with_a_shrug_is_dismissed(scenario):
    text = (
        "- **Label delay.** Not worth it for v1.\n- **Drift.** We retrain weekly, so we catch it."
    )
    sentences = [s.text for s in split_sentences(text)]
    assert sentences[:2] == ["- **Label delay.**", "Not worth it for v1."]
    assert level(scenario, text, "label-delay") == "dismissed"


def test_a_heading_in_capitals_decides_nothing():
    assert statement("STEP 7: RETRIEVAL").fragment
    assert statement("STEP 10: SERVING").fragment


def test_a_regulation_number_is_an_identifier_not_a_quantity():
    assert "number" not in statement("Full SR 26-2 and OCC 2026-13 alignment is documented.").cues
    assert "number" in statement("Validation takes 12 weeks.").cues


def test_a_priced_breakdown_without_a_verb_still_reasons():
    from staffplus_widgets.feedback.levels import _priced_breakdown, _reasons_about_nothing

    (note,) = split_sentences(
        "Cost: team ~$90k, underwriters ~$65k, counsel ~$20k, compute negligible, about $230k."
    )
    assert not analyse(note).waved and _priced_breakdown(note)
    assert not _reasons_about_nothing(analyse(note), note, {})
    (terms,) = split_sentences("Cost: team, underwriters, counsel, compute.")
    assert _reasons_about_nothing(analyse(terms), terms, {})


def test_bold_headings_open_options_and_risks_sections(scenario):
    text = (
        "**The options, priced.**\n\n"
        "Rules and manual review cost nothing new but catch half.\n\n"
        "Gradient boosted trees with review band cost $3k a month, inside the $25k budget.\n\n"
        "**Sellers and adversaries.**\n\n"
        "Fraudsters probe the threshold, so we cap retries and track decline spikes.\n\n"
        "New merchants have no history. Reserve a review slice and track their chargebacks."
    )
    present = {s.id for s in review_text(scenario, text).signals if s.present}
    assert {"options_tradeoffs", "risks_mitigations"} <= present


def test_signals_are_earned_only_alongside_reasoned_points(scenario):
    habits = (
        "Option one is rules, option two a model, option three a vendor; the trade-off is cost "
        "versus recall. I recommend option two unless the budget is cut, then I'd switch to rules. "
        "Peak is 300 QPS at 40 ms and 3 analysts."
    )
    review = review_text(scenario, habits)
    assert review.raised_ids == [] or len(review.raised_ids) < 3
    assert review.breakdown["signals"] < 25 * sum(s.present for s in review.signals) / 5 or not any(
        s.present for s in review.signals
    )


def test_empty_and_levels_vocabulary(scenario):
    review = review_text(scenario, "")
    assert review.score == 0 and {i.level for i in review.items} == {"absent"}
    assert LEVELS == ("absent", "named", "reasoned", "dismissed")


# -- JSON, work files and matchers -------------------------------------------------------------------
def test_json_items_carry_level_and_raised_only_for_reasoned(scenario):
    text = (
        "Label delay. Fraudsters adapt within days, so we retrain weekly. PCI DSS is out of scope."
    )
    d = review_text(scenario, text).to_dict()
    by_id = {i["id"]: i for i in d["items"]}
    assert {i["level"] for i in d["items"]} <= set(LEVELS)
    assert all(i["raised"] == (i["level"] == "reasoned") for i in d["items"])
    assert by_id["label-delay"]["level"] == "named" and by_id["label-delay"]["nudge"]
    assert by_id["adversaries"]["level"] == "reasoned" and by_id["adversaries"]["cue"]
    assert by_id["pci-scope"]["level"] == "dismissed" and by_id["pci-scope"]["dismissed"]
    assert all(m["level"] != "reasoned" for m in d["missed_followups"])
    assert set(d["categories"]["legal"]) == {"raised", "named", "dismissed", "total"}


def test_a_risk_with_no_mitigation_and_no_detection_only_names_its_concern(scenario, tmp_path):
    s = WorkSession(scenario, tmp_path / "w.json", autosave_delay=0)
    s.register.add(_risk("Fraudsters adapt to our threshold", "", ""))
    items = {i["id"]: i for i in review_work(scenario, s.to_work())["risks"]["items"]}
    assert items["adversaries"]["level"] == "named" and not items["adversaries"]["covered"]
    s2 = WorkSession(scenario, tmp_path / "w2.json", autosave_delay=0)
    s2.register.add(
        _risk("Fraudsters adapt to our threshold", "Retrain weekly on fresh labels", "")
    )
    items = {i["id"]: i for i in review_work(scenario, s2.to_work())["risks"]["items"]}
    assert items["adversaries"]["level"] == "reasoned" and items["adversaries"]["covered"]


def _risk(title, mitigation, detection):
    return {
        "title": title,
        "category": "security",
        "likelihood": 3,
        "impact": 3,
        "mitigation": mitigation,
        "owner": "",
        "detection": detection,
    }


@pytest.mark.parametrize(
    "phrase, generic",
    [
        ("per month", True),
        ("monthly cost", True),
        ("CPU only", True),
        ("c6i", True),
        ("gpu hours", True),
        ("latency", True),
        ("latency budget", False),
        ("isotonic", False),
        ("<money> ... review", False),
        ("review capacity", False),
    ],
)
def test_generic_matchers_are_refused(phrase, generic):
    assert generic_matcher(phrase) is generic


# -- what separates a Staff+ answer from a senior one ----------------------------------------------


def test_judgment_items_count_double_and_a_name_earns_a_quarter_of_a_mechanics_share(fraud):
    from staffplus_widgets.feedback.review import JUDGMENT_CATEGORIES, item_weight

    assert item_weight("legal") == item_weight("cost") == 2 * item_weight("data")
    assert "operations" not in JUDGMENT_CATEGORIES and "business" in JUDGMENT_CATEGORIES
    by_id = {i["id"]: i for i in fraud.rubric}
    mechanics = by_id["label-delay"]["examples"]["reasoned"][0]
    judgment = by_id["build-vs-buy"]["examples"]["reasoned"][0]
    total = sum(item_weight(i["category"]) for i in fraud.rubric)
    for text, item_id in ((mechanics, "label-delay"), (judgment, "build-vs-buy")):
        review = review_text(fraud, text)
        item = next(i for i in review.items if i.id == item_id)
        assert item.level == "reasoned"
    one_mechanics = review_text(fraud, mechanics).breakdown["coverage"]
    one_judgment = review_text(fraud, judgment).breakdown["coverage"]
    # each text may touch a second item; the reasoned one alone sets the lower bound
    assert one_mechanics >= round(60 / total, 1) - 0.05
    assert one_judgment >= round(60 * 2 / total, 1) - 0.05
    named = review_text(fraud, "We should think about PSD2.")
    assert named.breakdown["coverage"] <= 60 * NAMED_CREDIT / total + 0.05


def test_a_short_unpunctuated_line_is_a_heading_not_part_of_the_next_sentence():
    from staffplus_widgets.feedback.textmatch import split_sentences

    text = (
        "Objective and labels\nThe target is conversion per search.\nWe run in the US and the\nEU."
    )
    got = [s.text for s in split_sentences(text)]
    assert got[:2] == ["Objective and labels", "The target is conversion per search."]
    # a wrapped line of prose is longer than a heading and stays whole
    assert got[2] == "We run in the US and the\nEU."
    for s in split_sentences(text):
        assert text[s.start : s.start + len(s.text)] == s.text


@pytest.mark.parametrize(
    "text",
    [
        "We have to balance losses and compliance, so we should use the right mix of in-house and vendor capabilities.",
        "Position bias is real, but that's fine.",
        "GDPR doesn't really touch ranking, because we store nothing new.",
        "If latency gets tight, we'll ask for a bigger budget, and 40 ms is pretty arbitrary anyway.",
        "SHAP satisfies the adverse-action requirements automatically.",
    ],
)
def test_buzz_claims_and_shrugs_credit_nothing(fraud, text):
    review = review_text(fraud, text)
    assert not [i.id for i in review.items if i.level == "reasoned"]


def test_a_three_d_secure_step_up_band_alone_is_not_payment_compliance(fraud):
    review = review_text(
        fraud, "The middle band gets a 3-D Secure step-up, so the customer proves it is them."
    )
    item = next(i for i in review.items if i.id == "compliance-pci-psd2")
    assert item.level == "absent"
    review = review_text(
        fraud,
        "For EEA cards the step-up satisfies PSD2 strong customer authentication, so we keep it.",
    )
    item = next(i for i in review.items if i.id == "compliance-pci-psd2")
    assert item.level == "reasoned"


# -- the rubric's own phrases are not an answer ------------------------------------------------------
@pytest.mark.parametrize("text", ["Block no label.", "Times the volume.", "Kill switch."])
def test_three_words_are_a_fragment_whatever_the_first_word_could_be(text):
    assert statement(text).fragment


@pytest.mark.parametrize("layout", ["lines", "lines-with-gaps", "one-run"])
def test_a_pasted_run_of_matchers_reasons_about_nothing(pack, layout):
    for scenario in pack.scenarios.values():
        phrases = [m for item in scenario.rubric for m in item["matchers"]]
        if layout == "lines":
            text = "\n".join(m.replace(" ... ", " ").capitalize() + "." for m in phrases)
        elif layout == "lines-with-gaps":
            text = "\n".join(m.capitalize() + "." for m in phrases)
        else:
            text = " ".join(phrases) + "."
        review = review_text(scenario, text)
        assert [i.id for i in review.items if i.level == "reasoned"] == [], scenario.id
        assert review.score <= 15, scenario.id
        named = [i for i in review.items if i.level == "named"]
        assert named and all("rubric's own phrases" in i.nudge for i in named), scenario.id


def test_an_answer_in_its_own_words_is_not_taken_for_a_copy(pack):
    from staffplus_widgets.feedback.levels import COPY_SHARE, copied_share

    for scenario in pack.scenarios.values():
        staff = split_sentences(scenario.data["exemplars"]["staff"])
        assert copied_share(scenario.rubric, staff) < COPY_SHARE * 0.75, scenario.id


@pytest.mark.parametrize(
    "text",
    [
        "Label delay is an edge case we can ignore.",
        "Label delay is something we can safely ignore.",
    ],
)
def test_we_can_ignore_dismisses(scenario, text):
    assert level(scenario, text, "label-delay") == "dismissed"


@pytest.mark.parametrize(
    "text, waves",
    [
        ("Fresh waste is about $40M a month, so I'd price the overage per category.", False),
        (
            "An unsold punnet we throw away costs us $2.50, so berries order below the median.",
            False,
        ),
        ("Monotonic constraints just throw away lift.", True),
        ("Testing reason stability wastes time for a first release.", True),
        (
            "Tag those weeks for later training, so the model learns the lift from clean data.",
            False,
        ),
        ("Fairness testing is for later.", True),
    ],
)
def test_words_of_the_domain_are_not_shrugs(text, waves):
    # waste is what a grocery model prices and "later training" a step; "just throw away" shrugs
    assert bool(statement(text).waved) is waves


@pytest.mark.parametrize(
    "text, waves",
    [
        ("The maintenance burden is not a reason to pick a worse design.", True),
        ("Serving is on boxes we already own, so the monthly cost is basically free.", True),
        ("The monthly cost is free of any vendor licence, at $3,100 for the two nodes.", False),
        ("Rules baseline -> exact, ~free, cheap to run, so we start there.", False),
    ],
)
def test_not_a_reason_and_basically_free_wave_their_subject_away(scenario, text, waves):
    # "free of", "free for 30 days" and "~free" in a list are facts, not shrugs
    assert bool(statement(text).waved) is waves


def test_a_shrug_dismisses_the_point_it_is_loosely_about(scenario):
    # no matcher of team-burden, only its meaning ("maintenance burden is real"): a shrug about it
    # is a dismissal, so a later bare name of it cannot earn named credit
    text = "Burden on the team is no reason to choose the simpler design. Team of three."
    assert level(scenario, text, "team-burden") == "dismissed"


def test_matcher_spans_are_shared_not_recomputed(scenario):
    from staffplus_widgets.feedback.levels import assess, copied_share, matcher_spans

    sentences = split_sentences("Label delay is eight weeks, so we hold out recent payments.")
    spans = matcher_spans(scenario.rubric, sentences)
    assert assess(scenario.rubric, sentences, spans) == assess(scenario.rubric, sentences)
    assert copied_share(scenario.rubric, sentences, spans) == copied_share(
        scenario.rubric, sentences
    )


@pytest.mark.parametrize(
    "text, waves",
    [
        ("Labels are labels: chargebacks are the truth, so no audit of label delay.", True),
        ("Label delay: the team will learn to cope with it if they need it.", True),
        ("Version 2 is 2 weeks out, so label delay stays in the plan.", False),
    ],
)
def test_tautologies_and_deferrals_to_whenever_they_need_it_are_shrugs(text, waves):
    assert bool(statement(text).waved) is waves


def _builtin(scenario_id):
    from staffplus_widgets.data.scenario import get_pack

    return get_pack().get(scenario_id)


def test_a_flat_opposite_stance_outweighs_reasoning_about_the_point_elsewhere():
    search = _builtin("search-ranking")
    reasoned = (
        "The $15k of judgments buys a stable offline NDCG@10 that does not depend on click bias, "
        "so offline and online results can be compared."
    )
    assert level(search, reasoned, "offline-online-gate") == "reasoned"
    assert level(search, reasoned + " So I'd treat the judged NDCG as the main gate.",
                 "offline-online-gate") == "dismissed"  # fmt: skip


@pytest.mark.parametrize(
    "stance",
    [
        # weighed, not taken: the reasoning elsewhere still counts
        "Some teams treat the judged NDCG as the main gate, but it never sees conversion.",
        # too short to be sure it is a stance: an option named in a list
        "Options: BM25, LambdaMART, optimize CTR, a cross-encoder.",
    ],
)
def test_a_weighed_or_short_opposite_stance_does_not_outweigh_reasoning(stance):
    search = _builtin("search-ranking")
    reasoned = (
        "The $15k of judgments buys a stable offline NDCG@10 that does not depend on click bias, "
        "so offline and online results can be compared."
    )
    assert level(search, reasoned + " " + stance, "offline-online-gate") == "reasoned"


@pytest.mark.parametrize(
    "text, run",
    [
        ("Label delay, drift, fairness, PCI DSS and latency will be tracked on dashboards.", True),
        ("We must address label delay, drift, PCI DSS, fairness, latency, cost and GDPR.", True),
        ("Label delay, drift and latency all fit in one weekly job, so we stay on CPU.", False),
    ],
)
def test_five_terms_before_the_verb_or_an_obligation_before_a_list_reason_about_nothing(
    scenario, text, run
):
    assert (level(scenario, text, "label-delay") == "named") is run


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "- PCI scope: cardholder data in the feature store. Mitigation: keep only acquirer "
            "tokens, so the ML stack stays out of scope.",
            "reasoned",
        ),
        (
            "- PCI scope: cardholder data in the feature store. Only tokens reach it, so the ML "
            "stack stays out of scope.",
            "reasoned",
        ),
        ("- PCI scope: cardholder data. Mitigation: encryption, tokens.", "named"),
        ("- PCI scope: cardholder data.\n- Latency: the budget is 100 ms, so trees.", "named"),
        # "X data isn't needed, so it stays out" decides what the system keeps, it shrugs at
        # nothing; a concern or a review "not needed" is still waved away
        (
            "The cardholder data isn't needed for scoring, so it stays out of the features and "
            "PCI DSS scope shrinks.",
            "reasoned",
        ),
        ("The cardholder data isn't needed, so we skip the PCI DSS review.", "dismissed"),
        ("PCI DSS isn't needed, so it stays out.", "dismissed"),
    ],
)
def test_risk_entries_answered_and_data_kept_out_reason_about_pci_scope(scenario, text, expected):
    # a risk register's entry is reasoned by the line that answers it (a Mitigation: line, or
    # the rest of the same entry), and data minimisation is a decision
    assert level(scenario, text, "pci-scope") == expected


@pytest.mark.parametrize(
    "text",
    [
        "I wouldn't lose sleep over the label delay.",
        "Label delay is table stakes, moving on.",
        "Fairness audits are a bit of a non-topic for a fraud model.",
        "The team will figure out the maintenance burden once it's live.",
        "Label delay is not a factor at this stage.",
        "Honestly, label delay is overrated.",
        "Label delay is a statistician's hobby.",
        "The label delay will look after itself.",
        "Label delay is above my pay grade.",
        "PCI DSS is what the security team is paid to fret about.",
        "Label delay, meh, chargebacks always arrive.",
    ],
)
def test_less_common_shrugs_dismiss(scenario, text):
    assert level(scenario, text, "label-delay") != "reasoned"
    assert statement(text).waved


def test_overhead_is_a_cost_line_unless_it_is_the_predicate():
    assert not statement("The index is 10 GB plus graph overhead, about $6k a month.").waved
    assert statement("Calibration is just overhead.").waved


@pytest.mark.parametrize(
    "text",
    [
        "Moving on to cost, the GPU line dominates at $40k a month.",
        "Compute barely registers next to the analysts, so the model may be bigger.",
        "Fraud never stopped growing after the 2023 launch, so we retrain weekly.",
        "The dashboards confirm the lift before each ramp step.",
    ],
)
def test_phrases_near_a_shrug_that_reason(text):
    # each shares words with a shrug the lexicon knows ("table stakes, moving on", "never
    # stopped a ranker", "let the dashboards confirm it") but waves nothing away
    assert not statement(text).waved


# -- a decision on a resource, with its reason, is not a shrug ---------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "We don't need GPUs because a GBDT on CPU meets the 100 ms budget.",
        "We are not going to spend GPU money, because a GBDT on CPU meets the 100 ms budget.",
        "We won't spend much on a vendor, since four engineers can build it in 8 weeks.",
    ],
)
def test_a_decision_against_a_resource_keeps_its_reason_clause_creditable(text):
    st = statement(text)
    assert st.waved == ()  # the reason after "because" / "since" can earn credit
    assert all(sc.kind == "need" for sc in st.scopes)  # what is decided against is still scoped
    assert st.scopes and st.scopes[0].start > 1  # the scope is the object, never the subject "we"


@pytest.mark.parametrize(
    "text",
    [
        "We won't spend time on fairness, because the model is accurate.",
        "I wouldn't spend much effort on label delay, because it is rare.",
        "Shadow runs are overhead we don't need.",
        "Fairness audits are overhead we don't need here.",
    ],
)
def test_time_not_spent_and_overhead_not_needed_stay_shrugs(text):
    assert statement(text).waved
