"""The command that calibrates parameters against history: ``tune``.

``tune`` fits the decision kernel's weights to the scenarios' history, the back-test, or
both (optuna's TPE, with a shared storage so that several machines tune together, and an
optional leave-one-scenario-out cross-validation); ``--method mle`` fits the rule to the
invoked obligations of 1816-1944 (:mod:`sim.cli.mle`) and ``--target survival`` fits
formation and dissolution to ATOP's alliance survival (:mod:`sim.cli.survival_fit`). Each
writes the tuned values only if they beat the defaults, unless ``--force``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.cli import finding, progress, validate
from sim.cli.common import (
    cache_option,
    parameter_names,
    positive,
)
from sim.errors import InputError, program
from sim.model import params as parameters

if TYPE_CHECKING:
    from sim.analysis.calibration import Fit


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
    cache_option(tune)
    tune.set_defaults(command=cmd_tune)


def cmd_tune(args: argparse.Namespace) -> int:
    """Calibrate parameters against history; write the tuned values if they beat the defaults.

    Returns 1, writing no parameter file, when the tuned values score worse than the
    defaults, unless ``--force``.
    """
    from sim.analysis import calibration
    from sim.results import files as results

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
    cv = _cross_validation(args, held_out, names)
    against = {"scenarios": "the scenarios' history", "backtest": "the back-test, 1816-1944"}
    title = f"Calibration of {', '.join(names)}\nagainst {against.get(args.target, 'both')}"
    from sim.cli import charts  # matplotlib: only when the figures are drawn

    written = charts.fit_figures(fit, default, title, args.out)
    refused = _refusal(fit.loss, default, fit.trials) if not args.force else None
    if refused is None:
        text = "".join(f"{k}: {v:.6g}\n" for k, v in sorted(fit.values.items()))
        header = f"# tuned by {program()} tune: Brier {fit.loss:.4f} (defaults {default:.4f})\n"
        results.write_text(args.out, header + text)
    report = _fit_report(args, fit, default, cv, written, refused)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print_fit(report, args.out, written)
    if refused:
        progress.say(f"not written: {refused}")
    return 1 if refused else 0


def _cross_validation(args: argparse.Namespace, held_out: list[Any], names: list[str]) -> list[Any]:
    """Tune again without each held-out scenario (``--cv``), with its bar; none without ``--cv``."""
    from sim.analysis import calibration

    if not held_out:
        return []
    with progress.bar(args, args.trials * len(held_out), "trial", "cross-validation") as bar:
        return calibration.leave_one_out(
            held_out, names, args.trials, args.runs, args.seed, progress=bar
        )


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
    if report["file"]:
        print(f"wrote {out} (use: {program()} run SCENARIO --params {out})")
    print("\n".join(f"wrote {p}" for p in written))


def _post1945(values: dict[str, float], seed: int) -> dict[str, Any]:
    """Return the back-test of 1945-2003, out of sample, under the defaults and tuned values."""
    from sim.analysis import compiled
    from sim.history import backtest, openworld, worldrun

    built = compiled.open_world(openworld.FIRST_YEAR, openworld.LAST_YEAR)
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
