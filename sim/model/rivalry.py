"""Relations the data give, period by period: alliance ties less the rivalry past wars leave.

The open world reads two things from the data (:mod:`sim.history.relations`): how alike two
states' alliance portfolios are in each period, and the wars each pair fought on opposite
sides. How long a war's enmity lasts after the peace is the model's own parameter
(``rivalry_half_life``), so that calibration can weigh it: each war counts 1 while it runs,
then halves every half-life (rivals are pairs with a history of wars between them: Goertz &
Diehl 1993; how fast that history fades is for the record to say).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class DataRelations:
    """Each period's portfolio similarity and the wars fought, as the data give them."""

    similarity: NDArray[np.float32]  # (periods, states, states), symmetric, 0..1
    spells: NDArray[np.int64]  # (wars, 4): state a, state b, first period, last period

    def at(self, period: int, half_life: float) -> FloatArray:
        """Return the relations of a period in -1..1: similarity less rivalry.

        ``half_life`` is in periods. The result is rounded to float32, as the data are.
        """
        relation = self.similarity[period].astype(np.float64) - self.rivalry(period, half_life)
        np.fill_diagonal(relation, 0.0)
        return np.clip(relation, -1.0, 1.0).astype(np.float32).astype(np.float64)

    def rivalry(self, period: int, half_life: float) -> FloatArray:
        """Return every pair's rivalry in a period: its wars so far, fading after they end.

        A war counts 1 while it runs and halves every ``half_life`` periods after its last;
        a war not yet begun counts nothing, so no period reads a later one. Capped at 1.
        """
        a, b, first, last = self.spells.T
        begun = first <= period
        after = np.maximum(period - last[begun], 0)
        weight = 0.5 ** (after / half_life)
        n = self.similarity.shape[1]
        rivalry = np.zeros((n, n))
        np.add.at(rivalry, (a[begun], b[begun]), weight)
        np.add.at(rivalry, (b[begun], a[begun]), weight)
        return np.minimum(rivalry, 1.0)
