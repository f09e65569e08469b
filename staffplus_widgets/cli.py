"""The ``staffplus`` command.

Exit codes: 0 success, 1 invalid input (one line per problem on stderr), 2 usage error.
Bad input never produces a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ._version import __version__
from .errors import StaffplusError

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class Invalid(Exception):
    """Invalid input: each entry of ``problems`` is printed on its own line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _json(data: Any) -> None:
    _out(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False))


def _pack(args: argparse.Namespace) -> Any:
    from .scenario import get_pack

    return get_pack(args.scenarios or None)


def _scenario(args: argparse.Namespace, scenario_id: str) -> Any:
    pack = _pack(args)
    try:
        return pack.get(scenario_id)
    except StaffplusError as exc:
        raise Invalid([str(exc), *pack.errors]) from None


# -- scenarios, show, validate ----------------------------------------------------------------------
def cmd_scenarios(args: argparse.Namespace) -> int:
    pack = _pack(args)
    rows = [
        {
            "id": s.id,
            "title": s.title,
            "rubric_items": len(s.rubric),
            "categories": len(s.expected_categories()),
            "path": s.path,
        }
        for s in pack.scenarios.values()
    ]
    if args.format == "json":
        _json({"scenarios": rows, "errors": pack.errors})
    else:
        width = max((len(r["id"]) for r in rows), default=2)
        for r in rows:
            _out(f"{r['id']:<{width}}  {r['rubric_items']:>2} rubric items  {r['title']}")
        for err in pack.errors:
            sys.stderr.write(f"skipped: {err}\n")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    sc = _scenario(args, args.id)
    if args.format == "json":
        _json(sc.data)
        return EXIT_OK
    from .report import scenario_markdown

    _out(scenario_markdown(sc))
    return EXIT_OK


def scenario_checks(sc: Any) -> tuple[list[str], list[str]]:
    """Checks beyond the schema: rubric examples and matchers, exemplar scores, the reference
    matrix's winners. Returns (problems, info)."""
    from .feedback.rubric_checks import rubric_problems
    from .tradeoff import TradeOffMatrix

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
    return problems, info


def _is_price_catalogue(path: Path) -> bool:
    """``prices.yaml``, or a YAML file whose top level is a price catalogue's."""
    if path.name == "prices.yaml":
        return True
    from .fileio import read_regular

    try:
        # the safe reader: a FIFO or a device named *.yaml is reported by the scenario check
        head = read_regular(path, 1_000_000, follow_links=True)[:4000].decode("utf-8", "replace")
    except StaffplusError:
        return False
    return "\ninstances:" in head and "\nlabour:" in head and "\nrubric:" not in head


def _price_problems(path: Path) -> list[str]:
    from . import yamlcache
    from .fileio import read_regular
    from .scenario import schema_problems

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
    from . import workfile
    from .scenario import load_file

    problems: list[str] = []
    ids: dict[str, Path] = {}
    for name in args.paths:
        path = Path(name)
        if path.suffix.lower() in (".yaml", ".yml") and _is_price_catalogue(path):
            errs = _price_problems(path)
            problems.extend(errs)
            if not errs:
                _out(f"{path}: ok (price catalogue)")
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
            problems.extend(f"{path}: {e}" for e in errs)
            if not errs:
                _out(f"{path}: ok (scenario {sc.id}, {len(sc.rubric)} rubric items)")
            if args.verbose or errs:
                for line in info:
                    _out(f"  {line}")
        elif path.suffix.lower() == ".json":
            try:
                work = workfile.read(path)
            except StaffplusError as exc:
                problems.append(str(exc))
                continue
            try:
                _scenario(args, work["scenario"])
            except Invalid as exc:
                problems.append(f"{path}: {exc.problems[0]}")
                continue
            _out(f"{path}: ok (work file for {work['scenario']}, version {work['version']})")
        else:
            problems.append(f"{path}: not a scenario (.yaml) or work file (.json)")
    if problems:
        raise Invalid(problems)
    return EXIT_OK


