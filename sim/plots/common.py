"""What every figure shares: the palette, and a figure as PNG and SVG, in files or in bytes."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from sim.model.params import SPECS
from sim.results.files import write_atomic

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
"""Okabe & Ito (2008), safe for the common kinds of colour blindness."""


def save(figure: Figure, stem: Path) -> list[Path]:
    """Write a figure as ``stem.png`` and ``stem.svg`` (each atomically) and close it."""
    paths = []
    for kind in ("png", "svg"):
        path = stem.with_suffix(f".{kind}")
        write_atomic(path, _writer(figure, kind))
        paths.append(path)
    plt.close(figure)
    return paths


def encode(figure: Figure, kind: str, dpi: int = 150) -> bytes:
    """Return a figure as the bytes of a ``png`` or ``svg`` file (at :func:`save`'s dpi)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format=kind, dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def close(figure: Figure) -> None:
    """Release a figure that pyplot keeps (its bytes can still be drawn with :func:`encode`)."""
    plt.close(figure)


def _writer(figure: Figure, kind: str) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        figure.savefig(tmp, format=kind, dpi=150, bbox_inches="tight")

    return write


def parameter_label(name: str, width: int = 55) -> str:
    """Return an axis label for a parameter: its name, meaning and unit, wrapped."""
    spec = SPECS.get(name)
    if spec is None:
        return name
    return textwrap.fill(f"{name}: {spec.meaning} ({spec.unit})", width)


_AROUND = (
    (5, 4, "left", "bottom"),
    (5, -4, "left", "top"),
    (-5, 4, "right", "bottom"),
    (-5, -4, "right", "top"),
    (0, 8, "center", "bottom"),
    (0, -8, "center", "top"),
    (12, 0, "left", "center"),
    (-12, 0, "right", "center"),
)
"""Where a label may stand beside its point (offset in points, alignment), in order of taste."""


def place_labels(
    ax: Axes, points: Sequence[tuple[float, float]], texts: Sequence[str], **style: Any
) -> list[Text]:
    """Label points so that the labels overlap each other as little as possible.

    Each label takes the first place around its point (:data:`_AROUND`) that overlaps no
    label placed before it, or else the place that overlaps least. Set the axes' limits first.
    """
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    placed: list[Bbox] = []
    labels = []
    for point, text in zip(points, texts, strict=True):
        label = _best_place(ax, renderer, point, text, placed, style)
        placed.append(label.get_window_extent(renderer).padded(1))
        labels.append(label)
    return labels


def _best_place(
    ax: Axes,
    renderer: Any,
    point: tuple[float, float],
    text: str,
    placed: list[Bbox],
    style: dict[str, Any],
) -> Text:
    """Return the label, at the first free place around its point or the least crowded."""
    best: tuple[float, Text] | None = None
    for dx, dy, ha, va in _AROUND:
        offset: dict[str, Any] = {"xytext": (dx, dy), "textcoords": "offset points"}
        label = ax.annotate(text, point, ha=ha, va=va, **offset, **style)
        box = label.get_window_extent(renderer).padded(1)
        overlap = sum(_area(box, other) for other in placed)
        if best is not None and overlap >= best[0]:
            label.remove()
            continue
        if best is not None:
            best[1].remove()
        best = (overlap, label)
        if overlap == 0:
            break
    assert best is not None
    return best[1]


def _area(a: Bbox, b: Bbox) -> float:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    return max(width, 0.0) * max(height, 0.0)
