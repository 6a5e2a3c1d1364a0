"""The back-test and alliance reliability in words: the tables ``backtest`` and ``world`` print."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from sim.cli.common import table

ERA_YEARS = {"pre1945": "1816-1944", "post1945": "1945-2003"}
LEEDS_TYPES = ("defence", "offence", "neutrality", "non_aggression", "consultation")
CASE_COLUMNS = (
    "day", "war_name", "guarantor", "partner", "adversary", "atopid", "obligation",
    "conditions", "outcome", "apart", "p_model",
)  # fmt: skip


def fmt(x: Any) -> str:
    """Return a figure to three decimals, or '-' where there is none."""
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.3f}"


def backtest_text(report: dict[str, Any]) -> str:
    """Return the back-test: each era's model and references, then the model's calibration."""
    lines = [_headline(report), ""]
    rows = []
    for era, found in eras(report):
        interval = "-".join(fmt(x) for x in found["auc_interval"])
        rows.append([*_row(era, "model", found), interval])
        held = "model, held out" if era == "pre1945" else "model, fitted to 1816-1944"
        rows.append(
            [era, held, found["n"], "", fmt(found["brier_cv"]), "", fmt(found["auc_cv"]), ""]
        )
        rows += [
            [*_row(era, _named(name, ref), ref), ""] for name, ref in found["references"].items()
        ]
    header = ["era", "predictor", "n", "accuracy", "Brier", "log-loss", "AUC", "AUC 95% (wars)"]
    lines.append(table(header, rows))
    lines += ["", "The model's calibration (predicted against observed, by bins of its P):"]
    lines.append(_calibration(report))
    lines += ["", CALIBRATION_HEAD, _recalibration(report)]
    if "recalibrated_held_out" in report.get("pre1945", {}):
        lines.append(_recalibrated(report["pre1945"]["recalibrated_held_out"]))
    if "labels" in report:
        lines += ["", LABELS_HEAD, _labels(report["labels"]), "", _set_apart(report["set_apart"])]
    return "\n".join(lines)


LABELS_HEAD = (
    "The label's clock: the share of scored cases whose guarantor fought beside the partner\n"
    "within each window of its attack (the back-test scores the primary window)"
)


def eras(report: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Return the report's eras with their figures, in order (other keys left out)."""
    return [(era, report[era]) for era in ERA_YEARS if era in report]


def _named(name: str, ref: dict[str, Any]) -> str:
    return f"{name} ({ref['name']})" if ref.get("name") else name


def _labels(labels: dict[str, dict[str, Any]]) -> str:
    windows = [k for k in next(iter(labels.values()), {}) if k not in ("n", "primary")]
    rows = [
        [era, found["n"], found["primary"], *(fmt(found[w]) for w in windows)]
        for era, found in labels.items()
    ]
    return table(["era", "n", "primary", *windows], rows)


def _set_apart(counts: dict[str, dict[str, int]]) -> str:
    reasons = list(counts["all"])
    rows = [[reason, *(counts[k][reason] for k in counts)] for reason in reasons]
    return "Cases set apart from the score, by reason:\n" + table(["reason", *counts], rows)


MECHANISMS_HEAD = (
    "Which mechanisms carry over: each factor's AUC alone (its signed value; above 0.5 it points\n"
    "the way its sign says), and the model's AUC / Brier with the factor taken out of every\n"
    "case's log-odds. Nothing was fitted on 1945-2003."
)


def mechanisms_text(report: dict[str, Any]) -> str:
    """Return each factor's ranking alone and the model without it, in both eras."""
    model = report["model"]
    rows = [["the model", "", "", "", _pair(model["pre1945"]), _pair(model["post1945"]), "", ""]]
    for name, f in report["factors"].items():
        early, late = f["pre1945"], f["post1945"]
        rows.append(
            [
                name,
                "+" if f["sign"] > 0 else "-",
                fmt(early["auc_alone"]),
                fmt(late["auc_alone"]),
                _pair(early["without"]),
                _pair(late["without"]),
                "yes" if f["ranks_both_eras"] else "no",
                "yes" if f["helps_after_1945"] else "no",
            ]
        )
    header = [
        "factor", "sign", "alone 1816-1944", "alone 1945-2003", "without: 1816-1944",
        "without: 1945-2003", "ranks both eras", "helps after 1945",
    ]  # fmt: skip
    return "\n".join([MECHANISMS_HEAD, table(header, rows)])


def _pair(scored: dict[str, float]) -> str:
    return f"{fmt(scored['auc'])} / {fmt(scored['brier'])}"


