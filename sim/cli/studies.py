"""The commands that run many parameter points: ``sweep``, ``sensitivity`` and ``tune``.

Points run in parallel (processes or a Dask cluster) and resumably; ``tune`` calibrates
parameters against the scenarios' history, the back-test, or both.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.cli import finding, progress, validate
from sim.cli.common import (
    overlay_option,
    parameter_names,
    parameter_options,
    parameters_from,
    positive,
)
from sim.errors import InputError
from sim.model import params as parameters
from sim.results import files as results
from sim.scenario.loading import load

if TYPE_CHECKING:
    from sim.analysis.calibration import Fit

VARIED = ("w_sites", "w_distance", "technology")
"""The parameters ``sensitivity`` varies unless ``--vary`` names others: the geography of P2
(sites at risk, distance) and the projection technology of P7."""


def add_sweep(sub: Any) -> None:
    """Add ``sweep``: a grid or Latin hypercube over declared parameters."""
    sweep = sub.add_parser("sweep", help="a grid or Latin hypercube over declared parameters")
    sweep.add_argument("scenario", help="a scenario file, or a scenario's name")
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
    sens.add_argument("scenario", help="a scenario file, or a scenario's name (run.py list)")
    sens.add_argument("--method", choices=["sobol", "morris"], default="sobol")
    sens.add_argument(
        "--vary",
        dest="names",
        metavar="A,B,C",
        help=f"the parameters to vary over their declared ranges (default: {','.join(VARIED)})",
    )
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
        type=validate.prior_sd,
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
    finding.dir_option(tune, "tune on this folder's scenarios only; repeatable")
    tune.add_argument(
        "--storage",
        type=validate.storage,
        help="an optuna journal file or database URL, to share a study",
    )
    tune.add_argument("--study", default="alliance-sim", help="the study's name in the storage")
    tune.add_argument("--cv", action="store_true", help="also leave-one-scenario-out fits")
    tune.add_argument(
        "--out", type=validate.output_file, default="tuned.yaml", help="the tuned values' file"
    )
    tune.add_argument(
        "--force",
        action="store_true",
        help="write the tuned values even when they score worse than the defaults",
    )
    tune.add_argument("--json", action="store_true")
    tune.set_defaults(command=cmd_tune)


def _point_options(parser: argparse.ArgumentParser, *, runs: int, out: str) -> None:
    """Options of the commands that run many parameter points (sweep, sensitivity)."""
    parser.add_argument("--runs", type=positive, default=runs, help=f"runs per point ({runs})")
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
    parser.add_argument("--metric", help="the quantity shown (default: the first P(honour))")
    parser.add_argument("--out", type=validate.study_folder, default=out, help="results folder")


def _run_points(args: argparse.Namespace, jobs: list[Any], folder: Path) -> Any:
    """Run every point of a design (resuming a stopped sweep); return the points' table."""
    from sim.analysis import tuning

    scenario, overlays = finding.scenario_file(args), finding.overlay_files(args)
    spec = load(scenario, overlays).spec  # bad input fails here, before any work
    if args.metric:
        tuning.check_metric(args.metric, spec)
    base = parameters_from(args).as_dict()
    target = tuning.Target(str(scenario), tuple(map(str, overlays)), base, args.runs, args.seed)
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


def _done(store: Any, jobs: list[Any]) -> int:
    return sum(store.done(job.index) for job in jobs)


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
    validate.design(sensitivity.design_size(args.method, len(names), args.samples), "--samples")
    if not args.json:
        chosen = "chosen with --vary" if args.names else "the default set; choose with --vary"
        print(f"varying {', '.join(names)} ({chosen}) over their declared ranges")
    design = sensitivity.design(args.method, names, args.samples, args.seed)
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


def cmd_tune(args: argparse.Namespace) -> int:
    """Calibrate parameters against history; write the tuned values if they beat the defaults.

    Returns 1, writing no parameter file, when the tuned values score worse than the
    defaults, unless ``--force``.
    """
    from sim.analysis import calibration

    if args.method == "mle":
        from sim.cli.mle import cmd_mle

        args.runs = args.runs or 3
        return cmd_mle(args)
    if args.target == "survival":
        from sim.cli.survival_fit import cmd_survival_fit

        return cmd_survival_fit(args)
    args.runs = args.runs or 20
    names = parameter_names(args.names, "--tune") if args.names else list(calibration.DEFAULT_TUNED)
    validate.distinct(names, "--tune")
    held_out = _cv_scenarios(args)
    storage = calibration.storage_for(args.storage)  # one that cannot be opened fails here
    objective = _tune_loss(args)
    default = objective(parameters.Params())
    fit = _search(args, objective, names, storage)
    with progress.bar(args, args.trials * len(held_out), "trial", "cross-validation") as bar:
        cv = calibration.leave_one_out(
            held_out, names, args.trials, args.runs, args.seed, progress=bar
        )
    against = {"scenarios": "the scenarios' history", "backtest": "the back-test, 1816-1944"}
    title = f"Calibration of {', '.join(names)}\nagainst {against.get(args.target, 'both')}"
    written = fit_figures(fit, default, title, args.out)
    refused = _refusal(fit.loss, default, fit.trials) if not args.force else None
    if refused is None:
        text = "".join(f"{k}: {v:.6g}\n" for k, v in sorted(fit.values.items()))
        header = f"# tuned by run.py tune: Brier {fit.loss:.4f} (defaults {default:.4f})\n"
        results.write_text(args.out, header + text)
    report = _fit_report(args, fit, default, cv, written, refused)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print_fit(report, args.out, written)
    if refused:
        progress.say(f"not written: {refused}")
    return 1 if refused else 0


