"""Checks that a scenario's rubric teaches what the levels mean (``staffplus validate`` runs them).

- Every example sentence lands at its level: ``raised`` at least named, ``named`` exactly named,
  ``reasoned`` reasoned, ``negated`` never credited.
- No matcher is so generic that it would find the point in unrelated talk ("per month", "CPU only",
  an instance type).
- The Staff+ exemplar scores at least ``STAFF_MIN``, the senior one at most ``SENIOR_MAX``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .levels import assess
from .review import review_text
from .textmatch import split_sentences, tokens

if TYPE_CHECKING:  # annotations only: no import at run time
    from ..data.scenario import Scenario

STAFF_MIN = 85
SENIOR_MAX = 25

# Words that say nothing about *which* point is meant. A matcher made only of units, money, time,
# hardware and headcount words ("per month", "CPU only", "c6i", "gpu hours") would find the point in
# unrelated talk; so would a single word from the wider list ("latency", "cost", "team").
_UNITS = frozenset(
    tokens(
        """
        per month monthly day daily week weekly year yearly hour hours second minute minutes a an
        the of in on for to at by with and or cost costs price money dollar dollars usd $ budget
        spend cheap expensive cpu cpus gpu gpus only just team teams people engineer engineers
        person persons fte headcount number total time xlarge 2xlarge 4xlarge 12xlarge instance
        instances node nodes cluster server servers once c6i m6i r6i g4dn g5 t4 a100 h100 l4 aws
        """
    )
)
_BROAD = _UNITS | frozenset(
    tokens(
        """
        model models data latency ms fast slow speed risk risks issue issues problem problems
        concern concerns thing things system systems service services feature features user users
        customer customers metric metrics score scores rate rates high low big small large new old
        good bad more less most least we our it this that
        """
    )
)


def ignored_only(phrase: str) -> bool:
    """True for a matcher made only of words the matcher drops (a, an, the, forms of "to be"), or
    of punctuation: it would match nothing, so it is a typo or a placeholder left in."""
    plain = phrase.replace("...", " ").replace("<money>", " $1 ").replace("<number>", " 1 ")
    return not tokens(plain)


def generic_matcher(phrase: str) -> bool:
    """True for a matcher too generic to show the point: only units ("per month", "CPU only"),
    or a single broad word ("latency")."""
    words = [t for t in tokens(phrase.replace("...", " ")) if not t.isdigit()]
    if not words:
        return True
    return all(t in _UNITS for t in words) or (len(words) == 1 and words[0] in _BROAD)


def _level(rubric: list[dict[str, Any]], index: int, sentence: str) -> str:
    ev = assess(rubric, split_sentences(sentence))[index]
    return ev.level if ev else "absent"


def _item_problems(
    rubric: list[dict[str, Any]], i: int, problems: list[str], info: list[str]
) -> None:
    """Append the problems (and notes) of rubric item ``i``: its concept, matchers and examples."""
    item = rubric[i]
    where = f"rubric[{i}] {item['id']}"
    if not str(item.get("concept", "")).strip():
        problems.append(
            f"{where}.concept: missing; say the point in plain words (one or two sentences)"
        )
    examples = item.get("examples", {})
    for kind in ("named", "reasoned"):
        if not examples.get(kind):
            info.append(f"{where}.examples.{kind}: none (add one sentence at this level)")
    for m in item["matchers"]:
        if ignored_only(m):
            problems.append(
                f"{where}.matchers: made only of ignored words (a, an, the, forms of "
                f"'to be'), so it matches nothing (got {m!r})"
            )
        elif generic_matcher(m):
            problems.append(
                f"{where}: matcher is too generic to show the point on its own (got {m!r})"
            )
    for j, sentence in enumerate(examples.get("raised", ())):
        if sentence.strip().lower() in {m.strip().lower() for m in item["matchers"]}:
            problems.append(f"{where}: examples.raised[{j}] copies a matcher (got {sentence!r})")
        got = _level(rubric, i, sentence)
        if got not in ("named", "reasoned"):
            problems.append(
                f"{where}: examples.raised[{j}] is {got}, not detected (got {sentence!r})"
            )
    for key in ("reasoned", "named"):
        for j, sentence in enumerate(examples.get(key, ())):
            got = _level(rubric, i, sentence)
            if got != key:
                problems.append(
                    f"{where}: examples.{key}[{j}] is {got}, not {key} (got {sentence!r})"
                )
    for j, sentence in enumerate(examples.get("negated", ())):
        got = _level(rubric, i, sentence)
        if got in ("named", "reasoned"):
            problems.append(
                f"{where}: examples.negated[{j}] is credited as {got} (got {sentence!r})"
            )


def rubric_problems(sc: Scenario) -> tuple[list[str], list[str]]:
    """(problems, info) for the rubric and exemplars of scenario ``sc``."""
    problems: list[str] = []
    info: list[str] = []
    rubric = sc.rubric
    for i in range(len(rubric)):
        _item_problems(rubric, i, problems, info)
    phases = sorted({item["phase"] for item in rubric})
    for needed in ("clarify", "risks"):
        if needed not in phases:
            # the mock interview's follow-ups in a phase come from its items: with none, the
            # interviewer never probes what a Staff+ candidate asks first or what goes wrong
            problems.append(f"rubric: needs an item in phase {needed!r} (got phases {phases})")
    senior = review_text(sc, sc.data["exemplars"]["senior"])
    staff = review_text(sc, sc.data["exemplars"]["staff"])
    info.append(
        f"exemplar scores: senior {senior.score} ({len(senior.raised_ids)}/{len(rubric)} reasoned), "
        f"staff {staff.score} ({len(staff.raised_ids)}/{len(rubric)} reasoned)"
    )
    if staff.score < STAFF_MIN:
        problems.append(
            f"exemplars.staff: must score at least {STAFF_MIN} (got {staff.score}; not reasoned: "
            + ", ".join(i.id for i in staff.items if not i.raised)
            + ")"
        )
    if senior.score > SENIOR_MAX:
        problems.append(
            f"exemplars.senior: must score at most {SENIOR_MAX} (got {senior.score}; reasoned: "
            + (", ".join(senior.raised_ids) or "none")
            + ")"
        )
    missed = [i.id for i in staff.items if not i.raised]
    if missed:
        info.append("staff exemplar does not reason about: " + ", ".join(missed))
    info.append("senior exemplar reasons about: " + (", ".join(senior.raised_ids) or "nothing"))
    return problems, info
