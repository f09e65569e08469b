"""The words the sentence analysis knows: word classes, reasoning cues, dismissal phrases.

Data, not logic (``statements`` and ``dismissals`` read it). Every entry is a normalised token
as ``textmatch`` produces it: lower case, contractions expanded ("won't" -> "will not"), hyphens
split, abbreviations folded. A phrase is a tuple of such tokens; ``phrases`` reads them from a
";"-separated string.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``."""
    return frozenset(text.split())


def words_in_order(text: str) -> list[str]:
    """The whitespace-separated words of ``text`` as a list, in order and with repeats."""
    return text.split()


def phrases(text: str) -> tuple[tuple[str, ...], ...]:
    """The ";"-separated phrases of ``text``, each a tuple of words, in their listed order."""
    return tuple(tuple(p.split()) for p in text.split(";") if p.strip())


# Subjects that make what follows them a clause.
PRONOUN_SUBJECTS = words("he i it one she that they this we you")

FIRST_PERSON = words("i we")

# Words a contraction piece ("d", "ll", "s") can follow: "I'd", "we'll", "it's".
CONTRACTING = words("he here i it let she that there they this we what who you")

# Auxiliaries: a sentence with one states something.
AUX = words(
    """
    am are be been being can could d did do does had has have is ll m may might must re s shall
    should ve was were will would
    """
)

MODALS = words("can could d ll may might must shall should will would")

# Adverbs skipped between a subject and its verb ("we'd probably route").
ADVERBS = words(
    """
    absolutely actually almost already also always basically certainly clearly definitely even
    entirely eventually first fully happily honestly immediately initially instead just later
    likely mostly mainly never now only personally probably rather really simply still strongly
    then totally usually wholly
    """
)

# Words that start an object: after a homograph, they make it a verb ("log every ...").
DETERMINERS = words(
    """
    a all an any away back both down each every fewer it its less more most no off one only our
    out some that the their them these this those three through two up us
    """
)

# Verbs that only *name* a concern ("we should think about calibration"): no decision.
VAGUE_VERBS = words(
    """
    account acknowledge add address also analyse analyze assess be bear believe care cite come
    consider cover deal definitely discuss emphasise emphasize evaluate expect explore factor
    feel flag focus get go guess handle have highlight hope include investigate
    know like list look love matter mention mind name need note notice pay plan point probably
    raise recognise recognize remember say see stress study talk think touch try underline
    understand want watch worry
    """
)

# Verbs that make a sentence a statement without deciding anything.
STATE_VERBS = words(
    """
    add added adds allow allows appear appears bury buries buried render renders rendered hide
    hides hid applies apply arrive arrived arrives beat beats
    became becomes bias biases block blocked blocks bought break breaks broke buy buys came
    catch catches caught cause caused causes change changed changes climb climbs come comes
    contain contains cost costs count counts creep creeps cross crosses decay decays deflate
    depends die dies dominate dominates doubles drift drifted drifts drives drop dropped drops
    drove end ended ends exceed exceeds exist exists fail failed fails fall falls feels fell fit
    fits flip flips force forced forces gave get gets give gives go goes got grew grow grows had
    happened happens has have help helps hit hits hold holds hurt hurts include included
    includes inflate inflates keep keeps knew know knows land landed lands lead leads leak
    leaked leaks learns led let lets looks lose loses lost made make makes mattered matters mean
    means meant miss missed misses move moved moves needed needs outweigh outweighs overestimate
    overfit overfits overpredict own owns paid pay pays pile piled piles poison poisons prevent
    prevents ran remain remains require required requires result results rise rises rose rule
    ruled rules run runs said sat save saved saves saw say says see seem seems sees shift
    shifted shifts show showed shows sit sits skew skews sounds spike spikes start started
    starts stay stayed stays take takes tell tells tend tends told took trickle trickles
    underestimate underpredict want wants went win wins work worked works
    """
)

