"""Simulated against real survival curves: a two-sample test and distances with intervals.

The simulated spells pool several runs of the model, each a history as long as the real
one, so counting each spell once would let the number of runs decide the test's power.
Every simulated spell therefore weighs ``1 / runs``: together they count as one history.

* :func:`logrank` is the log-rank test of two groups with case weights (the usual
  hypergeometric variance, on weighted counts at risk and ending);
* :func:`distances` are the largest gap between the Kaplan-Meier curves up to a horizon
  (Kolmogorov's distance) and the area between them (in years: the difference of
  restricted mean lifetimes, taken in absolute value at each age);
* :func:`bootstrap` gives their 95% intervals, resampling the real alliances and the
  simulated runs (whole histories) with replacement.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

FloatArray = NDArray[np.float64]
HORIZON = 20.0
"""Years over which the curves are compared: most real alliances of 1816-1944 end by then."""
STEP = 0.05
"""Grid step (years) on which the curves are compared."""


@dataclass(frozen=True)
class Curve:
    """Spells as arrays: durations, ended, weights."""

    duration: FloatArray
    ended: NDArray[np.bool_]
    weight: FloatArray

    @classmethod
    def of(cls, spells: pd.DataFrame, weight: float = 1.0) -> Curve:
        """Return a cohort's spells as a curve, every spell with the same weight."""
        return cls(
            spells["duration"].to_numpy(float),
            spells["ended"].to_numpy(bool),
            np.full(len(spells), weight),
        )

    def survival(self, grid: FloatArray) -> FloatArray:
        """Return the weighted Kaplan-Meier curve on ``grid`` (right-continuous steps)."""
        times = np.unique(self.duration[self.ended])
        if times.size == 0:  # nothing ended: every alliance still in force
            return np.ones_like(grid)
        at_risk = np.array([self.weight[self.duration >= t].sum() for t in times])
        ends = np.array([self.weight[self.ended & (self.duration == t)].sum() for t in times])
        factors = np.where(at_risk > 0, 1.0 - ends / np.where(at_risk > 0, at_risk, 1.0), 1.0)
        steps = np.cumprod(factors)
        index = np.searchsorted(times, grid, side="right") - 1
        return np.where(index >= 0, steps[np.clip(index, 0, None)], 1.0)


def logrank(simulated: pd.DataFrame, real: pd.DataFrame) -> dict[str, float]:
    """Return the log-rank test of simulated against real spells, runs weighted as one history.

    ``simulated`` needs a ``run`` column; each of its spells weighs 1 / (number of runs).
    """
    runs = max(simulated["run"].nunique(), 1)
    a, b = Curve.of(simulated, 1.0 / runs), Curve.of(real)
    duration = np.concatenate([a.duration, b.duration])
    ended = np.concatenate([a.ended, b.ended])
    weight = np.concatenate([a.weight, b.weight])
    first = np.concatenate([np.ones(len(a.duration), bool), np.zeros(len(b.duration), bool)])
    observed = expected = variance = 0.0
    for t in np.unique(duration[ended]):
        risk = duration >= t
        n, n1 = weight[risk].sum(), weight[risk & first].sum()
        d = weight[ended & (duration == t)].sum()
        d1 = weight[ended & (duration == t) & first].sum()
        observed += d1
        expected += d * n1 / n
        if n > 1:
            variance += d * (n1 / n) * (1 - n1 / n) * max(n - d, 0.0) / (n - 1)
    statistic = (observed - expected) ** 2 / variance if variance > 0 else float("nan")
    return {
        "statistic": float(statistic),
        "p_value": float(stats.chi2.sf(statistic, 1)),
        "runs": runs,
        "observed_minus_expected": float(observed - expected),
    }


def distances(simulated: Curve, real: Curve, horizon: float = HORIZON) -> dict[str, float]:
    """Return the largest gap and the area (years) between two curves up to ``horizon``."""
    grid = np.arange(0.0, horizon + STEP / 2, STEP)
    gap = np.abs(simulated.survival(grid) - real.survival(grid))
    return {"sup": float(gap.max()), "area": float(gap[:-1].sum() * STEP)}


def bootstrap(
    simulated: pd.DataFrame, real: pd.DataFrame, draws: int = 200, seed: int = 0
) -> dict[str, dict[str, float]]:
    """Return each distance with its 95% bootstrap interval.

    Each draw resamples the real spells and the simulated runs (whole histories), with
    replacement. The value is the median of the draws, so that it lies inside its interval:
    a distance is never negative, so the draws sit above the distance on the data as they are
    (0.58 against draws of 0.62 to 1.43), which ``on_data`` keeps.
    """
    rng = np.random.default_rng(seed)
    runs = {name: part for name, part in simulated.groupby("run", sort=True)}
    names = list(runs)
    point = distances(Curve.of(simulated), Curve.of(real))
    drawn: dict[str, list[float]] = {k: [] for k in point}
    for _ in range(draws):
        chosen = pd.concat([runs[names[k]] for k in rng.integers(0, len(names), len(names))])
        again = real.iloc[rng.integers(0, len(real), len(real))]
        for k, v in distances(Curve.of(chosen), Curve.of(again)).items():
            drawn[k].append(v)
    return {
        k: {
            "value": float(np.percentile(drawn[k], 50)),
            "lower": float(np.percentile(drawn[k], 2.5)),
            "upper": float(np.percentile(drawn[k], 97.5)),
            "on_data": point[k],
        }
        for k in point
    }
