"""The world of a scenario as plain arrays: states, territories, sites, commitments, events.

:func:`build` compiles a validated :class:`~sim.scenario.loading.Scenario` into a :class:`World`
whose figures are numpy arrays indexed by state (and by territory, site, commitment), so
that the model can do all pairwise work as array arithmetic. A world is immutable; what
changes during a run lives in the model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from sim.model.geography import haversine_km
from sim.scenario.loading import Scenario
from sim.scenario.schema import Event, ScenarioSpec, SiteOpenedEvent, StateSpec

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]

MONTHS_PER_PERIOD = {"month": 1, "quarter": 3, "year": 12}
ALLIANCE_KINDS = ("defence_pact", "basing", "consultation", "coalition")
"""Commitment kinds that are alliances; an institution carries no duty to fight (P9)."""


@dataclass(frozen=True)
class Calendar:
    """The time axis of a scenario: periods of one month, quarter or year."""

    start: dt.date
    period: str
    n_periods: int

    @property
    def months(self) -> int:
        """Length of one period in months."""
        return MONTHS_PER_PERIOD[self.period]

    @property
    def years_per_period(self) -> float:
        """Length of one period in years (hazards are declared per year)."""
        return self.months / 12.0

    def period_of(self, date: dt.date) -> int:
        """Return the index of the period that contains ``date``."""
        months = (date.year - self.start.year) * 12 + date.month - self.start.month
        return months // self.months

    def first_day(self, period: int) -> dt.date:
        """Return the first day of a period."""
        months = self.start.year * 12 + self.start.month - 1 + period * self.months
        return dt.date(months // 12, months % 12 + 1, 1)

    @cached_property
    def labels(self) -> tuple[str, ...]:
        """Return every period's label, in order (computed once)."""
        return tuple(self.label(t) for t in range(self.n_periods))

    def label(self, period: int) -> str:
        """Return a readable label: ``1945``, ``1945-Q2`` or ``2020-10``."""
        day = self.first_day(period)
        if self.period == "year":
            return f"{day.year}"
        if self.period == "quarter":
            return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
        return f"{day.year}-{day.month:02d}"


@dataclass(frozen=True)
class Commitments:
    """Commitments as arrays: one row per commitment."""

    ids: tuple[str, ...]
    kinds: tuple[str, ...]
    members: BoolArray  # (commitments, states)
    guarantors: BoolArray  # (commitments, states)
    covers: BoolArray  # (commitments, territories)
    starts: IntArray  # first period in force (may be negative: in force before the start)


@dataclass(frozen=True)
class World:
    """Everything a run needs to know about a scenario, as arrays."""

    name: str
    calendar: Calendar
    ids: tuple[str, ...]
    names: tuple[str, ...]
    power: FloatArray  # (periods, states): COW CINC share in each period
    nuclear: BoolArray  # (states,) at the start
    loyalty: FloatArray  # (states,)
    borders: BoolArray  # (states, states), symmetric: at the start
    relations: FloatArray  # (states, states), symmetric, -1..1
    capitals: tuple[tuple[float, float], ...]  # (lat, lng) of each capital
    capital_km: FloatArray  # (states, states): distances between capitals
    territory_ids: tuple[str, ...]
    territory_names: tuple[str, ...]
    territory_owner: IntArray  # (territories,): who owns it by law
    territory_holder: IntArray  # (territories,): who holds it (or owns it if no one else)
    territory_value: FloatArray  # (territories,)
    theatre_km: FloatArray  # (states, territories): capital to territory
    site_ids: tuple[str, ...]
    site_holder: IntArray  # (sites,)
    site_territory: IntArray  # (sites,)
    site_value: FloatArray  # (sites,)
    site_open: BoolArray  # (sites,) at the start
    commitments: Commitments
    events: tuple[tuple[tuple[str, Event], ...], ...]  # per period, in date order
    alive: BoolArray  # (periods, states): members of the state system in each period
    endogenous_wars: bool = False  # the model's states start wars of their own
    border_table: BoolArray | None = None  # (periods, states, states) where borders change
    water_table: BoolArray | None = None  # (periods, states, states): a narrow sea between
    relations_table: NDArray[np.float32] | None = None  # (periods, states, states) from data

    def borders_in(self, period: int) -> BoolArray:
        """Return the borders in force in a period (``borders`` unless they change)."""
        return self.borders if self.border_table is None else self.border_table[period]

    def near_in(self, period: int) -> BoolArray:
        """Return who is near whom in a period: a border, or a narrow sea (where known)."""
        borders = self.borders_in(period)
        return borders if self.water_table is None else borders | self.water_table[period]

    def relations_in(self, period: int) -> FloatArray | None:
        """Return the relations the data give for a period, or None where the world has none."""
        if self.relations_table is None:
            return None
        return self.relations_table[period].astype(np.float64)

    @property
    def n(self) -> int:
        """Number of states."""
        return len(self.ids)

    def index(self, state_id: str) -> int:
        """Return the array index of a state id."""
        return self.ids.index(state_id)


