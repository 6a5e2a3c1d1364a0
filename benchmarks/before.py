"""The hot spots as they were before profiling, kept to time the fixes in the same run.

Each function gives the same results as the one that replaced it (the benchmark checks
that before timing); it is slower in the way the profile showed.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components


def common_threats(
    felt: NDArray[np.float64], floor: float, among: NDArray[np.bool_]
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Common threats outsider by outsider, over every pair it threatens (a Python loop)."""
    n = felt.shape[0]
    common, enemy = np.zeros((n, n)), np.zeros((n, n), dtype=np.int64)
    counts = felt >= max(floor, np.finfo(float).tiny)
    for x in np.flatnonzero(counts.sum(axis=0) >= 2):
        threatened = np.flatnonzero(counts[:, x])
        block = np.ix_(threatened, threatened)
        both = np.minimum.outer(felt[threatened, x], felt[threatened, x])
        better = both > common[block]
        common[block] = np.where(better, both, common[block])
        enemy[block] = np.where(better, x, enemy[block])
    keep = among & ~np.eye(n, dtype=bool)
    return np.where(keep, common, 0.0), np.where(keep, enemy, 0)


def poles(members: NDArray[np.bool_], power: NDArray[np.float64], share: float) -> list[list[int]]:
    """The system's poles with a Python loop over every bloc."""
    if len(members) == 0:
        label = np.arange(len(power))
    else:
        linked = (members.T.astype(float) @ members.astype(float)) > 0
        _, label = connected_components(csr_matrix(linked), directed=False)
    total = power.sum()
    blocs = [np.flatnonzero(label == root) for root in np.unique(label)]
    strong = [b for b in blocs if power[b].sum() >= share * total]
    return [b.tolist() for b in sorted(strong, key=lambda b: -power[b].sum())]
