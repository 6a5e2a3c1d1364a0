"""The commands that run many parameter points: ``sweep`` and ``sensitivity``.

Points run in parallel (processes or a Dask cluster) and resumably. ``tune``, which calibrates
parameters against history, is :mod:`sim.cli.calibrate`.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from sim.cli import finding, progress, validate
from sim.cli.common import (
    FIRST_YEAR,
    LAST_YEAR,
    cache_option,
    overlay_option,
    parameter_names,
    parameter_options,
    parameters_from,
    positive,
)
from sim.errors import InputError, program
from sim.model import params as parameters

DEFAULT_WORLD_METRIC = "backtest.pre1945.brier"
"""The figure a study of the open world shows unless ``--metric`` names another
(:data:`sim.analysis.worldstudy.DEFAULT_METRIC`, repeated so the parser stays light)."""
VARIED = ("w_sites", "w_distance", "technology")
"""The parameters ``sensitivity`` varies unless ``--vary`` names others: the geography of P2
(sites at risk, distance) and the projection technology of P7."""


def add_sweep(sub: Any) -> None:
    """Add ``sweep``: a grid or Latin hypercube over declared parameters."""
    sweep = sub.add_parser("sweep", help="a grid or Latin hypercube over declared parameters")
    sweep.add_argument(
        "scenario", help="a scenario file, a scenario's name, or world: the open world"
    )
    sweep.add_argument(
        "--param",
        action="append",
        required=True,
        metavar="NAME=LOW:HIGH:STEPS",
        help="a parameter and its values (LOW:HIGH:STEPS, V1,V2,..., or LOW:HIGH with --lhs); "
        "repeatable",
    )
    sweep.add_argument(
        "--lhs", type=positive, metavar="N", help="a Latin hypercube of N points instead"
    )
    _point_options(sweep, runs=50, out="sweep")
    sweep.set_defaults(command=cmd_sweep)


def add_sensitivity(sub: Any) -> None:
    """Add ``sensitivity``: Sobol or Morris indices with SALib."""
    sens = sub.add_parser("sensitivity", help="Sobol or Morris indices with SALib")
    sens.add_argument(
        "scenario",
        help=f"a scenario file, a scenario's name ({program()} list), or world: the open world",
    )
    sens.add_argument("--method", choices=["sobol", "morris"], default="sobol")
    sens.add_argument(
        "--vary",
        dest="names",
        metavar="A,B,C",
        help=f"the parameters to vary over their declared ranges (default: {','.join(VARIED)})",
    )
    sens.add_argument("--samples", type=positive, default=64, help="base sample size N (64)")
    sens.add_argument(
        "--second-order",
        action="store_true",
        help="sobol: also the pairs' indices (S2); N(2D+2) points instead of N(D+2)",
    )
    _point_options(sens, runs=20, out="sensitivity")
    sens.add_argument("--json", action="store_true")
    sens.set_defaults(command=cmd_sensitivity)


def _point_options(parser: argparse.ArgumentParser, *, runs: int, out: str) -> None:
    """Options of the commands that run many parameter points (sweep, sensitivity)."""
    parser.add_argument("--runs", type=positive, help=f"runs per point ({runs}; world: 1)")
    parser.set_defaults(scenario_runs=runs)
    parser.add_argument("--seed", type=validate.seed, default=0)
    parser.add_argument("--workers", type=validate.workers, default=1)
    parameter_options(parser, "the parameters not varied: ")
    parser.add_argument(
        "--scheduler",
        type=validate.scheduler,
        help="a Dask scheduler address, e.g. tcp://host:8786",
    )
    overlay_option(parser)
    finding.dir_option(parser)
    parser.add_argument(
        "--metric",
        help="the quantity shown (default: the first P(honour); with world, "
        f"{DEFAULT_WORLD_METRIC}, or any figure of the back-test, the survival comparison or "
        "reliability, e.g. survival.pre1945.median, reliability.simulated.pre1945.leeds.pooled)",
    )
    parser.add_argument(
        "--years",
        type=_years,
        metavar="FIRST:LAST",
        help="with world: the span of the open world each point runs (1816:2003)",
    )
    parser.add_argument("--out", type=validate.study_folder, default=out, help="results folder")
    cache_option(parser)


def _run_points(args: argparse.Namespace, jobs: list[Any], folder: Path) -> Any:
    """Run every point of a design (resuming a stopped sweep); return the points' table."""
    from sim.analysis import tuning
    from sim.results import files as results

    target = _target(args)
    store = tuning.PointStore(folder, tuning.sweep_key(target, jobs))
    results.write_text(folder / "design.json", tuning.design_json(jobs))
    where = str(folder / "points")
    try:
        with (
            progress.bar(args, len(jobs), "point", "points", (_done(store, jobs), where)) as bar,
            tuning.executor_for(args.workers, args.scheduler) as executor,
        ):
            table = tuning.sweep(executor, target, jobs, store, progress=bar)
    except KeyboardInterrupt:
        raise progress.stopped(_done(store, jobs), len(jobs), "point", where) from None
    results.write_table(folder / "points.parquet", table)
    return table


