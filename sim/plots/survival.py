"""Alliance survival: Kaplan-Meier curves and the cumulative incidence of each reason to end."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.analysis.survival import Group
from sim.plots.common import PALETTE


def survival(groups: list[Group], title: str) -> Figure:
    """Kaplan-Meier curves with 95% bands; each group's median in the legend."""
    figure, ax = plt.subplots(figsize=(8, 5))
    for colour, group in zip(PALETTE, groups, strict=False):
        kmf = group.fitter
        times = kmf.survival_function_.index.to_numpy()
        ax.step(
            times,
            kmf.survival_function_.iloc[:, 0],
            where="post",
            color=colour,
            label=f"{group.name} (n={group.n}; median {_years(group.median)}, "
            f"95% CI {_years(group.lower)}-{_years(group.upper)})",
        )
        band = kmf.confidence_interval_
        ax.fill_between(
            band.index.to_numpy(),
            band.iloc[:, 0],
            band.iloc[:, 1],
            step="post",
            color=colour,
            alpha=0.2,
        )
        if np.isfinite(group.median):
            ax.axvline(group.median, color=colour, linestyle=":", linewidth=1)
    ax.set(
        xlabel="years since the alliance began",
        ylabel="share of alliances still in force",
        title=title,
        ylim=(0, 1.02),
    )
    ax.legend(loc="upper right", fontsize=8)
    ax.grid(alpha=0.3)
    return figure


def _years(value: float) -> str:
    return f"{value:.1f} y" if np.isfinite(value) else "not reached"


def incidence(curves: dict[str, pd.DataFrame], title: str) -> Figure:
    """Cumulative incidence of each reason an alliance ended (competing risks)."""
    figure, ax = plt.subplots(figsize=(8, 5))
    for colour, (reason, curve) in zip(PALETTE, curves.items(), strict=False):
        ax.step(curve.index.to_numpy(), curve.iloc[:, 0], where="post", color=colour, label=reason)
    ax.set(
        xlabel="years since the alliance began",
        ylabel="cumulative share ended, by reason",
        title=title,
        ylim=(0, 1.02),
    )
    ax.legend(title="reason it ended", fontsize=8)
    ax.grid(alpha=0.3)
    return figure
