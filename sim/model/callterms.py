"""The terms of the commitments' book as arrays, a row per commitment: what each call checks.

:class:`sim.model.calls.Summons` reads them to decide which rows apply on a front (ATOP's
codes, and the terms a historian meets beyond them), and :func:`strongest` what each guarantor
owes.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from sim.model.world import Commitments

BoolArray = NDArray[np.bool_]


class Terms(NamedTuple):
    """The conditions of every row of the book (rows formed in a run have none)."""

    offensive: BoolArray
    against: BoolArray
    against_allies_of: BoolArray
    unprovoked: BoolArray
    min_attackers: NDArray[np.int64]
    conflict: NDArray[np.object_]
    min_majors: NDArray[np.int64]
    after: BoolArray


def terms_of(c: Commitments, rows: int) -> Terms:
    """Return the scenario's terms for ``rows`` rows (at least the scenario's own)."""
    extra, n = max(rows - len(c.ids), 0), c.members.shape[1]
    return Terms(
        offensive=np.concatenate([c.offensive, np.zeros(extra, dtype=bool)]),
        against=np.vstack([c.against, np.ones((extra, n), dtype=bool)]),
        against_allies_of=np.vstack([c.against_allies_of, np.zeros((extra, n), dtype=bool)]),
        unprovoked=np.concatenate([c.unprovoked, np.zeros(extra, dtype=bool)]),
        min_attackers=np.concatenate([c.min_attackers, np.ones(extra, dtype=np.int64)]),
        conflict=np.array([*c.conflict, *([""] * extra)], dtype=object),
        min_majors=np.concatenate([c.min_majors, np.zeros(extra, dtype=np.int64)]),
        after=np.vstack([c.after, np.zeros((extra, n), dtype=bool)]),
    )


def strongest(covering: BoolArray, bound: BoolArray, duty: NDArray[np.int64]) -> NDArray[np.int64]:
    """Return each state's duty: the strongest that applies, else the strongest that binds it."""
    applying = np.where(covering, duty, -1).max(axis=0, initial=-1)
    binding = np.where(bound, duty, -1).max(axis=0, initial=-1)
    return np.where(covering.any(axis=0), applying, binding)