# -- review ------------------------------------------------------------------------------------------
def count_argument(text: str) -> int:
    """An argparse type for counts (--minutes, --number): ASCII digits only, since int() takes
    "１２" (full-width) as 12 and "4_5" as 45."""
    from .validation import ascii_int

    try:
        return ascii_int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a whole number in digits 0-9 (got {text!r})"
        ) from None


def _read_text(path: str, limit: int = 1_000_000) -> str:
    """An answer or answers file: regular files only (never a FIFO), UTF-8, at most ``limit``."""
    from .fileio import read_regular

    try:
        raw = read_regular(path, limit, what="text file")
    except StaffplusError as exc:
        raise Invalid([str(exc)]) from None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise Invalid([f"{path}: is not UTF-8 text"]) from None


def _load_work(path: str) -> dict[str, Any]:
    from .export import read_work

    try:
        return read_work(path)
    except StaffplusError as exc:
        raise Invalid([str(exc)]) from None


def cmd_review(args: argparse.Namespace) -> int:
    from .feedback import review_text, review_work
    from .report import review_text_report, work_review_text

    if args.path.lower().endswith(".json"):
        work = _load_work(args.path)
        if args.scenario and args.scenario != work["scenario"]:
            raise Invalid(
                [f"{args.path}: holds work for {work['scenario']!r}, not {args.scenario!r}; "
                 "drop --scenario to review it against its own rubric"]
            )  # fmt: skip
        sc = _scenario(args, args.scenario or work["scenario"])
        try:
            result = review_work(sc, work)
        except StaffplusError as exc:
            raise Invalid([str(exc)]) from None
        if args.format == "json":
            answer = result.get("answer") or {}
            _json(
                {
                    **result,
                    "score": answer.get("score", 0),
                    "categories": answer.get("categories", {}),
                    "items": answer.get("items", []),
                    "missed_followups": answer.get("missed_followups", []),
                }
            )
        else:
            _out(work_review_text(sc, result))
        return EXIT_OK
    if not args.scenario:
        raise Invalid(["--scenario ID is required to review a text answer"])
    sc = _scenario(args, args.scenario)
    review = review_text(sc, _read_text(args.path))
    if args.format == "json":
        _json(review.to_dict())
    else:
        _out(review_text_report(sc, review))
    return EXIT_OK


# -- parser ------------------------------------------------------------------------------------------
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="staffplus",
        description="Practise Staff+/Principal ML system design interviews: scenarios, rubric feedback, "
        "mock interviews, reports and workshop tools.",
    )
    parser.add_argument("--version", action="version", version=f"staffplus {__version__}")
    parser.add_argument(
        "--scenarios",
        action="append",
        metavar="DIR",
        help="extra folder of scenario YAML files (repeatable; also STAFFPLUS_SCENARIOS)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(
        name: str, func: Callable[[argparse.Namespace], int], help_text: str
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument(
            "--scenarios",
            action="append",
            metavar="DIR",
            default=argparse.SUPPRESS,
            help="extra folder of scenario YAML files",
        )
        COMMANDS[name] = func
        return p

    p = add("scenarios", cmd_scenarios, "list scenarios: id, rubric size, title")
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = add("show", cmd_show, "print one scenario")
    p.add_argument("id")
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = add("validate", cmd_validate, "validate scenario files (.yaml) and work files (.json)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("-v", "--verbose", action="store_true", help="print totals and exemplar scores")

    p = add(
        "review",
        cmd_review,
        "review an answer (Markdown/text, needs --scenario) or a work file (.json)",
    )
    p.add_argument("path", metavar="ANSWER.md|WORK.json")
    p.add_argument("--scenario", metavar="ID")
    p.add_argument("--format", choices=("text", "json"), default="text")

    from . import cli_more

    cli_more.register(add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: 0 for --help/--version, 2 for usage errors
        return int(exc.code or 0)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    if not hasattr(args, "scenarios"):
        args.scenarios = None
    try:
        return COMMANDS[args.command](args)
    except Invalid as exc:
        for problem in exc.problems:
            sys.stderr.write(f"staffplus {args.command}: {problem}\n")
        return EXIT_INVALID
    except StaffplusError as exc:
        sys.stderr.write(f"staffplus {args.command}: {exc}\n")
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
