"""The level of every rubric item in a text: absent, named, reasoned or dismissed.

The rule (DESIGN.md, "Feedback levels"): naming a concern is recall; tying it to a consequence, a
constraint, a number or a decision is judgment.

- An item is *mentioned* in a sentence when one of its matcher phrases occurs there, or when the
  sentence means the same as one of its anchors (``meaning``).
- A mention inside a dismissed stretch (``statements``), or a match of one of the item's
  ``contrary`` phrases (the opposite stance), makes that sentence *dismiss* the item. A sentence
  that dismisses an item cannot also credit it.
- Any other mention is *named*; it is *reasoned* when the sentence is a statement (not a list, a
  heading or a bare noun phrase) and that sentence, or the next one if it continues the thought,
  carries a reasoning cue. A sentence that mentions many items at once is a list in disguise and
  reasons about none of them.
- An item's level is the best over the text: reasoned > dismissed > named > absent. A firm
  opposite stance (``_firm_stance``) is the exception: said anywhere, it dismisses the item
  whatever else the text says about it.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from . import meaning
from .lexicon import AUX, MODALS
from .statements import Statement, analyse, priced_breakdown
from .textmatch import Sentence, compile_phrase, group_spans
from .wordclass import verbish

LEVELS = ("absent", "named", "reasoned", "dismissed")
_RANK = {"absent": 0, "named": 1, "dismissed": 2, "reasoned": 3}

# Meaning matches: a sentence is about an item when its similarity to the item's best anchor
# reaches MEANING_MIN and no other item is clearly closer, or when it reaches MEANING_SURE.
MEANING_MIN = 0.42
MEANING_SURE = 0.55
MEANING_MARGIN = 0.06
# Inside a stretch that waves something away, the one item it is clearly about is dismissed on
# this lower bar (see _waved_by_meaning).
WAVED_MEANING_MIN = 0.25
WAVED_MEANING_MARGIN = 0.1
# A one-word matcher reasons about its item only in a sentence this close to the item in meaning
# (or with a second matcher of it): otherwise the word is a side mention.
MEANING_CORROBORATES = 0.2
LONE_TERM_STEMS = 1
# A statement that mentions this many items at once reasons about none of them.
LIST_IN_DISGUISE = 5
_NEGATION_BEFORE = frozenset({"not", "never", "no", "nor", "without"})


@dataclass(frozen=True)
class Evidence:
    """What one sentence does with one item."""

    level: str
    sentence: int  # index in the text's sentences
    phrase: str | None  # the matcher or contrary phrase, or None for a match by meaning
    cue: str | None  # the reasoning cue that made it reasoned
    via: str  # "phrase", "meaning", "contrary"
    waved_at: int | None = None  # a sentence that dismissed the item too (the best is kept)


def _phrase_stems(phrase: str) -> frozenset[str]:
    return frozenset(t for part in compile_phrase(phrase).parts for t in part)


def _contrary_groups(rubric: list[dict]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(item.get("contrary", ())) for item in rubric)


def _if_before(raw: tuple[str, ...], start: int) -> bool:
    """Is ``start`` inside a conditional clause ("if we just X, ...", "unless we X")?"""
    for w in reversed(raw[max(0, start - 8) : start]):
        if w in ("if", "unless", "when", "whether", "suppose", "imagine"):
            return True
        if w in ("so", "because", "but", "then"):
            return False
    return False


def _hypothetical_after(raw: tuple[str, ...], end: int) -> bool:
    """ "a self-hosted 70B would run about $25k": the stance weighed, not taken."""
    return any(w in ("would", "could", "might") for w in raw[end : end + 3])


_AUX_OR_MODAL = AUX | MODALS
LEADING_TERMS = 5  # terms before the first verb that make a run of terms, whatever follows
TERM_RUN = 6  # separators (commas, slashes, "and", "or", "plus") that make a run of terms
_TERM_SEPARATOR = re.compile(r",\s|[A-Za-z]/[A-Za-z]")  # not "24,000", not "10/120"
# money, a share or a measured quantity: "allow below 8%, refuse above 78%, ..." and "2M posts
# a day and a 350 ms budget, so gather 2,000 candidates, ..." are rules, not runs of terms
_PRICED = re.compile(
    r"[$\u20ac\u00a3]\s?\d|\d\s?%|\d\s?(?:ms|s|k|m|bn|gb|tb|qps|x)\b|\d\s(?:a|per)\s(?:day|month|second)",
    re.I,
)


def _priced_breakdown(sentence: Sentence) -> bool:
    """A note that prices three or more lines reasons, verb or not (see ``priced_breakdown``)."""
    return priced_breakdown(sentence.text)


def _is_term_run(sentence: Sentence) -> bool:
    """Terms strung together behind one verb: many separators in one sentence, or five terms or
    more in front of its first verb ("Drift, PSI, stability, calibration, Gini and KS will be
    tracked")."""
    joins = sum(1 for w in sentence.raw if w in ("and", "or", "plus"))
    if len(_TERM_SEPARATOR.findall(sentence.text)) + joins >= TERM_RUN:
        return True
    raw = sentence.raw
    # an auxiliary or modal marks the verb surely ("... and KS will be tracked"); otherwise the
    # first word that acts as one ("label delay" reads as a verb, so it ends no run)
    first_verb = next((k for k, w in enumerate(raw) if w in _AUX_OR_MODAL), None)
    if first_verb is None:
        first_verb = next((k for k in range(len(raw)) if verbish(raw, k)), None)
    if first_verb is None or first_verb < LEADING_TERMS:
        return False
    head = raw[:first_verb]
    at = sentence.text.lower().find(" " + raw[first_verb] + " ")
    commas = len(_TERM_SEPARATOR.findall(sentence.text[: at if at > 0 else 0]))
    return commas + sum(1 for w in head if w in ("and", "or", "plus")) >= LEADING_TERMS - 1


def _questions_waved_away(
    found: list[dict], statements: list[Statement], sentences: list[Sentence]
) -> None:
    """ "Position bias? Doesn't matter at our scale.": an answer that waves something away and
    names no point of its own dismisses the points its question named (changes ``found``). A
    short heading ("**Label delay.**", "Blocked orders not getting labels.") is asked the same
    way."""
    for si in range(len(found) - 1):
        nxt = found[si + 1]
        text = sentences[si].text.rstrip()
        short = len(sentences[si].raw)
        heading = short <= 10 and (
            statements[si].fragment or text.endswith(("**", "__")) or short <= 4
        )
        if (
            found[si]
            and (text.endswith("?") or heading)
            and not any(kind == "mention" for kind, *_ in nxt.values())
            and _dismissive(nxt, statements[si + 1], sentences[si + 1])
        ):
            for g, entry in list(found[si].items()):
                found[si][g] = ("dismissed", entry[1], entry[2], entry[3])


_BARE_OBLIGATION = frozenset({"must", "mandatory", "mandated", "essential", "critical", "key"})


def _reasons_about_nothing(st: Statement, sentence: Sentence, here: dict) -> bool:
    """Does this sentence's reasoning credit none of the points it mentions? So for a fragment
    or a list; a statement about LIST_IN_DISGUISE points at once; one that takes a point's
    opposite stance ("offline NDCG is the metric I trust, so I'd ship once it beats BM25": its
    "so" serves that stance); one that shrugs; and a verb in front of a run of terms ("We monitor
    VAMP, ECM and TC40 data, and integrate RDR, Ethoca and CE 3.0 for ...") unless a constraint
    or a priced quantity is in it."""
    mentions = sum(1 for kind, *_ in here.values() if kind == "mention")
    # three orders in one sentence ("shadow-score for 6-8 weeks, study the swap set, ramp by
    # channel, and track ..."): a plan, not a run of terms
    steps = {k for kind, k in st.cue_at if kind == "decision"}
    # a run of terms is saved by a consequence, a limit or a priced quantity; a very long one
    # (five commas and more) not by a mere "so" ("continuous training, champion-challenger, shadow
    # mode, canary rollout and drift detection, with a feedback loop so the insight gets in")
    saving = {"constraint"} if sentence.text.count(",") >= 5 else {"consequence", "constraint"}
    # "We must address X, Y, Z, ...": an obligation in front of a list limits nothing
    cues = {kind for kind, k in st.cue_at if sentence.raw[k] not in _BARE_OBLIGATION}
    term_run = (
        _is_term_run(sentence)
        and not (saving & cues)
        and not _PRICED.search(sentence.text)
        and len(steps) < 3
    )
    shrugs = bool(st.waved) or any(sc.kind in ("concern", "predicate") for sc in st.scopes)
    return (
        (st.fragment and not _priced_breakdown(sentence))
        or mentions >= LIST_IN_DISGUISE
        or any(entry[2] == "contrary" for entry in here.values())
        or term_run
        or shrugs
    )


# An answer that waves away at least this share of its statements (and at least SHRUGS_MIN of
# them) takes a dismissive stance as a whole: the few points it reasons about sit among shrugs
# ("Latency isn't a concern. LightGBM scores in a millisecond, so 100 ms is generous."), and
# they earn what a name earns. Written answers that weigh their concerns stay far below it
# (benchmarks/corpus: at most 0.23 for half-right answers, 0.07 for the rest; dismissive ones
# from 0.29).
SHRUG_SHARE = 0.28
SHRUGS_MIN = 4


def dismissive_stance(sentences: list[Sentence]) -> bool:
    """Does the text wave away a large share of what it says (see SHRUG_SHARE)?"""
    said = shrugs = 0
    for sentence in sentences:
        st = analyse(sentence)
        shrug = bool(st.waved) or any(sc.kind in ("concern", "predicate") for sc in st.scopes)
        if st.fragment and not shrug:
            continue  # a heading or a list says nothing either way; "Overkill." is a shrug
        said += 1
        shrugs += shrug
    return shrugs >= SHRUGS_MIN and shrugs >= SHRUG_SHARE * said


def _negated(raw: tuple[str, ...], start: int) -> bool:
    return any(w in _NEGATION_BEFORE for w in raw[max(0, start - 4) : start])


def matcher_spans(rubric: list[dict], sentences: list[Sentence]) -> dict:
    """Where each item's matcher phrases occur: {(item index, sentence index): spans}. Computed
    once per review and shared by ``assess`` and ``copied_share``."""
    return group_spans(tuple(tuple(item["matchers"]) for item in rubric), sentences)


def assess(
    rubric: list[dict], sentences: list[Sentence], spans: dict | None = None
) -> list[Evidence | None]:
    """The best evidence for each rubric item (None: absent); ``spans`` from ``matcher_spans``."""
    statements = [analyse(s) for s in sentences]
    if spans is None:
        spans = matcher_spans(rubric, sentences)
    contrary = (
        group_spans(_contrary_groups(rubric), sentences)
        if any(item.get("contrary") for item in rubric)
        else {}
    )
    index = meaning.index_for(rubric)
    n_items = len(rubric)

    # per sentence: item -> ("mention" | "dismissed", phrase, via, span of the mention)
    found: list[dict[int, tuple[str, str | None, str, tuple[int, int]]]] = []
    sims: list[list[float]] = []
    for si, (s, st) in enumerate(zip(sentences, statements)):
        sims.append(index.similarities(meaning.sentence_words(s)))
        waved = st.waved
        here: dict[int, tuple[str, str | None, str, tuple[int, int]]] = {}
        for g in range(n_items):
            _phrase_mentions(here, g, s, st, spans.get((g, si), ()), contrary.get((g, si), ()))
        _meaning_mentions(index, s, st, waved, here, sims[si])
        if (
            st.echoes
            and si > 0
            and _dismissive(found[si - 1], statements[si - 1], sentences[si - 1])
        ):
            # "Reject inference is the same story": it shares the sentence before's dismissal
            for g, entry in list(here.items()):
                here[g] = ("dismissed", entry[1], entry[2], entry[3])
        found.append(here)

    _questions_waved_away(found, statements, sentences)

    best: list[Evidence | None] = [None] * n_items
    stance: dict[int, Evidence] = {}
    for si, here in enumerate(found):
        reasons_nothing = _reasons_about_nothing(statements[si], sentences[si], here)
        for g, (kind, phrase, via, span) in here.items():
            if kind == "dismissed":
                ev = Evidence("dismissed", si, phrase, None, via)
                if via == "contrary" and g not in stance and _firm_stance(phrase, sentences[si]):
                    stance[g] = ev
            else:
                ev = _mention_evidence(
                    statements, sentences, found, spans, sims, si, g, (phrase, via, span),
                    reasons_nothing,
                )  # fmt: skip
            _keep_best(best, g, ev)
    # the opposite stance, taken anywhere, is the answer's position on the point: reasoning
    # about it elsewhere ("the judged NDCG is stable ...; so I'd treat it as the main gate")
    # serves that stance and earns nothing
    for g, ev in stance.items():
        best[g] = ev
    return best


def _mention_evidence(
    statements: list[Statement],
    sentences: list[Sentence],
    found: list[dict],
    spans: dict,
    sims: list[list[float]],
    si: int,
    g: int,
    mention: tuple[str | None, str, tuple[int, int]],
    reasons_nothing: bool,
) -> Evidence:
    """Named or reasoned: what sentence ``si``'s mention of item ``g`` earns."""
    phrase, via, span = mention
    here = found[si]
    if (
        (statements[si].fragment or not statements[si].cues)
        and not any(e[2] == "contrary" for e in here.values())
        and (answer := _mitigation_after(statements, sentences, si))
    ):
        return Evidence("reasoned", si, phrase, answer, via)
    if reasons_nothing:
        return Evidence("named", si, phrase, None, via)
    own = _phrase_stems(phrase) if phrase else frozenset()
    cue = _cue(statements, sentences, found, si, g, span, own)
    if (
        cue
        and via == "phrase"
        and len(own) <= LONE_TERM_STEMS
        and not _corroborated(spans, si, g, sims[si][g])
    ):
        # a lone term ("drift", "NCMEC", "SHAP") in a sentence about something else: it names
        # the point, the sentence's reasoning belongs to that other thing
        cue = None
    return Evidence("reasoned" if cue else "named", si, phrase, cue, via)


def _keep_best(best: list[Evidence | None], g: int, ev: Evidence) -> None:
    """Keep the better of ``best[g]`` and ``ev`` (reasoned > dismissed > named), remembering a
    sentence that waved the point away as well."""
    old = best[g]
    if old is None or _RANK[ev.level] > _RANK[old.level]:
        waved = old.waved_at if old else None
        if old is not None and old.level == "dismissed":
            waved = old.sentence
        best[g] = dataclasses.replace(ev, waved_at=waved) if waved is not None else ev
    elif ev.level == "dismissed" and old.waved_at is None and old.level != "dismissed":
        best[g] = dataclasses.replace(old, waved_at=ev.sentence)


def _phrase_mentions(
    here: dict, g: int, s: Sentence, st: Statement, matches: tuple, contraries: tuple
) -> None:
    """Record what sentence ``s`` does with item ``g`` through its matcher and contrary phrases."""
    for phrase, a, b in matches:
        if st.dismisses(a, b) is not None:
            here[g] = ("dismissed", phrase, "phrase", (a, b))
            break
        if any(lo <= a < hi for lo, hi in st.waved):
            continue  # said in a clause that waves something away: it credits nothing
        here.setdefault(g, ("mention", phrase, "phrase", (a, b)))
    for phrase, a, b in contraries:
        # "if we just maximise watch time, clickbait wins" reasons about the stance
        if (
            st.dismisses(a, a + 1) is None
            and not _negated(s.raw, a)
            and not _if_before(s.raw, a)
            and not _hypothetical_after(s.raw, b)
        ):
            here[g] = ("dismissed", phrase, "contrary", (a, b))
            break


_FILLER_WORDS = frozenset(
    {
        "i", "we", "d", "ll", "will", "would", "should", "could", "can", "also", "then", "just",
        "use", "have", "add", "do", "be", "a", "an", "the", "our", "some", "too", "as", "well",
        "it", "and", "of", "for", "to", "probably", "definitely", "need", "want", "on", "in",
    }
)  # fmt: skip


def _restates(sentence: Sentence, span: tuple[int, int]) -> bool:
    """Does the sentence say nothing besides the matched words and a bare verb?"""
    if span == (0, 0):
        return False  # a match by meaning: the whole sentence is the mention
    rest = [w for k, w in enumerate(sentence.raw) if not span[0] <= k < span[1]]
    return sum(1 for w in rest if w not in _FILLER_WORDS) < 2


def _corroborated(spans: dict, si: int, g: int, sim: float) -> bool:
    """Is a one-word match backed by a second matcher of the item, or by the sentence's meaning?"""
    phrases = {phrase for phrase, _, _ in spans.get((g, si), ())}
    return len(phrases) > 1 or sim >= MEANING_CORROBORATES


def _dismissive(here: dict, st: Statement, s: Sentence) -> bool:
    return any(kind == "dismissed" for kind, *_ in here.values()) or bool(st.waved)


def _meaning_mentions(
    index: meaning.ConceptIndex,
    s: Sentence,
    st: Statement,
    waved: tuple[tuple[int, int], ...],
    here: dict[int, tuple[str, str | None, str, tuple[int, int]]],
    sims: list[float],
) -> None:
    """Add the items ``s`` is about by meaning (never overriding a phrase's verdict).

    In a sentence that waves something away, the waved words and the rest are judged apart: an
    item the waved words are about is dismissed; one only the rest is about is a mention.
    """
    if not sims:
        return
    if waved or any(x.kind != "need" for x in st.scopes):
        _waved_by_meaning(index, s, st, here)
    if max(sims) < MEANING_MIN:
        return
    top = max(sims)
    runner_up = sorted(sims)[-2] if len(sims) > 1 else 0.0
    inside_sims = outside_sims = None
    regions = [(sc.start, sc.end) for sc in st.scopes] + list(waved)
    if regions:
        inside: set[str] = set()
        for lo, hi in regions:
            inside |= meaning.sentence_words(s, lo, hi)
        outside = meaning.sentence_words(s) - inside
        inside_sims = index.similarities(frozenset(inside))
        outside_sims = index.similarities(frozenset(outside))
    for g, sim in enumerate(sims):
        if g in here or sim < MEANING_MIN:
            continue
        if not (sim >= MEANING_SURE or (sim == top and top - runner_up >= MEANING_MARGIN)):
            continue
        if inside_sims is not None and outside_sims is not None:
            if inside_sims[g] >= MEANING_MIN * 0.8 and (
                waved or any(x.kind != "need" for x in st.scopes)
            ):
                here[g] = ("dismissed", None, "meaning", (0, 0))
                continue
            if outside_sims[g] < MEANING_MIN:
                continue  # what it is about sits in the waved-away words
        here[g] = ("mention", None, "meaning", (0, 0))


def _waved_by_meaning(index: meaning.ConceptIndex, s: Sentence, st: Statement, here: dict) -> None:
    """A shrug that names its topic loosely ("on-call burden is not a reason", "compute is
    basically free") dismisses the one item its waved words are clearly about, on a lower bar
    than a mention needs: a dismissal must never be read as silence that a later name can beat."""
    inside: set[str] = set()
    for lo, hi in [(sc.start, sc.end) for sc in st.scopes if sc.kind != "need"] + list(st.waved):
        inside |= meaning.sentence_words(s, lo, hi)
    sims = index.similarities(frozenset(inside))
    if not sims:
        return
    order = sorted(range(len(sims)), key=lambda g: -sims[g])
    top = order[0]
    runner_up = sims[order[1]] if len(order) > 1 else 0.0
    if (
        top not in here
        and sims[top] >= WAVED_MEANING_MIN
        and sims[top] - runner_up >= WAVED_MEANING_MARGIN
    ):
        here[top] = ("dismissed", None, "meaning", (0, 0))


_STOP_STEMS = frozenset(
    {"the", "and", "for", "with", "that", "this", "from", "our", "are", "was", "have", "will"}
)


# "- Privacy: GLBA permissible purpose for line reviews. Mitigation: purpose logged per pull.":
# a risk register's entry is a heading, and the line answering it is its reasoning
_ANSWER_OPENERS = frozenset(
    {"mitigation", "mitigations", "mitigate", "mitigated", "response", "countermeasure", "fix"}
)


# "- Privacy: GDPR deletion covers query logs. Training sets must be rebuilt without erased
# users.": the labelled entry's next sentence, itself no new entry, goes on with it
_LABELLED = re.compile(r"^\s*(?:[-*\u2022]\s*)?(?:\*\*)?[A-Za-z][\w /&+-]{1,30}(?:\*\*)?:\s")
_NEW_ENTRY = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)]|\(?[a-z][.)]\s)")


