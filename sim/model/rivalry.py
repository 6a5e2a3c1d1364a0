"""Relations the data give, period by period: alliance ties less the rivalry past wars leave.

The open world reads two things from the data (:mod:`sim.history.relations`): how alike two
states' alliance portfolios are as each period opens, and the wars each pair fought on
opposite sides, each with the day it began and the day it ended. How long a war's enmity lasts
after the peace is the model's own parameter (``rivalry_half_life``), so that calibration can
weigh it: each war counts 1 while it runs, then halves every half-life (rivals are pairs with
a history of wars between them: Goertz & Diehl 1993; how fast that history fades is for the
record to say).

Everything is read as of a moment: a war counts only if it began before it, and a war not
known to have ended by then counts as running (its end is still in the future).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class DataRelations:
    """Each period's portfolio similarity and the wars fought, as the data give them."""

    similarity: NDArray[np.float32]  # (periods, states, states), symmetric, 0..1
    spells: NDArray[np.int64]  # (wars, 4): state a, state b, first day, last day (ordinals)
    moments: NDArray[np.int64]  # (periods,): each period's first day (ordinal)
    period_days: float = DAYS_PER_YEAR  # days in a period

    def at(self, period: int, half_life: float) -> FloatArray:
        """Return the relations of a period in -1..1: similarity less rivalry.

        ``half_life`` is in periods. The result is rounded to float32, as the data are.
        """
        return combine(self.similarity[period], self.rivalry(period, half_life))

    def rivalry(self, period: int, half_life: float) -> FloatArray:
        """Return every pair's rivalry as a period opens (``half_life`` in periods)."""
        return rivalry_on(
            self.spells,
            int(self.moments[period]),
            half_life * self.period_days,
            self.similarity.shape[1],
        )


def combine(similarity: NDArray[np.float32], rivalry: FloatArray) -> FloatArray:
    """Return relations in -1..1: portfolio similarity less rivalry, rounded as the data are."""
    relation = similarity.astype(np.float64) - rivalry
    np.fill_diagonal(relation, 0.0)
    return np.clip(relation, -1.0, 1.0).astype(np.float32).astype(np.float64)


def rivalry_on(spells: NDArray[np.int64], day: int, half_life_days: float, n: int) -> FloatArray:
    """Return every pair's rivalry as known on the morning of ``day`` (an ordinal).

    A war counts only if it began before ``day``. It counts 1 while it runs (or while its end
    lies on or after ``day``, not yet known) and halves every ``half_life_days`` after its
    last day. Capped at 1.
    """
    a, b, first, last = spells.T
    begun = first < day
    after = np.maximum(day - 1 - last[begun], 0)
    weight = 0.5 ** (after / half_life_days)
    rivalry = np.zeros((n, n))
    np.add.at(rivalry, (a[begun], b[begun]), weight)
    np.add.at(rivalry, (b[begun], a[begun]), weight)
    return np.minimum(rivalry, 1.0)
