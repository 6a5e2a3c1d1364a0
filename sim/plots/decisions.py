"""Decisions to honour: one decision factor by factor, and P(honour) across the runs."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from sim.analysis.explain import Explanation
from sim.plots.common import PALETTE


def waterfall(explanation: Explanation, names: dict[str, str]) -> Figure:
    """The signed contribution of each factor to one decision, from 0 to its log-odds."""
    factors = [f for f in explanation.factors if abs(f.contribution) > 1e-9]
    figure, ax = plt.subplots(figsize=(9, 5))
    level = 0.0
    for x, factor in enumerate(factors):
        colour = PALETTE[2] if factor.contribution >= 0 else PALETTE[3]
        ax.bar(x, factor.contribution, bottom=level, color=colour, edgecolor="black")
        level += factor.contribution
    ax.bar(len(factors), level, color=PALETTE[0], edgecolor="black")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.margins(y=0.08)
    ax.set_xticks(
        range(len(factors) + 1),
        [f.name for f in factors] + ["log-odds"],
        rotation=40,
        ha="right",
        fontsize=8,
    )
    g, p = names[explanation.guarantor], names[explanation.partner]
    ax.set(
        ylabel="contribution to the log-odds of fighting",
        title=f"Why {g} does or does not fight for {p} in {explanation.theatre} "
        f"({explanation.date}): P(honour) = {explanation.p_honour:.2f}",
    )
    ax.legend(
        handles=[Rectangle((0, 0), 1, 1, color=c) for c in PALETTE[2:4]]
        + [Rectangle((0, 0), 1, 1, color=PALETTE[0])],
        labels=["pushes towards fighting", "pushes against", "sum (log-odds)"],
        fontsize=8,
    )
    return figure


def honour_distribution(decisions: pd.DataFrame, title: str) -> Figure:
    """The distribution of P(honour) across Monte Carlo runs, for every decision."""
    keys = list(dict.fromkeys(decisions["decision"]))
    figure, ax = plt.subplots(figsize=(9, 1.5 + 0.45 * len(keys)))
    data = [decisions.loc[decisions["decision"] == k, "p_honour"].to_numpy() for k in keys]
    parts = ax.boxplot(data, orientation="horizontal", patch_artist=True, widths=0.6)
    for box in parts["boxes"]:
        box.set(facecolor=PALETTE[5], edgecolor="black")
    ax.set_yticks(range(1, len(keys) + 1), keys, fontsize=8)
    ax.axvline(0.5, color=PALETTE[3], linestyle="--", label="0.5")
    ax.set(
        xlabel="P(honour): probability that the guarantor fights",
        ylabel="decision",
        title=title,
        xlim=(0, 1),
    )
    ax.legend(fontsize=8)
    ax.invert_yaxis()
    return figure
