"""The book of commitments during a run: which are in force, since when, and how they ended.

Every commitment of the scenario starts in the book; alliances that form during a run are
added to it. An alliance's end is recorded with its period and reason, so that survival
can be analysed. Institutions are kept too (they shape who is a member of what) but carry
no duty to fight and never count as alliances (P9).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from sim.model.world import ALLIANCE_KINDS, DUTIES, Commitments

BoolArray = NDArray[np.bool_]

DUTY_KINDS = (*ALLIANCE_KINDS, "mandate")
"""Kinds whose guarantors are called when a partner is at war (a mandate's owe no duty)."""

FORMAL_KINDS = ("defence_pact", "coalition", "offence_pact")
"""Kinds that make a formal alliance: a duty to fight for each other."""

REASONS = {
    "threat_gone": "the common threat is gone",
    "balance_shifted": "the balance among the partners shifted",
    "not_useful": "the partner is no longer useful to the patron",
    "violated": "violated in war",
    "defeated": "a member was defeated",
    "lapsed": "ended while its reasons still held (the baseline hazard)",
    "not_worth_costs": "its members no longer gained from settling issues jointly",
    "member_gone": "fewer than two of its members remain in the state system",
    "members_left": "fewer than two of its members remain bound (the others left it)",
    "expired": "ended on the date its text or a party's notice set",
}


@dataclass
class AllianceBook:
    """Mutable arrays of commitments, one row each, growing as alliances form."""

    ids: list[str]
    kinds: list[str]
    members: BoolArray
    guarantors: BoolArray
    covers: BoolArray
    starts: NDArray[np.int64]
    beneficiaries: BoolArray
    duty: NDArray[np.int64]  # (rows, states): each guarantor's duty, an index into DUTIES
    ends: NDArray[np.int64] = field(init=False)
    reasons: list[str] = field(init=False)
    symmetric: BoolArray = field(init=False)
    ratio: NDArray[np.float64] = field(init=False)
    common_then: NDArray[np.float64] = field(init=False)
    origin: list[str] = field(init=False)
    enemy: list[str] = field(init=False)
    threat_start: NDArray[np.float64] = field(init=False)
    threat_end: NDArray[np.float64] = field(init=False)
    nuclear_patron: BoolArray = field(init=False)

    def __post_init__(self) -> None:
        """Start every row open, of unknown shape until it comes into force."""
        m = len(self.ids)
        self.ends = np.full(m, -1, dtype=np.int64)
        self.reasons = [""] * m
        self.symmetric = np.zeros(m, dtype=bool)
        self.ratio = np.ones(m)
        self.common_then = np.full(m, np.nan)
        self.origin = ["scenario"] * m
        self.enemy = [""] * m
        self.threat_start = np.zeros(m)
        self.threat_end = np.full(m, np.nan)
        self.nuclear_patron = np.zeros(m, dtype=bool)
        self._kind_masks: dict[tuple[tuple[str, ...], int], BoolArray] = {}
        self._derived: dict[tuple[str, int], BoolArray] = {}
        self._last_start: int | None = None
        self.version = 0  # counts the changes to rows: shaped, added, ended, members left

    def _changed(self) -> None:
        """Forget what was derived from the rows: a row was shaped, added, ended or left."""
        self._derived.clear()
        self._last_start = None
        self.version += 1

    def _derive(self, name: str, period: int, compute: Callable[[], BoolArray]) -> BoolArray:
        """Return an array derived from the rows as they stand in a period.

        What is derived depends on the period only through which rows have started (and
        started before it), so every period after the last start shares one result. It is
        computed once until a row changes, and is read-only: callers share it.
        """
        if self._last_start is None:
            self._last_start = int(self.starts.max(initial=-1))
        key = (name, min(period, self._last_start + 1))
        found = self._derived.get(key)
        if found is None:
            found = compute()
            found.flags.writeable = False
            self._derived[key] = found
        return found

    @classmethod
    def from_world(cls, commitments: Commitments) -> AllianceBook:
        """Start a book from the scenario's commitments, with the members bound at the start."""
        c = commitments
        bound = (c.joins <= 0) & (c.leaves > 0)
        return cls(
            ids=list(c.ids),
            kinds=list(c.kinds),
            members=c.members & bound,
            guarantors=c.guarantors & bound,
            covers=c.covers.copy(),
            starts=c.starts.copy(),
            beneficiaries=c.beneficiaries & bound,
            duty=c.duty.copy(),
        )

    def of_kinds(self, kinds: tuple[str, ...]) -> BoolArray:
        """Return which rows are of one of ``kinds`` (kept while the book does not grow)."""
        key = (kinds, len(self.kinds))
        found = self._kind_masks.get(key)
        if found is None:
            found = np.array([k in kinds for k in self.kinds], dtype=bool)
            self._kind_masks[key] = found
        return found

    def origin_array(self) -> NDArray[np.str_]:
        """Return each row's origin (``scenario`` or ``formed``) as an array."""
        return np.array(self.origin)

    def in_force(self, period: int) -> BoolArray:
        """Return which rows are in force in a period (read-only)."""
        return self._derive("in_force", period, lambda: (self.starts <= period) & (self.ends < 0))

    def running(self, period: int) -> BoolArray:
        """Return the alliances in force in a period that came into force before it."""
        return self._derive(
            "running", period, lambda: self.alliances(period) & (self.starts < period)
        )

    def institutions(self, period: int) -> BoolArray:
        """Return which rows are institutions in force in a period."""
        return self._derive(
            "institutions", period, lambda: self.of_kinds(("institution",)) & self.in_force(period)
        )

    def alliances(self, period: int) -> BoolArray:
        """Return which rows are alliances (not institutions) in force in a period."""
        return self._derive(
            "alliances", period, lambda: self.of_kinds(ALLIANCE_KINDS) & self.in_force(period)
        )

    def duties(self, period: int) -> BoolArray:
        """Return which rows in force carry a duty that a partner can invoke."""
        return self._derive(
            "duties", period, lambda: self.of_kinds(DUTY_KINDS) & self.in_force(period)
        )

    def classify(
        self, rows: BoolArray, threshold: float, power: NDArray[np.float64], nuclear: BoolArray
    ) -> None:
        """Record the shape of rows coming into force.

        That is their capability ratio (strongest member over weakest, infinite if one has
        no power), whether they are symmetric (a ratio within ``threshold``) and whether the
        strongest member is nuclear.
        """
        idx = np.flatnonzero(rows)
        self.measure(idx, power, nuclear)
        self.symmetric[idx] = self.ratio[idx] <= threshold

    def measure(
        self, rows: NDArray[np.int64], power: NDArray[np.float64], nuclear: BoolArray
    ) -> None:
        """Record rows' capability ratio and whether their strongest member is nuclear."""
        if rows.size == 0:
            return
        inside = self.members[rows]
        strongest = np.where(inside, power, -np.inf).max(axis=1)
        weakest = np.where(inside, power, np.inf).min(axis=1)
        ratio = np.divide(strongest, weakest, out=np.full(rows.size, np.inf), where=weakest > 0)
        self.ratio[rows] = ratio
        self.nuclear_patron[rows] = nuclear[np.where(inside, power, -np.inf).argmax(axis=1)]
        self._changed()

    def note_common(self, rows: NDArray[np.int64], common: NDArray[np.float64]) -> None:
        """Record, for rows seen for the first time, the common threat they began with."""
        first = np.isnan(self.common_then[rows])
        if first.any():
            self.common_then[rows[first]] = common[first]

    def note_threat(self, rows: NDArray[np.int64], demand: NDArray[np.float64]) -> None:
        """Record the members' mean demand for allies as rows come into force."""
        for row in rows:
            self.threat_start[row] = demand[self.members[row]].mean()

    def end(self, row: int, period: int, reason: str, demand: NDArray[np.float64]) -> None:
        """Close a row in a period, for a reason from :data:`REASONS`; note the threat then.

        Raises:
            ValueError: the reason is not one of :data:`REASONS`.
        """
        if reason not in REASONS:
            raise ValueError(f"unknown reason for an alliance's end: {reason!r}")
        self.ends[row] = period
        self._changed()
        self.reasons[row] = reason
        self.threat_end[row] = float(demand[self.members[row]].mean())

    def add(self, members: BoolArray, covers: BoolArray, period: int, enemy: str) -> int:
        """Add an alliance formed during the run (a coalition against ``enemy``)."""
        self._changed()
        self.ids.append(f"formed_{len(self.ids)}")
        self.kinds.append("coalition")
        self.members = np.vstack([self.members, members])
        self.guarantors = np.vstack([self.guarantors, members])
        self.beneficiaries = np.vstack([self.beneficiaries, members])
        self.duty = np.vstack([self.duty, np.full(len(members), DUTIES.index("defend"))])
        self.covers = np.vstack([self.covers, covers])
        self.starts = np.append(self.starts, period)
        self.ends = np.append(self.ends, -1)
        self.reasons.append("")
        self.symmetric = np.append(self.symmetric, True)
        self.ratio = np.append(self.ratio, 1.0)
        self.common_then = np.append(self.common_then, np.nan)
        self.origin.append("formed")
        self.enemy.append(enemy)
        self.threat_start = np.append(self.threat_start, 0.0)
        self.threat_end = np.append(self.threat_end, np.nan)
        self.nuclear_patron = np.append(self.nuclear_patron, False)
        return len(self.ids) - 1

    def drop_members(self, gone: BoolArray, period: int, demand: NDArray[np.float64]) -> None:
        """Take states that left the state system out of every row in force.

        A row left with fewer than two members ends (``member_gone``).
        """
        rows = np.flatnonzero(self.in_force(period) & (self.members & gone[None, :]).any(axis=1))
        for row in rows:
            if (self.members[row] & ~gone).sum() < 2:
                self.end(int(row), period, "member_gone", demand)  # its record keeps them all
            else:
                self.leave(int(row), gone)

    def leave(self, row: int, states: BoolArray) -> None:
        """Take ``states`` out of a row's members (and guarantors); the row stays in force."""
        self.members[row] &= ~states
        self.guarantors[row] &= ~states
        self.beneficiaries[row] &= ~states
        self._changed()

    def join(self, row: int, states: BoolArray, c: Commitments) -> None:
        """Put ``states`` into a row of the scenario's as the members they are declared to be."""
        self.members[row] |= states & c.members[row]
        self.guarantors[row] |= states & c.guarantors[row]
        self.beneficiaries[row] |= states & c.beneficiaries[row]
        self._changed()

    def apply_terms(self, c: Commitments, period: int, demand: NDArray[np.float64]) -> None:
        """Let the scenario's members join and leave, and its commitments end, in a period.

        A row left with fewer than two members ends (``members_left``); a row whose date has
        come ends (``expired``).
        """
        for row in np.flatnonzero((c.joins == period).any(axis=1)):
            self.join(int(row), c.joins[row] == period, c)
        for row in np.flatnonzero((c.leaves == period).any(axis=1)):
            self.leave(int(row), c.leaves[row] == period)
            if self.ends[row] < 0 and self.members[row].sum() < 2:
                self.end(int(row), period, "members_left", demand)
        for row in np.flatnonzero(c.ends == period):
            if self.ends[row] < 0:
                self.end(int(row), period, "expired", demand)

    def defence_partners(self, period: int) -> BoolArray:
        """Return ``D[x, y]``: y is bound to defend (or consult) x by a duty in force (read-only).

        x may invoke the row (a beneficiary) and y owes it a duty (a guarantor without a
        reservation of no duty); a mandate binds no one.
        """

        def compute() -> BoolArray:
            rows = self.duties(period)
            owed = self.beneficiaries[rows].T.astype(float)
            bound = self.guarantors[rows] & (self.duty[rows] > DUTIES.index("none"))
            d = (owed @ bound.astype(float)) > 0
            np.fill_diagonal(d, False)
            return d

        return self._derive("defence_partners", period, compute)

    def allied_pairs(self, period: int) -> BoolArray:
        """Return which pairs of states share a formal alliance in force (read-only)."""
        return self._derive(
            "allied_pairs", period, lambda: pairs_sharing(self.members[self.formal(period)])
        )

    def formal(self, period: int) -> BoolArray:
        """Return which rows are formal alliances in force in a period."""
        return self._derive(
            "formal", period, lambda: self.of_kinds(FORMAL_KINDS) & self.in_force(period)
        )


def pairs_sharing(members: BoolArray) -> BoolArray:
    """Return which pairs of (different) states share a row of ``members``."""
    m = members.astype(float)  # float matmul runs on BLAS
    pairs = (m.T @ m) > 0
    np.fill_diagonal(pairs, False)
    return pairs
