"""The record's own situation on any morning: the kernel's arrays read from the data alone.

The war back-test scores its cases inside a run of the open world (its simulated alliances,
:mod:`sim.history.kernelcases`). A forecast of thousands of dispute cases, fitted and scored
decade by decade, asks for something steadier and cheaper: the world as the record stood on
the morning of each case (:mod:`sim.history.clock`), with nothing simulated. For every COW
state that was a system member that morning:

* power: CINC of the year before (NMC v7.0), times ``1 + nuclear_bonus`` for nuclear states;
* nuclear arms: Bleek (2017), armed in a year before;
* relations: portfolio similarity less rivalry, as known that morning
  (:func:`sim.history.relations.relations_on`), hedged as each period of a run is;
* at war: the pairs of the war list fighting on opposite sides that morning;
* borders (land or river) and who is near (up to 24 miles of water): COW contiguity of the
  month before;
* capitals as held that morning, and the distances between them (each homeland's theatre is
  its capital);
* who is bound to defend whom: the ATOP defence duties in force that morning.

:func:`score_cases` puts any table of cases (the wars' or the disputes') to the kernel in it.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sim.history import obligations
from sim.history.clock import known_year
from sim.history.cow import NMC, data_table
from sim.history.kernelcases import FIGURES, KEYS, put
from sim.history.openworld import HOMELAND_VALUE, contiguity, nuclear_years
from sim.history.relations import relations_on, war_spells
from sim.model.decide import Situation
from sim.model.geography import haversine_km
from sim.model.institutions import hedge
from sim.model.params import Params


@cache
def codes() -> tuple[int, ...]:
    """Return every state COW's system list ever holds, by array index."""
    return tuple(sorted(data_table("cow_states2016.csv")["ccode"].astype(int).unique().tolist()))


def members_on(day: dt.date) -> np.ndarray:
    """Return which states were system members on the morning of ``day`` (entered before it).

    A membership that COW's list carries to its last day (2016) is not known to end.
    """
    return held_on(membership(), day)


def held_on(spells: tuple[np.ndarray, np.ndarray, np.ndarray], day: dt.date) -> np.ndarray:
    """Return which states held a status on the morning of ``day``, from its dated spells.

    ``spells`` is (state index, first day, last day) as ordinals: a spell counts from the day
    after its first and through its last.
    """
    index, first, last = spells
    moment = day.toordinal()
    found = np.zeros(len(codes()), dtype=bool)
    found[index[(first < moment) & (last >= moment)]] = True
    return found


def membership() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return COW's membership spells: state index, first and last day (ordinals)."""
    return spells_of("cow_states2016.csv")


