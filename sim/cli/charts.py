"""The figures drawn from a run folder or from a scenario's replications.

Shared by ``plot`` (one figure) and ``run --plots`` (the usual set beside a run's tables).
matplotlib is imported only when a figure is drawn, so the other commands start fast.

A figure's file name says what it shows, so that figures never overwrite each other: the
case (the scenario and its overlays, ``karabakh_2020+karabakh_attack_on_armenia``), then the
run and period or the decision: ``network_karabakh_2020_run0_2020_09.png``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.analysis import explain as explaining
from sim.analysis import summary
from sim.cli.common import slug
from sim.errors import InputError, ResultsError
from sim.results import folders
from sim.results.runs import RunSet

if TYPE_CHECKING:
    from sim.analysis.calibration import Fit

ALLIANCES = {
    "run": folders.COUNT,
    "alliance": folders.TEXT,
    "kind": folders.TEXT,
    "members": folders.TEXT,
    "reason": folders.TEXT,
    "start_period": folders.COUNT,
    "end_period": folders.COUNT,
}
"""The columns of a run folder's alliances table that its figures draw."""
STATES = {
    "run": folders.COUNT,
    "period": folders.COUNT,
    "state": folders.TEXT,
    "power": folders.NUMBER,
}
"""The columns of a run folder's states table that the network draws."""


def case_name(scenario: str, overlays: list[str] | tuple[str, ...]) -> str:
    """Return the case a figure shows, for its file name: the scenario, ``+`` each overlay."""
    return "+".join([scenario, *overlays])


def case_words(scenario: str, overlays: list[str] | tuple[str, ...]) -> str:
    """Return the case a figure shows, for its title: the scenario and its counterfactuals."""
    return scenario + "".join(f", counterfactual {o}" for o in overlays)


def run_folder(folder: Path, run: int = 0) -> tuple[dict[str, Any], Any, Any]:
    """Return a run folder's metadata, alliances and states (written by ``run --out``).

    Raises:
        ResultsError: the folder is not a complete run folder, lacks the replication ``run``,
            or its metadata lacks the capital of a state in its states table.
    """
    required = ("scenario", "runs", "periods", "capitals")
    meta = folders.metadata(folder, required, optional={"overlays": []})
    folders.replication(folder, meta, run)
    alliances = folders.table(folder, "alliances", ALLIANCES)
    states = folders.table(folder, "states", STATES)
    missing = sorted(set(states["state"]) - set(meta["capitals"]))
    if missing:
        raise ResultsError(
            str(folder / folders.METADATA),
            "capitals",
            "expected the capital of every state of states.parquet",
            got=", ".join(missing),
        )
    return meta, alliances, states


def timeline_figure(meta: dict[str, Any], alliances: Any, run: int) -> tuple[Any, str]:
    """Draw the alliances of one run over time; return the figure and its file's stem."""
    from sim.plots import alliances as alliance_plots

    case = meta["overlays"]
    rows = alliances[alliances["run"] == run]
    title = f"Alliances over time: {case_words(meta['scenario'], case)} (run {run})"
    figure = alliance_plots.timeline(rows, meta["periods"], title)
    return figure, f"timeline_{case_name(meta['scenario'], case)}_run{run}"


def network_figure(
    meta: dict[str, Any], alliances: Any, states: Any, run: int, period: str | None
) -> tuple[Any, str]:
    """Draw the alliances in force in one period of one run on a map; return it and its stem."""
    from sim.plots import alliances as alliance_plots

    label = period or meta["periods"][0]
    if label not in meta["periods"]:
        raise InputError("--period", label, f"expected one of {', '.join(meta['periods'])}")
    t = meta["periods"].index(label)
    at = states[(states["run"] == run) & (states["period"] == t)].copy()
    at["lat"] = [meta["capitals"][s][0] for s in at["state"]]
    at["lng"] = [meta["capitals"][s][1] for s in at["state"]]
    alive = alliances[
        (alliances["run"] == run) & (alliances["start_period"] <= t) & (alliances["end_period"] > t)
    ]
    case = meta["overlays"]
    title = f"Alliances in force in {label}: {case_words(meta['scenario'], case)} (run {run})"
    stem = f"network_{case_name(meta['scenario'], case)}_run{run}_{slug(label)}"
    return alliance_plots.network(at, alive, title), stem


def decision_figure(runset: RunSet, kind: str, decision: str | None) -> tuple[Any, str]:
    """Draw P(honour) across the runs, or one decision's waterfall; return it and its stem."""
    from sim.plots import decisions as decision_plots

    sc = runset.scenario
    case, note = case_name(sc.name, sc.overlays), _counterfactual_note(runset)
    if kind == "honour":
        d = runset.decisions.assign(decision=runset.decisions.apply(summary.decision_id, axis=1))
        title = f"P(honour) across {runset.runs} runs: {sc.spec.title}" + (
            f"\n{note}" if note else ""
        )
        return decision_plots.honour_distribution(d, title), f"honour_{case}"
    if decision is None:
        raise InputError("plot waterfall", "DECISION", "expected a decision, as `run` shows it")
    exp = explaining.explain(runset, decision)
    w = runset.world
    names = dict(zip(w.ids, w.names, strict=True))
    theatre = w.territory_names[w.territory_ids.index(exp.theatre)]
    figure = decision_plots.waterfall(exp, names, theatre, note)
    return figure, f"waterfall_{case}_{slug(exp.decision)}"


def _counterfactual_note(runset: RunSet) -> str:
    """Return the line that names a counterfactual's overlays, or ``""`` for history's case."""
    titles = runset.scenario.overlay_titles
    return "; ".join(t if "counterfactual" in t.lower() else f"counterfactual: {t}" for t in titles)


def usual_plots(runset: RunSet, out: Path) -> list[Path]:
    """The usual set beside a run's tables: timeline, networks, P(honour), waterfalls."""
    from sim.plots import common as figures

    folder, written = out / "plots", []
    meta, alliances, states = run_folder(out)
    drawn = []
    if len(alliances):
        drawn.append(timeline_figure(meta, alliances, 0))
        for label in dict.fromkeys((meta["periods"][0], meta["periods"][-1])):
            drawn.append(network_figure(meta, alliances, states, 0, label))
    if len(runset.decisions):
        drawn.append(decision_figure(runset, "honour", None))
        for key in list(dict.fromkeys(runset.decisions.apply(summary.decision_id, axis=1)))[:6]:
            drawn.append(decision_figure(runset, "waterfall", key))
    for figure, stem in drawn:
        written += figures.save(figure, folder / stem)
    return written


def fit_figures(fit: Fit, default: float, title: str, out: Path) -> list[Path]:
    """Draw the trials' losses beside the defaults' and, if any, the parameters' importances."""
    import pandas as pd

    from sim.plots import common as figures
    from sim.plots import studies as study_plots

    written = figures.save(
        study_plots.optimisation_history(fit.history, default, title),
        out.with_name(out.stem + "_history"),
    )
    if fit.importances:
        series = pd.Series(fit.importances).sort_values(ascending=False)
        written += figures.save(
            study_plots.bars(
                series, None, "importance (PED-ANOVA)", "Which parameters the fit depends on"
            ),
            out.with_name(out.stem + "_importances"),
        )
    return written
