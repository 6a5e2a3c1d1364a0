"""What a user has chosen in the web view, and the runs it gives.

A :class:`Choice` is everything on the sidebar: a scenario and its overlays, the parameters,
the key figures moved by sliders (:class:`Knob`), the number of runs and the seed. It is
frozen, so that the runs it gives are computed once (:func:`runs`) and the page recomputes
only what a change touches.

The key figures are a state's power (a slider of a factor that scales its CINC, in every year
of a series), a site's value, and a war's theatre and scale. A moved figure becomes a change
written as an overlay's ``set`` (:func:`changes`), which :func:`sim.scenario.loading.revise`
checks as it checks a file: a bad value gives one message naming the field.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast

from sim.model.params import Params
from sim.results.runs import RunSet
from sim.scenario.loading import Scenario, load, revise
from sim.scenario.schema import ScenarioSpec, WarEvent
from sim.web.keeping import Keeper
from sim.web.library import Library

CHANGES = "changes in the web view"
"""How moved figures are named in errors and in the scenario's overlays."""
FieldPath = tuple[str, ...]
Value = float | str


@dataclass(frozen=True)
class Knob:
    """One key figure of a scenario: its field, its label, its value and range, or choices."""

    path: FieldPath
    label: str
    value: Value
    low: float = 0.0
    high: float = 1.0
    step: float = 0.05
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Choice:
    """Everything a user has chosen: scenario, overlays, parameters, moved figures, runs, seed."""

    scenario: str
    overlays: tuple[str, ...] = ()
    params: Params = field(default_factory=Params)
    moved: tuple[tuple[FieldPath, Value], ...] = ()
    runs: int = 100
    seed: int = 0

    def move(self, knob: Knob, value: Value) -> Choice:
        """Return the choice with one figure moved; back to the knob's own value, unmoved."""
        kept = tuple((p, v) for p, v in self.moved if p != knob.path)
        moved = kept if value == knob.value else (*kept, (knob.path, value))
        return dataclasses.replace(self, moved=moved)


def knobs(spec: ScenarioSpec) -> list[Knob]:
    """Return the key figures of a scenario: powers, sites' values, wars' theatres and scales."""
    return [*_power_knobs(spec), *_site_knobs(spec), *_war_knobs(spec)]


def _power_knobs(spec: ScenarioSpec) -> list[Knob]:
    """A factor on each state's power, up to the factor that brings its CINC to 1 (at most 5)."""
    return [
        Knob(
            ("states", sid, "power"),
            f"{state.name}: power x (CINC {_first(state.power):.4g})",
            1.0,
            low=0.1,
            high=round(min(5.0, 1.0 / _largest(state.power)), 1),
            step=0.1,
        )
        for sid, state in spec.states.items()
    ]


def _first(power: float | dict[int, float]) -> float:
    return power if isinstance(power, float | int) else power[min(power)]


def _largest(power: float | dict[int, float]) -> float:
    return power if isinstance(power, float | int) else max(power.values())


def _site_knobs(spec: ScenarioSpec) -> list[Knob]:
    return [
        Knob(("sites", sid, "value"), f"{site.name}: value to {site.holder}", site.value)
        for sid, site in spec.sites.items()
    ]


def _war_knobs(spec: ScenarioSpec) -> list[Knob]:
    """Each war's (or crisis's) theatre, among the scenario's territories, and its scale."""
    territories = tuple(spec.territories)
    found = []
    for eid, event in spec.events.items():
        if isinstance(event, WarEvent):
            who = f"{eid} ({event.attacker} attacks {event.defender})"
            found.append(Knob(("events", eid, "theatre"), f"{who}: theatre", event.theatre,
                              choices=territories))  # fmt: skip
            found.append(Knob(("events", eid, "scale"), f"{who}: scale", event.scale))
    return found


