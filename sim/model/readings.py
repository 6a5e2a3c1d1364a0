"""How a state reads a war it is asked about again: the same, until the situation moves.

A war that asks each period (``calls: every_period``) asks the same states again and
again. Were each period's decision a fresh draw, a monthly P(fight) of 0.2 would become
"fought" in nine runs of ten within a year, whatever the model thinks of the state. Real
decisions are not coin flips repeated monthly: a state that stays out stays out until
something changes. So each call of such a war keeps its first *reading* (the perception
draw, the partner's invocation draw and the uniform draw that settles fight, supply or
stay out) for as long as the call's situation is the same; a call whose situation has
moved (:class:`sim.model.calls.Summons` says what it is) reads it afresh. The figures
between periods (power, relations) still move P: with the same uniform draw, a state fights
once P rises past it, and a state whose P does not move repeats its decision (docs/ODD.md,
3.12).

The model draws every call's reading each period, kept or not, so that the stream of
random numbers, and all that follows from it, does not depend on which readings are kept.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


class Reading(NamedTuple):
    """One call's draws: perception noise, invocation and decision (uniform on [0, 1))."""

    noise: FloatArray
    invoke: FloatArray
    decide: FloatArray


class Readings:
    """The readings kept for the calls that wars ask again, with the situation of each."""

    def __init__(self) -> None:
        self._kept: dict[Hashable, tuple[Hashable, float, float, float]] = {}

    def recall(
        self, keys: Sequence[Hashable | None], situations: Sequence[Hashable], fresh: Reading
    ) -> Reading:
        """Return the period's readings: a call's kept one while its situation holds.

        Args:
            keys: each call's identity across periods (war, guarantor, partner, adversary,
                theatre, side), or None for a call that will not be asked again.
            situations: what each call's decision was made under; a change reads afresh.
            fresh: this period's draws, a value per call.

        Returns:
            The draws to decide with: the kept ones where the situation is unchanged,
            ``fresh`` elsewhere (and kept for the periods to come).
        """
        noise, invoke, decide = (np.array(a, dtype=float) for a in fresh)
        for k, (key, situation) in enumerate(zip(keys, situations, strict=True)):
            if key is None:
                continue
            kept = self._kept.get(key)
            if kept is not None and kept[0] == situation:
                noise[k], invoke[k], decide[k] = kept[1:]
            else:
                self._kept[key] = (situation, noise[k], invoke[k], decide[k])
        return Reading(noise, invoke, decide)