# Spelled like verbs, mostly nouns here: verbs only in a verb position.
HOMOGRAPHS = words(
    """
    alert alerts appeal appeals audit audits backfill ban batch bias biases block blocks boost
    bucket budget buffer build buy cache call calls cap caps challenge challenges change changes
    charge charges control controls cost costs count counts crawl cut cuts decay default
    defaults demote design drift drifts drop drops embed end export fall feed file files filter
    filters fit fits fix flag flags freeze gate group guard hash head help hold host import
    index input label labels launch lead limit limits lock log logs loss mask match matches
    measure measures mirror mix model models monitor monitors move moves offer offers order
    orders output page pages partition pass pause pilot pin plan point points price process
    promote quarantine queue rank ranks rate record records refresh reject release replay report
    reports request requests return returns review reviews risk risks round rule rules run runs
    sample samples schedule score scores screen segment segments sell set sets shadow share
    shares shift shifts show shows slice snapshot spike spikes split staff stage start step
    steps stream streams switch tag tags target test tests tier tiers time track tracks train
    transfer treat trigger triggers turn update updates upgrade use uses version weight weights
    whitelist win wins work works
    """
)

# After these a past participle is a verb ("retention tied to"), not an adjective ("calibrated scores").
AFTER_PARTICIPLE = words(
    """
    a above after again and as at away back because before below by daily down early first for
    from in into it late monthly nightly off on once only or our out over per so the their them
    to under until up weekly with within
    """
)

# Participles that describe rather than decide ("labels delayed by weeks").
NOT_PASSIVE_DECISIONS = words("based delayed given needed related used")

NUMBER_WORDS = words(
    """
    billion billions double dozen dozens eight eleven fifteen fifty five forty four half hundred
    hundreds million millions nine quarter seven six sixty ten tenfold third thirteen thirty
    thousand thousands three triple twelve twenty twice two
    """
)

# A number right after these is an identifier, not a quantity ("Article 22", "option 2").
ID_WORDS = words(
    """
    act annex art article chapter dss gen iso item level line model no number option para
    paragraph part pci phase point q question recital reg regulation round rule sec section sr
    stage step tier title type v version web occ cfr bulletin
    """
)

UNIT_WORDS = words(
    """
    % a analysts b bn bps cases cents day days dollars engineers eur fte gb gpu gpus hour hours
    instances k m mb minute minutes month months ms nodes pb people per percent points pp qps
    replicas reviewers second seconds tb usd week weeks x year years
    """
)

# Reasoning cues: a consequence or a cause.
CONSEQUENCE_WORDS = words(
    """
    because cause causes consequently drives forces given hence if implies implying lead leads
    lest mean meaning means otherwise payback pays results since so then therefore thus unless
    whereas
    """
)

CONSEQUENCE_PHRASES = phrases(
    """
    which means; that means; this means; as a result; in turn; due to; thanks to; in order to;
    which is why; that is why; so that; because of; to avoid; to prevent; to stop; to keep; to
    catch; to protect; to cut; to reduce; to ensure; to make sure; to limit; to bound; or we; or
    the; or else; at the cost of; in exchange; cheaper than; costlier than; more expensive than;
    costs more; costs us more; costs far more; costs us far; far more than; outweighs; outweigh;
    pays for itself; pay for itself; at the expense of; trade off; the price is; break even
    """
)

# Reasoning cues: a constraint.
CONSTRAINT_WORDS = words(
    """
    afford binding bottleneck bound bounded cannot capped caps ceiling constrained constraint
    constraints deadline fit fits forbidden forbids legally limited mandated mandatory must
    nobody only prohibited prohibits within without
    """
)

CONSTRAINT_PHRASES = phrases(
    """
    can not; at most; at least; rules out; rule out; ruled out; too expensive; too slow; too
    big; too small; too few; too many; too much; not enough; no gpu; no streaming; no one; no
    budget; by law; under law; is not allowed; are not allowed; not allowed; have no; has no;
    there is no; we lack; lacks; lack; small team; tiny team; lean team; few engineers; our team
    of; required by; requires us; require us; requires a; requires that
    """
)