def _mitigation_after(
    statements: list[Statement], sentences: list[Sentence], si: int
) -> str | None:
    """The cue of the line that answers the heading-like sentence ``si``: a "Mitigation: ..."
    right after it, or the rest of a labelled entry ("- Privacy: ...")."""
    if si + 1 >= len(statements) or len(sentences[si].raw) > 16:
        return None
    nxt, raw, text = statements[si + 1], sentences[si + 1].raw, sentences[si + 1].text
    if not raw or not nxt.cues or nxt.fragment or nxt.waved:
        return None
    if raw[0] in _ANSWER_OPENERS:
        return nxt.cues[0]
    goes_on = (
        _LABELLED.match(sentences[si].text)
        # one entry, not a list of them ("Risks: adversarial use, dialects, burnout.")
        and len(_TERM_SEPARATOR.findall(sentences[si].text)) < 2
        and not _NEW_ENTRY.match(text)
        and not _LABELLED.match(text)
    )
    own = [kind for kind, k in nxt.cue_at if raw[k] not in _BARE_OBLIGATION]
    return own[0] if goes_on and own else None


# Words that turn a sentence holding an opposite stance into a weighing of it: "an unconstrained
# GBDT may win offline, but ...", "rather than maximise AUC, ...", "options: ... / unconstrained"
_WEIGHED = frozenset(
    {"not", "never", "no", "rather", "instead", "but", "however", "although", "though", "vs",
     "versus", "whereas", "would", "could", "might", "may", "options", "option", "candidates",
     "leak", "leaks", "ignores", "ignore", "unless", "if"}
)  # fmt: skip
FIRM_STANCE_WORDS = 3


