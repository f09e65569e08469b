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
from dataclasses import dataclass, replace
from functools import lru_cache

from ..textmatch import _TOKEN, Sentence, normalise, stem

# -- word classes ---------------------------------------------------------------------------------
_PRONOUN_SUBJECTS = frozenset({"i", "we", "you", "they", "he", "she", "it", "this", "that", "one"})
_FIRST_PERSON = frozenset({"i", "we"})
_CONTRACTING = frozenset(
    {
        "i",
        "we",
        "you",
        "they",
        "it",
        "that",
        "there",
        "he",
        "she",
        "what",
        "who",
        "let",
        "here",
        "this",
    }
)
_AUX = frozenset(
    {
        "is", "are", "was", "were", "be", "been", "being", "am", "will", "would", "shall",
        "should", "can", "could", "may", "might", "must", "do", "does", "did", "has", "have",
        "had", "d", "ll", "ve", "re", "m", "s",
    }
)  # fmt: skip
_MODALS = frozenset(
    {"will", "would", "shall", "should", "can", "could", "may", "might", "must", "d", "ll"}
)
_ADVERBS = frozenset(
    {
        "also", "then", "just", "probably", "first", "only", "still", "always", "never", "really",
        "definitely", "likely", "initially", "simply", "actually", "instead", "rather", "now",
        "immediately", "mostly", "usually", "certainly", "clearly", "strongly", "personally",
        "happily", "absolutely", "honestly", "already", "eventually", "later", "even", "basically",
    }
)  # fmt: skip
_DETERMINERS = frozenset(
    {
        "the", "a", "an", "every", "each", "all", "some", "any", "our", "their", "its", "this",
        "that", "these", "those", "no", "both", "it", "them", "us", "one", "two", "three", "more",
        "less", "fewer", "most", "only", "up", "down", "out", "off", "back", "away", "through",
    }
)  # fmt: skip

# Verbs that only *name* a concern ("we should think about calibration"): they are not decisions.
_VAGUE_VERBS = frozenset(
    {
        "think", "consider", "mention", "remember", "note", "notice", "keep in mind", "look",
        "care", "worry", "matter", "discuss", "talk", "cover", "address", "handle", "deal",
        "account", "factor", "watch", "be", "have", "need", "want", "mind", "know", "understand",
        "flag", "raise", "acknowledge", "recognise", "recognize", "focus", "explore", "investigate",
        "study", "analyse", "analyze", "evaluate", "assess", "see", "say", "guess",
        "believe", "feel", "hope", "expect", "like", "love", "get", "go", "come", "try", "plan",
        "bear", "pay", "touch", "cite", "list", "name", "highlight", "emphasise", "emphasize",
        "stress", "underline", "point", "add", "include", "also", "probably", "definitely",
    }
)  # fmt: skip

# Base forms of verbs that carry a design decision ("we route", "I'd cap", "keep 2% ...").
_DECISION_VERB_BASES = ["accept", "adjust", "aggregate", "alert", "allocate", "allow", "anonymise", "anonymize", "appeal", "append", "apply", "approve", "normalise", "normalize", "canonicalise", "canonicalize", "deduplicate", "hedge", "reconcile", "override", "cross-check", "check", "inspect", "enrol", "enroll", "reweigh", "recheck", "re-rank", "rerank", "archive", "assign", "attach", "audit", "automate", "backfill", "backtest", "balance", "ban", "batch", "begin", "benchmark", "block", "bound", "bucket", "budget", "buffer", "build", "buy", "cache", "calibrate", "call", "cancel", "cap", "capture", "challenge", "charge", "choose", "clip", "cluster", "collect", "combine", "compare", "compute", "contest", "copy", "correct", "count", "cut", "debias", "decay", "decide", "decline", "dedupe", "default", "defer", "degrade", "delay", "delete", "demote", "deny", "deploy", "derive", "detect", "disable", "disclose", "discount", "distil", "distill", "divide", "document", "double", "downsample", "downweight", "drop", "embed", "enable", "encrypt", "enforce", "ensure", "erase", "escalate", "estimate", "exclude", "expire", "explain", "export", "expose", "fail", "fall", "file", "fill", "filter", "fine-tune", "fix", "fold", "freeze", "gate", "generate", "give", "grant", "group", "guard", "halve", "hash", "hire", "hold", "host", "impose", "index", "inform", "ingest", "inject", "insist", "interleave", "isolate", "join", "keep", "kill", "label", "launch", "learn", "let", "limit", "load", "lock", "log", "lower", "maintain", "mask", "match", "measure", "merge", "migrate", "minimise", "minimize", "mirror", "mitigate", "monitor", "move", "multiply", "notify", "offer", "offload", "open", "optimise", "optimize", "order", "outsource", "own", "page", "partition", "pass", "pause", "penalise", "penalize", "pick", "pin", "pilot", "precompute", "prefer", "prefilter", "price", "prioritise", "prioritize", "promote", "protect", "provide", "prune", "publish", "pull", "purge", "push", "quantise", "quantize", "queue", "quarantine", "raise", "randomise", "randomize", "rank", "rate-limit", "rebuild", "recalibrate", "recompute", "record", "redact", "reduce", "refit", "refresh", "refuse", "regenerate", "reject", "release", "remove", "rent", "replace", "replay", "report", "request", "require", "reroute", "reserve", "reset", "resize", "restrict", "retain", "retrain", "retrieve", "return", "reuse", "review", "reweight", "roll", "rotate", "route", "run", "sample", "scale", "schedule", "score", "screen", "segment", "select", "sell", "send", "serve", "set", "shadow", "shard", "share", "ship", "shorten", "show", "shrink", "simulate", "size", "skip", "slice", "snapshot", "sort", "split", "spread", "staff", "stage", "start", "step", "stop", "store", "stratify", "stream", "submit", "subsample", "suppress", "switch", "tag", "take", "target", "tell", "test", "throttle", "tie", "tier", "tighten", "time", "tokenise", "tokenize", "track", "train", "transfer", "translate", "treat", "trigger", "trim", "truncate", "tune", "turn", "unblock", "update", "upgrade", "upweight", "use", "validate", "verify", "version", "wait", "warm", "weigh", "weight", "whitelist", "withhold", "write"]
_IRREGULAR = {
    "build": ("built",), "buy": ("bought",), "choose": ("chose", "chosen"), "cut": ("cut",),
    "fall": ("fell", "fallen"), "give": ("gave", "given"), "hold": ("held",), "keep": ("kept",),
    "let": ("let",), "run": ("ran",), "sell": ("sold",), "send": ("sent",), "set": ("set",),
    "shrink": ("shrank", "shrunk"), "spread": ("spread",), "take": ("took", "taken"),
    "tell": ("told",), "write": ("wrote", "written"), "learn": ("learnt",), "split": ("split",),
    "pay": ("paid",), "show": ("shown",),
}  # fmt: skip


def _inflections(base: str) -> set[str]:
    forms = {base}
    if base.endswith("e"):
        forms |= {base + "s", base + "d", base[:-1] + "ing"}
    elif base.endswith("y") and base[-2:-1] not in set("aeiou"):
        forms |= {base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    elif base.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {base + "es", base + "ed", base + "ing"}
    else:
        forms |= {base + "s", base + "ed", base + "ing"}
        if (
            len(base) >= 3
            and base[-1] not in "aeiouwxy"
            and base[-2] in "aeiou"
            and base[-3] not in "aeiou"
        ):
            forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}  # cap -> capped
    forms |= set(_IRREGULAR.get(base, ()))
    return {f.replace("-", " ") for f in forms}


DECISION_VERBS: frozenset[str] = frozenset(
    f for base in _DECISION_VERB_BASES for f in _inflections(base) if " " not in f
)

