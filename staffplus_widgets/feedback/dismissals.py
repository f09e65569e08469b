"""Which stretches of a sentence wave something away.

Each rule below looks at one position of the sentence and either passes (``None``) or returns
the scopes it found with the position to go on from. ``scopes`` tries the rules in order at each
position, so the first rule that fires there wins:

- ``no need to / for ...`` and a negated need or worry ("we don't need to worry about X, Y or Z");
- "I don't see the value of X";
- handing it off ("I'd leave GDPR to the legal team");
- a decision to skip ("skip X", "ship without X");
- a dismissive predicate over its subject ("X and Y are moot", "X: out of scope").

A scope's ``kind`` says which: "concern" (a worry waved away), "need" (a component or practice
declared unneeded: a design decision, not a shrug), "predicate" (a subject called moot), "skip".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from . import lexicon as L
from .clauses import Segments, clause_end, clause_start, in_conditional, start_of_none
from .wordclass import is_digitlike, negated_before


@dataclass(frozen=True)
class Scope:
    """A dismissed stretch of a sentence: ``raw`` indices ``start <= i < end``."""

    start: int
    end: int
    kind: str  # "concern", "need", "predicate" or "skip" (see the module docstring)


@dataclass(frozen=True)
class _At:
    """The sentence a rule looks at."""

    seg: Segments
    verbs: list[bool]

    @property
    def raw(self) -> tuple[str, ...]:
        return self.seg.raw


Found = tuple[list[Scope], int]  # the scopes a rule found, and where to look next
Rule = Callable[[_At, int], "Found | None"]

_AFTER_NEGATOR = L.ADVERBS | L.words("really even going gonna to have be")
_BEFORE_THE_WORRY = L.words("to about with on for much too any time of")
# what "spend" is a shrug about: our time and attention, not money or hardware
_EFFORT = L.words("time effort energy cycles hours days weeks attention thought brainpower")
# what may follow a verb whose object came before it ("the overhead we don't need here")
_NO_OBJECT = L.PRONOUN_SUBJECTS | L.ADVERBS | L.words("them either anyway here now today")
_BEFORE_VALUE = L.words("the a any much real big lot of there is")
_ONLY_WHEN = L.words("only while when if unless until below under")
_COPULAS = L.words("is are was seems seem feels looks sounds s")
# "benchmarking FTRL against it would be a waste of time": a copula after a modal
_MODALS = L.words("would will d ll could might should")
# "it would be a mistake to skip the hold-out" argues for what it names
_WARNED_AGAINST = L.words("mistake wrong risky dangerous unwise reckless irresponsible afford")
_DEFLECTED_PRONOUNS = L.words("it this that them up")
_OWNER_NOUNS = L.words("job problem call responsibility concern department")
_OWNERS = L.DEFLECT_TO | L.words("vendor vendors advertisers ops")
_WEIGHED = L.words("need needs matter matters require requires deserve deserves warrant warrants")
_WORRY_OBJECTS = {(w,) for w in L.words("special any much attention handling work thought extra")}
_DUTY_NOUNS = L.words("job responsibility remit department")  # not "call": "the home call"
# words that make "X's job" not someone else's: ours, or a description of the job itself
_NOT_OWNERS = (
    L.PRONOUN_SUBJECTS
    | L.ADVERBS
    | L.words(
        """
    a an our my your we us i me first second main real big biggest hard hardest whole only next
    last key core own full entire tough judgment judgement final easy simple for of to in on at
    with by from
    """
    )
)


def _no_need(at: _At, k: int) -> Found | None:
    """ "no need to / for ...", "no point in ...", "no reason to ..." """
    raw = at.raw
    if raw[k] != "no" or raw[k + 1 : k + 2] not in (("need",), ("point",), ("reason",), ("use",)):
        return None
    if in_conditional(at.seg, k):
        return None
    return [Scope(k, clause_end(at.seg, k + 1), "concern")], k + 2


def _negated_need(at: _At, k: int) -> Found | None:
    """A negated need or worry: "do not need (to worry about)", "will not bother with"."""
    raw, n = at.raw, len(at.raw)
    if raw[k] not in L.NEGATORS or raw[k] == "no" or k + 1 >= n:
        return None
    j = k + 1
    while j < n and raw[j] in _AFTER_NEGATOR:
        j += 1
    # "we won't do X" decides; "we can't run X" states a constraint
    first_person = any(raw[x] in ("i", "we", "us") for x in range(max(0, k - 3), k)) and not (
        k > 0 and raw[k - 1] in ("can", "could")
    )
    if j >= n or not (raw[j] in L.NEED_VERBS or (first_person and raw[j] in L.OWN_ACTIONS)):
        return None
    if in_conditional(at.seg, k):
        return None
    kind = "concern" if raw[j] in L.CONCERN_VERBS else "need"
    end = clause_end(at.seg, j)
    if raw[j] in ("spend", "spending") and not _EFFORT.intersection(raw[j + 1 : end]):
        # "we won't spend GPU money, because ...": a decision on a resource, as "we don't need
        # GPUs" is; "we won't spend time on it" is a shrug
        kind = "need"
    m = j + 1  # "need to worry about": the worry decides the kind
    while m < n and raw[m] in _BEFORE_THE_WORRY:
        m += 1
    if m < n and raw[m] in L.CONCERN_VERBS:
        kind = "concern"
    found = [Scope(j + 1, end, kind)]
    # "the dollar impact doesn't need modelling", "shadow runs are overhead we don't need": the
    # subject before is what is waved away
    start = clause_start(at.seg, k, at.verbs)
    subject = [x for x in raw[start:k] if x not in L.AUX and x not in L.ADVERBS]
    if subject and subject[-1] not in L.PRONOUN_SUBJECTS | {"us", "you"}:
        found.append(Scope(start, k, "concern" if kind == "concern" else "predicate"))
    elif subject and (end == j + 1 or (end == j + 2 and raw[j + 1] in _NO_OBJECT)):
        # "... overhead we don't need (it)": nothing after the verb, so the object came first;
        # "we don't need GPUs because ..." has its object after the verb
        found.append(Scope(start, max(start, k - 1), "predicate"))
    return found, end


def _neither_nor(at: _At, k: int) -> Found | None:
    """ "Neither the feedback loop nor fake views need special handling": both waved away. Only a
    verb of need or weight closes it ("neither the CPU nor the GPU tier can handle 40k QPS" states
    a limit)."""
    raw = at.raw
    if raw[k] != "neither":
        return None
    end = clause_end(at.seg, k)
    nor = next((j for j in range(k + 2, end) if raw[j] == "nor"), None)
    if nor is None or in_conditional(at.seg, k):
        return None
    verb = next((j for j in range(nor + 2, min(end, nor + 7)) if raw[j] in _WEIGHED), None)
    if verb is None:
        return None
    if raw[verb] in ("need", "needs") and raw[verb + 1 : verb + 2] not in _WORRY_OBJECTS:
        return None  # "neither GBDT nor LR needs a GPU": a fact about the options
    return [Scope(k + 1, verb, "concern")], end


def _no_value(at: _At, k: int) -> Found | None:
    """ "I don't see the value of a middle tier", "I don't think there's any point in ..." """
    raw, n = at.raw, len(at.raw)
    if raw[k] not in ("not", "never") or k + 2 >= n or raw[k + 1] not in ("see", "think"):
        return None
    j = k + 2
    while j < n and raw[j] in _BEFORE_VALUE:
        j += 1
    if j < n and raw[j] in L.VALUE_WORDS:
        return [Scope(j + 1, clause_end(at.seg, j), "concern")], j + 1
    return None


def _handed_off(at: _At, k: int) -> Found | None:
    """ "I'd leave GDPR to the legal team": handed off rather than reasoned about."""
    raw = at.raw
    if raw[k] not in L.DEFLECT_VERBS or negated_before(raw, k):
        return None
    end = clause_end(at.seg, k)
    to = next((j for j in range(k + 1, end) if raw[j] == "to"), None)
    if to is None or not any(raw[j] in L.DEFLECT_TO for j in range(to + 1, min(end, to + 4))):
        return None
    if any(raw[j] not in _DEFLECTED_PRONOUNS | L.ADVERBS for j in range(k + 1, to)):
        return [Scope(k + 1, to, "skip")], end
    # "GDPR I'd leave to legal": the topic comes first
    return [Scope(clause_start(at.seg, k), k, "skip")], end


def _later_by_someone_else(at: _At, k: int) -> Found | None:
    """ "Adverse action reasons can be generated later by the compliance team": deferred and
    handed off in one breath."""
    raw = at.raw
    if raw[k] != "later" or raw[k + 1 : k + 2] != ("by",):
        return None
    j = k + 2 + (raw[k + 2 : k + 3] == ("the",))
    if j >= len(raw) or raw[j] not in L.DEFLECT_TO:
        return None
    j += 1 + (raw[j + 1 : j + 2] in (("team",), ("teams",)))
    if j != clause_end(at.seg, k):
        return None  # "later by the compliance team's tooling, because ...": a design step
    if in_conditional(at.seg, k):
        return None
    return [Scope(clause_start(at.seg, k), k, "skip")], k + 2


def _never_mind(at: _At, k: int) -> Found | None:
    if at.raw[k : k + 2] != ("never", "mind"):
        return None
    return [Scope(k + 2, clause_end(at.seg, k + 1), "concern")], k + 2


def _skipped(at: _At, k: int) -> Found | None:
    """A decision to skip: "skip X", "let's ignore X", "forget about X" (not "don't ignore X")."""
    raw = at.raw
    if raw[k] not in L.SKIP_VERBS or negated_before(raw, k) or in_conditional(at.seg, k):
        return None
    if raw[k - 1 : k] == ("to",) and k > 1 and raw[k - 2] in _WARNED_AGAINST:
        return None
    end = clause_end(at.seg, k)
    if any(raw[j] in _ONLY_WHEN for j in range(k + 1, end)):
        return [], k + 1  # "skip the challenge only while the fraud rate stays low": a rule
    return [Scope(k + 1, end, "skip")], k + 1


_ASIDE_VERBS = frozenset(
    {"leave", "leaving", "set", "setting", "put", "putting", "park", "parking", "lay", "laying"}
)


def _set_aside(at: _At, k: int) -> Found | None:
    """ "I'd set GDPR aside", "set aside the fairness review", "ATT I'd leave aside": put off
    rather than reasoned about (not "we never set it aside")."""
    raw = at.raw
    if raw[k] not in _ASIDE_VERBS or negated_before(raw, k) or in_conditional(at.seg, k):
        return None
    end = clause_end(at.seg, k)
    aside = next((j for j in range(k + 1, min(end, k + 6)) if raw[j] == "aside"), None)
    if aside is None:
        return None
    if aside > k + 1 and any(raw[j] not in _DEFLECTED_PRONOUNS for j in range(k + 1, aside)):
        return [Scope(k + 1, aside, "skip")], aside + 1  # "set GDPR aside"
    if aside + 1 < end:
        if any(raw[j] == "for" or raw[j][:1].isdigit() for j in range(aside + 1, end)):
            return None  # "set aside 10% of review capacity for an audit sample": reserved
        return [Scope(aside + 1, end, "skip")], end  # "set aside the fairness review"
    return [Scope(clause_start(at.seg, k), k, "skip")], end  # "ATT I'd leave aside"


def _shipped_without(at: _At, k: int) -> Found | None:
    """ "ship without X" (but not "Without X, we ..." and not "can't launch without X")."""
    raw = at.raw
    if raw[k] != "without" or k == 0 or raw[k - 1] not in L.WITHOUT_VERBS:
        return None
    if negated_before(raw, k, 4) or in_conditional(at.seg, k - 1):
        return None
    return [Scope(k + 1, clause_end(at.seg, k), "skip")], k + 1


# -- a dismissive predicate -----------------------------------------------------------------------
def _key(word: str) -> str:
    """The form two words share when ``_same_word`` holds: plurals folded."""
    return word.rstrip("s") if len(word) > 3 else word


def _by_first(phrases: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for p in phrases:
        index.setdefault(_key(p[0]), []).append(p)
    return {k: tuple(v) for k, v in index.items()}


_TAILS = _by_first(L.DISMISSIVE_TAILS)
_POSITIVE = _by_first(L.POSITIVE_TAILS)
_WAVES = _by_first(L.WAVE_PHRASES)


def _same_word(a: str, b: str) -> bool:
    return a == b or (len(a) > 3 and a.rstrip("s") == b.rstrip("s"))


def _tail_at(raw: tuple[str, ...], k: int, tail: tuple[str, ...]) -> bool:
    """Does ``tail`` start at ``raw[k]``, allowing plurals and fillers ("does not really matter")?"""
    j = k
    for t in tail:
        while j < len(raw) and raw[j] in L.TAIL_FILLERS and raw[j] != t:
            j += 1
        if j >= len(raw) or not _same_word(raw[j], t):
            return False
        j += 1
    return True


def first_tail(
    raw: tuple[str, ...], k: int, index: dict[str, tuple[tuple[str, ...], ...]]
) -> tuple[str, ...] | None:
    """The first phrase of ``index`` (in listed order) that starts at ``raw[k]``."""
    if k >= len(raw):
        return None
    for p in index.get(_key(raw[k]), ()):
        if _tail_at(raw, k, p):
            return p
    return None


# "compute is basically free" waves the cost away; "free of", "free for 30 days" do not
_FREE_OF_SOMETHING = L.words("of for to from up until within with tier tiers trial text form")


def _tail_that_stands(raw: tuple[str, ...], at: int) -> tuple[str, ...] | None:
    """The dismissive tail at ``raw[at]``, unless its context turns it into something else."""
    tail = first_tail(raw, at, _TAILS)
    if tail is None:
        return None
    if tail[0] not in ("not", "no", "never") and negated_before(raw, at, 2):
        return None  # "BM25 doesn't go away", "fair lending does not go away": it stays
    after = at + len(tail)
    if (
        tail[-1] == "wait"
        and after < len(raw)
        and (is_digitlike(raw[after]) or raw[after] in ("a", "an", "up", "for"))
    ):
        return None  # "images can wait 60 seconds": a latency budget, not a shrug
    if tail == ("free",) and (
        after < len(raw) and (is_digitlike(raw[after]) or raw[after] in _FREE_OF_SOMETHING)
    ):
        return None  # "free of PII", "free for the first 1,000 calls": a fact, not a shrug
    if tail in L.POSSESSIVE_DEFLECTIONS and at > 0 and raw[at - 1] in ("a", "an", "the"):
        return None  # "a compliance problem" is an issue, not a hand-off
    return tail


def _owner_tail(at: _At, k: int, tail_at: int) -> tuple[str, ...] | None:
    """After a copula: "is support ops' job", "isn't something the team should handle",
    "neither X nor Y is our problem", "is the advertisers' problem"."""
    raw, n = at.raw, len(at.raw)
    owner_at = next(
        (
            j
            for j in range(tail_at, min(n - 1, tail_at + 4))
            if raw[j] in _OWNERS and raw[j + 1] in _OWNER_NOUNS and raw[j - 1] not in ("a", "an")
        ),
        None,
    )
    if owner_at is not None:
        return tuple(raw[tail_at : owner_at + 2])
    if raw[tail_at : tail_at + 2] == ("not", "something"):
        # "isn't something the team should handle", "is not something any sane business does"
        handled = L.CONCERN_VERBS | {"handle", "deal", "own", "need", "do", "does", "would"}
        if any(raw[j] in handled for j in range(tail_at + 2, min(n, tail_at + 9))):
            return ("not", "something")
    if start_of_none(raw, k) or any(
        raw[j] in ("neither", "none", "nothing") for j in range(clause_start(at.seg, k), k)
    ):
        return first_tail(raw, tail_at, _POSITIVE)
    if (
        tail_at + 2 < n
        and raw[tail_at - 1] == "the"
        and raw[tail_at].endswith("s")
        and raw[tail_at + 1] in ("problem", "job", "call", "concern", "responsibility")
    ):
        return (raw[tail_at], raw[tail_at + 1])
    return _someone_elses_job(at, tail_at)


def _someone_elses_job(at: _At, tail_at: int) -> tuple[str, ...] | None:
    """ "are trust and safety's job", "is the platform team's remit": a named owner (the tokens
    drop the possessive) and a duty noun closing the clause. Not "our team's job", not "the first
    job", not "is budgeted for the home call"."""
    raw = at.raw
    end = clause_end(at.seg, tail_at)
    for j in range(tail_at + 1, min(end, tail_at + 5)):
        if raw[j] not in _DUTY_NOUNS or not (j + 1 == end or raw[j + 1] in ("not", "anyway")):
            continue
        owner = range(tail_at + (raw[tail_at] == "the"), j)
        if owner and not any(
            raw[i] in _NOT_OWNERS or is_digitlike(raw[i]) or at.verbs[i] for i in owner
        ):
            return tuple(raw[tail_at : j + 1])
    return None


