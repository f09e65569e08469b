"""The labelled answer corpus (benchmarks/corpus/README.md): load it, review it, score the engine.

.venv/bin/python benchmarks/corpus.py                 # summary: precision/recall per level
.venv/bin/python benchmarks/corpus.py --errors dev    # every disagreement on the dev round
.venv/bin/python benchmarks/corpus.py --scores        # score per answer, by style
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from staffplus_widgets.data.scenario import Scenario, get_pack  # noqa: E402
from staffplus_widgets.feedback import LEVELS, review_text  # noqa: E402

CORPUS = HERE / "corpus"


@dataclass(frozen=True)
class Answer:
    path: str
    scenario: str
    round: str
    style: str
    text: str
    labels: dict[str, str]


def load(root: Path = CORPUS) -> list[Answer]:
    """Every corpus answer, plus one generated pasted-matchers answer per scenario."""
    out: list[Answer] = []
    for path in sorted(root.glob("*/*.yaml")):
        d = yaml.safe_load(path.read_text("utf-8"))
        out.append(
            Answer(
                str(path.relative_to(root)),
                d["scenario"],
                d["round"],
                d["style"],
                d["text"],
                d["labels"],
            )
        )
    pack = get_pack()
    for sc_id in sorted({a.scenario for a in out}):
        out.append(pasted_matchers(pack.get(sc_id)))
    return out


def pasted_matchers(sc: Scenario) -> Answer:
    """The scenario's matcher phrases strung together: every item it names is named, never reasoned."""
    phrases = [m.replace("...", " ") for item in sc.rubric for m in item["matchers"]]
    text = ", ".join(" ".join(p.split()) for p in phrases) + "."
    return Answer(
        f"{sc.id}/generated-pasted-matchers", sc.id, "generated", "pasted-matchers", text, {}
    )


@dataclass
class Tally:
    confusion: Counter  # (gold, predicted) -> count

    def precision(self, level: str) -> float | None:
        pred = sum(v for (g, p), v in self.confusion.items() if p == level)
        return None if pred == 0 else self.confusion[(level, level)] / pred

    def recall(self, level: str) -> float | None:
        gold = sum(v for (g, p), v in self.confusion.items() if g == level)
        return None if gold == 0 else self.confusion[(level, level)] / gold

    def dismissals_credited(self) -> int:
        return sum(
            v
            for (g, p), v in self.confusion.items()
            if g == "dismissed" and p in ("reasoned", "named")
        )

    def dismissals_reasoned(self) -> int:
        return self.confusion[("dismissed", "reasoned")]


def evaluate(answers: list[Answer], rounds: tuple[str, ...] = ("dev", "held")):
    """(tally over labelled answers, per-answer rows (answer, review, disagreements))."""
    pack = get_pack()
    tally = Tally(Counter())
    rows = []
    for a in answers:
        if a.round not in rounds and a.round != "generated":
            continue
        sc = pack.get(a.scenario)
        review = review_text(sc, a.text)
        got = {i.id: i.level for i in review.items}
        wrong = []
        if a.round == "generated":
            # pasted matchers: nothing may be reasoned; gold for the tally is "named" where found
            for item_id, level in got.items():
                gold = "named" if level != "absent" else "absent"
                tally.confusion[(gold, level)] += 1
                if level == "reasoned":
                    wrong.append((item_id, "named", level, review))
        else:
            for item_id, gold in a.labels.items():
                level = got.get(item_id, "absent")
                tally.confusion[(gold, level)] += 1
                if level != gold:
                    wrong.append((item_id, gold, level, review))
        rows.append((a, review, wrong))
    return tally, rows


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.2f}"


def summary(tally: Tally) -> list[str]:
    lines = [f"{'level':<10} {'precision':>9} {'recall':>7}   (gold count)"]
    for level in LEVELS:
        gold = sum(v for (g, p), v in tally.confusion.items() if g == level)
        lines.append(
            f"{level:<10} {_fmt(tally.precision(level)):>9} {_fmt(tally.recall(level)):>7}   ({gold})"
        )
    lines.append(
        f"dismissals credited (named or reasoned): {tally.dismissals_credited()}, "
        f"reasoned: {tally.dismissals_reasoned()}"
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--errors", choices=("dev", "held", "final", "all"), help="print every disagreement"
    )
    parser.add_argument("--scores", action="store_true", help="score of every answer, by style")
    parser.add_argument("--scenario", help="only this scenario")
    parser.add_argument("--level", help="only errors whose gold or predicted level is this")
    args = parser.parse_args(argv)
    answers = load()
    if args.scenario:
        answers = [a for a in answers if a.scenario == args.scenario]
    for rounds in (("dev",), ("held",), ("final",)):
        tally, rows = evaluate(answers, rounds)
        print(
            f"== round {rounds[0]} ({sum(1 for a, _, _ in rows if a.round != 'generated')} answers + generated)"
        )
        print("\n".join(summary(tally)))
        if args.errors in (rounds[0], "all"):
            for a, _review, wrong in rows:
                for item_id, gold, level, rv in wrong:
                    if args.level and args.level not in (gold, level):
                        continue
                    it = next(i for i in rv.items if i.id == item_id)
                    ev = it.evidence or it.dismissed or ""
                    print(
                        f"  {a.path:<48} {item_id:<28} gold={gold:<9} got={level:<9} via={it.via} cue={it.cue} | {ev[:150]}"
                    )
        if args.scores:
            by_style = defaultdict(list)
            for a, review, _ in rows:
                by_style[a.style].append((review.score, a.path))
            for style, vals in sorted(by_style.items()):
                print(f"  {style:<16} " + "  ".join(f"{s:>3}" for s, _ in vals))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