# Verbs that also make a sentence a statement (and are not decisions by themselves).
_STATE_VERBS = frozenset(
    {
        "means", "mean", "meant", "costs", "cost", "arrive", "arrives", "arrived", "takes",
        "took", "makes", "made", "gets", "got", "goes", "went", "comes", "came", "becomes",
        "became", "breaks", "broke", "fails", "failed", "leaks", "leaked", "shows", "showed",
        "loses", "lost", "pays", "paid", "rises", "rose", "grows", "grew", "doubles", "exceeds",
        "crosses", "beats", "wins", "needs", "needed", "matters", "mattered", "depends",
        "happens", "happened", "lands", "landed", "stays", "stayed", "drives", "drove", "hurts",
        "helps", "works", "worked", "fits", "fit", "dominates", "dominate", "outweighs", "saves",
        "saved", "adds", "added", "gives", "gave", "tells", "told", "learns", "sees", "saw",
        "knows", "knew", "says", "said", "looks", "seems", "seem", "sounds", "feels", "lets",
        "keeps", "leads", "led", "causes", "caused", "results", "forces", "forced", "requires",
        "required", "allows", "prevents", "rules", "ruled", "dies", "die", "drifts", "drifted",
        "shifts", "shifted", "moves", "moved", "changes", "changed", "falls", "fell", "drops",
        "dropped", "ends", "ended", "starts", "started", "runs", "ran", "sits", "sat", "hits",
        "misses", "missed", "catches", "caught", "blocks", "blocked", "buys", "bought",
        "exists", "exist", "include", "includes", "included", "contains", "contain", "holds",
        "remains", "remain", "tends", "tend", "trickle", "trickles", "show", "appear", "appears",
        "count", "counts", "applies", "apply", "owns", "own", "wants", "want", "has", "have",
        "had", "get", "go", "come", "take", "make", "lose", "pay", "rise", "grow", "break",
        "fail", "leak", "stay", "drift", "land", "hurt", "help", "work", "beat",
        "win", "cross", "exceed", "outweigh", "save", "add", "give", "tell", "see", "know",
        "say", "let", "keep", "lead", "cause", "result", "force", "require", "allow", "prevent",
        "rule", "shift", "move", "change", "fall", "drop", "end", "start", "run", "sit", "hit",
        "miss", "catch", "block", "buy", "hold", "pile", "piles", "piled", "spike", "spikes",
        "climb", "climbs", "creep", "creeps", "flip", "flips", "poison", "poisons", "skew",
        "skews", "bias", "biases", "inflate", "inflates", "deflate", "overfit", "overfits",
        "underestimate", "overestimate", "underpredict", "overpredict", "decays", "decay",
    }
)  # fmt: skip

# Words spelled like verbs that are mostly nouns in this domain: verbs only in a verb position.
_HOMOGRAPHS = frozenset(
    {
        "review", "reviews", "log", "logs", "cost", "costs", "block", "blocks", "test", "tests",
        "label", "labels", "score", "scores", "rank", "ranks", "cap", "caps", "risk", "risks",
        "drift", "drifts", "alert", "alerts", "page", "pages", "stream", "streams", "cache",
        "batch", "match", "matches", "flag", "flags", "hash", "queue", "gate", "plan", "budget",
        "staff", "price", "target", "index", "filter", "filters", "sample", "samples", "hold",
        "change", "changes", "shift", "shifts", "drop", "drops", "spike", "spikes", "appeal",
        "appeals", "report", "reports", "release", "rate", "record", "records", "version",
        "order", "orders", "bucket", "group", "segment", "segments", "slice", "split", "tier",
        "tiers", "set", "sets", "use", "uses", "run", "runs", "start", "end", "step", "steps",
        "return", "returns", "request", "requests", "limit", "limits", "guard", "fix", "cut",
        "cuts", "call", "calls", "share", "shares", "weight", "weights", "time", "turn", "bias", "biases", "model", "models", "decay", "control", "controls", "lock",
        "treat", "trigger", "triggers", "update", "updates", "upgrade", "pass", "show", "shows",
        "count", "counts", "rule", "rules", "work", "works", "point", "points", "help", "win",
        "wins", "loss", "fit", "fits", "challenge", "challenges", "pilot", "charge", "charges",
        "default", "defaults", "transfer", "mask", "offer", "offers", "move", "moves", "measure",
        "measures", "track", "tracks", "mirror", "snapshot", "monitor", "monitors", "pin", "tag",
        "tags", "audit", "audits", "host", "file", "files", "fall", "pause", "buffer", "crawl",
        "shadow", "reject", "stage", "screen", "schedule", "export", "import", "partition",
        "launch", "switch", "mix", "round", "backfill", "replay", "refresh", "train",
        "embed", "quarantine", "whitelist", "freeze", "ban", "boost", "demote", "promote",
        "build", "buy", "sell", "design", "process", "output", "input", "feed", "lead", "head",
    }
)  # fmt: skip

_AFTER_PARTICIPLE = frozenset(
    {
        "to", "by", "at", "for", "on", "in", "after", "before", "until", "within", "under", "over",
        "above", "below", "from", "into", "with", "as", "and", "the", "a", "our", "their", "it",
        "them", "up", "out", "off", "down", "back", "late", "early", "away", "per", "weekly",
        "daily", "nightly", "monthly", "only", "first", "again", "once", "so", "because", "or",
    }
)  # fmt: skip
# Past participles that describe rather than decide ("labels delayed by weeks").
_NOT_PASSIVE_DECISIONS = frozenset({"delayed", "based", "related", "needed", "used", "given"})

_NUMBER_WORDS = frozenset(
    {
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "hundred",
        "hundreds", "thousand", "thousands", "million", "millions", "billion", "billions",
        "dozen", "dozens", "twice", "double", "half", "triple", "tenfold", "quarter", "third",
    }
)  # fmt: skip
# A number right after these is an identifier, not a quantity ("Article 22", "option 2").
_ID_WORDS = frozenset(
    {
        "article", "art", "section", "sec", "option", "phase", "step", "tier", "level", "version",
        "v", "stage", "chapter", "rule", "regulation", "reg", "act", "number", "no", "question",
        "q", "item", "point", "part", "title", "annex", "recital", "paragraph", "para", "gen",
        "web", "iso", "sr", "pci", "dss", "line", "model", "round", "type",
    }
)  # fmt: skip
_UNIT_WORDS = frozenset(
    {
        "ms", "qps", "x", "k", "m", "bn", "b", "gb", "tb", "pb", "mb", "%", "percent", "days",
        "day", "weeks", "week", "months", "month", "hours", "hour", "minutes", "minute", "seconds",
        "second", "years", "year", "usd", "eur", "dollars", "cents", "points", "pp", "bps",
        "engineers", "people", "analysts", "reviewers", "cases", "fte", "gpus", "gpu", "nodes",
        "instances", "replicas", "per", "a",
    }
)  # fmt: skip

