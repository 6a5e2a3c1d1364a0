"""Mechanisms the essay names that the kernel does not (yet) weigh, read from the record.

Each candidate is a value for every scored case, read as the record stood on the morning of
the case (:mod:`sim.history.clock`), with the sign the theory gives it (+1 pushes towards
fighting, -1 against). :mod:`sim.history.trial` measures what each would add to the kernel's
rolling-origin forecasts of 1870-1944 before it is adopted.

* ``forces_elsewhere`` (-): the guarantor's forces tied up in a war with a state other than
  the attacker and its co-attackers that morning, as the power-weighted share of those enemies
  (each enemy's power over its and the guarantor's, summed, at most 1);
* ``rising_hegemon`` (+): the balance of power, which 1914 and 1939 turn on: the attacking
  side's share of the system's power, for a guarantor on COW's major-power list that morning;
* ``conquest_norm`` (+): how often states were conquered in the decades before: the share of
  the morning's system members that left COW's system in the 30 years before it (after 1945,
  the norm against conquest makes a partner's loss less likely, and defending it less urgent);
* ``patron_asymmetry`` (-): the guarantor's share of its and the partner's power (P1: the
  stronger the patron, the less it needs the client);
* ``guarantor_nuclear`` (-): the guarantor holds nuclear arms (P4: a nuclear power's own
  survival is not at stake in a partner's war);
* ``sea_exposure`` (+): the attacker is within 150 miles of water of the guarantor but not
  near it (COW contiguity types 4-5): exposure by sea that ``border_threat`` does not count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.history import recordsituation
from sim.history.openworld import contiguity
from sim.model.decide import Situation
from sim.model.params import Params

CONQUEST_YEARS = 30
"""The span over which the conquest norm counts states that left the system."""


@dataclass(frozen=True)
class Morning:
    """The record on one morning, with the cases of that day as array indices."""

    day: dt.date
    situation: Situation
    alive: np.ndarray
    guarantor: np.ndarray
    partner: np.ndarray
    attackers: np.ndarray  # (cases, states): the attacker and its co-attackers


@dataclass(frozen=True)
class Candidate:
    """A mechanism not in the kernel: its name, its theoretical sign and how it is read."""

    name: str
    sign: int
    meaning: str
    read: Callable[[Morning], np.ndarray]


def _forces_elsewhere(m: Morning) -> np.ndarray:
    s, g = m.situation, m.guarantor
    enemies = s.at_war[g] & ~m.attackers
    share = s.power[None, :] / (s.power[None, :] + s.power[g][:, None])
    return np.clip((enemies * share).sum(axis=1), 0.0, 1.0)


def _rising_hegemon(m: Morning) -> np.ndarray:
    s = m.situation
    share = (m.attackers * s.power[None, :]).sum(axis=1) / s.power[m.alive].sum()
    return majors_on(m.day)[m.guarantor] * share


def _conquest_norm(m: Morning) -> np.ndarray:
    return np.full(len(m.guarantor), conquest_rate(m.day))


def _patron_asymmetry(m: Morning) -> np.ndarray:
    power = m.situation.power
    return power[m.guarantor] / (power[m.guarantor] + power[m.partner])


def _guarantor_nuclear(m: Morning) -> np.ndarray:
    return m.situation.nuclear[m.guarantor].astype(float)


def _sea_exposure(m: Morning) -> np.ndarray:
    reach = contiguity(recordsituation.codes(), m.day, (4, 5)) & ~m.situation.near
    return (m.attackers & reach[m.guarantor]).any(axis=1).astype(float)


CANDIDATES: tuple[Candidate, ...] = (
    Candidate("forces_elsewhere", -1, "forces tied up in another war", _forces_elsewhere),
    Candidate("rising_hegemon", +1, "the attackers' share of power, to a major", _rising_hegemon),
    Candidate("conquest_norm", +1, "states conquered in the 30 years before", _conquest_norm),
    Candidate("patron_asymmetry", -1, "its share of the pair's power", _patron_asymmetry),
    Candidate("guarantor_nuclear", -1, "the guarantor holds nuclear arms", _guarantor_nuclear),
    Candidate("sea_exposure", +1, "the attacker within 150 miles of water", _sea_exposure),
)
NAMES = tuple(c.name for c in CANDIDATES)


def values(cases: pd.DataFrame, params: Params) -> pd.DataFrame:
    """Return each candidate's signed value for every case, indexed as ``cases``.

    Cases whose states were not all system members that morning get 0.
    """
    found = pd.DataFrame(0.0, index=cases.index, columns=list(NAMES))
    for day, part in cases.groupby("day", sort=True):
        morning = _morning(dt.date.fromisoformat(str(day)), part, params)
        if morning is None:
            continue
        rows, m = morning
        for c in CANDIDATES:
            found.loc[rows, c.name] = c.sign * c.read(m)
    return found


def _morning(day: dt.date, part: pd.DataFrame, params: Params) -> tuple[pd.Index, Morning] | None:
    """Return the cases of one day whose states were members that morning, as a Morning."""
    alive = recordsituation.members_on(day)
    living, (g, p, a), backers = recordsituation.day_cases(part, alive)
    if not living.any():
        return None
    attackers = backers.copy()
    attackers[np.arange(len(a)), a] = True
    situation = recordsituation.situation_on(day, params)
    return part.index[living], Morning(day, situation, alive, g, p, attackers)


def majors_on(day: dt.date) -> np.ndarray:
    """Return which states were on COW's major-power list on the morning of ``day``."""
    return recordsituation.held_on(recordsituation.spells_of("cow_majors2016.csv"), day)


def conquest_rate(day: dt.date) -> float:
    """Return the share of the morning's members that left the system in the years before.

    An exit counts if it fell in the :data:`CONQUEST_YEARS` before ``day`` (a membership COW
    carries to 2016 has not ended).
    """
    _, _, last = recordsituation.membership()
    moment, since = day.toordinal(), day.toordinal() - round(365.25 * CONQUEST_YEARS)
    exits = int(((last >= since) & (last < moment)).sum())
    return exits / max(int(recordsituation.members_on(day).sum()), 1)