# Words of running prose that noun-phrase notes rarely have.
GLUE = words(
    """
    a an as because if it its our since so that the their these they this to we when which while
    who
    """
)

# A sentence that opens with one goes on with the one before ("So ...", "This means ...").
CONTINUATION_OPENERS = words(
    """
    and because but consequently else hence here if it its otherwise so such that then there
    therefore these they this those thus which with without
    """
)

# A negated worry waves its object away: "we don't need to worry about ...".
CONCERN_VERBS = words(
    """
    bother bothering care caring consider considering dwell focus focusing fuss obsess overthink
    spend spending stress sweat think thinking waste worry worrying
    """
)

# A negated need: the object is not needed (a design choice when it is a component).
NEED_VERBS = words(
    """
    add bother budget build care consider deal dwell estimate focus fuss handle implement
    include invest need needs obsess plan require requires spend stress sweat think want worry
    """
)

NEGATORS = words("neither never no nor not")

# "we won't do a parallel run": a decision not to do it.
OWN_ACTIONS = words(
    """
    audit bother buy calibrate do explain go hire hold keep log maintain measure monitor notify
    offer provide publish retrain review run ship sit staff store support test track use wait
    """
)

# A decision to leave something out: "skip X", "let's ignore X".
SKIP_VERBS = words(
    """
    defer deferring deprioritise deprioritize disregard disregarding forget forgetting ignore
    ignored ignoring neglect omit omitting overlook postpone postponing punt punting shelve
    sidestep skip skipping waive
    """
)

# After these, "without X" means going ahead with X left out.
WITHOUT_VERBS = words(
    """
    away begin build deploy do fine get go happily just launch live manage move ok okay operate
    proceed release run ship start survive well
    """
)

# Words that wave a concern away wherever they sit: a clause holding one credits nothing.
WAVE_WORDS = words(
    """
    afterthought bureaucracy busywork deprioritise deprioritize distraction exaggerated
    formality irrelevant luxury moot needless negligible nicety nonissue obsolete overblown
    overengineered overengineering overkill overrated overstated paperwork pointless hobby
    scenery meh philosophy
    premature
    redundant unimportant unnecessary unneeded useless
    """
)

