"""Monte Carlo replications of a scenario, and the tables they produce.

Each replication gets its own random stream, spawned from the run's seed with numpy's
``SeedSequence``, so that replication ``r`` draws the same numbers whatever else runs beside
it, in which process, or in which chunk. Replications run in chunks; chunks can run in
parallel processes and can be saved as they finish, so that an interrupted job resumes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.model.alliance_model import AllianceModel
from sim.model.params import Params
from sim.model.records import Ledger, Panel, gather
from sim.model.tables import TABLES
from sim.model.world import World, build
from sim.results.workers import WorkerPool
from sim.scenario.loading import Scenario

CHUNK = 50
"""Replications per chunk: the unit of parallel work and of checkpointing."""

Tables = dict[str, pd.DataFrame]


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


def replication_rngs(seed: int, runs: int, first: int = 0) -> list[np.random.Generator]:
    """Return one independent generator per replication, derived from ``seed`` alone.

    They are those of replications ``first`` to ``runs - 1``: replication ``i``'s is the
    ``i``-th child ``SeedSequence(seed).spawn`` would give (the same spawn key), made alone,
    so that a chunk late in a long run does not spawn every child before it.
    """
    return [
        np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i,)))
        for i in range(first, runs)
    ]


def run_one(world: World, params: Params, rng: np.random.Generator) -> AllianceModel:
    """Run one replication to the scenario's end and return the model."""
    model = AllianceModel(world, params, rng=rng)
    model.run()
    return model


def run_chunk(world: World, params: Params, seed: int, start: int, stop: int) -> Tables:
    """Run replications ``start`` to ``stop - 1`` and return their tables."""
    kept: dict[str, list[Ledger | Panel]] = {name: [] for name in TABLES}
    rngs = replication_rngs(seed, stop, start)
    for rng in rngs:
        model = run_one(world, params, rng)
        for name, ledger in model.ledgers().items():
            kept[name].append(ledger)
    return {name: gather(kept[name], range(start, stop)) for name in TABLES}


def chunks(runs: int, size: int = CHUNK) -> list[tuple[int, int]]:
    """Split ``runs`` replications into (start, stop) chunks."""
    return [(start, min(start + size, runs)) for start in range(0, runs, size)]


class Checkpoint:
    """Where finished chunks are kept, so that an interrupted job resumes.

    This base keeps nothing; :class:`sim.results.ChunkStore` keeps chunks on disk.
    """

    def load(self, start: int, stop: int) -> Tables | None:
        """Return a finished chunk's tables, or None."""
        return None

    def kept(self, runs: int) -> int:
        """Return how many of ``runs`` replications are kept from an earlier job."""
        return 0

    def save(self, start: int, stop: int, tables: Tables) -> None:
        """Keep a finished chunk."""


def replicate(
    scenario: Scenario,
    params: Params,
    seed: int = 0,
    runs: int = 100,
    workers: int = 1,
    checkpoint: Checkpoint | None = None,
    progress: Callable[[int], object] | None = None,
) -> RunSet:
    """Run ``runs`` replications of a scenario and gather their records.

    Results are the same whatever ``workers`` is: chunks are combined in order.
    ``progress(n)`` is called as each chunk of ``n`` new replications finishes (kept ones
    are not counted).
    """
    world = build(scenario)
    store = checkpoint or Checkpoint()
    parts = list(_chunk_tables(world, params, seed, runs, workers, store, progress))
    tables = {name: _concat([p[name] for p in parts]) for name in TABLES}
    return RunSet(scenario=scenario, world=world, params=params, seed=seed, runs=runs, **tables)


def _chunk_tables(
    world: World,
    params: Params,
    seed: int,
    runs: int,
    workers: int,
    store: Checkpoint,
    progress: Callable[[int], object] | None,
) -> Iterator[Tables]:
    """Yield each chunk's tables in order: kept ones, then new ones (saved as they finish)."""
    todo = [(a, b) for a, b in chunks(runs) if store.load(a, b) is None]
    if workers <= 1 or len(todo) <= 1:

        def compute(a: int, b: int) -> Tables:
            return run_chunk(world, params, seed, a, b)

        yield from _collect(chunks(runs), store, compute, progress)
        return
    with WorkerPool(workers) as pool:  # left by an exception, it stops its workers at once
        futures = {(a, b): pool.submit(run_chunk, world, params, seed, a, b) for a, b in todo}
        yield from _collect(chunks(runs), store, lambda a, b: futures[(a, b)].result(), progress)


def _collect(
    spans: list[tuple[int, int]],
    store: Checkpoint,
    compute: Callable[[int, int], Tables],
    progress: Callable[[int], object] | None,
) -> Iterator[Tables]:
    """Yield each chunk in order: the kept one if there is one, else computed and saved."""
    for a, b in spans:
        tables = store.load(a, b)
        if tables is None:
            tables = compute(a, b)
            store.save(a, b, tables)
            if progress is not None:
                progress(b - a)
        yield tables


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
