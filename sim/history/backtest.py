"""The back-test: the kernel's probabilities for history's invoked obligations, scored.

For each era (1816-1944 and 1945-2003) the scored cases (:mod:`sim.history.invocations`)
give the model's n, accuracy, Brier score, log-loss, AUC (with 95% intervals from a
bootstrap over wars) and a calibration table, beside the four references of
:mod:`sim.history.scores` on the same cases: the era's base rate, treaty-only, power-only
and a plain logistic regression cross-validated by war (for 1945-2003 also fitted on
1816-1944 only). Nothing about a war's course or outcome is read by the model: the labels
are used only to score it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from sim.history import fitting, scores
from sim.history.covariates import covariates
from sim.history.invocations import APART, PRIMARY_WINDOW, SPLIT, WINDOWS, era
from sim.model.decide import FACTORS

ERAS = ("pre1945", "post1945")
REFERENCES = (
    "base_rate",
    "treaty_only",
    "power_only",
    "logistic",
    "distance_only",
    "best_single_factor",
)


def scored(cases: pd.DataFrame) -> pd.DataFrame:
    """Return the cases the back-test scores: invoked obligations the model could score."""
    return cases[cases["scored"] & cases["p_model"].notna()]


def report(cases: pd.DataFrame) -> dict[str, Any]:
    """Return the back-test of each era: the model's scores and the references'.

    ``labels`` gives the share honoured under each window of the label and ``set_apart`` how
    many cases each reason sets apart. Each era also gives ``auc_cv`` and ``brier_cv``: the
    kernel's weights fitted by :mod:`sim.history.fitting` and scored where they were not
    fitted (cross-validated by war for 1816-1944; for 1945-2003, fitted on 1816-1944 only).
    1816-1944 also gives ``recalibrated_held_out``: whether its own record supports
    recalibrating the model (:func:`sim.history.scores.recalibrated_held_out`).
    """
    kept = scored(cases)
    x = covariates(kept)
    eras = era(kept["year"])
    early = (kept[eras == "pre1945"], x[eras == "pre1945"])
    found = {
        name: _era(kept[eras == name], x[eras == name], early if name == "post1945" else None)
        for name in ERAS
    }
    found["pre1945"]["recalibrated_held_out"] = scores.recalibrated_held_out(
        early[0]["p_model"].to_numpy(float),
        early[0]["honoured"].to_numpy(bool),
        early[0]["war"].to_numpy(),
    )
    held = _held_out(kept, eras)
    for name in ERAS:
        y = kept[eras == name]["honoured"].to_numpy(bool)
        p = held.get(name)
        found[name]["auc_cv"] = scores.auc(p, y) if p is not None else math.nan
        found[name]["brier_cv"] = scores.brier(p, y) if p is not None else math.nan
    found["labels"] = labels(cases)
    found["set_apart"] = set_apart(cases)
    return found


def _held_out(kept: pd.DataFrame, eras: np.ndarray) -> dict[str, np.ndarray]:
    """Return the fitted kernel's probabilities where it was not fitted, by era.

    Without cases of 1816-1944 there is nothing to fit, and so nothing held out.
    """
    design = fitting.Design.of(kept)
    early = design.take(np.flatnonzero(eras == "pre1945"))
    late = design.take(np.flatnonzero(eras == "post1945"))
    prior = fitting.Prior.of()
    if not len(early.y):  # a world begun after 1944: nothing to fit, nothing held out
        return {}
    return {
        "pre1945": fitting.cross_validated(early, prior),
        "post1945": fitting.transfer(early, late, prior),
    }


def bystanders_report(table: pd.DataFrame) -> dict[str, Any]:
    """Return, by era, how well the kernel ranks the states no treaty bound (Siverson & Starr).

    Scored apart from the invoked obligations: n, intervened, the model's scores beside the
    era's base rate, and the share that intervened by why the state was concerned. The
    model's P is that of being asked (its stakes reach ``interest_floor``, the model's own rule)
    and fighting; ``asked`` is the share asked, and ``if_asked`` scores the kernel's P had each
    state been asked, whatever its stakes.
    """
    kept = table[table["p_model"].notna()]
    eras = era(kept["year"])
    found = {}
    for name in ERAS:
        part = kept[eras == name]
        y = part["intervened"].to_numpy(bool)
        p = part["p_model"].to_numpy(float)
        entry = scores.score(p, y)
        entry["intervened"] = int(y.sum())
        entry["auc_interval"] = scores.interval(p, y, part["war"].to_numpy(), scores.auc)
        entry["references"] = {
            "base_rate": _brief(np.full(len(y), y.mean() if len(y) else np.nan), y)
        }
        if "asked" in part:
            entry["asked"] = float(part["asked"].mean()) if len(part) else math.nan
            entry["if_asked"] = _brief(part["p_if_asked"].to_numpy(float), y)
        entry["by_reason"] = {
            why: {
                "n": len(g),
                "intervened": float(g["intervened"].mean()),
                "p_model": float(g["p_model"].mean()),
            }
            for why, g in part.groupby("why")
        }
        found[name] = entry
    return found


def _era(
    cases: pd.DataFrame, x: pd.DataFrame, earlier: tuple[pd.DataFrame, pd.DataFrame] | None
) -> dict[str, Any]:
    y = cases["honoured"].to_numpy(bool)
    wars = cases["war"].to_numpy()
    p = cases["p_model"].to_numpy(float)
    found = scores.score(p, y)
    found["auc_interval"] = scores.interval(p, y, wars, scores.auc)
    found["brier_interval"] = scores.interval(p, y, wars, scores.brier)
    found["wars"] = len(np.unique(wars))
    found["honoured"] = int(y.sum())
    refs = scores.references(cases, x, earlier)
    found["references"] = {name: _brief(refs[name], y) for name in refs}
    distance = x[scores.DISTANCE].to_numpy(float)
    found["references"]["distance_only"] = _brief_of(scores.one_factor(distance, y, wars, -1.0))
    found["references"]["best_single_factor"] = best_single_factor(cases, y, wars)
    return found


def best_single_factor(cases: pd.DataFrame, y: np.ndarray, wars: np.ndarray) -> dict[str, Any]:
    """Return the kernel's factor that alone ranks the era's cases best, as a reference.

    Each weighted factor's value, signed as the theory signs it, ranks the cases; the best of
    the era (chosen on the era itself, which flatters the reference) is scored as
    :func:`~sim.history.scores.one_factor` scores any single factor. Only the chosen factor's
    forecast is fitted: the choice reads the ranking alone.
    """
    nan = math.nan
    best: dict[str, Any] = {"name": "", "n": len(y), "accuracy": nan, "brier": nan}
    best |= {"log_loss": nan, "auc": nan}
    chosen, ranks = None, nan
    for factor in FACTORS:
        column = f"value_{factor.name}"
        if factor.weight is None or factor.group == "intercept" or column not in cases:
            continue
        value = cases[column].to_numpy(float)
        if len(value) == 0 or float(np.ptp(value)) == 0.0:
            continue
        found = scores.auc(float(factor.sign) * value, y)
        if not found <= ranks:  # the first factor, or a better one
            chosen, ranks = factor, found
    if chosen is None:
        return best
    value = cases[f"value_{chosen.name}"].to_numpy(float)
    return {"name": chosen.name, **_brief_of(scores.one_factor(value, y, wars, float(chosen.sign)))}


def _brief_of(s: dict[str, Any]) -> dict[str, Any]:
    return {k: s[k] for k in ("n", "accuracy", "brier", "log_loss", "auc")}


def labels(cases: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Return, by era, the share of scored cases honoured under each window of the label.

    ``primary`` names the window the back-test scores
    (:data:`~sim.history.invocations.PRIMARY_WINDOW`).
    """
    kept = cases[cases["scored"]]
    eras = era(kept["year"])
    found: dict[str, dict[str, Any]] = {}
    for name in ERAS:
        part = kept[eras == name]
        entry: dict[str, Any] = {"n": len(part), "primary": f"{PRIMARY_WINDOW}d"}
        for window in WINDOWS:
            entry[window] = float(part[f"honoured_{window}"].mean()) if len(part) else math.nan
        found[name] = entry
    return found


def set_apart(cases: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Return, by era and in all, how many cases each reason sets apart (every reason named)."""
    eras = era(cases["year"])
    found = {"all": _reasons(cases)}
    for name in ERAS:
        found[name] = _reasons(cases[eras == name])
    return found


def _reasons(cases: pd.DataFrame) -> dict[str, int]:
    counts = cases["apart"].value_counts()
    return {reason: int(counts.get(reason, 0)) for reason in APART}


def _brief(p: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    s = scores.score(p, y)
    return {k: s[k] for k in ("n", "accuracy", "brier", "log_loss", "auc")}


__all__ = ["ERAS", "REFERENCES", "SPLIT", "report", "scored"]
