"""Run the benchmark suite and write a markdown report (``python -m benchmarks [--out F]``).

Every comparison is a ratio measured in the same run, with the median of several
repetitions, because the machine is noisy.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from benchmarks.synthetic import synthetic
from sim import results
from sim.decide import score
from sim.model import AllianceModel
from sim.params import Params
from sim.runs import replicate, replication_rngs
from sim.scenario import load
from sim.world import build

from oracle import oracle, random_world

ROOT = Path(__file__).resolve().parent.parent


def median_time(fn: Callable[[], object], repeat: int = 5) -> float:
    """Return the median wall time of ``fn`` over ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def period_time(n: int, periods: int = 10) -> float:
    """Median seconds per period of the model on a synthetic world of ``n`` states."""
    world = build(synthetic(n, periods))

    def run() -> None:
        AllianceModel(world, Params(), rng=replication_rngs(0, 1)[0]).run()

    return median_time(run) / periods


def scaling() -> tuple[list[tuple[int, float]], float]:
    """Time per period at 10, 50, 200 and 400 states, and the fitted exponent."""
    sizes = [10, 50, 200, 400]
    times = [(n, period_time(n)) for n in sizes]
    slope = np.polyfit(np.log([n for n, _ in times]), np.log([t for _, t in times]), 1)[0]
    return times, float(slope)


def kernel_against_plain(n: int = 200, k: int = 200) -> tuple[float, float]:
    """Seconds to score ``k`` calls among ``n`` states: vectorised kernel and plain oracle."""
    rng = np.random.default_rng(0)
    calls, situation = random_world(rng, n=n, territories=n, sites=n // 4, k=k)
    params, noise = Params(), np.zeros(k)
    fast = median_time(lambda: score(calls, situation, params, noise))
    plain = median_time(lambda: oracle(calls, situation, params, noise), repeat=3)
    return fast, plain


def replications_per_second(runs: int = 500) -> float:
    """Karabakh 2020 replications per second on one core."""
    scenario = load(ROOT / "scenarios" / "karabakh_2020.yaml")
    return runs / median_time(lambda: replicate(scenario, Params(), seed=0, runs=runs), repeat=3)


def sweep_speedup(points: int = 100) -> tuple[float, float]:
    """Seconds for a sweep of ``points`` points on 1 and on 2 worker processes."""
    import tempfile

    from sim import tuning

    static = str(ROOT / "scenarios" / "counterfactuals" / "technology_and_threat_static.yaml")
    target = tuning.Target(static, (), {}, 20, 0)
    jobs = tuning.latin_hypercube(
        [tuning.parse_range("technology=0:0.9:2"), tuning.parse_range("w_sites=0:10:2")], points, 0
    )

    def run(workers: int) -> None:
        with tempfile.TemporaryDirectory() as tmp, tuning.executor_for(workers, None) as pool:
            tuning.sweep(pool, target, jobs, tuning.PointStore(Path(tmp), "bench"))

    return median_time(lambda: run(1), repeat=3), median_time(lambda: run(2), repeat=3)


def report() -> str:
    """Run every benchmark and return the markdown report."""
    times, slope = scaling()
    fast, plain = kernel_against_plain()
    rate = replications_per_second()
    one, two = sweep_speedup()
    versions = results.versions()
    lines = [
        "# Benchmark report",
        "",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
        f"- versions: {', '.join(f'{k} {v}' for k, v in versions.items())}",
        f"- date: {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        "## Scaling: seconds per period against the number of states",
        "",
        "| states | ms per period |",
        "| --- | --- |",
        *[f"| {n} | {t * 1000:.2f} |" for n, t in times],
        "",
        f"Fitted exponent: **{slope:.2f}** (target: at most 2.2); between the two largest sizes: "
        f"**{np.log(times[-1][1] / times[-2][1]) / np.log(times[-1][0] / times[-2][0]):.2f}**.",
        "",
        "## The kernel against a plain per-call, per-state implementation (200 states, 200 calls)",
        "",
        f"Vectorised: {fast * 1000:.2f} ms; plain: {plain * 1000:.1f} ms; "
        f"ratio **{plain / fast:.0f}x** (target: at least 20x).",
        "",
        "## Replications",
        "",
        f"Karabakh 2020: **{rate:.0f} replications per second** on one core (target: 500).",
        "",
        "## Parallel sweep (100 Latin-hypercube points, 20 runs each)",
        "",
        f"1 worker: {one:.1f} s; 2 workers: {two:.1f} s; speed-up **{one / two:.2f}x** "
        "(target: at least 1.7x).",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    """Run the suite and write the report."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "REPORT.md")
    args = parser.parse_args()
    text = report()
    results.write_text(args.out, text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
