"""Parameter studies: a two-parameter sweep, a calibration's trials, indices as bars."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.plots.common import PALETTE


def heatmap(table: pd.DataFrame, x: str, y: str, metric: str, title: str) -> Figure:
    """A two-parameter sweep, coloured by one measured quantity."""
    grid = table.pivot_table(index=y, columns=x, values=metric, aggfunc="mean")
    figure, ax = plt.subplots(figsize=(7, 5.5))
    image = ax.imshow(
        grid.to_numpy(),
        origin="lower",
        aspect="auto",
        cmap="cividis",
        extent=(
            float(grid.columns.min()),
            float(grid.columns.max()),
            float(grid.index.min()),
            float(grid.index.max()),
        ),
    )
    figure.colorbar(image, ax=ax, label=metric)
    ax.set(xlabel=f"{x} (parameter)", ylabel=f"{y} (parameter)", title=title)
    return figure


def optimisation_history(losses: list[float], title: str) -> Figure:
    """The loss of every calibration trial and the best so far."""
    figure, ax = plt.subplots(figsize=(8, 4.5))
    trials = np.arange(1, len(losses) + 1)
    ax.plot(trials, losses, "o", color=PALETTE[0], label="trial")
    ax.step(
        trials, np.minimum.accumulate(losses), where="post", color=PALETTE[3], label="best so far"
    )
    ax.set(xlabel="trial", ylabel="mean Brier score over history (lower is better)", title=title)
    ax.legend()
    ax.grid(alpha=0.3)
    return figure


def bars(values: pd.Series, errors: pd.Series | None, label: str, title: str) -> Figure:
    """Horizontal bars with optional 95% intervals: parameter importances, Sobol indices."""
    figure, ax = plt.subplots(figsize=(8, 1.5 + 0.4 * len(values)))
    ax.barh(
        values.index.astype(str),
        values.to_numpy(),
        color=PALETTE[0],
        xerr=None if errors is None else errors.to_numpy(),
        capsize=3,
        label=label,
    )
    ax.set(xlabel=label, ylabel="parameter", title=title)
    ax.legend()
    ax.invert_yaxis()
    return figure
