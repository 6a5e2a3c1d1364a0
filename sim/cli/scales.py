"""``backtest --scale wars|disputes|both [--rolling]``: the back-test scored as forecasts.

The war back-test in a run of the open world stays ``backtest``'s default. With ``--scale``
or ``--rolling`` the cases (the wars', the militarized disputes', or both) are put to the
kernel in the record's own situation on the morning of each, and scored by era; with
``--rolling`` as rolling-origin forecasts (:mod:`sim.history.forecasting`).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from sim.cli.backtest_report import fmt
from sim.cli.common import jsonable, parameters_from, table
from sim.errors import InputError

LABEL_WORDS = {
    "honoured": "honoured (joined the partner's side with force within 90 days)",
    "joined": "joined (a dispute's any militarized joining within 90 days; a war's, fought)",
}
ERA_YEARS = {"pre1945": "1870-1944", "cold_war": "1945-1989", "post_cold_war": "1990-2010"}


def cmd_scales(args: argparse.Namespace) -> int:
    """Score the chosen scale's cases by era (rolling-origin with ``--rolling``) and print them."""
    from sim.history import forecasting

    params = parameters_from(args)
    if args.cases:
        return _cases(forecasting.cases_of(args.scale, params), args.json)
    if args.trial:
        return _trial(args, params)
    label = args.label or "honoured"
    found = forecasting.evaluate(args.scale, params, args.rolling, label)
    if args.json:
        report = {"scale": args.scale, "rolling": args.rolling, "label": label, "backtest": found}
        print(json.dumps(jsonable(report), indent=2))
        return 0
    print(text(found, args.rolling, label))
    return 0


def _trial(args: argparse.Namespace, params: Any) -> int:
    """Print what each mechanism on trial adds to the kernel's rolling forecasts of 1870-1944."""
    from sim.history import forecasting, trial

    if args.scale != "both":
        raise InputError("backtest", "--trial", "a trial reads both scales: leave out --scale")
    if args.label not in (None, "honoured"):
        raise InputError("backtest", "--label", "a trial's rule was fixed on the honoured label")
    found = trial.trial(forecasting.cases_of("both", params), params)
    if args.json:
        print(json.dumps(jsonable({"trial": found}), indent=2))
        return 0
    print(trial_text(found))
    return 0


def trial_text(found: dict[str, Any]) -> str:
    """Return the kernel's 1870-1944 rolling scores and each mechanism's gain, as a table."""
    k = found["kernel"]
    lines = [
        "Mechanisms on trial: rolling-origin forecasts of 1870-1944 (wars and disputes pooled; "
        f"{k['n']} cases, {k['honoured']} honoured), the kernel alone and with each mechanism",
        f"kernel alone: AUC {fmt(k['auc'])}, Brier {fmt(k['brier'])}, "
        f"log-loss {fmt(k['log_loss'])}",
        "",
    ]
    rows = [
        [
            name,
            m["cases_where_it_acts"],
            f"{m['gain']['auc']:+.3f}",
            f"{m['gain']['brier']:+.4f}",
            f"{m['gain']['log_loss']:+.4f}",
            " to ".join(f"{x:+.3f}" for x in m["log_loss_gain_interval"]),
            _verdict(m),
        ]
        for name, m in found["mechanisms"].items()
    ]
    header = ["mechanism", "cases it acts in", "AUC gain", "Brier change", "log-loss change",
              "log-loss change 95% (events)", "verdict"]  # fmt: skip
    rule = "Adopted when it lowers both the log-loss and the Brier by 0.001 or more."
    return "\n".join([*lines, table(header, rows), "", rule])


def _verdict(mechanism: dict[str, Any]) -> str:
    if mechanism["cases_where_it_acts"] == 0:
        return "cannot be judged: it acts in no case before 1945"
    return "adopted" if mechanism["adopted"] else "not adopted"


def _cases(cases: Any, as_json: bool) -> int:
    from sim.cli import backtest_report as words

    if as_json:
        print(json.dumps({"cases": json.loads(cases.to_json(orient="records"))}, indent=2))
        return 0
    print(words.cases_text(cases))
    return 0


def text(found: dict[str, Any], rolling: bool, label: str = "honoured") -> str:
    """Return each scale's scores by era, the kernel's beside its references'."""
    how = (
        "rolling-origin: each decade forecast by a fit on the decades before it"
        if rolling
        else "the kernel as it stands (no fitting); references fitted on the years before each era"
    )
    lines = [f"Back-test as forecasts ({how}); label: {LABEL_WORDS[label]}"]
    for scale, eras in found.items():
        lines += ["", f"{scale}:", _table(eras, label)]
        if rolling:
            lines += ["", f"{scale}, pure transfer (fitted on 1816-1944 once):"]
            lines.append(_table({"1945-2010": eras["transfer"]}, label))
            lines += ["", f"{scale}, cross-validated by event within each era:"]
            lines.append(_table(eras["grouped_cv"], label))
    return "\n".join(lines)


def _table(eras: dict[str, Any], scored: str) -> str:
    rows = []
    for era, e in eras.items():
        if era not in ERA_YEARS and era != "1945-2010":
            continue
        interval = "-".join(fmt(x) for x in e["auc_interval"])
        label = ERA_YEARS.get(era, era)
        rows.append([label, "model", e["n"], e["disputes"], e["honoured"], fmt(e["brier"]),
                     fmt(e["log_loss"]), fmt(e["auc"]), interval,
                     fmt(e["calibration_intercept"]), fmt(e["calibration_slope"])])  # fmt: skip
        for name, ref in e["references"].items():
            rows.append([label, name, "", "", "", fmt(ref["brier"]), fmt(ref["log_loss"]),
                         fmt(ref["auc"]), "", "", ""])  # fmt: skip
    header = ["era", "predictor", "n", "events", scored, "Brier", "log-loss", "AUC",
              "AUC 95% (events)", "cal. intercept", "cal. slope"]  # fmt: skip
    return table(header, rows)
