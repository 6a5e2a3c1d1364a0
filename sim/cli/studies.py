"""The commands that run many parameter points: ``sweep``, ``sensitivity`` and ``tune``.

Points run in parallel (processes or a Dask cluster) and resumably; ``tune`` calibrates
parameters against the scenarios' history, the back-test, or both.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.cli import validate
from sim.cli.common import SCENARIOS, positive, scenario_path
from sim.errors import InputError
from sim.model import params as parameters
from sim.results import files as results
from sim.scenario.loading import load, scenario_files

if TYPE_CHECKING:
    from sim.analysis.calibration import Fit


def add_sweep(sub: Any) -> None:
    """Add ``sweep``: a grid or Latin hypercube over declared parameters."""
    sweep = sub.add_parser("sweep", help="a grid or Latin hypercube over declared parameters")
    sweep.add_argument("scenario", help="a scenario file, or a scenario's name")
    sweep.add_argument(
        "--param",
        action="append",
        required=True,
        metavar="NAME=LOW:HIGH:STEPS",
        help="a parameter and its values; repeatable",
    )
    sweep.add_argument("--lhs", type=positive, help="a Latin hypercube of N points instead")
    _point_options(sweep, runs=50, out="sweep")
    sweep.set_defaults(command=cmd_sweep)


def add_sensitivity(sub: Any) -> None:
    """Add ``sensitivity``: Sobol or Morris indices with SALib."""
    sens = sub.add_parser("sensitivity", help="Sobol or Morris indices with SALib")
    sens.add_argument("scenario")
    sens.add_argument("--method", choices=["sobol", "morris"], default="sobol")
    sens.add_argument("--params", dest="names", help="comma-separated parameter names")
    sens.add_argument("--samples", type=positive, default=64, help="base sample size N (64)")
    _point_options(sens, runs=20, out="sensitivity")
    sens.add_argument("--json", action="store_true")
    sens.set_defaults(command=cmd_sensitivity)


def add_tune(sub: Any) -> None:
    """Add ``tune``: calibrate parameters against history (optuna, TPE)."""
    tune = sub.add_parser("tune", help="calibrate parameters against history (optuna, TPE)")
    tune.add_argument(
        "--target",
        choices=["scenarios", "backtest", "both", "survival"],
        default="scenarios",
        help="the scorecard's Brier score, the back-test's (1816-1944), their mean, or the "
        "distance of the open world's alliances of 1816-1944 from ATOP's (survival)",
    )
    tune.add_argument("--trials", type=positive, default=30)
    tune.add_argument(
        "--method",
        choices=["tpe", "mle"],
        default="tpe",
        help="optuna's TPE search (any target), or the kernel's weights by penalised maximum "
        "likelihood (--target backtest)",
    )
    tune.add_argument(
        "--prior-sd",
        type=float,
        help="mle: the prior's spread around the essay's weights, in log-odds (default: the "
        "spread with the lowest log-loss cross-validated by war on 1816-1944)",
    )
    tune.add_argument(
        "--hold",
        default="w_own_war,w_distance,w_treaty,w_loyalty",
        help="mle: weights held at the essay's values (w_treaty, w_loyalty: P3; w_distance: P6, "
        "P12; w_own_war: no scored case is already at war); '' for none",
    )
    tune.add_argument(
        "--runs",
        type=positive,
        help="runs per scenario per trial (20); with mle, runs of the open world (3); with "
        "survival, runs of the open world per trial (4)",
    )
    tune.add_argument("--seed", type=validate.seed, default=0)
    tune.add_argument("--tune", dest="names", help="comma-separated parameters to tune")
    tune.add_argument("--dir", type=validate.scenario_folder, default=SCENARIOS)
    tune.add_argument(
        "--storage",
        type=validate.storage,
        help="an optuna journal file or database URL, to share a study",
    )
    tune.add_argument("--study", default="alliance-sim", help="the study's name in the storage")
    tune.add_argument("--cv", action="store_true", help="also leave-one-scenario-out fits")
    tune.add_argument("--out", type=validate.output_file, default="tuned.yaml")
    tune.add_argument("--json", action="store_true")
    tune.set_defaults(command=cmd_tune)


def _point_options(parser: argparse.ArgumentParser, *, runs: int, out: str) -> None:
    """Options of the commands that run many parameter points (sweep, sensitivity)."""
    parser.add_argument("--runs", type=positive, default=runs, help=f"runs per point ({runs})")
    parser.add_argument("--seed", type=validate.seed, default=0)
    parser.add_argument("--workers", type=validate.workers, default=1)
    parser.add_argument(
        "--scheduler",
        type=validate.scheduler,
        help="a Dask scheduler address, e.g. tcp://host:8786",
    )
    parser.add_argument("--overlay", action="append", default=[], type=Path)
    parser.add_argument("--metric", help="the quantity shown (default: the first P(honour))")
    parser.add_argument("--out", type=validate.output_folder, default=out, help="results folder")


def _run_points(args: argparse.Namespace, jobs: list[Any], folder: Path) -> Any:
    from tqdm import tqdm

    from sim.analysis import tuning

    scenario = scenario_path(args.scenario)
    spec = load(scenario, args.overlay).spec  # bad input fails here, before any work
    if args.metric:
        tuning.check_metric(args.metric, spec)
    target = tuning.Target(
        str(scenario), tuple(str(o) for o in args.overlay), {}, args.runs, args.seed
    )
    store = tuning.PointStore(folder, tuning.sweep_key(target, jobs))
    results.write_text(folder / "design.json", tuning.design_json(jobs))
    with (
        tqdm(total=len(jobs), unit="point", file=sys.stderr) as bar,
        tuning.executor_for(args.workers, args.scheduler) as executor,
    ):
        table = tuning.sweep(executor, target, jobs, store, progress=bar.update)
    results.write_table(folder / "points.parquet", table)
    return table


def _metric(table: Any, wanted: str | None) -> str:
    columns = [c for c in table.columns if ":" in c]
    if wanted:
        if wanted not in columns:
            raise InputError("--metric", wanted, f"expected one of {', '.join(columns)}")
        return wanted
    honour = [c for c in columns if c.startswith("p_honour:")]
    return (honour or columns)[0]


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run a grid or Latin hypercube of points, in parallel, resumably."""
    from sim.analysis import tuning
    from sim.plots import common as figures
    from sim.plots import studies as study_plots

    ranges = [tuning.parse_range(text) for text in args.param]
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
        figure = study_plots.heatmap(table, x, y, metric, f"{metric} over {x} and {y}")
        for path in figures.save(figure, args.out / "heatmap"):
            print(f"wrote {path}")
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """Sobol or Morris indices of the chosen parameters on one measured quantity."""
    from sim.analysis import sensitivity
    from sim.plots import common as figures
    from sim.plots import studies as study_plots

    names = args.names.split(",") if args.names else ["w_sites", "w_distance", "technology"]
    for name in validate.distinct(names, "--params"):
        if name not in parameters.SPECS:
            raise InputError("--params", name, "unknown parameter (run.py params lists them)")
    validate.design(sensitivity.design_size(args.method, len(names), args.samples), "--samples")
    design = sensitivity.design(args.method, names, args.samples, args.seed)
    table = _run_points(args, design.jobs, args.out)
    metric = _metric(table, args.metric)
    indices = sensitivity.analyse(design, table.sort_values("point")[metric].to_numpy(), args.seed)
    notes = sensitivity.warnings(design, args.samples, indices)
    value, error = ("ST", "ST_conf") if args.method == "sobol" else ("mu_star", "mu_star_conf")
    figure = study_plots.bars(
        indices[value], indices[error], value, f"{args.method.title()} sensitivity of {metric}"
    )
    written = figures.save(figure, args.out / f"{args.method}_indices")
    if args.json:
        print(
            json.dumps(
                {
                    "metric": metric,
                    "indices": json.loads(indices.to_json(orient="index")),
                    "warnings": notes,
                    "figures": [str(p) for p in written],
                },
                indent=2,
            )
        )
        return 0
    print(f"{args.method} indices of {metric} ({len(table)} points):")
    print(indices.round(3).to_string())
    for note in notes:
        print(f"warning: {note}")
    return 0


