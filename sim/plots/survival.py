"""Alliance survival: Kaplan-Meier curves and the cumulative incidence of each reason to end."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter
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
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), fontsize=8, ncol=1)  # off the curves
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
    _band(ax, kmf, colour)
    table = kmf.event_table
    censored = table.index[table["censored"] > 0].to_numpy()
    ax.plot(censored, kmf.survival_function_at_times(censored), "|", color=colour, markersize=5)


def _band(ax: Axes, fitter: KaplanMeierFitter, colour: str) -> None:
    """Shade a Kaplan-Meier curve's 95% band."""
    band = fitter.confidence_interval_
    ax.fill_between(
        band.index.to_numpy(),
        band.iloc[:, 0],
        band.iloc[:, 1],
        step="post",
        color=colour,
        alpha=0.2,
    )


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


def survival_by_era(panels: dict[str, list[Group]], title: str) -> Figure:
    """Kaplan-Meier curves with 95% bands, simulated beside real, one panel per era."""
    figure, axes = plt.subplots(1, len(panels), figsize=(6 * len(panels), 4.5), squeeze=False)
    for ax, (era, groups) in zip(axes[0], panels.items(), strict=True):
        for colour, group in zip(PALETTE, groups, strict=False):
            curve = group.fitter.survival_function_
            ax.step(
                curve.index.to_numpy(),
                curve.iloc[:, 0],
                where="post",
                color=colour,
                label=f"{group.name} (n={group.n}; median {_years(group.median)})",
            )
            _band(ax, group.fitter, colour)
        ax.axhline(0.5, color="grey", linewidth=0.8, linestyle=":")
        ax.set(
            xlabel="years since the alliance began",
            ylabel="share still in force",
            title=f"begun {era}",
            ylim=(0, 1.02),
            xlim=(0, 60),
        )
        ax.legend(loc="upper right", fontsize=7)
        ax.grid(alpha=0.3)
    figure.suptitle(title)
    figure.tight_layout()
    return figure


def incidence_by_era(
    panels: dict[str, dict[str, dict[str, pd.DataFrame]]], reasons: tuple[str, ...], title: str
) -> Figure:
    """Cumulative incidence of each end reason: a row per era, a column per reason.

    ``panels[era][source][reason]`` is a curve (Aalen-Johansen); each cell sets the sources
    (simulated, real) beside each other.
    """
    rows, cols = len(panels), len(reasons)
    figure, axes = plt.subplots(
        rows, cols, figsize=(2.6 * cols, 2.6 * rows), squeeze=False, sharex=True, sharey=True
    )
    for r, (era, sources) in enumerate(panels.items()):
        for c, reason in enumerate(reasons):
            ax = axes[r][c]
            for colour, (source, curves) in zip(PALETTE, sources.items(), strict=False):
                curve = curves.get(reason)
                if curve is not None:
                    ax.step(
                        curve.index.to_numpy(),
                        curve.iloc[:, 0],
                        where="post",
                        color=colour,
                        label=source,
                    )
            ax.set(xlim=(0, 40), ylim=(0, 0.6))
            ax.grid(alpha=0.3)
            if r == 0:
                ax.set_title(reason.replace("_", " "), fontsize=9)
            if c == 0:
                ax.set_ylabel(f"begun {era}\ncumulative share", fontsize=8)
            if r == rows - 1:
                ax.set_xlabel("years since it began", fontsize=8)
    axes[0][0].legend(fontsize=7, loc="upper left")
    figure.suptitle(title)
    figure.tight_layout()
    return figure
