"""``tune --target survival``: formation and dissolution fitted to ATOP's alliances of 1816-1944.

The open world is built and run to 1944 only, and ATOP's defence pacts begun in 1816-1944 are
seen as at the end of 1944; optuna's TPE (multivariate, the defaults as its first trial)
searches the declared ranges of the formation and dissolution parameters for the smallest
simulated minimum distance (:mod:`sim.analysis.moments`). Each parameter gets a 95% interval
from the estimator's standard error (:func:`sim.analysis.calibration.standard_errors`). Then,
and only then, the world is run to 2003 and 1945-2003 is reported out of sample, under the
defaults and the tuned values.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from sim.analysis import calibration, comparison, moments, survival
from sim.cli import validate
from sim.cli.charts import fit_figures
from sim.cli.common import parameter_names, table
from sim.errors import program
from sim.history import openworld, worldrun
from sim.model import params as parameters
from sim.model.params import Params
from sim.results import files as results

LATE = "1945-2003"


def cmd_survival_fit(args: argparse.Namespace) -> int:
    """Fit formation and dissolution to 1816-1944; report 1945-2003 out of sample."""
    names = (
        parameter_names(args.names, "--tune") if args.names else list(calibration.SURVIVAL_TUNED)
    )
    validate.distinct(names, "--tune")
    runs = validate.within(
        args.runs or 4, 1, validate.MAX_WORLD_RUNS, "--runs", "runs of the open world per trial"
    )
    target, cohort = calibration.survival_moments(args.seed, runs)
    criterion = calibration.survival_criterion(target, cohort)
    default = criterion(Params())
    fit = calibration.tune(
        criterion,
        names,
        args.trials,
        args.seed,
        args.storage,
        args.study,
        multivariate=True,
        start=Params().as_dict(),
    )
    tuned = Params().replace(**fit.values)
    errors = calibration.standard_errors(target, cohort, fit.values, runs)
    report = {
        "target": "survival",
        "criterion": "sum of squared gaps to ATOP's 1816-1944 moments, in standard errors, "
        "plus P5's bound (dissolution_baseline + w_threat_gone >= 0) in steps of 0.1 logit",
        "default_loss": default,
        "tuned_loss": fit.loss,
        "trials": fit.trials,
        "values": fit.values,
        "standard_errors": errors,
        "intervals": intervals(fit.values, errors),
        "importances": fit.importances,
        "in_sample": in_sample({"defaults": Params(), "tuned": tuned}, args.seed, runs),
        "out_of_sample": out_of_sample({"defaults": Params(), "tuned": tuned}, args.seed, runs),
        "file": str(args.out),
    }
    text = "".join(f"{k}: {v:.6g}\n" for k, v in sorted(fit.values.items()))
    header = (
        f"# tuned by {program()} tune --target survival: distance {fit.loss:.2f} "
        f"(defaults {default:.2f})\n"
    )
    results.write_text(args.out, header + text)
    title = f"Calibration of {', '.join(names)}\nagainst ATOP's alliances of 1816-1944"
    report["figures"] = [str(p) for p in fit_figures(fit, default, title, args.out)]
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(fit_text(report))
    return 0


def intervals(values: dict[str, float], errors: dict[str, float]) -> dict[str, list[float]]:
    """Return each value plus and minus 1.96 standard errors, within its declared range."""
    found = {}
    for name, value in values.items():
        spec, half = parameters.SPECS[name], 1.959963984540054 * errors[name]
        found[name] = [max(value - half, spec.low), min(value + half, spec.high)]
    return found


def in_sample(sets: dict[str, Params], seed: int, runs: int) -> dict[str, Any]:
    """Return the moments of 1816-1944, real and under each set of parameters, with the gaps."""
    early = openworld.build(openworld.FIRST_YEAR, calibration.LAST_SEEN, "history")
    real = calibration.real_cohort()
    target = moments.Target.of(real)
    found: dict[str, Any] = {"real": {k: v for k, (v, _) in moments.moments(real).items()}}
    for name, params in sets.items():
        simulated = calibration.simulated_cohort(worldrun.alliances(early, params, seed, runs))
        found[name] = {k: v for k, (v, _) in moments.moments(simulated).items()}
        found[f"{name}_gaps"] = target.gaps(simulated)
    return found


def out_of_sample(sets: dict[str, Params], seed: int, runs: int) -> dict[str, Any]:
    """Return the comparison of 1945-2003 (never used in the fit) under each set of parameters."""
    world = openworld.build()
    real = comparison.cohort(survival.from_atop(), LATE, "defence")
    found = {}
    for name, params in sets.items():
        spells = survival.from_table(worldrun.alliances(world, params, seed, runs), name)
        era = comparison.compare(comparison.cohort(spells, LATE, "all"), real, LATE, draws=100)
        found[name] = era.as_dict()
    return found


def fit_text(report: dict[str, Any]) -> str:
    """Return the fit in words: distances, values with intervals, moments, 1945-2003."""
    lines = [
        f"survival distance over 1816-1944: defaults {report['default_loss']:.2f}, "
        f"tuned {report['tuned_loss']:.2f} ({report['trials']} trials)",
        table(
            ["parameter", "default", "tuned", "95% (SMM standard error, within its range)"],
            [
                [
                    n,
                    f"{parameters.SPECS[n].default:g}",
                    f"{v:.4g}",
                    "{:.4g} - {:.4g}".format(*report["intervals"].get(n, (v, v))),
                ]
                for n, v in sorted(report["values"].items())
            ],
        ),
        "\nmoments of 1816-1944 (gaps in the real moment's standard errors):",
    ]
    m = report["in_sample"]
    lines.append(
        table(
            ["moment", "ATOP", "defaults", "gap", "tuned", "gap"],
            [
                [
                    k,
                    _num(v),
                    _num(m["defaults"][k]),
                    _num(m["defaults_gaps"].get(k)),
                    _num(m["tuned"][k]),
                    _num(m["tuned_gaps"].get(k)),
                ]
                for k, v in m["real"].items()
            ],
        )
    )
    for name, era in report["out_of_sample"].items():
        lines.append(f"\n1945-2003, never used in the fit, {name}:")
        lines.append(
            table(
                ["check", "simulated", "real", "holds"],
                [
                    [
                        c["name"],
                        _num(c["simulated"]["value"]),
                        _num(c["real"]["value"]),
                        "-" if c["holds"] is None else ("yes" if c["holds"] else "no"),
                    ]
                    for c in era["checks"]
                ],
            )
        )
    lines.append(f"wrote {report['file']} (use: {program()} world --params {report['file']})")
    lines += [f"wrote {p}" for p in report["figures"]]
    return "\n".join(lines)


def _num(x: float | None) -> str:
    return "-" if x is None or x != x else f"{x:.3g}"
