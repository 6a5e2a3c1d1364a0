"""The scenario's figures by state (and by period) as arrays.

:func:`sim.model.world.build` compiles a scenario's powers, borders, narrow seas, forces
engaged elsewhere, relations, loyalties and stakes with these.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.model.calendar import Calendar
from sim.scenario.schema import ScenarioSpec, StateSpec

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def power_series(state: StateSpec, years: list[int]) -> list[float]:
    """Power by year: a series is carried forward (and back) to the years it lacks."""
    if isinstance(state.power, float):
        return [state.power] * len(years)
    known = sorted(state.power)
    values = []
    for year in years:
        before = [y for y in known if y <= year]
        values.append(state.power[before[-1] if before else known[0]])
    return values


def power_table(spec: ScenarioSpec, calendar: Calendar) -> FloatArray:
    """Return each state's power in each period (periods, states)."""
    years = [calendar.first_day(t).year for t in range(calendar.n_periods)]
    columns = [power_series(state, years) for state in spec.states.values()]
    return np.array(columns, dtype=np.float64).T.reshape(calendar.n_periods, len(columns))


def borders(spec: ScenarioSpec, at: dict[str, int]) -> BoolArray:
    """Return the land borders the scenario lists, both ways (states, states)."""
    borders = np.zeros((len(at), len(at)), dtype=bool)
    for sid, state in spec.states.items():
        for other in state.borders:
            borders[at[sid], at[other]] = borders[at[other], at[sid]] = True
    return borders


def narrow_seas(spec: ScenarioSpec, at: dict[str, int], calendar: Calendar) -> BoolArray | None:
    """Return the narrow seas between states in each period (None if there are none).

    A narrow sea makes two states near (:meth:`sim.model.world.World.near_in`), not neighbours
    by land.
    """
    if not spec.narrow_seas:
        return None
    water = np.zeros((calendar.n_periods, len(at), len(at)), dtype=bool)
    for sea in spec.narrow_seas:
        a, b = (at[s] for s in sea.between)
        first = max(calendar.period_of(sea.since), 0) if sea.since else 0
        last = max(calendar.period_of(sea.until), 0) if sea.until else calendar.n_periods
        water[first:last, a, b] = water[first:last, b, a] = True
    return water


def committed(spec: ScenarioSpec, calendar: Calendar) -> FloatArray | None:
    """Return each state's share of forces engaged elsewhere in each period (None if none).

    Spells that overlap add up, to all of its forces at most.
    """
    if not any(state.committed_elsewhere for state in spec.states.values()):
        return None
    shares = np.zeros((calendar.n_periods, len(spec.states)))
    for i, state in enumerate(spec.states.values()):
        for spell in state.committed_elsewhere:
            first = max(calendar.period_of(spell.since), 0) if spell.since else 0
            last = max(calendar.period_of(spell.until), 0) if spell.until else calendar.n_periods
            shares[first:last, i] += spell.share
    return np.minimum(shares, 1.0)


def relations(spec: ScenarioSpec, at: dict[str, int]) -> FloatArray:
    """Return the relations the scenario gives, both ways, 0 elsewhere (states, states)."""
    relations = np.zeros((len(at), len(at)))
    for relation in spec.relations:
        a, b = (at[s] for s in relation.between)
        relations[a, b] = relations[b, a] = relation.value
    return relations


def loyalty(spec: ScenarioSpec, at: dict[str, int]) -> FloatArray:
    """Return ``loyalty[p, g]``: p's loyalty to g, its own figure unless given towards g."""
    states = list(spec.states.values())
    loyalty = np.repeat(np.array([s.loyalty for s in states])[:, None], len(states), axis=1)
    for p, state in enumerate(states):
        for patron, value in state.loyalty_to.items():
            loyalty[p, at[patron]] = value
    return loyalty


def value_to(spec: ScenarioSpec, at: dict[str, int]) -> FloatArray:
    """Return ``value_to[s, t]``: territory t's value to state s, 0 unless the file gives it."""
    value = np.zeros((len(at), len(spec.territories)))
    for t, territory in enumerate(spec.territories.values()):
        for sid, v in territory.value_to.items():
            value[at[sid], t] = v
    return value