def _predicate(at: _At, k: int) -> Found | None:
    """ "X and Y are moot", "X: out of scope", "X does not matter". A tail elsewhere ("pull them
    down a rabbit hole") is no predicate."""
    raw, n, w = at.raw, len(at.raw), at.raw[k]
    copula = w in _COPULAS or (w == "be" and k > 0 and raw[k - 1] in _MODALS)
    at_segment_start = any(lo == k for lo, _ in at.seg.bounds[1:])
    if not copula and not (
        w in L.DISMISSIVE_STARTS and (at_segment_start or w in L.VERBAL_TAIL_STARTS)
    ):
        return None
    if in_conditional(at.seg, k):
        return [], k + 1
    tail_at = k
    if copula:
        tail_at = k + 1
        while tail_at < n and raw[tail_at] in L.COPULA_FILLERS:
            tail_at += 1
    tail = _tail_that_stands(raw, tail_at)
    if tail == ("free",) and not copula:
        tail = None  # "hashes -> exact, ~free, auto-action": a property in a list, not a shrug
    if tail is None and copula:
        tail = _owner_tail(at, k, tail_at)
    if tail is None:
        return None
    resume = tail_at + len(tail)
    start = clause_start(at.seg, k, at.verbs)
    if tail in _NOT_NEEDED and _kept_out(raw, start, k, clause_end(at.seg, resume - 1)):
        return [], resume  # "the loyalty data isn't needed, so it stays out": minimisation
    if w in ("is", "are") and start_of_none(raw, k):
        # "X, Y and Z: none of that is worth building": the subject is what came before
        return [Scope(0, k, "predicate")], resume
    if start < k:
        return [Scope(start, k, "predicate")], resume
    # "Out of scope." on its own, or "X: not needed": the subject is the segment before
    before = [(lo, hi) for lo, hi in at.seg.bounds if k >= hi > lo]
    return ([Scope(*before[-1], "predicate")] if before else []), resume


