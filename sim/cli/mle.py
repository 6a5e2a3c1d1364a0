"""``tune --target backtest --method mle``: the kernel's weights fitted to 1816-1944.

The open world is built and run to 1944 only; the recorded factor values of its invoked
obligations are fitted by penalised maximum likelihood (:mod:`sim.history.fitting`), each
weight with a 95% interval from a bootstrap over wars; the fit's cross-validated scores are
set beside the defaults' and the plain logistic reference's. Then, and only then, the world
is run to 2003 to report 1945-2003 out of sample under the defaults and the fitted weights.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import numpy as np
import pandas as pd

from sim.cli.backtest_report import fmt
from sim.cli.common import jsonable, table
from sim.errors import InputError, program
from sim.history import backtest, covariates, fitting, openworld, scores, worldrun
from sim.history.invocations import SPLIT
from sim.model import params as parameters
from sim.results import files as results


def cmd_mle(args: argparse.Namespace) -> int:
    """Fit the kernel's weights to the invoked obligations of 1816-1944; write tuned.yaml."""
    if args.target != "backtest":
        raise InputError("tune", "--method mle", "fits the back-test only: use --target backtest")
    defaults = parameters.Params()
    early = worldrun.run(
        openworld.build(openworld.FIRST_YEAR, SPLIT - 1, "history"), defaults, args.seed, args.runs
    )
    held = tuple(n for n in (args.hold or "").split(",") if n)
    for name in held:
        if name not in fitting.FITTED:
            raise InputError("--hold", name, f"expected one of {', '.join(fitting.FITTED)}")
    cases = backtest.scored(early.cases)
    spread, losses = (
        (args.prior_sd, {})
        if args.prior_sd
        else fitting.choose_spread(fitting.Design.of(cases), held)
    )
    report = fit_report(cases, spread, held, args.seed)
    report["spreads"] = losses
    fitted = parameters.build(report["fitted"])
    report["out_of_sample"] = post1945(defaults, fitted, args.seed, args.runs)
    header = f"# fitted by {program()} tune --method mle to the invoked obligations of 1816-1944\n"
    text = "".join(f"{k}: {v:.6g}\n" for k, v in report["fitted"].items())
    results.write_text(args.out, header + text)
    report["file"] = str(args.out)
    if args.json:
        print(json.dumps(jsonable(report), indent=2))
    else:
        print(fit_text(report))
    return 0


def fit_report(cases: pd.DataFrame, sd: float, held: tuple[str, ...], seed: int) -> dict[str, Any]:
    """Return the fit to ``cases`` (one era): weights, intervals, and scores beside references.

    The prior is centred on the essay's weights; ``held`` weights stay there.
    """
    design = fitting.Design.of(cases)
    prior = fitting.Prior.of(fitting.ESSAY, sd, held)
    weights = fitting.fit(design, prior)
    intervals = fitting.bootstrap(design, prior, seed=seed)
    y = design.y
    x = covariates.covariates(cases)[list(covariates.COVARIATES)].to_numpy(float)
    current = fitting.weights_of(parameters.Params())
    return {
        "n": len(y),
        "honoured": int(y.sum()),
        "wars": len(np.unique(design.wars)),
        "prior_sd": sd,
        "held": list(held),
        "essay": dict(zip(fitting.FITTED, prior.mean.tolist(), strict=True)),
        "defaults": dict(zip(fitting.FITTED, current.tolist(), strict=True)),
        "fitted": dict(zip(fitting.FITTED, weights.round(4).tolist(), strict=True)),
        "intervals": {
            n: iv.round(4).tolist() for n, iv in zip(fitting.FITTED, intervals, strict=True)
        },
        "scores": {
            "essay": _brief(fitting.predict(prior.mean, design), y),
            "defaults": _brief(fitting.predict(current, design), y),
            "fitted_cross_validated": _brief(fitting.cross_validated(design, prior), y),
            "logistic_cross_validated": _brief(scores.cross_validated(x, y, design.wars), y),
            "base_rate": _brief(np.full(len(y), y.mean()), y),
        },
    }


def post1945(
    defaults: parameters.Params, fitted: parameters.Params, seed: int, runs: int
) -> dict[str, Any]:
    """Return 1945-2003, never used in fitting: runs under the defaults and under the fit."""
    world = openworld.build()
    found = {}
    for which, params in (("defaults", defaults), ("fitted", fitted)):
        report = backtest.report(worldrun.run(world, params, seed, runs).cases)["post1945"]
        found[which] = {k: report[k] for k in ("n", "brier", "auc")}
        found[which]["base_rate_brier"] = report["references"]["base_rate"]["brier"]
    return found


def _brief(p: np.ndarray, y: np.ndarray) -> dict[str, float]:
    s = scores.score(p, y)
    return {k: s[k] for k in ("n", "brier", "log_loss", "auc")}


def fit_text(report: dict[str, Any]) -> str:
    """Return the fit in words: each weight beside the essay's and the default, the scores."""
    rows = [
        [
            name,
            fmt(report["essay"][name]),
            fmt(report["defaults"][name]),
            fmt(value),
            _interval(report, name),
        ]
        for name, value in report["fitted"].items()
    ]
    lines = [
        f"The kernel fitted to {report['n']} invoked obligations of 1816-1944 "
        f"({report['honoured']} honoured, {report['wars']} wars); prior sd {report['prior_sd']}"
        + _spreads(report.get("spreads") or {}),
        table(["weight", "essay", "default", "fitted", "95% (wars)"], rows),
        "",
        table(
            ["1816-1944", "n", "Brier", "log-loss", "AUC"],
            [
                [k, v["n"], fmt(v["brier"]), fmt(v["log_loss"]), fmt(v["auc"])]
                for k, v in report["scores"].items()
            ],
        ),
    ]
    out = report.get("out_of_sample") or {}
    lines += [""] + [
        f"1945-2003, never used in fitting, {which}: n {m['n']}, Brier {fmt(m['brier'])} "
        f"(base rate {fmt(m['base_rate_brier'])}), AUC {fmt(m['auc'])}"
        for which, m in out.items()
    ]
    lines.append(
        f"wrote {report['file']} (use: {program()} run SCENARIO --params {report['file']})"
    )
    return "\n".join(lines)


def _interval(report: dict[str, Any], name: str) -> str:
    if name in report["held"]:
        return "held"
    return "-".join(fmt(x) for x in report["intervals"][name])


def _spreads(losses: dict[float, float]) -> str:
    if not losses:
        return ""
    shown = ", ".join(f"{sd:g}: {loss:.3f}" for sd, loss in losses.items())
    return f"\n(chosen by log-loss cross-validated by war on 1816-1944: {shown})"
