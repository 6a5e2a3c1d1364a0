"""The world of a scenario as plain arrays: states, territories, sites, commitments, events.

:func:`build` compiles a validated :class:`~sim.scenario.loading.Scenario` into a :class:`World`
whose figures are numpy arrays indexed by state (and by territory, site, commitment), so
that the model can do all pairwise work as array arithmetic. A world is immutable; what
changes during a run lives in the model.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.model import statetables
from sim.model.calendar import MONTHS_PER_PERIOD
from sim.model.calendar import Calendar as Calendar  # re-exported: sim.history reads it here
from sim.model.geography import haversine_km
from sim.model.rivalry import DataRelations
from sim.scenario.loading import Scenario, beneficiaries_of
from sim.scenario.schema import (
    CommitmentSpec,
    Event,
    ScenarioSpec,
    SiteOpenedEvent,
    WarEvent,
)

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]

PACT_KINDS = ("neutrality", "non_aggression")
"""Kinds that bind their members not to fight each other: kept until breached or ended."""

DUTIES = ("none", "consult", "defend")
"""What a guarantor owes when called, weakest first (a duty's index is its strength)."""

KIND_DUTY = {
    "defence_pact": "defend",
    "offence_pact": "defend",
    "guarantee": "defend",
    "declaration": "defend",
    "coalition": "defend",
    "basing": "defend",
    "consultation": "consult",
}
"""The duty each kind's guarantors owe when called; any other kind owes none."""

ALLIANCE_KINDS = tuple(KIND_DUTY)
"""Commitment kinds that are alliances: those that owe a duty to fight or consult (an
institution, a mandate and a pact not to fight owe none; P9)."""

NEVER = 1 << 30
"""The period of a change that never comes (a member that never leaves)."""


@dataclass(frozen=True)
class Commitments:
    """Commitments as arrays: one row per commitment."""

    ids: tuple[str, ...]
    kinds: tuple[str, ...]
    members: BoolArray  # (commitments, states)
    guarantors: BoolArray  # (commitments, states)
    covers: BoolArray  # (commitments, territories), within the commitment's area
    starts: IntArray  # first period in force (may be negative: in force before the start)
    beneficiaries: BoolArray  # (commitments, states): who may invoke it
    duty: IntArray  # (commitments, states): each guarantor's duty, an index into DUTIES
    offensive: BoolArray  # (commitments,): it applies when the partner attacks, too
    against: BoolArray  # (commitments, states): adversaries it binds against (all if none named)
    against_allies_of: BoolArray  # (commitments, states): states whose allies it binds against
    unprovoked: BoolArray  # (commitments,): only if the partner did not provoke the war
    min_attackers: IntArray  # (commitments,): the fewest states that must fight the partner
    conflict: tuple[str, ...]  # the war it is limited to ("" for any)
    joins: IntArray  # (commitments, states): the period each member joins (-1: before the start)
    leaves: IntArray  # (commitments, states): the period each member leaves (NEVER)
    ends: IntArray  # (commitments,): the period it ends by its text or notice (NEVER)
    min_majors: IntArray  # (commitments,): the fewest major powers that must fight the partner
    after: BoolArray  # (commitments, states): guarantors that must fight already (a chain)
    exempt: IntArray  # (reservations, 3): row, member, state its duty does not hold against

    @classmethod
    def plain(
        cls,
        ids: tuple[str, ...],
        kinds: tuple[str, ...],
        members: BoolArray,
        guarantors: BoolArray,
        covers: BoolArray,
        starts: IntArray,
    ) -> Commitments:
        """Return commitments without terms: mutual, against anyone, members throughout."""
        m, n = members.shape
        return cls(
            ids=ids,
            kinds=kinds,
            members=members,
            guarantors=guarantors,
            covers=covers,
            starts=starts,
            beneficiaries=members.copy(),
            duty=np.array(
                [[DUTIES.index(KIND_DUTY.get(k, "none"))] * n for k in kinds], np.int64
            ).reshape(m, n),
            offensive=np.array([k == "offence_pact" for k in kinds], dtype=bool),
            against=np.ones((m, n), dtype=bool),
            against_allies_of=np.zeros((m, n), dtype=bool),
            unprovoked=np.zeros(m, dtype=bool),
            min_attackers=np.ones(m, dtype=np.int64),
            conflict=("",) * m,
            joins=np.full((m, n), -1, dtype=np.int64),
            leaves=np.full((m, n), NEVER, dtype=np.int64),
            ends=np.full(m, NEVER, dtype=np.int64),
            min_majors=np.zeros(m, dtype=np.int64),
            after=np.zeros((m, n), dtype=bool),
            exempt=np.zeros((0, 3), dtype=np.int64),
        )


@dataclass(frozen=True)
class World:
    """Everything a run needs to know about a scenario, as arrays."""

    name: str
    calendar: Calendar
    ids: tuple[str, ...]
    names: tuple[str, ...]
    power: FloatArray  # (periods, states): COW CINC share in each period
    nuclear: BoolArray  # (states,) at the start
    loyalty: FloatArray  # (states, states): [p, g] is p's loyalty to g as its patron
    borders: BoolArray  # (states, states), symmetric: at the start
    relations: FloatArray  # (states, states), symmetric, -1..1
    capitals: tuple[tuple[float, float], ...]  # (lat, lng) of each capital
    capital_km: FloatArray  # (states, states): distances between capitals
    territory_ids: tuple[str, ...]
    territory_names: tuple[str, ...]
    territory_owner: IntArray  # (territories,): who owns it by law
    territory_holder: IntArray  # (territories,): who holds it (or owns it if no one else)
    territory_value: FloatArray  # (territories,)
    territory_value_to: FloatArray  # (states, territories): its value to another state
    theatre_km: FloatArray  # (states, territories): capital to territory
    site_ids: tuple[str, ...]
    site_holder: IntArray  # (sites,)
    site_territory: IntArray  # (sites,)
    site_value: FloatArray  # (sites,)
    site_open: BoolArray  # (sites,) at the start
    site_mandate: IntArray  # (sites,): the commitment (a mandate) it serves under, or -1
    commitments: Commitments
    events: tuple[tuple[tuple[str, Event], ...], ...]  # per period, in date order
    alive: BoolArray  # (periods, states): members of the state system in each period
    can_ally: (
        BoolArray  # (states,): may form alliances by the model's rules (a state in the system)
    )
    endogenous_wars: bool = False  # the model's states start wars of their own
    border_table: BoolArray | None = None  # (periods, states, states) where borders change
    water_table: BoolArray | None = None  # (periods, states, states): a narrow sea between
    data_relations: DataRelations | None = None  # similarity and wars by period, from data
    running: tuple[tuple[str, Event], ...] = ()  # wars under way when the scenario starts
    major: BoolArray | None = None  # (states,): major powers (COW), where the world marks them
    committed: FloatArray | None = None  # (periods, states): share of forces engaged elsewhere

    def borders_in(self, period: int) -> BoolArray:
        """Return the borders in force in a period (``borders`` unless they change)."""
        return self.borders if self.border_table is None else self.border_table[period]

    def committed_in(self, period: int) -> FloatArray | None:
        """Return the share of each state's forces the scenario states are engaged elsewhere."""
        return None if self.committed is None else self.committed[period]

    def near_in(self, period: int) -> BoolArray:
        """Return who is near whom in a period: a border, or a narrow sea (where known)."""
        borders = self.borders_in(period)
        return borders if self.water_table is None else borders | self.water_table[period]

    def relations_in(self, period: int, rivalry_half_life: float) -> FloatArray | None:
        """Return the relations the data give for a period, or None where the world has none.

        A past war's rivalry halves every ``rivalry_half_life`` years
        (:class:`~sim.model.rivalry.DataRelations`).
        """
        if self.data_relations is None:
            return None
        half_life = rivalry_half_life / self.calendar.years_per_period
        return self.data_relations.at(period, half_life)

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
        power=statetables.power_table(spec, calendar),
        nuclear=np.array([s.nuclear for s in spec.states.values()], dtype=bool),
        loyalty=statetables.loyalty(spec, at),
        borders=statetables.borders(spec, at),
        relations=statetables.relations(spec, at),
        capitals=tuple(zip(lat.tolist(), lng.tolist(), strict=True)),
        capital_km=haversine_km(lat, lng, lat, lng),
        territory_ids=territory_ids,
        territory_names=tuple(t.name for t in spec.territories.values()),
        territory_owner=np.array([at[t.owner] for t in spec.territories.values()], dtype=np.int64),
        territory_holder=np.array(
            [at[t.held_by or t.owner] for t in spec.territories.values()], dtype=np.int64
        ),
        territory_value=np.array([t.value for t in spec.territories.values()]),
        territory_value_to=statetables.value_to(spec, at),
        theatre_km=haversine_km(lat, lng, t_lat, t_lng),
        site_ids=tuple(sites),
        site_holder=np.array([at[h] for h, _, _, _ in sites.values()], dtype=np.int64),
        site_territory=np.array([tat[t] for _, t, _, _ in sites.values()], dtype=np.int64),
        site_value=np.array([v for _, _, v, _ in sites.values()]),
        site_open=np.array([o for _, _, _, o in sites.values()], dtype=bool),
        site_mandate=_site_mandates(spec, tuple(sites)),
        commitments=_commitments(spec, at, calendar),
        events=_timeline(spec, calendar),
        alive=np.ones((calendar.n_periods, len(ids)), dtype=bool),
        can_ally=np.array(
            [s.actor == "state" and s.in_system for s in spec.states.values()], dtype=bool
        ),
        running=tuple((eid, e) for eid, e in spec.events.items() if _running(e)),
        water_table=statetables.narrow_seas(spec, at, calendar),
        major=np.array([s.major for s in spec.states.values()], dtype=bool),
        committed=statetables.committed(spec, calendar),
    )


