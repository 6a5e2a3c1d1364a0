"""What the model's mechanisms read and change: the world as it stands in a run.

The Mesa model (:class:`sim.model.alliance_model.AllianceModel`) coordinates; each step's
mechanism lives in its own module (:mod:`sim.model.bonds`, :mod:`sim.model.calls`,
:mod:`sim.model.events`, :mod:`sim.model.pacts`, :mod:`sim.model.recorder`,
:mod:`sim.model.wars`, the agents). They take a :class:`Standing`, the arrays and records of
the run that they need, never the model class, so that the model imports them and none of
them imports the model. :func:`effective_power` and :func:`sim.model.war.at_war`, which both
the model and its mechanisms compute with, live below both.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from sim.model import institutions
from sim.model.alliances import AllianceBook
from sim.model.decide import Calls, Situation
from sim.model.params import Params
from sim.model.records import Ledger, Panel
from sim.model.war import War
from sim.model.world import World

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]


def effective_power(power: FloatArray, nuclear: BoolArray, nuclear_bonus: float) -> FloatArray:
    """Return power with nuclear arms counted: CINC x (1 + nuclear_bonus) for nuclear states."""
    return power * (1.0 + nuclear_bonus * nuclear)


class Warring(Protocol):
    """The wars under way, as the events that begin and end them see them."""

    def begin(self, war: War) -> War:
        """Enter a war that an event begins; return it."""

    def lose(self, state: int) -> None:
        """End every war a defeated state fights in."""


class Recording(Protocol):
    """The run's records, as the mechanisms write them."""

    def decisions(
        self,
        called: list[Any],
        calls: Calls,
        invoked: BoolArray,
        triggered: BoolArray,
        decided: tuple[BoolArray, BoolArray],
        scores: Any,
        bound: BoolArray,
        draw: FloatArray,
    ) -> None:
        """Record the period's decisions (who fights, who supplies), a row per call."""

    def memberships(self, rows: IntArray, w: institutions.Weighing) -> None:
        """Record what each member of the institutions in force makes of them."""

    def outcome(self, kind: str, subject: str, state: int, value: float, result: bool) -> None:
        """Record the outcome of a mechanism other than a decision to fight."""


@runtime_checkable
class Standing(Protocol):
    """The run as it stands: the figures of the current period, the book, the wars, the records.

    Arrays are indexed by state (``world.ids``), territory or site, as :class:`World`'s are.
    """

    world: World
    params: Params
    rng: np.random.Generator
    period: int
    power: FloatArray
    nuclear: BoolArray
    alive: BoolArray
    relations: FloatArray
    borders: BoolArray
    near: BoolArray
    shock: FloatArray
    beaten: FloatArray
    site_open: BoolArray
    site_value: FloatArray
    territory_holder: IntArray
    technology: float
    threat_level: float
    demand: FloatArray
    ally_value: FloatArray
    goals: IntArray
    homeland: IntArray
    invocations: set[tuple[int, int, int, str]]
    wars: dict[str, War]
    book: AllianceBook
    warfare: Warring
    recorder: Recording
    war_situation: Situation | None
    decisions: Ledger
    outcomes_record: Ledger
    states_record: Panel
    system_record: Ledger

    def effective_power(self) -> FloatArray:
        """Return power with nuclear arms counted, for the current period (read-only)."""

    def at_war(self) -> BoolArray:
        """Return which pairs of states are at war with each other now (read-only)."""

    def situation(self) -> Situation:
        """Return the arrays the decision kernel reads, for the current period."""

    def pair_draws(self) -> FloatArray:
        """Return a uniform draw for every pair of living states."""

    def beat(self, states: list[int]) -> None:
        """Mark states as beaten (their enemies' alliances may end, P5)."""
