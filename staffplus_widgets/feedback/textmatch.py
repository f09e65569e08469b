"""Deterministic phrase matching for rubric feedback.

Text and matcher phrases go through the same normalisation (case, hyphens, abbreviations, a light
stemmer), so "false-positive costs", "FP cost" and "the cost of false positives ... " can all be found
by the phrase "false positive cost" or its reverse. A match inside a sentence that dismisses it
("we won't worry about cost") does not count.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

GAP = "..."
MAX_GAP = 6
# Articles and forms of "to be" carry no meaning for matching ("labels are delayed" ~ "label delay").
_IGNORED = frozenset({"a", "an", "the", "is", "are", "was", "were", "be", "been", "being"})

# Long and short forms folded into one canonical token, applied to text and phrases alike.
# Order matters: longer forms first.
_FOLDS: tuple[tuple[str, str], ...] = (
    (r"\bfalse positives?\b", " fp "),
    (r"\bfps\b", " fp "),
    (r"\bfalse negatives?\b", " fn "),
    (r"\bfns\b", " fn "),
    (r"\btrue positives?\b", " tp "),
    (r"\bpersonally identifiable information\b", " pii "),
    (r"\bqueries per second\b", " qps "),
    (r"\brequests per second\b", " qps "),
    (r"\brps\b", " qps "),
    (r"\b99 ?(?:th)? percentile\b", " p99 "),
    (r"\b95 ?(?:th)? percentile\b", " p95 "),
    (r"\b50 ?(?:th)? percentile\b", " p50 "),
    (r"\bclick through rates?\b", " ctr "),
    (r"\b3 ?d secure\b", " threeds "),
    (r"\b3 ?ds\b", " threeds "),
    (r"\bhuman in the loop\b", " hitl "),
    (r"\blarge language models?\b", " llm "),
    (r"\bllms\b", " llm "),
    (r"\bretrieval augmented generation\b", " rag "),
    (r"\bservice level agreements?\b", " sla "),
    (r"\bslas\b", " sla "),
    (r"\bservice level objectives?\b", " slo "),
    (r"\bslos\b", " slo "),
    (r"\ba ?/ ?b tests?\b", " abtest "),
    (r"\ba b tests?\b", " abtest "),
    (r"\bab tests?\b", " abtest "),
    (r"\ba ?/ ?b testing\b", " abtest "),
    (r"\bab testing\b", " abtest "),
    (r"\ba b\b", " abtest "),  # "A/B" on its own ("then A/B: 5% of checkouts")
    (r"\bon ?call\b", " oncall "),
    (r"\bgeneral data protection regulation\b", " gdpr "),
    (r"\bpayment card industry data security standard\b", " pci dss "),
    (r"\bpci\b(?! dss)", " pci dss "),
    (r"\bequal credit opportunity act\b", " ecoa "),
    (r"\bfair credit reporting act\b", " fcra "),
    (r"\bdigital services act\b", " dsa "),
    (r"\bmachine learning\b", " ml "),
    (r"\bgraphics processing units?\b", " gpu "),
    (r"\bgpus\b", " gpu "),
    (r"\bcpus\b", " cpu "),
    (r"\bfull time equivalents?\b", " fte "),
    (r"\bftes\b", " fte "),
    (r"\bpersonal identifiable information\b", " pii "),
    (r"\btime to first token\b", " ttft "),
    (r"\bknow your customer\b", " kyc "),
    (r"\blearning to rank\b", " ltr "),
    (r"\bnormali[sz]ed discounted cumulative gain\b", " ndcg "),
    (r"\binverse propensity\b", " ips "),
    (r"\bchild sexual abuse material\b", " csam "),
    (r"\bmillisec(?:ond)?s?\b", " ms "),
)
_FOLD_RES = tuple((re.compile(p), r) for p, r in _FOLDS)

_CONTRACTIONS = (
    # "that's" is "that is", not a possessive (which would be dropped, and its verb with it)
    (re.compile(r"\b(it|that|there|what|here|who|this|he|she|everything|nothing)'s\b"), r"\1 is"),
    (re.compile(r"\bwon'?t\b"), "will not"),
    (re.compile(r"\bcan'?t\b"), "can not"),
    (re.compile(r"\bcannot\b"), "can not"),
    (re.compile(r"\bshan'?t\b"), "shall not"),
    (re.compile(r"(\w)n't\b"), r"\1 not"),
)

_TOKEN = re.compile(r"[a-z0-9$%]+(?:\.[0-9]+)?")
# A sentence ends at . ! ? ; (not after "Art.", "e.g.", "vs." and the like), a blank line, a bullet
# or a numbered line.
_SENTENCE_END = re.compile(
    r"(?<=[.!?;])(?<!\bArt\.)(?<!\bart\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<!\bNo\.)"
    r"(?<!\bSec\.)(?<!\bReg\.)(?<!\bcf\.)(?<!\bFig\.)(?<!\bapprox\.)(?<!\bapp\.)(?<!\bDr\.)"
    r"(?<!\bSt\.)(?<!\bU\.S\.)\s+|\n\s*\n|\n\s*[-*\u2022]\s+|\n(?=\s*\d+[.)]\s)"
    # a bold heading that ends its own sentence: "- **Label delay.** Yes, chargebacks ..."
    r"|(?<=[.!?]\*\*)\s+|(?<=[.!?]__)\s+"
    # a line of notes that opens with its own label ("opt B: hosted RAG", "Q: VAMP ratio?")
    r"|\n(?=\s*[A-Za-z][\w/()&+'-]*(?: [\w/()&+'-]+){0,2}:\s)"
)

_NEGATORS_BEFORE = frozenset(
    {
        "not",
        "no",
        "never",
        "without",
        "neither",
        "nor",
        "ignore",
        "ignoring",
        "skip",
        "skipping",
        "disregard",
        "none",
        "nothing",
        "forget",
        "drop",
        "dropping",
        "avoid",
        "lack",
    }
)
_NEGATORS_AFTER = frozenset({"not", "irrelevant", "unnecessary", "overkill", "unimportant", "moot"})
_NOT_NEGATING_NEXT = frozenset({"only", "just", "merely", "least"})  # "not only ... but also"
_BEFORE_WINDOW = 6
_AUX = frozenset(
    {
        "is",
        "are",
        "was",
        "were",
        "be",
        "do",
        "does",
        "did",
        "will",
        "need",
        "needs",
        "matter",
        "matters",
        "has",
        "have",
        "would",
        "should",
        "can",
        "it",
        "really",
    }
)
_AFTER_WINDOW = 7
_CLAUSE_BREAK = frozenset(
    {
        "because",
        "but",
        "while",
        "although",
        "which",
        "that",
        "so",
        "and",
        "since",
        "whereas",
        "if",
        "when",
        "unless",
    }
)


def stem(word: str) -> str:
    """A deliberately small suffix stripper: same input, same output; good enough for phrases.

    rate/rates/rated -> rat, log/logs/logging/logged -> log, price/pricing -> pric, label/labelled -> label.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith(("ise", "ised", "ises", "ising", "isation", "isations")):
        cut = word.rfind("is")  # British -ise spellings fold into -ize
        word = word[:cut] + "iz" + word[cut + 2 :]
    if word.endswith("es") and not word.endswith("ies"):
        # "losses", "boxes", "matches" drop "es"; "rates", "prices" drop only the "s"
        word = word[:-2] if word[-3] in "sxz" or word.endswith(("ches", "shes")) else word[:-1]
    else:
        for suffix, repl in (
            ("ational", "ate"),
            ("izations", "ize"),
            ("ization", "ize"),
            ("isation", "ize"),
            ("ations", "ate"),
            ("ation", "ate"),
            ("iness", "y"),
            ("ies", "y"),
            ("ied", "y"),
            ("ings", ""),
            ("ing", ""),
            ("edly", ""),
            ("ed", ""),
            ("s", ""),
            ("ly", ""),
        ):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                if suffix == "s" and word.endswith(("ss", "us", "is", "as")):
                    continue
                word = word[: len(word) - len(suffix)] + repl
                break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "s":
        word = word[:-1]
    return word


