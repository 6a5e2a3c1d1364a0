"""The commands on the scenario library: list, run, explain, check, validate, params.

``validate`` checks files without running them (every problem of every file); ``run``
replays a scenario: every commitment called, with P(honour), outcome, history and the
factors that weighed most, then alliances and how they ended (:mod:`sim.cli.reports` words
it); ``explain`` gives every factor of one decision; ``check`` scores the model against every
scenario's history; ``params`` lists every parameter.
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import sys
import textwrap
from pathlib import Path
from typing import Any

from sim import cache
from sim.cli import finding, layout, progress, validate
from sim.cli.common import (
    EXIT_INPUT,
    parameters_from,
    positive,
    replicate_named,
    scenario_options,
    table,
)
from sim.errors import InputError
from sim.model import params as parameters


def add_list(sub: Any) -> None:
    """Add ``list``: the scenarios of a folder, one line each."""
    listing = sub.add_parser("list", help="list the scenarios")
    finding.dir_option(listing, "list only this folder's scenarios; repeatable")
    listing.set_defaults(command=cmd_list)


def add_run(sub: Any) -> None:
    """Add ``run``: replay a scenario and show every decision."""
    run = sub.add_parser("run", help="replay a scenario and show every decision")
    scenario_options(run)
    run.add_argument(
        "--out", type=validate.results_folder, help="write the run's tables and metadata here"
    )
    run.add_argument("--json", action="store_true", help="print one JSON object")
    layout.layout_options(run, ("decisions", "alliances"))
    run.add_argument(
        "--plots",
        action="store_true",
        help="with --out: also draw the usual figures into OUT/plots",
    )
    run.set_defaults(command=cmd_run)


def add_explain(sub: Any) -> None:
    """Add ``explain``: one decision factor by factor."""
    why = sub.add_parser("explain", help="explain one decision factor by factor")
    scenario_options(why)
    why.add_argument(
        "decision",
        nargs="?",
        default="",
        help="war:guarantor:partner as `run` shows it (or a unique prefix), a guarantor, a "
        "number from 1 (without it, the decisions are listed)",
    )
    why.add_argument("--json", action="store_true", help="print one JSON object")
    why.set_defaults(command=cmd_explain)


def add_check(sub: Any) -> None:
    """Add ``check``: the model scored against every scenario's history."""
    check = sub.add_parser("check", help="score the model against every scenario's history")
    check.add_argument("--runs", type=positive, default=100, help="Monte Carlo runs (100)")
    check.add_argument("--seed", type=validate.seed, default=0, help="random seed (0)")
    check.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    check.add_argument("--params", type=Path, help="a YAML file of parameter: value")
    finding.dir_option(check, "score only this folder's scenarios; repeatable")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    layout.layout_options(check, ("cases",))
    check.set_defaults(command=cmd_check)


def add_validate(sub: Any) -> None:
    """Add ``validate``: check scenario files without running them."""
    check = sub.add_parser(
        "validate", help="check scenario (or overlay) files without running them"
    )
    check.add_argument("files", nargs="+", type=Path, metavar="FILE", help="files to check")
    check.set_defaults(command=cmd_validate)


def add_params(sub: Any) -> None:
    """Add ``params``: every parameter with its default and range."""
    declared = sub.add_parser("params", help="list every parameter with its default and range")
    declared.add_argument("--json", action="store_true", help="print one JSON object")
    declared.set_defaults(command=cmd_params)


def cmd_list(args: argparse.Namespace) -> int:
    """Print the scenarios found with a one-line summary each, then the overlays."""
    paths = finding.scenario_set(args)
    own = any(finding.origin(p) != "library" for p in paths)
    rows = []
    for path in paths:
        where = [finding.origin(path)] if own else []
        rows.append([path.stem, *where, *_listing(path)])
    header = ["scenario", *(["from"] if own else []), "years", "shows", "summary"]
    print(layout.wrapped(table(header, rows)))
    counterfactuals = finding.overlay_set(args)
    if counterfactuals:
        print("\ncounterfactual overlays (--overlay NAME, or run them by name):")
        for path in counterfactuals:
            line = f"  {path.stem}: {_overlay_title(path, paths)}"
            print(textwrap.fill(line, shutil.get_terminal_size().columns, subsequent_indent="    "))
    return 0


