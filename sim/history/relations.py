"""Relations between states, year by year, from what the packaged data hold.

Each year's relation of two states is the similarity of their alliance portfolios less their
rivalry, in -1..1:

* similarity: the overlap of the two states' sets of allies in ATOP v4.01 (each set counting
  the state itself), in force in the middle of the year: 1 for two states allied with each
  other and no one else, 0 for two states with no ally in common. This is the spirit of
  Signorino & Ritter's (1999) S, as a Jaccard overlap so that two unallied states do not
  count as alike (S rates them close, as their empty portfolios agree);
* rivalry: the wars the pair fought on opposite sides (the war list), each counting 1 while
  it runs and then halving every ``RIVALRY_HALF_LIFE`` years after it ended, capped at 1
  (rivals are pairs with a history of wars between them: Goertz & Diehl 1993).

Nothing of a later year is read for an earlier one.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np

from sim.history import obligations
from sim.history.wars import AGAINST, attacks, belligerence

RIVALRY_HALF_LIFE = 20.0
"""Years for a past war's weight in a pair's rivalry to halve."""


def relations_table(codes: tuple[int, ...], years: np.ndarray) -> np.ndarray:
    """Return (years, states, states) relations, float32, symmetric, zero on the diagonal."""
    table = np.zeros((len(years), len(codes), len(codes)), dtype=np.float32)
    at = {c: i for i, c in enumerate(codes)}
    spells, incidence = _war_spells(at), _Incidence.of(at)
    for t, year in enumerate(years.tolist()):
        similarity = incidence.similarity(int(year))
        relation = similarity - _rivalry(spells, len(codes), int(year))
        np.fill_diagonal(relation, 0.0)
        table[t] = np.clip(relation, -1.0, 1.0)
    return table


class _Incidence:
    """ATOP's member spells as arrays: which alliance, which state, from when to when."""

    def __init__(
        self, alliance: np.ndarray, state: np.ndarray, entry: np.ndarray, exit_: np.ndarray, n: int
    ) -> None:
        self.alliance, self.state, self.entry, self.exit, self.n = alliance, state, entry, exit_, n

    @classmethod
    def of(cls, at: dict[int, int]) -> _Incidence:
        m = obligations.members()
        known = m["member"].isin(list(at))
        m = m[known]
        alliances = {a: i for i, a in enumerate(sorted(m["atopid"].unique().tolist()))}
        return cls(
            np.array([alliances[a] for a in m["atopid"]], dtype=np.int64),
            np.array([at[c] for c in m["member"].astype(int)], dtype=np.int64),
            np.array([d.toordinal() for d in m["entry"]]),
            np.array([d.toordinal() for d in m["exit"]]),
            len(at),
        )

    def similarity(self, year: int) -> np.ndarray:
        """Return the Jaccard overlap of every pair's sets of allies (each with itself).

        Only states with an ally that year can overlap with another; the rest stay at 0.
        """
        mid = dt.date(year, 7, 1).toordinal()
        live = (self.entry <= mid) & (self.exit >= mid)
        allied, column = np.unique(self.state[live], return_inverse=True)
        row = np.unique(self.alliance[live], return_inverse=True)[1]
        a = np.zeros((int(row.max(initial=-1)) + 1, len(allied)), dtype=np.float32)
        a[row, column] = 1.0
        ties = ((a.T @ a) > 0).astype(np.float32)
        np.fill_diagonal(ties, 1.0)
        shared = ties @ ties
        sizes = ties.sum(axis=1)
        found = np.zeros((self.n, self.n))
        found[np.ix_(allied, allied)] = shared / (sizes[:, None] + sizes[None, :] - shared)
        return found


@cache
def _all_spells() -> tuple[tuple[int, int, int, int], ...]:
    """Return (a, b, first year, last year) for every pair that fought on opposite sides."""
    found = []
    for war in sorted({a.war for a in attacks()}):
        b = belligerence(war)
        for (x, y, relation), day in b.pairs.items():
            if relation == AGAINST:
                last = min(b.exit.get(x, day), b.exit.get(y, day))
                found.append((x, y, day.year, max(last.year, day.year)))
    return tuple(found)


def _war_spells(at: dict[int, int]) -> list[tuple[int, int, int, int]]:
    return [(at[x], at[y], a, b) for x, y, a, b in _all_spells() if x in at and y in at]


def _rivalry(spells: list[tuple[int, int, int, int]], n: int, year: int) -> np.ndarray:
    """Return every pair's rivalry in a year: its wars so far, fading after they end."""
    rivalry = np.zeros((n, n))
    for i, j, first, last in spells:
        if first > year:
            continue
        weight = 1.0 if year <= last else 0.5 ** ((year - last) / RIVALRY_HALF_LIFE)
        rivalry[i, j] += weight
        rivalry[j, i] += weight
    return np.minimum(rivalry, 1.0)