# Every fold starts with a word boundary and a literal letter or digit (a test holds the table to
# that); the look-ahead on those first characters lets the engine skip most positions quickly.
_FOLD_FIRSTS = "".join(sorted({p[2] for p, _ in _FOLDS}))
_ANY_FOLD = re.compile(rf"\b(?=[{_FOLD_FIRSTS}])(?:{'|'.join(p for p, _ in _FOLDS)})")
_SEPARATORS = re.compile(r"[-_/\u2010-\u2015]")
_NUMBER_UNIT = re.compile(r"(\d)(?=[a-z])")
_POSSESSIVE = re.compile(r"'s\b")
# Joins a text's sentences so they are normalised in one pass: every step above is blind to it
# (not a word character, not a separator, never inside a fold), so the pass splits back cleanly.
_JOIN = "\x00"


def _contracted(t: str) -> str:
    """Contractions expanded ("won't" -> "will not"), for lower-cased text."""
    if "'" in t or "cannot" in t:
        for rx, repl in _CONTRACTIONS:
            t = rx.sub(repl, t)
    return t


def _separated(t: str) -> str:
    """Hyphens and glued units split, possessives dropped."""
    t = _SEPARATORS.sub(" ", t)
    t = _NUMBER_UNIT.sub(r"\1 ", t)  # "300ms" -> "300 ms", "10x" -> "10 x"
    return _POSSESSIVE.sub("", t) if "'" in t else t


