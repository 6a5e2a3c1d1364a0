"""One run of the open world, its back-test and its reliability, real and simulated.

:func:`run` steps the model one year at a time over an :class:`~sim.openworld.OpenWorld`.
With the wars replayed from history, each war's cases (every state bound by an ATOP defence
obligation to one of its first two belligerents, :func:`sim.backtest.war_cases`) are scored
by the decision kernel in the situation the model has reached when the war begins: its
simulated alliances, wars and nuclear club, with that year's COW figures. The cases keep
each factor's signed contribution, so that every probability explains itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim import backtest
from sim.decide import FACTOR_NAMES, Calls, Situation, score
from sim.model import AllianceModel
from sim.openworld import DATA_VERSIONS, OpenWorld
from sim.params import Params

TABLES = ("decisions", "alliances", "states", "system", "wars", "cases")


@dataclass
class WorldRun:
    """A finished run of the open world and its tables."""

    openworld: OpenWorld
    params: Params
    seed: int
    model: AllianceModel
    cases: pd.DataFrame

    def table(self, name: str) -> pd.DataFrame:
        """Return one of :data:`TABLES` as a data frame."""
        m = self.model
        rows: Any = {
            "decisions": m.decisions,
            "alliances": m.alliance_rows(),
            "states": m.state_rows,
            "system": m.system_rows,
            "wars": war_rows(m),
        }.get(name)
        return self.cases if name == "cases" else pd.DataFrame(rows)

    def metadata(self) -> dict[str, Any]:
        """Return what makes the run reproducible: span, wars, parameters, seed, data."""
        ow = self.openworld
        return {
            "world": {"start": ow.start, "end": ow.end, "wars": ow.mode},
            "states": len(ow.codes),
            "seed": self.seed,
            "parameters": self.params.as_dict(),
            "data": DATA_VERSIONS,
        }


def run(openworld: OpenWorld, params: Params, seed: int) -> WorldRun:
    """Run the model over every year of the open world; score each replayed war's cases."""
    model = AllianceModel(openworld.world, params, rng=seed)
    history = {f"cow_{w.war}": w for w in backtest.wars()}
    rows: list[dict[str, Any]] = []
    for t in range(openworld.world.calendar.n_periods):
        model.step()
        begun = [history[e] for e, ev in openworld.world.events[t] if ev.kind == "war"]
        if begun and model.war_situation is not None:
            rows += _score_cases(openworld, model.war_situation, model.alive, begun, params)
    columns = [*CASE_COLUMNS, *(f"contrib_{f}" for f in FACTOR_NAMES)]
    return WorldRun(openworld, params, seed, model, pd.DataFrame(rows, columns=columns))


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
        np.full(k, params.text_defence_pact),
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
    model: AllianceModel, until: int = backtest.SABROSKY_LAST
) -> dict[str, float]:
    """Return how the belligerents' allies acted in the run, Sabrosky's way.

    Every state with a duty to a belligerent when its war began counts once per war and side:
    it fought beside it, stayed out, or fought against it.
    """
    counts = {"beside": 0, "out": 0, "against": 0}
    cal = model.world.calendar
    for war in model.wars.values():
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


def leeds_simulated(model: AllianceModel, before: int = backtest.SPLIT) -> dict[str, float]:
    """Return the share of triggered obligations the run's states honoured (Leeds's way)."""
    cal = model.world.calendar
    triggered = [
        d["fought"]
        for d in model.decisions
        if d["triggered"] and cal.first_day(d["period"]).year < before
    ]
    share = float(np.mean(triggered)) if triggered else float("nan")
    return {"n": len(triggered), "share": share}


def reliability(result: WorldRun) -> dict[str, Any]:
    """Alliance reliability coded both ways: the data, the run, and the published figures."""
    ow = result.openworld
    real = [c.joined for c in real_cases(ow, before=backtest.SPLIT) if c.triggered]
    cases = result.cases
    early = cases[(cases["year"] < backtest.SPLIT) & cases["triggered"]]
    real_sab = backtest.sabrosky(
        result.openworld.start, min(result.openworld.end, backtest.SABROSKY_LAST)
    )
    sim_leeds = leeds_simulated(result.model)
    sim_sab = sabrosky_simulated(result.model)
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
    """Return the run's JSON summary: the back-test (history wars) and reliability."""
    replayed = result.openworld.mode == "history"
    return {
        **result.metadata(),
        "wars_fought": len(result.model.wars),
        "alliances": len(result.model.alliance_rows()),
        "backtest": backtest.report(result.cases) if replayed else None,
        "reliability": reliability(result),
    }
