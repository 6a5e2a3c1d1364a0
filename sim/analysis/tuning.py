"""Sweeps, sensitivity analysis and calibration of the declared parameters.

Every job is one *point*: a set of parameter values, replicated ``runs`` times with a seed
derived from the sweep's seed and the point's index alone, so that the results do not depend
on how many workers run the points or where. :func:`sweep` takes any
``concurrent.futures.Executor``: a local process pool by default, or a Dask cluster's
(``distributed.Client(address).get_executor()``). Each finished point is written at once, so
an interrupted sweep loses nothing and a rerun skips what is done.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd
from scipy.stats import qmc

from sim.analysis.summary import decision_id
from sim.errors import InputError, ParameterError
from sim.model import params as parameters
from sim.results.files import claim, run_key, write_table
from sim.results.runs import replicate
from sim.results.workers import WorkerPool
from sim.scenario.loading import Scenario, load
from sim.scenario.schema import ScenarioSpec, WarEvent


@dataclass(frozen=True)
class Job:
    """One point of a sweep: where it stands in the design and the values it sets."""

    index: int
    values: dict[str, float]


class Study(Protocol):
    """What the points of a sweep run: a frozen dataclass that measures one job.

    :class:`Target` replicates a scenario; :class:`sim.analysis.worldstudy.WorldTarget`
    runs the open world. Its fields name the sweep (:func:`sweep_key`).
    """

    def evaluate(self, job: Job) -> dict[str, Any]:
        """Run one point and return its record: the values, then what was measured."""
        ...


@dataclass(frozen=True)
class Target:
    """What a point runs: a scenario (with overlays), base parameters, runs and a seed."""

    scenario: str
    overlays: tuple[str, ...]
    base: dict[str, float]
    runs: int
    seed: int

    def evaluate(self, job: Job) -> dict[str, Any]:
        """Run one point of the scenario (:func:`evaluate`)."""
        return evaluate(self, job)


MAX_STEPS = 100_000
"""The most values of one parameter in a grid."""


def parse_range(text: str) -> tuple[str, list[float]]:
    """Parse ``name=low:high:steps``, ``name=low:high`` or ``name=v1,v2,...``: name and values.

    ``low:high`` gives the two ends, which is all a Latin hypercube needs (a grid would have
    just those two steps).

    Raises:
        ParameterError: the text is malformed, ``steps`` is not a whole number from 1 to
            :data:`MAX_STEPS`, or a value lies outside the declared range.
    """
    name, sep, spec = text.partition("=")
    name = name.strip()
    if not sep:
        raise ParameterError(
            "--param", text, "expected name=low:high:steps of a declared parameter"
        )
    parameters.check_name(name, source="--param")
    try:
        values = _values(name, spec)
    except ValueError:
        raise ParameterError(
            "--param", name, "expected low:high:steps, low:high (for --lhs) or v1,v2,...", got=spec
        ) from None
    return name, [parameters.check_value(name, v, source="--param") for v in values]


def _values(name: str, spec: str) -> list[float]:
    """Return the values of ``low:high:steps``, of ``low:high`` (its two ends) or of a list."""
    if spec.count(":") == 2:
        low, high, steps = spec.split(":")
        first, last = _ends(name, low, high)
        return list(np.linspace(first, last, _steps(name, steps)).tolist())
    if spec.count(":") == 1:
        low, high = spec.split(":")
        return list(_ends(name, low, high))
    return [_value(name, v) for v in spec.split(",")]


def _ends(name: str, low: str, high: str) -> tuple[float, float]:
    """Return a range's two ends, checked; LOW above HIGH is refused (a typo, not a design)."""
    first, last = _value(name, low), _value(name, high)
    if first > last:
        raise ParameterError(
            "--param", name, "expected LOW:HIGH with LOW at most HIGH", got=f"{low}:{high}"
        )
    return first, last


def _value(name: str, text: str) -> float:
    """Return one value of a range, checked against its declaration."""
    return parameters.check_value(name, float(text), source="--param")


def _steps(name: str, text: str) -> int:
    """Return the number of values of a range: a whole number from 1 to :data:`MAX_STEPS`."""
    steps = int(text)
    if not 1 <= steps <= MAX_STEPS:
        raise ParameterError(
            "--param", name, f"expected a number of steps from 1 to {MAX_STEPS:,}", got=text
        )
    return steps


def grid(ranges: Sequence[tuple[str, list[float]]]) -> list[Job]:
    """Return the points of a full grid over the given values."""
    names = [name for name, _ in ranges]
    combos = itertools.product(*[values for _, values in ranges])
    return [
        Job(i, dict(zip(names, map(float, combo), strict=True))) for i, combo in enumerate(combos)
    ]


def latin_hypercube(ranges: Sequence[tuple[str, list[float]]], n: int, seed: int) -> list[Job]:
    """Return ``n`` Latin-hypercube points within each parameter's given bounds."""
    lows = [min(values) for _, values in ranges]
    highs = [max(values) for _, values in ranges]
    unit = qmc.LatinHypercube(d=len(ranges), seed=np.random.default_rng(seed)).random(n)
    points = qmc.scale(unit, lows, highs) if lows != highs else unit * 0 + np.array(lows)
    names = [name for name, _ in ranges]
    return [Job(i, dict(zip(names, map(float, row), strict=True))) for i, row in enumerate(points)]


def point_seed(seed: int, index: int) -> int:
    """Return the seed of one point, from the sweep's seed and the point's index alone."""
    return int(np.random.SeedSequence([seed, index]).generate_state(1)[0])


