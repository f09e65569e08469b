"""A demo cohort for the instructors' debrief workbook, built through the real models and commands.

Learners differ the way a real room does: some answers raise most rubric points unprompted, some only
after follow-ups, weights and cost estimates vary. Deterministic for a given seed.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

from .. import workfile
from ..core.categories import CATEGORY_IDS
from ..data.scenario import Scenario, get_pack, get_scenario
from ..practice import attempts
from ..practice.interview import ManualClock, MockInterviewSession
from ..practice.session import WorkSession
from ..practice.submit import submit


def demo_cohort(
    folder: str | Path, scenario_id: str = "payments-fraud", learners: int = 12, seed: int = 7
) -> Path:
    """Write ``learners`` work files, run a mock interview for each and submit them; returns the submissions folder."""
    root = Path(folder)
    submissions = root / "submissions"
    submissions.mkdir(parents=True, exist_ok=True)
    sc = get_scenario(scenario_id)
    rng = random.Random(seed)
    sentences = [
        s.strip() for s in sc.data["exemplars"]["staff"].replace("\n", " ").split(". ") if s.strip()
    ]
    for n in range(learners):
        name = f"learner{n + 1:02d}"
        # saved once, by save_now below: the debounce timer it would start is cancelled there
        session = WorkSession(
            sc, root / "work" / f"{scenario_id}--{name}.json", learner=name, autosave_delay=60
        )
        session.fill_reference()
        keep = rng.randint(1, len(sentences))
        said = ". ".join(rng.sample(sentences, keep)) + "."
        session.answers["mock_answer"] = said
        _vary(session, rng)
        interview = MockInterviewSession(sc, clock=ManualClock())
        interview.submit_answer(said)
        while interview.stage != "done":
            if interview.stage == "followups":
                if rng.random() < 0.5:
                    asked = [sc.rubric_item(f.item) for f in interview.phase.followups]
                    interview.answer_all_followups(
                        " ".join(i["examples"]["raised"][0] for i in asked[:2])
                    )
                interview.finish_followups()
            else:
                interview.submit_answer("")
        card = interview.scorecard()
        session.interviews.append(card)
        session.record_attempt(attempts.from_interview(sc, card))
        session.save_now()
        submit(session.path, submissions, name)
    return submissions


def _vary(session: WorkSession, rng: random.Random) -> None:
    """Make one learner's artifacts their own, as a room's differ: weights and scores moved from
    the reference (so some pick another option), an estimate off by a factor or missing a line,
    and a register that leaves some of the reference risks out."""
    matrix = session.matrix
    for criterion in matrix.criteria:
        matrix.set_weight(criterion.name, round(criterion.weight * rng.uniform(0.4, 2.5), 2))
    contrarian = rng.random() < 0.35  # talks themself into the runner-up
    rows = matrix.ranking().rows
    runner_up = rows[1].name if len(rows) > 1 else None
    for option in matrix.option_names():
        for criterion in matrix.criterion_names():
            score = matrix.cell(option, criterion).score
            if contrarian and option == runner_up:
                score += 1
            elif rng.random() < 0.3:
                score += rng.choice((-1, 1))
            matrix.set_score(option, criterion, min(5, max(1, score)))

    cost = session.cost
    biggest = max(cost.estimate().lines, key=lambda line: line.monthly_usd).name
    line = cost.line(biggest)
    key = next(iter(line.values))
    factor = rng.choice([0.3, 0.6, 0.8, 1.0, 1.0, 1.25, 1.6, 3.0])
    cost.update_line(biggest, **{key: line.values[key] * factor})
    if len(cost.lines) > 2 and rng.random() < 0.25:  # forgot a line
        cost.remove_line(rng.choice([n for n in cost.names() if n != biggest]))

    register = session.register
    keep = rng.randint(max(1, len(register.risks) // 3), len(register.risks))
    for title in rng.sample(register.titles(), len(register.risks) - keep):
        register.remove(title)


def demo_history(
    folder: str | Path,
    scenarios: int | list[str] = 4,
    attempts_each: int = 5,
    seed: int = 11,
    learner: str = "learner",
) -> Path:
    """One learner's ``staffplus-work/`` folder with a history of attempts, for the progress
    profile (workbook 97, its tests and benchmark): per scenario, ``attempts_each`` attempts
    (every third a mock interview, the others reviews) an hour apart, interleaved across the
    scenarios, in which each category's items are reasoned more often as the learner practises.
    Written through ``workfile.save``; deterministic for a given seed. Returns the folder."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    pack = get_pack()
    ids = sorted(pack.scenarios)[:scenarios] if isinstance(scenarios, int) else scenarios
    rng = random.Random(seed)
    skill = {c: rng.uniform(0.1, 0.7) for c in CATEGORY_IDS}
    start = time.mktime((2026, 11, 2, 9, 0, 0, 0, 0, 0))
    for s, sid in enumerate(ids):
        work = workfile.new_work(sid, learner)
        for n in range(attempts_each):
            when = time.gmtime(start + 3600 * (n * len(ids) + s))
            kind = "interview" if n % 3 == 2 else "review"
            work["attempts"].append(_demo_attempt(pack.get(sid), kind, when, skill, n, rng))
        workfile.save(workfile.work_path(sid, learner, root), work)
    return root


def _demo_attempt(
    sc: Scenario,
    kind: str,
    when: time.struct_time,
    skill: dict[str, float],
    n: int,
    rng: random.Random,
) -> dict[str, Any]:
    items = {}
    for item in sc.rubric:
        p = min(0.9, skill[item["category"]] + 0.03 * n)
        r = rng.random()
        level = "reasoned" if r < p else "named" if r < p + (1 - p) / 2 else "absent"
        if level == "absent" and rng.random() < 0.15:
            level = "dismissed"
        verdict = {"category": item["category"], "phase": item["phase"], "level": level}
        if kind == "interview":
            early = level == "reasoned" and rng.random() < 0.7
            verdict["raised"] = "unprompted" if early else "prompted" if r < p + 0.2 else "missed"
        items[item["id"]] = verdict
    reasoned = sum(1 for v in items.values() if v["level"] == "reasoned")
    return {
        "kind": kind,
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", when),
        "scenario": sc.id,
        "score": round(100 * reasoned / max(1, len(items))),
        "items": items,
    }