def bystanders_text(report: dict[str, Any]) -> str:
    """Return how the kernel ranks the states no treaty bound, by era and by why they mattered."""
    rows = []
    for era, found in report.items():
        rows.append(
            [era, "all", found["n"], found["intervened"], fmt(found["brier"]), fmt(found["auc"])]
        )
        if "if_asked" in found:
            rows.append([era, f"asked ({found['asked']:.0%})", "", "", "", ""])
            ask = found["if_asked"]
            rows.append([era, "P had all been asked", "", "", fmt(ask["brier"]), fmt(ask["auc"])])
        rows += [
            [era, why, g["n"], fmt(g["intervened"]), "", fmt(g["p_model"])]
            for why, g in found["by_reason"].items()
        ]
    return "\n".join(
        [
            "States no treaty bound, near the partner or the attacker or a major power "
            "(Siverson & Starr), scored apart; each is asked, as in the model, only when its "
            "stakes reach interest_floor:",
            table(["era", "who", "n", "intervened", "Brier", "AUC / mean P"], rows),
        ]
    )


def _headline(report: dict[str, Any]) -> str:
    parts = [
        f"{ERA_YEARS[era]}: {found['n']} invoked obligations in {found['wars']} wars "
        f"({found['honoured']} honoured)"
        for era, found in eras(report)
    ]
    return "Back-test on history's invoked obligations: " + "; ".join(parts)


def _row(era: str, name: str, m: dict[str, Any]) -> list[Any]:
    figures = (fmt(m[k]) for k in ("accuracy", "brier", "log_loss", "auc"))
    return [era, name, m["n"], *figures]


def _calibration(report: dict[str, Any]) -> str:
    rows = [
        [era, f"{b['low']:.1f}-{b['high']:.1f}", b["n"], fmt(b["predicted"]), fmt(b["observed"])]
        for era, found in eras(report)
        for b in found["calibration"]
    ]
    return table(["era", "P(honour)", "n", "predicted", "observed"], rows)


CALIBRATION_HEAD = (
    "The model's calibration intercept and slope (Cox 1958): the intercept is the log-odds to\n"
    "add to every P to match the era's rate (0: calibrated; below 0: too high); the slope is the\n"
    "weight of the P's log-odds in a logistic refit (1: calibrated; below 1: too extreme; above\n"
    "1: too timid)"
)


def _recalibration(report: dict[str, Any]) -> str:
    rows = [
        [era, fmt(found["calibration_intercept"]), fmt(found["calibration_slope"])]
        for era, found in eras(report)
    ]
    return table(["era", "intercept", "slope"], rows)


def _recalibrated(losses: dict[str, float]) -> str:
    return (
        "Recalibrated on the other wars of 1816-1944 and scored on each held-out war, the "
        f"log-loss is\n{fmt(losses['level'])} with the level shifted and "
        f"{fmt(losses['level_and_slope'])} with level and slope refitted, against "
        f"{fmt(losses['none'])} as it is."
    )


LEEDS_HEAD = (
    "Leeds-style reliability: invoked obligations whose own terms were kept (a defence duty "
    "by fighting,\nneutrality and non-aggression by not attacking; pooled over those)"
)
SABROSKY_HEAD = (
    "Sabrosky-style: every belligerent's allies that fought beside / stayed out / against"
)


def reliability_text(rel: dict[str, Any]) -> str:
    """Return alliance reliability both ways: real beside simulated, and the published."""
    pub = rel["published"]
    leeds = pub["leeds"]
    return "\n".join(
        [
            LEEDS_HEAD,
            table(["era", "source", "n", "pooled", *LEEDS_TYPES], _leeds_rows(rel)),
            f"published: {leeds['pooled']} ({leeds['years']}, {leeds['source']})",
            "",
            SABROSKY_HEAD,
            table(["era", "source", "n", "beside / out / against"], _sabrosky_rows(rel)),
            f"published: {pub['sabrosky']['source']}",
        ]
    )


def _leeds_rows(rel: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for era in ERA_YEARS:
        for source in ("real", "simulated"):
            found = rel[source][era]["leeds"]
            rows.append(
                [era, source, found["n"], *(fmt(found[k]) for k in ("pooled", *LEEDS_TYPES))]
            )
    return rows


def _sabrosky_rows(rel: dict[str, Any]) -> list[list[Any]]:
    pub = rel["published"]
    rows = [
        [era, source, rel[source][era]["sabrosky"]["n"], _shares(rel[source][era]["sabrosky"])]
        for era in ERA_YEARS
        for source in ("real", "simulated")
    ]
    span = pub["sabrosky_real_1816_1965"]
    rows.append(["1816-1965", "real", span["n"], _shares(span)])
    rows.append(["1816-1965", "published", "", _shares(pub["sabrosky"])])
    return rows


def _shares(d: dict[str, Any]) -> str:
    return " / ".join(fmt(d[k]) for k in ("beside", "out", "against"))


def cases_text(cases: pd.DataFrame) -> str:
    """Return every case as a table: the war, the obligation, what the data say, the model's P."""
    rows = [
        [_cell(k, v) for k, v in zip(CASE_COLUMNS, row, strict=True)]
        for row in cases[list(CASE_COLUMNS)].itertuples(index=False)
    ]
    header = [c.replace("_", " ") for c in CASE_COLUMNS]
    header[header.index("apart")] = "scored / set apart"
    return table(header, rows)


def _cell(column: str, value: Any) -> Any:
    if column == "p_model":
        return fmt(value)
    if column == "apart":
        return value or "scored"
    return value
