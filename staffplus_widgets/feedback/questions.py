"""Which of a scenario's clarifying questions a learner asked.

The card lists the questions a strong candidate asks first. A learner's sentence asks one when it
is a question (it ends with "?" or opens like one: "what", "how", "do we", "is there" ...) and
means the same as the card's question: its content words, synonyms folded and weighted by how rare
they are among the card's questions, are the question's more than any other's (``meaning``). A
list of topics is no question, so it asks nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..data.scenario import Scenario
from . import meaning
from .textmatch import Sentence, split_sentences

# as close as a rephrased question gets ("How close are we to Visa's dispute thresholds?" against
# the card's question on "the card networks' monitoring programmes" and its answer: 0.26); other
# questions about the scenario stay at or below 0.16 against the wrong card question
ASKS = 0.25
_OPENERS = frozenset(
    [
        "what",
        "how",
        "who",
        "which",
        "where",
        "when",
        "why",
        "whats",
        "hows",
        "is",
        "are",
        "do",
        "does",
        "did",
        "can",
        "could",
        "will",
        "would",
        "should",
        "have",
        "has",
        "any",
    ]
)


@dataclass(frozen=True)
class Asked:
    """One card question and the learner's sentence that asked it (None: not asked)."""

    question: str
    sentence: str | None


def _is_question(s: Sentence) -> bool:
    text = s.text.rstrip().rstrip("*_").rstrip()
    first = s.raw[0] if s.raw else ""
    return text.endswith("?") or first in _OPENERS


def asked_questions(scenario: Scenario, text: str) -> list[Asked]:
    """Each of the scenario's clarifying questions, with the sentence of ``text`` that asked it."""
    questions = [q["question"] for q in scenario.data.get("clarifying_questions", [])]
    if not questions:
        return []
    index = meaning.index_for(_as_items(scenario))
    found: list[str | None] = [None] * len(questions)
    for s in split_sentences(text):
        if not _is_question(s):
            continue
        words = meaning.sentence_words(s)
        if len(words) < 2:
            continue  # "What is the budget?" could be any of them
        sims = index.similarities(words)
        best = max(range(len(sims)), key=sims.__getitem__)
        if sims[best] >= ASKS and found[best] is None:
            found[best] = s.text
    return [Asked(q, found[i]) for i, q in enumerate(questions)]


_ITEMS: dict[int, tuple[dict, list[dict]]] = {}  # id(scenario data) -> (that data, its items)


def _as_items(scenario: Scenario) -> list[dict]:
    """The card's questions in the shape the meaning index reads, one list per scenario (so the
    index of them is built once)."""
    data = scenario.data
    known = _ITEMS.get(id(data))
    if known is not None and known[0] is data:
        return known[1]
    items = [
        # the answer's words count too: a learner asks about "Visa's dispute thresholds", the
        # card's question about "the card networks' monitoring programmes", its answer names VAMP
        {"id": f"q{i}", "point": q["question"], "concept": q.get("answer", ""), "examples": {}}
        for i, q in enumerate(data.get("clarifying_questions", []))
    ]
    if len(_ITEMS) > 64:
        _ITEMS.clear()
    _ITEMS[id(data)] = (data, items)
    return items
