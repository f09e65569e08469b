"""What a sentence does with the ideas in it: state and reason, list, or wave away.

The review levels rest on three questions about each sentence, answered here from its words and
punctuation alone (no model, no network, the same answer on every platform):

- Is it a *statement* at all, or a fragment: a list of terms, a heading, a noun phrase with no verb?
  Fragments can name an idea but never reason about it.
- Which *reasoning cues* does it carry: a consequence ("so", "which means", "->"), a constraint
  ("without", "can't", "at most"), a number that is a quantity ("$115", "1,400 a day"), or a decision
  ("I'd route", "we keep", an imperative bullet)?
- Which stretches of it are *dismissed*: a negator over a need or a worry ("we don't need to worry
  about X, Y or Z"), a dismissive predicate over its subject ("X and Y are moot", "X is out of
  scope"), a decision to skip ("skip X", "so no X", "ship without X")?

Tokens are the normalised words of ``textmatch`` (contractions expanded, abbreviations folded), so
a dismissal scope is a span of ``Sentence.raw`` indices that a phrase match can be checked against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import lexicon as L
from .clauses import ARROW, EQUALS, Segments, arrow_leads_somewhere, segment
from .dismissals import Scope, scopes, waved_regions
from .textmatch import Sentence, stem
from .wordclass import (
    decision_at,
    hedged,
    imperative_at,
    is_number,
    passive_decision_at,
    phrase_at,
    verbish,
)

__all__ = ["Scope", "Statement", "analyse"]


@dataclass(frozen=True)
class Statement:
    """The analysis of one sentence (see the module docstring)."""

    fragment: bool
    cues: tuple[str, ...]  # subset of ("consequence", "constraint", "number", "decision")
    scopes: tuple[Scope, ...]
    opener: bool  # starts by continuing the sentence before it ("So ...", "This means ...")
    segments: tuple[int, ...]  # raw index where each punctuation-separated segment starts
    cue_at: tuple[tuple[str, int], ...] = ()  # each cue with the raw index of its word
    echoes: bool = False  # "the same goes for X": carries over the sentence before's stance
    waved: tuple[tuple[int, int], ...] = ()  # see ``dismissals.waved_regions``

    def cues_outside(
        self,
        start: int,
        end: int,
        raw: tuple[str, ...] = (),
        own: frozenset[str] = frozenset(),
        waved: tuple[tuple[int, int], ...] = (),
    ) -> tuple[str, ...]:
        """The cues that are not words of the matched phrase itself ("monotonic constraints" is
        a name, not a constraint). ``own`` holds the phrase's stems; without it, every cue inside
        the span ``start:end`` is left out. Words in a phrase's gap ("no gpus ... api") count.
        A cue inside a ``waved`` stretch serves the shrug ("..., but GPU inference is two
        quarters out, so it's not our problem"): it reasons about nothing."""
        return tuple(
            sorted(
                {
                    kind
                    for kind, k in self.cue_at
                    if (not start <= k < end or (own and stem(raw[k]) not in own))
                    and not any(lo <= k < hi for lo, hi in waved)
                }
            )
        )

    def dismisses(self, start: int, end: int) -> Scope | None:
        """The scope that covers the raw span ``start:end``, if any."""
        for scope in self.scopes:
            if scope.start <= start and end <= scope.end:
                return scope
        return None


# -- reasoning cues -------------------------------------------------------------------------------
_KEEP_AN_EYE = (("in", "mind"), ("an", "eye"), ("track", "of"))  # "to keep in mind" names


def _consequence_at(raw: tuple[str, ...], k: int) -> bool:
    w = raw[k]
    if w in L.CONSEQUENCE_WORDS:
        return raw[k + 1 : k + 2] == () or raw[k + 1] not in L.NOT_CONSEQUENCE_AFTER.get(w, ())
    if any(phrase_at(raw, k, p) for p in L.CONSEQUENCE_PHRASES if p[0] == w):
        return raw[k + 2 : k + 4] not in _KEEP_AN_EYE
    return False


# "collisions only make the model worse": "only" playing a cost down, not a limit
_PLAYED_DOWN = L.words("make makes hurt hurts cost costs affect affects add adds lose loses")


def _constraint_at(raw: tuple[str, ...], k: int) -> bool:
    w = raw[k]
    if w == "only" and raw[k + 1 : k + 2] and raw[k + 1] in _PLAYED_DOWN:
        return False
    return w in L.CONSTRAINT_WORDS or any(
        phrase_at(raw, k, p) for p in L.CONSTRAINT_PHRASES if p[0] == w
    )


def _cues(text: str, seg: Segments, verbs: list[bool]) -> list[tuple[str, int]]:
    """Each cue with the raw index of its word. An imperative also marks its word a verb."""
    raw = seg.raw
    cues: list[tuple[str, int]] = []
    question = text.rstrip().endswith("?")  # "what do we log now?" asks; it decides nothing
    if ARROW.search(text) and arrow_leads_somewhere(text):
        cues.append(("consequence", -1))  # an arrow sits between words: it belongs to no mention
    for k in range(len(raw)):
        if _consequence_at(raw, k):
            cues.append(("consequence", k))
        if _constraint_at(raw, k):
            cues.append(("constraint", k))
        if is_number(raw, k):
            cues.append(("number", k))
        deciding = decision_at(raw, k) or passive_decision_at(raw, k)
        if deciding and not hedged(raw, k) and not question:
            cues.append(("decision", k))
    for lo, hi in seg.bounds:
        if hi - lo > 2 and raw[lo] in ("and", "then"):
            lo += 1  # "..., ramp by channel, and track early delinquency by vintage"
        if imperative_at(raw, lo, hi, question):
            cues.append(("decision", lo))
            verbs[lo] = True
    return cues


# -- fragments ------------------------------------------------------------------------------------
_LIST_SEPARATORS = (",", "/", ";", "|", "\u2022")
_NOT_IN_A_TERM = L.words("and or the a an plus etc")
_LINKING = L.words("to for with without above below under over within via than against into from")


def _bare_term(raw: tuple[str, ...], lo: int, hi: int, verbs: list[bool]) -> bool:
    words = [raw[k] for k in range(lo, hi) if raw[k] not in _NOT_IN_A_TERM]
    if not words or len(words) > 4:
        return False
    if any(verbs[k] or is_number(raw, k) for k in range(lo, hi)):
        return False
    if hi - lo >= 2 and raw[lo] in ("no", "one", "zero"):
        return (
            False  # "five people, one shared on-call, no infra engineer": quantities, a constraint
        )
    if lo > 0 and words[0].endswith("ing") and len(words[0]) > 5:
        return False  # ", costing good customers": a participle clause, not a term
    return not any(w in _LINKING for w in words)


def _is_list(text: str, seg: Segments, verbs: list[bool]) -> bool:
    """Three or more separated items, most of them bare terms. A label before a colon ("Data:
    ...") is not one of the items."""
    first = max((i for i, sep in enumerate(seg.seps) if i and sep == ":"), default=0)
    items = [(lo, hi) for lo, hi in seg.bounds[first:] if hi > lo]
    list_seps = sum(sep in _LIST_SEPARATORS for sep in seg.seps[first + 1 :])
    if len(items) < 3 or list_seps < 2 or (ARROW.search(text) and arrow_leads_somewhere(text)):
        return False
    bare = [(lo, hi) for lo, hi in items if _bare_term(seg.raw, lo, hi, verbs)]
    covered = sum(hi - lo for lo, hi in bare)
    return (
        len(bare) >= 3
        and len(bare) >= 0.6 * len(items)
        and covered >= 0.5 * sum(hi - lo for lo, hi in items)
    )


def _is_fragment(text: str, seg: Segments, verbs: list[bool]) -> bool:
    """A heading, a list of terms, or a noun phrase with nothing said about it."""
    raw = seg.raw
    stripped = text.strip()
    if not raw:
        return True
    if stripped.startswith("#") or (stripped.endswith(":") and len(raw) <= 8):
        return True  # a heading
    letters = [c for c in stripped if c.isalpha()]
    if len(raw) <= 8 and len(letters) > 3 and all(c.isupper() for c in letters):
        return True  # "STEP 7: RETRIEVAL", "RISKS": a heading in capitals
    if _is_list(text, seg, verbs):
        return True
    if ARROW.search(text) or EQUALS.search(text) or stripped.endswith("?"):
        return False  # "FP ~$10 -> threshold 0.08", "x = y" and "VAMP ratio?" say something
    if len(raw) <= 3 and not any(is_number(raw, k) for k in range(len(raw))):
        # "Block no label.", "Times the volume.", "Kill switch.": three words leave no room to tie
        # a point to anything, whatever the first word could be; a pasted run of matcher phrases,
        # one per line, is made of these (with a figure in it, the rules below decide)
        return True
    # a note needs a verb or an arrow: "Label noise: kappa ~0.5" names a figure, it says nothing
    # about what follows from it. A long stretch of running prose ("sending an unsure order to the
    # bank's challenge satisfies ...") states something even when its verb is not one we know.
    if any(verbs):
        return False
    glue = sum(1 for w in raw if w in L.GLUE)
    return len(raw) <= 8 or glue < 2


# -- the analysis ---------------------------------------------------------------------------------
_MONEY = re.compile(r"[$\u20ac\u00a3]\s?\d")


def priced_breakdown(text: str) -> bool:
    """ "Cost: team ~$90k, underwriters ~$65k, counsel ~$20k, compute negligible": a line that
    puts a price on three or more things states an estimate, even with no verb."""
    return len(_MONEY.findall(text)) >= 3


@lru_cache(maxsize=16384)
def _analyse(text: str, raw: tuple[str, ...]) -> Statement:
    seg = segment(text, raw)
    verbs = [verbish(raw, k) for k in range(len(raw))]
    cues = _cues(text, seg, verbs)
    found = tuple(scopes(seg, [verbish(raw, k) for k in range(len(raw))]))
    return Statement(
        fragment=_is_fragment(text, seg, verbs),
        cues=tuple(sorted({kind for kind, _ in cues})),
        scopes=found,
        opener=bool(raw) and raw[0] in L.CONTINUATION_OPENERS,
        segments=seg.starts,
        cue_at=tuple(cues),
        echoes=any(phrase_at(raw, k, e) for e in L.ECHOES for k in range(len(raw))),
        # a line that prices three or more things ("..., compute negligible, about $230k") weighs
        # them; its "negligible" ranks a line, it waves nothing away
        waved=() if priced_breakdown(text) else waved_regions(raw, found),
    )


def analyse(sentence: Sentence) -> Statement:
    """The statement analysis of ``sentence`` (cached by its text)."""
    return _analyse(sentence.text, sentence.raw)
