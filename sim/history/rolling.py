"""Rolling-origin forecasts: each decade scored by a model fitted only on the decades before it.

The way conflict forecasters evaluate (ViEWS, Hegre et al. 2019): for every decade from the
1870s to the 2000s, the kernel's weights are fitted (penalised maximum likelihood with the
theory's signs, :mod:`sim.history.fitting`; the prior's spread chosen on those earlier cases
alone, cross-validated by event) on every case, dispute or war, that began before the decade,
and the decade's cases are forecast. The forecasts are pooled by era (1870-1944, 1945-1989,
1990-2010) and scored with proper scores (Brier, log-loss), AUC and calibration, each with a
95% interval from a bootstrap over events (disputes or wars).

The references are fitted the same rolling way, on the same earlier cases:

* ``base_rate``: the share honoured before the decade;
* ``distance_only``: a one-variable logistic on the log distance between the attacker's and the
  guarantor's capitals;
* ``best_single_factor``: the kernel factor that alone ranked the earlier cases best (by AUC,
  signed as the theory signs it), as a one-variable logistic;
* ``logistic``: a plain logistic regression on five covariates known the day before
  (:data:`sim.history.scores.LOGISTIC`).

Nothing of a decade, or of any later one, is read to fit what forecasts it. :func:`transfer` is
the pure transfer (fitted on 1816-1944 once, scored on 1945-2010); :func:`grouped_cv` is
cross-validation grouped by event within each era.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.history import fitting, scores
from sim.history.covariates import covariates
from sim.model.decide import FACTORS

FIRST_DECADE, LAST_DECADE = 1870, 2000
ERAS = {"pre1945": (1870, 1944), "cold_war": (1945, 1989), "post_cold_war": (1990, 2010)}
REFERENCES = ("base_rate", "distance_only", "best_single_factor", "logistic")
SPREAD_FOLDS = 3
"""Folds (grouped by event) of the earlier cases on which each fit chooses its prior's spread."""


@dataclass(frozen=True)
class Cases:
    """Scored cases as the forecasts read them: the kernel's design, covariates and events."""

    design: fitting.Design  # signed factor values, honoured, events (the groups)
    covariates: np.ndarray  # (cases, 5): the plain logistic's covariates
    distance: np.ndarray  # log km from the guarantor's capital to the attacker's
    year: np.ndarray

    @classmethod
    def of(cls, table: pd.DataFrame) -> Cases:
        """Return the cases of ``table`` (value_* columns, ``honoured``, ``event``, ``year``)."""
        design = fitting.Design.of(table)
        design = fitting.Design(design.x, design.y, table["event"].to_numpy(str))
        x = covariates(table)
        return cls(
            design,
            x[list(scores.LOGISTIC)].to_numpy(float),
            x[scores.DISTANCE].to_numpy(float),
            table["year"].to_numpy(int),
        )

    def take(self, rows: np.ndarray) -> Cases:
        """Return some of the cases."""
        return Cases(
            self.design.take(rows), self.covariates[rows], self.distance[rows], self.year[rows]
        )


Forecaster = Callable[[Cases, Cases], dict[str, np.ndarray]]


def forecasts(fit_on: Cases, new: Cases) -> dict[str, np.ndarray]:
    """Return the kernel's and every reference's forecasts of ``new``, fitted on ``fit_on``."""
    y = fit_on.design.y
    rate = float(y.mean()) if len(y) else 0.5
    found = {"model": kernel(fit_on.design, new.design), "base_rate": np.full(len(new.year), rate)}
    found["distance_only"] = scores.fit_predict(fit_on.distance[:, None], y, new.distance[:, None])
    best = _best_factor(fit_on.design)
    found["best_single_factor"] = scores.fit_predict(
        fit_on.design.x[:, [best]], y, new.design.x[:, [best]]
    )
    found["logistic"] = scores.fit_predict(fit_on.covariates, y, new.covariates)
    return found


