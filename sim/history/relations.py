"""Relations between states, year by year, from what the packaged data hold.

Each year's relation of two states is the similarity of their alliance portfolios less their
rivalry, in -1..1 (:class:`~sim.model.rivalry.DataRelations` combines them each year):

* similarity: the overlap of the two states' sets of allies in ATOP v4.01 (each set counting
  the state itself), in force as the moment opens (signed before it, not known to have
  ended before it): 1 for two states allied with each
  other and no one else, 0 for two states with no ally in common. This is the spirit of
  Signorino & Ritter's (1999) S, as a Jaccard overlap so that two unallied states do not
  count as alike (S rates them close, as their empty portfolios agree);
* rivalry: the wars the pair fought on opposite sides (the war list), each from the day the
  pair first fought, counting 1 while it runs and then halving every ``rivalry_half_life``
  years after it ended (a parameter), capped at 1 (rivals are pairs with a history of wars
  between them: Goertz & Diehl 1993).

Everything is read as of a moment, day by day (:func:`relations_on`): a year of the open world
is read as of its first day, a back-test case as of the morning of its attack. Nothing dated
on or after the moment is read.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np

from sim.history import obligations
from sim.history.cow import kept_on_disk
from sim.history.wars import AGAINST, attacks, belligerence
from sim.model.rivalry import DAYS_PER_YEAR, DataRelations, combine, rivalry_on


def data_relations(codes: tuple[int, ...], years: np.ndarray) -> DataRelations:
    """Return each year's portfolio similarity and the wars fought, over ``codes``.

    Each year is read as of its first day (:func:`relations_on`).
    """
    at = {c: i for i, c in enumerate(codes)}
    incidence = _Incidence.of(at)
    moments = np.array([dt.date(int(y), 1, 1).toordinal() for y in years], dtype=np.int64)
    similarity = np.zeros((len(years), len(codes), len(codes)), dtype=np.float32)
    for t, day in enumerate(moments.tolist()):
        similarity[t] = incidence.similarity(day)
    return DataRelations(similarity, war_spells(codes), moments)


def relations_on(codes: tuple[int, ...], day: dt.date, half_life_years: float) -> np.ndarray:
    """Return the relations of every pair of ``codes`` as known on the morning of ``day``.

    The same reading as each year of :func:`data_relations`, on any day: portfolio similarity
    of the alliances in force then, less the rivalry of the wars begun before it.
    """
    moment = day.toordinal()
    similarity = _incidence(codes).similarity(moment).astype(np.float32)
    rivalry = rivalry_on(war_spells(codes), moment, half_life_years * DAYS_PER_YEAR, len(codes))
    return combine(similarity, rivalry)


def war_spells(codes: tuple[int, ...]) -> np.ndarray:
    """Return (a, b, first day, last day) as array indices and ordinals, for ``codes``."""
    at = {c: i for i, c in enumerate(codes)}
    found = [(at[x], at[y], a, b) for x, y, a, b in _all_spells() if x in at and y in at]
    return np.array(found, dtype=np.int64).reshape(-1, 4)


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

    def similarity(self, day: int) -> np.ndarray:
        """Return the Jaccard overlap of every pair's sets of allies (each with itself).

        The alliances are those in force as ``day`` (an ordinal) opens: entered before it and
        not known to have ended before it. Only states with an ally then can overlap with
        another; the rest stay at 0.
        """
        live = (self.entry < day) & (self.exit >= day)
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
def _incidence(codes: tuple[int, ...]) -> _Incidence:
    return _Incidence.of({c: i for i, c in enumerate(codes)})


@kept_on_disk
def _all_spells() -> tuple[tuple[int, int, int, int], ...]:
    """Return (a, b, first day, last day) for every pair that fought on opposite sides.

    Days are ordinals: the first day the pair fought, and the earlier of the two states'
    last days in the war.
    """
    found = []
    for war in sorted({a.war for a in attacks()}):
        b = belligerence(war)
        for (x, y, relation), day in b.pairs.items():
            if relation == AGAINST:
                last = max(min(b.exit.get(x, day), b.exit.get(y, day)), day)
                found.append((x, y, day.toordinal(), last.toordinal()))
    return tuple(found)
