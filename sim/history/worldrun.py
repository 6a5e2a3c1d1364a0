"""One run of the open world, its back-test and its reliability, real and simulated.

:func:`run` steps the model one year at a time over an :class:`~sim.history.openworld.OpenWorld`.
With the wars replayed from history, each war's cases (every state bound by an ATOP defence
obligation to one of its first two belligerents, :func:`sim.history.backtest.war_cases`) are scored
by the decision kernel in the situation the model has reached when the war begins: its
simulated alliances, wars and nuclear club, with that year's COW figures. The cases keep
each factor's signed contribution, so that every probability explains itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from sim.history import backtest
from sim.history.openworld import DATA_VERSIONS, OpenWorld, event_id
from sim.model.alliance_model import AllianceModel
from sim.model.decide import FACTOR_NAMES, Calls, Situation, score
from sim.model.params import Params
from sim.model.records import Columns, gather
from sim.results.runs import replication_rngs

TABLES = ("decisions", "alliances", "states", "system", "wars", "cases")


@dataclass
class WorldRun:
    """Finished runs of the open world (Monte Carlo replications) and their tables."""

    openworld: OpenWorld
    params: Params
    seed: int
    models: list[AllianceModel]
    case_runs: pd.DataFrame  # every run's cases, with a ``run`` column

    @property
    def runs(self) -> int:
        """Number of replications."""
        return len(self.models)

    @cached_property
    def cases(self) -> pd.DataFrame:
        """Return one row per case: the data, and the model's mean figures over the runs."""
        if self.case_runs.empty:
            return self.case_runs.drop(columns="run")
        keys = ["war", "guarantor", "partner"]
        figures = ["p_model", *(str(c) for c in self.case_runs if str(c).startswith("contrib_"))]
        first = self.case_runs[self.case_runs["run"] == 0].drop(columns=["run", *figures])
        means = self.case_runs.groupby(keys, sort=False)[figures].mean().reset_index()
        return first.merge(means, on=keys, how="left")[list(CASE_COLUMNS) + figures[1:]]

    def table(self, name: str) -> pd.DataFrame:
        """Return one of :data:`TABLES`: every run's rows with a ``run`` column (cases: means)."""
        if name == "cases":
            return self.cases
        if name != "wars":
            return gather([m.ledgers()[name] for m in self.models], range(self.runs))
        frames = [pd.DataFrame(war_rows(m)).assign(run=r) for r, m in enumerate(self.models)]
        frames = [f for f in frames if not f.empty]
        if not frames:
            return pd.DataFrame()
        table = pd.concat(frames, ignore_index=True)
        return table[["run", *(c for c in table.columns if c != "run")]]

    def metadata(self) -> dict[str, Any]:
        """Return what makes the runs reproducible: span, wars, parameters, seed, runs, data."""
        ow = self.openworld
        return {
            "world": {"start": ow.start, "end": ow.end, "wars": ow.mode},
            "states": len(ow.codes),
            "seed": self.seed,
            "runs": self.runs,
            "parameters": self.params.as_dict(),
            "data": DATA_VERSIONS,
        }


def run(openworld: OpenWorld, params: Params, seed: int, runs: int = 1) -> WorldRun:
    """Run the model ``runs`` times over every year of the open world.

    Each run draws from its own stream spawned from ``seed`` (as scenario replications do);
    each replayed war's cases are scored in every run.
    """
    history = {event_id(war): war for war in backtest.wars()}
    models, frames = [], []
    for r, rng in enumerate(replication_rngs(seed, runs)):
        model, rows = _one_run(openworld, params, rng, history)
        models.append(model)
        frames.append(pd.DataFrame(rows, columns=_CASE_TABLE).assign(run=r))
    return WorldRun(openworld, params, seed, models, pd.concat(frames, ignore_index=True))


def _one_run(
    openworld: OpenWorld,
    params: Params,
    rng: np.random.Generator,
    history: dict[str, backtest.CowWar],
) -> tuple[AllianceModel, list[dict[str, Any]]]:
    model = AllianceModel(openworld.world, params, rng=rng)
    rows: list[dict[str, Any]] = []
    for t in range(openworld.world.calendar.n_periods):
        model.step()
        begun = [history[e] for e, ev in openworld.world.events[t] if ev.kind == "war"]
        if begun and model.war_situation is not None:
            rows += _score_cases(openworld, model.war_situation, model.alive, begun, params)
    return model, rows


CASE_COLUMNS = (
    "war",
    "name",
    "year",
    "guarantor",
    "partner",
    "adversary",
    "triggered",
    "joined",
    "p_model",
    "stronger",
)
_CASE_TABLE = [*CASE_COLUMNS, *(f"contrib_{f}" for f in FACTOR_NAMES)]


