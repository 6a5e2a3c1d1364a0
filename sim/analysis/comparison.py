"""Simulated alliances against ATOP's, era by era: the literature's patterns as checks.

For each era (alliances begun in 1816-1944, and in 1945-2003) :func:`compare` measures the
patterns of :mod:`sim.analysis.patterns` on the simulated and the real cohort, each with its
interval, and says whether each check holds:

* the median duration is within 1.5 years of the real one;
* the hazard does not fall with age in either (the interval of its change per doubling of
  age reaches 1; Bennett 1997): ATOP's record passes that test, and so do most simulated
  histories, each held alone to it (:func:`hazard_flat`);
* the capability ratio moves the hazard the same way in both (Morrow 1991);
* each shared end reason's share of the ends is within 10 points of the real one;
* ends come more often after the adversary's or a member's defeat in war (P5);
* about as many alliances begin as in history;

and reports the share of asymmetric alliances beside the real one.

Beside the checks: the weighted log-rank test and the distances between the curves
(:mod:`sim.analysis.curves`), the rates by age, the hazard's test of the real record applied
to each simulated history alone, the smoothed hazards and the alliances begun per decade.

The simulated cohort is the alliances that began during the runs (one in force from a
run's first period began before it, and its start is not seen); the real one is ATOP's
alliances that carry a defence obligation (``defence``, the default: the model's alliances
bind their members to fight for each other) or all of them (``all``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sim.analysis import curves, patterns
from sim.analysis.patterns import Estimate
from sim.history.atopends import REASONS

ERAS = {"1816-1944": (1816, 1944), "1945-2003": (1945, 2003)}
MEDIAN_YEARS = 1.5
SHARE_POINTS = 0.10


@dataclass(frozen=True)
class Check:
    """One pattern in one era: simulated and real, the rule, and whether it holds."""

    name: str
    simulated: Estimate
    real: Estimate
    rule: str
    holds: bool | None

    def as_dict(self) -> dict[str, Any]:
        """Return the check as JSON."""
        return {
            "name": self.name,
            "simulated": self.simulated.as_dict(),
            "real": self.real.as_dict(),
            "rule": self.rule,
            "holds": self.holds,
        }


@dataclass(frozen=True)
class Era:
    """The comparison of one era's cohorts."""

    era: str
    checks: list[Check]
    logrank: dict[str, float]
    distances: dict[str, dict[str, float]]
    details: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """Return the era's comparison as JSON."""
        return {
            "era": self.era,
            "checks": [c.as_dict() for c in self.checks],
            "logrank": self.logrank,
            "distances": self.distances,
            **self.details,
        }


def cohort(spells: pd.DataFrame, era: str, atop: str = "defence") -> pd.DataFrame:
    """Return the spells that began in an era (the real ones of the ``atop`` set)."""
    first, last = ERAS[era]
    inside = spells["began"].astype(bool) & spells["start_year"].between(first, last)
    if atop == "defence":
        inside &= spells["defence"].astype(bool)
    return spells[inside]


def compare(simulated: pd.DataFrame, real: pd.DataFrame, era: str, draws: int = 200) -> Era:
    """Compare a simulated and a real cohort of one era (see the module's docstring)."""
    if simulated.empty or real.empty:
        return Era(era, [], {}, {}, {"simulated_n": len(simulated), "real_n": len(real)})
    return Era(
        era,
        checks(simulated, real),
        curves.logrank(simulated, real),
        curves.bootstrap(simulated, real, draws),
        details(simulated, real),
    )


def checks(simulated: pd.DataFrame, real: pd.DataFrame) -> list[Check]:
    """Return every check of one era."""

    def both(measure: Callable[[pd.DataFrame], Estimate]) -> tuple[Estimate, Estimate]:
        return patterns.spread(simulated, measure), measure(real)

    flat = patterns.flat_histories(simulated)

    found = [
        _check(
            "median duration (years)",
            both(patterns.median),
            f"within {MEDIAN_YEARS} years",
            lambda s, r: abs(s.value - r.value) <= MEDIAN_YEARS,
        ),
        _check(
            "hazard change per doubling of age (ages 1-20)",
            both(patterns.age_trend),
            "does not fall (interval reaches 1; runs one by one)",
            lambda s, r: hazard_flat(flat, r),
        ),
        _check(
            "hazard ratio per tenfold capability ratio",
            both(patterns.asymmetry),
            "same side of 1",
            lambda s, r: (s.value - 1.0) * (r.value - 1.0) > 0,
        ),
    ]
    for reason in REASONS:
        found.append(
            _check(
                f"share of ends: {reason}",
                both(patterns.share_of(reason)),
                f"within {SHARE_POINTS * 100:.0f} points",
                lambda s, r: abs(s.value - r.value) <= SHARE_POINTS + 1e-9,
            )
        )
    for whose in ("adversary", "member"):
        found.append(
            _check(
                f"ends after the {whose}'s defeat (rate ratio)",
                both(patterns.defeat_measure(whose)),
                "above 1 in both",
                lambda s, r: s.value > 1.0 and r.value > 1.0,
            )
        )
    found.append(
        _check(
            f"share asymmetric (capability ratio above {patterns.ASYMMETRIC:g})",
            both(patterns.asymmetric_share),
            "reported",
            lambda s, r: None,
        )
    )
    found.append(
        _check(
            "alliances begun per history",
            both(patterns.begun),
            "within the real interval",
            lambda s, r: r.lower <= s.value <= r.upper,
        )
    )
    return found


def hazard_flat(flat: dict[str, int], real: Estimate) -> bool:
    """Return whether the hazard is not shown to fall with age, in the record and the model.

    The same test for both: the interval of the hazard's change per doubling of age reaches
    1 in ATOP's record, and in most simulated histories, each a record of its own
    (``flat``: :func:`~sim.analysis.patterns.flat_histories`). The runs pooled would be a
    record ten times the real one, whose narrower interval could exclude 1 at the real
    record's own trend; and the spread of the runs' point estimates is no interval of one
    history: the runs share their states and wars, so they vary less than one record's
    sampling error.
    """
    return real.upper >= 1.0 and 2 * flat["flat"] > flat["of"]


def _check(
    name: str,
    pair: tuple[Estimate, Estimate],
    rule: str,
    holds: Callable[[Estimate, Estimate], bool | None],
) -> Check:
    simulated, real = pair
    known = all(pd.notna(x) for x in (simulated.value, real.value))
    verdict = holds(simulated, real) if known else None
    return Check(name, simulated, real, rule, None if verdict is None else bool(verdict))


def details(simulated: pd.DataFrame, real: pd.DataFrame) -> dict[str, Any]:
    """Return what stands beside the checks: rates by age, histories, hazards, decades."""
    return {
        "rates_by_age": {
            "simulated": {k: v.as_dict() for k, v in patterns.age_rates(simulated).items()},
            "real": {k: v.as_dict() for k, v in patterns.age_rates(real).items()},
        },
        "flat_histories": patterns.flat_histories(simulated),
        "smoothed_hazard": {
            "simulated": patterns.smoothed_hazard(simulated),
            "real": patterns.smoothed_hazard(real),
        },
        "begun_per_decade": {
            "simulated": patterns.per_decade(simulated),
            "real": patterns.per_decade(real),
        },
    }
