"""What every figure shares: the palette, and a figure as PNG and SVG, in files or in bytes."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

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