def _firm_stance(phrase: str | None, sentence: Sentence) -> bool:
    """Does an opposite stance outweigh reasoning about the point elsewhere in the answer? Only a
    specific one (three words or more) said flatly, in a sentence that weighs nothing."""
    if (
        phrase is None
        or len(compile_phrase(phrase).parts[0])
        + sum(len(p) for p in compile_phrase(phrase).parts[1:])
        < FIRM_STANCE_WORDS
    ):
        return False
    return not _WEIGHED.intersection(sentence.raw)


def _goes_on(sentence: Sentence, nxt: Sentence) -> bool:
    """Does ``nxt`` take up the same thing: two of its content words come from ``sentence``?
    ("popularity features bury new listings and small sellers. Give new listings a prior from
    seller quality ...")"""
    here = {t for t in sentence.toks if len(t) > 3 and t not in _STOP_STEMS}
    return len(here & {t for t in nxt.toks if len(t) > 3}) >= 2


def _cue(
    statements: list[Statement],
    sentences: list[Sentence],
    found: list[dict[int, tuple[str, str | None, str, tuple[int, int]]]],
    si: int,
    g: int,
    span: tuple[int, int],
    phrase_stems: frozenset[str],
) -> str | None:
    """The reasoning cue for item ``g`` in sentence ``si``: its own, or the next sentence's.

    Cue words inside the matched phrase itself do not count ("monotonic constraints").
    """
    st = statements[si]
    own = st.cues_outside(span[0], span[1], sentences[si].raw, phrase_stems, st.waved)
    if own == ("decision",) and _restates(sentences[si], span):
        own = ()  # "We'll also use hash lists": a decision that only repeats the name
    if own:
        return own[0]
    if si + 1 < len(statements):
        # the next sentence ties it only when it goes on with the same thought: it opens with
        # "So", "This", "Because" ... or it is about the same point
        nxt = statements[si + 1]
        same = found[si + 1].get(g, ("",))[0] == "mention" or _goes_on(
            sentences[si], sentences[si + 1]
        )
        if nxt.cues and not nxt.fragment and not nxt.waved and (nxt.opener or same):
            return nxt.cues[0]
    return None


# An answer that contains this share of a rubric's matcher phrases is a copy of the rubric, not an
# answer: the labelled answers of benchmarks/corpus use at most 0.21 of them and the Staff+ exemplars
# at most 0.26 (credit-risk), while the matchers pasted one per line or in a row hit 0.5 to 1.0.
COPY_SHARE = 0.4
# ... of a rubric with at least this many phrases: with two or three matchers per point, as in a
# small test rubric, a genuine answer uses half of them
COPY_MIN_PHRASES = 100


def copied_share(rubric: list[dict], sentences: list[Sentence], spans: dict | None = None) -> float:
    """The share of the rubric's distinct matcher phrases that occur in ``sentences`` (0 for a
    rubric under COPY_MIN_PHRASES phrases); ``spans`` from ``matcher_spans``."""
    phrases = {m for item in rubric for m in item["matchers"]}
    if len(phrases) < COPY_MIN_PHRASES:
        return 0.0
    if spans is None:
        spans = matcher_spans(rubric, sentences)
    seen = {p for found in spans.values() for p, _, _ in found}
    return len(seen) / len(phrases)