_NOT_NEEDED = L.phrases("not needed; not necessary; not required; unnecessary; unneeded")
# What personal data is ("the loyalty card data", "the home addresses") and how a decision keeps
# it out of the system ("so it stays out of the features", "so we never join it").
_DATA_NOUNS = L.words(
    "data field fields column columns attribute attributes identifiers ids pii addresses "
    "history histories location locations records logs transcripts"
)
_KEPT_OUT = L.phrases(
    "stays out; stay out; kept out; keep it out; leave it out; left out; never join; never joined; "
    "not collect; not store; not keep; never collect; never store; never keep; drop it; "
    "delete it; excluded; exclude it; goes unused"
)
_KEPT_OUT_INDEX = _by_first(_KEPT_OUT)


def _kept_out(raw: tuple[str, ...], start: int, k: int, end: int) -> bool:
    """Is "X isn't needed" about personal data that the next clause decides to keep out?"""
    if not _DATA_NOUNS.intersection(raw[start:k]) or end >= len(raw) or raw[end] != "so":
        return False
    return any(first_tail(raw, j, _KEPT_OUT_INDEX) for j in range(end + 1, min(len(raw), end + 8)))


_RULES: tuple[Rule, ...] = (
    _no_need,
    _negated_need,
    _neither_nor,
    _no_value,
    _handed_off,
    _later_by_someone_else,
    _never_mind,
    _skipped,
    _set_aside,
    _shipped_without,
    _predicate,
)