WAVE_PHRASES = phrases(
    """
    out of scope; nice to have; nice to haves; non issue; non issues; waste of; someone else;
    somebody else; not worth; no need; no point; not a concern; not an issue; not a problem;
    not needed; not necessary; not matter; not relevant; not important; over engineering;
    for later; not bother; not worry; not care; not constrain; go away; goes away; a myth;
    box ticking; red tape; legal formality; not our problem; not my problem; to bother;
    not move the needle; nicety; redundant; obsolete; only delays; just delays; just slows;
    throwaway work; throw away work; just throw away; just throws away; just adds; gets in the way; get in the way; holds us back;
    slows us down; sort out later; figure out later; deal with later; worry about later;
    details to; things to revisit; to revisit after; team later; handled later; for v2;
    just wastes; wastes time; wastes our; wastes effort; wastes money; not something i; not something we; not have time; no time for;
    can sort out; can figure out; will sort out; sort it out; sort that out; in load testing;
    to revisit later; revisit after v1; just delay; would delay the launch; a checkbox;
    a check box; a tick box; a rubber stamp; can come after launch; how marketplaces work;
    how the data works; just how it works; sort itself out; sorts itself out; nothing to do there;
    nothing we can do; less of a worry; less of a concern; washes out; wash out; old news;
    someone picked; carry the pager; not ours; nobody reads; clean it up later;
    tweak and try again; ship it and see; ship and see; and see what; wait and see;
    see how it goes; sounds scary; probably fine; should be fine; no big deal; figure it out;
    they ll flag; work out the roi later; spin something up; ask the platform; by definition;
    that is fine; can ask for more; they ll get paged; always wins; leave it alone; leave it as is;
    leave them alone; will be fine; perfectionism; plenty of runway; plenty of time; no rush;
    not rush; dwarf any; dwarfs any; dwarf anything; dwarfs anything; cost is a rounding error; costs are a rounding error; cost is noise; handles that;
    handle that; handles it; take care of that; takes care of that; takes care of it;
    an ops project; is between the; are between the; are covered because; is covered because;
    already covered; washes most of; wash most of; washes it out; washes that out; their rotation;
    their pager; their on call; a research problem; cost of doing business; just ignore;
    we ignore; do not matter much; do not matter much; barely moves; barely matters; a hard sell;
    a fine starting point; fine starting point; can tell us; tell us if; a conversation between;
    comes down by itself; by itself; sorts itself; not design around; design around it;
    design around that; basically out of scope; capacity problem; autoscaling covers; covers it;
    can go on theirs; see in production; see it in production; see what actually happens;
    see what happens; nice but not; enough to start; close enough; gain is small; write papers;
    papers about; rather not; no change there; nothing to do with; their timeline; their side;
    their job; their problem; they will tell; they ll tell; add it then; without extra analysis;
    without further analysis; too academic; too theoretical; fraud is fraud; gets a lot smaller;
    get a lot smaller; not strictly needed; can escalate; let that budget sit; we re fine;
    we are fine; so we are fine; it is covered; is covered; are covered; we can call it early;
    call it early; can prioritise; can prioritize; can word; however they like;
    whatever they like; takes care of; take care of; is solved; are solved; gets solved;
    largely disappears; simply disappears; disappears with; built in from day one; fully aligned;
    best in class; future proofing; future proof; guide the whole; truly one to one;
    see if anything; fully compliant; is compliant in every; compliant in every state;
    is fair lending compliant; compliant by design; by design; for good reasons; not for v1;
    not for a v1; not in v1; engineering project; not discriminating; cannot discriminate;
    can not discriminate; so it is fair; so we are fair; once the model is final;
    once the model is done; when the model is done; just costs time; nobody complains;
    fully covered; north star; best practice; best practices; key lever; horizontally scalable;
    proactive about; right mix of; right balance of; are key challenges; top of mind; holistic;
    line of defence; line of defense; at every layer; resilient to adversaries; not overthink;
    overthink it; if someone really wants; if anyone asks; better spent elsewhere; always padded;
    it out as we go; on call as we go; pretty arbitrary; is arbitrary; fix themselves; fixes itself; fix itself;
    in any real way; does not touch; do not touch; when they deserve; let a number like that;
    go back and ask; slow everyone down; we ll notice; we will notice; someone will notice;
    will not be going back; requirements automatically; compliance automatically;
    so we re compliant; so we are compliant; we re compliant with; we are compliant with;
    state of the art; keep us grounded; ecosystem healthy; should also think about;
    measure impact rigorously; is a must; well known challenges; need to be addressed;
    unlock significant; data driven; customer centric; under control; if they need it;
    if they need one; if they ever need; spend any of the interview;
    not lose sleep; not losing sleep; table stakes; moving on; non topic; not a factor; will figure out;
    will figure it out; average it out; averages it out; averages out; let them keep;
    let them handle; let them own; let them deal; leave that to them; as it comes up;
    as they come up; if they want to; whenever they are; template problem;
    not where the interesting; nothing to optimise; nothing to optimize; is just how;
    not agonise; not agonize; nothing ml specific; is frequent enough; notice before we do;
    will always be around; could serve that; can serve that; rather spend the time;
    rather spend our time; idea of fun; mail merge; nothing to design; if they feel strongly;
    at it later; is paid to; are paid to; look after itself; looks after itself;
    looks after themselves; their headache; adapt to whatever; intern sized;
    pay grade; sweat the details; let everyone else; whatever it s; sweep the rest; seminar topic;
    budget lapse; lapse quietly; fairy tale; a one liner; never stopped a; happily ever after;
    float up on their own; not notice the difference;
    someone can fix; somebody can fix; on a slow week; let the dashboards confirm
    """
)