# -- cues -----------------------------------------------------------------------------------------
_CONSEQUENCE_WORDS = frozenset(
    {
        "because", "therefore", "thus", "hence", "consequently", "otherwise", "means", "meaning",
        "mean", "so", "since", "given", "unless", "lest", "whereas", "causes", "cause",
        "leads", "lead", "results", "forces", "drives", "implies", "implying", "then", "if",
        "payback", "pays",
    }
)  # fmt: skip
_CONSEQUENCE_PHRASES = (
    ("which", "means"), ("that", "means"), ("this", "means"), ("as", "a", "result"),
    ("in", "turn"), ("due", "to"), ("thanks", "to"), ("in", "order", "to"), ("which", "is", "why"),
    ("that", "is", "why"), ("so", "that"), ("because", "of"), ("to", "avoid"), ("to", "prevent"),
    ("to", "stop"), ("to", "keep"), ("to", "catch"), ("to", "protect"), ("to", "cut"),
    ("to", "reduce"), ("to", "ensure"), ("to", "make", "sure"), ("to", "limit"), ("to", "bound"),
    ("or", "we"), ("or", "the"), ("or", "else"), ("at", "the", "cost", "of"), ("in", "exchange"),
    ("cheaper", "than"), ("costlier", "than"), ("more", "expensive", "than"), ("costs", "more"),
    ("costs", "us", "more"), ("costs", "far", "more"), ("costs", "us", "far"), ("far", "more", "than"),
    ("outweighs",), ("outweigh",), ("pays", "for", "itself"), ("pay", "for", "itself"),
    ("at", "the", "expense", "of"), ("trade", "off"), ("the", "price", "is"), ("break", "even"),
)  # fmt: skip
_NOT_CONSEQUENCE_AFTER = {
    # "and so does GDPR" is "also"; "so far", "so on", "so-called" are no consequence
    "so": frozenset(
        {
            "far", "called", "on", "much", "many", "long", "forth", "to", "sure", "does", "do",
            "did", "is", "are", "was", "were", "has", "have", "can", "will", "would", "too",
        }
    ),  # fmt: skip
    "since": frozenset({"launch", "then", "last", "the", "2019", "2020", "2021", "2022", "2023"}),
    "then": frozenset({"monitoring", "a", "the", "we", "i", "rollout"}),
    "given": frozenset({"the", "a", "an", "to", "up", "by"}),
}
_CONSTRAINT_WORDS = frozenset(
    {
        "without", "limited", "bottleneck", "binding", "fits", "fit", "within", "afford",
        "mandated", "mandatory", "legally", "forbids",
        "forbidden", "prohibits", "prohibited", "nobody", "cannot", "bound", "bounded",
        "caps", "capped", "ceiling", "deadline", "constraint", "constraints", "constrained",
        "only", "must",
    }
)  # fmt: skip
_CONSTRAINT_PHRASES = (
    ("can", "not"), ("at", "most"), ("at", "least"), ("rules", "out"), ("rule", "out"),
    ("ruled", "out"), ("too", "expensive"), ("too", "slow"), ("too", "big"), ("too", "small"),
    ("too", "few"), ("too", "many"), ("too", "much"), ("not", "enough"), ("no", "gpu"),
    ("no", "streaming"), ("no", "one"), ("no", "budget"), ("by", "law"), ("under", "law"),
    ("is", "not", "allowed"), ("are", "not", "allowed"), ("not", "allowed"), ("have", "no"),
    ("has", "no"), ("there", "is", "no"), ("we", "lack"), ("lacks",), ("lack",),
    ("small", "team"), ("tiny", "team"), ("lean", "team"), ("few", "engineers"), ("our", "team", "of"),
    ("required", "by"), ("requires", "us"), ("require", "us"), ("requires", "a"), ("requires", "that"),
)  # fmt: skip
# Words of running prose that noun-phrase notes rarely have.
_GLUE = frozenset(
    {
        "a", "an", "the", "to", "that", "which", "who", "it", "its", "their", "our", "we", "they",
        "this", "these", "because", "since", "so", "if", "when", "while", "as",
    }
)  # fmt: skip

_CONTINUATION_OPENERS = frozenset(
    {
        "this", "that", "these", "those", "it", "its", "so", "which", "otherwise", "then",
        "hence", "therefore", "thus", "because", "consequently", "they", "such", "there",
        "here", "and", "but", "else", "if", "without", "with",
    }
)  # fmt: skip

