"""The five Staff+ habits a review looks for beyond the rubric points.

Each is found only in *statements* that dismiss nothing (``statements.analyse``): a list of option
names, a heading or a waved-away concern shows no habit. Sections count: sentences under a heading
such as "What goes wrong:" or "Failure modes" are risks, and under "Options:" or "Choices:" options,
even when they do not say so themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..data.scenario import Scenario
from .statements import Statement, analyse
from .textmatch import Sentence, normalise, tokens

SIGNALS: dict[str, str] = {
    "options_tradeoffs": "Several design options compared, with trade-offs",
    "risks_mitigations": "Risks named together with their mitigations",
    "numbers": "Back-of-the-envelope numbers (QPS, latency, headcount), with what it costs in money",
    "constraints": "Technical choices tied to constraints (team, GPU, budget, regulation)",
    "recommendation_flip": "A recommendation plus the condition that would change it",
}


@dataclass(frozen=True)
class Signal:
    """Whether one Staff+ habit shows in a text, with the sentence that shows it."""

    id: str
    label: str
    present: bool
    evidence: str | None


_OPTION_ENUM = re.compile(
    r"\b(?:option|approach|alternative|design|choice|candidate)\s+(?:[abcd1234]|one|two|three|four)\b"
    r"|\b(?:first|second|third|fourth)\s+(?:option|approach|alternative|choice|design)\b"
)
# "(1) ...", "1) ...", "a) ...", "A. ...", "- Option:" at the start of a sentence or a line
_ENUMERATED = re.compile(
    r"(?:^|\n|\s)\(?(?:[1-6]|[a-fA-F])\)\s+\S|(?:^|\n)\s*(?:[1-6]|[A-F])[.:]\s+[A-Z]"
)
_OPTIONS_SECTION = re.compile(
    r"\b(?:options?|choices?|approaches|alternatives|candidates|designs)\b\s*[:\-\u2014]", re.I
)
_RISKS_SECTION = re.compile(
    r"\b(?:what (?:can|could|will) go wrong|what goes wrong|failure modes?|risks?|pitfalls|"
    r"things that break|where it breaks|what breaks|what (?:re)?shapes the design|"
    r"what changes the design|what could bite|what bites)\b",
    re.I,
)
# the words of a bold heading that opens options or risks ("**The options, priced.**",
# "**Things outside the model that change the design.**", "**Sellers and adversaries.**")
_OPTIONS_HEADING = re.compile(
    r"\b(?:options?|choices?|alternatives|approaches|designs|paths|the other (?:two|three))\b", re.I
)
# "## What would change my call": the conditions under it are the flips, whatever their verb
# ("If the VAMP slope doubled, I'd front a vendor while we build.")
_FLIP_SECTION = re.compile(
    r"\bwhat would (?:change|flip)\b|\bwould change (?:my|the) (?:call|mind|pick|choice|answer|plan"
    r"|recommendation)\b|\bwhat flips\b|\bwhen (?:i'?d|we'?d|i would|we would) (?:switch|change)\b",
    re.I,
)
_CONDITION = re.compile(r"\b(?:if|unless|once|when|should)\b")
_RISKS_HEADING = re.compile(
    r"\bchanges? the design\b|\bshapes? the design\b|\badversar|\bwhat could bite\b|\bgo wrong\b",
    re.I,
)
_TRADEOFF = re.compile(
    r"\btrade\s?offs?\b|\bat the (?:cost|expense) of\b|\bin exchange\b|\bversus\b|\bvs\.?\s"
    r"|\bcompared (?:to|with)\b|\bcheap(?:er)?\b|\b(?:more |less )?expensive\b|\bbetter\b|\bworse\b|\bfaster\b|\bslower\b"
    r"|\bdownside\b|\bupside\b|\bbut\b|\bwhereas\b|\bwhile\b|\binstead of\b|\bpros?\b|\bcons?\b"
    r"|\bcosts? (?:more|less)\b|\bmore expensive\b|\bless accurate\b|\bmore accurate\b"
)
_TRADE_OFF_WORD = re.compile(r"\btrade\s?-?offs?\b")
# "monotone-constrained trees rather than a deep net": two alternatives weighed in one sentence
_WEIGHED_PAIR = re.compile(
    r"\brather than\b|\binstead of\b|\bversus\b|\bvs\.?\s|\bcompared (?:to|with)\b"
    r"|\bwould (?:\w+ ){0,3}(?:better|cheaper|faster|more|less)\b[^;]{0,40}\bbut\b"
)
_RISK = re.compile(
    # "risk" as a risk, not as what a credit or fraud model scores ("higher risk", "risk grade")
    r"(?<!higher )(?<!lower )(?<!credit )(?<!high )(?<!low )(?<!medium )(?<!more )(?<!less )"
    r"\brisks?\b(?![- ](?:grades?|scores?|bands?|tiers?|models?|levels?|based|class|segments?)\b)|\bgo(?:es)? wrong\b|\bfailure modes?\b|\bfail(?:s|ure)?\b|\battack|\bdrift|\bleak"
    r"|\bbias|\bevasion|\bevade|\bbreak|\boutage|\bregress|\bcollapse|\bexploit|\babuse|\bhallucinat"
    r"|\bgam(?:e|ing)\b|\bprob(?:e|ing)\b|\bpoison|\bskew|\bstale|\bdegrad|\btime(?:s)? out|\bspike"
    r"|\bcrash|\b(?:goes|go|is|are|was|went|being)\s+down\b|\bcompromis|\bfraudsters?\b|\bspam|\bmisus|\bwrong\b|\bmiss(?:es|ed)?\b"
    r"|\blie\b|\bmislead|\bblind spot|\bnoisy\b|\bdelay|\bharm|\bfines?\b(?!-)|\bpenalt|\blawsuit"
    r"|\bunfair|\bshut out"
)
_MITIGATION = re.compile(
    r"\bmitigat|\bguard|\bfallback|\bfall back|\broll ?back|\bmonitor|\balert|\bhold ?out|\bcap\b"
    r"|\bkill switch|\bcircuit breaker|\bshadow|\bcanary|\bthrottl|\brate limit|\breview queue"
    r"|\bwe would\b|\bwe'd\b|\bi would\b|\bi'd\b|\bso we\b|\bto prevent\b|\bto catch\b|\bdetect|\bwatch\b|\bpage\b"
    r"|\bretrain|\bowner\b|\bowns\b|\bon-?call\b|\bdashboard|\bcheck|\baudit|\btest"
    r"|\btrack\b|\breserve\b|\bfilter\b|\blimit\b"
)
_NUMBER = re.compile(
    r"(?:\$\s?\d[\d,.]*\s?(?:k|m|bn|b|million|billion)?\b|\b\d[\d,.]*\s?(?:%|ms\b|qps\b|k\b|m\b|bn\b|gb\b|tb\b|pb\b"
    r"|x\b|/s\b|per (?:day|second|month|hour|year|query|request)|a (?:day|month|second|week|year)"
    r"|days?\b|weeks?\b|months?\b|hours?\b|minutes?\b|engineers?\b|people\b|fte\b|reviewers?\b"
    r"|analysts?\b|moderators?\b|agents?\b|million|billion|thousand|instances?\b|nodes?\b"
    r"|replicas?\b|gpus?\b|cents?\b|dollars?\b|cases?\b|requests?\b|queries\b|checkouts?\b"
    r"|orders?\b|items?\b|users?\b|applicants?\b|posts?\b|tickets?\b|labels?\b|calls?\b))"
)
_MONEY = re.compile(r"[$\u20ac\u00a3]|\bcents?\b|\bdollars?\b|\beur\b|\busd\b")
_CONNECTIVE = re.compile(
    r"\bbecause\b|\bsince\b|\bgiven\b|\bso\b|\bwhich means\b|\btherefore\b|\bthat's why\b"
    r"|\bconstraint|\bwithout\b|\bcan't\b|\bcannot\b|\bdon't have\b|\bno\b|\bonly\b|\bfits?\b"
    r"|\brules? out\b|\btoo\b|->|\u2192|\bcaps?\b|\bat most\b|\bwithin\b"
)
_CONSTRAINT = re.compile(
    r"\bteam\b|\bengineers?\b|\bgpus?\b|\bbudget|\blatency|\bregulat|\blaw\b|\blegal\b|\bstreaming"
    r"|\bheadcount|\bon-?call|\bskills?\b|\binfrastructure|\bdeadline|\bcompliance|\bp99\b|\bfte\b"
    r"|\bcpu\b|\bms\b|\bpeople\b|\bcapacity\b|\banalysts?\b|\bmoderators?\b|\bplatform\b"
    r"|\bunderwriters?\b|\bmodell?ers?\b|\breviewers?\b|\bregulators?\b|\bsponsor bank\b|\bvalidat"
)
_RECOMMEND = re.compile(
    r"\brecommend|\bi'?d (?:ship|start|choose|pick|go|build|use|lead|begin|launch)"
    r"|\bi would (?:ship|start|choose|pick|go|build|use|lead|begin|launch)"
    r"|\bgo with\b|\bmy (?:pick|choice|recommendation|bet)\b|\bship (?:the|a)\b.*\bfirst\b"
    r"|\bwe should (?:ship|start|build|go|use|launch)|\bi propose\b|\bi'?m choosing\b"
    r"|\bpick(?:ing)?\b|\bchoose\b|\bwinner\b|\bstart with\b|\bbegin with\b"
    r"|\b(?:safe|right|best|sensible)\s+(?:choice|bet|call|default)\b"
)
_CHANGE = (
    r"(?:switch|move|flip|change|go|revisit|reconsider|prefer|pick|choose|buy|build|use|favou?r"
    r"|jump|upgrade|migrate|graduate|lean|take|adopt|add|replace|shift|ship|stay|stick|fall back"
    r"|launch|bring)"
)
_FLIP = re.compile(
    rf"\bunless\b|\b(?:would|i'?d|we'?d)\s+(?:\w+\s+){{0,3}}{_CHANGE}\w*\b.{{0,120}}\b(?:if|when|once|should|with)\b"
    rf"|\b(?:if|once|when|should|with)\b.{{0,120}}\b(?:would|i'?d|we'?d|then|i'?ll|we'?ll)\s+(?:\w+\s+){{0,3}}{_CHANGE}"
    # "If validation slips toward nine months, ship the refit": a condition, then the change
    # (a fallback on a runtime failure, "if it times out, fall back to the rules", is no flip)
    r"|\bif\b[^.;]{3,120},\s*(?:then\s+)?(?:switch|move|ship|buy|build|adopt|replace|pick|choose"
    r"|launch|bring in|go with|migrate|upgrade)\b"
    r"|\bflips?\b|\bflip(?:s|ped)? (?:to|if|when)\b|\bwhat would change (?:my|the) (?:mind|choice|answer)\b"
    r"|\bthe condition that\b|\bwould change my (?:mind|recommendation|choice)\b",
    re.S,
)


def _section_item(current: str | None, text: str, head: str, scenario: Scenario) -> bool:
    """Is this bold lead-in one of the open section's items rather than a new section? So for a
    list item ("- **Vendor.** Live in six weeks, but ...") and, under options, for one that names
    an option ("**Tune the 140 rules.** Cheap, explainable; ...")."""
    if current is None:
        return False
    if text.startswith(("- ", "* ", "+ ")):
        return True
    return current == "options" and (
        bool(_OPTIONISH.search(head)) or _names_option(set(tokens(head)), scenario)
    )


def _sections(
    sentences: list[Sentence], statements: list[Statement], scenario: Scenario
) -> list[str | None]:
    """The section each sentence sits in: 'risks', 'options' or None, from the headings above it."""
    out: list[str | None] = []
    current: str | None = None
    for s, st in zip(sentences, statements):
        head = s.text.split(":", 1)[0] if ":" in s.text[:60] else s.text
        text = s.text.strip()
        # "**The options, priced.**", "- **What changes the design.**": a bold heading on its own
        bold = text.startswith(("**", "- **", "__")) and (text.endswith(("**", "__")))
        # "Options." or "Failure modes." alone opens a section as "Options:" does
        is_heading = bold or (
            st.fragment and (text.endswith(":") or text.startswith("#") or len(s.raw) <= 2)
        )
        labelled = ":" in s.text[:60] and len(head.split()) <= 5
        if is_heading or labelled:
            if _FLIP_SECTION.search(head):
                current = "flip"
            elif _RISKS_SECTION.search(head) or (bold and _RISKS_HEADING.search(head)):
                current = "risks"
            elif _OPTIONS_SECTION.search(head.rstrip(". ") + ":") or (
                bold and _OPTIONS_HEADING.search(head)
            ):
                current = "options"
            elif is_heading and not _section_item(current, text, head, scenario):
                current = None
        out.append(current)
    return out


_OPTION_STOP = frozenset({"and", "with", "for", "on", "the", "a", "an", "of", "to", "plus"})
# words that describe what any design has, not which design it is: "velocity features" and "the
# fraud scoring service" are in every answer, the "Tiered GBDT ... with velocity features" and the
# "Third-party fraud-scoring vendor" options are not
_OPTION_GENERIC = frozenset(
    {"featur", "data", "model", "scor", "serv", "fraud", "item", "every", "per", "user", "only"}
)


def _name_tokens(name: str) -> tuple[list[str], int]:
    toks = [t for t in tokens(name) if len(t) > 2 and t not in _OPTION_STOP | _OPTION_GENERIC]
    # two distinctive words of a long name are enough: "tiered GBDT" is the tiered-GBDT option
    return toks, max(1, min(2, round(len(toks) * 0.6)))


def detect_signals(scenario: Scenario, sentences: list[Sentence]) -> list[Signal]:
    """Find which of the five Staff+ habits the sentences show, each with its evidence."""
    statements = [analyse(s) for s in sentences]
    # "we can't run a streaming pipeline" is a decision and counts; a waved-away concern does not
    usable = [not st.fragment and not st.waved for s, st in zip(sentences, statements)]
    lows = [s.text.lower() for s in sentences]
    sections = _sections(sentences, statements, scenario)
    out: list[Signal] = []

    # terse option bullets ("Rules: cheap but brittle") compare too: fragments count here, but
    # nothing that waves a concern away
    weighable = [not st.waved for s, st in zip(sentences, statements)]
    # the weighing must be about an option: "digital vs physical delivery" in a feature list is not
    # the weighing must be about an option ("digital vs physical delivery" in a feature list is
    # not), and one sentence of it is a remark: a comparison weighs two options or more, each in
    # its own sentence, or two in one sentence (below)
    weighed = [
        i
        for i, low in enumerate(lows)
        if weighable[i]
        and _TRADEOFF.search(low)
        and (
            sections[i] == "options"
            or _refers_to_option(sentences[i], low, scenario)
            # "Option one is ...; the trade-off is latency versus recall."
            or (
                i > 0
                and _TRADE_OFF_WORD.search(low)
                and _refers_to_option(sentences[i - 1], lows[i - 1], scenario)
            )
        )
        # under an options heading, an option priced or held to a constraint is weighed too ("A
        # GPU cross-encoder adds about $23k a month, which breaks the $25k budget")
        or (
            sections[i] == "options"
            and weighable[i]
            and bool({"number", "constraint"} & set(statements[i].cues) or _NUMBER.search(low))
            and _refers_to_option(sentences[i], low, scenario)
        )
    ]
    pair = next(
        (
            i
            for i in weighed
            if _two_options(lows[i], scenario)
            or (i > 0 and _TRADE_OFF_WORD.search(lows[i]) and _two_options(lows[i - 1], scenario))
        ),
        None,
    )
    tradeoff = weighed[0] if len(weighed) >= 2 else pair
    if tradeoff is None:
        # or two designs in the text's own words, weighed in a sentence that gives its reason
        tradeoff = next(
            (
                i
                for i, low in enumerate(lows)
                if usable[i]
                and statements[i].cues
                and _WEIGHED_PAIR.search(low)
                and _OPTIONISH.search(low)  # "PR-AUC rather than ROC-AUC" picks a metric
            ),
            None,
        )
    present = tradeoff is not None
    out.append(
        Signal(
            "options_tradeoffs",
            SIGNALS["options_tradeoffs"],
            present,
            sentences[tradeoff].text if present and tradeoff is not None else None,
        )
    )

    pairs: list[str] = []
    for i, low in enumerate(lows):
        if not usable[i] or not (_RISK.search(low) or sections[i] == "risks"):
            continue
        nxt = lows[i + 1] if i + 1 < len(lows) and usable[i + 1] else ""
        if _MITIGATION.search(low) or "decision" in statements[i].cues or _MITIGATION.search(nxt):
            pairs.append(sentences[i].text)
            if len(pairs) == 2:
                break
    out.append(
        Signal(
            "risks_mitigations",
            SIGNALS["risks_mitigations"],
            len(pairs) >= 2,
            pairs[0] if len(pairs) >= 2 else None,
        )
    )

    numbers: set[str] = set()
    numbered: int | None = None
    for i, low in enumerate(lows):
        if not usable[i]:
            continue
        found = {m.group(0).strip() for m in _NUMBER.finditer(low)}
        if found and numbered is None:
            numbered = i
        numbers |= found
    # an estimate at Staff+ level says what the design costs or saves: latencies and volumes
    # alone are the mechanics a senior answer has too
    priced = len(numbers) >= 3 and any(_MONEY.search(n) for n in numbers)
    out.append(
        Signal(
            "numbers",
            SIGNALS["numbers"],
            priced,
            sentences[numbered].text if priced and numbered is not None else None,
        )
    )

    tied = [
        sentences[i].text
        for i, low in enumerate(lows)
        if usable[i] and _CONNECTIVE.search(low) and _CONSTRAINT.search(low)
    ]
    out.append(
        Signal(
            "constraints",
            SIGNALS["constraints"],
            len(tied) >= 2,
            tied[0] if len(tied) >= 2 else None,
        )
    )

    rec = next((i for i, low in enumerate(lows) if usable[i] and _RECOMMEND.search(low)), None)
    flip = (
        next(
            (
                i
                for i, low in enumerate(lows)
                if usable[i]
                and (_FLIP.search(low) or (sections[i] == "flip" and _CONDITION.search(low)))
                and (
                    _tied_to_option(low, scenario)
                    # "...; if long queries grow past a fifth, I'd add it for those"
                    or (
                        i > 0
                        and _POINTS_BACK.search(low)
                        and _tied_to_option(lows[i - 1], scenario)
                    )
                )
            ),
            None,
        )
        if rec is not None
        else None
    )
    present = rec is not None and flip is not None
    out.append(
        Signal(
            "recommendation_flip",
            SIGNALS["recommendation_flip"],
            present,
            (
                f"{sentences[rec].text} ... {sentences[flip].text}"
                if rec != flip
                else sentences[rec].text
            )
            if present and rec is not None and flip is not None
            else None,
        )
    )
    return out


_OPTIONISH = re.compile(
    r"\b(?:option|vendor|model|rules?|baseline|gbdt|trees?|gpu|llm|api|build|buy|in-house|"
    r"platform|approach|design|pipeline|ranker|classifier|transformer|embedding|batch|stream|"
    r"real-?time|fine-?tun|self-?host|hosted|managed|service|team|heuristic|logistic)",
    re.I,
)


def _two_options(low: str, scenario: Scenario) -> bool:
    """ "The rules are cheaper but catch half of what the boosted trees catch": two options in
    one sentence, each by an option-like word or by name."""
    kinds = set(_named_options(set(tokens(low)), scenario))
    named_words = {t for name in kinds for t in tokens(name)}
    # an option-like word inside a named option's name is that option again
    for m in _OPTIONISH.finditer(low):
        if not set(tokens(m.group(0))) & named_words:
            kinds.add(m.group(0).lower())
    return len(kinds) >= 2


_POINTS_BACK = re.compile(r"\b(?:it|that|them|this|those)\b")


def _refers_to_option(sentence: Sentence, low: str, scenario: Scenario) -> bool:
    """Does the sentence speak of an option: by its name, by enumeration, or an option-like word?"""
    return bool(
        _OPTION_ENUM.search(normalise(sentence.text)) or _ENUMERATED.search(sentence.text)
    ) or _tied_to_option(low, scenario)


def _named_options(vocab: set[str], scenario: Scenario) -> list[str]:
    """The scenario's options whose distinctive name words are in ``vocab``."""
    out = []
    for opt in scenario.data["options"]:
        name_toks, need = _name_tokens(opt["name"])
        if name_toks and sum(t in vocab for t in name_toks) >= need:
            out.append(opt["name"])
    return out


def _names_option(vocab: set[str], scenario: Scenario) -> bool:
    return bool(_named_options(vocab, scenario))


def _tied_to_option(low: str, scenario: Scenario) -> bool:
    """A flip names what it would flip to: an option by name, or an option-like word."""
    return bool(_OPTIONISH.search(low)) or _names_option(set(tokens(low)), scenario)
