"""Who is asked when no commitment binds: a state whose own stakes reach ``interest_floor``.

:class:`sim.model.calls.Summons` screens every living state not bound to an attacked partner
with :func:`screen`; :mod:`sim.results.reweigh` screens the recorded candidates again under
other weights.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.model.decide import STAKES, signed_weights
from sim.model.params import Params

BoolArray = NDArray[np.bool_]
FloatArray = NDArray[np.float64]


def screen(stake_values: FloatArray, params: Params) -> BoolArray:
    """Return which candidates are asked: their stakes, weighed, reach ``interest_floor``.

    ``stake_values`` holds the values of the kernel's stake factors (candidates, stakes).
    """
    weights = signed_weights(params)[STAKES]
    return np.asarray((stake_values * weights).sum(axis=1) >= params.interest_floor)