# -- dismissals -----------------------------------------------------------------------------------
# A negated need or worry: "we don't need to worry about ...", "I wouldn't bother with ...".
_CONCERN_VERBS = frozenset(
    {
        "worry", "worrying", "bother", "bothering", "care", "caring", "think", "thinking",
        "consider", "considering", "focus", "focusing", "spend", "spending", "fuss", "stress",
        "obsess", "sweat", "dwell", "waste", "overthink",
    }
)  # fmt: skip
_NEED_VERBS = frozenset(
    {
        "need", "needs", "require", "requires", "want", "build", "add", "include", "implement",
        "estimate", "invest", "plan", "budget", "bother", "worry", "care", "think", "consider",
        "focus", "spend", "handle", "deal", "fuss", "stress", "sweat", "dwell", "obsess",
    }
)  # fmt: skip
_NEGATORS = frozenset({"not", "never", "no", "neither", "nor"})
# "we won't do a parallel run", "we won't keep a chronological feed": a decision not to do it
_OWN_ACTIONS = frozenset(
    {
        "do", "keep", "run", "use", "ship", "log", "store", "track", "measure", "monitor", "sit",
        "wait", "go",
        "calibrate", "review", "hire", "buy", "bother", "offer", "provide", "support", "maintain",
        "retrain", "test", "audit", "hold", "publish", "notify", "explain", "staff",
    }
)  # fmt: skip
_SKIP_VERBS = frozenset(
    {
        "skip", "skipping", "ignore", "ignoring", "ignored", "disregard", "disregarding",
        "forget", "forgetting", "punt", "punting", "defer", "deferring", "postpone", "postponing",
        "deprioritize", "deprioritise", "shelve", "omit", "omitting", "sidestep",
        "overlook", "neglect", "waive",
    }
)  # fmt: skip
# Verbs after which "without X" means going ahead with X left out.
_WITHOUT_VERBS = frozenset(
    {
        "ship", "launch", "go", "live", "start", "build", "run", "do", "proceed", "manage",
        "survive", "fine", "ok", "okay", "deploy", "release", "move", "begin", "operate", "get",
        "away", "happily", "just", "well",
    }
)  # fmt: skip
# Predicates that wave away their subject: "X and Y are moot", "X is out of scope".
_DISMISSIVE_TAILS = (
    ("moot",), ("irrelevant",), ("unnecessary",), ("overkill",), ("optional",), ("premature",),
    ("negligible",), ("noise",), ("academic",), ("theoretical",), ("pointless",), ("useless",),
    ("out", "of", "scope"), ("outside", "scope"), ("beyond", "scope"), ("outside", "our", "scope"),
    ("not", "in", "scope"), ("a", "waste"), ("waste", "of", "time"), ("a", "distraction"),
    ("nice", "to", "have"), ("a", "non", "issue"), ("non", "issue"), ("over", "engineering"),
    ("overengineering",), ("someone", "else"), ("somebody", "else"), ("another", "team"),
    ("other", "team"), ("not", "our"), ("not", "my"), ("for", "later"), ("a", "later", "problem"),
    ("a", "v2"), ("v2",), ("phase", "2"), ("fine", "to", "skip"), ("safe", "to", "ignore"),
    ("not", "a", "concern"), ("not", "an", "issue"), ("not", "a", "problem"), ("not", "a", "priority"),
    ("not", "important"), ("not", "relevant"), ("not", "needed"), ("not", "necessary"),
    ("not", "required"), ("not", "worth"), ("not", "applicable"), ("not", "a", "big", "deal"),
    ("not", "something", "we"), ("not", "something", "to", "worry"), ("not", "really", "a"), ("not", "an", "concern"), ("never", "needed"),
    ("not", "a", "real"), ("no", "concern"), ("no", "issue"), ("no", "problem"), ("not", "that", "important"),
    ("not", "significant"), ("not", "critical"), ("not", "urgent"), ("not", "our", "job"),
    ("handled", "later"), ("handled", "by", "legal"),
    ("can", "wait"), ("can", "be", "ignored"), ("can", "be", "skipped"), ("can", "be", "deferred"),
    ("can", "be", "dropped"), ("can", "be", "handled", "later"),
    ("do", "not", "matter"), ("does", "not", "matter"),
    ("did", "not", "matter"), ("will", "not", "matter"), ("would", "not", "matter"),
    ("does", "not", "apply"), ("do", "not", "apply"), ("does", "not", "count"),
    ("is", "not", "needed"), ("are", "not", "needed"), ("not", "needed"), ("unneeded",),
    ("needless",), ("not", "worth", "it"),
    ("is", "fine", "to", "skip"), ("matter", "little"), ("matters", "little"),
    ("can", "be", "ignore"), ("be", "ignored"), ("be", "skipped"), ("be", "deferred"),
    ("not", "needed", "here"), ("not", "necessary", "here"), ("overblown",), ("overstated",),
    ("exaggerated",), ("unfounded",), ("misplaced",), ("a", "myth"), ("overhead",), ("formality",),
    ("a", "formality"), ("box", "ticking"), ("paperwork",), ("bureaucracy",), ("red", "tape"),
    ("not", "an", "engineering"), ("not", "a", "technical"), ("not", "a", "design"),
    ("not", "a", "modelling"), ("not", "a", "modeling"), ("not", "an", "ml"), ("dated",),
    ("outdated",), ("old", "fashioned"), ("go", "away"), ("goes", "away"), ("can", "go"),
    ("not", "constrain"), ("not", "change", "the", "design"), ("not", "affect", "the", "design"),
    ("not", "change", "anything"), ("not", "affect", "anything"), ("not", "change", "what"),
    ("not", "affect", "what"), ("not", "constrain", "what"), ("not", "our", "concern"),
    ("does", "not", "constrain"), ("do", "not", "constrain"), ("does", "not", "change", "what"),
    ("does", "not", "affect"), ("a", "non", "starter"), ("not", "affect", "our"), ("not", "affect", "us"),
    ("not", "affect", "much"), ("not", "change", "our"), ("not", "change", "much"), ("not", "impact", "our"),
    ("not", "impact", "us"), ("not", "change", "us"), ("not", "worth", "the"), ("a", "luxury"),
    ("a", "nice", "extra"), ("an", "afterthought"), ("an", "edge", "case"), ("a", "corner", "case"),
    ("not", "a", "real", "risk"), ("not", "a", "real", "problem"), ("not", "a", "blocker"),
    ("handled", "for", "us"), ("taken", "care", "of"), ("already", "solved"), ("a", "solved", "problem"),
    ("a", "distraction"), ("busywork",), ("busy", "work"), ("gold", "plating"), ("a", "rabbit", "hole"),
    ("redundant",), ("obsolete",), ("legacy",), ("already", "solved"), ("a", "given"),
    ("a", "detail"), ("details",), ("an", "implementation", "detail"),
    ("things", "to", "revisit"), ("something", "to", "revisit"), ("to", "revisit", "after"),
    ("for", "v2"), ("a", "v2", "thing"), ("for", "someone", "else"), ("can", "be", "handled", "by"),
    ("will", "be", "handled", "by"), ("handled", "by", "legal"), ("handled", "by", "compliance"),
    ("handled", "by", "security"),
    ("not", "real"), ("nicety",), ("a", "nicety"), ("an", "academic"), ("not", "move", "the", "needle"),
    ("too", "slow", "to", "bother"), ("too", "noisy"), ("not", "worth", "bothering"),
    ("not", "an", "option"),
)  # fmt: skip
# Words that wave a concern away wherever they sit in a clause ("X is overhead we don't need",
# "the worry about X is overblown"): a clause that holds one credits nothing.
_WAVE_WORDS = frozenset(
    {
        "moot", "overkill", "irrelevant", "unnecessary", "pointless", "overblown", "overstated",
        "exaggerated", "overhead", "formality", "paperwork", "bureaucracy", "busywork", "useless",
        "premature", "negligible", "unneeded", "needless", "overengineering", "overengineered",
        "nonissue", "distraction", "luxury", "afterthought", "deprioritize", "deprioritise",
        "unimportant", "redundant", "obsolete", "nicety",
    }
)  # fmt: skip
_WAVE_PHRASES = (
    ("out", "of", "scope"), ("nice", "to", "have"), ("nice", "to", "haves"), ("non", "issue"),
    ("non", "issues"), ("waste", "of"), ("someone", "else"), ("somebody", "else"),
    ("not", "worth"), ("no", "need"), ("no", "point"), ("not", "a", "concern"),
    ("not", "an", "issue"), ("not", "a", "problem"), ("not", "needed"), ("not", "necessary"),
    ("not", "matter"), ("not", "relevant"), ("not", "important"), ("over", "engineering"),
    ("for", "later"), ("not", "bother"), ("not", "worry"), ("not", "care"), ("not", "constrain"),
    ("go", "away"), ("goes", "away"), ("a", "myth"), ("box", "ticking"), ("red", "tape"),
    ("legal", "formality"), ("not", "our", "problem"), ("not", "my", "problem"), ("to", "bother"),
    ("not", "move", "the", "needle"), ("nicety",), ("redundant",), ("obsolete",),
    # a practice run down rather than reasoned about: "a shadow period only delays the savings"
    ("only", "delays"), ("just", "delays"), ("just", "slows"),
    ("throw", "away"), ("throws", "away"), ("just", "adds"),
    ("gets", "in", "the", "way"), ("get", "in", "the", "way"), ("holds", "us", "back"),
    ("slows", "us", "down"), ("sort", "out", "later"), ("figure", "out", "later"),
    ("deal", "with", "later"), ("worry", "about", "later"), ("details", "to"),
    ("things", "to", "revisit"), ("to", "revisit", "after"), ("team", "later"),
    ("handled", "later"), ("for", "v2"), ("just", "wastes"), ("wastes",),
    ("not", "something", "i"), ("not", "something", "we"), ("not", "have", "time"),
    ("no", "time", "for"), ("can", "sort", "out"), ("can", "figure", "out"), ("will", "sort", "out"),
    ("sort", "it", "out"), ("sort", "that", "out"), ("in", "load", "testing"),
    ("to", "revisit", "later"), ("revisit", "after", "v1"),
)  # fmt: skip
# "X is a finance question", "X is legal's call": handed to someone else, not reasoned about
_DEFLECTION_OWNERS = (
    "finance", "legal", "business", "product", "compliance", "policy", "ops", "operations",
    "management", "leadership", "hr", "procurement", "security", "privacy", "lawyers", "counsel",
    "accounting", "marketing", "sales", "platform", "infra", "infrastructure", "sre",
)  # fmt: skip
_DEFLECTION_NOUNS = ("question", "call", "job", "decision", "responsibility", "department")
_DISMISSIVE_TAILS = (
    _DISMISSIVE_TAILS
    + tuple(
        (art, owner, noun)
        for art in ("a", "an", "for")
        for owner in _DEFLECTION_OWNERS
        for noun in _DEFLECTION_NOUNS
    )
    + tuple(("for", owner, "to") for owner in _DEFLECTION_OWNERS + ("someone", "somebody", "them"))
    + tuple(
        (owner, noun) for owner in _DEFLECTION_OWNERS for noun in ("job", "call", "responsibility")
    )
)
# "the letters are compliance's problem": the possessive is dropped by normalisation, so the owner
# directly before "problem" counts, but not after an article ("a compliance problem" is an issue)
_POSSESSIVE_DEFLECTIONS = tuple(
    (owner, noun)
    for owner in _DEFLECTION_OWNERS + ("someone", "somebody", "vendor", "their", "his", "her")
    for noun in ("problem", "concern", "issue", "headache", "worry")
)
_DISMISSIVE_TAILS = _DISMISSIVE_TAILS + _POSSESSIVE_DEFLECTIONS
_DEFLECT_VERBS = frozenset(
    {"leave", "leaving", "punt", "punting", "delegate", "defer", "deferring", "hand", "handing"}
)
_DEFLECT_TO = frozenset(_DEFLECTION_OWNERS) | {
    "someone",
    "somebody",
    "another",
    "other",
    "them",
    "whoever",
}
_VALUE_WORDS = frozenset(
    {"value", "point", "need", "reason", "benefit", "use", "case", "sense", "why"}
)
# "Neither the capacity nor the wellbeing is our problem": a positive predicate, negated up front
_POSITIVE_TAILS = (
    ("our", "problem"), ("a", "concern"), ("needed",), ("necessary",), ("important",),
    ("relevant",), ("worth",), ("a", "priority"), ("an", "issue"), ("a", "problem"), ("required",),
    ("our", "concern"), ("our", "job"),
)  # fmt: skip
# "Reject inference is the same story": a dismissal carried over from the sentence before
ECHOES = (
    ("the", "same", "story"),
    ("same", "goes", "for"),
    ("same", "for"),
    ("same", "with"),
    ("likewise",),
    ("ditto",),
)
_DISMISSIVE_STARTS = frozenset(t[0] for t in _DISMISSIVE_TAILS)
# Tails that carry their own verb ("does not matter", "can wait", "not worth it") and so are a
# predicate wherever they stand; the others need a copula or the start of a segment.
_VERBAL_TAIL_STARTS = frozenset(
    {
        "do",
        "does",
        "did",
        "will",
        "would",
        "can",
        "not",
        "never",
        "matter",
        "matters",
        "come",
        "comes",
        "go",
        "goes",
        "handled",
        "taken",
    }
)
# Words that end a clause: a dismissal never reaches past them.
_CLAUSE_BREAKS = frozenset(
    {
        "because", "but", "while", "although", "though", "whereas", "since", "however",
        "unless", "yet", "so", "otherwise", "instead", "which", "except", "rather",
    }
)  # fmt: skip
# Inside a conditional ("if we don't keep a hold-out, ..."), a negation is reasoning, not a dismissal.
_CONDITIONALS = frozenset({"if", "unless", "without", "when", "once", "until", "whether"})
_NEGATED_SKIP = frozenset({"not", "never", "can", "must", "should"})


