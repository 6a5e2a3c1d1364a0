"""Step 2 of a period: alliances dissolve and form, and members weigh their institutions.

Everything that does not depend on chance was assessed as the period opened
(:func:`sim.model.assessment.assess`); here the draws are made, in a fixed order: alliances
of equals (P5), then patron-client ties (P6), then a draw for every pair of living states
that may ally (each state signing one new alliance a period at most). Members then leave an
institution that costs them more than it saves (P9).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.model import assessment, institutions
from sim.model.standing import Standing

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
FloatArray = NDArray[np.float64]


def update(m: Standing, o: assessment.Opening, a: assessment.Assessment) -> None:
    """Dissolve, form and weigh the alliances of the period that ``o`` opens (``a`` assessed)."""
    version = m.book.version
    _dissolve_equals(m, o.equals.nonzero()[0], a)
    _dissolve_clients(m, o.clients.nonzero()[0], a)
    _form(m, a, version)
    _weigh_institutions(m, o.institutions.nonzero()[0], a.institutions)


def break_at_war(m: Standing) -> None:
    """End the alliances whose members are at war with each other (violated).

    A war between members is the end of an alliance the data code as violated (ATOP: armed
    conflict between members); run after the period's wars have begun and been joined.
    """
    rows = np.flatnonzero(m.book.alliances(m.period))
    war = m.at_war()
    if rows.size == 0 or not war.any():
        return
    inside = m.book.members[rows].astype(float)
    fighting = ((inside @ war.astype(float)) * inside).sum(axis=1) > 0
    for row in rows[fighting]:
        m.book.end(int(row), m.period, "violated", m.demand)


def equals_reason(threat_term: float, balance_term: float) -> str:
    """Name the larger push that ended an alliance of equals, or 'lapsed' if neither pushed."""
    if max(threat_term, balance_term) <= 0.0:
        return "lapsed"
    return "threat_gone" if threat_term >= balance_term else "balance_shifted"


def _dissolve_equals(m: Standing, rows: IntArray, a: assessment.Assessment) -> None:
    """Alliances of equals end with the assessed chance; the reason is the larger push."""
    if rows.size == 0:
        return
    ends = m.rng.random(rows.size) < a.equals_end
    for k in ends.nonzero()[0]:
        reason = equals_reason(float(a.threat_term[k]), float(a.balance_term[k]))
        m.book.end(int(rows[k]), m.period, reason, m.demand)


def _dissolve_clients(m: Standing, rows: IntArray, a: assessment.Assessment) -> None:
    """Patron-client ties end with the assessed chance: lapsed, or the client no longer useful."""
    m.ally_value = a.ally_value
    if rows.size == 0:
        return
    ends = m.rng.random(rows.size) < a.clients_end
    if not ends.any():
        return
    for row, still_useful in zip(
        rows[ends], a.useful[ends] >= m.params.usefulness_floor, strict=True
    ):
        m.book.end(int(row), m.period, "lapsed" if still_useful else "not_useful", m.demand)


def _form(m: Standing, a: assessment.Assessment, version: int) -> None:
    """Pairs not allied ally with the assessed chance.

    ``version`` is the book's as the period opened: if an alliance has ended since, the
    pairs it held are free to ally.
    """
    if m.book.version == version:
        chance = a.form
    else:
        chance = np.where(m.book.allied_pairs(m.period), 0.0, a.form_unallied)
    if not m.world.can_ally.all():  # non-state actors and states outside the system
        chance = np.where(np.outer(m.world.can_ally, m.world.can_ally), chance, 0.0)
    formed = m.pair_draws() < chance
    if not formed.any():
        return
    owners, rows = m.world.territory_holder, []
    for i, j in one_at_a_time(formed, chance):
        members = np.zeros(m.world.n, dtype=bool)
        members[[i, j]] = True
        enemy = m.world.ids[a.enemy[i, j]]
        rows.append(m.book.add(members, members[owners], m.period, enemy))
    formed_rows = np.array(rows, dtype=np.int64)  # formed as equals: they stay symmetric
    m.book.measure(formed_rows, m.effective_power(), m.nuclear)
    m.book.note_threat(formed_rows, m.demand)


def one_at_a_time(formed: BoolArray, chance: FloatArray) -> list[tuple[int, int]]:
    """Return the pairs that ally this period: each state signs one new alliance at most.

    Of the pairs drawn to ally, a state takes the one it is likeliest to make (the first
    pair on a tie); its other pairs wait for a later period. Alliances are negotiated
    one at a time: in ATOP's defence pacts of 1816-1944, a state founded more than one
    in the same year in 14% of the years in which it founded any.
    """
    i, j = np.nonzero(formed)
    order = np.argsort(-chance[i, j], kind="stable")
    busy: set[int] = set()
    pairs = []
    for a, b in zip(i[order].tolist(), j[order].tolist(), strict=True):
        if a not in busy and b not in busy:
            busy.update((a, b))
            pairs.append((a, b))
    return pairs


def _weigh_institutions(m: Standing, rows: IntArray, w: institutions.Weighing) -> None:
    """Members for whom an institution costs more than it saves leave it (P9).

    ``rows`` are the institutions in force, ``w`` how their members weigh them.
    """
    if rows.size == 0:
        return
    m.recorder.memberships(rows, w)
    for j in w.leaving:
        m.book.leave(int(rows[j]), w.leavers[j])
    for row in rows[w.lapsing]:
        m.book.end(int(row), m.period, "not_worth_costs", m.demand)