@cache
def spells_of(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the spells of a COW table dated by day (``st``/``end`` year, month, day).

    As (state index, first day, last day), in ordinals.
    """
    table = data_table(name)
    at = {c: i for i, c in enumerate(codes())}
    index = np.array([at[int(c)] for c in table["ccode"]], dtype=np.int64)
    return index, ordinals(table, "st"), ordinals(table, "end")


def ordinals(table: pd.DataFrame, prefix: str) -> np.ndarray:
    """Return the days ``{prefix}year/month/day`` of a COW spell table as ordinals.

    An end in COW's last year (2016) is carried on: it is not known to have ended.
    """
    days = zip(table[f"{prefix}year"], table[f"{prefix}month"], table[f"{prefix}day"], strict=True)
    open_end = prefix == "end"
    return np.array(
        [
            dt.date.max.toordinal()
            if open_end and int(y) >= 2016
            else dt.date(int(y), int(m), int(d)).toordinal()
            for y, m, d in days
        ],
        dtype=np.int64,
    )


def situation_on(day: dt.date, params: Params) -> Situation:
    """Return the kernel's situation as the record stood on the morning of ``day``."""
    ids = codes()
    alive = members_on(day)
    nuclear = _nuclear(day) & alive
    power = _power(known_year(day.year)) * alive * (1.0 + params.nuclear_bonus * nuclear)
    relations = hedge(relations_on(ids, day, params.rivalry_half_life), power, params, 1.0)
    borders = contiguity(ids, day, (1,))
    km = _capital_km(day)
    n = len(ids)
    return Situation(
        power=power,
        nuclear=nuclear,
        relations=relations,
        at_war=_at_war(day),
        borders=borders,
        near=contiguity(ids, day, (1, 2, 3)),
        capital_km=km,
        defence_partners=_defence_partners(day),
        loyalty=np.full((n, n), 0.5),
        theatre_km=km,
        territory_holder=np.arange(n, dtype=np.int64),
        territory_value=np.full(n, HOMELAND_VALUE),
        territory_value_to=np.zeros((n, n)),
        site_holder=np.zeros(0, np.int64),
        site_territory=np.zeros(0, np.int64),
        site_value=np.zeros(0),
        site_open=np.zeros(0, bool),
        technology=params.technology,
        threat_level=params.threat_level,
    )


@cache
def _cinc() -> pd.DataFrame:
    nmc = data_table(NMC)
    wide = nmc.pivot_table(index="year", columns="ccode", values="cinc")
    return wide.where(wide > 0).reindex(columns=list(codes())).ffill()


def _power(year: int) -> np.ndarray:
    """Return CINC of ``year`` (carried forward), the weakest of the year where none is known."""
    wide = _cinc()
    row = wide.loc[min(year, int(wide.index.max()))]
    weakest = float(np.nanmin(row.to_numpy(dtype=np.float64)))
    return row.fillna(weakest).to_numpy(dtype=np.float64)


def _nuclear(day: dt.date) -> np.ndarray:
    return _armed_in() < day.year


@cache
def _armed_in() -> np.ndarray:
    first = nuclear_years(codes())
    return np.array([first.get(c, 9999) for c in codes()], dtype=np.int64)


def _at_war(day: dt.date) -> np.ndarray:
    a, b, first, last = war_spells(codes()).T
    moment = day.toordinal()
    running = (first < moment) & (last >= moment)
    at_war = np.zeros((len(codes()), len(codes())), dtype=bool)
    at_war[a[running], b[running]] = at_war[b[running], a[running]] = True
    return at_war


def _capital_km(day: dt.date) -> np.ndarray:
    """Return the distances between the capitals held that morning (none yet: the first one)."""
    index, start, end, lat, lng = _capitals()
    d = day.isoformat()
    held = (start < d) & (end >= d)
    n = len(codes())
    la, ln = np.zeros(n), np.zeros(n)
    first = np.unique(index, return_index=True)[1]
    la[index[first]], ln[index[first]] = lat[first], lng[first]
    la[index[held]], ln[index[held]] = lat[held], lng[held]
    return haversine_km(la, ln, la, ln)


@cache
def _capitals() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    caps = data_table("cow_capitals_geocoded_peacesciencer.csv")
    at = {c: i for i, c in enumerate(codes())}
    caps = caps[caps["ccode"].isin(list(at))].iloc[::-1]  # the first listed wins a tie
    return (
        np.array([at[int(c)] for c in caps["ccode"]], dtype=np.int64),
        caps["stdate"].to_numpy(str),
        caps["enddate"].to_numpy(str),
        caps["lat"].to_numpy(float),
        caps["lng"].to_numpy(float),
    )


def _defence_partners(day: dt.date) -> np.ndarray:
    """Return (n, n): [x, y] when y held a defence duty in an alliance with x that morning."""
    alliance, state, entry, exit_, defends = _duties()
    moment = day.toordinal()
    live = (entry < moment) & (exit_ >= moment)
    n = len(codes())
    row = np.unique(alliance[live], return_inverse=True)[1]
    member = np.zeros((int(row.max(initial=-1)) + 1, n), dtype=np.float32)
    member[row, state[live]] = 1.0
    defender = np.zeros_like(member)
    defender[row[defends[live]], state[live][defends[live]]] = 1.0
    bound = (member.T @ defender) > 0
    np.fill_diagonal(bound, False)
    return bound


@cache
def _duties() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    m = obligations.members()
    at = {c: i for i, c in enumerate(codes())}
    m = m[m["member"].astype(int).isin(list(at))]
    alliances = {a: i for i, a in enumerate(sorted(m["atopid"].unique().tolist()))}
    return (
        np.array([alliances[a] for a in m["atopid"]], dtype=np.int64),
        np.array([at[int(c)] for c in m["member"]], dtype=np.int64),
        np.array([d.toordinal() for d in m["entry"]], dtype=np.int64),
        np.array([d.toordinal() for d in m["exit"]], dtype=np.int64),
        (m["kind"] == "defence").to_numpy(bool),
    )


def score_cases(cases: pd.DataFrame, params: Params) -> pd.DataFrame:
    """Return each case's probability and factors, put to the kernel in the record's situation.

    One row per case (``KEYS``) whose three states were members that morning; the others
    are left out. Cases of one day share one situation.
    """
    rows: list[dict[str, Any]] = []
    for day, part in cases.groupby("day", sort=True):
        moment = dt.date.fromisoformat(str(day))
        rows += _score_day(part, situation_on(moment, params), members_on(moment), params)
    return pd.DataFrame(rows, columns=[*KEYS, *FIGURES])


def _indices(states: pd.Series, at: dict[int, int]) -> NDArray[np.int64]:
    """Return each COW code's array index, -1 for a code outside the system list."""
    return np.array([at.get(int(c), -1) for c in states], dtype=np.int64)


def day_cases(part: pd.DataFrame, alive: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return which cases of one day the record can put: their three states were members.

    Returns the mask over ``part``'s rows, the kept cases' guarantor, partner and adversary as
    array indices (3, kept), and their co-attackers that were members (kept, states).
    """
    at = {c: i for i, c in enumerate(codes())}
    g, p, a = (_indices(part[f"{w}_code"], at) for w in ("guarantor", "partner", "adversary"))
    living = (g >= 0) & (p >= 0) & (a >= 0)
    living[living] &= alive[g[living]] & alive[p[living]] & alive[a[living]]
    backers = np.zeros((int(living.sum()), len(alive)), dtype=bool)
    for k, found in enumerate(part.loc[living, "co_attacker_codes"].astype(str)):
        backers[k, [at[int(c)] for c in found.split(";") if c.isdigit() and int(c) in at]] = True
    backers &= alive[None, :]
    return living, np.stack([g[living], p[living], a[living]]), backers


def _score_day(
    part: pd.DataFrame, situation: Situation, alive: np.ndarray, params: Params
) -> list[dict[str, Any]]:
    living, states, backers = day_cases(part, alive)
    if not living.any():
        return []
    return put(part[living], states, backers, situation, params)
