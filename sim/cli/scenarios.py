"""The commands on the scenario library: ``list``, ``run``, ``explain``, ``check``, ``params``.

``run`` replays a scenario: every commitment called, with P(honour), outcome, history and the
factors that weighed most, then alliances and how they ended (:mod:`sim.cli.reports` words
it); ``explain`` gives every factor of one decision; ``check`` scores the model against every
scenario's history; ``params`` lists every parameter.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from sim.analysis import explain as explaining
from sim.analysis import scorecard as scoring
from sim.analysis import summary
from sim.cli import charts, reports, validate
from sim.cli.common import (
    SCENARIOS,
    parameters_from,
    positive,
    replicate_named,
    scenario_options,
    table,
)
from sim.model import params as parameters
from sim.results import files as results
from sim.scenario.loading import load, scenario_files


def add_list(sub: Any) -> None:
    """Add ``list``: the scenarios of a folder, one line each."""
    listing = sub.add_parser("list", help="list the scenarios")
    listing.add_argument(
        "--dir", type=validate.scenario_folder, default=SCENARIOS, help="scenarios folder"
    )
    listing.set_defaults(command=cmd_list)


def add_run(sub: Any) -> None:
    """Add ``run``: replay a scenario and show every decision."""
    run = sub.add_parser("run", help="replay a scenario and show every decision")
    scenario_options(run)
    run.add_argument(
        "--out", type=validate.output_folder, help="write the run's tables and metadata here"
    )
    run.add_argument("--json", action="store_true", help="print one JSON object")
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
        help="war:guarantor:partner as `run` shows it (or a unique prefix), a guarantor, a number",
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
    check.add_argument(
        "--dir", type=validate.scenario_folder, default=SCENARIOS, help="scenarios folder"
    )
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.set_defaults(command=cmd_check)


def add_params(sub: Any) -> None:
    """Add ``params``: every parameter with its default and range."""
    declared = sub.add_parser("params", help="list every parameter with its default and range")
    declared.add_argument("--json", action="store_true", help="print one JSON object")
    declared.set_defaults(command=cmd_params)


def cmd_list(args: argparse.Namespace) -> int:
    """Print the scenarios of a folder with a one-line summary each."""
    rows = []
    for path in scenario_files(args.dir):
        spec = load(path).spec
        years = f"{spec.start.year}-{spec.end.year}"
        rows.append([path.stem, years, ",".join(spec.propositions), spec.summary])
    print(table(["scenario", "years", "shows", "summary"], rows))
    counterfactuals = sorted((args.dir / "counterfactuals").glob("*.yaml"))
    if counterfactuals:
        print("\ncounterfactual overlays (--overlay FILE, or run them by name):")
        for path in counterfactuals:
            print(f"  {path.stem}: {load(path).overlay_titles[0]}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Replay a scenario and print its decisions and alliances."""
    runset = replicate_named(args, keep_in=args.out)
    decisions, alliances = summary.decisions(runset), summary.alliances(runset)
    written = results.save(runset, args.out) if args.out else []
    if args.plots and args.out:
        written += charts.usual_plots(runset, Path(args.out))
    if args.json:
        print(json.dumps(reports.run_json(runset, decisions, alliances, written), indent=2))
    else:
        print(reports.run_text(runset, decisions, alliances, written))
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    """Print every factor of one decision with its value, weight and contribution."""
    runset = replicate_named(args)
    exp = explaining.explain(runset, args.decision)
    if args.json:
        print(json.dumps(reports.explain_json(exp), indent=2))
    else:
        print(reports.explain_text(exp, runset))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Run every scenario and print the history scorecard."""
    params = parameters_from(args)
    card = scoring.scorecard(scenario_files(args.dir), params, args.runs, args.seed)
    if args.json:
        print(json.dumps(card.as_dict(), indent=2))
        return 0
    rows = [
        [
            c.scenario,
            c.what,
            f"{c.p_model:.2f}",
            "yes" if c.history else "no",
            "right" if c.right else "WRONG",
            f"{c.brier:.3f}",
            c.detail,
        ]
        for c in card.cases
    ]
    print(
        table(
            ["scenario", "outcome", "model P", "happened", "side of 0.5", "Brier", "detail"], rows
        )
    )
    print(
        f"\n{card.right} of {card.n} outcomes on the right side of 0.5; "
        f"mean Brier score {card.brier:.3f} ({args.runs} runs each, seed {args.seed})\n"
    )
    print(
        table(
            ["scenario", "demonstrates"],
            [[name, ", ".join(props)] for name, props in card.propositions.items()],
        )
    )
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    """Print every parameter's declaration."""
    specs = parameters.specs()
    if args.json:
        print(json.dumps([vars(s) for s in specs], indent=2))
        return 0
    rows = [[s.name, f"{s.default:g}", f"{s.low:g}..{s.high:g}", s.unit, s.meaning] for s in specs]
    print(table(["parameter", "default", "range", "unit", "meaning"], rows))
    return 0
