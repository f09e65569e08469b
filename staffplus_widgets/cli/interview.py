"""``staffplus interview``: the mock interview, headless, from a Markdown answers file."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ..core.errors import StaffplusError
from .common import FORMAT, arg, command, count_argument

if TYPE_CHECKING:  # annotations only: no import at run time
    from ..data.scenario import Scenario


def scorecard_text(card: dict[str, Any], scenario: Scenario) -> str:
    """A mock interview scorecard as plain text: score, phase times, categories, items, signals."""
    items = {i["id"]: i for i in scenario.rubric}
    c = card["counts"]
    out = [
        f"Mock interview: {scenario.title} ({card['minutes']} min, {card['mode']})",
        f"Score {card['score']}/100; proactivity {card['proactivity']:.0%} "
        f"({c['unprompted']} unprompted, {c['prompted']} prompted, {c['missed']} missed of {len(items)})",
        "",
        "Time per phase (used / budget, minutes):",
    ]
    for p in card["phases"]:
        flag = "  over budget" if p["used_min"] > p["budget_min"] else ""
        out.append(f"  {p['title']:<38} {p['used_min']:>5.1f} / {p['budget_min']:<4g}{flag}")
    out += ["", "Per category (unprompted / prompted / missed):"]
    for cat, v in card["categories"].items():
        out.append(f"  {cat:<15} {v['unprompted']} / {v['prompted']} / {v['missed']}")
    out += ["", "Items:"]
    mark = {"unprompted": "+", "prompted": "~", "missed": "-"}
    for item_id, status in card["items"].items():
        out.append(f"  {mark[status]} {status:<10} {item_id} [{items[item_id]['category']}]")
    out += ["", "Staff+ signals in what you said unprompted:"]
    for sig, present in card["signals"].items():
        out.append(f"  {'+' if present else '-'} {sig}")
    return "\n".join(out)


def cmd_interview(args: argparse.Namespace) -> int:
    """Run a mock interview headless from a Markdown answers file and print its scorecard."""
    from ..practice.interview import parse_answers, run_headless
    from .common import Invalid, emit_json, read_text, say, scenario_of

    sc = scenario_of(args, args.scenario)
    try:
        answers = parse_answers(read_text(args.answers))
        session = run_headless(sc, answers, args.minutes)
    except StaffplusError as exc:
        raise Invalid([f"{args.answers}: {exc}"]) from None
    card = session.scorecard()
    if args.record:
        from ..practice.attempts import from_interview
        from .common import keep_attempt

        keep_attempt(args.record, sc, from_interview(sc, card), card)
    if args.format == "json":
        emit_json(card)
    else:
        say(scorecard_text(card, sc))
    return 0


COMMANDS = (
    command(
        cmd_interview,
        "run a mock interview headless from a Markdown file with one '## <phase>' block per phase",
        arg("--scenario", required=True, metavar="ID"),
        arg("--answers", required=True, metavar="FILE.md"),
        arg(
            "--minutes",
            type=count_argument,
            default=None,
            help="interview length (default: the scenario's, 45)",
        ),
        FORMAT,
        arg(
            "--record",
            metavar="WORK.json",
            help="keep the interview (scorecard and attempt) in this work file, for staffplus progress",
        ),
    ),
)
