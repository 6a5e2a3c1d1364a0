"""The open world: the state system built from the COW and ATOP data, one year per period.

:func:`build` compiles a span of years into a :class:`~sim.model.world.World` the model runs like
any scenario's:

Each year is read as the record stood on its first day (one clock for the whole history layer,
as the back-test's cases are read on the morning of their attack):

* the states are every COW system member of the span (State System Membership v2016), and
  ``alive`` says which are members in each year (a state counts in every year of which it
  was a member for any part: its entry is an event of the replay, as the year's wars are);
* power is COW CINC (NMC v7.0) of the year before, carried forward over a missing year: a
  year's figure is known only once the year is over, and a war year's figure holds the war
  (1816, the data's first year, has no year before: its own figure stands in);
* each state's capital (peacesciencer's geocoded COW capitals) is the one it held on its first
  day in the span, so that no later figure is read; distances are between capitals;
* borders are COW direct contiguity v3.2, type 1 (land or river), in force in the month before
  each year opens; a narrow sea (types 2 and 3, up to 24 miles) counts as near for the kernel;
* relations each year are the similarity of the pair's alliance portfolios less their
  rivalry, both as the year opens (:mod:`sim.history.relations`);
* each state has one territory, its homeland at its capital: the theatre of any war on it;
* the alliances in force at the start are the ATOP v4.01 alliances in force as its first
  day opens that carry a member-level defence duty (the members holding it are the
  guarantors); later alliances form and dissolve by the model's own rules (P5, P6, P12);
* nuclear status is Bleek (2017), counted from the year after the year a state acquired the
  bomb (a ``nuclear`` event opens that year): Bleek's figures are by year;
* wars are either the interstate wars replayed from the data (``history``: every attack of
  the war list that opens a war, not one joining a war under way, in its year; it ends after
  its last year, and those of its two states that COW codes as the war's losers are beaten,
  :mod:`sim.history.defeats`; who joins is left to the model's states) or started by the
  model's own states (``model``, see :mod:`sim.model.onset`).

No name of a state or a war decides anything: every figure comes from the data tables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from sim.history import defeats, obligations
from sim.history.clock import known_year, month_before
from sim.history.cow import CONTIGUITY_END, NMC, ccode, data_table
from sim.history.relations import data_relations
from sim.history.wars import Attack, attacks
from sim.model.geography import haversine_km
from sim.model.world import Calendar, Commitments, World
from sim.scenario.schema import EndOfWarEvent, Event, NuclearEvent, WarEvent

WAR_MODES = ("history", "model")
FIRST_YEAR, LAST_YEAR = 1816, 2003
DATA_VERSIONS = {
    "states": "COW State System Membership v2016",
    "power": "COW National Material Capabilities v7.0 (CINC)",
    "contiguity": "COW Direct Contiguity v3.2 (type 1)",
    "capitals": "COW capitals geocoded by peacesciencer v1.2.9",
    "alliances": "ATOP v4.01 (member-level defence obligations)",
    "wars": "COW Inter-State War v4.0, Reiter-Stam-Horowitz revision (attacks with their days)",
    "nuclear": "Bleek 2017 via Our World in Data",
}
HOMELAND_VALUE = 0.5  # a homeland's value: the scenario format's default for a territory


@dataclass(frozen=True)
class OpenWorld:
    """A compiled open world and the COW codes and years behind its arrays."""

    world: World
    codes: tuple[int, ...]
    start: int
    end: int
    mode: str

    @property
    def at(self) -> dict[int, int]:
        """Return the array index of each COW code."""
        return {c: i for i, c in enumerate(self.codes)}


def build(start: int = FIRST_YEAR, end: int = LAST_YEAR, mode: str = "history") -> OpenWorld:
    """Build the state system of ``start``..``end`` (inclusive) from the data.

    Raises:
        ValueError: the span lies outside 1816-2003, is empty, or the mode is unknown.
    """
    _check_span(start, end, mode)
    years = np.arange(start, end + 1)
    spells = _spells(start, end)
    codes = tuple(sorted(spells["ccode"].unique().tolist()))
    alive = _alive(spells, codes, years)
    lat, lng = _capitals(spells, codes, start)
    borders = _borders(codes, years)
    states = spells.drop_duplicates("ccode").set_index("ccode")
    ids = tuple(str(states.loc[c, "stateabb"]) for c in codes)
    km = haversine_km(lat, lng, lat, lng)
    n = len(codes)
    world = World(
        name=f"open world {start}-{end} ({mode} wars)",
        calendar=Calendar(start=dt.date(start, 1, 1), period="year", n_periods=len(years)),
        ids=ids,
        names=tuple(str(states.loc[c, "statenme"]) for c in codes),
        power=_power(codes, years) * alive,
        nuclear=_nuclear(codes, start),
        loyalty=np.full((n, n), 0.5),
        borders=borders[0],
        relations=np.zeros((n, n)),
        capitals=tuple(zip(lat.tolist(), lng.tolist(), strict=True)),
        capital_km=km,
        territory_ids=tuple(f"home_{sid}" for sid in ids),
        territory_names=tuple(f"homeland of {sid}" for sid in ids),
        territory_owner=np.arange(n, dtype=np.int64),
        territory_holder=np.arange(n, dtype=np.int64),
        territory_value=np.full(n, HOMELAND_VALUE),
        territory_value_to=np.zeros((n, n)),
        theatre_km=km,
        site_ids=(),
        site_holder=np.zeros(0, np.int64),
        site_territory=np.zeros(0, np.int64),
        site_value=np.zeros(0),
        site_open=np.zeros(0, bool),
        site_mandate=np.zeros(0, np.int64),
        commitments=_obligations_at_start(codes, alive[0], start),
        events=_events(codes, ids, alive, start, end, mode),
        alive=alive,
        can_ally=np.ones(n, bool),
        endogenous_wars=mode == "model",
        border_table=borders,
        water_table=_borders(codes, years, kinds=(2, 3)),
        data_relations=data_relations(codes, years),
    )
    return OpenWorld(world, codes, start, end, mode)


def _check_span(start: int, end: int, mode: str) -> None:
    if not FIRST_YEAR <= start <= end <= LAST_YEAR:
        raise ValueError(f"expected {FIRST_YEAR} <= start <= end <= {LAST_YEAR}, got {start}-{end}")
    if mode not in WAR_MODES:
        raise ValueError(f"expected wars to be one of {', '.join(WAR_MODES)}, got {mode!r}")


def _spells(start: int, end: int) -> pd.DataFrame:
    s = data_table("cow_states2016.csv")
    return s[(s["styear"] <= end) & (s["endyear"] >= start)]


def _alive(spells: pd.DataFrame, codes: tuple[int, ...], years: np.ndarray) -> np.ndarray:
    """Return (years, states): a member for any part of the year."""
    at = {c: i for i, c in enumerate(codes)}
    alive = np.zeros((len(years), len(codes)), dtype=bool)
    for code, first, last in spells[["ccode", "styear", "endyear"]].itertuples(index=False):
        alive[:, at[code]] |= (years >= first) & (years <= last)
    return alive


def _power(codes: tuple[int, ...], years: np.ndarray) -> np.ndarray:
    """Return (years, states) CINC as each year opens: the year before's, carried forward.

    A state with no figure yet counts as the weakest state of that year. No figure of the
    year itself or a later one is read (:func:`~sim.history.clock.known_year`).
    """
    nmc = data_table(NMC)
    read = np.array([known_year(int(y)) for y in years])
    nmc = nmc[nmc["ccode"].isin(codes) & nmc["year"].between(read.min(), read.max())]
    wide = nmc.pivot_table(index="year", columns="ccode", values="cinc")
    wide = wide.where(wide > 0).reindex(index=np.unique(read), columns=list(codes)).ffill()
    wide = wide.reindex(index=read)
    weakest = wide.min(axis=1).fillna(0.0)
    return wide.fillna({c: weakest for c in wide.columns}).to_numpy(dtype=np.float64)


def _capitals(
    spells: pd.DataFrame, codes: tuple[int, ...], start: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return each state's capital: the one it held on entering the span."""
    caps = data_table("cow_capitals_geocoded_peacesciencer.csv")
    entry = spells.groupby("ccode")["styear"].min().clip(lower=start)
    day = (entry.astype(str) + "-01-01").rename("day")
    held = caps.merge(day, left_on="ccode", right_index=True)
    then = held[(held["stdate"] <= held["day"]) & (held["enddate"] >= held["day"])]
    chosen = then.drop_duplicates("ccode").set_index("ccode")
    fallback = held.drop_duplicates("ccode").set_index("ccode")  # the first one recorded
    table = chosen.combine_first(fallback).reindex(list(codes))
    return table["lat"].to_numpy(dtype=float), table["lng"].to_numpy(dtype=float)


