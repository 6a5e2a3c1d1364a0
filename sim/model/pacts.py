"""Neutrality and non-aggression pacts: kept until a member fights another, then ended.

A pact of either kind binds its members not to fight each other: a non-aggression pact not
to attack, a neutrality pact not to join a war against the partner. Neither calls anyone to
fight. After each period's decisions, a pact whose members stand on opposite sides of a war
is breached: the breach is recorded (outcomes, kind ``pact``, with the state that broke it)
and the pact ends, violated.
"""

from __future__ import annotations

import numpy as np

from sim.model.standing import Standing
from sim.model.wars import War
from sim.model.world import PACT_KINDS


def keep(m: Standing) -> None:
    """End, as violated, every pact in force whose members now fight each other."""
    book = m.book
    rows = book.of_kinds(PACT_KINDS) & book.in_force(m.period)
    if not rows.any():
        return
    for war in [w for w in m.wars.values() if w.active and not w.crisis]:
        for row in np.flatnonzero(rows & (book.ends < 0)):
            breaker = breaker_of(
                war, set(np.flatnonzero(book.members[row]).tolist()), book.kinds[row]
            )
            if breaker is not None:
                m.recorder.outcome("pact", book.ids[row], breaker, 1.0, False)
                book.end(int(row), m.period, "violated", m.demand)


def breaker_of(war: War, members: set[int], kind: str) -> int | None:
    """Return the member that broke a pact by this war, if two members fight on opposite sides.

    Under a non-aggression pact it is the one on the attacking side; under a neutrality pact
    the one that joined the war against the other (or, if neither joined, the attacker).
    """
    attackers, defenders = war.camp(0) & members, war.camp(1) & members
    if not attackers or not defenders:
        return None
    joined = (war.sides[0] & attackers) | (war.sides[1] & defenders)
    if kind == "neutrality" and joined:
        return min(joined)
    return min(attackers)
