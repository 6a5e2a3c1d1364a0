"""Relations between states, year by year, from what the packaged data hold.

Each year's relation of two states is the similarity of their alliance portfolios less their
rivalry, in -1..1 (:class:`~sim.model.rivalry.DataRelations` combines them each year):

* similarity: the overlap of the two states' sets of allies in ATOP v4.01 (each set counting
  the state itself), in force in the middle of the year: 1 for two states allied with each
  other and no one else, 0 for two states with no ally in common. This is the spirit of
  Signorino & Ritter's (1999) S, as a Jaccard overlap so that two unallied states do not
  count as alike (S rates them close, as their empty portfolios agree);
* rivalry: the wars the pair fought on opposite sides (the war list), each counting 1 while
  it runs and then halving every ``rivalry_half_life`` years after it ended (a parameter),
  capped at 1 (rivals are pairs with a history of wars between them: Goertz & Diehl 1993).

Nothing of a later year is read for an earlier one.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np

from sim.history import obligations
from sim.history.wars import AGAINST, attacks, belligerence
from sim.model.rivalry import DataRelations


def data_relations(codes: tuple[int, ...], years: np.ndarray) -> DataRelations:
    """Return each year's portfolio similarity and the wars fought, over ``codes``.

    Periods are the years' positions: a war's first and last periods are its years less the
    first of ``years``.
    """
    at = {c: i for i, c in enumerate(codes)}
    incidence = _Incidence.of(at)
    similarity = np.zeros((len(years), len(codes), len(codes)), dtype=np.float32)
    for t, year in enumerate(years.tolist()):
        similarity[t] = incidence.similarity(int(year))
    spells = np.array(_war_spells(at), dtype=np.int64).reshape(-1, 4)
    spells[:, 2:] -= int(years[0])
    return DataRelations(similarity, spells)


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
