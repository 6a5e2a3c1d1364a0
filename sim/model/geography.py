"""Distances on the globe, as arrays."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

EARTH_RADIUS_KM = 6371.0088


def haversine_km(
    lat1: NDArray[np.float64],
    lng1: NDArray[np.float64],
    lat2: NDArray[np.float64],
    lng2: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Return great-circle distances in km between every point of set 1 and of set 2.

    Example:
        >>> import numpy as np
        >>> round(float(haversine_km(np.array([0.0]), np.array([0.0]),
        ...                          np.array([0.0]), np.array([1.0]))[0, 0]), 1)
        111.2
    """
    p1, p2 = np.radians(lat1)[:, None], np.radians(lat2)[None, :]
    dlat = p2 - p1
    dlng = np.radians(lng2)[None, :] - np.radians(lng1)[:, None]
    h = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlng / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def nearness(km: NDArray[np.float64], reach_km: float) -> NDArray[np.float64]:
    """Return how near a distance counts: 1 next door, 1/2 at ``reach_km``, falling beyond."""
    near: NDArray[np.float64] = 1.0 / (1.0 + km / reach_km)
    return near