# Whoever a concern is handed to: "X is a finance question", "X is legal's call".
DEFLECTION_OWNERS = tuple(
    words_in_order("""
    finance legal business product compliance policy ops operations management leadership hr
    procurement security privacy lawyers counsel accounting marketing sales platform infra
    infrastructure sre
    """)
)

DEFLECTION_NOUNS = tuple(words_in_order("question call job decision responsibility department"))

DEFLECT_VERBS = words("defer deferring delegate hand handing leave leaving punt punting")

# "I don't see the value of X", "... the point of X".
VALUE_WORDS = words("benefit case need point reason sense use value why")

# "Neither X nor Y is our problem": a positive predicate negated up front.
POSITIVE_TAILS = phrases(
    """
    our problem; a concern; needed; necessary; important; relevant; worth; a priority; an issue;
    a problem; required; our concern; our job
    """
)

# "Reject inference is the same story": a dismissal carried over from the sentence before.
ECHOES = phrases("the same story; same goes for; same for; same with; likewise; ditto")

# Dismissive tails that carry their own verb, so they stand anywhere.
VERBAL_TAIL_STARTS = words(
    """
    can come comes did do does go goes handled matter matters never not taken will would
    """
)

# A dismissal never reaches past these.
CLAUSE_BREAKS = words(
    """
    although because but except however instead otherwise rather since so though unless whereas
    which while yet
    """
)

# Inside one, a negation is reasoning ("if we don't keep a hold-out, ...").
CONDITIONALS = words("if once unless until when whether without")

# A decision hedged until it commits to nothing: "we could look at X at some point".
HEDGES = phrases(
    """
    at some point; maybe; perhaps; might; could; eventually; some day; someday; at some stage;
    down the line; nice to have; if time; later on; possibly; potentially; worth looking; look
    at; look into; think about
    """
)

# Skipped between a copula and its predicate ("is really just overkill").
COPULA_FILLERS = words(
    """
    a all an arguably basically bit both clearly completely effectively entirely essentially
    frankly genuinely honestly just kind largely less like mainly more mostly obviously of or
    pretty probably purely quite really simply totally
    """
)

# Skipped inside a dismissive tail ("does not really matter").
TAIL_FILLERS = words("actually even honestly just much really")

# A contrasting clause is judged on its own.
CONTRAST = words("although but however instead though whereas yet")

