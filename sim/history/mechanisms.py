"""Which of the kernel's mechanisms carry over from 1816-1944 to 1945-2003.

For each factor that varies among an era's scored cases (:mod:`sim.history.backtest`): how
well it ranks the cases alone (the AUC of its signed value, so that above 0.5 means it
points the way its sign says), and how the model scores without it (its recorded
contribution taken out of each case's log-odds, every other factor as it was). A mechanism
carries over when it ranks the right way in both eras and the model does worse without it
after 1945, where nothing was fitted. Taking a factor out moves the model's level as well as
its ranking, so the Brier without it says both.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit

from sim.history import scores
from sim.history.backtest import ERAS, scored
from sim.history.invocations import era
from sim.model.decide import FACTORS, Factor

MARGIN = 0.001
"""The least change in AUC or Brier that counts: the precision the tables show."""


def report(cases: pd.DataFrame) -> dict[str, Any]:
    """Return the model's scores by era and, for every weighted factor, its part in them.

    ``factors`` maps each factor to its sign, each era's ``auc_alone`` (NaN where it never
    varies; NaN compares false) and ``without`` (the model's AUC and Brier with it taken out),
    ``ranks_both_eras`` (alone, it points the way its sign says in both eras) and
    ``helps_after_1945`` (without it the model ranks or forecasts 1945-2003 worse).
    """
    kept = scored(cases)
    eras = era(kept["year"])
    parts = {name: kept[eras == name] for name in ERAS}
    model = {name: _scored(part["p_model"].to_numpy(float), part) for name, part in parts.items()}
    factors = {}
    for factor in FACTORS:
        if factor.weight is not None and factor.group != "intercept":
            entry: dict[str, Any] = {name: _factor(factor, part) for name, part in parts.items()}
            entry["sign"] = factor.sign
            entry["ranks_both_eras"] = all(entry[n]["auc_alone"] > 0.5 for n in ERAS)
            entry["helps_after_1945"] = _helps(entry["post1945"]["without"], model["post1945"])
            factors[factor.name] = entry
    return {"model": model, "factors": factors}


def _factor(factor: Factor, part: pd.DataFrame) -> dict[str, Any]:
    """One factor in one era: its AUC alone and the model's scores without it."""
    value = factor.sign * part[f"value_{factor.name}"].to_numpy(float)
    y = part["honoured"].to_numpy(bool)
    varies = len(value) > 0 and float(np.ptp(value)) > 0.0
    logit = scores.log_odds(part["p_model"].to_numpy(float))
    without = expit(logit - part[f"contrib_{factor.name}"].to_numpy(float))
    return {
        "auc_alone": scores.auc(value, y) if varies else math.nan,
        "without": _scored(without, part),
    }


def _scored(p: np.ndarray, part: pd.DataFrame) -> dict[str, float]:
    y = part["honoured"].to_numpy(bool)
    return {"auc": scores.auc(p, y), "brier": scores.brier(p, y)}


def _helps(without: dict[str, float], model: dict[str, float]) -> bool:
    """Return whether the model ranks (AUC) or forecasts (Brier) worse without the factor.

    Worse by :data:`MARGIN` at least.
    """
    worse_auc = without["auc"] <= model["auc"] - MARGIN
    return bool(worse_auc or without["brier"] >= model["brier"] + MARGIN)
