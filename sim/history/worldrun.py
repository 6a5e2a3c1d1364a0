"""Runs of the open world, with the back-test's cases scored in each.

:func:`run` steps the model one year at a time over an :class:`~sim.history.openworld.OpenWorld`.
With the wars replayed from history, every back-test case (an obligation an attack called,
:mod:`sim.history.invocations`) is scored by the decision kernel in the year of its attack,
in the situation the run has reached (:mod:`sim.history.kernelcases`). The cases keep each
factor's value and signed contribution, so that every probability explains itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from sim.history import backtest, reliability
from sim.history.kernelcases import FIGURES, KEYS, CaseBook, score_year
from sim.history.openworld import DATA_VERSIONS, OpenWorld
from sim.model.alliance_model import AllianceModel
from sim.model.params import Params
from sim.model.records import gather
from sim.results.runs import replication_rngs

TABLES = ("decisions", "alliances", "states", "system", "wars", "cases")


@dataclass
class WorldRun:
    """Finished runs of the open world (Monte Carlo replications) and their tables."""

    openworld: OpenWorld
    params: Params
    seed: int
    models: list[AllianceModel]
    book: CaseBook
    case_runs: pd.DataFrame  # every run's scores of the cases, with a ``run`` column

    @property
    def runs(self) -> int:
        """Number of replications."""
        return len(self.models)

    @cached_property
    def cases(self) -> pd.DataFrame:
        """Return one row per case of the span: the data, and the kernel's mean over the runs.

        A case none of whose runs could score it (a state outside the system that year) has
        no probability (NaN).
        """
        data = self.book.table.drop(
            columns=[f"{w}_at" for w in ("guarantor", "partner", "adversary")]
        )
        if self.case_runs.empty:
            return data.assign(**{f: np.nan for f in FIGURES})
        means = self.case_runs.groupby(list(KEYS), sort=False)[list(FIGURES)].mean().reset_index()
        return data.merge(means, on=list(KEYS), how="left")

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
    with history's wars, every case of the span is scored in every run.
    """
    book = CaseBook.of(openworld.codes, openworld.start, openworld.end)
    models, frames = [], []
    for r, rng in enumerate(replication_rngs(seed, runs)):
        model, rows = _one_run(openworld, params, rng, book)
        models.append(model)
        frames.append(pd.DataFrame(rows, columns=[*KEYS, *FIGURES]).assign(run=r))
    return WorldRun(openworld, params, seed, models, book, pd.concat(frames, ignore_index=True))


def _one_run(
    openworld: OpenWorld, params: Params, rng: np.random.Generator, book: CaseBook
) -> tuple[AllianceModel, list[dict[str, Any]]]:
    model = AllianceModel(openworld.world, params, rng=rng)
    rows: list[dict[str, Any]] = []
    for t in range(openworld.world.calendar.n_periods):
        model.war_situation = None
        model.step()
        todo = book.rows_in(openworld.start + t)
        if openworld.mode == "history" and len(todo):
            # the wars of the year have begun; the model's guarantors have not yet moved them
            began = model.war_situation
            situation = began if began is not None else model.situation()
            rows += score_year(book, todo, situation, model.alive, params)
    return model, rows


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


def summary(result: WorldRun) -> dict[str, Any]:
    """Return the runs' JSON summary: wars and alliances per run, the back-test, reliability."""
    replayed = result.openworld.mode == "history"
    return {
        **result.metadata(),
        "wars_fought": float(np.mean([len(m.wars) for m in result.models])),
        "alliances": float(np.mean([len(m.alliance_rows()) for m in result.models])),
        "backtest": backtest.report(result.cases) if replayed else None,
        "reliability": reliability.report(
            result.cases, result.models, result.openworld.start, result.openworld.end
        ),
    }
