"""One run's alliances: over time (a timeline) and in space (a network at the capitals)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Rectangle

from sim.model.alliances import REASONS
from sim.plots import maps
from sim.plots.common import PALETTE, place_labels

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
    figure, ax = plt.subplots(figsize=(9, 1.6 + 0.35 * len(alliances)))
    for y, (_, row) in enumerate(alliances.iterrows()):
        width = row["end_period"] - row["start_period"]
        ax.barh(
            y,
            width,
            left=row["start_period"],
            height=0.6,
            color=colours[row["reason"]],
            edgecolor="black",
            linewidth=0.5,
        )
    names = [
        f"{a} ({m.replace(';', ' ')})"
        for a, m in zip(alliances["alliance"], alliances["members"], strict=True)
    ]
    ax.set_yticks(range(len(alliances)), names, fontsize=8)
    ticks = range(0, len(labels), -(-len(labels) // 8))  # evenly, at most eight
    ax.set_xticks(list(ticks), [labels[t] for t in ticks], rotation=30, fontsize=8)
    ax.set(
        xlabel="period",
        ylabel="alliance",
        title=title,
        xlim=(0, len(labels)),
        ylim=(len(alliances) - 0.5, -0.5),
    )
    ax.legend(
        handles=[Rectangle((0, 0), 1, 1, color=colours[r]) for r in reasons],
        labels=[reason_words(r) for r in reasons],
        title="ended because",
        fontsize=8,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
    )
    return figure


def reason_words(reason: str) -> str:
    """Return why an alliance ended, in words (``censored``: still in force at the end)."""
    if reason == "censored":
        return "still in force at the end (censored)"
    return REASONS.get(reason, reason.replace("_", " "))


def network(states: pd.DataFrame, alliances: pd.DataFrame, title: str) -> Figure:
    """The alliances in force on a map: states at their capitals, sized by power.

    A pact of two is a line between its members; a pact of three or more is a hub (a diamond
    at its members' centre) with a spoke to each member, so that a multilateral pact reads as
    one thing. Lines bend a little, and the lines of several pacts between the same pair bend
    apart.

    Args:
        states: one row per state: ``state``, ``lat``, ``lng``, ``power`` (CINC) and, if
            known, ``nuclear``.
        alliances: the pacts in force: ``alliance`` (its id, if known), ``kind``, ``members``
            (ids separated by ``;``).
        title: the figure's title.
    """
    at = states.set_index("state")
    figure, ax = plt.subplots(figsize=(10.5, 6.5))
    maps.basemap(ax, maps.extent(list(at["lng"]), list(at["lat"])))
    links = _links(alliances, at)
    _draw_links(ax, links)
    _draw_states(ax, at)
    hubs = [(link.hub, link.alliance) for link in links if link.hub is not None]
    places = [(float(r["lng"]), float(r["lat"])) for _, r in at.iterrows()] + [h for h, _ in hubs]
    texts = [str(s) for s in at.index] + [name for _, name in hubs]
    for label in place_labels(ax, places, texts, fontsize=8):
        label.set_zorder(5)
    _legends(ax, sorted({link.kind for link in links}), at)
    ax.set_title(title)
    return figure


KIND_COLOUR = {
    "defence_pact": "#D55E00",
    "coalition": "#0072B2",
    "basing": "#009E73",
    "consultation": "#CC79A7",
    "institution": "#777777",
}
"""The colour of each kind of commitment (Okabe-Ito); the line style is in KIND_STYLE."""
KIND_WORDS = {
    "defence_pact": "defence pact",
    "coalition": "wartime coalition",
    "basing": "basing agreement",
    "consultation": "consultation pact",
    "institution": "institution (no duty to fight)",
}


@dataclass(frozen=True)
class _Link:
    """One pact as drawn: its segments (pairs of points) and, for three or more, its hub."""

    alliance: str
    kind: str
    segments: list[tuple[tuple[float, float], tuple[float, float]]]
    hub: tuple[float, float] | None


def _links(alliances: pd.DataFrame, at: pd.DataFrame) -> list[_Link]:
    """Return each pact in force among the states shown, as it is drawn."""
    where = {
        str(s): (float(x), float(y)) for s, x, y in zip(at.index, at["lng"], at["lat"], strict=True)
    }
    links = []
    for k, (_, row) in enumerate(alliances.iterrows()):
        points = [where[m] for m in str(row["members"]).split(";") if m in where]
        if len(points) >= 2:
            links.append(_link(str(row.get("alliance", f"pact {k + 1}")), str(row["kind"]), points))
    return links


def _link(alliance: str, kind: str, points: list[tuple[float, float]]) -> _Link:
    """Return a pact's segments: a line for two members, spokes from a hub for more."""
    if len(points) == 2:
        return _Link(alliance, kind, [(points[0], points[1])], None)
    hub = middle(points)
    return _Link(alliance, kind, [(hub, p) for p in points], hub)


def middle(points: list[tuple[float, float]], steps: int = 100) -> tuple[float, float]:
    """Return the point nearest to all members together (the geometric median, Weiszfeld).

    The mean would put a pact of ten European members and two American ones in the middle of
    the Atlantic; the point that minimises the sum of distances stays among the many, and is
    the mean for members evenly spread.
    """
    xy = np.asarray(points, dtype=float)
    hub = xy.mean(axis=0)
    for _ in range(steps):
        distance = np.maximum(np.hypot(*(xy - hub).T), 1e-9)
        moved = (xy / distance[:, None]).sum(axis=0) / (1.0 / distance).sum()
        if np.hypot(*(moved - hub)) < 1e-6:
            break
        hub = moved
    return float(hub[0]), float(hub[1])


def _draw_links(ax: Axes, links: list[_Link]) -> None:
    """Draw every segment; segments that join the same two points bend apart."""
    seen: dict[frozenset[tuple[float, float]], int] = {}
    for link in links:
        colour = KIND_COLOUR.get(link.kind, "black")
        for a, b in link.segments:
            pair = frozenset((a, b))
            bend = _BENDS[seen.get(pair, 0) % len(_BENDS)]
            seen[pair] = seen.get(pair, 0) + 1
            line = FancyArrowPatch(
                a,
                b,
                arrowstyle="-",
                connectionstyle=f"arc3,rad={bend}",
                color=colour,
                linestyle=KIND_STYLE.get(link.kind, "-"),
                linewidth=1.6,
                alpha=0.9,
                zorder=2,
                gid=f"alliance:{link.alliance}",
            )
            ax.add_patch(line)
        if link.hub is not None:
            ax.scatter(
                *link.hub,
                marker="D",
                s=40,
                color=colour,
                edgecolor="white",
                zorder=3,
                gid=f"hub:{link.alliance}",
            )


_BENDS = (0.2, -0.2, 0.45, -0.45, 0.65)
"""How much the lines of the first, second, ... pact between the same two points bend.

Every line bends a little, so that a line passing a third state's capital on its way does not
seem to join it."""


def marker_area(power: Any) -> Any:
    """Return a state's marker area (points squared) for its power (CINC share)."""
    return 12 + 2500 * np.asarray(power, dtype=float)


def _draw_states(ax: Axes, at: pd.DataFrame) -> None:
    """Draw each state at its capital, its area by power; a thick rim if nuclear-armed."""
    nuclear = at["nuclear"].astype(bool) if "nuclear" in at else pd.Series(False, index=at.index)
    ax.scatter(
        at["lng"],
        at["lat"],
        s=marker_area(at["power"]),
        color=PALETTE[5],
        edgecolor="black",
        linewidth=np.where(nuclear, 2.2, 0.6),
        alpha=0.9,
        zorder=4,
        gid="states",
    )


HEADINGS = ("commitments in force", "power (CINC share)")


def _legends(ax: Axes, kinds: list[str], at: pd.DataFrame) -> None:
    """One legend beside the map: the kinds of pact and the hub, then power and nuclear arms."""
    handles = [_heading(HEADINGS[0]), *_kind_handles(kinds), _heading(""), _heading(HEADINGS[1])]
    handles += [
        _state_marker(f"{v:g}", np.sqrt(marker_area(v)), 0.6)
        for v in _reference_powers(at["power"])
    ]
    handles.append(_state_marker("nuclear-armed (thick rim)", 8.0, 2.2))
    legend = ax.legend(
        handles=handles,
        fontsize=8,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        labelspacing=1.0,
        frameon=False,
    )
    for text in legend.get_texts():
        if text.get_text() in HEADINGS:
            text.set_fontweight("bold")


def _kind_handles(kinds: list[str]) -> list[Line2D]:
    """Return a legend entry per kind of pact drawn, and one for a hub."""
    handles = [
        Line2D(
            [],
            [],
            color=KIND_COLOUR.get(k, "black"),
            linestyle=KIND_STYLE.get(k, "-"),
            linewidth=1.6,
            label=KIND_WORDS.get(k, k),
        )
        for k in kinds
    ]
    hub = "a pact of three or more:\nhub at its members' centre"
    return [*handles, Line2D([], [], marker="D", color="grey", linestyle="", label=hub)]


def _heading(text: str) -> Line2D:
    """Return a legend entry that is only words: a heading inside the legend."""
    return Line2D([], [], linestyle="", marker="", label=text)


def _state_marker(label: str, size: float, rim: float) -> Line2D:
    """Return a legend entry drawn as a state is drawn: its size, its rim."""
    return Line2D(
        [],
        [],
        marker="o",
        linestyle="",
        markerfacecolor=PALETTE[5],
        markeredgecolor="black",
        markeredgewidth=rim,
        markersize=float(size),
        label=label,
    )


def _reference_powers(power: pd.Series) -> list[float]:
    """Return up to three round CINC shares that span the states shown."""
    steps = [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.4]
    low, high = float(power.min()), float(power.max())
    inside = [v for v in steps if low * 0.8 <= v <= high * 1.2] or [round(high, 3) or 0.001]
    return inside if len(inside) <= 3 else [inside[0], inside[len(inside) // 2], inside[-1]]
