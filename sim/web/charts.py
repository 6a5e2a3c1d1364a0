"""The figures of the page, drawn by :mod:`sim.plots` and kept as SVG (on screen) and PNG.

Each function returns a :class:`Picture`, or None when there is nothing to draw. The page
shows the SVG, which stays sharp at any size and enlarges on a click; pyplot lets each
figure go as soon as both are made; the figure is kept to draw the files to download.
pyplot keeps global state, so the page draws with :func:`drawn`, one figure at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from sim.analysis import explain as explaining
from sim.analysis import summary, survival
from sim.model.world import World
from sim.results.runs import RunSet
from sim.web.views import STEPPED, alive, upto

_DRAWING = threading.RLock()


SCREEN_DPI = 100
"""The resolution of the figures on the page (files to download get 150 dpi, as ``plot``'s)."""


@dataclass(frozen=True)
class Picture:
    """A figure drawn for the page: a file name's stem, its SVG on screen, and the figure.

    The PNG is made when first asked for (a download), not with every figure the page draws.
    """

    name: str
    figure: Any
    svg: bytes = b""

    @cached_property
    def png(self) -> bytes:
        """Return the figure as PNG at the screen's resolution."""
        from sim.plots import common

        with _DRAWING:
            return common.encode(self.figure, "png", dpi=SCREEN_DPI)

    def data_url(self) -> str:
        """Return the SVG as a ``data:`` URL, for an ``img`` that needs no request."""
        import base64

        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode()

    def file(self, kind: str) -> bytes:
        """Return the figure as a ``png`` or ``svg`` file to download."""
        from sim.plots import common

        with _DRAWING:
            return common.encode(self.figure, kind)


def drawn[**P](
    draw: Callable[P, Picture | None], *args: P.args, **kwargs: P.kwargs
) -> Picture | None:
    """Draw a picture while no other thread of the server draws."""
    with _DRAWING:
        return draw(*args, **kwargs)


def picture(figure: Any, name: str) -> Picture:
    """Keep a figure's SVG and let pyplot go of it."""
    from sim.plots import common

    svg = common.encode(figure, "svg")
    common.close(figure)
    return Picture(name, figure, svg)


def _years(span: float) -> str:
    return "1 year" if span == 1 else f"{span:g} years"


def network(runset: RunSet, period: int) -> Picture:
    """Run 0's alliances in force at ``period``, between the states at their capitals."""
    from sim.plots import alliances as alliance_plots

    label = runset.world.calendar.label(period)
    title = f"Alliances in force, {runset.scenario.spec.title}, {label}"
    s = runset.states
    states = at_capitals(s[(s["run"] == STEPPED) & (s["period"] == period)], runset.world)
    figure = alliance_plots.network(states, alive(runset, period), title)
    return picture(figure, f"network_{label}")


def at_capitals(states: pd.DataFrame, world: World) -> pd.DataFrame:
    """Return rows of the states table with each state's capital (``lat``, ``lng``)."""
    where = dict(zip(world.ids, world.capitals, strict=True))
    return states.assign(
        lat=[where[sid][0] for sid in states["state"]],
        lng=[where[sid][1] for sid in states["state"]],
    )


def timeline(runset: RunSet, period: int) -> Picture | None:
    """Run 0's alliances up to ``period``: those still in force by then shown as censored."""
    from sim.plots import alliances as alliance_plots

    a = runset.alliances
    if a.empty or not (a["start_period"] <= period).any():
        return None
    seen = a[(a["run"] == STEPPED) & (a["start_period"] <= period)].copy()
    going = seen["end_period"] > period
    seen.loc[going, "reason"] = "censored"
    seen.loc[going, "end_period"] = period + 1
    labels = list(runset.world.calendar.labels)
    title = f"Alliances of {runset.scenario.spec.title} to {labels[period]} (run 0)"
    return picture(alliance_plots.timeline(seen, labels, title), f"timeline_{labels[period]}")


def waterfall(runset: RunSet, decision: str) -> Picture:
    """One decision's factors, averaged over the runs, from 0 to its log-odds.

    Raises:
        LookupError: no decision, or several, answer to ``decision``.
    """
    from sim.plots import decisions as decision_plots

    exp = explaining.explain(runset, decision)
    w = runset.world
    names = dict(zip(w.ids, w.names, strict=True))
    theatre = w.territory_names[w.territory_ids.index(exp.theatre)]
    stem = "waterfall_" + exp.decision.replace(":", "_")
    return picture(decision_plots.waterfall(exp, names, theatre), stem)


def honour(runset: RunSet, period: int) -> Picture | None:
    """P(honour) across the runs, for every commitment called by ``period``."""
    from sim.plots import decisions as decision_plots

    d = upto(runset, period).decisions
    if d.empty:
        return None
    d = d.assign(decision=d.apply(summary.decision_id, axis=1))
    title = f"P(honour) across {runset.runs} runs: {runset.scenario.spec.title}"
    return picture(decision_plots.honour_distribution(d, title), "honour")


def survival_curves(runset: RunSet) -> Picture | None:
    """Kaplan-Meier curves of the runs' alliances beside ATOP's defence pacts, like with like.

    The runs see their alliances for the scenario's span only; ATOP's defence pacts (the set
    ``survival --compare`` uses) are cut at the same length, so both curves cover the same
    years.
    """
    from sim.plots import survival as survival_plots

    if runset.alliances.empty:
        return None
    span = runset.world.calendar.n_periods * runset.world.calendar.years_per_period
    real = survival.cut_at(survival.defence_pacts(survival.from_atop()), span)
    groups = [
        *survival.kaplan_meier(survival.from_table(runset.alliances), label="simulated"),
        *survival.kaplan_meier(real, label="ATOP v4.01 defence pacts"),
    ]
    title = (
        f"Alliance survival over the scenario's {_years(span)}: {runset.runs} runs of "
        f"{runset.scenario.name}\nbeside ATOP's {len(real)} defence pacts (begun "
        f"{real['start_year'].min()}-{real['start_year'].max()}) over their first {_years(span)}"
    )
    dashed = {g.name: "--" for g in groups if g.name.startswith("ATOP")}  # as `survival` draws
    return picture(survival_plots.survival(groups, title, dashed), "survival")
