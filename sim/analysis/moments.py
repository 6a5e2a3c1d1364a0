"""What calibration asks of simulated alliances: ATOP's figures of 1816-1944, as moments.

A cohort of alliances is summed up by moments (:func:`moments`):

* the share still in force at 1, 2, 5, 10 and 20 years (Kaplan-Meier): the durations;
* the log of the hazard's change per doubling of age over ages 1-20: the hazard's shape;
* the log of the Cox hazard ratio per tenfold capability ratio: the asymmetry effect;
* each shared end reason's share of the ends: the reasons;
* the log of the number begun per history: the number formed;
* the log rate ratios of ends after the adversary's and after a member's defeat in war: the
  essay's P5, which alone tells how far a beaten enemy's threat falls.

:class:`Target` holds the real cohort's moments with their standard errors, and
:meth:`Target.distance` is the simulated minimum-distance criterion: the sum over moments of
the squared gap between simulated and real, in units of the real moment's standard error
(a moment the simulated cohort cannot give counts as a gap of :data:`MISSING` errors).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter

from sim.analysis import patterns
from sim.history.atopends import REASONS

TIMES = (1, 2, 5, 10, 20)
MISSING = 10.0
"""The gap, in standard errors, charged for a moment the simulated cohort cannot give."""
SHARE_FLOOR = 0.02
"""Shares are kept from 0 and 1 in their standard errors, so that no moment weighs without bound."""


def moments(spells: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Return each moment of a cohort with its standard error (NaN where it cannot be had)."""
    found = _survival(spells)
    trend, asym = patterns.age_trend(spells), patterns.asymmetry(spells)
    found["log_age_trend"] = _logged(trend)
    found["log_asymmetry"] = _logged(asym)
    ends = spells.loc[spells["ended"], "cause"]
    ends = ends[ends.isin(REASONS)]
    for reason in REASONS:
        p = float((ends == reason).mean()) if len(ends) else float("nan")
        q = min(max(p, SHARE_FLOOR), 1 - SHARE_FLOOR)
        found[f"share_{reason}"] = (p, np.sqrt(q * (1 - q) / max(len(ends), 1)))
    count = patterns.begun(spells)
    found["log_begun"] = (np.log(max(count.value, 0.5)), 1 / np.sqrt(max(count.n, 1)))
    for whose in ("adversary", "member"):
        found[f"log_after_{whose}_defeat"] = _logged(patterns.after_defeat(spells, whose))
    return found


def _survival(spells: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Return the share in force at each of :data:`TIMES`, with Greenwood's standard error."""
    if spells.empty:
        return {f"in_force_{t}y": (float("nan"), float("nan")) for t in TIMES}
    kmf = KaplanMeierFitter().fit(spells["duration"], spells["ended"])
    table = kmf.event_table
    terms = table["observed"] / (table["at_risk"] * (table["at_risk"] - table["observed"]))
    greenwood = terms.replace([np.inf, -np.inf], np.nan).fillna(0.0).cumsum()
    found = {}
    for t in TIMES:
        s = float(kmf.survival_function_at_times(t).iloc[0])
        var = float(greenwood[greenwood.index <= t].iloc[-1]) if (greenwood.index <= t).any() else 0
        found[f"in_force_{t}y"] = (s, max(s * np.sqrt(var), 0.01))
    return found


def _logged(e: patterns.Estimate) -> tuple[float, float]:
    if not np.isfinite(e.value) or e.value <= 0 or not np.isfinite(e.upper):
        return float("nan"), float("nan")
    return float(np.log(e.value)), float((np.log(e.upper) - np.log(e.lower)) / (2 * patterns.Z))


@dataclass(frozen=True)
class Target:
    """A real cohort's moments and their standard errors: what calibration matches."""

    values: dict[str, float]
    errors: dict[str, float]

    @classmethod
    def of(cls, real: pd.DataFrame) -> Target:
        """Return the target a real cohort sets."""
        found = moments(real)
        return cls({k: v for k, (v, _) in found.items()}, {k: e for k, (_, e) in found.items()})

    def gaps(self, simulated: pd.DataFrame) -> dict[str, float]:
        """Return each moment's gap, simulated less real, in the real moment's standard errors."""
        found = moments(simulated)
        return {
            k: (found[k][0] - v) / self.errors[k] if np.isfinite(found[k][0]) else MISSING
            for k, v in self.values.items()
            if np.isfinite(v) and np.isfinite(self.errors[k]) and self.errors[k] > 0
        }

    def distance(self, simulated: pd.DataFrame) -> float:
        """Return the sum of squared gaps (the simulated minimum-distance criterion)."""
        return float(sum(g * g for g in self.gaps(simulated).values()))
