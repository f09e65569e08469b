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
- An item's level is the best over the text: reasoned > dismissed > named > absent.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..textmatch import Sentence, group_spans
from . import meaning
from .statements import Statement, analyse

LEVELS = ("absent", "named", "reasoned", "dismissed")
_RANK = {"absent": 0, "named": 1, "dismissed": 2, "reasoned": 3}

# Meaning matches: a sentence is about an item when its similarity to the item's best anchor
# reaches MEANING_MIN and no other item is clearly closer, or when it reaches MEANING_SURE.
MEANING_MIN = 0.42
MEANING_SURE = 0.55
MEANING_MARGIN = 0.06
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


def _contrary_groups(rubric: list[dict]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(item.get("contrary", ())) for item in rubric)


def _negated(raw: tuple[str, ...], start: int) -> bool:
    return any(w in _NEGATION_BEFORE for w in raw[max(0, start - 4) : start])


def assess(rubric: list[dict], sentences: list[Sentence]) -> list[Evidence | None]:
    """The best evidence for each rubric item (None: absent)."""
    statements = [analyse(s) for s in sentences]
    groups = tuple(tuple(item["matchers"]) for item in rubric)
    spans = group_spans(groups, sentences)
    contrary = (
        group_spans(_contrary_groups(rubric), sentences)
        if any(item.get("contrary") for item in rubric)
        else {}
    )
    index = meaning.index_for(rubric)
    n_items = len(rubric)

    # per sentence: item -> ("mention" | "dismissed", phrase, via, span of the mention)
    found: list[dict[int, tuple[str, str | None, str, tuple[int, int]]]] = []
    for si, (s, st) in enumerate(zip(sentences, statements)):
        waved = st.waved
        here: dict[int, tuple[str, str | None, str, tuple[int, int]]] = {}
        for g in range(n_items):
            for phrase, a, b in spans.get((g, si), ()):
                if st.dismisses(a, b) is not None:
                    here[g] = ("dismissed", phrase, "phrase", (a, b))
                    break
                if any(lo <= a < hi for lo, hi in waved):
                    continue  # said in a clause that waves something away: it credits nothing
                here.setdefault(g, ("mention", phrase, "phrase", (a, b)))
            for phrase, a, b in contrary.get((g, si), ()):
                if st.dismisses(a, a + 1) is None and not _negated(s.raw, a):
                    here[g] = ("dismissed", phrase, "contrary", (a, b))
                    break
        _meaning_mentions(index, s, st, waved, here)
        if (
            st.echoes
            and si > 0
            and _dismissive(found[si - 1], statements[si - 1], sentences[si - 1])
        ):
            # "Reject inference is the same story": it shares the sentence before's dismissal
            for g, entry in list(here.items()):
                here[g] = ("dismissed", entry[1], entry[2], entry[3])
        found.append(here)

    best: list[Evidence | None] = [None] * n_items
    for si, here in enumerate(found):
        st = statements[si]
        mentions = [g for g, (kind, _, _, _) in here.items() if kind == "mention"]
        disguised_list = len(mentions) >= LIST_IN_DISGUISE
        for g, (kind, phrase, via, span) in here.items():
            if kind == "dismissed":
                ev = Evidence("dismissed", si, phrase, None, via)
            elif st.fragment or disguised_list:
                ev = Evidence("named", si, phrase, None, via)
            else:
                cue = _cue(statements, found, si, g, span)
                ev = Evidence("reasoned" if cue else "named", si, phrase, cue, via)
            old = best[g]
            if old is None or _RANK[ev.level] > _RANK[old.level]:
                best[g] = ev
    return best


def _dismissive(here: dict, st: Statement, s: Sentence) -> bool:
    return any(kind == "dismissed" for kind, *_ in here.values()) or bool(st.waved)


def _meaning_mentions(
    index: meaning.ConceptIndex,
    s: Sentence,
    st: Statement,
    waved: tuple[tuple[int, int], ...],
    here: dict[int, tuple[str, str | None, str, tuple[int, int]]],
) -> None:
    """Add the items ``s`` is about by meaning (never overriding a phrase's verdict).

    In a sentence that waves something away, the waved words and the rest are judged apart: an
    item the waved words are about is dismissed; one only the rest is about is a mention.
    """
    sims = index.similarities(meaning.sentence_words(s))
    if not sims or max(sims) < MEANING_MIN:
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


def _cue(
    statements: list[Statement],
    found: list[dict[int, tuple[str, str | None, str, tuple[int, int]]]],
    si: int,
    g: int,
    span: tuple[int, int],
) -> str | None:
    """The reasoning cue for item ``g`` in sentence ``si``: its own, or the next sentence's.

    Cue words inside the matched phrase itself do not count ("monotonic constraints").
    """
    st = statements[si]
    own = st.cues_outside(*span)
    if own:
        return own[0]
    if si + 1 < len(statements):
        # the next sentence ties it only when it goes on with the same thought: it opens with
        # "So", "This", "Because" ... or it is about the same point
        nxt = statements[si + 1]
        same = found[si + 1].get(g, ("",))[0] == "mention"
        if nxt.cues and not nxt.fragment and not nxt.waved and (nxt.opener or same):
            return nxt.cues[0]
    return None
