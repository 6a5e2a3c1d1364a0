"""The alliance model: a Mesa model that steps period by period.

Each period (``step``, docs/ODD.md section 1.3):

1. power and threat update (power from the scenario's series, after defeats and shocks);
   courted small states hedge their relations (P12);
2. alliances dissolve (equals without a common enemy or balance; clients no longer useful)
   and form (comparable states with a common threat or goal); members weigh their
   institutions (P9) (:mod:`sim.model.bonds`); the system's poles are recorded (P11);
3. the period's events fire (war, end of war, defeat, power, nuclear, technology, ...;
   :mod:`sim.model.events`), and in the open world the states end and start wars of their
   own (:mod:`sim.model.wars`);
4. the commitments that new wars call (and the wars that ask each period) are scored at
   once and decided (:mod:`sim.model.calls`); pacts whose members now fight each other end
   (:mod:`sim.model.pacts`), and so do alliances whose members are at war with each other
   (:func:`sim.model.bonds.break_at_war`); events timed after the decisions fire;
5. the period is recorded (:mod:`sim.model.recorder`).

Members join and leave the scenario's commitments, and commitments end, on their dates as
each period opens.

The model holds the world as it stands (power, nuclear arms, relations, the alliance book,
the wars, ...) and coordinates; each step's mechanism lives in its own module and takes the
model as a :class:`sim.model.standing.Standing`, never the class, so that imports run one
way: the model imports its mechanisms, and none of them imports it. A run is a pure
function of (world, parameters, seed): every random draw comes from the model's ``rng``, and
the draws are made in a fixed order.
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np
from numpy.typing import NDArray

from sim.model import assessment, bonds, events, pacts
from sim.model.agents import StateAgent
from sim.model.alliances import AllianceBook
from sim.model.calls import Summons
from sim.model.decide import Situation
from sim.model.params import Params
from sim.model.recorder import Recorder
from sim.model.records import Ledger, Panel
from sim.model.standing import effective_power
from sim.model.tables import DECISION_COLUMNS, OUTCOME_COLUMNS, STATE_FIGURES, SYSTEM_COLUMNS
from sim.model.wars import War, Warfare
from sim.model.world import NEVER, World

FloatArray = NDArray[np.float64]


class AllianceModel(mesa.Model):
    """States that honour or abandon commitments, and alliances that form and fail.

    Args:
        world: the compiled scenario.
        params: the parameters (defaults if omitted).
        rng: a seed or a numpy Generator; the only source of randomness.
    """

    def __init__(self, world: World, params: Params | None = None, rng: Any = None) -> None:
        super().__init__(rng=rng)
        self.world = world
        self.params = params or Params()
        self._hold_the_world(world)
        self._open_the_ledgers(world)
        self.states = [
            StateAgent(self, i, sid, nm)
            for i, (sid, nm) in enumerate(zip(world.ids, world.names, strict=True))
        ]
        self.period = -1
        self.war_situation: Situation | None = None
        self._held_over: list[War] = []  # wars begun after the last period's decisions
        self.warfare = Warfare(self)
        self.summons = Summons(self)
        self.recorder = Recorder(self)
        for event_id, event in world.running:  # wars under way before the first period
            events.fire(self, event_id, event)

    def _hold_the_world(self, world: World) -> None:
        """Take the world's figures as they stand at the start: the state the periods change."""
        self.power = world.power[0].copy()
        self.alive = world.alive[0]
        self._all_members = bool(world.alive.all())
        self._start_periods = set(world.commitments.starts.tolist())
        self._effective: tuple[FloatArray, NDArray[np.bool_], FloatArray] = (
            np.zeros(0),
            np.zeros(0, dtype=bool),
            np.zeros(0),
        )
        self.borders = world.borders_in(0)
        self.near = world.near_in(0)
        self.shock = np.ones(world.n)
        self.nuclear = world.nuclear.copy()
        self.relations = world.relations.copy()
        self.site_open = world.site_open.copy()
        self.site_value = world.site_value.copy()
        self.territory_holder = world.territory_holder.copy()
        self.technology = self.params.technology
        self.threat_level = self.params.threat_level
        self.wars: dict[str, War] = {}
        self.book = AllianceBook.from_world(world.commitments)
        c = world.commitments
        self._term_periods = (
            set(c.joins[c.joins > 0].tolist())
            | set(c.leaves[c.leaves < NEVER].tolist())
            | set(c.ends[c.ends < NEVER].tolist())
        )
        self.invocations: set[tuple[int, int, int, str]] = set()  # (partner, row, guarantor
        # or -1 for all, war or "" for any): the scenario's record of invocations so far
        self.demand = np.zeros(world.n)
        self.ally_value = np.zeros(world.n)
        self.goals = np.full((world.n, world.n), -1, dtype=np.int64)
        self.beaten = np.zeros(world.n)
        self.homeland = np.full(world.n, -1, dtype=np.int64)
        for k in range(len(world.territory_ids) - 1, -1, -1):  # a state's first territory
            self.homeland[world.territory_holder[k]] = k

    def _open_the_ledgers(self, world: World) -> None:
        """Open the run's ledgers: decisions, outcomes, states and the system."""
        self.outcomes_record = Ledger(OUTCOME_COLUMNS)
        self.decisions = Ledger(DECISION_COLUMNS)
        self.states_record = Panel(world.ids, world.calendar.labels, STATE_FIGURES)
        self.system_record = Ledger(SYSTEM_COLUMNS)

    # --- figures of the current period -------------------------------------------------

    def effective_power(self) -> FloatArray:
        """Power with nuclear arms counted: CINC x (1 + nuclear_bonus) for nuclear states.

        Power and nuclear status are replaced, never changed in place, so the figure is
        kept until either is replaced (read-only).
        """
        power, nuclear, eff = self._effective
        if power is not self.power or nuclear is not self.nuclear:
            eff = effective_power(self.power, self.nuclear, self.params.nuclear_bonus)
            eff.flags.writeable = False
            self._effective = (self.power, self.nuclear, eff)
        return eff

    def at_war(self) -> NDArray[np.bool_]:
        """Return which pairs of states are at war with each other now (read-only)."""
        return self.warfare.at_war()

    def situation(self) -> Situation:
        """Return the arrays the decision kernel reads, for the current period."""
        w = self.world
        return Situation(
            power=self.effective_power(),
            nuclear=self.nuclear,
            relations=self.relations,
            at_war=self.at_war(),
            borders=self.borders,
            near=self.near,
            capital_km=w.capital_km,
            defence_partners=self.book.defence_partners(self.period),
            loyalty=w.loyalty,
            theatre_km=w.theatre_km,
            territory_holder=self.territory_holder,
            territory_value=w.territory_value,
            territory_value_to=w.territory_value_to,
            site_holder=w.site_holder,
            site_territory=w.site_territory,
            site_value=self.site_value,
            site_open=self.site_open,
            technology=self.technology,
            threat_level=self.threat_level,
            committed=w.committed_in(self.period),
        )

    def pair_draws(self) -> FloatArray:
        """Return a uniform draw for every pair of living states (1.0, never drawn, for others).

        Only living states draw, so that a run's past never depends on the states that enter
        the system later.
        """
        n = self.world.n
        if self._all_members or self.alive.all():
            return self.rng.random((n, n))
        living = np.flatnonzero(self.alive)
        draws = np.ones((n, n))
        draws[np.ix_(living, living)] = self.rng.random((living.size, living.size))
        return draws

    # --- the period --------------------------------------------------------------------

    def step(self) -> None:
        """Advance one period: power, alliances, events, decisions, records."""
        self.period += 1
        self._enter_system()
        if self.period in self._term_periods:
            self.book.apply_terms(self.world.commitments, self.period, self.demand)
        years = self.world.calendar.years_per_period
        self._recover(years)
        starting = self._starting()
        opening = self._opening(starting, years)
        pressures = assessment.assess(opening, self.params)
        self.relations, self.demand = pressures.relations, pressures.demand
        if starting is not None:
            self.book.note_threat(np.flatnonzero(starting), self.demand)
        self.book.note_common(np.flatnonzero(opening.equals), pressures.common)
        bonds.update(self, opening, pressures)
        self.recorder.polarity(opening.power)
        todays = self.world.events[self.period]
        new_wars = [
            events.fire(self, event_id, event)
            for event_id, event in todays
            if event.timing == "before_decisions"
        ]
        if self.world.endogenous_wars:
            self.warfare.end(years)
            new_wars += self.warfare.start(opening, pressures.hostility, years)
        self.summons.decide(self._asked([war for war in new_wars if war is not None]))
        pacts.keep(self)
        bonds.break_at_war(self)
        later = [events.fire(self, eid, e) for eid, e in todays if e.timing == "after_decisions"]
        self._held_over = [war for war in later if war is not None]
        self.recorder.states(opening, pressures)

    def _asked(self, new_wars: list[War]) -> list[War]:
        """Return the wars whose bound states are asked this period, each once.

        The wars begun this period, those begun after the last period's decisions, and those
        that ask each period while they last.
        """
        asked = new_wars + self._held_over
        seen = {id(war) for war in asked}
        return asked + [war for war in self.warfare.ongoing() if id(war) not in seen]

    def run(self) -> None:
        """Run every period of the scenario."""
        self.run_for(self.world.calendar.n_periods - self.period - 1)

    def beat(self, states: list[int]) -> None:
        """Mark states as beaten in a war: their threat falls (P5), then comes back."""
        self.beaten = self.beaten.copy()  # replaced, never changed in place: it may be shared
        self.beaten[states] = 1.0

    def _recover(self, years: float) -> None:
        """Let beaten states' threat come back: half every ``beaten_half_life`` years."""
        if self.period > 0 and self.beaten.any():
            self.beaten = self.beaten * 0.5 ** (years / self.params.beaten_half_life)

    def _enter_system(self) -> None:
        """Take this period's power, borders, relations (where data give them) and members.

        States that left the system leave their alliances and their wars.
        """
        w, t = self.world, self.period
        self.borders = w.borders_in(t)
        self.near = w.near_in(t)
        from_data = w.relations_in(t, self.params.rivalry_half_life)
        if from_data is not None:  # the open world: each year's relations as the data give them
            self.relations = from_data
        self.power = w.power[t] * self.shock
        if self._all_members:  # every state is in the system throughout: no one leaves
            return
        gone = self.alive & ~w.alive[t]
        self.alive = w.alive[t]
        if gone.any():
            self.book.drop_members(gone, self.period, self.demand)
            self.warfare.leave(gone)

    def _starting(self) -> NDArray[np.bool_] | None:
        """Return the book's rows that come into force this period (all earlier ones at 0).

        None if no row does: only the scenario's commitments start after the first period
        (an alliance formed during a run is in force from the period it forms).
        """
        if self.period == 0:
            return self.book.starts <= 0
        if self.period in self._start_periods:
            return self.book.starts == self.period
        return None

    def _opening(self, starting: NDArray[np.bool_] | None, years: float) -> assessment.Opening:
        """Return the state of the world as the period opens, rows ``starting`` shaped."""
        book, t, w = self.book, self.period, self.world
        power = self.effective_power()
        if starting is not None:
            book.classify(starting, self.params.asymmetry_ratio, power, self.nuclear)
        running = book.running(t)
        return assessment.Opening(
            power=power,
            nuclear=self.nuclear,
            relations=self.relations,
            at_war=self.at_war(),
            members=book.members,
            ratio=book.ratio,
            common_then=book.common_then,
            formal=book.formal(t),
            equals=running & book.symmetric,
            clients=running & ~book.symmetric,
            institutions=book.institutions(t),
            site_holder=w.site_holder,
            site_territory=w.site_territory,
            territory_holder=self.territory_holder,
            site_value=self.site_value,
            site_open=self.site_open,
            borders=self.borders,
            capital_km=w.capital_km,
            goals=self.goals,
            beaten=self.beaten,
            technology=self.technology,
            threat_level=self.threat_level,
            years=years,
        )

    # --- the run's tables --------------------------------------------------------------

    def ledgers(self) -> dict[str, Ledger | Panel]:
        """Return the run's tables as columns: decisions, alliances, states, system, outcomes."""
        return {
            "decisions": self.decisions,
            "alliances": self.alliance_record(),
            "states": self.states_record,
            "system": self.system_record,
            "outcomes": self.outcomes_record,
        }

    def alliance_rows(self) -> list[dict[str, Any]]:
        """Return one record per alliance: members, start, end or censoring, reason, shape."""
        columns = self.alliance_record().columns()
        return [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]

    def alliance_record(self) -> Ledger:
        """Return the alliances table: a row per alliance that came into force."""
        return self.recorder.alliances()