def _target(args: argparse.Namespace) -> Any:
    """Return what each point runs: the scenario the arguments name, or the open world.

    Bad input (a scenario, an overlay, a metric the points cannot record) fails here,
    before any work.
    """
    from sim.analysis import tuning, worldstudy
    from sim.scenario.loading import load

    base = parameters_from(args).as_dict()
    world = args.scenario == worldstudy.WORLD
    args.runs = args.runs or (1 if world else args.scenario_runs)
    if world:
        if args.overlay:
            raise InputError("--overlay", args.overlay[0], "expected no overlay with world")
        sections = worldstudy.check_metric(args.metric or worldstudy.DEFAULT_METRIC)
        first, last = args.years or (FIRST_YEAR, LAST_YEAR)
        return worldstudy.WorldTarget(first, last, base, args.runs, args.seed, sections)
    if args.years:
        raise InputError(
            "--years", "", "expected world as the scenario: only the open world has years"
        )
    scenario, overlays = finding.scenario_file(args), finding.overlay_files(args)
    spec = load(scenario, overlays).spec
    if args.metric:
        tuning.check_metric(args.metric, spec)
    return tuning.Target(str(scenario), tuple(map(str, overlays)), base, args.runs, args.seed)


def _years(text: str) -> tuple[int, int]:
    """Parse ``--years FIRST:LAST``: the span of the open world a world study runs."""
    first, sep, last = text.partition(":")
    years = validate.whole(FIRST_YEAR, LAST_YEAR, "the years of the data")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected FIRST:LAST, e.g. 1816:1944 (got {text!r})")
    span = years(first), years(last)
    if span[0] > span[1]:
        raise argparse.ArgumentTypeError(f"expected FIRST no later than LAST (got {text!r})")
    return span


def _done(store: Any, jobs: list[Any]) -> int:
    return sum(store.done(job.index) for job in jobs)