def scopes(seg: Segments, verbs: list[bool]) -> Iterator[Scope]:
    """Every dismissed stretch of the sentence, left to right."""
    at = _At(seg, verbs)
    k = 0
    while k < len(seg.raw):
        for rule in _RULES:
            found = rule(at, k)
            if found is not None:
                yield from found[0]
                k = found[1]
                break
        else:
            k += 1


def waved_regions(raw: tuple[str, ...], found: tuple[Scope, ...]) -> tuple[tuple[int, int], ...]:
    """Stretches of a sentence that wave something away: a clause holding a dismissal (other than
    "we don't need X", a design decision) or a waving word. A contrasting clause ("..., but ...")
    is judged on its own."""
    cuts = [0] + [k for k, w in enumerate(raw) if w in L.CONTRAST] + [len(raw)]
    out = []
    for lo, hi in zip(cuts, cuts[1:]):
        dismissed = any(
            sc.kind != "need" and sc.start < sc.end and sc.start < hi and sc.end > lo
            for sc in found
        )
        waving = any(_waves_at(raw, k) for k in range(lo, hi))
        if dismissed or waving:
            out.append((lo, hi))
    return _conceded(raw, cuts, tuple(out))


def _waves_at(raw: tuple[str, ...], k: int) -> bool:
    """A waving word or phrase at ``raw[k]`` that no negation turns around: "not overkill" and
    "can't pull someone else's orders" wave nothing, but an adverb of certainty ("can't
    discriminate by definition") is about the claim, whatever its verb's negation. Another team
    that "can" do it at a clause's start takes it off our hands ("Compliance can run their check
    at the end")."""
    if (
        raw[k] in _THIRD_PARTIES
        and raw[k + 1 : k + 2] in _HANDED_VERBS
        and (k == 0 or raw[k - 1] in _CLAUSE_OPENERS or raw[k - 1] == "the")
        and raw[k + 2 : k + 3] not in {(w,) for w in _NOT_HANDED}
        # "they'll do a DPIA if they need one" hands it off; "they'll test cards in bursts" doesn't
        and (raw[k + 1] not in ("will", "ll") or raw[k + 2 : k + 3] in _HANDED_TASKS)
    ):
        return True
    if (
        raw[k] == "not"
        and raw[k + 1 : k + 2] in (("a",), ("an",))
        and raw[k + 3 : k + 4] in _CONCERN_NOUNS
    ):
        return True  # "not a ranking concern", "not an ML problem"
    if raw[k] in ("is", "are") and 0 < k < len(raw) - 1 and _same_word(raw[k - 1], raw[k + 1]):
        return not raw[k + 1].isdigit()  # "labels are labels", "fraud is fraud": a shrug
    phrase = first_tail(raw, k, _WAVES)
    if raw[k] not in L.WAVE_WORDS and phrase is None:
        return False
    if phrase in _NOT_NEEDED:
        so = next((j for j in range(k + len(phrase), len(raw)) if raw[j] == "so"), len(raw))
        if _kept_out(raw, 0, k, so):
            return False  # "the loyalty data is not needed, so it stays out": minimisation
    if phrase == ("moving", "on") and raw[k + 2 : k + 3] == ("to",):
        return False  # "moving on to cost, ...": a transition, not "table stakes, moving on"
    if phrase == ("out", "of", "scope") and k > 0 and raw[k - 1] in _KEPT_OUT_OF:
        return False  # "so the ML stack stays out of scope": the aim of a design decision
    if phrase == ("for", "later") and raw[k + 2 : k + 3] and raw[k + 2] in _LATER_THINGS:
        return False  # "tag those weeks for later training": a later step, not a deferral
    if phrase and phrase[-2:] == ("rounding", "error"):
        # "compute costs are a rounding error next to the underwriters": which line dominates
        return not _COMPARED.intersection(raw[k + len(phrase) : k + len(phrase) + 3])
    return not negated_before(raw, k, 1 if phrase and phrase[0] == "by" else 2)