@cache
def _scenario(path: str, overlays: tuple[str, ...]) -> Scenario:
    return load(path, overlays)


STATE_MEANS = ("ally_value", "alignment_gap", "demand_for_allies")
"""The states' figures whose mean over runs a point records as ``mean:NAME``."""


def check_metric(name: str, spec: ScenarioSpec) -> str:
    """Return a metric's name if a point of this scenario can record it, before any point runs.

    A point records ``p_honour:`` and ``fought:`` of each decision (``war:guarantor:partner``),
    ``ended:`` of each of the scenario's alliances and ``mean:`` of each of
    :data:`STATE_MEANS`.

    Raises:
        InputError: the name cannot be one of this scenario's metrics.
    """
    kind, _, rest = name.partition(":")
    parts = rest.split(":")
    wars = {eid for eid, e in spec.events.items() if isinstance(e, WarEvent)}
    known = {
        "p_honour": len(parts) == 3 and parts[0] in wars and {*parts[1:]} <= set(spec.states),
        "ended": rest in spec.commitments,
        "mean": rest in STATE_MEANS,
    }
    if not known.get("p_honour" if kind == "fought" else kind, False):
        raise InputError(
            "--metric",
            "",
            "expected p_honour:WAR:GUARANTOR:PARTNER or fought:WAR:GUARANTOR:PARTNER (a war of "
            f"the scenario), ended:ALLIANCE (a commitment of it) or mean:{'|'.join(STATE_MEANS)}",
            got=name,
        )
    return name


def evaluate(target: Target, job: Job) -> dict[str, Any]:
    """Run one point and return its record: the values, then what the runs measured."""
    params = parameters.build(target.base).replace(**job.values)
    runset = replicate(
        _scenario(target.scenario, target.overlays),
        params,
        seed=point_seed(target.seed, job.index),
        runs=target.runs,
    )
    record: dict[str, Any] = {"point": job.index, **job.values}
    d = runset.decisions
    if len(d):
        d = d.assign(decision=d.apply(decision_id, axis=1))
        for key, group in d.groupby("decision", sort=False):
            record[f"p_honour:{key}"] = float(group["p_honour"].mean())
            record[f"fought:{key}"] = float(group["fought"].mean())
    a = runset.alliances
    if len(a):
        for key, group in a[a["origin"] == "scenario"].groupby("alliance", sort=False):
            record[f"ended:{key}"] = float(group["ended"].mean())
    for name in STATE_MEANS:
        record[f"mean:{name}"] = float(runset.states[name].mean())
    return record


def evaluate_into(store: PointStore | None, target: Study, job: Job) -> dict[str, Any] | None:
    """Run one point and save it to ``store``; without a store, return its record."""
    record = target.evaluate(job)
    if store is None:
        return record
    store.save(record)
    return None


class PointStore:
    """Finished points of one sweep, one Parquet file each, under ``folder/points``."""

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = Path(folder)
        self.points = self.folder / "points"
        claim(
            folder, self.folder / "design.key", key, "sweep (design, scenario, seed or runs differ)"
        )

    def _path(self, index: int) -> Path:
        return self.points / f"point_{index:06d}.parquet"

    def done(self, index: int) -> bool:
        """Whether a point has been written."""
        return self._path(index).exists()

    def save(self, record: dict[str, Any]) -> None:
        """Write one finished point atomically."""
        write_table(self._path(int(record["point"])), pd.DataFrame([record]))

    def table(self) -> pd.DataFrame:
        """Return every finished point, in design order."""
        files = sorted(self.points.glob("point_*.parquet"))
        if not files:
            return pd.DataFrame()
        return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)


def sweep(
    executor: Executor,
    target: Study,
    jobs: Sequence[Job],
    store: PointStore,
    progress: Callable[[int], None] = lambda n: None,
) -> pd.DataFrame:
    """Run every job not yet done on ``executor``, saving each as it finishes.

    The processes of a local pool save the points they run (they share this machine's disk);
    a cluster's workers hand their points back to be saved here. ``progress(1)`` is called
    as each new point finishes (points kept from an earlier sweep are not counted).
    """
    todo = [job for job in jobs if not store.done(job.index)]
    local = isinstance(executor, ProcessPoolExecutor)
    futures: list[Future[dict[str, Any] | None]] = [
        executor.submit(evaluate_into, store if local else None, target, job) for job in todo
    ]
    try:
        for future in as_completed(futures):
            record = future.result()
            if record is not None:
                store.save(record)
            progress(1)
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    return store.table()


def executor_for(workers: int, scheduler: str | None) -> Executor:
    """Return a local process pool, or a Dask cluster's executor when a scheduler is named."""
    if scheduler:
        from distributed import Client

        try:
            client = Client(scheduler)  # type: ignore[no-untyped-call]
        except (OSError, ValueError) as exc:  # out of reach (after Dask's connect timeout)
            raise InputError(
                "--scheduler", scheduler, f"expected a running Dask scheduler ({exc})"
            ) from None
        return client.get_executor()  # type: ignore[no-untyped-call]
    return WorkerPool(workers)


def sweep_key(target: Study, jobs: Sequence[Job]) -> str:
    """Return the digest that ties a folder to one sweep."""
    return run_key({"target": target.__dict__, "jobs": [j.values for j in jobs]})


def design_json(jobs: Sequence[Job]) -> str:
    """Return the design as JSON, for the record."""
    return json.dumps([{"point": j.index, **j.values} for j in jobs], indent=1)
