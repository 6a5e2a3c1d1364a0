"""Whole-process timings against the targets of issue 33, beside the previous release.

Each figure is the median of several runs of a fresh process (``run.py`` as a user types
it). The previous release is exported from git (``git archive REV``) into a temporary folder
and timed in the same session, alternating with the current code, so that their ratio holds
on a shared, noisy machine.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SINGLE_CORE = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
TARGETS = {
    "version": 1.0,
    "list": 1.0,
    "world_cold": 5.0,
    "world_warm": 3.0,
    "backtest_warm": 20.0,
    "world_build_warm": 0.5,
    "world_run": 1.0,
}
"""The targets of issue 33, in seconds."""


def process_seconds(
    args: Sequence[str], where: Path = ROOT, env: dict[str, str] | None = None
) -> float:
    """Return the wall seconds of one ``run.py ARGS`` process (its output discarded)."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "run.py", *args],
        cwd=where,
        env={**os.environ, **SINGLE_CORE, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - start


def paired(
    args: Sequence[str], before: Path | None, repeat: int = 5, env: dict[str, str] | None = None
) -> tuple[float, float | None]:
    """Return the median seconds of ``run.py ARGS`` now and (if given) in ``before``.

    The two alternate run by run, so that both meet the same load.
    """
    now: list[float] = []
    then: list[float] = []
    for _ in range(repeat):
        now.append(process_seconds(args, ROOT, env))
        if before is not None:
            then.append(process_seconds(args, before, env))
    return statistics.median(now), (statistics.median(then) if then else None)


@contextmanager
def release(rev: str | None) -> Iterator[Path | None]:
    """Export the code of ``rev`` (a commit of this repository) to a temporary folder."""
    if not rev:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="alliance-sim-before-") as tmp:
        archive = Path(tmp) / "code.tar"
        subprocess.run(
            ["git", "archive", "--format=tar", "-o", str(archive), rev], cwd=ROOT, check=True
        )
        with tarfile.open(archive) as tar:
            tar.extractall(Path(tmp) / "code", filter="data")
        yield Path(tmp) / "code"


def startup(before: Path | None) -> dict[str, tuple[float, float | None]]:
    """Start-up: ``run.py --version`` and ``run.py list``, now and before."""
    return {"version": paired(["--version"], before), "list": paired(["list"], before)}


def world_process(before: Path | None) -> dict[str, tuple[float, float | None]]:
    """``run.py world --runs 1`` as a whole process: cold (an empty cache) and warm."""
    with tempfile.TemporaryDirectory() as cache:
        env = {"ALLIANCE_SIM_CACHE": cache}
        args = ["world", "--runs", "1", "--json"]
        cold = [process_seconds(args, ROOT, {**env, "ALLIANCE_SIM_NO_CACHE": "1"})]
        warm_before = paired(args, before, repeat=3, env=env)  # the first fills the cache
    return {"world_cold": (statistics.median(cold), warm_before[1]), "world_warm": warm_before}


def backtest_warm() -> float:
    """``run.py backtest --runs 3`` with the open world in the cache (one process)."""
    with tempfile.TemporaryDirectory() as cache:
        env = {"ALLIANCE_SIM_CACHE": cache}
        process_seconds(["backtest", "--runs", "1", "--json"], ROOT, env)  # fills the cache
        return process_seconds(["backtest", "--runs", "3", "--json"], ROOT, env)


def world_build_and_run() -> dict[str, float]:
    """The open world's build cold (from the data) and warm (from the cache), and one run."""
    code = (
        "import json, os, statistics, time\n"
        "from sim.analysis import compiled\n"
        "from sim.history import openworld, worldrun\n"
        "from sim.model.params import Params\n"
        "t = time.perf_counter(); w = openworld.build(); cold = time.perf_counter() - t\n"
        "compiled.open_world(1816, 2003)\n"
        "warm = []\n"
        "for _ in range(3):\n"
        "    t = time.perf_counter(); compiled.open_world(1816, 2003)\n"
        "    warm.append(time.perf_counter() - t)\n"
        "worldrun.run(w, Params(), 0)\n"
        "runs = []\n"
        "for seed in range(1, 4):\n"
        "    t = time.perf_counter(); worldrun.run(w, Params(), seed)\n"
        "    runs.append(time.perf_counter() - t)\n"
        "print(json.dumps({'build_cold': cold, 'build_warm': statistics.median(warm),\n"
        "                  'run': statistics.median(runs)}))\n"
    )
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, **SINGLE_CORE, "ALLIANCE_SIM_CACHE": cache}
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
        )
    found: dict[str, float] = json.loads(out.stdout.splitlines()[-1])
    return found


def sobol_study(samples: int = 16, workers: int = 2) -> dict[str, float]:
    """Time a Sobol study of the back-test's Brier over 8 parameters with second-order indices.

    ``samples`` 16 gives 16 x (2 x 8 + 2) = 288 runs of the open world, a sixteenth of the
    study at N = 256 (4,608 runs). The extrapolation is linear in the points: the study's
    wall time is a fixed part (the processes' start, the world read from the cache) plus the
    points' share, and every point costs the same in expectation (a run of 1816-2003 and its
    back-test) on ``workers`` busy processes. The fixed part is measured by the same study at
    N = 1 (18 points) and removed before scaling.
    """
    names = "baseline,w_sites,w_buffer,w_adversary,w_distance,w_relations,technology,threat_level"

    def study(n: int) -> float:
        with tempfile.TemporaryDirectory() as out:
            args = ["sensitivity", "world", "--method", "sobol", "--second-order"]
            args += ["--vary", names, "--samples", str(n), "--workers", str(workers)]
            args += ["--metric", "backtest.pre1945.brier", "--out", out, "--json"]
            return process_seconds(args)

    small, part = study(1), study(samples)
    points_small, points = 18, samples * 18
    per_point = (part - small) / (points - points_small)
    fixed = max(small - points_small * per_point, 0.0)
    full = fixed + 4608 * per_point
    return {"small": small, "part": part, "per_point": per_point, "fixed": fixed, "full": full}


def point_cost(points: int = 3) -> dict[str, float]:
    """CPU seconds of one point of a world study (a run of 1816-2003 and its back-test).

    Measured in one process after a first point (which reads the world and compiles the
    case book once per process), as CPU time: on a shared machine the CPU a point needs is
    steadier than the wall time it takes.
    """
    code = (
        "import json, time\n"
        "from sim.analysis import tuning, worldstudy\n"
        "target = worldstudy.WorldTarget(1816, 2003, {}, 1, 0, ('backtest',))\n"
        "t = time.process_time(); target.evaluate(tuning.Job(0, {}))\n"
        "first = time.process_time() - t\n"
        "t = time.process_time()\n"
        f"for i in range(1, {points + 1}):\n"
        "    target.evaluate(tuning.Job(i, {'w_sites': 1.0 + i}))\n"
        f"print(json.dumps({{'first': first, 'point': (time.process_time() - t) / {points}}}))\n"
    )
    env = {**os.environ, **SINGLE_CORE}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    found: dict[str, float] = json.loads(out.stdout.splitlines()[-1])
    return found