def _metric(table: Any, wanted: str | None) -> str:
    columns = [c for c in table.columns if ":" in c or "." in c]  # a scenario's, a world's
    if wanted:
        if wanted not in columns:
            raise InputError("--metric", wanted, f"expected one of {', '.join(columns)}")
        return wanted
    honour = [c for c in columns if c.startswith("p_honour:") or c == DEFAULT_WORLD_METRIC]
    return (honour or columns)[0]


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run a grid or Latin hypercube of points, in parallel, resumably."""
    from sim.analysis import tuning
    from sim.plots import common as figures
    from sim.plots import studies as study_plots

    ranges = [
        _grid_range(text) if not args.lhs else tuning.parse_range(text) for text in args.param
    ]
    validate.distinct([name for name, _ in ranges], "--param")
    validate.design(args.lhs or math.prod(len(values) for _, values in ranges), "--param")
    jobs = tuning.latin_hypercube(ranges, args.lhs, args.seed) if args.lhs else tuning.grid(ranges)
    table = _run_points(args, jobs, args.out)
    metric = _metric(table, args.metric)
    print(
        f"{len(table)} points in {args.out / 'points.parquet'}; {metric}: "
        f"{table[metric].min():.3f} to {table[metric].max():.3f}"
    )
    if len(ranges) == 2:
        x, y = ranges[0][0], ranges[1][0]
        if args.lhs:
            figure, stem = study_plots.scatter(table, x, y, metric), "scatter"
        else:
            figure, stem = study_plots.heatmap(table, x, y, metric), "heatmap"
        for path in figures.save(figure, args.out / stem):
            print(f"wrote {path}")
    return 0


def _grid_range(text: str) -> tuple[str, list[float]]:
    """Parse a grid's ``--param``: ``LOW:HIGH`` alone says nothing of the steps, so is refused."""
    from sim.analysis import tuning

    if text.partition("=")[2].count(":") == 1:
        raise InputError(
            "--param", text, "a grid needs NAME=LOW:HIGH:STEPS (LOW:HIGH is enough with --lhs N)"
        )
    return tuning.parse_range(text)


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """Sobol or Morris indices of the chosen parameters on one measured quantity."""
    from sim.analysis import sensitivity

    _check_params_file(args)
    names = parameter_names(args.names, "--vary") if args.names else list(VARIED)
    validate.distinct(names, "--vary")
    pairs = args.second_order
    size = sensitivity.design_size(args.method, len(names), args.samples, pairs)
    validate.design(size, "--samples")
    if not args.json:
        chosen = "chosen with --vary" if args.names else "the default set; choose with --vary"
        print(f"varying {', '.join(names)} ({chosen}) over their declared ranges")
    design = sensitivity.design(args.method, names, args.samples, args.seed, pairs)
    table = _run_points(args, design.jobs, args.out)
    metric = _metric(table, args.metric)
    indices = sensitivity.analyse(design, table.sort_values("point")[metric].to_numpy(), args.seed)
    notes = sensitivity.warnings(design, args.samples, indices)
    written = _sensitivity_figures(args.method, indices, metric, args.out)
    if args.json:
        found = json.loads(indices.to_json(orient="index"))
        report = {"metric": metric, "varied": names, "indices": found, "warnings": notes}
        print(json.dumps({**report, "figures": [str(p) for p in written]}, indent=2))
        return 0
    print(f"{args.method} indices of {metric} ({len(table)} points):")
    print(indices.round(3).to_string())
    print("\n".join([*(f"warning: {note}" for note in notes), *(f"wrote {p}" for p in written)]))
    return 0


def _check_params_file(args: argparse.Namespace) -> None:
    """Refuse ``--params a,b,c``: a file of values, as in ``run``; names go with ``--vary``."""
    text = str(args.params or "")
    if text and not Path(text).exists() and all(n in parameters.SPECS for n in text.split(",")):
        raise InputError(
            "--params",
            text,
            "expected a YAML file of parameter values, as in `run`; "
            "give the parameters to vary with --vary a,b,c",
        )


def _sensitivity_figures(method: str, indices: Any, metric: str, out: Path) -> list[Path]:
    """Draw Sobol's S1 beside ST, or Morris's mu* bars and its mu*-sigma plane."""
    from sim.plots import common as figures
    from sim.plots import studies as study_plots

    if method == "sobol":
        return figures.save(study_plots.sobol(indices, metric), out / "sobol_indices")
    written = figures.save(study_plots.morris(indices, metric), out / "morris_indices")
    return written + figures.save(
        study_plots.morris_plane(indices, metric), out / "morris_mu_sigma"
    )
