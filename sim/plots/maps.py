"""A plain map to draw on: today's coastlines (Natural Earth 1:110m land), sea and land shaded.

The coastlines come from the package's copy of Natural Earth's land polygons
(``sim/datasets/natural_earth_110m_land.geojson``; public domain, see ``SOURCES.md``). The
projection is equirectangular with the aspect of the map's middle latitude, which keeps
shapes fair over the regions a scenario spans; the map has no borders, so it suits any year.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import PathPatch
from matplotlib.path import Path as DrawnPath
from matplotlib.ticker import FuncFormatter

from sim.history.cow import DATASETS

LAND = DATASETS / "natural_earth_110m_land.geojson"
"""Natural Earth 1:110m land polygons (longitude, latitude; WGS84)."""
SEA_COLOUR, LAND_COLOUR, COAST_COLOUR = "#eef4f8", "#f4f1ea", "#b9b3a8"
MIN_SPAN = (40.0, 24.0)
"""The smallest map, in degrees of longitude and latitude, so that a small region has context."""


@cache
def land() -> tuple[DrawnPath, ...]:
    """Return each land polygon, with its holes (inland seas), as a drawable path."""
    features = json.loads(LAND.read_text(encoding="utf-8"))["features"]
    return tuple(_path(f["geometry"]["coordinates"]) for f in features)


def _path(rings: list[list[list[float]]]) -> DrawnPath:
    """Return a polygon's rings as one path, so that the holes stay open."""
    vertices, codes = [], []
    for ring in rings:
        vertices += [*ring, ring[0]]
        codes += [DrawnPath.MOVETO] + [DrawnPath.LINETO] * (len(ring) - 1) + [DrawnPath.CLOSEPOLY]
    return DrawnPath(np.asarray(vertices, dtype=float), codes)


def extent(
    lngs: Sequence[float], lats: Sequence[float], pad: float = 0.12
) -> tuple[float, float, float, float]:
    """Return the map's bounds (west, east, south, north) around points.

    The bounds are padded, widened or heightened to a shape between 1.2:1 and 2:1 as drawn
    (so that a row of capitals still gets a map around it), and kept on the globe.
    """
    west, east, south, north = min(lngs), max(lngs), min(lats), max(lats)
    width = max(east - west, MIN_SPAN[0]) * (1 + 2 * pad)
    height = max(north - south, MIN_SPAN[1]) * (1 + 2 * pad)
    squeeze = np.cos(np.radians((south + north) / 2))  # a degree of longitude, drawn
    height = max(height, width * squeeze / 2.0)
    width = max(width, height * 1.2 / squeeze)
    x, y = (west + east) / 2, (south + north) / 2
    x = min(max(x, -180 + width / 2), 180 - width / 2)
    y = min(max(y, -85 + height / 2), 85 - height / 2)
    return (
        max(x - width / 2, -180.0),
        min(x + width / 2, 180.0),
        max(y - height / 2, -85.0),
        min(y + height / 2, 85.0),
    )


def basemap(ax: Axes, bounds: tuple[float, float, float, float]) -> None:
    """Draw sea, land and coastlines within ``bounds``, with degrees on the axes."""
    west, east, south, north = bounds
    ax.set_facecolor(SEA_COLOUR)
    for path in land():
        patch = PathPatch(path, facecolor=LAND_COLOUR, edgecolor=COAST_COLOUR, linewidth=0.5)
        patch.set_zorder(0)
        ax.add_patch(patch)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / np.cos(np.radians((south + north) / 2)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _degrees(v, "E", "W")))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _degrees(v, "N", "S")))
    ax.tick_params(labelsize=7, color="#888888", labelcolor="#666666")
    ax.text(
        0.005,
        0.005,
        "Made with Natural Earth",
        transform=ax.transAxes,
        fontsize=6,
        color="#888888",
        va="bottom",
    )


def _degrees(value: float, positive: str, negative: str) -> str:
    if value == 0:
        return "0°"
    return f"{abs(value):g}°{positive if value > 0 else negative}"