def _calendar(spec: ScenarioSpec) -> Calendar:
    months = (spec.end.year - spec.start.year) * 12 + spec.end.month - spec.start.month
    per = MONTHS_PER_PERIOD[spec.period]
    start = dt.date(spec.start.year, spec.start.month, 1)
    return Calendar(start=start, period=spec.period, n_periods=months // per + 1)


def _site_mandates(spec: ScenarioSpec, site_ids: tuple[str, ...]) -> IntArray:
    """Return the commitment each site serves under (its mandate's row), or -1."""
    rows = {cid: i for i, cid in enumerate(spec.commitments)}
    under = {sid: s.under for sid, s in spec.sites.items()}
    for event in spec.events.values():
        if isinstance(event, SiteOpenedEvent):
            under[event.site] = event.under
    return np.array([rows.get(under.get(sid) or "", -1) for sid in site_ids], dtype=np.int64)


def _all_sites(spec: ScenarioSpec) -> dict[str, tuple[str, str, float, bool]]:
    """Sites at the start and sites that events open later: (holder, territory, value, open)."""
    sites = {sid: (s.holder, s.territory, s.value, True) for sid, s in spec.sites.items()}
    for event in spec.events.values():
        if isinstance(event, SiteOpenedEvent):
            sites[event.site] = (event.holder, event.territory, event.value, False)
    return sites


def _commitments(spec: ScenarioSpec, at: dict[str, int], calendar: Calendar) -> Commitments:
    items = list(spec.commitments.items())
    plain = Commitments.plain(
        ids=tuple(cid for cid, _ in items),
        kinds=tuple(c.kind for _, c in items),
        members=_state_mask([c.members for _, c in items], at),
        guarantors=_state_mask([c.guarantors or c.members for _, c in items], at),
        covers=_covers(spec, at),
        starts=np.array(
            [calendar.period_of(c.since) if c.since else -1 for _, c in items], dtype=np.int64
        ),
    )
    for row, (_, c) in enumerate(items):
        _apply_terms(plain, row, c, spec, at, calendar)
    conflict = tuple((c.conditions.war if c.conditions else None) or "" for _, c in items)
    return dataclasses.replace(plain, conflict=conflict, exempt=_exemptions(spec, at))


def _state_mask(lists: list[list[str]], at: dict[str, int]) -> BoolArray:
    """Return a (rows, states) mask of the states each list names."""
    mask = np.zeros((len(lists), len(at)), dtype=bool)
    for row, states in enumerate(lists):
        mask[row, [at[s] for s in states]] = True
    return mask


def _covers(spec: ScenarioSpec, at: dict[str, int]) -> BoolArray:
    """Return the territories each commitment covers, within its area (ATOP's location).

    ``covers: members`` is the members' own land, except for an offence pact (a duty to
    join a war, wherever it is fought), which covers every territory.
    """
    territory_ids = list(spec.territories)
    owners = np.array([at[t.owner] for t in spec.territories.values()], dtype=np.int64)
    lat = np.array([t.lat for t in spec.territories.values()])
    lng = np.array([t.lng for t in spec.territories.values()])
    covers = np.zeros((len(spec.commitments), len(territory_ids)), dtype=bool)
    for row, c in enumerate(spec.commitments.values()):
        if c.kind in ("institution", *PACT_KINDS):
            continue
        if c.covers == "members" and c.kind == "offence_pact":  # a duty to attack: anywhere
            covers[row] = True
        elif c.covers == "members":  # a mandate's: the land of those it protects, too
            covers[row] = np.isin(owners, [at[m] for m in (*c.members, *c.protects)])
        else:
            covers[row, [territory_ids.index(t) for t in c.covers]] = True
        area = c.conditions.area if c.conditions else None
        if area is not None:
            east_of = lng >= area.west
            west_of = lng <= area.east
            inside = (east_of & west_of) if area.west <= area.east else (east_of | west_of)
            covers[row] &= inside & (lat >= area.south) & (lat <= area.north)
    return covers


def _apply_terms(
    c: Commitments,
    row: int,
    spec: CommitmentSpec,
    scenario: ScenarioSpec,
    at: dict[str, int],
    calendar: Calendar,
) -> None:
    """Write one commitment's terms into its row: who may invoke it, against whom, when."""
    c.beneficiaries[row] = _state_mask([[*beneficiaries_of(spec), *spec.protects]], at)[0]
    for sid, terms in spec.member_terms.items():
        if terms.duty is not None:
            c.duty[row, at[sid]] = DUTIES.index(terms.duty)
        if terms.joined is not None:
            c.joins[row, at[sid]] = calendar.period_of(terms.joined)
        if terms.left is not None:
            c.leaves[row, at[sid]] = calendar.period_of(terms.left)
    if spec.until is not None:
        c.ends[row] = max(calendar.period_of(spec.until), 0)
    if spec.against is not None:
        named = [*spec.against.states]
        for group in spec.against.groups:
            named += scenario.groups[group].members
        c.against[row] = _state_mask([named], at)[0]
        c.against_allies_of[row] = _state_mask([spec.against.allies_of], at)[0]
    if spec.conditions is not None:
        c.unprovoked[row] = spec.conditions.unprovoked
        attackers = spec.conditions.attackers_at_least
        if attackers.major:
            c.min_majors[row] = attackers.count
        else:
            c.min_attackers[row] = attackers.count
        c.after[row] = _state_mask([spec.conditions.after], at)[0]


def _exemptions(spec: ScenarioSpec, at: dict[str, int]) -> IntArray:
    """Return each member's reservation against a named state: (row, member, state) rows."""
    found = [
        (row, at[sid], at[other])
        for row, c in enumerate(spec.commitments.values())
        for sid, terms in c.member_terms.items()
        for other in terms.not_against
    ]
    return np.array(found, dtype=np.int64).reshape(len(found), 3)


def _running(event: Event) -> bool:
    """Whether an event is a war under way when the scenario starts."""
    return isinstance(event, WarEvent) and event.running


def _timeline(spec: ScenarioSpec, calendar: Calendar) -> tuple[tuple[tuple[str, Event], ...], ...]:
    """Return each period's events in date order (wars running at the start apart)."""
    ordered = sorted(
        ((eid, e) for eid, e in spec.events.items() if not _running(e)), key=lambda item: item[1].at
    )
    slots: list[list[tuple[str, Event]]] = [[] for _ in range(calendar.n_periods)]
    for event_id, event in ordered:
        slots[calendar.period_of(event.at)].append((event_id, event))
    return tuple(tuple(slot) for slot in slots)
