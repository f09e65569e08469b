"""Matching a sentence to a rubric item by what it means, not only by its phrases.

Each rubric item is described by its plain-words ``concept``, its ``point`` and its example
sentences. A learner's sentence is compared with each of those *anchors* as a bag of content words:
stemmed, with synonyms folded into one word by a small shipped thesaurus ("turn away", "reject" and
"decline" are one word; "buyer", "shopper" and "customer" another), and weighted by how rare the word
is across the scenario's items (a word every item uses, like "fraud" in the fraud scenario, tells
nothing). The similarity is the cosine of the two weighted bags; an item's similarity is its best
anchor's.

Pure Python and deterministic: the same numbers on every platform, including an in-browser kernel.
We measured static word embeddings (WordLlama, and vectors distilled from all-MiniLM-L6-v2) against
this on paraphrased rubric points: within one scenario they ranked the right item first less often
than this lexical-plus-thesaurus measure, and scored buzzword lists as high as real answers, so they
did not earn a compiled dependency (benchmarks/bench_feedback.py reports the comparison).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .lexicon import words
from .textmatch import Sentence, split_sentences, tokens

# Words that carry no topic: function words and the commonest verbs and adjectives.
_STOP = words(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    me more most my no nor not now of off on once only or other our ours out over own same she
    should so some such than that the their them then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you
    your yours us let lets get got make made take took go went come came say said see seen know
    think want need use used using like well really much many lot lots thing things way ways
    even still yet already maybe perhaps probably around roughly approx approximately one two
    three first second third new old big small good bad high low next last per via vs versus etc
    i'd we'd we'll i'll it's that's there's don't doesn't won't can't isn't aren't might must
    shall may s d ll ve re m t here's what's
    """
)

# Synonym groups: every word (or phrase) in a group is folded into the group's first word. Only
# words whose sense does not change across the built-in scenarios belong here.
_THESAURUS_FILE = "thesaurus.txt"


@lru_cache(maxsize=1)
def _thesaurus() -> tuple[dict[str, str], dict[str, tuple[tuple[tuple[str, ...], str], ...]]]:
    """(single stem -> canonical stem, first stem -> [(multi-stem phrase, canonical stem)])."""
    single: dict[str, str] = {}
    multi: list[tuple[tuple[str, ...], str]] = []
    text = resources.files(__package__).joinpath(_THESAURUS_FILE).read_text("utf-8")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        entries = [w.strip() for w in line.split(",") if w.strip()]
        head = tokens(entries[0])
        if len(head) != 1:
            raise ValueError(f"{_THESAURUS_FILE}: a group's first entry must be one word: {line!r}")
        canon = head[0]
        for w in entries[1:]:
            toks = tuple(tokens(w))
            if len(toks) == 1:
                single.setdefault(toks[0], canon)
            elif toks:
                multi.append((toks, canon))
    multi.sort(key=lambda m: -len(m[0]))
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, canon in multi:
        by_first.setdefault(phrase[0], []).append((phrase, canon))
    return single, {k: tuple(v) for k, v in by_first.items()}


_STOP_STEMS: frozenset[str] | None = None


def _stop_stems() -> frozenset[str]:
    global _STOP_STEMS
    if _STOP_STEMS is None:
        _STOP_STEMS = frozenset(t for w in _STOP for t in tokens(w)) | _STOP
    return _STOP_STEMS


def concept_words(toks: tuple[str, ...]) -> frozenset[str]:
    """The content words of a stemmed token sequence, synonyms folded."""
    single, multi = _thesaurus()
    stop = _stop_stems()
    out: set[str] = set()
    i = 0
    n = len(toks)
    while i < n:
        for phrase, canon in multi.get(toks[i], ()):
            if toks[i : i + len(phrase)] == phrase:
                out.add(canon)
                i += len(phrase)
                break
        else:
            t = toks[i]
            if t not in stop and not t.isdigit() and len(t) > 1:
                out.add(single.get(t, t))
            elif t.isdigit() and len(t) > 1 and t not in ("10", "20", "30", "50", "100"):
                out.add(t)  # distinctive figures ("1400", "115") tie a sentence to its item
            i += 1
    return frozenset(out)


