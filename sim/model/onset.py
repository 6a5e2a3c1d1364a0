"""Wars that the model's own states start (the open world's ``--wars model``).

Every ordered pair of living states that are not allied and not already at war has a yearly
hazard that the first attacks the second. Its log-odds grow with a shared land border, with
closeness of capitals, with the attacker's share of the pair's power and with hostility:
opportunity and willingness, the two conditions of the conflict literature (Most & Starr
1989), from the same figures the rest of the model reads.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.model.formation import logistic, per_period, power_share
from sim.model.geography import nearness
from sim.model.params import Params

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def onset_hazard(
    power: FloatArray,
    hostility: FloatArray,
    borders: BoolArray,
    capital_km: FloatArray,
    open_pairs: BoolArray,
    params: Params,
) -> FloatArray:
    """Return ``h[i, j]``: the yearly probability that i attacks j.

    ``open_pairs`` marks the pairs that may fight at all (both alive, not allied, not at war).
    """
    near = nearness(capital_km, params.reach_km)
    logit = (
        params.onset_baseline
        + params.w_onset_border * borders
        + params.w_onset_near * near
        + params.w_onset_share * power_share(power).T
        + params.w_onset_hostility * hostility
    )
    hazard = np.where(open_pairs, logistic(logit), 0.0)
    np.fill_diagonal(hazard, 0.0)
    return hazard


def draw_attacks(hazard: FloatArray, years: float, draws: FloatArray) -> list[tuple[int, int]]:
    """Return the (attacker, defender) pairs whose draw falls under the period's hazard.

    A state starts at most one war and is attacked at most once in a period: of several
    attacks drawn on one pair of hands, the likeliest stands.
    """
    chance = per_period(hazard, years)
    hits = np.argwhere(draws < chance)
    order = np.argsort(-chance[hits[:, 0], hits[:, 1]], kind="stable")
    busy: set[int] = set()
    attacks = []
    for i, j in hits[order]:
        if int(i) not in busy and int(j) not in busy:
            attacks.append((int(i), int(j)))
            busy |= {int(i), int(j)}
    return attacks
