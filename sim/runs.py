"""Monte Carlo replications of a scenario, and the tables they produce.

Each replication gets its own random stream, spawned from the run's seed with numpy's
``SeedSequence``, so that replication ``r`` draws the same numbers whatever else runs
beside it or in which process.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.model import AllianceModel
from sim.params import Params
from sim.scenario import Scenario
from sim.world import World, build


@dataclass(frozen=True)
class RunSet:
    """The records of all replications of one scenario under one parameter set and seed."""

    scenario: Scenario
    world: World
    params: Params
    seed: int
    runs: int
    decisions: pd.DataFrame
    alliances: pd.DataFrame
    states: pd.DataFrame
    system: pd.DataFrame
    outcomes: pd.DataFrame


def replication_rngs(seed: int, runs: int) -> list[np.random.Generator]:
    """Return one independent generator per replication, derived from ``seed`` alone."""
    return [np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(runs)]


def run_one(world: World, params: Params, rng: np.random.Generator) -> AllianceModel:
    """Run one replication to the scenario's end and return the model."""
    model = AllianceModel(world, params, rng=rng)
    model.run()
    return model


def replicate(scenario: Scenario, params: Params, seed: int = 0, runs: int = 100) -> RunSet:
    """Run ``runs`` replications of a scenario and gather their records."""
    world = build(scenario)
    decisions, alliances, states, system, outcomes = [], [], [], [], []
    for r, rng in enumerate(replication_rngs(seed, runs)):
        model = run_one(world, params, rng)
        decisions += [{"run": r, **row} for row in model.decisions]
        alliances += [{"run": r, **row} for row in model.alliance_rows()]
        states += [{"run": r, **row} for row in model.state_rows]
        system += [{"run": r, **row} for row in model.system_rows]
        outcomes += [{"run": r, **row} for row in model.outcome_rows]
    return RunSet(
        scenario=scenario,
        world=world,
        params=params,
        seed=seed,
        runs=runs,
        decisions=pd.DataFrame(decisions),
        alliances=pd.DataFrame(alliances),
        states=pd.DataFrame(states),
        system=pd.DataFrame(system),
        outcomes=pd.DataFrame(outcomes),
    )
