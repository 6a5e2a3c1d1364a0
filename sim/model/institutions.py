"""Institutions and the coalitions they mobilise: transaction costs (P9) and sanctions (P10).

Pure functions over arrays.

* :func:`membership_value` — what an institution is worth to each member: the cost of the
  bilateral bargains it saves, less the voice a strong member gives up by voting as an equal.
  A great power stays in an institution with far weaker states when the saving is larger
  (P9). Membership carries no duty to fight: institutions are never called in a war.
  :func:`weigh` says who stays, who leaves, and which institutions are left too small.
* :func:`sanction_loss` — the share of its power a target loses to sanctions: the imposing
  coalition's weight against it, times its vulnerability, which falls with its size. Weak
  targets are crippled, strong ones inconvenienced (P10).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from sim.model.params import Params

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def membership_value(members: BoolArray, power: FloatArray, params: Params) -> FloatArray:
    """Return the value of institutions to each state (0 for non-members).

    Args:
        members: which states belong to the institution; or a row per institution.
        power: effective power of every state.
        params: ``transaction_saving`` (per partner) and ``voice_cost``.
    """
    m = members.sum(axis=-1, keepdims=True)
    held = np.where(members, power, 0.0)
    share = held / np.maximum(held.sum(axis=-1, keepdims=True), 1e-12)
    saving = params.transaction_saving * (m - 1)
    voice = params.voice_cost * np.clip(share - 1.0 / np.maximum(m, 1), 0.0, None)
    return np.where(members, saving - voice, 0.0)


class Weighing(NamedTuple):
    """Institutions (rows) weighed by their members: a record per (institution, member)."""

    row: NDArray[np.int64]  # per membership: the institution
    state: NDArray[np.int64]  # ... the member
    value: FloatArray  # ... what the institution is worth to it
    stays: BoolArray  # ... whether it stays (value >= 0)
    leaving: NDArray[np.int64]  # institutions that some members leave
    leavers: BoolArray  # (institutions, n): who leaves
    lapsing: NDArray[np.int64]  # institutions left with fewer than two members


def weigh(members: BoolArray, power: FloatArray, params: Params) -> Weighing:
    """Return how the members of institutions (rows of ``members``) weigh them (P9)."""
    value = membership_value(members, power, params)
    row, state = np.nonzero(members)
    leavers = value < 0.0
    return Weighing(
        row=row,
        state=state,
        value=value[row, state],
        stays=value[row, state] >= 0.0,
        leaving=np.flatnonzero(leavers.any(axis=1)),
        leavers=leavers,
        lapsing=np.flatnonzero((members & ~leavers).sum(axis=1) < 2),
    )


def sanction_loss(
    imposers: BoolArray, target: int, power: FloatArray, cinc: FloatArray, params: Params
) -> float:
    """Return the share of its power a target loses to sanctions by a coalition.

    The loss is ``sanction_bite x coalition / (coalition + target) x vulnerability`` where
    vulnerability ``= 1 / (1 + target CINC / sanction_resilience)``: a large economy trades
    more within itself and has more partners to turn to.
    """
    coalition = float(power[imposers].sum())
    weight = coalition / (coalition + float(power[target]))
    vulnerability = 1.0 / (1.0 + float(cinc[target]) / params.sanction_resilience)
    return params.sanction_bite * weight * vulnerability


def hedge(relations: FloatArray, power: FloatArray, params: Params, years: float) -> FloatArray:
    """Return relations after small states hedge between the great powers that court them (P12).

    A state is courted by a stronger state (``asymmetry_ratio`` times its power or more) with
    which it has good relations. A state courted by two or more moves its relations with
    each of them towards their mean at ``hedging_rate`` per year: it avoids siding strongly
    with any one.
    """
    stronger = power[None, :] >= params.asymmetry_ratio * power[:, None]
    courting = stronger & (relations > 0.0)
    hedgers = courting.sum(axis=1) >= 2
    if not hedgers.any():
        return relations
    mean = np.where(courting, relations, 0.0).sum(axis=1) / np.maximum(courting.sum(axis=1), 1)
    step = 1.0 - (1.0 - params.hedging_rate) ** years
    moved = relations + step * (mean[:, None] - relations)
    change = courting & hedgers[:, None]
    out = np.where(change, moved, relations)
    return np.where(change.T, out.T, out)  # relations stay symmetric


def alignment_gap(relations: FloatArray, power: FloatArray, params: Params) -> FloatArray:
    """Return, for each state, how much closer it is to its closest patron than to the next.

    0 means it stands equally close to the great powers that court it (full hedging); the gap
    is 0 too for a state courted by fewer than two.
    """
    stronger = power[None, :] >= params.asymmetry_ratio * power[:, None]
    courting = stronger & (relations > 0.0)
    courted = np.where(courting, relations, 0.0)
    if courted.shape[1] < 2:
        return np.zeros(len(courted))
    top2 = -np.partition(-courted, 1, axis=1)[:, :2]  # the two largest, largest first
    return np.where(courting.sum(axis=1) >= 2, top2[:, 0] - top2[:, 1], 0.0)
