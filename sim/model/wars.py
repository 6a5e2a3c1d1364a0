"""Wars and crises in progress: who attacked whom, where, and who fights on each side.

:class:`War` is one war as the model keeps it; :class:`Front` is one belligerent of it as a
partner that calls on its guarantors. :class:`Warfare` holds the model's dealings with its
wars: those the scenario's events begin, those the states start and end of their own
(:mod:`sim.model.onset`), the states that leave them, and which pairs are at war.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.model import assessment, formation, onset
from sim.model.standing import Standing
from sim.model.war import Front as Front  # re-exported: the wars and their fronts
from sim.model.war import War as War
from sim.model.war import at_war as war_pairs

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


class Warfare:
    """The model's wars: begun by events, started and ended by the states, left, fought.

    The wars themselves are the model's (``model.wars``, by id); this keeps which pairs of
    states are at war, recomputed only when a war's camps change.

    Args:
        model: the model whose wars these are.
    """

    def __init__(self, model: Standing) -> None:
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
            found = war_pairs(self.model.wars.values(), self.model.world.n)
            found.flags.writeable = False
            self._fronts, self._at_war = fronts, found
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