def kernel(fit_on: fitting.Design, new: fitting.Design, extra: int = 0) -> np.ndarray:
    """Return the kernel's forecasts under weights fitted on the earlier cases only.

    ``extra``: the design's last columns are mechanisms on trial (:mod:`sim.history.trial`).
    """
    if len(np.unique(fit_on.wars)) < 2 or fit_on.y.all() or not fit_on.y.any():
        return fitting.predict(fitting.Prior.of(extra=extra).mean, new)
    spread, _ = fitting.choose_spread(fit_on, held=(), folds=SPREAD_FOLDS, extra=extra)
    prior = fitting.Prior.of(sd=spread, held=(), extra=extra)
    return fitting.predict(fitting.fit(fit_on, prior), new)


def _best_factor(design: fitting.Design) -> int:
    """Return the column of the factor (not the baseline) that alone ranks ``design`` best."""
    best, found = 1, -math.inf
    for column, name in enumerate(fitting.FITTED):
        value = design.x[:, column]
        if name == "baseline" or float(np.ptp(value)) == 0.0:
            continue
        a = scores.auc(value, design.y)
        if a > found:
            best, found = column, a
    return best


def rolling(cases: Cases) -> dict[str, np.ndarray]:
    """Return every forecaster's rolling-origin forecast of each case from 1870 on (NaN before)."""
    found: dict[str, np.ndarray] = {}
    for decade in range(FIRST_DECADE, LAST_DECADE + 10, 10):
        new = np.flatnonzero((cases.year >= decade) & (cases.year < decade + 10))
        old = np.flatnonzero(cases.year < decade)
        if len(new) == 0:
            continue
        for name, p in forecasts(cases.take(old), cases.take(new)).items():
            found.setdefault(name, np.full(len(cases.year), math.nan))[new] = p
    return found


def report(cases: Cases, p: dict[str, np.ndarray]) -> dict[str, Any]:
    """Return each era's scores of the kernel's forecasts ``p`` and its references'."""
    found = {}
    for era, (first, last) in ERAS.items():
        rows = np.flatnonzero((cases.year >= first) & (cases.year <= last) & ~np.isnan(p["model"]))
        found[era] = era_scores(cases.take(rows), {k: v[rows] for k, v in p.items()})
    return found


def era_scores(cases: Cases, p: dict[str, np.ndarray]) -> dict[str, Any]:
    """Return the kernel's scores on some cases, with intervals, beside its references'."""
    y, events = cases.design.y, cases.design.wars
    entry = {k: v for k, v in scores.score(p["model"], y).items() if k != "calibration"}
    entry["disputes"] = len(np.unique(events))
    entry["honoured"] = int(y.sum())
    entry["auc_interval"] = scores.interval(p["model"], y, events, scores.auc)
    entry["brier_interval"] = scores.interval(p["model"], y, events, scores.brier)
    entry["references"] = {
        name: {k: scores.score(p[name], y)[k] for k in ("brier", "auc", "log_loss")}
        for name in REFERENCES
        if name in p
    }
    return entry


def transfer(cases: Cases) -> dict[str, Any]:
    """Return the pure transfer: fitted on 1816-1944 once, scored on 1945-2010."""
    old = np.flatnonzero(cases.year < 1945)
    new = np.flatnonzero(cases.year >= 1945)
    return era_scores(cases.take(new), forecasts(cases.take(old), cases.take(new)))


def grouped_cv(cases: Cases, folds: int = 5) -> dict[str, Any]:
    """Return each era's scores under cross-validation grouped by event within the era."""
    from sklearn.model_selection import GroupKFold

    found = {}
    for era, (first, last) in ERAS.items():
        rows = np.flatnonzero((cases.year >= first) & (cases.year <= last))
        part = cases.take(rows)
        groups = part.design.wars
        if len(np.unique(groups)) < 2:
            continue
        p: dict[str, np.ndarray] = {}
        for fit, held in GroupKFold(n_splits=min(folds, len(np.unique(groups)))).split(
            part.year, groups=groups
        ):
            for name, q in forecasts(part.take(fit), part.take(held)).items():
                p.setdefault(name, np.full(len(rows), math.nan))[held] = q
        found[era] = era_scores(part, p)
    return found


def factor_names() -> tuple[str, ...]:
    """Return the fitted parameters' factor names, in the design's column order."""
    by_weight = {f.weight: f.name for f in FACTORS if f.weight}
    return tuple(by_weight.get(w, w) for w in fitting.FITTED)
