"""Alliance survival: Kaplan-Meier curves and the cumulative incidence of each reason to end."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.analysis.survival import Group
from sim.plots.alliances import reason_words
from sim.plots.common import PALETTE


def survival(groups: list[Group], title: str, styles: dict[str, str] | None = None) -> Figure:
    """Kaplan-Meier curves with 95% bands, censored spells as ticks; medians in the legend.

    Args:
        groups: the curves.
        title: the figure's title.
        styles: a line style by group name (``"--"`` for the historical curves of a
            comparison, say), so that curves differ by more than colour; solid otherwise.
    """
    figure, ax = plt.subplots(figsize=(8, 5))
    for colour, group in zip(PALETTE, groups, strict=False):
        style = (styles or {}).get(group.name, "-")
        _curve(ax, group, colour, style)
        if np.isfinite(group.median):
            ax.axvline(group.median, color=colour, linestyle=":", linewidth=1)
    ax.plot([], [], "|", color="grey", label="still in force (censored)")
    ax.set(
        xlabel="years since the alliance began",
        ylabel="share of alliances still in force",
        title=title,
        ylim=(0, 1.02),
    )
    ax.legend(loc="upper right", fontsize=8)
    ax.grid(alpha=0.3)
    return figure


def _curve(ax: Axes, group: Group, colour: str, style: str) -> None:
    """Draw one group's curve, its 95% band and a tick at each censored spell."""
    kmf = group.fitter
    curve = kmf.survival_function_.iloc[:, 0]
    label = (
        f"{group.name} (n={group.n}; median {_years(group.median)}, "
        f"95% CI {_years(group.lower)}-{_years(group.upper)})"
    )
    ax.step(curve.index.to_numpy(), curve, where="post", color=colour, linestyle=style, label=label)
    band = kmf.confidence_interval_
    ax.fill_between(
        band.index.to_numpy(),
        band.iloc[:, 0],
        band.iloc[:, 1],
        step="post",
        color=colour,
        alpha=0.2,
    )
    table = kmf.event_table
    censored = table.index[table["censored"] > 0].to_numpy()
    ax.plot(censored, kmf.survival_function_at_times(censored), "|", color=colour, markersize=5)


def _years(value: float) -> str:
    return f"{value:.1f} y" if np.isfinite(value) else "not reached"


def incidence(curves: dict[str, pd.DataFrame], title: str) -> Figure:
    """Cumulative incidence of each reason an alliance ended (competing risks)."""
    figure, ax = plt.subplots(figsize=(8, 5))
    for colour, (reason, curve) in zip(PALETTE, curves.items(), strict=False):
        label = reason_words(reason)
        ax.step(curve.index.to_numpy(), curve.iloc[:, 0], where="post", color=colour, label=label)
    ax.set(
        xlabel="years since the alliance began",
        ylabel="cumulative share ended, by reason",
        title=title,
        ylim=(0, 1.02),
    )
    ax.legend(title="reason it ended", fontsize=8)
    ax.grid(alpha=0.3)
    return figure
