"""One run's alliances: over time (a timeline) and in space (a network at the capitals)."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from sim.plots.common import PALETTE

KIND_STYLE: dict[str, Any] = {
    "defence_pact": "-",
    "coalition": "-",
    "basing": "--",
    "consultation": ":",
    "institution": "-.",
}
"""The line style of each kind of commitment in the network."""


def timeline(alliances: pd.DataFrame, labels: list[str], title: str) -> Figure:
    """One bar per alliance across the run, coloured by the reason it ended."""
    reasons = sorted(alliances["reason"].unique())
    colours = dict(zip(reasons, PALETTE, strict=False))
    figure, ax = plt.subplots(figsize=(9, 1.2 + 0.35 * len(alliances)))
    for y, (_, row) in enumerate(alliances.iterrows()):
        ax.barh(
            y,
            row["end_period"] - row["start_period"],
            left=row["start_period"],
            color=colours[row["reason"]],
            edgecolor="black",
            linewidth=0.5,
        )
    ax.set_yticks(
        range(len(alliances)),
        [
            f"{a} ({m.replace(';', ' ')})"
            for a, m in zip(alliances["alliance"], alliances["members"], strict=True)
        ],
        fontsize=8,
    )
    ticks = np.linspace(0, len(labels) - 1, min(len(labels), 8)).round().astype(int)
    ax.set_xticks(ticks, [labels[t] for t in ticks], rotation=30, fontsize=8)
    ax.set(xlabel="period", ylabel="alliance", title=title, xlim=(0, len(labels)))
    names = [r if r != "censored" else "still in force (censored)" for r in reasons]
    ax.legend(
        handles=[Rectangle((0, 0), 1, 1, color=colours[r]) for r in reasons],
        labels=names,
        title="ended because",
        fontsize=8,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
    )
    ax.invert_yaxis()
    return figure


def network(states: pd.DataFrame, alliances: pd.DataFrame, title: str) -> Figure:
    """States at their capitals (marker size: power); alliances in force as edges by kind."""
    figure, ax = plt.subplots(figsize=(9, 6))
    at = states.set_index("state")
    ax.scatter(
        at["lng"],
        at["lat"],
        s=30 + 3000 * at["power"],
        color=PALETTE[0],
        alpha=0.7,
        edgecolor="black",
        zorder=3,
    )
    for sid, row in at.iterrows():
        ax.annotate(
            str(sid),
            (row["lng"], row["lat"]),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=8,
        )
    kinds = sorted(alliances["kind"].unique())
    for colour, kind in zip(PALETTE[1:], kinds, strict=False):
        for members in alliances.loc[alliances["kind"] == kind, "members"]:
            ids = [m for m in members.split(";") if m in at.index]
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    ax.plot(
                        at.loc[[a, b], "lng"],
                        at.loc[[a, b], "lat"],
                        color=colour,
                        linestyle=KIND_STYLE.get(kind, "-"),
                        linewidth=1.5,
                        zorder=2,
                    )
    handles = [
        Line2D([], [], color=c, linestyle=KIND_STYLE.get(k, "-"))
        for c, k in zip(PALETTE[1:], kinds, strict=False)
    ]
    ax.legend(handles, kinds, title="commitment", fontsize=8)
    ax.set(
        xlabel="longitude of the capital (degrees)",
        ylabel="latitude of the capital (degrees)",
        title=title,
    )
    ax.grid(alpha=0.3)
    return figure
