"""Scores a forecaster would accept, and the references every forecast is set beside.

:func:`score` gives n, accuracy, Brier score, log-loss, AUC, a calibration table and the
calibration intercept and slope for probabilities against outcomes (the AUC from ranks, as
the Mann-Whitney statistic: scikit-learn's answer without its checks, which cost more than the
score in a study of thousands of points).
:func:`interval` bootstraps a score over wars, since the cases of one war are not
independent. :func:`references` gives the four references of the back-test on the same
cases: the era's base rate (climatology), treaty-only (a defence duty is honoured, any other
is not), power-only (the guarantor's share of its and the attacker's capabilities) and a
plain logistic regression on the covariates known at the attack
(:mod:`sim.history.covariates`), scored by cross-validation grouped by war.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize_scalar
from scipy.special import expit, logit
from scipy.stats import rankdata
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

BINS = 5
"""Calibration bins: equal widths of predicted probability."""
FOLDS = 5
"""Cross-validation folds (grouped by war)."""
BOOTSTRAP = 500
"""Resamples of wars for an interval."""
CLIP = 1e-6
"""Probabilities are kept this far from 0 and 1 for the log-loss."""

Scorer = Callable[[np.ndarray, np.ndarray], float]


def score(p: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """Return n, accuracy, Brier, log-loss, AUC and calibration of ``p`` for outcomes ``y``.

    With no cases every figure but ``n`` is NaN; with one class only, the AUC is NaN.
    """
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=bool)
    if len(y) == 0:
        nan = math.nan
        return {
            "n": 0,
            "accuracy": nan,
            "brier": nan,
            "log_loss": nan,
            "auc": nan,
            "calibration": [],
            "calibration_intercept": nan,
            "calibration_slope": nan,
        }
    return {
        "n": len(y),
        "accuracy": float(((p >= 0.5) == y).mean()),
        "brier": brier(p, y),
        "log_loss": clipped_log_loss(p, y),
        "auc": auc(p, y),
        "calibration": calibration(p, y),
        "calibration_intercept": calibration_intercept(p, y),
        "calibration_slope": calibration_slope(p, y),
    }


def auc(p: np.ndarray, y: np.ndarray) -> float:
    """Return the area under the ROC curve, or NaN when only one outcome occurs."""
    y = np.asarray(y, dtype=bool)
    if y.all() or not y.any():
        return math.nan
    ranks = rankdata(np.asarray(p, dtype=float))  # ties share their mean rank
    positives = int(y.sum())
    above = float(ranks[y].sum()) - positives * (positives + 1) / 2.0
    return above / (positives * (len(y) - positives))


def brier(p: np.ndarray, y: np.ndarray) -> float:
    """Return the Brier score (mean squared error of the probabilities)."""
    return (
        float(np.mean((np.asarray(p, float) - np.asarray(y, float)) ** 2)) if len(y) else math.nan
    )


def calibration(p: np.ndarray, y: np.ndarray, bins: int = BINS) -> list[dict[str, float]]:
    """Return predicted against observed in equal-width bins of prediction (empty ones left out)."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    table = []
    for b in range(bins):
        inside = which == b
        if inside.any():
            table.append(
                {
                    "low": float(edges[b]),
                    "high": float(edges[b + 1]),
                    "n": int(inside.sum()),
                    "predicted": float(p[inside].mean()),
                    "observed": float(y[inside].mean()),
                }
            )
    return table


def log_odds(p: np.ndarray) -> np.ndarray:
    """Return the log-odds of probabilities kept :data:`CLIP` away from 0 and 1."""
    return np.asarray(logit(np.clip(np.asarray(p, dtype=float), CLIP, 1 - CLIP)))


def clipped_log_loss(p: np.ndarray, y: np.ndarray) -> float:
    """Return the log-loss of ``p`` for outcomes ``y``, ``p`` kept :data:`CLIP` from 0 and 1."""
    return float(np.mean(log_loss_each(p, y))) if len(y) else math.nan


