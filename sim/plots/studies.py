"""Parameter studies: a sweep over two parameters, a calibration's trials, sensitivity indices."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sim.plots.common import PALETTE, parameter_label, place_labels

METRIC_WORDS = {
    "p_honour": "P(honour)",
    "fought": "share of runs in which it fought",
    "ended": "share of runs in which it ended",
    "mean": "mean over runs and states",
}
"""What the first part of a sweep's measured quantity (``p_honour:war:G:P``) means."""


def metric_label(metric: str) -> str:
    """Return a sweep's measured quantity in words: ``P(honour): RUS for ARM (offensive_2020)``.

    A figure of the open world's report (``backtest.pre1945.brier``) is its own name, spaced.
    """
    if ":" not in metric:
        return metric.replace(".", " ").replace("_", " ")
    kind, _, rest = metric.partition(":")
    parts = rest.split(":")
    if kind in ("p_honour", "fought") and len(parts) == 3:
        rest = f"{parts[1]} for {parts[2]} ({parts[0]})"
    return f"{METRIC_WORDS.get(kind, kind)}: {rest.replace('_', ' ')}"


def heatmap(table: pd.DataFrame, x: str, y: str, metric: str) -> Figure:
    """A grid over two parameters: one cell per point, its value written in it."""
    grid = table.pivot_table(index=y, columns=x, values=metric, aggfunc="mean")
    figure, ax = plt.subplots(figsize=(1.6 + 0.75 * grid.shape[1], 1.8 + 0.5 * grid.shape[0]))
    image = ax.imshow(grid.to_numpy(), origin="lower", aspect="auto", cmap="cividis")
    ax.set_xticks(*_ticks(grid.columns))
    ax.set_yticks(*_ticks(grid.index))
    if grid.size <= 150:
        _cell_values(ax, grid.to_numpy(), image.norm)
    figure.colorbar(image, ax=ax, label=metric_label(metric))
    ax.set(
        xlabel=parameter_label(x),
        ylabel=parameter_label(y, 40),
        title=f"{metric_label(metric)}\nover {x} and {y}",
    )
    return figure


def _ticks(values: pd.Index, most: int = 12) -> tuple[list[int], list[str]]:
    """Return the cells to label (at most ``most``, evenly spaced) and their values."""
    step = max(1, -(-len(values) // most))
    cells = list(range(0, len(values), step))
    return cells, [f"{values[c]:.3g}" for c in cells]


def _cell_values(ax: Axes, values: np.ndarray, norm: object) -> None:
    """Write each cell's value in it, dark on light cells and light on dark ones."""
    for (row, column), value in np.ndenumerate(values):
        if np.isfinite(value):
            light = norm(value) > 0.55  # type: ignore[operator]
            colour = "black" if light else "white"
            ax.text(column, row, f"{value:.2f}", ha="center", va="center", fontsize=7, color=colour)


def scatter(table: pd.DataFrame, x: str, y: str, metric: str) -> Figure:
    """Scattered points over two parameters (a Latin hypercube), coloured by the quantity."""
    figure, ax = plt.subplots(figsize=(7, 5.5))
    points = ax.scatter(
        table[x], table[y], c=table[metric], cmap="cividis", s=36, edgecolor="black", linewidth=0.4
    )
    figure.colorbar(points, ax=ax, label=metric_label(metric))
    ax.set(
        xlabel=parameter_label(x),
        ylabel=parameter_label(y, 40),
        title=f"{metric_label(metric)}\nover {x} and {y} ({len(table)} Latin-hypercube points)",
    )
    ax.grid(alpha=0.3)
    return figure


def optimisation_history(losses: list[float], default: float, title: str) -> Figure:
    """The loss of every calibration trial, the best so far, and the defaults' loss."""
    figure, ax = plt.subplots(figsize=(8, 4.5))
    trials = np.arange(1, len(losses) + 1)
    ax.plot(trials, losses, "o", color=PALETTE[0], label="trial")
    best = np.minimum.accumulate(losses)
    reach = np.append(trials, len(losses) + 0.4)  # so that the last level shows
    ax.step(reach, np.append(best, best[-1:]), where="post", color=PALETTE[3], label="best so far")
    ax.axhline(default, color="black", linestyle="--", linewidth=1, label="default parameters")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(xlabel="trial", ylabel="mean Brier score over history (lower is better)", title=title)
    ax.legend()
    ax.grid(alpha=0.3)
    return figure


def bars(values: pd.Series, errors: pd.Series | None, label: str, title: str) -> Figure:
    """Horizontal bars with optional 95% intervals: parameter importances, Morris's mu*."""
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


def sobol(indices: pd.DataFrame, metric: str) -> Figure:
    """First-order (S1) and total (ST) Sobol indices side by side, with 95% intervals."""
    figure, ax = plt.subplots(figsize=(8, 2.2 + 0.6 * len(indices)))
    y = np.arange(len(indices))
    kinds = (
        ("S1", PALETTE[0], "first order (S1): the parameter alone"),
        ("ST", PALETTE[1], "total (ST): alone and with the others"),
    )
    for offset, (column, colour, label) in enumerate(kinds):
        ax.barh(
            y + (offset - 0.5) * 0.38,
            indices[column],
            height=0.38,
            xerr=indices[f"{column}_conf"],
            error_kw={"ecolor": "#444444", "elinewidth": 1, "capsize": 3},
            color=colour,
            label=label,
        )
    ax.set_yticks(y, indices.index.astype(str))
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set(
        xlabel="share of the variance of the quantity (bars: 95% intervals)",
        ylabel="parameter",
        title=f"Sobol sensitivity of {metric_label(metric)}",
    )
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2)
    ax.invert_yaxis()
    return figure


def morris(indices: pd.DataFrame, metric: str) -> Figure:
    """Morris's mu* (mean absolute elementary effect) per parameter, with 95% intervals."""
    return bars(
        indices["mu_star"],
        indices["mu_star_conf"],
        "mu*: mean absolute effect of a step (units of the quantity)",
        f"Morris screening of {metric_label(metric)}",
    )


def morris_plane(indices: pd.DataFrame, metric: str) -> Figure:
    """Morris's mu*-sigma plane: how much a parameter matters, and how non-linearly."""
    figure, ax = plt.subplots(figsize=(7, 5.5))
    ax.scatter(indices["mu_star"], indices["sigma"], color=PALETTE[0], s=40, zorder=3)
    top = float(max(indices["mu_star"].max(), indices["sigma"].max(), 1e-9)) * 1.15
    diagonal = "sigma = mu*: effects depend on the other parameters"
    ax.plot([0, top], [0, top], color="grey", linestyle="--", linewidth=1, label=diagonal)
    ax.set(
        xlim=(0, top),
        ylim=(0, top),
        xlabel="mu*: mean absolute effect (how much it matters)",
        ylabel="sigma: spread of the effects (non-linear or interacting)",
        title=f"Morris screening of {metric_label(metric)}:\nmu* against sigma",
    )
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    points = list(zip(indices["mu_star"], indices["sigma"], strict=True))
    place_labels(ax, points, [str(n) for n in indices.index], fontsize=8)
    return figure
