"""A demo cohort for the instructors' debrief workbook, built through the real models and commands.

Learners differ the way a real room does: some answers raise most rubric points unprompted, some only
after follow-ups, weights and cost estimates vary. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from pathlib import Path

from ..data.scenario import get_scenario
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
        first = session.matrix.criteria[0].name
        session.matrix.set_weight(
            first, round(rng.uniform(0.5, 3.0) * session.matrix.criteria[0].weight, 2)
        )
        line = session.cost.lines[0]
        scale = rng.choice([0.4, 0.8, 1.0, 1.2, 3.0])
        key = next(iter(line.values))
        session.cost.update_line(line.name, **{key: line.values[key] * scale})
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
        session.interviews.append(interview.scorecard())
        session.save_now()
        submit(session.path, submissions, name)
    return submissions