def log_loss_each(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return each case's log-loss, ``p`` kept :data:`CLIP` from 0 and 1."""
    q = np.clip(np.asarray(p, dtype=float), CLIP, 1 - CLIP)
    return np.asarray(-np.where(np.asarray(y, dtype=bool), np.log(q), np.log(1 - q)))


def calibration_intercept(p: np.ndarray, y: np.ndarray) -> float:
    """Return calibration in the large: the log-odds to add to every forecast to fit the rate.

    The offset of a logistic recalibration with the slope held at 1 (Cox 1958; Van Calster et
    al. 2019): 0 is calibrated, below 0 the forecasts are too high. NaN with one outcome only.
    """
    y = np.asarray(y, dtype=float)
    if len(y) == 0 or y.all() or not y.any():
        return math.nan
    z = log_odds(p)

    def loss(shift: float) -> float:
        q = np.clip(expit(z + shift), 1e-15, 1 - 1e-15)
        return float(-np.mean(y * np.log(q) + (1.0 - y) * np.log(1.0 - q)))

    return float(minimize_scalar(loss, bounds=(-20.0, 20.0), method="bounded").x)


def calibration_slope(p: np.ndarray, y: np.ndarray) -> float:
    """Return the calibration slope: the forecasts' log-odds coefficient in a logistic refit.

    1 is calibrated; below 1 the forecasts are too extreme, above 1 too timid (Cox 1958).
    NaN with one outcome only.
    """
    return _refit(p, y)[1]


def _refit(p: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Return the (intercept, slope) of a logistic refit of ``y`` on the log-odds of ``p``."""
    y = np.asarray(y, dtype=bool)
    if len(y) == 0 or y.all() or not y.any():
        return math.nan, math.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        refit = LogisticRegression(penalty=None, max_iter=1000).fit(log_odds(p)[:, None], y)
    return float(refit.intercept_[0]), float(refit.coef_[0, 0])


def recalibrated_held_out(p: np.ndarray, y: np.ndarray, wars: np.ndarray) -> dict[str, float]:
    """Return the log-loss of ``p`` recalibrated on the other wars, scored on each held-out war.

    ``level``: the calibration intercept added; ``level_and_slope``: the full logistic refit;
    ``none``: ``p`` as it is. Tells whether an era's own record supports recalibrating it.
    With no cases every figure is NaN.
    """
    p, y, z = np.asarray(p, dtype=float), np.asarray(y, dtype=bool), log_odds(p)
    if len(y) == 0:
        return {"none": math.nan, "level": math.nan, "level_and_slope": math.nan}
    level, both = np.empty(len(y)), np.empty(len(y))
    for war in np.unique(wars):
        out = wars == war
        shift = calibration_intercept(p[~out], y[~out])
        intercept, slope = _refit(p[~out], y[~out])
        level[out] = expit(z[out] + (0.0 if math.isnan(shift) else shift))
        both[out] = expit(intercept + slope * z[out]) if not math.isnan(slope) else p[out]
    found = {"none": p, "level": level, "level_and_slope": both}
    return {name: clipped_log_loss(q, y) for name, q in found.items()}


def interval(
    p: np.ndarray, y: np.ndarray, wars: np.ndarray, scorer: Scorer, seed: int = 0
) -> list[float]:
    """Return a 95% interval of a score by resampling whole wars with replacement."""
    rng = np.random.default_rng(seed)
    groups = [np.flatnonzero(wars == w) for w in np.unique(wars)]
    if len(groups) < 2:
        return [math.nan, math.nan]
    found = []
    for _ in range(BOOTSTRAP):
        pick = np.concatenate([groups[i] for i in rng.integers(0, len(groups), len(groups))])
        value = scorer(p[pick], y[pick])
        if not math.isnan(value):
            found.append(value)
    if not found:
        return [math.nan, math.nan]
    return [float(np.percentile(found, 2.5)), float(np.percentile(found, 97.5))]


def logistic() -> Any:
    """Return the plain logistic reference: standardised covariates, L2 penalty (C=1)."""
    return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))


def fit_predict(x_fit: np.ndarray, y_fit: np.ndarray, x_new: np.ndarray) -> np.ndarray:
    """Fit the logistic reference and predict; with one outcome only, predict its rate."""
    if len(x_new) == 0:
        return np.zeros(0)
    if y_fit.all() or not y_fit.any():
        return np.full(len(x_new), float(y_fit.mean()) if len(y_fit) else 0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = logistic().fit(x_fit, y_fit)
        return np.asarray(model.predict_proba(x_new)[:, 1])


def cross_validated(x: np.ndarray, y: np.ndarray, wars: np.ndarray) -> np.ndarray:
    """Return each case's probability from a logistic fitted on the other wars' folds."""
    p = np.full(len(y), np.nan)
    groups = len(np.unique(wars))
    if groups < 2:
        return np.full(len(y), float(y.mean()) if len(y) else 0.5)
    for fit, held in GroupKFold(n_splits=min(FOLDS, groups)).split(x, y, wars):
        p[held] = fit_predict(x[fit], y[fit], x[held])
    return p


LOGISTIC = (
    "near_adversary",
    "log_km_to_adversary",
    "log_power_vs_adversary",
    "nuclear_adversary",
    "major_guarantor",
)
"""The plain logistic reference's five covariates, each known the day before the attack: the
guarantor's exposure to the attacker (a border or narrow sea, the distance between capitals),
the balance between them, the attacker's nuclear arms, and the guarantor's rank."""
DISTANCE = "log_km_to_adversary"
"""The distance-alone reference: the attacker's capital from the guarantor's."""


def one_factor(value: np.ndarray, y: np.ndarray, wars: np.ndarray, sign: float) -> dict[str, Any]:
    """Return a single factor's scores as a reference: its ranking and a fitted forecast.

    The AUC ranks the cases by ``sign * value`` (the direction fixed beforehand, nothing
    fitted); the Brier and log-loss are those of a one-variable logistic on it,
    cross-validated by war as the plain logistic is.
    """
    p = cross_validated(value.reshape(-1, 1), y, wars)
    found = score(p, y)
    found["auc"] = auc(sign * value, y)
    return found


def references(
    cases: pd.DataFrame, x: pd.DataFrame, earlier: tuple[pd.DataFrame, pd.DataFrame] | None = None
) -> dict[str, np.ndarray]:
    """Return each reference's probabilities for the cases of one era.

    ``x`` holds the cases' covariates; the plain logistic is fitted on :data:`LOGISTIC`
    (cross-validated by war). With ``earlier`` (the cases and covariates of an
    earlier era), the logistic fitted on them (``logistic_transfer``) and their honoured
    share (``base_rate_transfer``: the base rate a forecaster knows before the era begins)
    are also scored here, unless the earlier era has no cases.
    """
    y = cases["honoured"].to_numpy(bool)
    wars = cases["war"].to_numpy()
    values = x[list(LOGISTIC)].to_numpy(float)
    found = {
        "base_rate": np.full(len(y), y.mean() if len(y) else math.nan),
        "treaty_only": (cases["obligation"] == "defence").to_numpy(float),
        "power_only": x["power_share"].to_numpy(float),
        "logistic": cross_validated(values, y, wars),
    }
    if earlier is not None and len(earlier[0]):
        old_cases, old_x = earlier
        old_y = old_cases["honoured"].to_numpy(bool)
        found["logistic_transfer"] = fit_predict(
            old_x[list(LOGISTIC)].to_numpy(float), old_y, values
        )
        found["base_rate_transfer"] = np.full(len(y), old_y.mean() if len(old_y) else math.nan)
    return found
