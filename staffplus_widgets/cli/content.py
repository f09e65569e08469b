"""The commands about scenarios and answers: ``scenarios``, ``show``, ``validate``, ``review``."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import StaffplusError
from .common import (
    EXIT_OK,
    FORMAT,
    Invalid,
    arg,
    command,
    emit_json,
    load_work,
    pack_of,
    read_text,
    say,
    scenario_of,
)

if TYPE_CHECKING:  # annotations only: no import at run time
    from ..data.scenario import Scenario


# -- scenarios, show, validate ----------------------------------------------------------------------
def cmd_scenarios(args: argparse.Namespace) -> int:
    """List the scenarios (id, rubric size, title) as text or JSON, then which file replaced a
    scenario and which files were skipped (on stdout, where the listing is read, and on stderr)."""
    pack = pack_of(args)
    rows = [
        {
            "id": s.id,
            "title": s.title,
            "rubric_items": len(s.rubric),
            "categories": len(s.expected_categories()),
            "path": s.path,
            "replaces": s.replaces or None,
        }
        for s in pack.scenarios.values()
    ]
    if args.format == "json":
        emit_json({"scenarios": rows, "notices": pack.notices, "errors": pack.errors})
    else:
        width = max((len(r["id"]) for r in rows), default=2)
        for r in rows:
            say(f"{r['id']:<{width}}  {r['rubric_items']:>2} rubric items  {r['title']}")
        for notice in pack.notices:
            say(f"replaced: {notice}")
        for err in pack.errors:
            say(f"skipped: {err}")
            sys.stderr.write(f"skipped: {err}\n")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    """Print one scenario as Markdown, or its raw data as JSON."""
    sc = scenario_of(args, args.id)
    if args.format == "json":
        emit_json(sc.data)
        return EXIT_OK
    from ..documents.report import scenario_markdown

    say(scenario_markdown(sc))
    return EXIT_OK


def scenario_checks(sc: Scenario) -> tuple[list[str], list[str]]:
    """Checks beyond the schema: rubric examples and matchers, exemplar scores, the reference
    matrix's winners. Returns (problems, info)."""
    from ..feedback.rubric_checks import rubric_problems
    from ..models.tradeoff import TradeOffMatrix

    problems, info = rubric_problems(sc)
    m = TradeOffMatrix.from_scenario(sc.data)
    totals = m.totals()
    winner = m.ranking().winners
    info.append("weighted totals: " + ", ".join(f"{k} {v:.2f}" for k, v in totals.items()))
    if list(winner) != [sc.data["recommendation"]["option"]]:
        problems.append(
            f"recommendation.option: the reference scores make {', '.join(winner)} the winner (got {sc.data['recommendation']['option']!r})"
        )
    for var in sc.data["constraint_variants"]:
        mv = TradeOffMatrix.from_scenario(sc.data)
        mv.apply_variant(var)
        w = mv.ranking().winners
        info.append(
            f"variant {var['id']}: "
            + ", ".join(f"{r.name} {r.total:.2f}" for r in mv.ranking().rows)
        )
        if list(w) != [var["recommended"]]:
            problems.append(
                f"constraint_variants {var['id']}.recommended: the scores make {', '.join(w) or 'nothing'} the winner (got {var['recommended']!r})"
            )
    covered = {item["category"] for item in sc.rubric}
    for i, risk in enumerate(sc.data["reference_risks"]):
        if risk["category"] not in covered:
            problems.append(
                f"reference_risks[{i}].category: no rubric item is in this category, so the "
                f"feedback never asks about it (got {risk['category']!r})"
            )
            covered.add(risk["category"])  # one message per category
    hint_problems, hint_info = _hint_checks(sc)
    return problems + hint_problems, info + hint_info


def _shingles(text: str, n: int = 6) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9$%.]+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _hint_checks(sc: Scenario) -> tuple[list[str], list[str]]:
    """A hint nudges without giving the answer away: it shares no run of six words with what it
    hints at (beyond the prompt's and context's own words), and the risk hints cover only the
    categories a learner can leave empty."""
    problems: list[str] = []
    info: list[str] = []
    data = sc.data
    # words the learner already sees (the prompt and context) may be repeated
    seen = _shingles(" ".join([data["prompt"], *map(str, data["context"].values())]))
    for i, q in enumerate(data["clarifying_questions"]):
        if not q.get("hint"):
            info.append(
                f"clarifying_questions[{i}]: no hint (the learner goes straight to the answer)"
            )
        elif (_shingles(q["hint"]) - seen) & _shingles(f"{q['answer']} {q['changes']}"):
            problems.append(
                f"clarifying_questions[{i}].hint repeats the answer's words; say it as a nudge"
            )
    wanted = set(sc.expected_categories()) | {r["category"] for r in data["reference_risks"]}
    hints = data.get("risk_hints", {})
    for category in sorted(wanted - set(hints)):
        info.append(f"risk_hints: no hint for {category}")
    for category in sorted(set(hints) - wanted):
        problems.append(
            f"risk_hints.{category}: no rubric item or reference risk is in this category"
        )
    for category, hint in hints.items():
        answers = " ".join(
            f"{r['title']} {r['mitigation']} {r['detection']}"
            for r in data["reference_risks"]
            if r["category"] == category
        ) + " ".join(
            f"{item['point']} {' '.join(item['examples'].get('reasoned', []))}"
            for item in data["rubric"]
            if item["category"] == category
        )
        if (_shingles(hint) - seen) & _shingles(answers):
            problems.append(
                f"risk_hints.{category} repeats a reference risk's or rubric point's words"
            )
    return problems, info


