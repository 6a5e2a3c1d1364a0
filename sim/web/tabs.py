"""The page's main area, one tab each: the run period by period, the replications, the open world.

Figures are drawn in the background (a task per view): the page stays live while they are
drawn, a thin bar moves, and the last figures stay on screen until the new ones are ready.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

import pandas as pd
import solara

from sim.history.openworld import FIRST_YEAR, LAST_YEAR
from sim.model.params import Params
from sim.results.runs import RunSet
from sim.web import charts, views, world
from sim.web.charts import Picture
from sim.web.keeping import Keeper
from sim.web.widgets import Figure, Slider, Table, Waiting

KEPT = 32
"""How many drawn views the server keeps: a period or a choice seen again is shown at once."""
VIEWS = Keeper(KEPT)
kept = VIEWS.kept
"""Return the view kept under a key, or make it and keep it (:meth:`Keeper.kept`)."""


@dataclass(frozen=True)
class RunView:
    """What the run tab shows at one period (``label``: the period, ``stem``: for file names).

    The tables come at once; the figures (:class:`RunFigures`) are drawn after them.
    """

    label: str
    stem: str
    runs: int
    decision: str | None
    calls: pd.DataFrame
    in_force: pd.DataFrame


@dataclass(frozen=True)
class RunFigures:
    """The run tab's figures at one period: the map, the timeline, one decision's waterfall."""

    network: Picture | None
    timeline: Picture | None
    waterfall: Picture | None


def run_view(runset: RunSet, period: int, decision: str | None) -> RunView:
    """Return the run tab's tables at ``period``, for ``decision`` (or the first called)."""
    calls = views.calls(runset, period)
    if decision not in set(calls.get("decision", [])):
        decision = calls["decision"].iloc[0] if len(calls) else None
    label = runset.world.calendar.label(period)
    return RunView(
        label=label,
        stem=f"{runset.scenario.name}_{label}",
        runs=runset.runs,
        decision=decision,
        calls=calls,
        in_force=views.in_force(runset, period),
    )


def run_figures(runset: RunSet, period: int, decision: str | None) -> RunFigures:
    """Draw the run tab's figures at ``period``, with the waterfall of ``decision``."""
    seen = views.upto(runset, period)
    return RunFigures(
        network=charts.drawn(charts.network, runset, period),
        timeline=charts.drawn(charts.timeline, runset, period),
        waterfall=charts.drawn(charts.waterfall, seen, decision) if decision else None,
    )


def kept_run_view(runset: RunSet, key: Hashable, period: int, decision: str | None) -> RunView:
    """Return the run tab's tables for the runs ``key`` names, kept for the next session."""
    return kept(("run", key, period, decision), lambda: run_view(runset, period, decision))


def kept_run_figures(
    runset: RunSet, key: Hashable, period: int, decision: str | None
) -> RunFigures:
    """Return the run tab's figures for the runs ``key`` names, kept for the next session."""
    return kept(_figures_key(key, period, decision), lambda: run_figures(runset, period, decision))


def _figures_key(key: Hashable, period: int, decision: str | None) -> Hashable:
    return ("figures", key, period, decision)


def warm(runset: RunSet, key: Hashable) -> None:
    """Make the run tab's first view, tables and figures, as a first page will ask for it."""
    shown = kept_run_view(runset, key, 0, None)
    kept_run_figures(runset, key, 0, shown.decision)


@solara.component
def RunTab(runset: RunSet, key: Any, period: int) -> None:
    """The run stepped through: the map, the commitments called and why, the timeline.

    The tables and P(honour) are shown as soon as the runs are made; the figures follow, and
    the last ones stay on screen until the new ones are drawn. Figures drawn already (for
    another session, or as the server started) are shown in the same change, with no stand-in
    to replace a moment later.
    """
    chosen = solara.use_reactive(cast(str | None, None))
    shown = solara.use_memo(
        lambda: kept_run_view(runset, key, period, chosen.value),
        dependencies=[key, period, chosen.value],
    )
    figures = solara.lab.use_task(
        lambda: kept_run_figures(runset, key, period, shown.decision),
        dependencies=[key, period, shown.decision],
        raise_error=False,
    )
    ready = VIEWS.peek(_figures_key(key, period, shown.decision))  # drawn already: no stand-in
    Waiting(figures.pending and ready is None)
    if figures.error:
        solara.Error(f"cannot draw the run: {figures.exception}")
    drawn = ready or (figures.value if figures.finished else figures.latest)
    RunCards(shown, drawn or RunFigures(None, None, None), chosen, drawn is None)