@dataclass(frozen=True)
class ConceptIndex:
    """The anchors of a scenario's rubric, indexed by word."""

    item_ids: tuple[str, ...]
    postings: dict[str, tuple[tuple[int, float], ...]]  # word -> (anchor, weight)
    anchor_item: tuple[int, ...]
    anchor_norm: tuple[float, ...]
    idf: dict[str, float]

    def similarities(self, words: frozenset[str]) -> list[float]:
        """Best cosine per item between ``words`` and that item's anchors."""
        best = [0.0] * len(self.item_ids)
        if not words:
            return best
        s_norm = math.sqrt(sum(self.idf.get(w, self._unseen) ** 2 for w in words))
        dots: dict[int, float] = {}
        for w in words:
            post = self.postings.get(w)
            if post is None:
                continue
            wt = self.idf[w]
            for a, aw in post:
                dots[a] = dots.get(a, 0.0) + wt * aw
        for a, dot in dots.items():
            sim = dot / (s_norm * self.anchor_norm[a])
            i = self.anchor_item[a]
            if sim > best[i]:
                best[i] = sim
        return best

    @property
    def _unseen(self) -> float:
        return math.log(1 + len(self.item_ids))


def anchor_texts(item: dict) -> list[str]:
    """The texts that describe one rubric item: concept, point and example sentences."""
    ex = item.get("examples", {})
    texts = [item.get("concept") or "", item["point"]]
    texts += list(ex.get("reasoned", ())) + list(ex.get("raised", ())) + list(ex.get("named", ()))
    return [t for t in texts if t.strip()]


def _words_of(text: str) -> frozenset[str]:
    words: set[str] = set()
    for s in split_sentences(text):
        words |= concept_words(s.toks)
    return frozenset(words)


def build_index(rubric: list[dict]) -> ConceptIndex:
    """Index a rubric's anchors (call through ``index_for`` to build it once per scenario)."""
    anchors: list[tuple[int, frozenset[str]]] = []
    item_words: list[set[str]] = []
    for i, item in enumerate(rubric):
        seen: set[str] = set()
        for text in anchor_texts(item):
            words = _words_of(text)
            anchors.append((i, words))
            seen |= words
        item_words.append(seen)
    n = len(rubric)
    df: dict[str, int] = {}
    for words in item_words:
        for w in words:
            df[w] = df.get(w, 0) + 1
    idf = {w: math.log(1 + n / d) for w, d in df.items()}
    postings: dict[str, list[tuple[int, float]]] = {}
    norms: list[float] = []
    for a, (_, words) in enumerate(anchors):
        for w in words:
            postings.setdefault(w, []).append((a, idf[w]))
        norms.append(math.sqrt(sum(idf[w] ** 2 for w in words)) or 1.0)
    return ConceptIndex(
        tuple(item["id"] for item in rubric),
        {w: tuple(p) for w, p in postings.items()},
        tuple(i for i, _ in anchors),
        tuple(norms),
        idf,
    )


_INDEXES: dict[int, tuple[object, ConceptIndex]] = {}


def index_for(rubric: list[dict]) -> ConceptIndex:
    """The concept index of ``rubric``, built once per rubric object."""
    known = _INDEXES.get(id(rubric))
    if known is not None and known[0] is rubric:
        return known[1]
    index = build_index(rubric)
    if len(_INDEXES) > 64:
        _INDEXES.clear()
    _INDEXES[id(rubric)] = (rubric, index)
    return index


def sentence_words(sentence: Sentence, start: int = 0, end: int | None = None) -> frozenset[str]:
    """Content words of ``sentence`` (of its ``raw`` span ``start:end`` when given)."""
    if start == 0 and end is None:
        return concept_words(sentence.toks)
    end = len(sentence.raw) if end is None else end
    toks = tuple(t for t, p in zip(sentence.toks, sentence.pos) if start <= p < end)
    return concept_words(toks)