def _score_cases(
    ow: OpenWorld,
    s: Situation,
    alive: np.ndarray,
    begun: list[backtest.CowWar],
    params: Params,
) -> list[dict[str, Any]]:
    """Score the cases of the wars that began this year in the model's situation."""
    at, living = ow.at, member_test(ow, alive)
    listed = [(war, case) for war in begun for case in backtest.war_cases(war, living)]
    if not listed:
        return []
    g, p, a = (
        np.array([at[getattr(c, k)] for _, c in listed], dtype=np.int64)
        for k in ("guarantor", "partner", "adversary")
    )
    triggered = np.array([c.triggered for _, c in listed], dtype=bool)
    k = len(listed)
    calls = Calls(
        g, p, a, p, np.ones(k), np.zeros((k, len(at)), bool), triggered,
        np.full(k, params.text_defence_pact), np.zeros((k, len(at)), bool),
    )  # fmt: skip
    scores = score(calls, s, params, np.zeros(k))
    ids = ow.world.ids
    return [
        {
            "war": war.war,
            "name": war.name,
            "year": war.year,
            "guarantor": ids[g[i]],
            "partner": ids[p[i]],
            "adversary": ids[a[i]],
            "triggered": bool(case.triggered),
            "joined": bool(case.joined),
            "p_model": float(scores.p_honour[i]),
            "stronger": bool(s.power[g[i]] > s.power[a[i]]),
            **{
                f"contrib_{f}": float(scores.contributions[i, j])
                for j, f in enumerate(FACTOR_NAMES)
            },
        }
        for i, (war, case) in enumerate(listed)
    ]


def war_rows(model: AllianceModel) -> list[dict[str, Any]]:
    """Return one row per war of the run: when, who, and who fought on each side."""
    ids, cal = model.world.ids, model.world.calendar
    return [
        {
            "war": war.war_id,
            "year": cal.first_day(war.began).year,
            "attacker": ids[war.attacker],
            "defender": ids[war.defender],
            "attacker_side": ";".join(sorted(ids[i] for i in war.camp(0))),
            "defender_side": ";".join(sorted(ids[i] for i in war.camp(1))),
            "started_by_model": war.started_by_model,
        }
        for war in model.wars.values()
    ]


def sabrosky_simulated(
    models: list[AllianceModel], until: int = backtest.SABROSKY_LAST
) -> dict[str, float]:
    """Return how the belligerents' allies acted in the runs, Sabrosky's way (pooled).

    Every state with a duty to a belligerent when its war began counts once per war and side:
    it fought beside it, stayed out, or fought against it.
    """
    counts = {"beside": 0, "out": 0, "against": 0}
    wars = [(model.world.calendar, war) for model in models for war in model.wars.values()]
    for cal, war in wars:
        if cal.first_day(war.began).year > until:
            continue
        for side in (0, 1):
            for ally in war.allies[side]:
                key = (
                    "beside"
                    if ally in war.camp(side)
                    else "against"
                    if ally in war.camp(1 - side)
                    else "out"
                )
                counts[key] += 1
    return backtest.shares(counts)


def leeds_simulated(models: list[AllianceModel], before: int = backtest.SPLIT) -> dict[str, float]:
    """Return the share of triggered obligations the runs' states honoured (Leeds's way)."""
    triggered = [
        fought
        for model in models
        for fought, was_triggered, period in _columns(
            model.decisions.columns(), "fought", "triggered", "period"
        )
        if was_triggered and model.world.calendar.first_day(int(period)).year < before
    ]
    share = float(np.mean(triggered)) if triggered else float("nan")
    return {"n": len(triggered), "share": share}


def _columns(columns: Columns, *names: str) -> Iterator[tuple[Any, ...]]:
    """Yield the rows of some columns of a table (none if it has no rows)."""
    return zip(*(columns[name] for name in names), strict=True) if columns else iter(())


def reliability(result: WorldRun) -> dict[str, Any]:
    """Alliance reliability coded both ways: the data, the run, and the published figures."""
    ow = result.openworld
    real = [c.joined for c in real_cases(ow, before=backtest.SPLIT) if c.triggered]
    cases = result.cases
    early = cases[(cases["year"] < backtest.SPLIT) & cases["triggered"]]
    real_sab = backtest.sabrosky(
        result.openworld.start, min(result.openworld.end, backtest.SABROSKY_LAST)
    )
    sim_leeds = leeds_simulated(result.models)
    sim_sab = sabrosky_simulated(result.models)
    return {
        "leeds": {
            "published": backtest.LEEDS_PUBLISHED,
            "real": {"n": len(real), "share": float(np.mean(real)) if real else float("nan")},
            "model_probability": {"n": len(early), "share": _mean(early["p_model"])},
            "simulated": sim_leeds,
        },
        "sabrosky": {
            "published": backtest.SABROSKY_PUBLISHED,
            "real": real_sab,
            "simulated": sim_sab,
        },
    }


def real_cases(ow: OpenWorld, before: int) -> list[backtest.Case]:
    """Return the cases of the COW wars of the span that began before ``before``, from the data.

    They are the same cases the back-test scores, whether or not the run replayed the wars.
    """
    found = []
    for war in backtest.wars():
        t = war.year - ow.start
        if 0 <= t < ow.world.calendar.n_periods and war.year < before:
            found += backtest.war_cases(war, member_test(ow, ow.world.alive[t]))
    return found


def member_test(ow: OpenWorld, alive: np.ndarray) -> Callable[[int], bool]:
    """Return whether a COW code is a living member of the open world, by ``alive``."""
    at = ow.at
    return lambda code: code in at and bool(alive[at[code]])


def _mean(values: pd.Series) -> float:
    return float(values.mean()) if len(values) else float("nan")


def summary(result: WorldRun) -> dict[str, Any]:
    """Return the runs' JSON summary: wars and alliances per run, the back-test, reliability."""
    replayed = result.openworld.mode == "history"
    return {
        **result.metadata(),
        "wars_fought": float(np.mean([len(m.wars) for m in result.models])),
        "alliances": float(np.mean([len(m.alliance_rows()) for m in result.models])),
        "backtest": backtest.report(result.cases) if replayed else None,
        "reliability": reliability(result),
    }