@solara.component
def RunCards(
    shown: RunView, figures: RunFigures, chosen: solara.Reactive[str | None], drawing: bool
) -> None:
    """The run tab's cards, each titled by the period it shows."""
    label, stem = shown.label, shown.stem
    title = f"Commitments called by {label}: P(honour) over {shown.runs} runs"
    wait = "drawing..." if drawing else None
    with solara.Card(title, margin=0, classes=["sim-card"]):
        Table(shown.calls, "no commitment has been called yet", f"decisions_{stem}")
    with solara.Columns([1, 1]):
        with solara.Card("Why? One decision, factor by factor", margin=0, classes=["sim-card"]):
            Why(shown, figures.waterfall, chosen, stem, wait)
        with solara.Card(f"Alliances in force, {label} (run 0)", margin=0, classes=["sim-card"]):
            Figure(figures.network, wait or "no state in this period", f"network_{stem}")
    with solara.Columns([1, 1]):
        with solara.Card("Timeline of alliances (run 0)", margin=0, classes=["sim-card"]):
            Figure(figures.timeline, wait or "no alliance in force by then", f"timeline_{stem}")
        with solara.Card(f"Alliances in force, {label} (run 0)", margin=0, classes=["sim-card"]):
            Table(shown.in_force, "no alliance in force", f"alliances_{stem}")


@solara.component
def Why(
    shown: RunView,
    waterfall: Picture | None,
    chosen: solara.Reactive[str | None],
    stem: str,
    wait: str | None,
) -> None:
    """One commitment called: its P(honour) over the runs, and its factors as a waterfall."""
    if shown.calls.empty:
        solara.Info("no commitment has been called yet", dense=True)
        return
    picked = str(shown.decision)
    ids = list(shown.calls["decision"])
    solara.Select("Why? The factors of", values=ids, value=picked, on_value=chosen.set)
    row = shown.calls[shown.calls["decision"] == picked].iloc[0]
    solara.Text(f"{picked}: P(honour) = {row['P(honour)']:.3f} (90% of runs: {row['90% of runs']})",
                classes=["sim-p-honour"])  # fmt: skip
    Figure(waterfall, wait or "no decision", f"waterfall_{picked.replace(':', '_')}_{stem}")


@dataclass(frozen=True)
class ReplicationsView:
    """What the replications tab shows (``stem``: for file names)."""

    runs: int
    stem: str
    honour: Picture | None
    survival: Picture | None
    outcomes: pd.DataFrame
    alliances: pd.DataFrame


def replications_view(runset: RunSet) -> ReplicationsView:
    """Draw the distribution of P(honour), the outcomes, the alliances and their survival."""
    last = runset.world.calendar.n_periods - 1
    return ReplicationsView(
        runs=runset.runs,
        stem=f"{runset.scenario.name}_{runset.runs}_runs",
        honour=charts.drawn(charts.honour, runset, last),
        survival=charts.drawn(charts.survival_curves, runset),
        outcomes=views.outcomes(runset),
        alliances=views.alliances(runset),
    )


@solara.component
def ReplicationsTab(runset: RunSet, key: Any) -> None:
    """N runs: the distribution of P(honour) and of outcomes; alliances' ends and survival."""
    task = solara.lab.use_task(
        lambda: kept(("replications", key), lambda: replications_view(runset)),
        dependencies=[key],
        raise_error=False,
    )
    Waiting(task.pending)
    shown = task.value if task.finished else task.latest
    if task.error:
        solara.Error(f"cannot draw the replications: {task.exception!r}")
    if shown is not None:
        ReplicationCards(shown)


@solara.component
def ReplicationCards(shown: ReplicationsView) -> None:
    """The replications tab's cards."""
    stem, runs = shown.stem, shown.runs
    with solara.Columns([1, 1]):
        with solara.Card(f"P(honour) across {runs} runs", margin=0, classes=["sim-card"]):
            Figure(shown.honour, "no commitment is called in this scenario", f"honour_{stem}")
        survival = "Alliance survival beside ATOP's defence pacts"
        with solara.Card(survival, margin=0, classes=["sim-card"]):
            Figure(shown.survival, "no alliance in this scenario", f"survival_{stem}")
    with solara.Card(f"Outcomes across {runs} runs", margin=0, classes=["sim-card"]):
        Table(shown.outcomes, "no commitment is called", f"outcomes_{stem}")
    title = f"How the alliances ended, across {runs} runs"
    with solara.Card(title, margin=0, classes=["sim-card"]):
        Table(shown.alliances, "no alliance in this scenario", f"alliance_ends_{stem}")