def cmd_tune(args: argparse.Namespace) -> int:
    """Calibrate parameters against the scenarios' history; write tuned.yaml."""
    from sim.analysis import calibration

    if args.method == "mle":
        from sim.cli.mle import cmd_mle

        args.runs = args.runs or 3
        return cmd_mle(args)
    if args.target == "survival":
        from sim.cli.survival_fit import cmd_survival_fit

        return cmd_survival_fit(args)
    args.runs = args.runs or 20
    names = args.names.split(",") if args.names else list(calibration.DEFAULT_TUNED)
    for name in validate.distinct(names, "--tune"):
        if name not in parameters.SPECS:
            raise InputError("--tune", name, "unknown parameter (run.py params lists them)")
    storage = calibration.storage_for(args.storage)
    objective = _tune_loss(args)
    default = objective(parameters.Params())
    fit = calibration.tune(objective, names, args.trials, args.seed, storage, args.study)
    cv = (
        calibration.leave_one_out(
            scenario_files(args.dir), names, args.trials, args.runs, args.seed
        )
        if args.cv and args.target == "scenarios"
        else []
    )
    written = fit_figures(fit, args.out)
    text = "".join(f"{k}: {v:.6g}\n" for k, v in sorted(fit.values.items()))
    results.write_text(
        args.out, f"# tuned by run.py tune: Brier {fit.loss:.4f} (defaults {default:.4f})\n{text}"
    )
    report = {
        "target": args.target,
        "default_brier": default,
        "tuned_brier": fit.loss,
        "trials": fit.trials,
        "values": fit.values,
        "importances": fit.importances,
        "cross_validation": cv,
        "out_of_sample": _post1945(fit.values, args.seed) if args.target != "scenarios" else None,
        "file": str(args.out),
        "figures": [str(p) for p in written],
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    _print_fit(report, args.out, written)
    return 0


def fit_figures(fit: Fit, out: Path) -> list[Path]:
    """Draw the trials' losses and, if the fit has them, the parameters' importances."""
    import pandas as pd

    from sim.plots import common as figures
    from sim.plots import studies as study_plots

    written = figures.save(
        study_plots.optimisation_history(fit.history, "Calibration against history"),
        out.with_name(out.stem + "_history"),
    )
    if fit.importances:
        series = pd.Series(fit.importances).sort_values(ascending=False)
        written += figures.save(
            study_plots.bars(
                series, None, "importance (PED-ANOVA)", "Which parameters the fit depends on"
            ),
            out.with_name(out.stem + "_importances"),
        )
    return written


def _print_fit(report: dict[str, Any], out: Path, written: list[Path]) -> None:
    """Print the fit: Brier in and out of sample, each left-out scenario, the files."""
    default, tuned, trials = report["default_brier"], report["tuned_brier"], report["trials"]
    print(f"in-sample Brier: defaults {default:.4f}, tuned {tuned:.4f} ({trials} trials)")
    if report["out_of_sample"]:
        for which, m in report["out_of_sample"].items():
            print(
                f"  1945-2003, never used in tuning, {which}: n {m['n']}, "
                f"Brier {m['brier']:.4f}, AUC {m['auc']:.3f}"
            )
    for row in report["cross_validation"]:
        print(
            f"  left out {row['held_out']}: tuned on the rest {row['in_sample']:.4f}; "
            f"on it: tuned {row['out_of_sample']:.4f}, defaults {row['default']:.4f}"
        )
    print(f"wrote {out} (use: run.py run SCENARIO --params {out})")
    print("\n".join(f"wrote {p}" for p in written))


def _post1945(values: dict[str, float], seed: int) -> dict[str, Any]:
    """Return the back-test of 1945-2003, out of sample, under the defaults and tuned values."""
    from sim.history import backtest, openworld, worldrun

    built = openworld.build()
    found = {}
    for which, params in (("defaults", parameters.Params()), ("tuned", parameters.build(values))):
        report = backtest.report(worldrun.run(built, params, seed).cases)["post1945"]
        found[which] = {k: report[k] for k in ("n", "brier", "auc")}
    return found


def _tune_loss(args: argparse.Namespace) -> Any:
    """Return the loss the ``--target`` names: scenarios, the back-test to 1944, or their mean."""
    from sim.analysis import calibration

    if args.target == "scenarios":
        return calibration.scenario_loss(scenario_files(args.dir), args.runs, args.seed)
    early = calibration.backtest_loss(args.seed)
    if args.target == "backtest":
        return early
    cards = calibration.scenario_loss(scenario_files(args.dir), args.runs, args.seed)
    return lambda params: (early(params) + cards(params)) / 2.0
