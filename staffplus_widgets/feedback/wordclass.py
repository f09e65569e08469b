"""What one word of a sentence is doing: a verb, a quantity, a decision, a hedge.

Every function takes the sentence's normalised tokens (``Sentence.raw``) and a position, so
the same word can be a verb in one place and a noun in another ("we log every feature" /
"the log").
"""

from __future__ import annotations

from . import lexicon as L

# tokens that contain digits but name things rather than count them
_NAMED_FIGURES = L.words(
    "p99 p95 p90 p50 p999 tc40 s3 c6i m6i r6i g4dn g5 t4 a100 h100 l4 v2 v3 gpt4 x86 3d 2d b2b b2c "
    "1p 3p"
)
# after a number word, these make it part of a name ("two-tower", "third-party")
_NAME_AFTER_NUMBER_WORD = L.words(
    "tower stage party step way fold sided pass phase tier hop sample"
)
_QUANTITY_NEXT = L.words("about around roughly us them only less more")


def is_digitlike(w: str) -> bool:
    """Whether a token is a figure: it contains a digit or is a number word such as 'dozen'."""
    return any(c.isdigit() for c in w) or w in L.NUMBER_WORDS


def _is_year(w: str) -> bool:
    return len(w) == 4 and w.isdigit() and w.startswith(("19", "20"))


def is_number(raw: tuple[str, ...], k: int) -> bool:
    """Is ``raw[k]`` a quantity ("$115", "1,400", "0.08", "twelve"), not a name ("BM25")?"""
    w = raw[k]
    prev = raw[k - 1] if k else ""
    if prev in L.ID_WORDS:
        return False
    before = raw[k - 2] if k > 1 else ""
    if w.isdigit() and prev.isdigit() and (before in L.ID_WORDS or _is_year(prev)):
        return False  # "SR 26-2", "OCC 2026-13": the rest of an identifier
    if any(c.isdigit() for c in w):
        if not (w[0].isdigit() or w[0] == "$") or w in _NAMED_FIGURES:
            return False  # "bm25", "gpt4", "p99": names, not quantities
        if (w, raw[k + 1 : k + 2]) == ("24", ("7",)) or (prev, w) == ("24", "7"):
            return False  # "24/7" says when, not how much
        if k == 0 and len(raw) > 1 and w.isdigit() and len(w) == 1 and raw[1] not in L.UNIT_WORDS:
            return False  # "1 Rules baseline": an enumerator, not a quantity
        return not (_is_year(w) and prev != "$")
    if w in L.NUMBER_WORDS:
        nxt = raw[k + 1] if k + 1 < len(raw) else ""
        return nxt not in _NAME_AFTER_NUMBER_WORD
    return False


def _in_verb_slot(raw: tuple[str, ...], k: int, prev: str, nxt: str) -> bool:
    after_subject = (
        prev in L.PRONOUN_SUBJECTS or prev in L.MODALS or prev in ("to", "let", "us", "not")
    )
    opening_an_order = k == 0 and (nxt in L.DETERMINERS or is_digitlike(nxt))
    return after_subject or opening_an_order


def verbish(raw: tuple[str, ...], k: int) -> bool:
    """Does token ``k`` act as a verb (so the sentence states something)?"""
    w = raw[k]
    if w in ("d", "ll", "m", "s", "re", "ve"):
        # pieces of "I'd", "we'll", "it's"; after a figure they are units ("21M", "5s")
        return k > 0 and raw[k - 1] in L.CONTRACTING
    if w in L.AUX or w in L.MODALS:
        return True
    before = k - 1
    while before > 0 and raw[before] in L.ADVERBS:
        before -= 1
    prev = raw[before] if k else ""
    nxt = raw[k + 1] if k + 1 < len(raw) else ""
    in_verb_slot = _in_verb_slot(raw, k, prev, nxt)
    if w in L.HOMOGRAPHS:
        # "an agent contact costs about $5": a homograph before a quantity is the verb
        quantity_next = nxt in _QUANTITY_NEXT or (bool(nxt) and (nxt[0].isdigit() or nxt[0] == "$"))
        return in_verb_slot or (quantity_next and prev not in L.DETERMINERS and k > 0)
    if w.endswith("ed") and len(w) > 4:
        # "retention tied to the window", "labels arrived late": a verb; "calibrated scores",
        # "cost-based threshold": an adjective before its noun
        follows = not nxt or nxt in L.AFTER_PARTICIPLE or is_digitlike(nxt)
        return k > 0 and prev not in L.DETERMINERS and follows
    if w not in L.DECISION_VERBS and w not in L.STATE_VERBS:
        return False
    if w.endswith("ing") and w not in L.STATE_VERBS:
        return in_verb_slot  # "streaming", "logging": gerunds unless "we are logging"
    if w.endswith("s") and w not in L.STATE_VERBS and not in_verb_slot:
        # "the layer fixes this": a verb; "canary releases," / "escalation triggers": nouns
        return bool(nxt) and (
            nxt in L.DETERMINERS or nxt in L.AFTER_PARTICIPLE or is_digitlike(nxt)
        )
    return True


