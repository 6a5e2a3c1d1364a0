"""The patterns the literature finds in how alliances live and end, measured on a cohort.

Each measure takes the spells of one cohort (alliances begun in a span of years, from one
source) and returns an :class:`Estimate` with its 95% interval:

* :func:`median`: the Kaplan-Meier median duration;
* :func:`age_trend`: how the hazard changes as an alliance ages, over ages 1-20, as the
  factor by which it moves when the age doubles (a Poisson model of ends per year of age
  with a log-linear age term; Bennett 1997 finds that it does not fall), beside the rates
  per age band (:func:`age_rates`) and a kernel-smoothed Nelson-Aalen hazard
  (:func:`smoothed_hazard`);
* :func:`asymmetry`: the Cox hazard ratio per tenfold capability ratio (Morrow 1991);
* :func:`cause_shares`: each end reason's share of the ends that both the model and ATOP
  can have (:data:`sim.history.atopends.REASONS`);
* :func:`after_defeat`: the rate of ends in the years from a defeat of the adversary or of
  a member against the other years (the essay's P5);
* :func:`begun`: how many alliances began, per history.

:func:`spread` gives a simulated figure: the estimate over all runs' spells, with the
interval of one simulated history (the 2.5th to 97.5th percentiles of the run-by-run
estimates), the counterpart of a real history's sampling interval.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter, KaplanMeierFitter, NelsonAalenFitter
from lifelines.utils import median_survival_times
from scipy import stats

from sim.history import defeats
from sim.history.atopends import REASONS
from sim.history.cow import abbreviations

Z = 1.959963984540054
AGE_BANDS = ((0, 2), (2, 5), (5, 10), (10, 20), (20, 200))
TREND_AGES = (1, 20)
"""Ages over which the hazard's trend is measured: after the first year, in which alliances
made for a war under way end with it (P5), and before the data thin out."""
DEFEAT_WINDOW = 2
"""A defeat in year Y marks the years Y to Y + 2."""
WAR_DATA_END = 2007
ASYMMETRIC = 4.0
"""Capability ratio (strongest to weakest member) above which an alliance is asymmetric."""


@dataclass(frozen=True)
class Estimate:
    """A figure with its 95% interval and the number of spells (or alliance-years) behind it."""

    value: float
    lower: float
    upper: float
    n: int

    def as_dict(self) -> dict[str, float | int | None]:
        """Return the figure as JSON: value, lower, upper (None where not finite), n."""
        return {
            "value": _finite(self.value),
            "lower": _finite(self.lower),
            "upper": _finite(self.upper),
            "n": self.n,
        }


NONE = Estimate(float("nan"), float("nan"), float("nan"), 0)


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def spread(spells: pd.DataFrame, measure: Callable[[pd.DataFrame], Estimate]) -> Estimate:
    """Return a simulated figure: one history's, the median of the runs, with its interval.

    The figure is measured run by run (runs where it cannot be measured are left out): the
    value is their median and the interval their 2.5th to 97.5th percentiles, so the value
    lies inside its interval (the figure pooled over all runs need not: a Kaplan-Meier median
    of 5.00 when every run's is below it). ``n`` is the spells per run. With no run that can
    be measured, the pooled figure is given without an interval.
    """
    pooled = measure(spells)
    runs = [measure(part).value for _, part in spells.groupby("run", sort=True)]
    values = np.array([v for v in runs if np.isfinite(v)])
    if values.size == 0:
        return Estimate(pooled.value, float("nan"), float("nan"), pooled.n)
    middle, low, high = np.percentile(values, [50, 2.5, 97.5])
    per_run = round(pooled.n / max(spells["run"].nunique(), 1))
    return Estimate(float(middle), float(low), float(high), per_run)


def median(spells: pd.DataFrame) -> Estimate:
    """Return the Kaplan-Meier median duration in years, with its 95% interval."""
    if spells.empty or not spells["ended"].any():
        return NONE
    kmf = KaplanMeierFitter(alpha=0.05).fit(spells["duration"], spells["ended"])
    band = median_survival_times(kmf.confidence_interval_)
    return Estimate(
        float(kmf.median_survival_time_),
        float(band.iloc[0, 0]),
        float(band.iloc[0, 1]),
        len(spells),
    )


def exposure(spells: pd.DataFrame, low: float, high: float) -> tuple[float, int]:
    """Return the alliance-years lived between ages ``low`` and ``high``, and the ends in them."""
    d, ended = spells["duration"].to_numpy(float), spells["ended"].to_numpy(bool)
    years = float((np.clip(d, low, high) - low).sum())
    ends = int((ended & (d > low) & (d <= high)).sum())
    if low == 0:  # an alliance that ended in the year it began lived no time, but ended
        ends += int((ended & (d == 0)).sum())
    return years, ends


def age_rates(spells: pd.DataFrame) -> dict[str, Estimate]:
    """Return the ends per 100 alliance-years in each age band, with exact Poisson intervals."""
    found = {}
    for low, high in AGE_BANDS:
        years, ends = exposure(spells, low, high)
        name = f"{low}-{high}" if high < 200 else f"{low}+"
        found[name] = _rate(ends, years, 100.0)
    return found


def _rate(ends: int, years: float, per: float) -> Estimate:
    if years <= 0:
        return NONE
    low = stats.chi2.ppf(0.025, 2 * ends) / 2 if ends else 0.0
    high = stats.chi2.ppf(0.975, 2 * ends + 2) / 2
    return Estimate(per * ends / years, per * low / years, per * high / years, ends)


def age_trend(spells: pd.DataFrame) -> Estimate:
    """Return the factor by which the hazard moves when an alliance's age doubles (ages 1-20).

    A Poisson model of the ends in each year of age, with the alliance-years lived at that
    age as exposure and log(age) as the one covariate (a piecewise-exponential model with a
    log-linear trend), fitted by Newton's method; the interval is Wald's.
    """
    ages = np.arange(*TREND_AGES, dtype=float)
    lived = np.array([exposure(spells, float(a), float(a) + 1.0) for a in ages])
    keep = lived[:, 0] > 0
    years, ends, x = lived[keep, 0], lived[keep, 1], np.log(ages[keep] + 0.5)
    if ends.sum() < 3 or keep.sum() < 3:
        return NONE
    design = np.column_stack([np.ones_like(x), x])
    beta = np.array([np.log(ends.sum() / years.sum()), 0.0])
    for _ in range(50):
        mu = years * np.exp(design @ beta)
        info = design.T @ (design * mu[:, None])
        step = np.linalg.solve(info, design.T @ (ends - mu))
        beta += step
        if np.abs(step).max() < 1e-10:
            break
    se = float(np.sqrt(np.linalg.inv(info)[1, 1]))
    slope = float(beta[1]) * np.log(2.0)
    half = Z * se * np.log(2.0)
    return Estimate(np.exp(slope), np.exp(slope - half), np.exp(slope + half), int(ends.sum()))


def flat_histories(spells: pd.DataFrame) -> dict[str, int]:
    """Return in how many histories (runs) the hazard is not shown to fall with age.

    The test held to the real record, applied to each simulated history alone: the
    :func:`age_trend` of the run, whose interval reaches 1. Returned: that count
    (``flat``), and the runs where the trend could be measured (``of``).
    """
    runs = [age_trend(part) for _, part in spells.groupby("run", sort=True)]
    measured = [e for e in runs if np.isfinite(e.upper)]
    return {"flat": int(sum(e.upper >= 1.0 for e in measured)), "of": len(measured)}


def smoothed_hazard(
    spells: pd.DataFrame, ages: tuple[int, ...] = (1, 2, 5, 10, 15, 20), bandwidth: float = 3.0
) -> dict[str, float | None]:
    """Return the Nelson-Aalen hazard smoothed by a kernel (``bandwidth`` years) at ``ages``."""
    if spells.empty or not spells["ended"].any():
        return {str(a): None for a in ages}
    naf = NelsonAalenFitter().fit(spells["duration"], spells["ended"])
    curve = naf.smoothed_hazard_(bandwidth=bandwidth).iloc[:, 0]
    return {
        str(a): _finite(float(curve[curve.index <= a].iloc[-1]))
        if (curve.index <= a).any()
        else None
        for a in ages
    }


def asymmetry(spells: pd.DataFrame) -> Estimate:
    """Return the Cox hazard ratio per tenfold capability ratio (strongest over weakest member)."""
    data = pd.DataFrame(
        {
            "duration": spells["duration"].to_numpy(float),
            "ended": spells["ended"].to_numpy(float),
            "log10_ratio": np.log10(spells["ratio"].to_numpy(float)),
        }
    ).replace([np.inf, -np.inf], np.nan)
    data = data.dropna()
    if data["ended"].sum() < 5 or data["log10_ratio"].std() < 1e-6:
        return NONE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitter = CoxPHFitter(penalizer=0.001).fit(data, "duration", "ended")
    row = fitter.summary.loc["log10_ratio"]
    return Estimate(
        float(row["exp(coef)"]),
        float(row["exp(coef) lower 95%"]),
        float(row["exp(coef) upper 95%"]),
        len(data),
    )


def asymmetric_share(spells: pd.DataFrame) -> Estimate:
    """Return the share of alliances whose capability ratio exceeds :data:`ASYMMETRIC` (Wilson)."""
    ratio = spells["ratio"].to_numpy(float)
    known = ratio[np.isfinite(ratio)]
    return _wilson(int((known > ASYMMETRIC).sum()), known.size)


def cause_shares(spells: pd.DataFrame) -> dict[str, Estimate]:
    """Return each shared end reason's share of the ends that have one (Wilson intervals).

    The ends ATOP alone can have (renegotiated into another treaty, or not read with
    confidence: ``other``) are left out of the count.
    """
    causes = spells.loc[spells["ended"], "cause"]
    causes = causes[causes.isin(REASONS)]
    return {reason: _wilson(int((causes == reason).sum()), len(causes)) for reason in REASONS}


def _wilson(k: int, n: int) -> Estimate:
    if n == 0:
        return NONE
    p = k / n
    centre = (p + Z**2 / (2 * n)) / (1 + Z**2 / n)
    half = Z * np.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2)) / (1 + Z**2 / n)
    return Estimate(p, max(centre - half, 0.0), min(centre + half, 1.0), n)


def share_of(reason: str) -> Callable[[pd.DataFrame], Estimate]:
    """Return a measure of one end reason's share, for :func:`spread`."""
    return lambda spells: cause_shares(spells)[reason]


def begun(spells: pd.DataFrame) -> Estimate:
    """Return the alliances begun per history, with an exact Poisson interval."""
    histories = max(spells["run"].nunique(), 1)
    count = len(spells)
    low = stats.chi2.ppf(0.025, 2 * count) / 2 if count else 0.0
    high = stats.chi2.ppf(0.975, 2 * count + 2) / 2
    return Estimate(count / histories, low / histories, high / histories, count)


def per_decade(spells: pd.DataFrame) -> dict[str, float]:
    """Return the alliances begun in each decade, per history."""
    histories = max(spells["run"].nunique(), 1)
    counts = (spells["start_year"] // 10 * 10).value_counts().sort_index()
    return {f"{d}s": c / histories for d, c in zip(counts.index, counts.tolist(), strict=True)}


def after_defeat(spells: pd.DataFrame, whose: str) -> Estimate:
    """Return the rate ratio of ends in the years from a defeat against the other years.

    ``whose`` is ``adversary`` (a state the alliance names as its enemy lost a war, or a
    member won one: its opponents lost) or ``member`` (a member lost a war). A war's
    outcome counts from the last year the state fought in it and for two years more
    (COW outcome codes, :mod:`sim.history.defeats`); years after the war data end are left out.
    """
    panel = defeat_panel(spells)
    if panel.empty:
        return NONE
    flag = panel[whose].to_numpy(bool)
    end = panel["end"].to_numpy(bool)
    e1, n1, e0, n0 = end[flag].sum(), flag.sum(), end[~flag].sum(), (~flag).sum()
    if min(e1, e0) == 0:
        return Estimate(float("nan"), float("nan"), float("nan"), len(panel))
    ratio = (e1 / n1) / (e0 / n0)
    half = Z * np.sqrt(1 / e1 + 1 / e0)
    return Estimate(float(ratio), ratio * np.exp(-half), ratio * np.exp(half), len(panel))


def defeat_measure(whose: str) -> Callable[[pd.DataFrame], Estimate]:
    """Return the measure of ends after ``whose`` defeat, for :func:`spread`."""
    return lambda spells: after_defeat(spells, whose)


def defeat_panel(spells: pd.DataFrame) -> pd.DataFrame:
    """Return one row per alliance-year: whether it ended, and after whose defeat it stands.

    Members and enemies are COW state abbreviations; a state the war data do not know had
    no war outcomes.
    """
    lost, won = _marked(defeats.LOSER), _marked(defeats.WINNER)
    rows = []
    for start, duration, ended, members, enemies in spells[
        ["start_year", "duration", "ended", "members", "enemies"]
    ].itertuples(index=False):
        last = int(start) + int(duration)
        for year in range(int(start), min(last, WAR_DATA_END) + 1):
            rows.append(
                (
                    bool(ended) and year == last,
                    any(year in lost.get(m, ()) for m in members),
                    any(year in won.get(m, ()) for m in members)
                    or any(year in lost.get(e, ()) for e in enemies),
                )
            )
    return pd.DataFrame(rows, columns=["end", "member", "adversary"])


def _marked(outcome: int) -> dict[str, frozenset[int]]:
    """Return, for each state (by abbreviation), the years a war outcome marks."""
    names = abbreviations()
    return {
        names[state]: frozenset(y + k for y in years for k in range(DEFEAT_WINDOW + 1))
        for state, years in defeats.years_of(outcome).items()
        if state in names
    }
