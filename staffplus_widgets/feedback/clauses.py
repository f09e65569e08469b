"""Where a sentence's segments and clauses begin and end.

A *segment* is a stretch between punctuation ("," ";" ":" "->" brackets, dashes, "/"); a
*clause* is what a cue or a dismissal reaches over: it stops at a hard separator, a clause break
word ("because", "so", "but") or a new subject after "and". Positions are indices into the
sentence's normalised tokens (``Sentence.raw``); ``bounds`` holds each segment's ``(lo, hi)`` and
``seps`` the separator before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon as L
from .textmatch import _TOKEN, normalise

_SEGMENT_BREAK = re.compile(
    r"\s*(?:->|=>|\u2192|\u21d2|[,;:()\[\]|\u2022]|\s[-\u2013\u2014]\s|\u2014|\u2013(?=\s)|"
    r"(?<=[a-z]{2})/(?=[a-z]{2})|\s/\s|=)\s*",
    re.IGNORECASE,
)
ARROW = re.compile(r"->|=>|\u2192|\u21d2")
# "x = y", "$210k >> $25k", "p < 0.08", "A vs B": a note that compares says something
EQUALS = re.compile(r"(?<![<>!=-])=(?![=>])|>>|<<|\s[<>]\s?\$?\d|\u2248|\u2264|\u2265|\bvs\.?\s")
# separators a clause never reaches across (a comma does: "X, Y and Z are moot")
_HARD_SEPARATORS = frozenset(
    {";", ":", "->", "=>", "\u2192", "=", "(", ")", "-", "\u2014", "\u2013"}
)
# words before which a subject cannot reach back: "if X is moot", "I think X is moot"
_SUBJECT_STOPS = L.words("if that when where then think say guess honestly frankly")


def arrow_leads_somewhere(text: str) -> bool:
    """ "FP ~$10 -> threshold 0.08" reasons; "Privacy -> GDPR" only maps a word to a word."""
    after = ARROW.split(text)[-1]
    words = _TOKEN.findall(normalise(after))
    return len(words) >= 3 or any(c.isdigit() for c in after)


@dataclass(frozen=True)
class Segments:
    """A sentence's tokens with its punctuation-separated segments."""

    raw: tuple[str, ...]
    bounds: tuple[tuple[int, int], ...]  # (lo, hi) of each segment
    seps: tuple[str, ...]  # the separator before each segment ("" for the first)

    @property
    def starts(self) -> tuple[int, ...]:
        return tuple(lo for lo, _ in self.bounds)

    @property
    def hard(self) -> frozenset[int]:
        """Starts of the segments after a hard separator."""
        return frozenset(
            lo for (lo, _), sep in zip(self.bounds, self.seps) if sep in _HARD_SEPARATORS
        )


def segment(text: str, raw: tuple[str, ...]) -> Segments:
    """Split ``text`` at its punctuation into segments of ``raw``. When normalisation reached
    across a separator (the tokens no longer line up), the sentence is one segment."""
    pieces: list[tuple[str, list[str]]] = []
    pos = 0
    sep = ""
    for m in _SEGMENT_BREAK.finditer(text):
        pieces.append((sep, _TOKEN.findall(normalise(text[pos : m.start()]))))
        sep = m.group(0).strip() or "-"
        pos = m.end()
    pieces.append((sep, _TOKEN.findall(normalise(text[pos:]))))
    if tuple(t for _, toks in pieces for t in toks) != raw:
        return Segments(raw, ((0, len(raw)),), ("",))
    bounds = []
    n = 0
    for _, toks in pieces:
        bounds.append((n, n + len(toks)))
        n += len(toks)
    return Segments(raw, tuple(bounds), tuple(s for s, _ in pieces))


def clause_end(seg: Segments, k: int) -> int:
    """Where the clause that contains ``raw[k]`` ends: a clause break word, ';', ':' or '->'."""
    raw = seg.raw
    hard = seg.hard
    for j in range(k + 1, len(raw)):
        if j in hard or raw[j] in L.CLAUSE_BREAKS:
            return j
        if (
            raw[j] in ("and", "or", "but")
            and j + 1 < len(raw)
            and (raw[j + 1] in L.PRONOUN_SUBJECTS or raw[j + 1] in ("i", "we", "let"))
        ):
            return j  # "..., and we keep a hold-out": a new clause with its own subject
    return len(raw)


def clause_start(seg: Segments, k: int, verbs: list[bool] | None = None) -> int:
    """Where the subject before ``raw[k]`` begins: back over its words, commas and "and"/"or".

    With ``verbs``, a comma-separated stretch that has a verb of its own is another clause
    ("latency matters, and GDPR is out of scope": the subject is only "GDPR").
    """
    raw = seg.raw
    hard = seg.hard
    ends = {hi: lo for lo, hi in reversed(seg.bounds)}  # the first segment ending at each index
    starts = set(seg.starts)
    for j in range(k, 0, -1):
        if j in hard:
            return j
        w = raw[j - 1]
        if w in L.CLAUSE_BREAKS or w in _SUBJECT_STOPS:
            return j
        if (
            verbs is not None
            and j in starts
            and j in ends
            and any(verbs[x] for x in range(ends[j], j))
        ):
            return j
    return 0


def in_conditional(seg: Segments, k: int) -> bool:
    """Is ``raw[k]`` inside an "if / unless / when ..." clause?"""
    start = clause_start(seg, k)
    return any(seg.raw[j] in L.CONDITIONALS for j in range(max(0, start - 1), k))


def start_of_none(raw: tuple[str, ...], k: int) -> bool:
    """Is the subject of the copula at ``k`` "none of that" (or "none of it / these / them")?"""
    return (
        k >= 3
        and raw[k - 3 : k - 1] == ("none", "of")
        and raw[k - 1] in ("that", "this", "these", "those", "it", "them")
    )
