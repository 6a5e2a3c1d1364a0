"""What the command line's modules share: argument types, options, scenario lookup, tables.

Every family of commands (:mod:`sim.cli.scenarios`, :mod:`sim.cli.analysis`,
:mod:`sim.cli.studies`, :mod:`sim.cli.history`) builds on these, and none on another family.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.cli import finding, progress, validate
from sim.errors import program
from sim.model import params as parameters

if TYPE_CHECKING:
    from sim.results.runs import Checkpoint, RunSet
    from sim.scenario.loading import Scenario

EXIT_INPUT = 2
"""The exit code of bad input: a malformed file, an unknown parameter or name."""
FIRST_YEAR, LAST_YEAR = 1816, 2003
"""The years of the data (:data:`sim.history.openworld.FIRST_YEAR`, ``LAST_YEAR``), repeated
here so that the parser does not load the history (pandas) to start; a test holds them equal."""
WAR_MODES = ("history", "model")
"""The open world's ways to start wars (:data:`sim.history.openworld.WAR_MODES`), as above."""
LABELS = ("honoured", "joined")
"""The labels a back-test scale can score (:data:`sim.history.forecasting.LABELS`), as above."""


def positive(text: str) -> int:
    """Parse a whole number from 1 to 100,000 (runs, trials, samples, points)."""
    return validate.count(text)


def parameters_from(args: argparse.Namespace) -> parameters.Params:
    """Return the defaults, changed by ``--params FILE`` and then by each ``--set``."""
    overrides = parameters.load_file(args.params) if args.params else None
    return parameters.build(overrides, args.set)


def parameter_names(text: str, option: str) -> list[str]:
    """Return the declared parameters a comma-separated list names (``--tune``, ``--vary``).

    Raises:
        ParameterError: a name is not declared (with the closest names).
    """
    return [parameters.check_name(n.strip(), source=option) for n in text.split(",")]


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
    parser.add_argument(
        "scenario", help=f"a scenario file, or a scenario's name ({program()} list)"
    )
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
    parameter_options(parser)
    overlay_option(parser)
    finding.dir_option(parser)


def parameter_options(parser: argparse.ArgumentParser, what: str = "") -> None:
    """Add ``--set NAME=VALUE`` (repeatable) and ``--params FILE``: the parameters of a run."""
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=f"{what}change one parameter; repeatable",
    )
    parser.add_argument(
        "--params", type=Path, metavar="FILE", help=f"{what}a YAML file of parameter: value"
    )


def cache_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--no-cache``: build the compiled history afresh, neither reading nor writing it."""
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="build the open world from the data, without the cache on disk "
        "(or set ALLIANCE_SIM_NO_CACHE=1)",
    )


def overlay_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--overlay FILE|NAME`` (repeatable): counterfactual overlays applied in order."""
    parser.add_argument(
        "--overlay",
        action="append",
        default=[],
        metavar="FILE|NAME",
        help=f"apply a counterfactual overlay, a file or a name ({program()} list); repeatable",
    )


def replicate_named(args: argparse.Namespace, *, keep_in: Path | None = None) -> RunSet:
    """Replicate the scenario the arguments name; keep finished chunks in ``keep_in``.

    A bar shows the replications on a terminal; a rerun that finds kept chunks says it
    resumed, and Ctrl-C says how many runs were kept and how to resume.
    """
    from sim.results import files as results
    from sim.results.runs import replicate
    from sim.scenario.loading import load

    scenario = load(finding.scenario_file(args), finding.overlay_files(args))
    params = parameters_from(args)
    key = _run_key(args, scenario, params)
    store = None if keep_in is None else results.ChunkStore(keep_in, key)
    where = str(keep_in / results.PARTS) if keep_in else ""
    try:
        with progress.bar(args, args.runs, "run", "replications", _kept(store, args, where)) as bar:
            return replicate(
                scenario,
                params,
                seed=args.seed,
                runs=args.runs,
                workers=args.workers,
                checkpoint=store,
                progress=bar,
            )
    except KeyboardInterrupt:
        kept = store.kept(args.runs) if store else 0
        hint = "with --out DIR, finished runs are kept and a rerun resumes"
        raise progress.stopped(kept, args.runs, "run", where or None, hint) from None


def _kept(store: Checkpoint | None, args: argparse.Namespace, where: str) -> tuple[int, str]:
    return (store.kept(args.runs) if store else 0), where


def _run_key(args: argparse.Namespace, scenario: Scenario, params: parameters.Params) -> str:
    """Return the digest that ties a results folder to one run's inputs."""
    from sim.results import files as results

    return results.run_key(
        {
            "scenario": scenario.spec.model_dump(mode="json"),
            "overlays": scenario.overlays,
            "parameters": params.as_dict(),
            "seed": args.seed,
            "runs": args.runs,
        }
    )


def jsonable(value: Any) -> Any:
    """Return ``value`` with every NaN replaced by None, so that the JSON is strict."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