@dataclass(frozen=True)
class Scope:
    """A dismissed stretch of a sentence: ``raw`` indices ``start <= i < end``."""

    start: int
    end: int
    kind: str  # "concern": a worry waved away; "need": a component or practice declared unneeded;
    # "predicate": a subject called moot / out of scope; "skip": a decision to leave it out


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
    waved: tuple[tuple[int, int], ...] = ()  # see ``waved_regions``

    def cues_outside(
        self, start: int, end: int, raw: tuple[str, ...] = (), own: frozenset[str] = frozenset()
    ) -> tuple[str, ...]:
        """The cues that are not words of the matched phrase itself ("monotonic constraints" is
        a name, not a constraint). ``own`` holds the phrase's stems; without it, every cue inside
        the span ``start:end`` is left out. Words in a phrase's gap ("no gpus ... api") count."""
        return tuple(
            sorted(
                {
                    kind
                    for kind, k in self.cue_at
                    if not start <= k < end or (own and stem(raw[k]) not in own)
                }
            )
        )

    def dismisses(self, start: int, end: int) -> Scope | None:
        """The scope that covers the raw span ``start:end``, if any."""
        for scope in self.scopes:
            if scope.start <= start and end <= scope.end:
                return scope
        return None


# -- segmentation ---------------------------------------------------------------------------------
_SEGMENT_BREAK = re.compile(
    r"\s*(?:->|=>|\u2192|\u21d2|[,;:()\[\]|\u2022]|\s[-\u2013\u2014]\s|\u2014|\u2013(?=\s)|"
    r"(?<=[a-z]{2})/(?=[a-z]{2})|\s/\s|=)\s*",
    re.IGNORECASE,
)
_ARROW = re.compile(r"->|=>|\u2192|\u21d2")
# "x = y", "$210k >> $25k", "p < 0.08", "A vs B": a note that compares says something
_EQUALS = re.compile(r"(?<![<>!=-])=(?![=>])|>>|<<|\s[<>]\s?\$?\d|\u2248|\u2264|\u2265|\bvs\.?\s")


def _arrow_leads_somewhere(text: str) -> bool:
    """ "FP ~$10 -> threshold 0.08" reasons; "Privacy -> GDPR" only maps a word to a word."""
    after = _ARROW.split(text)[-1]
    words = _TOKEN.findall(normalise(after))
    return len(words) >= 3 or any(c.isdigit() for c in after)


def _segment_tokens(text: str) -> list[tuple[str, list[str]]]:
    """(separator before, normalised tokens) of each punctuation-separated segment."""
    out: list[tuple[str, list[str]]] = []
    pos = 0
    sep = ""
    for m in _SEGMENT_BREAK.finditer(text):
        out.append((sep, _TOKEN.findall(normalise(text[pos : m.start()]))))
        sep = m.group(0).strip() or "-"
        pos = m.end()
    out.append((sep, _TOKEN.findall(normalise(text[pos:]))))
    return out


# -- the analysis ---------------------------------------------------------------------------------
def _is_number(raw: tuple[str, ...], k: int) -> bool:
    w = raw[k]
    prev = raw[k - 1] if k else ""
    if prev in _ID_WORDS:
        return False
    if any(c.isdigit() for c in w):
        if not (w[0].isdigit() or w[0] == "$"):
            return False  # "bm25", "gpt4", "s3": names, not quantities
        if w in (
            "p99",
            "p95",
            "p90",
            "p50",
            "p999",
            "tc40",
            "s3",
            "c6i",
            "m6i",
            "r6i",
            "g4dn",
            "g5",
            "t4",
            "a100",
            "h100",
            "l4",
            "v2",
            "v3",
            "gpt4",
            "x86",
            "3d",
            "2d",
            "b2b",
            "b2c",
            "1p",
            "3p",
            "24",
            "7",
        ):
            return False
        if k == 0 and len(raw) > 1 and w.isdigit() and len(w) == 1 and raw[1] not in _UNIT_WORDS:
            return False  # "1 Rules baseline": an enumerator, not a quantity
        return not (len(w) == 4 and w.isdigit() and w.startswith(("19", "20")) and prev != "$")
    if w in _NUMBER_WORDS:
        nxt = raw[k + 1] if k + 1 < len(raw) else ""
        return nxt not in (
            "tower",
            "stage",
            "party",
            "step",
            "way",
            "fold",
            "sided",
            "pass",
            "phase",
            "tier",
            "hop",
            "sample",
        )
    return False


def _verbish(raw: tuple[str, ...], k: int) -> bool:
    """Does token ``k`` act as a verb (so the sentence states something)?"""
    w = raw[k]
    if w in ("d", "ll", "m", "s", "re", "ve"):
        # pieces of "I'd", "we'll", "it's"; after a figure they are units ("21M", "5s")
        return k > 0 and raw[k - 1] in _CONTRACTING
    if w in _AUX or w in _MODALS:
        return True
    before = k - 1
    while before > 0 and raw[before] in _ADVERBS:
        before -= 1
    prev = raw[before] if k else ""
    nxt = raw[k + 1] if k + 1 < len(raw) else ""
    in_verb_slot = (
        prev in _PRONOUN_SUBJECTS or prev in _MODALS or prev in ("to", "let", "us", "not")
    ) or (k == 0 and (nxt in _DETERMINERS or _is_digitlike(nxt)))
    if w in _HOMOGRAPHS:
        # "an agent contact costs about $5": a homograph before a quantity is the verb
        quantity_next = nxt in (
            "about",
            "around",
            "roughly",
            "us",
            "them",
            "only",
            "less",
            "more",
        ) or (bool(nxt) and (nxt[0].isdigit() or nxt[0] == "$"))
        return in_verb_slot or (quantity_next and prev not in _DETERMINERS and k > 0)
    if w.endswith("ed") and len(w) > 4:
        # "retention tied to the window", "labels arrived late": a verb; "calibrated scores",
        # "cost-based threshold": an adjective before its noun
        return (
            k > 0
            and prev not in _DETERMINERS
            and (not nxt or nxt in _AFTER_PARTICIPLE or _is_digitlike(nxt))
        )
    if w not in DECISION_VERBS and w not in _STATE_VERBS:
        return False
    if w.endswith("ing") and w not in _STATE_VERBS:
        return in_verb_slot  # "streaming", "logging": gerunds unless "we are logging"
    if w.endswith("s") and w not in _STATE_VERBS and not in_verb_slot:
        # "the layer fixes this": a verb; "canary releases," / "escalation triggers": nouns
        return bool(nxt) and (nxt in _DETERMINERS or nxt in _AFTER_PARTICIPLE or _is_digitlike(nxt))
    return True


def _is_digitlike(w: str) -> bool:
    return any(c.isdigit() for c in w) or w in _NUMBER_WORDS