_CLAUSE_OPENERS = L.words("and then")
_KEPT_OUT_OF = L.words("stays stay stayed kept keep keeps remains remain falls fall moves move")
_LATER_THINGS = L.words(
    "training retraining retrains use analysis analyses review reviews audit audits backtest "
    "backtests reference stages phases releases versions runs"
)
# "Compliance owns the letters", "they can map scores to APRs", "the support team can escalate"
_THIRD_PARTIES = frozenset(L.DEFLECTION_OWNERS) | L.words("they team operations ops")
_HANDED_VERBS = {(w,) for w in L.words("can owns handles sends runs will ll")}
_HANDED_TASKS = {
    (w,) for w in L.words("do handle sort deal flag own cover check review sign write tell take")
}
_CONCERN_NOUNS = {(w,) for w in L.words("concern problem issue question priority blocker worry")}
# "so product can see how much we trade": what another team gains, not a hand-off
_NOT_HANDED = L.words("see tell read understand compare trust explain follow check not never take")
_COMPARED = L.words("next compared against beside besides versus vs relative beneath")

# "I know the slice is 40 ms, but ...", "X sounds scary, but ...", "X is annoying, but I'd just
# ...": a point granted only to be set aside by the clause after the "but"
_CONCESSIONS = L.words(
    "know known sounds sound annoying yes sure granted admittedly fine ok okay ideally theory"
)
# "Ideally we'd have it, but ...", "That's a real bias in theory, but ...", "Sure, but ...": a
# point granted only to be set aside, whatever the clause after the "but" says
_STRONG_CONCESSIONS = L.words("ideally theory sure granted admittedly")


def _conceded(
    raw: tuple[str, ...], cuts: list[int], waved: tuple[tuple[int, int], ...]
) -> tuple[tuple[int, int], ...]:
    """The waved clauses, plus each conceding clause that a waved (or "just ...") clause follows."""
    regions = list(zip(cuts, cuts[1:]))
    out = list(waved)
    for (lo, hi), (nlo, nhi) in zip(regions, regions[1:]):
        if (lo, hi) in out or raw[nlo] != "but":
            continue
        sets_aside = (nlo, nhi) in waved or "just" in raw[nlo:nhi]
        strong = any(w in _STRONG_CONCESSIONS for w in raw[lo:hi])
        if strong or (sets_aside and any(w in _CONCESSIONS for w in raw[lo:hi])):
            out.append((lo, hi))
    return tuple(sorted(out))
