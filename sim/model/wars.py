"""Wars and crises in progress: who attacked whom, where, and who fights on each side.

:class:`War` is one war as the model keeps it; :class:`Front` is one belligerent of it as a
partner that calls on its guarantors. :class:`Warfare` holds the model's dealings with its
wars: those the scenario's events begin, those the states start and end of their own
(:mod:`sim.model.onset`), the states that leave them, and which pairs are at war.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from sim.model import assessment, formation, onset

if TYPE_CHECKING:
    from sim.model.alliance_model import AllianceModel

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass
class War:
    """A war (or a crisis) in progress: who attacked whom, where, with whose backing.

    ``backers`` fight beside the attacker and ``defender_backers`` beside the defender;
    ``suppliers`` and ``defender_suppliers`` send arms or money and do not fight. A war may
    have further ``fronts`` (attacker, defender, theatre, provoked): coalitions attacking
    together, in several theatres. ``every_period`` asks the states bound to a belligerent
    again each period while the war lasts; ``recorded_invocations`` takes invocation from
    the scenario's events instead of chance.
    """

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
    suppliers: list[int] = field(default_factory=list)
    defender_suppliers: list[int] = field(default_factory=list)
    fronts_opened: list[tuple[int, int, int, bool]] = field(default_factory=list)
    provoked: bool = False
    every_period: bool = False
    recorded_invocations: bool = False

    def fronts(self) -> tuple[Front, ...]:
        """Return the war as seen by each belligerent's guarantors, front by front.

        For each front (the first is the war's own), the defender's side first.
        """
        first = (self.attacker, self.defender, self.theatre, self.provoked)
        seen: list[Front] = []
        for attacker, defender, theatre, provoked in (first, *self.fronts_opened):
            seen.append(self._front(1, defender, attacker, theatre, provoked))
            seen.append(self._front(0, attacker, defender, theatre, False))
        return tuple(seen)

    def _front(
        self, side: int, partner: int, adversary: int, theatre: int, provoked: bool
    ) -> Front:
        """Return one belligerent's front: its adversary's camp fights beside the adversary."""
        other = 1 - side
        backers = (self.backers, self.defender_backers)
        suppliers = (self.suppliers, self.defender_suppliers)
        camp = self.camp(other)
        beside = [*backers[other], *sorted(camp - {adversary} - set(backers[other]))]
        return Front(
            self,
            side,
            partner,
            adversary,
            beside,
            backers[side],
            theatre=theatre,
            provoked=provoked,
            adversary_suppliers=list(suppliers[other]),
            attackers=len(camp | set(backers[other])),
        )

    def camp(self, side: int) -> set[int]:
        """Return everyone fighting on one side (0 attacker, 1 defender)."""
        principals = {f[side] for f in self.fronts_opened}
        return {self.attacker if side == 0 else self.defender} | principals | self.sides[side]


@dataclass(frozen=True)
class Front:
    """One belligerent of a war, on one of its fronts, as a partner that calls its guarantors.

    Only the defender's defence commitments can be triggered: no defence pact covers its
    member's own attack (an offence pact does). The attacker's guarantors are asked too,
    and decide by the same rule.
    """

    war: War
    side: int  # 1 for the defender, 0 for the attacker
    partner: int
    adversary: int
    adversary_backers: list[int]  # who fights beside the adversary
    partner_backers: list[int]
    theatre: int = -1
    provoked: bool = False  # the partner provoked the attack (a defender only)
    adversary_suppliers: list[int] = field(default_factory=list)
    attackers: int = 1  # how many states fight the partner on this war's other side

    @property
    def defensive(self) -> bool:
        """Whether the partner was attacked (and so can invoke a defence commitment)."""
        return self.side == 1


class Warfare:
    """The model's wars: begun by events, started and ended by the states, left, fought.

    The wars themselves are the model's (``model.wars``, by id); this keeps which pairs of
    states are at war, recomputed only when a war's camps change.

    Args:
        model: the model whose wars these are.
    """

    def __init__(self, model: AllianceModel) -> None:
        self.model = model
        n = model.world.n
        self._fronts: list[tuple[list[int], list[int]]] | None = None
        self._at_war = np.zeros((n, n), dtype=bool)

    def at_war(self) -> BoolArray:
        """Return which pairs of states are at war with each other now (read-only)."""
        fronts = [
            (list(war.camp(0)), list(war.camp(1)))
            for war in self.model.wars.values()
            if war.active and not war.crisis
        ]
        if fronts != self._fronts:  # wars begin, end or are joined only now and then
            n = self.model.world.n
            at_war = np.zeros((n, n), dtype=bool)
            for attackers, defenders in fronts:
                a, d = np.asarray(attackers)[:, None], np.asarray(defenders)[:, None]
                at_war[a, d.T] = at_war[d, a.T] = True
            at_war.flags.writeable = False
            self._fronts, self._at_war = fronts, at_war
        return self._at_war

    def begin(self, war: War) -> War:
        """Enter a war that an event begins; return it."""
        self.model.wars[war.war_id] = war
        return war

    def ongoing(self) -> list[War]:
        """Return the wars begun before this period whose bound states are asked again."""
        m = self.model
        return [w for w in m.wars.values() if w.active and w.every_period and w.began < m.period]

    def start(self, o: assessment.Opening, hostility: FloatArray, years: float) -> list[War]:
        """Let the states start wars of their own (see :mod:`sim.model.onset`)."""
        m = self.model
        open_pairs = np.outer(m.alive, m.alive) & ~o.at_war & ~m.book.allied_pairs(m.period)
        hazard = onset.onset_hazard(
            o.power, hostility, m.borders, m.world.capital_km, open_pairs, m.params
        )
        draws = m.pair_draws()
        started = []
        for attacker, defender in onset.draw_attacks(hazard, years, draws):
            if m.homeland[defender] < 0:
                continue
            ids, label = m.world.ids, m.world.calendar.labels[m.period]
            war_id = f"war_{label}_{ids[attacker]}_{ids[defender]}"
            theatre = int(m.homeland[defender])
            war = War(war_id, attacker, defender, theatre, 1.0, [], began=m.period)
            war.started_by_model = True
            started.append(self.begin(war))
        return started

    def end(self, years: float) -> None:
        """End each war the states started with the yearly ``war_end_rate``."""
        m = self.model
        running = [w for w in m.wars.values() if w.active and w.started_by_model]
        chance = formation.per_period(np.asarray(m.params.war_end_rate), years)
        for war, draw in zip(running, m.rng.random(len(running)), strict=True):
            if draw < chance:
                war.active = False

    def leave(self, gone: BoolArray) -> None:
        """End the wars whose attacker or defender has left the state system."""
        for war in self.model.wars.values():
            if gone[war.attacker] or gone[war.defender]:
                war.active = False

    def lose(self, state: int) -> None:
        """End every war a defeated state fights in, on either side."""
        for war in self.model.wars.values():
            if state in war.camp(0) | war.camp(1):
                war.active = False
