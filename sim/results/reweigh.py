"""Replications weighed again: a change of the kernel's weights recomputes only what it moves.

A run's course depends on the kernel's weights in two places only: the P of each call
(fight below P(fight), supply below P(fight or supply), against the call's recorded uniform
``draw``) and the screen of who is asked at all (a state no commitment binds, when its
stakes reach ``interest_floor``). So under new weights, the recorded factor values of every
decision of every run are weighed again at once (one array product over all the runs,
:func:`sim.model.decide.weighed`, the kernel's own arithmetic), and so is every screen. A run
in which no decision changes its outcome and no screen asks another state follows the very
same course: its tables are kept, with the decisions' P and contributions replaced. Only the
runs whose course moves are run again, from their own random streams. The result is the
table a full replication would give (a test holds them equal).

The web view's sliders use it (:mod:`sim.web.session`); anything but the kernel's weights and
``supply_margin`` changes the runs' figures themselves, and is replicated afresh.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from sim.model.alliance_model import AllianceModel
from sim.model.decide import FACTOR_NAMES, FACTORS, Scores, weighed
from sim.model.interest import screen
from sim.model.params import Params
from sim.model.records import Ledger, Panel, gather
from sim.model.tables import TABLES
from sim.model.world import World, build
from sim.results.runs import RunSet, replication_rngs
from sim.scenario.loading import Scenario

WEIGHTS = frozenset({f.weight for f in FACTORS if f.weight} | {"supply_margin"})
"""The parameters that enter a run only through the kernel's weighing of its calls."""
Screens = list[list[np.ndarray]]


@dataclass(frozen=True)
class Kept:
    """Replications with what weighing them again needs: each run's screens of who is asked."""

    runset: RunSet
    screens: Screens  # per run, each screen's candidates' stake values (candidates, stakes)


def replicate_kept(scenario: Scenario, params: Params, seed: int = 0, runs: int = 100) -> Kept:
    """Replicate a scenario in this process as :func:`sim.results.runs.replicate` does."""
    world = build(scenario)
    models = [_run(world, params, seed, r) for r in range(runs)]
    tables = {name: gather([m.ledgers()[name] for m in models], range(runs)) for name in TABLES}
    runset = RunSet(scenario=scenario, world=world, params=params, seed=seed, runs=runs, **tables)
    return Kept(runset, [m.summons.screens or [] for m in models])


def reweighed(kept: Kept, params: Params) -> Kept | None:
    """Return the replications under ``params``, recomputing only the runs whose course moves.

    None when ``params`` differ from the kept runs' in more than the kernel's weights.
    """
    base = kept.runset
    if not weights_only(base.params, params):
        return None
    d = base.decisions
    scores = weighed(_values(d), params)  # every decision of every run at once
    moved = _moved_runs(d, scores) | _screened_runs(kept.screens, base.params, params)
    again = {r: _run(base.world, params, base.seed, r) for r in sorted(moved)}
    tables = {}
    for name in TABLES:
        old = _weighed_again(d, scores) if name == "decisions" else getattr(base, name)
        tables[name] = _spliced(old, {r: m.ledgers()[name] for r, m in again.items()})
    runset = RunSet(
        scenario=base.scenario, world=base.world, params=params, seed=base.seed, runs=base.runs,
        decisions=tables["decisions"], alliances=tables["alliances"], states=tables["states"],
        system=tables["system"], outcomes=tables["outcomes"],
    )  # fmt: skip
    screens = [
        (again[r].summons.screens or []) if r in again else s for r, s in enumerate(kept.screens)
    ]
    return Kept(runset, screens)


def weights_only(before: Params, after: Params) -> bool:
    """Return whether ``after`` differs from ``before`` in the kernel's weights alone."""
    changed = {f.name for f in fields(Params) if getattr(after, f.name) != getattr(before, f.name)}
    return changed <= WEIGHTS


def _run(world: World, params: Params, seed: int, run: int) -> AllianceModel:
    """Run one replication from its own stream, keeping its screens of who is asked."""
    model = AllianceModel(world, params, rng=replication_rngs(seed, run + 1, run)[0])
    model.summons.screens = []
    model.run()
    return model


def _moved_runs(d: pd.DataFrame, scores: Scores) -> set[int]:
    """Return the runs in which a decision would settle otherwise, weighed anew as ``scores``.

    A state asked about one war by several partners in one period fights (or supplies) on one
    side at most, the side it is likelier to support: where its calls that may be drawn to
    support, under the old weights or the new, stand on more than one side, the order of its
    P decides, and the run is counted as moved.
    """
    if d.empty:
        return set()
    draw = d["draw"].to_numpy(float)
    fights = draw < scores.p_honour
    group = [d["run"], d["period"], d["war"], d["guarantor"]]
    fights_in_war = pd.Series(fights, index=d.index).groupby(group).transform("any").to_numpy(bool)
    supplies = (draw < scores.p_support) & ~fights_in_war
    differs = (fights != d["fought"].to_numpy(bool)) | (supplies != d["supplied"].to_numpy(bool))
    before = (d["p_honour"] + d["p_supply"]).to_numpy(float)
    may = (draw < scores.p_support) | (draw < before)
    sides = d["side"].where(may)
    split = (sides.groupby(group).transform("nunique") > 1).to_numpy(bool)
    return set(d.loc[differs | split, "run"].astype(int).tolist())


def _values(d: pd.DataFrame) -> np.ndarray:
    """Return the recorded factor values, laid out as the kernel lays them (a row per call).

    The layout matters: the kernel sums each row's contributions along memory, and so must a
    second weighing that is to give the same figures to the last bit.
    """
    columns = [f"value_{n}" for n in FACTOR_NAMES]
    if d.empty:
        return np.zeros((0, len(columns)))
    return np.ascontiguousarray(d[columns].to_numpy(float))


def _screened_runs(screens: Screens, before: Params, after: Params) -> set[int]:
    """Return the runs in which a screen would ask another set of states under ``after``."""
    return {
        r
        for r, kept in enumerate(screens)
        if any((screen(s, before) != screen(s, after)).any() for s in kept)
    }


def _weighed_again(d: pd.DataFrame, scores: Scores) -> pd.DataFrame:
    """Return the decisions with their P and contributions weighed anew (outcomes kept)."""
    if d.empty:
        return d
    found = d.copy()
    found["p_honour"], found["p_supply"] = scores.p_honour, scores.p_supply
    found["p_stay_out"] = scores.p_stay_out
    for j, name in enumerate(FACTOR_NAMES):
        found[f"contrib_{name}"] = scores.contributions[:, j]
    return found


def _spliced(table: pd.DataFrame, again: dict[int, Ledger | Panel]) -> pd.DataFrame:
    """Return ``table`` with the rows of the runs made again replaced by their new rows.

    One gather of every new run and one mask of the old table, in the order of the runs.
    """
    if not again:
        return table
    numbers = sorted(again)
    parts = [gather([again[r] for r in numbers], numbers)]
    if not table.empty:
        parts.insert(0, table[~table["run"].isin(numbers)])
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame()
    joined = pd.concat(parts, ignore_index=True)
    return joined.sort_values("run", kind="stable", ignore_index=True)
