"""Decisions to honour: one decision factor by factor, and P(honour) across the runs."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from sim.analysis.explain import Explanation, FactorLine
from sim.plots.common import PALETTE

GROUP_WORDS = {
    "intercept": "all else equal",
    "stake": "stake",
    "cost": "cost or risk",
    "small": "small term",
    "noise": "this run's reading",
}
"""What kind of term each factor is, in the essay's words (``sim.model.decide.FACTORS``)."""


def waterfall(
    explanation: Explanation, names: dict[str, str], theatre: str, note: str = ""
) -> Figure:
    """The signed contribution of each factor to one decision, from 0 to its log-odds.

    Args:
        explanation: the decision, factor by factor (mean over the runs).
        names: each state's name by its id.
        theatre: the theatre's name, in words.
        note: a line under the title (the counterfactual's overlays, say).
    """
    factors = [f for f in explanation.factors if abs(f.contribution) > 1e-9]
    figure, ax = plt.subplots(figsize=(9, 1.9 + 0.42 * (len(factors) + 1)))
    ends = _steps(ax, factors)
    ax.barh(len(factors), explanation.logit, color=PALETTE[0], edgecolor="black", height=0.6)
    _value(ax, len(factors), 0.0, explanation.logit)
    labels = [f"{f.name.replace('_', ' ')} ({GROUP_WORDS.get(f.group, f.group)})" for f in factors]
    ax.set_yticks(range(len(factors) + 1), [*labels, "sum: log-odds of fighting"], fontsize=8)
    ax.axvline(0, color="black", linewidth=0.8)
    _room(ax, [0.0, *ends])
    ax.set_ylim(len(factors) + 0.6, -0.6)
    ax.set_xlabel("contribution to the log-odds of fighting (mean over the runs)")
    ax.set_title(_waterfall_title(explanation, names, theatre, note), fontsize=10)
    _legend(ax)
    return figure


def _legend(ax: Axes) -> None:
    """The legend beside the bars: the colours of a push towards fighting, against, the sum."""
    colours = (PALETTE[2], PALETTE[3], PALETTE[0])
    ax.legend(
        handles=[Rectangle((0, 0), 1, 1, color=c) for c in colours],
        labels=["pushes towards fighting", "pushes against", "sum (log-odds)"],
        fontsize=8,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
    )


def _steps(ax: Axes, factors: list[FactorLine]) -> list[float]:
    """Draw each factor as a step from the running sum, with its value; return the sums."""
    level, ends = 0.0, []
    for y, factor in enumerate(factors):
        colour = PALETTE[2] if factor.contribution >= 0 else PALETTE[3]
        ax.barh(y, factor.contribution, left=level, color=colour, edgecolor="black", height=0.6)
        _value(ax, y, level, factor.contribution)
        level += factor.contribution
        ax.plot([level, level], [y + 0.3, y + 0.7], color="grey", linewidth=0.8)
        ends.append(level)
    return ends


def _value(ax: Axes, y: float, left: float, width: float) -> None:
    """Write a bar's contribution just beyond its end."""
    end = left + width
    ax.annotate(
        f"{width:+.2f}",
        (end, y),
        xytext=(4 if width >= 0 else -4, 0),
        textcoords="offset points",
        ha="left" if width >= 0 else "right",
        va="center",
        fontsize=7,
    )


def _room(ax: Axes, levels: list[float]) -> None:
    """Set the horizontal limits so that every bar and its value fit, with a margin."""
    low, high = min(levels), max(levels)
    span = max(high - low, 1.0)
    ax.set_xlim(low - 0.18 * span, high + 0.18 * span)


def _waterfall_title(
    explanation: Explanation, names: dict[str, str], theatre: str, note: str
) -> str:
    e = explanation
    question = (
        f"Will {names[e.guarantor]} fight for {names[e.partner]} against {names[e.adversary]} "
        f"in {theatre} ({e.date})?"
    )
    answer = f"P(honour) = {e.p_honour:.2f} (90% of {e.runs} runs: {e.p_low:.2f}-{e.p_high:.2f})"
    return "\n".join([question, answer, *([note] if note else [])])


def honour_distribution(decisions: pd.DataFrame, title: str) -> Figure:
    """The distribution of P(honour) across Monte Carlo runs, for every decision.

    ``decisions`` has a row per decision and run: ``decision`` (its id), ``p_honour`` and
    the ``guarantor``, ``partner``, ``adversary`` and ``war`` that label it.
    """
    keys = list(dict.fromkeys(decisions["decision"]))
    figure, ax = plt.subplots(figsize=(9, 1.6 + 0.45 * len(keys)))
    data = [decisions.loc[decisions["decision"] == k, "p_honour"].to_numpy() for k in keys]
    parts = ax.boxplot(
        data,
        orientation="horizontal",
        patch_artist=True,
        widths=0.6,
        showfliers=False,
        medianprops={"color": "black", "linewidth": 1.5},
    )
    for box in parts["boxes"]:
        box.set(facecolor=PALETTE[5], edgecolor="black", alpha=0.6)
    _runs_as_dots(ax, data)
    first = decisions.drop_duplicates("decision").set_index("decision").loc[keys]
    ax.set_yticks(range(1, len(keys) + 1), [_who(r) for _, r in first.iterrows()], fontsize=8)
    ax.axvline(0.5, color=PALETTE[3], linestyle="--", label="P(honour) = 0.5")
    ax.set(
        xlabel="P(honour): probability that the guarantor fights (box: runs' quartiles; "
        "line: median; dots: runs)",
        ylabel="decision",
        title=title,
        xlim=(-0.02, 1.12),
        xticks=np.linspace(0, 1, 6),
    )
    below = 0.02 + 0.75 / (1.6 + 0.45 * len(keys))  # under the axis' label, whatever the rows
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -below), ncol=2)
    ax.invert_yaxis()
    return figure


def _runs_as_dots(ax: Axes, data: list[np.ndarray]) -> None:
    """Draw every run's P(honour) as a dot, and the mean at the right, beside each box.

    A box whose runs all lie near 0 is a flat line: the dots and the mean show it is a box of
    runs like the others, not another kind of mark.
    """
    rng = np.random.default_rng(0)  # the jitter only spreads the dots; it is the same each time
    for row, values in enumerate(data, start=1):
        jitter = rng.uniform(-0.18, 0.18, len(values))
        ax.plot(values, row + jitter, ".", color="black", alpha=0.35, markersize=3)
        ax.text(1.01, row, f"mean {values.mean():.2f}", va="center", fontsize=7)
    ax.plot([], [], ".", color="black", alpha=0.5, label="one run")


def _who(row: pd.Series) -> str:
    """Return a decision in words: ``RUS for ARM against AZE (offensive 2020)``."""
    war = str(row["war"]).replace("_", " ")
    return f"{row['guarantor']} for {row['partner']} against {row['adversary']} ({war})"
