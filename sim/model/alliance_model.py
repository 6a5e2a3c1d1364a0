"""The alliance model: a Mesa model that steps period by period.

Each period (``step``):

1. power and threat update (power from the scenario's series, after defeats and shocks);
   courted small states hedge their relations (P12);
2. alliances dissolve (equals without a common enemy or balance; clients no longer useful)
   and form (comparable states with a common threat or goal); members weigh their
   institutions (P9); the system's poles are recorded (P11);
3. the period's events fire (war, end of war, defeat, power, nuclear, technology, ...);
4. the commitments that new wars call are scored at once and decided;
5. the period is recorded.

A run is a pure function of (world, parameters, seed): every random draw comes from the
model's ``rng``, and the draws are made in a fixed order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import mesa
import numpy as np
from numpy.typing import NDArray

from sim.model import assessment, formation, institutions, onset
from sim.model.agents import StateAgent
from sim.model.alliances import AllianceBook
from sim.model.decide import FACTOR_NAMES, Calls, Situation, score
from sim.model.params import Params
from sim.model.records import Ledger, Panel
from sim.model.tables import (
    ALLIANCE_COLUMNS,
    DECISION_COLUMNS,
    OUTCOME_COLUMNS,
    STATE_FIGURES,
    SYSTEM_COLUMNS,
)
from sim.model.world import World
from sim.scenario.schema import Event

FloatArray = NDArray[np.float64]


@dataclass
class War:
    """A war (or a crisis) in progress: who attacked whom, where, with whose backing."""

    war_id: str
    attacker: int
    defender: int
    theatre: int
    scale: float
    backers: list[int]
    defender_backers: list[int] = field(default_factory=list)
    sides: tuple[set[int], set[int]] = field(default_factory=lambda: (set(), set()))
    active: bool = True
    crisis: bool = False
    started_by_model: bool = False
    began: int = -1  # the period it began
    allies: tuple[set[int], set[int]] = field(default_factory=lambda: (set(), set()))

    def fronts(self) -> tuple[Front, Front]:
        """Return the war as seen by each belligerent's guarantors: defender's side first."""
        return (
            Front(self, 1, self.defender, self.attacker, self.backers, self.defender_backers),
            Front(self, 0, self.attacker, self.defender, self.defender_backers, self.backers),
        )

    def camp(self, side: int) -> set[int]:
        """Return everyone fighting on one side (0 attacker, 1 defender)."""
        return {self.attacker if side == 0 else self.defender} | self.sides[side]


@dataclass(frozen=True)
class Front:
    """One belligerent of a war as a partner that calls on its guarantors.

    Only the defender's commitments can be triggered: no defence pact covers its member's
    own attack. The attacker's guarantors are asked too, and decide by the same rule.
    """

    war: War
    side: int  # 1 for the defender, 0 for the attacker
    partner: int
    adversary: int
    adversary_backers: list[int]
    partner_backers: list[int]

    @property
    def defensive(self) -> bool:
        """Whether the partner was attacked (and so can invoke a defence commitment)."""
        return self.side == 1


def _equals_reason(threat_term: float, balance_term: float) -> str:
    """Name the larger push that ended an alliance of equals, or 'lapsed' if neither pushed."""
    if max(threat_term, balance_term) <= 0.0:
        return "lapsed"
    return "threat_gone" if threat_term >= balance_term else "balance_shifted"


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
        self.shock = np.ones(world.n)
        self.nuclear = world.nuclear.copy()
        self.relations = world.relations.copy()
        self.site_open = world.site_open.copy()
        self.site_value = world.site_value.copy()
        self.territory_holder = world.territory_holder.copy()
        self.outcomes_record = Ledger(OUTCOME_COLUMNS)
        self.technology = self.params.technology
        self.threat_level = self.params.threat_level
        self.wars: dict[str, War] = {}
        self.book = AllianceBook.from_world(world.commitments)
        self.demand = np.zeros(world.n)
        self.decisions = Ledger(DECISION_COLUMNS)
        self.states_record = Panel(world.ids, world.calendar.labels, STATE_FIGURES)
        self.ally_value = np.zeros(world.n)
        self.goals = np.full((world.n, world.n), -1, dtype=np.int64)
        self.system_record = Ledger(SYSTEM_COLUMNS)
        self._last_poles: str | None = None
        self._id_array = np.asarray(world.ids, dtype=object)
        self._territory_ids = np.asarray(world.territory_ids, dtype=object)
        self._book_id_array = np.zeros(0, dtype=object)
        self.states = [
            StateAgent(self, i, sid, nm)
            for i, (sid, nm) in enumerate(zip(world.ids, world.names, strict=True))
        ]
        self.period = -1
        self.war_situation: Situation | None = None
        self._blocs: tuple[bytes, NDArray[np.int64]] = (b"", np.arange(world.n))
        self._text_of = np.zeros(0)
        self._poles_key: tuple[int, bytes, bytes] = (-1, b"", b"")
        self._poles: tuple[list[list[int]], str] = ([], "")
        self._labels = world.calendar.labels
        self._fronts: list[tuple[list[int], list[int]]] | None = None
        self._at_war = np.zeros((world.n, world.n), dtype=bool)
        self.homeland = np.full(world.n, -1, dtype=np.int64)
        for k in range(len(world.territory_ids) - 1, -1, -1):  # a state's first territory
            self.homeland[world.territory_holder[k]] = k

    # --- figures of the current period -------------------------------------------------

    def effective_power(self) -> FloatArray:
        """Power with nuclear arms counted: CINC x (1 + nuclear_bonus) for nuclear states.

        Power and nuclear status are replaced, never changed in place, so the figure is
        kept until either is replaced (read-only).
        """
        power, nuclear, eff = self._effective
        if power is not self.power or nuclear is not self.nuclear:
            eff = self.power * (1.0 + self.params.nuclear_bonus * self.nuclear)
            eff.flags.writeable = False
            self._effective = (self.power, self.nuclear, eff)
        return eff

    def at_war(self) -> NDArray[np.bool_]:
        """Return which pairs of states are at war with each other now (read-only)."""
        fronts = [
            (list(war.camp(0)), list(war.camp(1)))
            for war in self.wars.values()
            if war.active and not war.crisis
        ]
        if fronts != self._fronts:  # wars begin, end or are joined only now and then
            at_war = np.zeros((self.world.n, self.world.n), dtype=bool)
            for attackers, defenders in fronts:
                a, d = np.asarray(attackers)[:, None], np.asarray(defenders)[:, None]
                at_war[a, d.T] = at_war[d, a.T] = True
            at_war.flags.writeable = False
            self._fronts, self._at_war = fronts, at_war
        return self._at_war

    def situation(self) -> Situation:
        """Return the arrays the decision kernel reads, for the current period."""
        w = self.world
        return Situation(
            power=self.effective_power(),
            nuclear=self.nuclear,
            relations=self.relations,
            at_war=self.at_war(),
            borders=self.borders,
            defence_partners=self.book.defence_partners(self.period),
            loyalty=w.loyalty,
            theatre_km=w.theatre_km,
            territory_holder=self.territory_holder,
            territory_value=w.territory_value,
            site_holder=w.site_holder,
            site_territory=w.site_territory,
            site_value=self.site_value,
            site_open=self.site_open,
            technology=self.technology,
            threat_level=self.threat_level,
        )

    # --- the period --------------------------------------------------------------------

    def step(self) -> None:
        """Advance one period: power, alliances, events, decisions, records."""
        self.period += 1
        self._enter_system()
        years = self.world.calendar.years_per_period
        starting = self._starting()
        opening = self._opening(starting, years)
        pressures = assessment.assess(opening, self.params)
        self.relations, self.demand = pressures.relations, pressures.demand
        if starting is not None:
            self.book.note_threat(np.flatnonzero(starting), self.demand)
        self._alliances(opening, pressures)
        new_wars = [
            self._fire(event_id, event) for event_id, event in self.world.events[self.period]
        ]
        if self.world.endogenous_wars:
            self._end_wars(years)
            new_wars += self._start_wars(opening, pressures.hostility, years)
        self._decide([war for war in new_wars if war is not None])
        self._record_states(opening, pressures)

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
            technology=self.technology,
            threat_level=self.threat_level,
            years=years,
        )

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

    def _enter_system(self) -> None:
        """Take this period's power and members of the state system.

        States that left the system leave their alliances and their wars.
        """
        w, t = self.world, self.period
        self.borders = w.borders_in(t)
        self.power = w.power[t] * self.shock
        if self._all_members:  # every state is in the system throughout: no one leaves
            return
        gone = self.alive & ~w.alive[t]
        self.alive = w.alive[t]
        if gone.any():
            self.book.drop_members(gone, self.period, self.demand)
            for war in self.wars.values():
                if gone[war.attacker] or gone[war.defender]:
                    war.active = False

    def run(self) -> None:
        """Run every period of the scenario."""
        self.run_for(self.world.calendar.n_periods - self.period - 1)

    # --- 2. alliances ------------------------------------------------------------------

    def _alliances(self, o: assessment.Opening, a: assessment.Assessment) -> None:
        version = self.book.version
        self._dissolve_equals(o.equals.nonzero()[0], a)
        self._dissolve_clients(o.clients.nonzero()[0], a)
        self._form(a, version)
        self._weigh_institutions(o.institutions.nonzero()[0], a.institutions)
        self._record_polarity(o.power)

    def _dissolve_equals(self, rows: NDArray[np.int64], a: assessment.Assessment) -> None:
        if rows.size == 0:
            return
        ends = self.rng.random(rows.size) < a.equals_end
        for k in ends.nonzero()[0]:
            reason = _equals_reason(float(a.threat_term[k]), float(a.balance_term[k]))
            self.book.end(int(rows[k]), self.period, reason, self.demand)

    def _dissolve_clients(self, rows: NDArray[np.int64], a: assessment.Assessment) -> None:
        self.ally_value = a.ally_value
        if rows.size == 0:
            return
        ends = self.rng.random(rows.size) < a.clients_end
        if not ends.any():
            return
        for row, still_useful in zip(
            rows[ends], a.useful[ends] >= self.params.usefulness_floor, strict=True
        ):
            self.book.end(
                int(row), self.period, "lapsed" if still_useful else "not_useful", self.demand
            )

    def _form(self, a: assessment.Assessment, version: int) -> None:
        """Pairs not allied ally with the assessed chance.

        ``version`` is the book's as the period opened: if an alliance has ended since, the
        pairs it held are free to ally.
        """
        if self.book.version == version:
            chance = a.form
        else:
            chance = np.where(self.book.allied_pairs(self.period), 0.0, a.form_unallied)
        formed = self._pair_draws() < chance
        if not formed.any():
            return
        owners, rows = self.world.territory_holder, []
        for i, j in zip(*np.nonzero(formed), strict=True):
            members = np.zeros(self.world.n, dtype=bool)
            members[[i, j]] = True
            enemy = self.world.ids[a.enemy[i, j]]
            rows.append(self.book.add(members, members[owners], self.period, enemy))
        formed_rows = np.array(rows, dtype=np.int64)  # formed as equals: they stay symmetric
        self.book.measure(formed_rows, self.effective_power(), self.nuclear)
        self.book.note_threat(formed_rows, self.demand)

    def _pair_draws(self) -> FloatArray:
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

    def _weigh_institutions(self, rows: NDArray[np.int64], w: institutions.Weighing) -> None:
        """Members for whom an institution costs more than it saves leave it (P9).

        ``rows`` are the institutions in force, ``w`` how their members weigh them.
        """
        if rows.size == 0:
            return
        self._outcomes("membership", self._book_ids()[rows[w.row]], w.state, w.value, w.stays)
        for j in w.leaving:
            self.book.leave(int(rows[j]), w.leavers[j])
        for row in rows[w.lapsing]:
            self.book.end(int(row), self.period, "not_worth_costs", self.demand)

    def _book_ids(self) -> NDArray[np.object_]:
        """Return the book's row ids as an array (rows are only ever added)."""
        if len(self._book_id_array) != len(self.book.ids):
            self._book_id_array = np.asarray(self.book.ids, dtype=object)
        return self._book_id_array

    def _outcome(self, kind: str, subject: str, state: int, value: float, result: bool) -> None:
        """Record the outcome of a mechanism other than a decision to fight."""
        self._outcomes(kind, [subject], np.array([state]), np.array([value]), np.array([result]))

    def _outcomes(
        self,
        kind: str,
        subjects: Sequence[str] | NDArray[np.object_],
        states: NDArray[np.int64],
        values: FloatArray,
        results: NDArray[np.bool_],
    ) -> None:
        """Record the outcomes of one mechanism: a row per (subject, state)."""
        k = len(states)
        self.outcomes_record.add(
            period=[self.period] * k,
            date=[self._labels[self.period]] * k,
            kind=[kind] * k,
            subject=subjects,
            state=self._id_array[states],
            value=values,
            result=results,
        )

    def _record_polarity(self, power: FloatArray) -> None:
        """Record the system's poles; flag a change from the period before (P11)."""
        book = self.book
        key = (book.version, book.in_force(self.period).tobytes(), power.tobytes())
        if key != self._poles_key:  # poles change only when alliances or power do
            members = book.members[book.alliances(self.period) & book.symmetric]
            if members.tobytes() != self._blocs[0]:
                self._blocs = (members.tobytes(), formation.blocs(members, self.world.n))
            poles = formation.strong_blocs(self._blocs[1], power, self.params.pole_share)
            label = "|".join("+".join(self.world.ids[i] for i in pole) for pole in poles)
            self._poles_key, self._poles = key, (poles, label)
        poles, label = self._poles
        before = label if self._last_poles is None else self._last_poles
        self._last_poles = label
        self.system_record.add_row(
            self.period, self._labels[self.period], label, len(poles), label != before
        )

    # --- 3. events ----------------------------------------------------------------------

    def _fire(self, event_id: str, event: Event) -> War | None:
        """Apply one event; return the war it starts, if any."""
        w, at = self.world, self.world.index
        match event.kind:
            case "war" | "crisis":
                war = War(
                    event_id,
                    at(event.attacker),
                    at(event.defender),
                    w.territory_ids.index(event.theatre),
                    event.scale,
                    [at(b) for b in event.backers],
                    [at(b) for b in event.defender_backers],
                    crisis=event.kind == "crisis",
                    began=self.period,
                )
                self.wars[event_id] = war
                return war
            case "end_of_war":
                self.wars[event.war].active = False
            case "defeat":
                self._defeat(at(event.state))
            case "power":
                self.shock[at(event.state)] *= event.factor
                self.power = self.world.power[self.period] * self.shock
            case "nuclear":
                self.nuclear = self.nuclear.copy()  # replaced, never changed in place
                self.nuclear[at(event.state)] = True
            case "technology":
                self.technology = min(event.value, 0.95)
            case "threat_level":
                self.threat_level = event.value
            case "goal":
                a, b = at(event.between[0]), at(event.between[1])
                self.goals[a, b] = self.goals[b, a] = at(event.adversary)
            case "relation":
                a, b = at(event.between[0]), at(event.between[1])
                self.relations = self.relations.copy()  # the last period's may be shared
                self.relations[a, b] = self.relations[b, a] = event.value
            case "site_opened" | "site_closed":
                self.site_open[w.site_ids.index(event.site)] = event.kind == "site_opened"
            case "site_value":
                self.site_value[w.site_ids.index(event.site)] = event.value
            case "control":
                self.territory_holder[w.territory_ids.index(event.territory)] = at(event.held_by)
            case "term_end":
                self._term_end(event_id, w.site_ids.index(event.site))
            case "sanction":
                self._sanction(event_id, event)
        return None

    def _start_wars(self, o: assessment.Opening, hostility: FloatArray, years: float) -> list[War]:
        """Let the states start wars of their own (see :mod:`sim.model.onset`)."""
        open_pairs = (
            np.outer(self.alive, self.alive) & ~o.at_war & ~self.book.allied_pairs(self.period)
        )
        hazard = onset.onset_hazard(
            o.power, hostility, self.borders, self.world.capital_km, open_pairs, self.params
        )
        draws = self._pair_draws()
        started = []
        for attacker, defender in onset.draw_attacks(hazard, years, draws):
            if self.homeland[defender] < 0:
                continue
            ids, label = self.world.ids, self._labels[self.period]
            war_id = f"war_{label}_{ids[attacker]}_{ids[defender]}"
            theatre = int(self.homeland[defender])
            war = War(war_id, attacker, defender, theatre, 1.0, [], began=self.period)
            war.started_by_model = True
            self.wars[war_id] = war
            started.append(war)
        return started

    def _end_wars(self, years: float) -> None:
        """End each war the states started with the yearly ``war_end_rate``."""
        running = [w for w in self.wars.values() if w.active and w.started_by_model]
        chance = formation.per_period(np.asarray(self.params.war_end_rate), years)
        for war, draw in zip(running, self.rng.random(len(running)), strict=True):
            if draw < chance:
                war.active = False

    def _term_end(self, event_id: str, site: int) -> None:
        """At the end of a term, the host renews a foreign presence or not (P8).

        The holder keeps wanting it while the site is useful to it; the host (the territory's
        sovereign) renews with a probability that rises with its relations with the holder.
        """
        p = self.params
        holder = int(self.world.site_holder[site])
        host = int(self.world.territory_owner[self.world.site_territory[site]])
        worth = self.site_value[site] * self.threat_level * (1.0 - self.technology)
        wanted = bool(self.site_open[site] and worth >= p.usefulness_floor)
        renew = 1.0 / (
            1.0 + np.exp(-(p.renewal_baseline + p.w_host_relations * self.relations[host, holder]))
        )
        continued = wanted and (host == holder or bool(self.rng.random() < renew))
        self._outcome("presence", event_id, host, float(renew if wanted else 0.0), continued)
        self.site_open[site] = continued

    def _sanction(self, event_id: str, event: Any) -> None:
        """A coalition's sanctions cut the target's power; record whether the loss is critical."""
        w, book = self.world, self.book
        imposers = np.zeros(w.n, dtype=bool)
        imposers[[w.index(s) for s in event.imposers]] = True
        if event.institution is not None:
            imposers |= book.members[book.ids.index(event.institution)]
        target = w.index(event.target)
        imposers[target] = False
        loss = institutions.sanction_loss(
            imposers, target, self.effective_power(), self.power, self.params
        )
        self.shock[target] *= 1.0 - loss
        self.power = self.world.power[self.period] * self.shock
        self._outcome("sanction", event_id, target, loss, loss >= self.params.critical_loss)

    def _defeat(self, state: int) -> None:
        self.shock[state] *= self.params.defeat_residual
        self.power = self.world.power[self.period] * self.shock
        for war in self.wars.values():
            if state in war.camp(0) | war.camp(1):
                war.active = False
        for row in np.flatnonzero(self.book.alliances(self.period) & self.book.members[:, state]):
            self.book.end(int(row), self.period, "defeated", self.demand)

    # --- 4. decisions ------------------------------------------------------------------

    def _decide(self, wars: list[War]) -> None:
        called = [
            (front, g, covered, text)
            for war in wars
            for front in war.fronts()
            for g, covered, text in self._called(front)
        ]
        if not wars:
            return
        situation = self.war_situation = self.situation()
        if not called:
            return
        calls = self._calls(called)
        noise = self.rng.normal(0.0, self.params.perception_noise, len(calls))
        scores = score(calls, situation, self.params, noise)
        invoked = self.rng.random(len(calls)) < self.params.invoke_probability
        fights = self.rng.random(len(calls)) < scores.p_honour
        triggered = calls.covered & invoked
        for (front, g, _, _), was_triggered, fought in zip(called, triggered, fights, strict=True):
            self._settle(front, g, bool(was_triggered), bool(fought))
        self._record_decisions(
            [front for front, _, _, _ in called], calls, triggered, fights, scores
        )

    def _called(self, front: Front) -> list[tuple[int, bool, float]]:
        """Return (guarantor, covered, text) for every state with a duty to the partner."""
        book, war = self.book, front.war
        rows = book.duties(self.period) & book.members[:, front.partner]
        excluded = war.camp(0) | war.camp(1) | set(war.backers) | set(war.defender_backers)
        bound = np.flatnonzero(book.guarantors[rows].any(axis=0))
        war.allies[front.side].update(int(g) for g in bound if g != front.partner)
        covering = book.guarantors & (rows & book.covers[:, war.theatre] & front.defensive)[:, None]
        text = np.where(covering, self._texts()[:, None], 0.0).max(axis=0, initial=0.0)
        covered = covering.any(axis=0)
        return [(int(g), bool(covered[g]), float(text[g])) for g in bound if g not in excluded]

    def _texts(self) -> NDArray[np.float64]:
        """Return the text strength of every commitment in the book."""
        kinds = self.book.kinds
        if len(self._text_of) != len(kinds):  # rows are only ever added, never change kind
            self._text_of = np.array([self._text(kind) for kind in kinds])
        return self._text_of

    def _text(self, kind: str) -> float:
        p = self.params
        return {
            "defence_pact": p.text_defence_pact,
            "coalition": p.text_defence_pact,
            "basing": p.text_basing,
            "consultation": p.text_consultation,
        }.get(kind, 0.0)

    def _calls(self, called: list[tuple[Front, int, bool, float]]) -> Calls:
        backers = np.zeros((len(called), self.world.n), dtype=bool)
        for k, (front, _, _, _) in enumerate(called):
            backers[k, front.adversary_backers] = True
        return Calls(
            guarantor=np.array([g for _, g, _, _ in called], dtype=np.int64),
            partner=np.array([f.partner for f, _, _, _ in called], dtype=np.int64),
            adversary=np.array([f.adversary for f, _, _, _ in called], dtype=np.int64),
            theatre=np.array([f.war.theatre for f, _, _, _ in called], dtype=np.int64),
            scale=np.array([f.war.scale for f, _, _, _ in called]),
            backers=backers,
            covered=np.array([c for _, _, c, _ in called], dtype=bool),
            text=np.array([t for _, _, _, t in called]),
        )

    def _settle(self, front: Front, g: int, triggered: bool, fights: bool) -> None:
        """Apply one decision: a guarantor that fights joins its partner's side."""
        if fights:
            front.war.sides[front.side].add(g)
        elif triggered:  # violated
            self._maybe_end_on_violation(g, front.partner)

    def _record_decisions(
        self,
        fronts: list[Front],
        calls: Calls,
        triggered: NDArray[np.bool_],
        fights: NDArray[np.bool_],
        scores: Any,
    ) -> None:
        """Record the period's decisions, a row per call, with each factor's contribution."""
        k, ids = len(fronts), self._id_array
        figures = {}
        for f, name in enumerate(FACTOR_NAMES):
            figures[f"value_{name}"] = scores.values[:, f]
            figures[f"contrib_{name}"] = scores.contributions[:, f]
        self.decisions.add(
            period=[self.period] * k,
            date=[self._labels[self.period]] * k,
            war=[front.war.war_id for front in fronts],
            side=["defender" if front.defensive else "attacker" for front in fronts],
            guarantor=ids[calls.guarantor],
            partner=ids[calls.partner],
            adversary=ids[calls.adversary],
            theatre=self._territory_ids[calls.theatre],
            covered=calls.covered,
            triggered=triggered,
            fought=fights,
            outcome=np.where(triggered, np.where(fights, "honoured", "violated"), "not_triggered"),
            p_honour=scores.p_honour,
            **figures,
        )

    def _maybe_end_on_violation(self, g: int, partner: int) -> None:
        book = self.book
        bilateral = book.members.sum(axis=1) == 2
        rows = (
            book.alliances(self.period)
            & bilateral
            & book.guarantors[:, g]
            & book.members[:, partner]
        )
        for row in np.flatnonzero(rows):
            if self.rng.random() < self.params.end_on_violation:
                book.end(int(row), self.period, "violated", self.demand)

    # --- 5. records ---------------------------------------------------------------------

    def _record_states(self, o: assessment.Opening, a: assessment.Assessment) -> None:
        eff = self.effective_power()
        if self.relations is a.relations and (eff is o.power or np.array_equal(eff, o.power)):
            gap = a.alignment_gap  # no event has changed relations or power
        else:
            gap = institutions.alignment_gap(self.relations, eff, self.params)
        self.states_record.add(  # arrays replaced, never changed, from period to period
            self.period,
            self.alive,
            self.power,
            eff,
            self.nuclear,
            self.demand,
            self.ally_value,
            gap,
        )

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
        book, cal, last = self.book, self.world.calendar, self.period
        record = Ledger(ALLIANCE_COLUMNS)
        rows = np.flatnonzero(~book.of_kinds(("institution",)) & (book.starts <= last))
        ended = book.ends[rows] >= 0
        start = np.maximum(book.starts[rows], 0)
        end = np.where(ended, book.ends[rows], last + 1)
        members = book.members[rows]
        threat_now = book.threat_end[rows].copy()
        threat_now[~ended] = [self.demand[inside].mean() for inside in members[~ended]]
        record.add(
            alliance=[book.ids[r] for r in rows],
            kind=[book.kinds[r] for r in rows],
            origin=[book.origin[r] for r in rows],
            members=[";".join(self._id_array[inside]) for inside in members],
            start_period=start,
            start=[self._labels[t] for t in start.tolist()],
            end_period=end,
            end=[self._labels[t] if e else "" for t, e in zip(end.tolist(), ended, strict=True)],
            ended=ended,
            reason=np.where(ended, np.array(book.reasons, dtype=object)[rows], "censored"),
            symmetric=book.symmetric[rows],
            capability_ratio=book.ratio[rows],
            duration_years=(end - start) * cal.years_per_period,
            common_enemy=[book.enemy[r] for r in rows],
            start_year=[cal.first_day(t).year for t in start.tolist()],
            nuclear_patron=book.nuclear_patron[rows],
            threat_change=threat_now - book.threat_start[rows],
        )
        return record