def _borders(
    codes: tuple[int, ...], years: np.ndarray, kinds: tuple[int, ...] = (1,)
) -> np.ndarray:
    """Return (years, states, states): contiguity of some COW types as each year opens.

    Type 1 is a land or river border; types 2 and 3 are 12 and 24 miles of water or less.
    """
    return np.stack([contiguity(codes, dt.date(int(y), 1, 1), kinds) for y in years]).reshape(
        len(years), len(codes), len(codes)
    )


def contiguity(codes: tuple[int, ...], day: dt.date, kinds: tuple[int, ...] = (1,)) -> np.ndarray:
    """Return (states, states): contiguity of some COW types as known on the morning of ``day``.

    COW dates contiguity by month: a border counts if it began by the month of the day before
    and is not known to have ended before that month.
    """
    lo, hi, begin, end = _contiguity_rows(codes, kinds)
    month = month_before(day)
    held = (begin <= month) & ((end >= month) | (end == CONTIGUITY_END))
    table = np.zeros((len(codes), len(codes)), dtype=bool)
    table[lo[held], hi[held]] = table[hi[held], lo[held]] = True
    return table


@cache
def _contiguity_rows(
    codes: tuple[int, ...], kinds: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return the contiguity rows among ``codes`` of some types: indices, begin and end months."""
    c = data_table("cow_contdir_v3_2.csv")
    at = {code: i for i, code in enumerate(codes)}
    c = c[c["conttype"].isin(kinds) & c["statelno"].isin(list(at)) & c["statehno"].isin(list(at))]
    return (
        np.array([at[x] for x in c["statelno"]], dtype=np.int64),
        np.array([at[x] for x in c["statehno"]], dtype=np.int64),
        c["begin"].to_numpy(np.int64),
        c["end"].to_numpy(np.int64),
    )


def nuclear_years(codes: tuple[int, ...]) -> dict[int, int]:
    """Return the first year each state possessed nuclear weapons (Bleek 2017), if ever."""
    t = data_table("nuclear_weapons_status_bleek_owid.csv")
    armed = t[(t["nuclear_weapons_possession"] == 1) & t["ccode"].isin(codes)]
    first = armed.groupby("ccode")["Year"].min()
    return dict(zip(first.index.astype(int).tolist(), first.astype(int).tolist(), strict=True))


def _nuclear(codes: tuple[int, ...], start: int) -> np.ndarray:
    """Return who is known to hold the bomb as ``start`` opens: armed in an earlier year."""
    first = nuclear_years(codes)
    return np.array([first.get(c, 9999) < start for c in codes], dtype=bool)


def _obligations_at_start(codes: tuple[int, ...], alive: np.ndarray, start: int) -> Commitments:
    """Return the ATOP alliances in force on the first day that carry a defence duty.

    Every living member belongs; the members whose own duty is defence are its guarantors.
    """
    live = obligations.in_force(dt.date(start, 1, 1))
    at = {c: i for i, c in enumerate(codes)}
    rows, guards, ids = [], [], []
    for atopid, group in live.groupby("atopid", sort=True):
        members = _mask(group["member"], at, len(codes)) & alive
        guarantors = _mask(group[group["kind"] == "defence"]["member"], at, len(codes)) & members
        if members.sum() >= 2 and guarantors.any():
            rows.append(members)
            guards.append(guarantors)
            ids.append(f"atop_{atopid}")
    table = np.array(rows, dtype=bool).reshape(len(rows), len(codes))
    return Commitments.plain(
        ids=tuple(ids),
        kinds=("defence_pact",) * len(ids),
        members=table,
        guarantors=np.array(guards, dtype=bool).reshape(len(rows), len(codes)),
        covers=table.copy(),  # each member's one territory is its homeland
        starts=np.full(len(ids), -1, dtype=np.int64),
    )


def _mask(members: pd.Series, at: dict[int, int], n: int) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    mask[[at[c] for c in members.astype(int) if c in at]] = True
    return mask


def _events(
    codes: tuple[int, ...],
    ids: tuple[str, ...],
    alive: np.ndarray,
    start: int,
    end: int,
    mode: str,
) -> tuple[tuple[tuple[str, Event], ...], ...]:
    """Return the events of each year: nuclear acquisitions, and wars replayed from COW."""
    slots: list[list[tuple[str, Event]]] = [[] for _ in range(end - start + 1)]
    for code, armed in sorted(nuclear_years(codes).items(), key=lambda kv: kv[1]):
        year = armed + 1  # Bleek's figure is by year: known once the year is over
        if start < year <= end:
            sid = ids[codes.index(code)]
            event = NuclearEvent(kind="nuclear", at=dt.date(year, 1, 1), state=sid, source=_BLEEK)
            slots[year - start].append((f"nuclear_{sid}", event))
    if mode == "history":
        for war_id, year, last, war_event in history_wars(codes, ids, alive, start):
            if year <= end:
                slots[year - start].append((war_id, war_event))
            if last + 1 <= end:
                slots[last + 1 - start].append(
                    (f"end_{war_id}", _finish(war_id, year, last, war_event))
                )
    return tuple(tuple(slot) for slot in slots)


def _finish(war_id: str, first: int, last: int, war: WarEvent) -> EndOfWarEvent:
    """Return the end of a replayed attack, with those of its two states COW codes as losers."""
    beaten = defeats.losers(ccode(war.attacker), ccode(war.defender), first, last)
    return EndOfWarEvent(
        kind="end_of_war",
        at=dt.date(last + 1, 1, 1),
        war=war_id,
        losers=[s for s in (war.attacker, war.defender) if ccode(s) in beaten],
        source=f"{_COW_WARS}; outcomes: COW Inter-State War v4.0 dyad-years (2 = loser)",
    )


_BLEEK = "Bleek 2017, 'When Did (and Didn't) States Proliferate?', via Our World in Data"
_COW_WARS = "COW Inter-State War v4.0 (Sarkees & Wayman 2010; Reiter, Stam & Horowitz 2016)"


def event_id(attack: Attack) -> str:
    """Return the id of the event that replays an attack of the war list."""
    return f"cow_{attack.war}_{attack.attack}"


def history_wars(
    codes: tuple[int, ...], ids: tuple[str, ...], alive: np.ndarray, start: int
) -> list[tuple[str, int, int, WarEvent]]:
    """Return (war id, first year, last year, event) for each attack opening a war in the span.

    An attack that joins a war under way is left to the model's states to decide; one whose
    attacker or target is not a member of the system that year is left out.
    """
    at = {c: i for i, c in enumerate(codes)}
    found = []
    for attack in attacks():
        t = attack.day.year - start
        if not attack.opens or not 0 <= t < len(alive):
            continue
        a, d = at.get(attack.attacker), at.get(attack.target)
        if a is None or d is None or not (alive[t, a] and alive[t, d]):
            continue
        event = WarEvent(
            kind="war",
            at=attack.day,
            attacker=ids[a],
            defender=ids[d],
            theatre=f"home_{ids[d]}",
            source=f"{_COW_WARS}: {attack.name}",
        )
        found.append((event_id(attack), attack.day.year, attack.last_day.year, event))
    return found