def phrase_at(raw: tuple[str, ...], k: int, phrase: tuple[str, ...]) -> bool:
    """Whether the tokens of ``phrase`` occur in ``raw`` starting at position ``k``."""
    return raw[k : k + len(phrase)] == phrase


def hedged(raw: tuple[str, ...], k: int) -> bool:
    """A decision hedged until it commits to nothing: "we could look at X at some point"."""
    window = raw[max(0, k - 2) : k + 8]
    return any(window[i : i + len(h)] == h for h in L.HEDGES for i in range(len(window)))


_DECIDING_AFTER_SUBJECT = L.words("recommend propose suggest pick choose prefer would ship")
_WANTS_TO = L.words("need have want plan intend go going try")


def decision_at(raw: tuple[str, ...], k: int) -> bool:
    """A first-person decision starting at ``raw[k]``: "we route", "I'd cap", "let's keep"."""
    j = k + 1
    if raw[k] == "let" and j < len(raw) and raw[j] == "us":
        j += 1
    elif raw[k] not in L.FIRST_PERSON:
        return False
    # skip modals, adverbs and "need to / have to / want to / plan to"
    while j < len(raw) and (
        raw[j] in L.MODALS or raw[j] in L.ADVERBS or raw[j] in ("going", "gonna")
    ):
        j += 1
    if j + 1 < len(raw) and raw[j] in _WANTS_TO and raw[j + 1] == "to":
        j += 2
    if j >= len(raw):
        return False
    verb = raw[j]
    if verb in ("not", "never"):
        return False  # a negated decision is judged as a possible dismissal, not a decision
    if verb in _DECIDING_AFTER_SUBJECT:
        return True
    return verb in L.DECISION_VERBS and verb not in L.VAGUE_VERBS


_PASSIVE_NEXT = L.words(
    "to at for by on under within below above into per until after weekly daily nightly monthly "
    "first only"
)
_IRREGULAR_PARTICIPLES = L.words("kept set held sent built cut split run")


def passive_decision_at(raw: tuple[str, ...], k: int) -> bool:
    """A decision in the passive or noun style: "retention tied to the window", "capped at"."""
    w = raw[k]
    if k == 0 or w not in L.DECISION_VERBS or w in L.NOT_PASSIVE_DECISIONS:
        return False
    if not (w.endswith(("ed", "en")) or w in _IRREGULAR_PARTICIPLES):
        return False
    nxt = raw[k + 1] if k + 1 < len(raw) else ""
    return nxt in _PASSIVE_NEXT


def imperative_at(raw: tuple[str, ...], lo: int, hi: int, question: bool) -> bool:
    """An order opening the segment ``lo:hi``: "Keep 2% as a hold-out", "route the band to ..."."""
    if hi - lo < 2 or raw[lo] not in L.DECISION_VERBS or raw[lo] in L.VAGUE_VERBS or question:
        return False
    nxt = raw[lo + 1]
    object_next = nxt in L.DETERMINERS or is_digitlike(nxt) or nxt in L.ADVERBS
    if nxt in L.AUX or nxt in L.MODALS or (hi - lo < 3 and not object_next):
        return False  # "Compute should be cheap", "kill switch": a noun, not an order
    if raw[lo] in L.HOMOGRAPHS and not object_next:
        return False
    return (
        not raw[lo].endswith(("ed", "ing"))
        and raw[lo] not in ("fit", "set")
        and not hedged(raw, lo)
    )


def negated_before(raw: tuple[str, ...], k: int, window: int = 3) -> bool:
    """Whether a negation word comes within ``window`` tokens before position ``k``."""
    return any(raw[j] in L.NEGATED_NEAR for j in range(max(0, k - window), k))