@dataclass(frozen=True)
class YearView:
    """What the open world tab shows for one year."""

    year: int
    network: Picture
    alliances: pd.DataFrame
    wars: pd.DataFrame
    cases: pd.DataFrame
    scores: pd.DataFrame


def year_view(params: Params, seed: int, year: int) -> YearView:
    """Run the open world (once per parameters) and draw one year of it."""
    h = world.history(params, seed)
    return YearView(
        year=year,
        network=charts.drawn(world.network, h, year),  # type: ignore[arg-type]
        alliances=world.alliances(h, year),
        wars=world.wars(h, year),
        cases=world.cases(h, year),
        scores=world.scores(h),
    )


def kept_year(params: Params, seed: int, year: int) -> YearView:
    """Return a year of the open world, drawn once; the years beside it are drawn after it.

    A user steps a year at a time, so the year before and the year after are drawn in the
    background while the page shows this one: the next step finds its view kept.
    """
    shown = kept(("year", params, seed, year), lambda: year_view(params, seed, year))
    for near in (year + 1, year - 1):
        if FIRST_YEAR <= near <= LAST_YEAR:
            ahead(("year", params, seed, near), partial(year_view, params, seed, near))
    return shown


def ahead(key: Hashable, make: Callable[[], Any]) -> None:
    """Make and keep a view in the background, unless it is kept or being made."""
    VIEWS.ahead(key, make)


WORLD = (
    "One run of the open world, 1816-2003, under the parameters on the left: the COW system "
    "members with their CINC, capitals, borders and relations, the ATOP defence obligations in "
    "force in 1816, and every attack of the war list that opens a war. Alliances then form and "
    "dissolve by the model's rules; each attack's back-test cases are the states with an ATOP "
    "obligation to the state attacked that day, with P(fights beside) in the situation the run "
    "has reached."
)


@solara.component
def WorldTab(params: Params, seed: int) -> None:
    """The open world year by year: its map, its wars and the back-test's cases."""
    year = solara.use_reactive(1914)
    task = solara.lab.use_task(
        lambda: kept_year(params, seed, year.value),
        dependencies=[params, seed, year.value],
        raise_error=False,
    )
    solara.Text(WORLD, classes=["sim-summary"])
    YearControl(year)
    Waiting(task.pending)
    if task.pending and task.latest is None:
        solara.Info("Running the open world under these parameters (a few seconds)...", dense=True)
    if task.error:
        solara.Error(f"cannot run the open world: {task.exception!r}")
    shown = task.value if task.finished else task.latest
    if shown is not None:
        YearCards(shown)


@solara.component
def YearControl(year: solara.Reactive[int]) -> None:
    """A year of 1816-2003: a slider, and a step back and forward."""

    def set_year(raw: Any) -> None:
        if isinstance(raw, int | float) and FIRST_YEAR <= raw <= LAST_YEAR:
            year.set(int(raw))

    with solara.Row(gap="12px", style={"align-items": "center"}):
        back, on = year.value - 1, year.value + 1
        solara.Button("◀", on_click=lambda: set_year(back), disabled=back < FIRST_YEAR)
        with solara.Column(style={"flex-grow": "1"}):
            Slider("year", year.value, FIRST_YEAR, LAST_YEAR, 1, set_year, hint="the year shown")
        solara.Button("▶", on_click=lambda: set_year(on), disabled=on > LAST_YEAR)


@solara.component
def YearCards(shown: YearView) -> None:
    """One year of the open world."""
    year = shown.year
    with solara.Columns([1, 1]):
        with solara.Card(f"The state system in {year}", margin=0, classes=["sim-card"]):
            Figure(shown.network, "", f"world_{year}")
        with solara.Card(f"Attacks under way in {year} (COW)", margin=0, classes=["sim-card"]):
            Table(shown.wars, "no interstate war this year", f"wars_{year}")
            solara.Text(f"The back-test's cases of the attacks of {year}", classes=["sim-subtitle"])
            Table(
                shown.cases, "no state attacked this year was owed an obligation", f"cases_{year}"
            )
    with solara.Columns([1, 1]):
        with solara.Card(f"Alliances in force in {year} (one run)", margin=0, classes=["sim-card"]):
            Table(shown.alliances, "no alliance in force", f"world_alliances_{year}")
        with solara.Card("The back-test, 1816-1944 and 1945-2003", margin=0, classes=["sim-card"]):
            Table(shown.scores, "no case", "backtest_scores")