# Predicates that wave away their subject: "X and Y are moot", "X is out of scope".
DISMISSIVE_TAILS_BASE = phrases(
    """
    for someone else; not a reason; no reason; free; not an architecture; not a factor;
    a non topic; non topic; table stakes; a template problem;
    moot; irrelevant; unnecessary; overkill; optional; premature; negligible; noise; academic;
    theoretical; pointless; useless; out of scope; outside scope; beyond scope; outside our
    scope; not in scope; a waste; waste of time; a distraction; nice to have; a non issue; non
    issue; over engineering; overengineering; someone else; somebody else; another team; other
    team; not our; not my; for later; a later problem; a v2; v2; phase 2; fine to skip; safe to
    ignore; can ignore; can safely ignore; could ignore; could safely ignore; can just ignore;
    not a concern; not an issue; not a problem; not a priority; not important; not
    relevant; not needed; not necessary; not required; not worth; not applicable; not a big
    deal; not something we; not something to worry; not really a; not an concern; never needed;
    not a real; no concern; no issue; no problem; not that important; not significant; not
    critical; not urgent; not our job; handled later; handled by legal; can wait; can be
    ignored; can be skipped; can be deferred; can be dropped; can be handled later; do not
    matter; does not matter; did not matter; will not matter; would not matter; does not apply;
    do not apply; does not count; is not needed; are not needed; not needed; unneeded; needless;
    not worth it; is fine to skip; matter little; matters little; can be ignore; be ignored; be
    skipped; be deferred; not needed here; not necessary here; overblown; overstated;
    exaggerated; unfounded; misplaced; a myth; overhead; formality; a formality; box ticking;
    paperwork; bureaucracy; red tape; not an engineering; not a technical; not a design; not a
    modelling; not a modeling; not an ml; dated; outdated; old fashioned; go away; goes away;
    can go; not constrain; not change the design; not affect the design; not change anything;
    not affect anything; not change what; not affect what; not constrain what; not our concern;
    does not constrain; do not constrain; does not change what; does not affect; a non starter;
    not affect our; not affect us; not affect much; not change our; not change much; not impact
    our; not impact us; not change us; not worth the; a luxury; a nice extra; an afterthought;
    an edge case; a corner case; not a real risk; not a real problem; not a blocker; handled for
    us; taken care of; already solved; a solved problem; a distraction; busywork; busy work;
    gold plating; a rabbit hole; redundant; obsolete; legacy; already solved; a given; a detail;
    details; an implementation detail; things to revisit; something to revisit; to revisit
    after; for v2; a v2 thing; can be handled by; will be handled by; handled by legal; handled
    by compliance; handled by security; not real; nicety; a nicety; an academic; not move the
    needle; too slow to bother; too noisy; not worth bothering; not an option; handled by the
    data; handled by the platform; handled by platform; handled by the infra; handled by infra;
    handled by the legal; handled by the security; handled by the privacy; handled by the ops
    """
)

NOT_CONSEQUENCE_AFTER = {
    "so": words(
        "are called can did do does far forth has have is long many much on sure to too was were will would"
    ),
    "since": words("2019 2020 2021 2022 2023 last launch the then"),
    "then": words("a i monitoring rollout the we"),
    "given": words("a an by the to up"),
}

IRREGULAR = {
    "build": ("built",),
    "buy": ("bought",),
    "choose": ("chose", "chosen"),
    "cut": ("cut",),
    "fall": ("fell", "fallen"),
    "give": ("gave", "given"),
    "hold": ("held",),
    "keep": ("kept",),
    "let": ("let",),
    "run": ("ran",),
    "sell": ("sold",),
    "send": ("sent",),
    "set": ("set",),
    "shrink": ("shrank", "shrunk"),
    "spread": ("spread",),
    "take": ("took", "taken"),
    "tell": ("told",),
    "write": ("wrote", "written"),
    "learn": ("learnt",),
    "split": ("split",),
    "pay": ("paid",),
    "show": ("shown",),
}

DECISION_VERB_BASES = words_in_order(
    """
    accept adjust aggregate alert allocate allow anonymise anonymize appeal append apply approve
    normalise normalize canonicalise canonicalize deduplicate hedge reconcile override cross-
    check check inspect enrol enroll reweigh recheck re-rank rerank archive assign attach audit
    automate backfill backtest balance ban batch begin benchmark block bound bucket budget
    buffer build buy cache calibrate call cancel cap capture challenge charge choose clip
    cluster collect combine compare compute contest copy correct count cut debias decay decide
    decline dedupe default defer degrade delay delete demote deny deploy derive detect disable
    disclose discount distil distill divide document double downsample downweight drop embed
    enable encrypt enforce ensure erase escalate estimate exclude expire explain export expose
    fail fall file fill filter fine-tune fix fold freeze gate generate give grant group guard
    halve hash hire hold host impose index inform ingest inject insist interleave isolate join
    keep kill label launch learn let limit load lock log lower maintain mask match measure merge
    migrate minimise minimize mirror mitigate monitor move multiply notify offer offload open
    optimise optimize order outsource own page partition pass pause penalise penalize pick pin
    pilot precompute prefer prefilter price prioritise prioritize promote protect provide prune
    publish pull purge push quantise quantize queue quarantine raise randomise randomize rank
    rate-limit rebuild recalibrate recompute record redact reduce refit refresh refuse
    regenerate reject release remove rent replace replay report request require reroute reserve
    reset resize restrict retain retrain retrieve return reuse review reweight roll rotate route
    run sample scale schedule score screen segment select sell send serve set shadow shard share
    ship shorten show shrink simulate size skip slice snapshot sort split spread staff stage
    start step stop store stratify stream submit subsample suppress switch tag take target tell
    test throttle tie tier tighten time tokenise tokenize track train transfer translate treat
    trigger trim truncate tune turn unblock update upgrade upweight use validate verify version
    wait warm weigh weight whitelist withhold write spend invest fund ramp surface quote display
    """
)


