"""A war in progress, as the model's mechanisms see it: its sides, theatre and fronts.

:class:`War` and :class:`Front` are plain records, and :func:`at_war` the pairs of states at
war with each other; they sit below the model and every mechanism that reads the wars
(:mod:`sim.model.wars`, :mod:`sim.model.calls`, :mod:`sim.model.events`, ...), so that none
of these needs the model class.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

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


def at_war(wars: Iterable[War], n: int) -> BoolArray:
    """Return which pairs of ``n`` states are at war with each other (crises aside).

    A state is at war with every state of the other camp of each active war it fights in.
    """
    found = np.zeros((n, n), dtype=bool)
    for war in wars:
        if war.active and not war.crisis:
            a, d = np.asarray(list(war.camp(0)))[:, None], np.asarray(list(war.camp(1)))[:, None]
            found[a, d.T] = found[d, a.T] = True
    return found
