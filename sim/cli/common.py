"""What the command line's modules share: argument types, options, scenario lookup, tables.

Every family of commands (:mod:`sim.cli.scenarios`, :mod:`sim.cli.analysis`,
:mod:`sim.cli.studies`, :mod:`sim.cli.history`) builds on these, and none on another family.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sim.cli import validate
from sim.model import params as parameters
from sim.results import files as results
from sim.results.runs import RunSet, replicate
from sim.scenario.loading import load

SCENARIOS = Path("scenarios")
"""Where a scenario named without a path is looked for (and its counterfactuals/ folder)."""


def positive(text: str) -> int:
    """Parse a whole number from 1 to 100,000 (runs, trials, samples, points)."""
    return validate.count(text)


def parameters_from(args: argparse.Namespace) -> parameters.Params:
    """Return the defaults, changed by ``--params FILE`` and then by each ``--set``."""
    overrides = parameters.load_file(args.params) if args.params else None
    return parameters.build(overrides, args.set)


def table(header: list[str], rows: list[list[Any]]) -> str:
    """Render rows as a plain text table with aligned columns."""
    cells = [header, *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    render = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    render.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(render)


def slug(text: str) -> str:
    """Return ``text`` as a file name's stem: lower case, every other character ``_``."""
    return "".join(c if c.isalnum() else "_" for c in text.lower()).strip("_")


def scenario_options(parser: argparse.ArgumentParser) -> None:
    """Add a scenario argument and the options of its replications."""
    parser.add_argument("scenario", help="a scenario file, or a scenario's name")
    replication_options(parser)


def replication_options(parser: argparse.ArgumentParser) -> None:
    """Add the options of a scenario's replications: runs, workers, seed, parameters, overlays."""
    parser.add_argument("--runs", type=positive, default=200, help="Monte Carlo runs (200)")
    parser.add_argument(
        "--workers",
        type=validate.workers,
        default=1,
        help="worker processes (1); results do not depend on it",
    )
    parser.add_argument("--seed", type=validate.seed, default=0, help="random seed (0)")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="change one parameter; repeatable",
    )
    parser.add_argument("--params", type=Path, help="a YAML file of parameter: value")
    parser.add_argument(
        "--overlay",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="apply a counterfactual overlay; repeatable",
    )


def scenario_path(name: str) -> Path:
    """Return the file a scenario argument names: a path, or a name in the scenarios folder."""
    path = Path(name)
    if path.exists() or path.suffix:
        return path
    for candidate in (SCENARIOS / f"{name}.yaml", SCENARIOS / "counterfactuals" / f"{name}.yaml"):
        if candidate.exists():
            return candidate
    return path


def replicate_named(args: argparse.Namespace, *, keep_in: Path | None = None) -> RunSet:
    """Replicate the scenario the arguments name; keep finished chunks in ``keep_in``."""
    scenario = load(scenario_path(args.scenario), args.overlay)
    params = parameters_from(args)
    store = None
    if keep_in is not None:
        key = results.run_key(
            {
                "scenario": scenario.spec.model_dump(mode="json"),
                "overlays": scenario.overlays,
                "parameters": params.as_dict(),
                "seed": args.seed,
                "runs": args.runs,
            }
        )
        store = results.ChunkStore(keep_in, key)
    return replicate(
        scenario, params, seed=args.seed, runs=args.runs, workers=args.workers, checkpoint=store
    )
