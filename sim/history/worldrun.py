"""Runs of the open world, with the back-test's cases scored in each.

:func:`run` steps the model one year at a time over an :class:`~sim.history.openworld.OpenWorld`.
With the wars replayed from history, every back-test case (an obligation an attack called,
:mod:`sim.history.invocations`) is scored by the decision kernel in the year of its attack,
in the situation the run has reached (:mod:`sim.history.kernelcases`). The cases keep each
factor's value and signed contribution, so that every probability explains itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from sim.history import backtest, mechanisms, reliability
from sim.history.interventions import bystanders
from sim.history.kernelcases import FIGURES, KEYS, CaseBook, score_year
from sim.history.openworld import DATA_VERSIONS, OpenWorld
from sim.model.alliance_model import AllianceModel
from sim.model.decide import FACTORS
from sim.model.interest import screen
from sim.model.params import Params
from sim.model.records import gather
from sim.results.runs import replication_rngs

TABLES = ("decisions", "alliances", "states", "system", "wars", "cases", "bystanders")
BOOKS = ("cases", "bystanders")
"""What the kernel scores in each run: invoked obligations, and the states no treaty bound."""


@dataclass
class WorldRun:
    """Finished runs of the open world (Monte Carlo replications) and their tables."""

    openworld: OpenWorld
    params: Params
    seed: int
    models: list[AllianceModel]
    books: dict[str, CaseBook]
    scored: dict[str, pd.DataFrame]  # each book's scores in every run, with a ``run`` column

    @property
    def runs(self) -> int:
        """Number of replications."""
        return len(self.models)

    @property
    def case_runs(self) -> pd.DataFrame:
        """Return every run's scores of the invoked obligations, with a ``run`` column."""
        return self.scored["cases"]

    @cached_property
    def cases(self) -> pd.DataFrame:
        """Return one row per invoked obligation of the span: the data, and the kernel's mean.

        A case none of whose runs could score it (a state outside the system that year) has
        no probability (NaN).
        """
        return self._means("cases")

    @cached_property
    def bystanders(self) -> pd.DataFrame:
        """Return one row per bystander of the span (no treaty bound it): data, kernel's mean."""
        return self._means("bystanders")

    def _means(self, name: str) -> pd.DataFrame:
        indices = [f"{who}_at" for who in ("guarantor", "partner", "adversary")]
        data = self.books[name].table.drop(columns=indices)
        runs = self.scored[name]
        figures = [c for c in runs.columns if c not in KEYS and c != "run"]
        if runs.empty:
            return data.assign(**{f: np.nan for f in figures})
        means = runs.groupby(list(KEYS), sort=False)[figures].mean().reset_index()
        return data.merge(means, on=list(KEYS), how="left")

    def table(self, name: str) -> pd.DataFrame:
        """Return one of :data:`TABLES`: every run's rows with a ``run`` column (cases: means)."""
        if name in BOOKS:
            return self._means(name)
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


def run(
    openworld: OpenWorld,
    params: Params,
    seed: int,
    runs: int = 1,
    progress: Callable[[int], object] | None = None,
) -> WorldRun:
    """Run the model ``runs`` times over every year of the open world.

    Each run draws from its own stream spawned from ``seed`` (as scenario replications do);
    with history's wars, every case and bystander of the span is scored in every run.
    ``progress(1)`` is called as each run finishes.
    """
    ow = openworld
    books = {
        "cases": CaseBook.of(ow.codes, ow.start, ow.end),
        "bystanders": CaseBook.of(ow.codes, ow.start, ow.end, bystanders()),
    }
    models: list[AllianceModel] = []
    frames: dict[str, list[pd.DataFrame]] = {name: [] for name in BOOKS}
    for r, rng in enumerate(replication_rngs(seed, runs)):
        model, rows = _one_run(openworld, params, rng, books)
        models.append(model)
        for name in BOOKS:
            frames[name].append(pd.DataFrame(rows[name], columns=[*KEYS, *FIGURES]).assign(run=r))
        if progress is not None:
            progress(1)
    scored = {name: pd.concat(frames[name], ignore_index=True) for name in BOOKS}
    scored["bystanders"] = screened(scored["bystanders"], params)
    return WorldRun(openworld, params, seed, models, books, scored)


def screened(rows: pd.DataFrame, params: Params) -> pd.DataFrame:
    """Return the bystanders' scores under the model's own rule of who is asked.

    A state no commitment binds is asked only when its stakes reach ``interest_floor``
    (:class:`sim.model.calls.Summons`): ``asked`` says whether it was, ``p_if_asked`` is the
    kernel's P had it been, and ``p_model`` is the chance that it was asked and fought.
    """
    stakes = [f"value_{f.name}" for f in FACTORS if f.group == "stake"]
    asked = pd.Series(screen(rows[stakes].to_numpy(float), params), index=rows.index)
    return rows.assign(
        p_if_asked=rows["p_model"], p_model=rows["p_model"].where(asked, 0.0), asked=asked * 1.0
    )


def alliances(openworld: OpenWorld, params: Params, seed: int, runs: int = 1) -> pd.DataFrame:
    """Return the alliances of ``runs`` runs of the open world (every run's rows, ``run``).

    The runs are those of :func:`run` (the same streams, the same alliances), without the
    back-test's cases scored in them: what calibrating formation and dissolution needs.
    """
    models = []
    for rng in replication_rngs(seed, runs):
        model = AllianceModel(openworld.world, params, rng=rng)
        model.run()
        models.append(model)
    return gather([m.ledgers()["alliances"] for m in models], range(runs))


def _one_run(
    openworld: OpenWorld, params: Params, rng: np.random.Generator, books: dict[str, CaseBook]
) -> tuple[AllianceModel, dict[str, list[dict[str, Any]]]]:
    model = AllianceModel(openworld.world, params, rng=rng)
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in books}
    for t in range(openworld.world.calendar.n_periods):
        model.war_situation = None
        replayed = openworld.mode == "history"
        before = model.at_war().copy() if replayed else None  # at war as the year began
        model.step()
        if not replayed:
            continue
        # the wars of the year have begun; the model's guarantors have not yet moved them
        began = model.war_situation
        situation = began
        for name, book in books.items():
            todo = book.rows_in(openworld.start + t)
            if len(todo):
                situation = situation if situation is not None else model.situation()
                rows[name] += score_year(book, todo, situation, model.alive, params, before)
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
        "bystanders": backtest.bystanders_report(result.bystanders) if replayed else None,
        "mechanisms": mechanisms.report(result.cases) if replayed else None,
        "reliability": reliability.report(
            result.cases, result.models, result.openworld.start, result.openworld.end
        ),
    }