def _listing(path: Path) -> list[str]:
    """Return a scenario's years, propositions and summary, kept in the cache by its content.

    A file that does not load fails here as ``load`` fails, and nothing is kept of it.
    """

    def read() -> list[str]:
        from sim.scenario.loading import load

        spec = load(path).spec
        years = f"{spec.start.year}-{spec.end.year}"
        return [years, ",".join(spec.propositions), spec.summary]

    return cache.cached("listing", {"scenario": str(path.resolve())}, read, files=[path])


def _overlay_title(path: Path, scenarios: list[Path]) -> str:
    """Return an overlay's title, kept in the cache by its content and its possible bases'."""

    def read() -> str:
        from sim.scenario.loading import load

        return load(path).overlay_titles[0]

    key = {"overlay": str(path.resolve())}
    return cache.cached("listing", key, read, files=[path, *scenarios])


def cmd_run(args: argparse.Namespace) -> int:
    """Replay a scenario and print its decisions and alliances."""
    from sim.analysis import summary
    from sim.cli import charts, reports
    from sim.results import files as results

    if args.plots and not args.out:
        raise InputError("run", "--plots", "expected --out DIR too: the figures go to DIR/plots")
    runset = replicate_named(args, keep_in=args.out)
    decisions, alliances = summary.decisions(runset), summary.alliances(runset)
    written = results.save(runset, args.out) if args.out else []
    if args.plots and args.out:
        written += charts.usual_plots(runset, Path(args.out))
    if args.json:
        print(json.dumps(reports.run_json(runset, decisions, alliances, written), indent=2))
    elif args.csv:
        print(reports.run_csv(decisions, alliances, args.csv), end="")
    else:
        case = finding.as_given(args)
        wide = reports.run_text(runset, decisions, alliances, written, case)
        if layout.narrow(args, wide):
            wide = reports.run_text(runset, decisions, alliances, written, case, layout.records)
        print(wide)
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    """Print every factor of one decision with its value, weight and contribution."""
    from sim.analysis import explain as explaining
    from sim.cli import reports

    runset = replicate_named(args)
    exp = explaining.explain(runset, args.decision)
    if args.json:
        print(json.dumps(reports.explain_json(exp), indent=2))
    else:
        print(reports.explain_text(exp, runset))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Run every scenario and print the history scorecard."""
    from sim.analysis import scorecard as scoring
    from sim.cli import reports

    params = parameters_from(args)
    paths = finding.scenario_set(args)
    with progress.bar(args, len(paths) * args.runs, "run", "scenarios") as bar:
        card = scoring.scorecard(paths, params, args.runs, args.seed, progress=bar)
    for error in card.errors:
        print(f"error: {error}", file=sys.stderr)
    code = EXIT_INPUT if card.errors else 0
    if args.json:
        print(json.dumps(card.as_dict(), indent=2))
    elif args.csv:
        print(reports.check_csv(card), end="")
    else:
        wide = reports.check_text(card, args.runs, args.seed)
        narrow = layout.narrow(args, wide)
        by_case = functools.partial(layout.records, heading=2)
        print(reports.check_text(card, args.runs, args.seed, by_case) if narrow else wide)
    return code


def cmd_validate(args: argparse.Namespace) -> int:
    """Print every problem of every file, one line each; exit 2 if any file has one.

    A file is a path, or a scenario's or overlay's name as ``run`` takes it.
    """
    from sim.scenario.loading import problems

    bad = 0
    for name in args.files:
        found = problems(name)
        for problem in found:
            print(f"error: {problem}", file=sys.stderr)
        if not found:
            print(f"ok: {name}")
        bad += bool(found)
    return EXIT_INPUT if bad else 0


def cmd_params(args: argparse.Namespace) -> int:
    """Print every parameter's declaration."""
    specs = parameters.specs()
    if args.json:
        print(json.dumps([vars(s) for s in specs], indent=2))
        return 0
    rows = [[s.name, f"{s.default:g}", f"{s.low:g}..{s.high:g}", s.unit, s.meaning] for s in specs]
    print(table(["parameter", "default", "range", "unit", "meaning"], rows))
    return 0
