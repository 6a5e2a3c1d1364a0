"""A mechanism on trial: what it adds to the kernel's rolling-origin forecasts of 1870-1944.

Before a mechanism enters the kernel it is measured here, on the decades before 1945 only
(never on a later era): every decade from the 1870s to the 1940s is forecast twice, by the
kernel alone and by the kernel with the mechanism's value as one more column, each refitted on
every earlier case of both scales as :mod:`sim.history.rolling` fits (the mechanism's weight
centred on 0 and bounded by its theoretical sign). The gain is the change in the pooled
1870-1944 AUC, Brier and log-loss, with a 95% interval of the log-loss change from a bootstrap
over events (the same resampled events for both forecasts).

The cases are cut at 1945 before anything is read, so no later label can move a verdict. The
verdict's rule is fixed before any score is seen: a mechanism is adopted when it lowers both the
log-loss and the Brier by :data:`MARGIN` at least.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from sim.history import candidates, fitting, rolling, scores
from sim.model.params import Params

FIRST, LAST = 1870, 1944
MARGIN = 0.001
"""The least improvement in log-loss and Brier that adopts a mechanism."""
BOOTSTRAP = 1000


def trial(table: pd.DataFrame, params: Params) -> dict[str, Any]:
    """Return the kernel's 1870-1944 rolling scores and each candidate's gain over them.

    Only the cases of 1944 and before are read (:mod:`sim.history.candidates` reads each on its
    own morning).
    """
    early = table[table["year"] <= LAST].reset_index(drop=True)
    return judge(early, candidates.values(early, params))


def judge(early: pd.DataFrame, values: pd.DataFrame) -> dict[str, Any]:
    """Return the kernel's rolling scores of ``early`` and the gain of each column of ``values``.

    ``values`` holds each mechanism's signed value for every case of ``early`` (same index).
    """
    early = early[early["year"] <= LAST]
    design, year = _design(early), early["year"].to_numpy(int)
    kernel = _rolling(design, year)
    found: dict[str, Any] = {"kernel": _scores(kernel, design.y), "mechanisms": {}}
    for name in values.columns:
        column = values.loc[early.index, name].to_numpy(float)[:, None]
        widened = fitting.Design(np.hstack([design.x, column]), design.y, design.wars)
        p = _rolling(widened, year, extra=1)
        found["mechanisms"][name] = _gain(kernel, p, design, column[:, 0])
    return found


def _design(table: pd.DataFrame) -> fitting.Design:
    base = fitting.Design.of(table)
    return fitting.Design(base.x, base.y, table["event"].to_numpy(str))


def _rolling(design: fitting.Design, year: np.ndarray, extra: int = 0) -> np.ndarray:
    """Return each case's forecast from a fit on the decades before its own (NaN before 1870)."""
    p = np.full(len(year), math.nan)
    for decade in range(FIRST, LAST + 1, 10):
        new = np.flatnonzero((year >= decade) & (year < decade + 10))
        if len(new):
            old = np.flatnonzero(year < decade)
            p[new] = rolling.kernel(design.take(old), design.take(new), extra)
    return p


def _scores(p: np.ndarray, y: np.ndarray) -> dict[str, float]:
    kept = ~np.isnan(p)
    found = scores.score(p[kept], y[kept])
    return {
        "n": int(kept.sum()),
        "honoured": int(y[kept].sum()),
        **{k: found[k] for k in ("auc", "brier", "log_loss")},
    }


def _gain(
    before: np.ndarray, after: np.ndarray, design: fitting.Design, value: np.ndarray
) -> dict[str, Any]:
    """Return a mechanism's scores, its gain over the kernel's, an interval and a verdict."""
    kept = ~np.isnan(before)
    y, events = design.y[kept], design.wars[kept]
    was, now = _scores(before, design.y), _scores(after, design.y)
    gain = {k: now[k] - was[k] for k in ("auc", "brier", "log_loss")}
    interval = _interval(before[kept], after[kept], y, events)
    adopted = gain["log_loss"] <= -MARGIN and gain["brier"] <= -MARGIN
    varies = int((value[kept] != 0).sum())
    return {
        **now,
        "gain": gain,
        "log_loss_gain_interval": interval,
        "cases_where_it_acts": varies,
        "adopted": bool(adopted),
    }


def _interval(
    before: np.ndarray, after: np.ndarray, y: np.ndarray, events: np.ndarray
) -> list[float]:
    """Return the 95% interval of the log-loss change, resampling events for both forecasts."""
    rng = np.random.default_rng(0)
    groups = [np.flatnonzero(events == e) for e in np.unique(events)]
    loss = scores.log_loss_each(after, y) - scores.log_loss_each(before, y)
    found = []
    for _ in range(BOOTSTRAP):
        pick = np.concatenate([groups[i] for i in rng.integers(0, len(groups), len(groups))])
        found.append(float(loss[pick].mean()))
    return [float(x) for x in np.percentile(found, [2.5, 97.5])]