def _decision_at(raw: tuple[str, ...], k: int) -> bool:
    """A first-person (or imperative) decision starting at ``raw[k]``: "we route", "I'd cap"."""
    j = k + 1
    if raw[k] == "let" and j < len(raw) and raw[j] == "us":
        j += 1
    elif raw[k] not in _FIRST_PERSON:
        return False
    # skip modals, "not", adverbs and "need to / have to / want to / plan to / recommend"
    while j < len(raw) and (
        raw[j] in _MODALS or raw[j] in _ADVERBS or raw[j] in ("will", "going", "gonna")
    ):
        j += 1
    if j < len(raw) and raw[j] in ("need", "have", "want", "plan", "intend", "go", "going", "try"):
        if j + 1 < len(raw) and raw[j + 1] == "to":
            j += 2
    if j >= len(raw):
        return False
    verb = raw[j]
    if verb in ("not", "never"):
        return False  # a negated decision is judged as a possible dismissal, not a decision
    if verb in ("recommend", "propose", "suggest", "pick", "choose", "prefer", "would", "ship"):
        return True
    return verb in DECISION_VERBS and verb not in _VAGUE_VERBS


_HEDGES = (
    ("at", "some", "point"), ("maybe",), ("perhaps",), ("might",), ("could",), ("eventually",),
    ("some", "day"), ("someday",), ("at", "some", "stage"), ("down", "the", "line"),
    ("nice", "to", "have"), ("if", "time"), ("later", "on"), ("possibly",), ("potentially",),
    ("worth", "looking"), ("look", "at"), ("look", "into"), ("think", "about"),
)  # fmt: skip


def _hedged(raw: tuple[str, ...], k: int) -> bool:
    """A decision hedged until it commits to nothing: "we could look at X at some point"."""
    window = raw[max(0, k - 2) : k + 8]
    return any(window[i : i + len(h)] == h for h in _HEDGES for i in range(len(window)))


def _passive_decision_at(raw: tuple[str, ...], k: int) -> bool:
    """A decision in the passive or noun style: "retention tied to the window", "band capped at"."""
    w = raw[k]
    if k == 0 or w not in DECISION_VERBS or w in _NOT_PASSIVE_DECISIONS:
        return False
    if not (
        w.endswith(("ed", "en"))
        or w in ("kept", "set", "held", "sent", "built", "cut", "split", "run")
    ):
        return False
    nxt = raw[k + 1] if k + 1 < len(raw) else ""
    return nxt in (
        "to",
        "at",
        "for",
        "by",
        "on",
        "under",
        "within",
        "below",
        "above",
        "into",
        "per",
        "until",
        "after",
        "weekly",
        "daily",
        "nightly",
        "monthly",
        "first",
        "only",
    )


def _phrase_at(raw: tuple[str, ...], k: int, phrase: tuple[str, ...]) -> bool:
    return raw[k : k + len(phrase)] == phrase


@lru_cache(maxsize=16384)
def _analyse(text: str, raw: tuple[str, ...]) -> Statement:
    segs = _segment_tokens(text)
    flat = [t for _, toks in segs for t in toks]
    starts: list[int] = []
    n = 0
    for _, toks in segs:
        starts.append(n)
        n += len(toks)
    if tuple(flat) != raw:  # normalisation reached across a separator: one segment
        segs, starts = [("", list(raw))], [0]
    seps = [sep for sep, _ in segs]
    bounds = [
        (starts[i], starts[i + 1] if i + 1 < len(starts) else len(raw)) for i in range(len(starts))
    ]

    verbs = [_verbish(raw, k) for k in range(len(raw))]
    arrow = bool(_ARROW.search(text))
    cues: list[tuple[str, int]] = []  # (kind, raw index of the cue word)
    question = text.rstrip().endswith("?")  # "what do we log now?" asks; it decides nothing
    if arrow and _arrow_leads_somewhere(text):
        cues.append(("consequence", -1))  # an arrow sits between words: it belongs to no mention
    arrow = arrow or bool(_EQUALS.search(text))  # "x = y" states something, but is no reason
    for k, w in enumerate(raw):
        if (
            w in _CONSEQUENCE_WORDS
            and raw[k + 1 : k + 2]
            and raw[k + 1] in _NOT_CONSEQUENCE_AFTER.get(w, ())
        ):
            continue
        if w in _CONSEQUENCE_WORDS:
            cues.append(("consequence", k))
        elif any(_phrase_at(raw, k, p) for p in _CONSEQUENCE_PHRASES if p[0] == w):
            if raw[k + 2 : k + 4] not in (
                ("in", "mind"),
                ("an", "eye"),
                ("track", "of"),
            ):  # "to keep in mind" names
                cues.append(("consequence", k))
        if w in _CONSTRAINT_WORDS or any(
            _phrase_at(raw, k, p) for p in _CONSTRAINT_PHRASES if p[0] == w
        ):
            cues.append(("constraint", k))
        if _is_number(raw, k):
            cues.append(("number", k))
        if (
            (_decision_at(raw, k) or _passive_decision_at(raw, k))
            and not _hedged(raw, k)
            and not question
        ):
            cues.append(("decision", k))
    # an imperative at the start of a segment: "Keep 2% as a hold-out", "route the band to analysts"
    for lo, hi in bounds:
        if hi - lo >= 2 and raw[lo] in DECISION_VERBS and raw[lo] not in _VAGUE_VERBS:
            nxt_ = raw[lo + 1]
            object_next = nxt_ in _DETERMINERS or _is_digitlike(nxt_) or nxt_ in _ADVERBS
            if nxt_ in _AUX or nxt_ in _MODALS or (hi - lo < 3 and not object_next):
                continue  # "Compute should be cheap", "kill switch": a noun, not an order
            if raw[lo] not in _HOMOGRAPHS or object_next:
                if (
                    not raw[lo].endswith(("ed", "ing"))
                    and raw[lo] not in ("fit", "set")
                    and not _hedged(raw, lo)
                    and not question
                ):
                    cues.append(("decision", lo))
                    verbs[lo] = True

    fragment = _is_fragment(text, raw, bounds, seps, verbs, arrow)
    scopes = tuple(_dismissal_scopes(raw, bounds, seps))
    opener = bool(raw) and raw[0] in _CONTINUATION_OPENERS
    echoes = any(_phrase_at(raw, k, e) for e in ECHOES for k in range(len(raw)))
    statement = Statement(
        fragment,
        tuple(sorted({kind for kind, _ in cues})),
        scopes,
        opener,
        tuple(starts),
        tuple(cues),
        echoes,
    )
    return replace(statement, waved=waved_regions(raw, statement))


def _is_fragment(
    text: str,
    raw: tuple[str, ...],
    bounds: list[tuple[int, int]],
    seps: list[str],
    verbs: list[bool],
    arrow: bool,
) -> bool:
    """A heading, a list of terms, or a noun phrase with nothing said about it."""
    stripped = text.strip()
    if not raw:
        return True
    if stripped.startswith("#") or (stripped.endswith(":") and len(raw) <= 8):
        return True  # a heading
    # a list: three or more separated items, most of them bare terms. A label before a colon
    # ("Data: ...") is not one of the items.
    first = max((i for i, sep in enumerate(seps) if i and sep == ":"), default=0)
    items = [(lo, hi) for lo, hi in bounds[first:] if hi > lo]
    list_seps = sum(sep in (",", "/", ";", "|", "\u2022") for sep in seps[first + 1 :])
    leads = bool(_ARROW.search(text)) and _arrow_leads_somewhere(text)
    if len(items) >= 3 and list_seps >= 2 and not leads:
        bare = [(lo, hi) for lo, hi in items if _bare_term(raw, lo, hi, verbs)]
        covered = sum(hi - lo for lo, hi in bare)
        if (
            len(bare) >= 3
            and len(bare) >= 0.6 * len(items)
            and covered >= 0.5 * sum(hi - lo for lo, hi in items)
        ):
            return True
    if arrow or stripped.endswith("?"):
        return False  # "FP ~$10 -> threshold 0.08" and "VAMP ratio?" say something
    # a note needs a verb or an arrow: "Label noise: kappa ~0.5" names a figure, it says nothing
    # about what follows from it. A long stretch of running prose ("sending an unsure order to the
    # bank's challenge satisfies ...") states something even when its verb is not one we know.
    if any(verbs):
        return False
    glue = sum(1 for w in raw if w in _GLUE)
    return len(raw) <= 8 or glue < 2