def _inflections(base: str) -> set[str]:
    """A verb's forms: -s, -ed, -ing (with the doubling of "cap" -> "capped") and irregulars."""
    forms = {base}
    if base.endswith("e"):
        forms |= {base + "s", base + "d", base[:-1] + "ing"}
    elif base.endswith("y") and base[-2:-1] not in set("aeiou"):
        forms |= {base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    elif base.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {base + "es", base + "ed", base + "ing"}
    else:
        forms |= {base + "s", base + "ed", base + "ing"}
        consonant_vowel_consonant = (
            len(base) >= 3 and base[-1] not in "aeiouwxy" and base[-2] in "aeiou"
            and base[-3] not in "aeiou"
        )  # fmt: skip
        if consonant_vowel_consonant:
            forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}
    forms |= set(IRREGULAR.get(base, ()))
    return {f.replace("-", " ") for f in forms}


# Verbs that carry a design decision ("we route", "I'd cap", "keep 2% ..."), in every form.
DECISION_VERBS: frozenset[str] = frozenset(
    f for base in DECISION_VERB_BASES for f in _inflections(base) if " " not in f
)

# "X is a finance question", "X is for legal to handle", "the letters are compliance's problem"
# (the possessive is dropped by normalisation, so the owner stands right before "problem"; after
# an article it is an issue, not a deflection: "a compliance problem")
POSSESSIVE_DEFLECTIONS = tuple(
    (owner, noun)
    for owner in DEFLECTION_OWNERS
    + ("someone", "somebody", "vendor", "their", "his", "her", "team", "teams")
    for noun in ("problem", "concern", "issue", "headache", "worry", "job", "area", "call")
)
DISMISSIVE_TAILS = (
    DISMISSIVE_TAILS_BASE
    + tuple(
        (art, owner, noun)
        for art in ("a", "an", "for")
        for owner in DEFLECTION_OWNERS
        for noun in DEFLECTION_NOUNS
    )
    + tuple(("for", owner, "to") for owner in DEFLECTION_OWNERS + ("someone", "somebody", "them"))
    + tuple(
        (owner, noun) for owner in DEFLECTION_OWNERS for noun in ("job", "call", "responsibility")
    )
    + POSSESSIVE_DEFLECTIONS
    # "That's for legal and the policy team"
    + tuple(("for", owner, *rest) for owner in DEFLECTION_OWNERS for rest in (("and",), ("team",)))
    # "PCI, GDPR, CCPA are what legal and security are for"
    + tuple(
        ("what", owner, *rest)
        for owner in DEFLECTION_OWNERS
        for rest in (("is", "for"), ("are", "for"), ("and",), ("teams", "are"))
    )
)
DISMISSIVE_STARTS = frozenset(t[0] for t in DISMISSIVE_TAILS)
# "t" is "T&S" (trust and safety) once the tokens drop the ampersand
DEFLECT_TO = frozenset(DEFLECTION_OWNERS) | words(
    "someone somebody another other them whoever trust t"
)
# A negation this close before a word turns it around ("doesn't go away", "can't launch without").
NEGATED_NEAR = words("not never nothing nobody no none nor")