def _search(args: argparse.Namespace, objective: Any, names: list[str], storage: Any) -> Fit:
    """Run the trials with a bar; say how many a stored study kept, and, if stopped, how many.

    The trials are counted as they finish, so that a stopped search says what it kept
    without opening its storage again.
    """
    kept = [_stored_trials(args, storage)]
    where = f"the study {args.study} in {args.storage}" if args.storage else None
    with progress.bar(args, args.trials, "trial", "trials", (kept[0], where or "")) as bar:

        def finished(n: int) -> None:
            kept[0] += n
            bar(n)

        fit = _trials(args, objective, names, storage, finished)
    if fit is None:
        hint = "with --storage FILE, finished trials are kept and a rerun resumes"
        raise progress.stopped(kept[0] if where else 0, args.trials, "trial", where, hint)
    return fit


def _stored_trials(args: argparse.Namespace, storage: Any) -> int:
    """Return how many complete trials the study in ``--storage`` holds already (0 if none)."""
    from sim.analysis import calibration

    if storage is None:
        return 0
    return len(calibration.completed(calibration.open_study(args.seed, storage, args.study)))


def _trials(
    args: argparse.Namespace, objective: Any, names: list[str], storage: Any, finished: Any
) -> Fit | None:
    """Run the trials; return the fit, or None if Ctrl-C stopped them.

    Ctrl-C ends the search after the trial under way (a second one at once), so that it
    never cuts a write to the study's storage short.
    """
    from sim.analysis import calibration

    try:
        with progress.interruptible() as pressed:
            fit = calibration.tune(
                objective,
                names,
                args.trials,
                args.seed,
                storage,
                args.study,
                finished,
                pressed,
            )
    except KeyboardInterrupt:  # a second Ctrl-C
        return None
    except Exception as exc:  # a library's clean-up that failed while handling one
        if progress.interruption(exc) is None:
            raise
        return None
    return None if pressed() else fit


def _cv_scenarios(args: argparse.Namespace) -> list[Path]:
    """Return the scenarios ``--cv`` holds out in turn (those with a history block), or none.

    Raises:
        InputError: ``--cv`` with a target other than the scenarios, or too few of them.
    """
    from sim.analysis import calibration

    if not args.cv:
        return []
    if args.target != "scenarios":
        raise InputError("tune", "--cv", "leave-one-scenario-out needs --target scenarios")
    scored = calibration.with_history(finding.scenario_set(args))
    if len(scored) < 2:
        raise InputError("tune", "--cv", "expected two or more scenarios with a history block")
    return scored


def _refusal(tuned: float, default: float, trials: int) -> str | None:
    """Say why a fit is not written: it scores worse than the defaults. None if it does not."""
    if tuned <= default:
        return None
    return (
        f"the tuned Brier {tuned:.4g} is worse than the defaults' {default:.4g} after "
        f"{trials} trial{'s' if trials != 1 else ''}; run more trials (--trials), "
        "or write it anyway with --force"
    )


def _fit_report(
    args: argparse.Namespace,
    fit: Fit,
    default: float,
    cv: list[Any],
    written: list[Path],
    refused: str | None,
) -> dict[str, Any]:
    """Return the fit as one JSON object: Brier in and out of sample, values, files."""
    return {
        "target": args.target,
        "default_brier": default,
        "tuned_brier": fit.loss,
        "trials": fit.trials,
        "values": fit.values,
        "importances": fit.importances,
        "cross_validation": cv,
        "out_of_sample": _post1945(fit.values, args.seed) if args.target != "scenarios" else None,
        "file": None if refused else str(args.out),
        "refused": refused,
        "figures": [str(p) for p in written],
    }


def fit_figures(fit: Fit, default: float, title: str, out: Path) -> list[Path]:
    """Draw the trials' losses beside the defaults' and, if any, the parameters' importances."""
    import pandas as pd

    from sim.plots import common as figures
    from sim.plots import studies as study_plots

    written = figures.save(
        study_plots.optimisation_history(fit.history, default, title),
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
    print(f"in-sample Brier: defaults {default:.4g}, tuned {tuned:.4g} ({trials} trials)")
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
    if report["file"]:
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
        return calibration.scenario_loss(finding.scenario_set(args), args.runs, args.seed)
    early = calibration.backtest_loss(args.seed)
    if args.target == "backtest":
        return early
    cards = calibration.scenario_loss(finding.scenario_set(args), args.runs, args.seed)
    return lambda params: (early(params) + cards(params)) / 2.0
