"""The figures drawn from a run folder or from a scenario's replications.

Shared by ``plot`` (one figure) and ``run --plots`` (the usual set beside a run's tables).
matplotlib is imported only when a figure is drawn, so the other commands start fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sim.analysis import explain as explaining
from sim.analysis import summary
from sim.cli.common import slug
from sim.errors import InputError, ResultsError
from sim.results import folders
from sim.results.runs import RunSet

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


def run_folder(folder: Path, run: int = 0) -> tuple[dict[str, Any], Any, Any]:
    """Return a run folder's metadata, alliances and states (written by ``run --out``).

    Raises:
        ResultsError: the folder is not a complete run folder, lacks the replication ``run``,
            or its metadata lacks the capital of a state in its states table.
    """
    meta = folders.metadata(folder, ("scenario", "runs", "periods", "capitals"))
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


def network_figure(
    meta: dict[str, Any], alliances: Any, states: Any, run: int, period: str | None
) -> Any:
    """Draw the alliances in force in one period of one run, at the states' capitals."""
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
    return alliance_plots.network(at, alive, f"Alliances in force, {meta['scenario']}, {label}")


def decision_figure(runset: RunSet, kind: str, decision: str | None, out: Path) -> Any:
    """Draw P(honour) across the runs, or one decision's waterfall; return it and its stem."""
    from sim.plots import decisions as decision_plots

    if kind == "honour":
        d = runset.decisions.assign(decision=runset.decisions.apply(summary.decision_id, axis=1))
        title = f"P(honour) across {runset.runs} runs: {runset.scenario.spec.title}"
        return decision_plots.honour_distribution(d, title), out / f"honour_{runset.scenario.name}"
    if decision is None:
        raise InputError("plot waterfall", "DECISION", "expected a decision, as `run` shows it")
    exp = explaining.explain(runset, decision)
    names = dict(zip(runset.world.ids, runset.world.names, strict=True))
    stem = out / f"waterfall_{slug(exp.decision)}"
    return decision_plots.waterfall(exp, names), stem


def usual_plots(runset: RunSet, out: Path) -> list[Path]:
    """The usual set beside a run's tables: timeline, networks, P(honour), waterfalls."""
    from sim.plots import alliances as alliance_plots
    from sim.plots import common as figures

    folder, written = out / "plots", []
    meta, alliances, states = run_folder(out)
    if len(alliances):
        first = alliances[alliances["run"] == 0]
        written += figures.save(
            alliance_plots.timeline(
                first, meta["periods"], f"Alliances of {meta['scenario']} (run 0)"
            ),
            folder / "timeline",
        )
        for label in (meta["periods"][0], meta["periods"][-1]):
            figure = network_figure(meta, alliances, states, 0, label)
            written += figures.save(figure, folder / f"network_{slug(label)}")
    if len(runset.decisions):
        figure, _ = decision_figure(runset, "honour", None, folder)
        written += figures.save(figure, folder / "honour")
        for key in list(dict.fromkeys(runset.decisions.apply(summary.decision_id, axis=1)))[:6]:
            figure, stem = decision_figure(runset, "waterfall", key, folder)
            written += figures.save(figure, stem)
    return written
