"""Figures, with matplotlib (headless): the only module that knows about plotting.

Every function returns a :class:`matplotlib.figure.Figure` with labelled axes (units), a title
that says what is shown and a legend, in the Okabe-Ito colour-blind-safe palette;
:func:`save` writes it as PNG and SVG, atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from sim.analysis.explain import Explanation
from sim.analysis.survival import Group
from sim.results.files import write_atomic

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
"""Okabe & Ito (2008), safe for the common kinds of colour blindness."""
KIND_STYLE: dict[str, Any] = {
    "defence_pact": "-",
    "coalition": "-",
    "basing": "--",
    "consultation": ":",
    "institution": "-.",
}


def save(figure: Figure, stem: Path) -> list[Path]:
    """Write a figure as ``stem.png`` and ``stem.svg`` (each atomically) and close it."""
    paths = []
    for kind in ("png", "svg"):
        path = stem.with_suffix(f".{kind}")
        write_atomic(path, _writer(figure, kind))
        paths.append(path)
    plt.close(figure)
    return paths


def _writer(figure: Figure, kind: str) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        figure.savefig(tmp, format=kind, dpi=150, bbox_inches="tight")

    return write


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