def _bare_term(raw: tuple[str, ...], lo: int, hi: int, verbs: list[bool]) -> bool:
    words = [
        raw[k]
        for k in range(lo, hi)
        if raw[k] not in ("and", "or", "the", "a", "an", "plus", "etc")
    ]
    if not words or len(words) > 4:
        return False
    if any(verbs[k] for k in range(lo, hi)) or any(_is_number(raw, k) for k in range(lo, hi)):
        return False
    if lo > 0 and words[0].endswith("ing") and len(words[0]) > 5:
        return False  # ", costing good customers": a participle clause, not a term
    return not any(
        w
        in (
            "to",
            "for",
            "with",
            "without",
            "above",
            "below",
            "under",
            "over",
            "within",
            "via",
            "than",
            "against",
            "into",
            "from",
        )
        for w in words
    )


def _clause_end(
    raw: tuple[str, ...], k: int, bounds: list[tuple[int, int]], seps: list[str]
) -> int:
    """Where the clause that contains ``raw[k]`` ends: a clause break word, ';', ':' or '->'."""
    hard = {
        lo
        for (lo, _), sep in zip(bounds, seps)
        if sep in (";", ":", "->", "=>", "\u2192", "=", "(", ")", "-", "\u2014", "\u2013")
    }
    j = k + 1
    while j < len(raw):
        if j in hard or raw[j] in _CLAUSE_BREAKS:
            return j
        if (
            raw[j] in ("and", "or", "but")
            and j + 1 < len(raw)
            and (raw[j + 1] in _PRONOUN_SUBJECTS or raw[j + 1] in ("i", "we", "let"))
        ):
            return j  # "..., and we keep a hold-out": a new clause with its own subject
        j += 1
    return len(raw)


def _clause_start(
    raw: tuple[str, ...],
    k: int,
    bounds: list[tuple[int, int]],
    seps: list[str],
    verbs: list[bool] | None = None,
) -> int:
    """Where the subject before ``raw[k]`` begins: back over its words, commas and "and"/"or".

    With ``verbs``, a comma-separated stretch that has a verb of its own is another clause
    ("latency matters, and GDPR is out of scope": the subject is only "GDPR").
    """
    hard = {
        lo
        for (lo, _), sep in zip(bounds, seps)
        if sep in (";", ":", "->", "=>", "\u2192", "=", "(", ")", "-", "\u2014", "\u2013")
    }
    soft = {lo: hi for lo, hi in bounds}
    j = k
    while j > 0:
        if j in hard:
            return j
        w = raw[j - 1]
        if w in _CLAUSE_BREAKS or w in (
            "if",
            "that",
            "when",
            "where",
            "then",
            "think",
            "say",
            "guess",
            "honestly",
            "frankly",
        ):
            return j
        if verbs is not None and j in soft:
            before = next((lo for lo, hi in bounds if hi == j), None)
            if before is not None and any(verbs[x] for x in range(before, j)):
                return j
        j -= 1
    return 0


def start_of_none(raw: tuple[str, ...], k: int) -> bool:
    """Is the subject of the copula at ``k`` "none of that" (or "none of it / these / them")?"""
    return (
        k >= 3
        and raw[k - 3 : k - 1] == ("none", "of")
        and raw[k - 1] in ("that", "this", "these", "those", "it", "them")
    )


def _negated_before(raw: tuple[str, ...], k: int, window: int = 3) -> bool:
    return any(
        raw[j] in ("not", "never", "nothing", "nobody", "no", "none", "nor")
        for j in range(max(0, k - window), k)
    )


def _in_conditional(
    raw: tuple[str, ...], k: int, bounds: list[tuple[int, int]], seps: list[str]
) -> bool:
    start = _clause_start(raw, k, bounds, seps)
    # walk back to the clause's first word, across its subject
    for j in range(max(0, start - 1), k):
        if raw[j] in _CONDITIONALS:
            return True
    return False