def changes(spec: ScenarioSpec, moved: Mapping[FieldPath, Value]) -> dict[str, Any]:
    """Return the moved figures as an overlay's ``set``: powers scaled, other values as set."""
    found: dict[str, Any] = {}
    for path, value in moved.items():
        if path[0] == "states" and path[-1] == "power":
            value = _scaled(spec.states[path[1]].power, value) if path[1] in spec.states else value
        node = found
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    return found


def _scaled(power: float | dict[int, float], factor: Value) -> Any:
    """Return a power (a figure or a series by year) times a factor."""
    if not isinstance(factor, float | int) or isinstance(factor, bool):
        return factor  # left for the scenario's checks to refuse, naming the field
    if isinstance(power, dict):
        return {year: value * factor for year, value in power.items()}
    return power * factor


def base(library: Library, choice: Choice) -> Scenario:
    """Load the chosen scenario with its overlays, before any figure is moved.

    Raises:
        InputError: a name outside the folder, or a file that does not load.
    """
    paths = [library.overlay_path(name) for name in choice.overlays]
    return load(library.scenario_path(choice.scenario), paths)


def scenario(library: Library, choice: Choice) -> Scenario:
    """Load the chosen scenario with its overlays and the moved figures.

    A change of parameters alone, runs or seed reads no file again.

    Raises:
        InputError: a name outside the folder, a file that does not load, a bad figure.
    """
    return _scenario(library, choice.scenario, choice.overlays, choice.moved)


@lru_cache(maxsize=16)
def _scenario(
    library: Library,
    name: str,
    overlays: tuple[str, ...],
    moved: tuple[tuple[FieldPath, Value], ...],
) -> Scenario:
    loaded = base(library, Choice(name, overlays))
    return revise(loaded, changes(loaded.spec, dict(moved)), CHANGES)


def runs(library: Library, choice: Choice) -> RunSet:
    """Replicate the chosen scenario (kept: a choice made again costs nothing).

    Run 0 is the run the page steps through, so that its tables and the distribution agree.
    A move of a kernel weight's slider weighs the last runs of the same scenario again and runs
    again only those whose course it moves (:mod:`sim.results.reweigh`): the same tables as a
    full replication, in a fraction of the time. A choice another session (or the server's
    warm-up) is making is waited for, not made twice.

    Raises:
        InputError: as :func:`scenario`.
    """
    return RUNS.kept((library, choice), lambda: _made(library, choice))


def _made(library: Library, choice: Choice) -> RunSet:
    """Make the choice's runs, weighing the last ones of its scenario again where they serve."""
    from sim.results import reweigh

    key = _scenario_key(library, choice)
    last = LAST.peek(key)
    found = reweigh.reweighed(last, choice.params) if last is not None else None
    if found is None:
        loaded = scenario(library, choice)
        found = reweigh.replicate_kept(loaded, choice.params, seed=choice.seed, runs=choice.runs)
    LAST.put(key, found)
    return found.runset


def ready(library: Library, choice: Choice) -> RunSet | None:
    """Return the choice's runs if they are made already, without making any."""
    return cast(RunSet | None, RUNS.peek((library, choice)))


def prepare(library: Library, choice: Choice) -> None:
    """Make the choice's runs at once when they are the last ones weighed again (fast).

    A move of a kernel weight's slider then shows its P(honour) in the very change of the page
    that shows the slider moved, instead of a change later; any other choice is left to the
    page's own task, which shows that it is waiting.
    """
    from sim.results import reweigh

    last = LAST.peek(_scenario_key(library, choice))
    if last is not None and reweigh.weights_only(last.runset.params, choice.params):
        runs(library, choice)


def _scenario_key(library: Library, choice: Choice) -> Hashable:
    """Return what runs weighed again must share with the choice: all but the parameters."""
    return (library, choice.scenario, choice.overlays, choice.moved, choice.runs, choice.seed)


LAST = Keeper(4)
"""Each scenario's last runs, with what weighing them again needs (the four last scenarios)."""
RUNS = Keeper(16)
"""The runs of the sixteen last choices."""