def build(scenario: Scenario) -> World:
    """Compile a validated scenario into arrays."""
    spec = scenario.spec
    ids = tuple(spec.states)
    at = {sid: i for i, sid in enumerate(ids)}
    calendar = _calendar(spec)
    territory_ids = tuple(spec.territories)
    tat = {tid: i for i, tid in enumerate(territory_ids)}
    sites = _all_sites(spec)
    lat = np.array([s.capital.lat for s in spec.states.values()])
    lng = np.array([s.capital.lng for s in spec.states.values()])
    t_lat = np.array([t.lat for t in spec.territories.values()])
    t_lng = np.array([t.lng for t in spec.territories.values()])
    return World(
        name=scenario.name,
        calendar=calendar,
        ids=ids,
        names=tuple(s.name for s in spec.states.values()),
        power=_power_table(spec, calendar),
        nuclear=np.array([s.nuclear for s in spec.states.values()], dtype=bool),
        loyalty=np.array([s.loyalty for s in spec.states.values()]),
        borders=_borders(spec, at),
        relations=_relations(spec, at),
        capitals=tuple(zip(lat.tolist(), lng.tolist(), strict=True)),
        capital_km=haversine_km(lat, lng, lat, lng),
        territory_ids=territory_ids,
        territory_names=tuple(t.name for t in spec.territories.values()),
        territory_owner=np.array([at[t.owner] for t in spec.territories.values()], dtype=np.int64),
        territory_holder=np.array(
            [at[t.held_by or t.owner] for t in spec.territories.values()], dtype=np.int64
        ),
        territory_value=np.array([t.value for t in spec.territories.values()]),
        theatre_km=haversine_km(lat, lng, t_lat, t_lng),
        site_ids=tuple(sites),
        site_holder=np.array([at[h] for h, _, _, _ in sites.values()], dtype=np.int64),
        site_territory=np.array([tat[t] for _, t, _, _ in sites.values()], dtype=np.int64),
        site_value=np.array([v for _, _, v, _ in sites.values()]),
        site_open=np.array([o for _, _, _, o in sites.values()], dtype=bool),
        commitments=_commitments(spec, at, calendar),
        events=_timeline(spec, calendar),
        alive=np.ones((calendar.n_periods, len(ids)), dtype=bool),
    )


def _calendar(spec: ScenarioSpec) -> Calendar:
    months = (spec.end.year - spec.start.year) * 12 + spec.end.month - spec.start.month
    per = MONTHS_PER_PERIOD[spec.period]
    start = dt.date(spec.start.year, spec.start.month, 1)
    return Calendar(start=start, period=spec.period, n_periods=months // per + 1)


def _power_series(state: StateSpec, years: list[int]) -> list[float]:
    """Power by year: a series is carried forward (and back) to the years it lacks."""
    if isinstance(state.power, float):
        return [state.power] * len(years)
    known = sorted(state.power)
    values = []
    for year in years:
        before = [y for y in known if y <= year]
        values.append(state.power[before[-1] if before else known[0]])
    return values


def _power_table(spec: ScenarioSpec, calendar: Calendar) -> FloatArray:
    years = [calendar.first_day(t).year for t in range(calendar.n_periods)]
    columns = [_power_series(state, years) for state in spec.states.values()]
    return np.array(columns, dtype=np.float64).T.reshape(calendar.n_periods, len(columns))


def _borders(spec: ScenarioSpec, at: dict[str, int]) -> BoolArray:
    borders = np.zeros((len(at), len(at)), dtype=bool)
    for sid, state in spec.states.items():
        for other in state.borders:
            borders[at[sid], at[other]] = borders[at[other], at[sid]] = True
    return borders


def _relations(spec: ScenarioSpec, at: dict[str, int]) -> FloatArray:
    relations = np.zeros((len(at), len(at)))
    for relation in spec.relations:
        a, b = (at[s] for s in relation.between)
        relations[a, b] = relations[b, a] = relation.value
    return relations


def _all_sites(spec: ScenarioSpec) -> dict[str, tuple[str, str, float, bool]]:
    """Sites at the start and sites that events open later: (holder, territory, value, open)."""
    sites = {sid: (s.holder, s.territory, s.value, True) for sid, s in spec.sites.items()}
    for event in spec.events.values():
        if isinstance(event, SiteOpenedEvent):
            sites[event.site] = (event.holder, event.territory, event.value, False)
    return sites


def _commitments(spec: ScenarioSpec, at: dict[str, int], calendar: Calendar) -> Commitments:
    n, territory_ids = len(at), list(spec.territories)
    owners = np.array([at[t.owner] for t in spec.territories.values()], dtype=np.int64)
    items = list(spec.commitments.items())
    members = np.zeros((len(items), n), dtype=bool)
    guarantors = np.zeros((len(items), n), dtype=bool)
    covers = np.zeros((len(items), len(territory_ids)), dtype=bool)
    for row, (_, c) in enumerate(items):
        members[row, [at[m] for m in c.members]] = True
        guarantors[row, [at[g] for g in (c.guarantors or c.members)]] = True
        if c.kind == "institution":
            continue
        if c.covers == "members":
            covers[row] = members[row, owners]
        else:
            covers[row, [territory_ids.index(t) for t in c.covers]] = True
    starts = np.array(
        [calendar.period_of(c.since) if c.since else -1 for _, c in items], dtype=np.int64
    )
    return Commitments(
        ids=tuple(cid for cid, _ in items),
        kinds=tuple(c.kind for _, c in items),
        members=members,
        guarantors=guarantors,
        covers=covers,
        starts=starts,
    )


def _timeline(spec: ScenarioSpec, calendar: Calendar) -> tuple[tuple[tuple[str, Event], ...], ...]:
    ordered = sorted(spec.events.items(), key=lambda item: item[1].at)
    slots: list[list[tuple[str, Event]]] = [[] for _ in range(calendar.n_periods)]
    for event_id, event in ordered:
        slots[calendar.period_of(event.at)].append((event_id, event))
    return tuple(tuple(slot) for slot in slots)