def _dismissal_scopes(raw: tuple[str, ...], bounds: list[tuple[int, int]], seps: list[str]):
    verbs = [_verbish(raw, k) for k in range(len(raw))]
    n = len(raw)
    k = 0
    while k < n:
        w = raw[k]
        nxt = raw[k + 1] if k + 1 < n else ""
        # "no need to / for ...", "no point in ...", "no reason to ..."
        if (
            w == "no"
            and nxt in ("need", "point", "reason", "use")
            and not _in_conditional(raw, k, bounds, seps)
        ):
            yield Scope(k, _clause_end(raw, k + 1, bounds, seps), "concern")
            k += 2
            continue
        # a negated need or worry: "do not need (to worry about)", "will not bother with", "never mind"
        if w in _NEGATORS and w != "no" and nxt:
            j = k + 1
            while j < n and raw[j] in _ADVERBS | {
                "really",
                "even",
                "going",
                "gonna",
                "to",
                "have",
                "be",
            }:
                j += 1
            # "we won't do X" decides; "we can't run X" states a constraint
            first_person = any(raw[x] in ("i", "we", "us") for x in range(max(0, k - 3), k)) and not (
                k > 0 and raw[k - 1] in ("can", "could")
            )
            if (
                j < n
                and (raw[j] in _NEED_VERBS or (first_person and raw[j] in _OWN_ACTIONS))
                and not _in_conditional(raw, k, bounds, seps)
            ):
                kind = "concern" if raw[j] in _CONCERN_VERBS else "need"
                # "need to worry about": the worry decides the kind
                m = j + 1
                while m < n and raw[m] in (
                    "to",
                    "about",
                    "with",
                    "on",
                    "for",
                    "much",
                    "too",
                    "any",
                    "time",
                    "of",
                ):
                    m += 1
                if m < n and raw[m] in _CONCERN_VERBS:
                    kind = "concern"
                end = _clause_end(raw, j, bounds, seps)
                yield Scope(j + 1, end, kind)
                # "the dollar impact doesn't need modelling", "shadow runs are overhead we don't
                # need": the subject before is what is waved away
                start = _clause_start(raw, k, bounds, seps, verbs)
                subject = [x for x in raw[start:k] if x not in _AUX and x not in _ADVERBS]
                if subject and subject[-1] not in _PRONOUN_SUBJECTS | {"us", "you"}:
                    yield Scope(start, k, "concern" if kind == "concern" else "predicate")
                elif subject and end - (j + 1) <= 1:
                    # "... overhead we don't need": nothing after the verb, so the object came first
                    yield Scope(start, max(start, k - len(subject) + len(subject) - 1), "predicate")
                k = end
                continue
        # "I don't see the value of a middle tier", "there's no real need for ..."
        if w in ("not", "never") and nxt in ("see", "think") and k + 2 < n:
            j = k + 2
            while j < n and raw[j] in (
                "the",
                "a",
                "any",
                "much",
                "real",
                "big",
                "a",
                "lot",
                "of",
                "there",
                "is",
            ):
                j += 1
            if j < n and raw[j] in _VALUE_WORDS:
                yield Scope(j + 1, _clause_end(raw, j, bounds, seps), "concern")
                k = j + 1
                continue
        # "I'd leave GDPR to the legal team": handed off rather than reasoned about
        if w in _DEFLECT_VERBS and not _negated_before(raw, k):
            end = _clause_end(raw, k, bounds, seps)
            to = next((j for j in range(k + 1, end) if raw[j] == "to"), None)
            if to is not None and any(
                raw[j] in _DEFLECT_TO for j in range(to + 1, min(end, to + 4))
            ):
                if any(
                    raw[j] not in ("it", "this", "that", "them", "up") for j in range(k + 1, to)
                ):
                    yield Scope(k + 1, to, "skip")
                else:  # "GDPR I'd leave to legal": the topic comes first
                    yield Scope(_clause_start(raw, k, bounds, seps), k, "skip")
                k = end
                continue
        if w == "never" and nxt == "mind":
            yield Scope(k + 2, _clause_end(raw, k + 1, bounds, seps), "concern")
            k += 2
            continue
        # a decision to skip: "skip X", "let's ignore X", "forget about X" (not "don't ignore X")
        if (
            w in _SKIP_VERBS
            and not _negated_before(raw, k)
            and not _in_conditional(raw, k, bounds, seps)
        ):
            end = _clause_end(raw, k, bounds, seps)
            if any(
                raw[j] in ("only", "while", "when", "if", "unless", "until", "below", "under")
                for j in range(k + 1, end)
            ):
                k += 1  # "skip the challenge only while the fraud rate stays low": a rule, not a shrug
                continue
            yield Scope(k + 1, end, "skip")
            k += 1
            continue
        # "ship without X" (but not "Without X, we ..." and not "can't launch without X")
        if w == "without" and k > 0 and raw[k - 1] in _WITHOUT_VERBS:
            if not _negated_before(raw, k, 4) and not _in_conditional(raw, k - 1, bounds, seps):
                yield Scope(k + 1, _clause_end(raw, k, bounds, seps), "skip")
                k += 1
                continue
        # a dismissive predicate over its subject: "X and Y are moot", "X: out of scope",
        # "X does not matter"; a tail elsewhere ("pull them down a rabbit hole") is no predicate
        copula = w in ("is", "are", "was", "seems", "seem", "feels", "looks", "sounds", "s")
        at_segment_start = any(lo == k for lo, _ in bounds[1:])
        if copula or (w in _DISMISSIVE_STARTS and (at_segment_start or w in _VERBAL_TAIL_STARTS)):
            if _in_conditional(raw, k, bounds, seps):
                k += 1
                continue
            tail_at = k
            if copula:
                tail_at = k + 1
                while tail_at < n and raw[tail_at] in _COPULA_FILLERS:
                    tail_at += 1
            tail = _first_tail(raw, tail_at, _TAIL_INDEX)
            if tail is not None and tail[0] not in ("not", "no", "never") and _negated_before(raw, tail_at, 2):
                tail = None  # "BM25 doesn't go away", "fair lending does not go away": it stays
            if tail is not None and tail[-1] == "wait" and tail_at + len(tail) < n and (
                _is_digitlike(raw[tail_at + len(tail)]) or raw[tail_at + len(tail)] in ("a", "an", "up", "for")
            ):
                tail = None  # "images can wait 60 seconds": a latency budget, not a shrug
            if (
                tail in _POSSESSIVE_DEFLECTIONS
                and tail_at > 0
                and raw[tail_at - 1] in ("a", "an", "the")
            ):
                tail = None
            if tail is None and copula:
                owner_at = next(
                    (
                        j
                        for j in range(tail_at, min(n - 1, tail_at + 4))
                        if raw[j] in _DEFLECT_TO | {"vendor", "vendors", "advertisers", "ops"}
                        and raw[j + 1] in ("job", "problem", "call", "responsibility", "concern", "department")
                        and raw[j - 1] not in ("a", "an")
                    ),
                    None,
                )
                if owner_at is not None:
                    tail = tuple(raw[tail_at : owner_at + 2])  # "is support ops' job"
            if tail is None and copula and raw[tail_at : tail_at + 2] == ("not", "something"):
                # "isn't something the team should handle", not "... something to trade off"
                if any(raw[j] in _CONCERN_VERBS | {"handle", "deal", "own", "need"} for j in range(tail_at + 2, min(n, tail_at + 9))):
                    tail = ("not", "something")
            if tail is None and copula:
                start_ = _clause_start(raw, k, bounds, seps)
                if any(raw[j] in ("neither", "none", "nothing") for j in range(start_, k)):
                    tail = _first_tail(raw, tail_at, _POSITIVE_INDEX)
                elif (
                    tail_at + 2 < n
                    and raw[tail_at - 1] == "the"
                    and raw[tail_at].endswith("s")
                    and raw[tail_at + 1] in ("problem", "job", "call", "concern", "responsibility")
                ):
                    tail = (raw[tail_at], raw[tail_at + 1])  # "is the advertisers' problem"
            if tail is not None and w in ("is", "are") and start_of_none(raw, k):
                # "X, Y and Z: none of that is worth building": the subject is what came before
                yield Scope(0, k, "predicate")
                k = tail_at + len(tail)
                continue
            if tail is not None:
                start = _clause_start(raw, k, bounds, seps, verbs)
                if start < k:
                    yield Scope(start, k, "predicate")
                elif k == 0 or start == k:
                    # "Out of scope." on its own, or "X: not needed": the subject is the segment before
                    prev = [(lo, hi) for lo, hi in bounds if hi <= k and hi > lo]
                    if prev:
                        lo, hi = prev[-1]
                        yield Scope(lo, hi, "predicate")
                k = tail_at + len(tail)
                continue
        k += 1


_COPULA_FILLERS = frozenset(
    {
        "really", "just", "honestly", "frankly", "totally", "completely", "pretty", "mostly",
        "probably", "kind", "of", "basically", "entirely", "simply", "quite", "a", "bit", "like",
        "all", "both", "largely", "clearly", "obviously", "arguably", "genuinely", "an",
        "mainly", "purely", "essentially", "more", "or", "less", "effectively",
    }
)  # fmt: skip
_TAIL_FILLERS = frozenset({"really", "actually", "honestly", "even", "much", "just"})


def _key(word: str) -> str:
    """The form two words share when ``_same_word`` holds: plurals folded."""
    return word.rstrip("s") if len(word) > 3 else word


def _by_first(phrases: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for p in phrases:
        index.setdefault(_key(p[0]), []).append(p)
    return {k: tuple(v) for k, v in index.items()}


def _first_tail(
    raw: tuple[str, ...], k: int, index: dict[str, tuple[tuple[str, ...], ...]]
) -> tuple[str, ...] | None:
    """The first phrase of ``index`` (in listed order) that starts at ``raw[k]``."""
    if k >= len(raw):
        return None
    for p in index.get(_key(raw[k]), ()):
        if _tail_at(raw, k, p):
            return p
    return None


def _same_word(a: str, b: str) -> bool:
    return a == b or (len(a) > 3 and a.rstrip("s") == b.rstrip("s"))


def _tail_at(raw: tuple[str, ...], k: int, tail: tuple[str, ...]) -> bool:
    """Does ``tail`` start at ``raw[k]``, allowing plurals and fillers ("does not really matter")?"""
    j = k
    for t in tail:
        while j < len(raw) and raw[j] in _TAIL_FILLERS and raw[j] != t:
            j += 1
        if j >= len(raw) or not _same_word(raw[j], t):
            return False
        j += 1
    return True


def waved_regions(raw: tuple[str, ...], statement: Statement) -> tuple[tuple[int, int], ...]:
    """Stretches of a sentence that wave something away: a clause holding a dismissal (other than
    "we don't need X", a design decision) or a waving word. A contrasting clause ("..., but ...")
    is judged on its own."""
    cuts = [0] + [k for k, w in enumerate(raw) if w in _CONTRAST] + [len(raw)]
    out = []
    for lo, hi in zip(cuts, cuts[1:]):
        waved = any(
            sc.kind != "need" and sc.start < sc.end and sc.start < hi and sc.end > lo
            for sc in statement.scopes
        ) or any(
            (raw[k] in _WAVE_WORDS or _waves(raw, k)) and not _negated_before(raw, k, 2)
            for k in range(lo, hi)
        )
        if waved:
            out.append((lo, hi))
    return tuple(out)


def _waves(raw: tuple[str, ...], k: int) -> bool:
    tail = _first_tail(raw, k, _WAVE_INDEX)
    return tail is not None


_CONTRAST = frozenset({"but", "however", "whereas", "although", "though", "yet", "instead"})
_TAIL_INDEX = _by_first(_DISMISSIVE_TAILS)
_POSITIVE_INDEX = _by_first(_POSITIVE_TAILS)
_WAVE_INDEX = _by_first(_WAVE_PHRASES)


def analyse(sentence: Sentence) -> Statement:
    """The statement analysis of ``sentence`` (cached by its text)."""
    return _analyse(sentence.text, sentence.raw)