def _is_price_catalogue(path: Path) -> bool:
    """``prices.yaml``, or a YAML file whose top level is a price catalogue's."""
    if path.name == "prices.yaml":
        return True
    from ..core.fileio import read_regular

    try:
        # the safe reader: a FIFO or a device named *.yaml is reported by the scenario check
        head = read_regular(path, 1_000_000, follow_links=True)[:4000].decode("utf-8", "replace")
    except StaffplusError:
        return False
    return "\ninstances:" in head and "\nlabour:" in head and "\nrubric:" not in head


def _price_problems(path: Path) -> list[str]:
    from ..core.fileio import read_regular
    from ..data import yamlcache
    from ..data.scenario import schema_problems

    try:
        raw = read_regular(path, 200_000, what="price catalogue").decode("utf-8")
        data = yamlcache.parse(raw)
    except StaffplusError as exc:
        return [str(exc)]
    except UnicodeDecodeError:
        return [f"{path}: is not UTF-8 text"]
    except yamlcache.InvalidYaml as exc:
        return [f"{path}: is not valid YAML: {exc.problem}"]
    return [f"{path}: {p}" for p in schema_problems("prices", data)]


def cmd_validate(args: argparse.Namespace) -> int:
    """Check each scenario, price catalogue or work file named, printing ok or its problems."""
    from .. import workfile
    from ..data.scenario import load_file

    problems: list[str] = []
    ids: dict[str, Path] = {}
    for name in args.paths:
        path = Path(name)
        if path.suffix.lower() in (".yaml", ".yml") and _is_price_catalogue(path):
            errs = _price_problems(path)
            problems.extend(errs)
            if not errs:
                say(f"{path}: ok (price catalogue)")
            continue
        if path.suffix.lower() in (".yaml", ".yml"):
            try:
                sc = load_file(path)
            except StaffplusError as exc:
                problems.append(str(exc))
                continue
            if sc.id in ids:
                problems.append(
                    f"{path}: duplicate scenario id {sc.id!r} (also in {ids[sc.id]}); one of them "
                    "would hide the other"
                )
                continue
            ids[sc.id] = path
            errs, info = scenario_checks(sc)
            if path.stem != sc.id:
                errs.insert(0, f"id: the file should be named {sc.id}.yaml (got {path.name!r})")
            problems.extend(f"{path}: {e}" for e in errs)
            if not errs:
                say(f"{path}: ok (scenario {sc.id}, {len(sc.rubric)} rubric items)")
            if args.verbose or errs:
                for line in info:
                    say(f"  {line}")
        elif path.suffix.lower() == ".json":
            try:
                work = workfile.read(path)
            except StaffplusError as exc:
                problems.append(str(exc))
                continue
            try:
                scenario_of(args, work["scenario"])
            except Invalid as exc:
                problems.append(f"{path}: {exc.problems[0]}")
                continue
            say(f"{path}: ok (work file for {work['scenario']}, version {work['version']})")
        else:
            problems.append(f"{path}: not a scenario (.yaml) or work file (.json)")
    if problems:
        raise Invalid(problems)
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    """Review a text answer against a scenario's rubric, or a work file against its own scenario."""
    from ..documents.report import review_text_report, work_review_text
    from ..feedback import review_text, review_work

    if args.path.lower().endswith(".json"):
        parsed = load_work(args.path)
        work = parsed.work
        if args.scenario and args.scenario != work["scenario"]:
            raise Invalid(
                [f"{args.path}: holds work for {work['scenario']!r}, not {args.scenario!r}; "
                 "drop --scenario to review it against its own rubric"]
            )  # fmt: skip
        sc = scenario_of(args, args.scenario or work["scenario"])
        try:
            result = review_work(sc, work, models=parsed.models)
        except StaffplusError as exc:
            raise Invalid([str(exc)]) from None
        if args.format == "json":
            answer = result.get("answer") or {}
            emit_json(
                {
                    **result,
                    "score": answer.get("score", 0),
                    "categories": answer.get("categories", {}),
                    "items": answer.get("items", []),
                    "missed_followups": answer.get("missed_followups", []),
                }
            )
        else:
            say(work_review_text(sc, result))
        if args.record and result.get("answer"):
            from ..practice.attempts import from_review_dict
            from .common import keep_attempt

            keep_attempt(args.path, sc, from_review_dict(result["answer"]))
        return EXIT_OK
    if not args.scenario:
        raise Invalid(["--scenario ID is required to review a text answer"])
    sc = scenario_of(args, args.scenario)
    review = review_text(sc, read_text(args.path))
    if args.format == "json":
        emit_json(review.to_dict())
    else:
        say(review_text_report(sc, review))
    return EXIT_OK


COMMANDS = (
    command(cmd_scenarios, "list scenarios: id, rubric size, title", FORMAT),
    command(cmd_show, "print one scenario", arg("id"), FORMAT),
    command(
        cmd_validate,
        "validate scenario files (.yaml) and work files (.json)",
        arg("paths", nargs="+", metavar="PATH"),
        arg("-v", "--verbose", action="store_true", help="print totals and exemplar scores"),
    ),
    command(
        cmd_review,
        "review an answer (Markdown/text, needs --scenario) or a work file (.json)",
        arg("path", metavar="ANSWER.md|WORK.json"),
        arg("--scenario", metavar="ID"),
        arg(
            "--record",
            action="store_true",
            help="keep the answer's review as an attempt in WORK.json (for staffplus progress)",
        ),
        FORMAT,
    ),
)