def _folded(t: str) -> str:
    for rx, repl in _FOLD_RES:
        t = rx.sub(repl, t)
    return t


def _lowered(text: str) -> str:
    return text.lower().replace("\u2019", "'").replace("\u2018", "'")


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Lower-case, expand contractions, split hyphens and glued units, fold abbreviations."""
    t = _separated(_contracted(_lowered(text)))
    # most sentences have no abbreviation: skip the ~50 substitutions
    return _folded(t) if _ANY_FOLD.search(t) else t


def normalise_all(texts: list[str]) -> list[str]:
    """``[normalise(t) for t in texts]`` with the cheap steps done in one pass (not cached).

    Contractions and the ~50 abbreviation folds are applied only to the texts that have one.
    """
    if len(texts) < 2 or any(_JOIN in t for t in texts):
        return [normalise(t) for t in texts]
    parts = [_contracted(p) for p in _lowered(_JOIN.join(texts)).split(_JOIN)]
    joined = _separated(_JOIN.join(parts))
    parts = joined.split(_JOIN)
    starts = list(accumulate((len(p) + 1 for p in parts), initial=0))
    for at in {bisect_right(starts, m.start()) - 1 for m in _ANY_FOLD.finditer(joined)}:
        parts[at] = _folded(parts[at])
    return parts


# word -> stem; a plain dict (cheaper to consult than an lru_cache wrapper on every token),
# emptied when it grows past _STEMS_MAX so a long-lived kernel cannot grow it without bound.
_STEMS: dict[str, str] = {}
_STEMS_MAX = 200_000


def _stems(words: list[str]) -> tuple[str, ...]:
    """Stems of ``words`` (ignored words already removed), memoised per word."""
    known = _STEMS
    out = [known.get(w) for w in words]
    if None in out:
        if len(known) > _STEMS_MAX:
            known.clear()
        for k, w in enumerate(words):
            if out[k] is None:
                out[k] = known[w] = stem(w)
    return tuple(out)  # type: ignore[arg-type]


def tokens(text: str) -> list[str]:
    """Normalised, stemmed tokens; articles dropped."""
    return list(_stems([w for w in _TOKEN.findall(normalise(text)) if w not in _IGNORED]))


@dataclass(frozen=True)
class Phrase:
    """A compiled matcher phrase: token groups separated by '...' gaps."""

    text: str
    parts: tuple[tuple[str, ...], ...]

    @classmethod
    def compile(cls, text: str) -> Phrase:
        plain = text.replace("<money>", f" {MONEY} ").replace("<number>", f" {NUMBER} ")
        parts = tuple(tuple(tokens(chunk)) for chunk in plain.split(GAP))
        return cls(text, tuple(p for p in parts if p))


# Placeholders a matcher may use: ``<money>`` stands for any dollar amount ("$96k", "$1.2M"),
# ``<number>`` for any figure ("1,400", "0.08", "30"), so "<money> ... review" finds a priced line.
MONEY = "zzmoney"
NUMBER = "zznumber"
_PLACEHOLDERS = frozenset({MONEY, NUMBER})


def _fits(tok: str, want: str) -> bool:
    if want == MONEY:
        return tok[:1] == "$" and len(tok) > 1 and tok[1].isdigit()
    if want == NUMBER:
        return tok[:1].isdigit() or (tok[:1] == "$" and tok[1:2].isdigit())
    return tok == want


def placeholder_vocab(toks: tuple[str, ...]) -> frozenset[str]:
    """The placeholders that some token of ``toks`` fits."""
    out = set()
    for t in toks:
        if any(c.isdigit() for c in t):
            out.add(NUMBER)
            if t.startswith("$"):
                out.add(MONEY)
                break
    return frozenset(out)


@lru_cache(maxsize=8192)
def compile_phrase(text: str) -> Phrase:
    """A matcher phrase compiled into token groups, cached since rubric phrases recur."""
    return Phrase.compile(text)


@dataclass(frozen=True)
class Sentence:
    """One sentence of a text with its offset, normalised and tokenised for phrase matching."""

    text: str
    start: int  # character offset in the original text
    toks: tuple[str, ...]  # stemmed tokens used for matching (ignored words removed)
    raw: tuple[str, ...]  # every normalised token, for negation cues
    pos: tuple[int, ...]  # index in ``raw`` of each token in ``toks``
    vocab: frozenset[str] = (
        frozenset()
    )  # set of ``toks``: a phrase whose first token is absent cannot match


MAX_SENTENCE_WORDS = 400  # longer than any real sentence or note; matching is quadratic in one


def _bounded(piece: str, start: int) -> list[tuple[str, int]]:
    """``piece`` as it is, or cut into runs of MAX_SENTENCE_WORDS words when it is longer (an
    answer pasted without punctuation would otherwise take minutes to review)."""
    words = list(re.finditer(r"\S+", piece))
    if len(words) <= MAX_SENTENCE_WORDS:
        return [(piece, start)]
    out = []
    for k in range(0, len(words), MAX_SENTENCE_WORDS):
        chunk = words[k : k + MAX_SENTENCE_WORDS]
        lo, hi = chunk[0].start(), chunk[-1].end()
        out.append((piece[lo:hi], start + lo))
    return out


_HEADING_LINE = re.compile(r"([^\n]*[^\n.!?;:,])\n(?=\s*[A-Z#*\d])")
HEADING_LINE_WORDS = 6


def _heading_lines(piece: str, start: int) -> list[tuple[str, int]]:
    """Cut off the short unpunctuated lines a piece opens with ("Objective and labels\nThe
    target is ..."): a heading is not part of the sentence under it."""
    out = []
    while True:
        m = _HEADING_LINE.match(piece)
        if not m or len(m.group(1).split()) > HEADING_LINE_WORDS:
            break
        out.append((m.group(1).strip(), start))
        cut = m.end()
        rest = piece[cut:]
        start += cut + (len(rest) - len(rest.lstrip()))
        piece = rest.lstrip()
    out.append((piece, start))
    return [(t, a) for t, a in out if t]


def split_sentences(text: str) -> list[Sentence]:
    """Split a text into Sentences at sentence ends, blank lines, bullets and numbered items."""
    pieces: list[tuple[str, int]] = []  # (sentence text, character offset)
    pos = 0
    for piece in _SENTENCE_END.split(text):
        if piece is None:
            continue
        idx = text.find(piece, pos)
        idx = pos if idx < 0 else idx
        pos = idx + len(piece)
        stripped = piece.strip()
        if stripped:
            at = idx + (len(piece) - len(piece.lstrip()))
            for line, line_at in _heading_lines(stripped, at):
                pieces.extend(_bounded(line, line_at))
    out: list[Sentence] = []
    for (stripped, start), norm in zip(pieces, normalise_all([p for p, _ in pieces])):
        raw = tuple(_TOKEN.findall(norm))
        kept = tuple([i for i, w in enumerate(raw) if w not in _IGNORED])
        toks = _stems([raw[i] for i in kept])
        out.append(Sentence(stripped, start, toks, raw, kept, frozenset(toks)))
    return out


def _find_seq(toks: tuple[str, ...], seq: tuple[str, ...], start: int) -> int:
    n = len(seq)
    first = seq[0]
    i = start
    end = len(toks) - n
    if _PLACEHOLDERS.isdisjoint(seq):
        while i <= end:
            if toks[i] == first and toks[i : i + n] == seq:
                return i
            i += 1
        return -1
    while i <= end:
        if _fits(toks[i], first) and all(_fits(toks[i + j], seq[j]) for j in range(1, n)):
            return i
        i += 1
    return -1


def find(phrase: Phrase, toks: tuple[str, ...]) -> tuple[int, int] | None:
    """(start, end) token span of the first match of ``phrase`` in ``toks``, gaps allowed."""
    if not phrase.parts:
        return None
    head = phrase.parts[0]
    i = _find_seq(toks, head, 0)
    while i >= 0:
        end = i + len(head)
        ok = True
        for part in phrase.parts[1:]:
            j = _find_seq(toks, part, end)
            if j < 0 or j - end > MAX_GAP:
                ok = False
                break
            end = j + len(part)
        if ok:
            return i, end
        i = _find_seq(toks, head, i + 1)
    return None


def is_negated(raw: tuple[str, ...], start: int, end: int) -> bool:
    """Odd number of negation cues shortly before the match, or a dismissal right after it."""
    cues = 0
    for k in range(max(0, start - _BEFORE_WINDOW - 2), start):
        w = raw[k]
        if w in _NEGATORS_BEFORE and not (k + 1 < len(raw) and raw[k + 1] in _NOT_NEGATING_NEXT):
            cues += 1
    if cues % 2 == 1:
        return True
    after = raw[end : end + _AFTER_WINDOW]
    for k, w in enumerate(after):
        if w in _CLAUSE_BREAK:
            break  # "cost matters because the model is not ..." negates something else
        if w in _NEGATORS_AFTER:
            nxt = after[k + 1] if k + 1 < len(after) else ""
            if nxt in _NOT_NEGATING_NEXT:
                continue
            # "X is not a concern", "X isn't needed", "X is irrelevant" - but not "X, not Y, ..."
            prev = after[k - 1] if k > 0 else ""
            if w != "not" or prev in _AUX:
                return True
    return False


@dataclass(frozen=True)
class Hit:
    """A phrase found in a text: the phrase, its sentence and offset, and whether it was negated."""

    phrase: str
    sentence: str
    start: int  # char offset of the sentence in the text
    negated: bool


@dataclass(frozen=True)
class PhraseIndex:
    """Groups of matcher phrases (e.g. one group per rubric item), indexed by first token."""

    groups: tuple[tuple[Phrase, ...], ...]
    by_first: dict[str, tuple[tuple[int, int], ...]]  # first token -> (group, position in group)
    firsts: frozenset[str]


@lru_cache(maxsize=512)
def phrase_index(groups: tuple[tuple[str, ...], ...]) -> PhraseIndex:
    """The compiled, indexed form of ``groups`` (cached: a scenario's rubric is indexed once)."""
    compiled = tuple(tuple(compile_phrase(p) for p in group) for group in groups)
    by_first: dict[str, list[tuple[int, int]]] = {}
    for g, group in enumerate(compiled):
        for k, ph in enumerate(group):
            if ph.parts:
                by_first.setdefault(ph.parts[0][0], []).append((g, k))
    return PhraseIndex(compiled, {t: tuple(v) for t, v in by_first.items()}, frozenset(by_first))


def match_groups(
    groups: tuple[tuple[str, ...], ...], sentences: list[Sentence]
) -> list[tuple[Hit | None, Hit | None]]:
    """``match_phrases`` for every group of phrases at once.

    Only the (sentence, phrase) pairs whose first token occurs in the sentence are tried, in the
    order ``match_phrases`` would try them (sentence by sentence, phrases in their listed order).
    """
    index = phrase_index(groups)
    candidates: dict[int, list[tuple[int, int]]] = {}
    for si, s in enumerate(sentences):
        for tok in (s.vocab | placeholder_vocab(s.toks)) & index.firsts:
            for g, k in index.by_first[tok]:
                candidates.setdefault(g, []).append((si, k))
    out: list[tuple[Hit | None, Hit | None]] = []
    for g, group in enumerate(index.groups):
        pairs = candidates.get(g)
        hit: Hit | None = None
        negated_hit: Hit | None = None
        if pairs:
            pairs.sort()
            for si, k in pairs:
                s, ph = sentences[si], group[k]
                span = find(ph, s.toks)
                if span is None:
                    continue
                neg = is_negated(s.raw, s.pos[span[0]], s.pos[span[1] - 1] + 1)
                found = Hit(ph.text, s.text, s.start, neg)
                if not neg:
                    hit = found
                    break
                if negated_hit is None:
                    negated_hit = found
        out.append((hit, negated_hit))
    return out


def match_phrases(phrases: list[str], sentences: list[Sentence]) -> tuple[Hit | None, Hit | None]:
    """First affirmative hit and first negated hit of any of ``phrases`` over ``sentences``."""
    return match_groups((tuple(phrases),), sentences)[0]


def find_all(phrase: Phrase, toks: tuple[str, ...]) -> list[tuple[int, int]]:
    """Every non-overlapping (start, end) token span where ``phrase`` matches in ``toks``."""
    spans: list[tuple[int, int]] = []
    offset = 0
    while offset < len(toks):
        span = find(phrase, toks[offset:])
        if span is None:
            break
        spans.append((span[0] + offset, span[1] + offset))
        offset += span[1]
    return spans


def group_spans(
    groups: tuple[tuple[str, ...], ...], sentences: list[Sentence]
) -> dict[tuple[int, int], list[tuple[str, int, int]]]:
    """Every match of every group's phrases: {(group, sentence): [(phrase, raw start, raw end)]}.

    Spans are in ``Sentence.raw`` indices (the words negation and dismissal look at). Only the
    phrases whose first token occurs in a sentence are tried.
    """
    index = phrase_index(groups)
    out: dict[tuple[int, int], list[tuple[str, int, int]]] = {}
    for si, s in enumerate(sentences):
        for tok in (s.vocab | placeholder_vocab(s.toks)) & index.firsts:
            for g, k in index.by_first[tok]:
                ph = index.groups[g][k]
                for a, b in find_all(ph, s.toks):
                    out.setdefault((g, si), []).append((ph.text, s.pos[a], s.pos[b - 1] + 1))
    for spans in out.values():
        spans.sort(key=lambda x: x[1])
    return out
