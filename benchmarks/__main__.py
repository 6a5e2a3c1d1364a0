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

from benchmarks import speed
from benchmarks.synthetic import synthetic
from sim import results
from sim.model import formation, institutions, shared
from sim.model.alliance_model import AllianceModel
from sim.model.decide import score
from sim.model.params import Params
from sim.model.world import build
from sim.results.runs import replicate, replication_rngs
from sim.scenario.loading import load

from oracle import oracle, random_world

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "sim" / "scenarios"


def median_time(fn: Callable[[], object], repeat: int = 5) -> float:
    """Return the median wall time of ``fn`` over ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def period_time(n: int, periods: int = 10) -> float:
    """Median seconds per period of the model on a synthetic world of ``n`` states.

    The memo shared by replications is off: repeating one run would otherwise time only
    its look-ups at the sizes it keeps.
    """
    world = build(synthetic(n, periods))

    def run() -> None:
        AllianceModel(world, Params(), rng=replication_rngs(0, 1)[0]).run()

    with shared.switched(False):
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


def replications_per_second(runs: int = 500) -> dict[str, float]:
    """Karabakh 2020 replications per second on one core, with the memo and without.

    Also the share of periods whose pressures a replication found already assessed.
    """
    scenario = load(SCENARIOS / "karabakh_2020.yaml")

    def rate() -> float:
        return runs / median_time(lambda: replicate(scenario, Params(), seed=0, runs=runs), 3)

    with shared.switched(False):
        plain = rate()
    with shared.switched(True):
        replicate(scenario, Params(), seed=0, runs=runs)
        found = shared.counts()
        kept = rate()
    return {"kept": kept, "plain": plain, "hits": found["hits"] / sum(found.values())}


def pairwise_floor(n: int = 200) -> tuple[float, float]:
    """Seconds per period of the model and of its pairwise arithmetic alone, at ``n`` states.

    The floor is one period's numpy work over all pairs, called directly on the arrays of
    the same synthetic world: hedging, hostility, threat, felt threat, demand, pair ratios,
    formation propensity with its draws, alignment gaps. No model, book or records.
    """
    world = build(synthetic(n, 10))
    params, rng = Params(), np.random.default_rng(0)
    model = AllianceModel(world, params, rng=replication_rngs(0, 1)[0])
    model.step()
    s = model.situation()
    allied = model.book.allied_pairs(0)
    goals = np.full((n, n), -1, dtype=np.int64)

    def floor() -> None:
        relations = institutions.hedge(s.relations, s.power, params, 1.0)
        hostile = np.maximum(s.hostility, formation.rivalry(relations, allied, params))
        threat = formation.threat_matrix(s.power, hostile, world.capital_km, params, 1.0)
        felt = formation.felt_threat(threat, s.nuclear, params)
        formation.demand_for_allies(felt)
        ratio = formation.pair_ratio(s.power, s.nuclear)
        parity = formation.with_parity(ratio, s.nuclear, params.nuclear_parity)
        chance, _ = formation.formation_propensity(
            felt, parity, s.hostility, allied, goals, params, s.power
        )
        _ = rng.random(chance.shape) < chance
        institutions.alignment_gap(relations, s.power, params)

    return period_time(n), median_time(floor, repeat=20)


def open_world() -> dict[str, float]:
    """Build and run the open world 1816-2003 (history wars) in a fresh process, one core.

    Returns the build and run seconds (the median of three runs in that process) and the
    process's peak resident memory in MB.
    """
    import json
    import subprocess

    code = (
        "import json, resource, statistics, time\n"
        "from sim.history import openworld, worldrun\n"
        "from sim.model.params import Params\n"
        "t = time.perf_counter(); w = openworld.build(); built = time.perf_counter() - t\n"
        "runs = []\n"
        "for seed in range(3):\n"
        "    t = time.perf_counter(); worldrun.run(w, Params(), seed)\n"
        "    runs.append(time.perf_counter() - t)\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps({'build': built, 'run': statistics.median(runs), 'peak_mb': peak}))\n"
    )
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    found: dict[str, float] = json.loads(out.stdout)
    return found


def hot_spots() -> list[tuple[str, float, float]]:
    """Time each profiled hot spot before and after its fix, on the open world's own inputs.

    The inputs are recorded from a run of 1816-2003; each pair of implementations is
    checked to agree before it is timed.
    """
    from benchmarks import before
    from sim.history import openworld, worldrun

    felts: list[tuple[np.ndarray, float, np.ndarray]] = []
    blocs: list[tuple[np.ndarray, np.ndarray, float]] = []
    common, poles = formation._common_threats, formation.poles

    def keep_common(felt: np.ndarray, floor: float, among: np.ndarray) -> object:
        felts.append((felt.copy(), floor, among.copy()))
        return common(felt, floor, among)

    try:
        formation._common_threats = keep_common  # type: ignore[assignment]
        model = worldrun.run(openworld.build(), Params(), 0).models[0]
    finally:
        formation._common_threats = common
    book, last = model.book, model.period
    for t in range(0, last + 1, 4):
        alive = (book.starts <= t) & ((book.ends < 0) | (book.ends > t)) & book.symmetric
        blocs.append((book.members[alive], model.world.power[t], Params().pole_share))
    checks = [
        (
            "common threats",
            lambda: [common(*a) for a in felts],
            lambda: [before.common_threats(*a) for a in felts],
        ),
        ("poles", lambda: [poles(*a) for a in blocs], lambda: [before.poles(*a) for a in blocs]),
    ]
    rows = []
    for name, now, then in checks:
        assert _same(now(), then()), f"{name}: the fix changed the results"
        rows.append((name, median_time(then, repeat=3), median_time(now, repeat=3)))
    return rows


def _same(a: object, b: object) -> bool:
    """Whether two results (lists of arrays, tuples, lists) are equal."""
    if isinstance(a, np.ndarray):
        return bool(np.array_equal(a, np.asarray(b)))
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))  # type: ignore[arg-type]
    return a == b


def sweep_speedup(points: int = 100) -> tuple[float, float]:
    """Seconds for a sweep of ``points`` points on 1 and on 2 worker processes."""
    import tempfile

    from sim.analysis import tuning

    static = str(SCENARIOS / "counterfactuals" / "technology_and_threat_static.yaml")
    target = tuning.Target(static, (), {}, 20, 0)
    jobs = tuning.latin_hypercube(
        [tuning.parse_range("technology=0:0.9:2"), tuning.parse_range("w_sites=0:10:2")], points, 0
    )

    def run(workers: int) -> None:
        with tempfile.TemporaryDirectory() as tmp, tuning.executor_for(workers, None) as pool:
            tuning.sweep(pool, target, jobs, tuning.PointStore(Path(tmp), "bench"))

    return median_time(lambda: run(1), repeat=3), median_time(lambda: run(2), repeat=3)


def report(sections: set[str], before: str | None) -> str:
    """Run the benchmarks of ``sections`` and return the markdown report."""
    versions = results.versions()
    lines = [
        "# Benchmark report",
        "",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
        f"- versions: {', '.join(f'{k} {v}' for k, v in versions.items())}",
        f"- date: {time.strftime('%Y-%m-%d %H:%M')}; load average at the start: "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}",
        f"- the previous release timed beside the current code: {before or 'not timed'}",
        "",
    ]
    for name, section in SECTIONS.items():
        if name in sections:
            lines += section(before)
    return "\n".join(lines)


def _model_sections(before: str | None) -> list[str]:
    times, slope = scaling()
    fast, plain = kernel_against_plain()
    model_period, floor_period = pairwise_floor()
    world = open_world()
    spots = hot_spots()
    return [
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
        "## Against the floor: the pairwise arithmetic alone (200 states)",
        "",
        f"Model: {model_period * 1000:.2f} ms per period; the same pairwise numpy work alone: "
        f"{floor_period * 1000:.2f} ms; ratio **{model_period / floor_period:.1f}x** "
        "(target: at most 5x).",
        "",
        "## The open world 1816-2003 (history wars, one process, one core)",
        "",
        f"Build from the data: {world['build']:.2f} s; run: **{world['run']:.2f} s**; "
        f"total {world['build'] + world['run']:.2f} s (target: about a second); "
        f"peak memory of the whole process: **{world['peak_mb']:.0f} MB** (target: under 500).",
        "",
        "## Hot spots found by profiling (pyinstrument), before and after, same inputs",
        "",
        "| hot spot | before (s) | after (s) | speed-up |",
        "| --- | --- | --- | --- |",
        *[f"| {name} | {a:.3f} | {b:.3f} | {a / b:.1f}x |" for name, a, b in spots],
        "",
    ]


def _replication_sections(before: str | None) -> list[str]:
    rate = replications_per_second()
    return [
        "## Replications",
        "",
        f"Karabakh 2020: **{rate['kept']:.0f} replications per second** on one core "
        f"(target: 1,000); **{rate['plain']:.0f}** with the memo shared by replications off "
        f"(target: 500). {rate['hits']:.1%} of the memo's look-ups (a period's pressures, a "
        "war's stakes) found their result.",
        "",
    ]


def _sweep_sections(before: str | None) -> list[str]:
    one, two = sweep_speedup()
    return [
        "## Parallel sweep (100 Latin-hypercube points, 20 runs each)",
        "",
        f"1 worker: {one:.1f} s; 2 workers: {two:.1f} s; speed-up **{one / two:.2f}x** "
        "(target: at least 1.7x).",
        "",
    ]


def _process_sections(before: str | None) -> list[str]:
    """Whole processes as a user runs them, beside the previous release where it runs them."""
    with speed.release(before) as old:
        found = {**speed.startup(old), **speed.world_process(old)}
    found["backtest_warm"] = (speed.backtest_warm(), None)
    inner = speed.world_build_and_run()
    rows = [
        ("run.py --version", "version"),
        ("run.py list", "list"),
        ("run.py world --runs 1, cold (no cache)", "world_cold"),
        ("run.py world --runs 1, warm (cache filled)", "world_warm"),
        ("run.py backtest --runs 3, warm", "backtest_warm"),
    ]
    return [
        "## Whole processes (median of paired runs; the previous release alternating)",
        "",
        "| command | now (s) | previous release (s) | ratio | target (s) |",
        "| --- | --- | --- | --- | --- |",
        *[_process_row(words, *found[key], speed.TARGETS[key]) for words, key in rows],
        "",
        "The previous release's `world` has no cache: its cold and warm figures are one process "
        "each way.",
        "",
        "## The open world's build and run, inside one process (one core)",
        "",
        f"Build from the data (cold): {inner['build_cold']:.2f} s; from the cache (warm): "
        f"**{inner['build_warm']:.3f} s** (target: 0.5 s); one run of 1816-2003: "
        f"**{inner['run']:.2f} s** (target: 1.0 s).",
        "",
    ]


def _process_row(words: str, now: float, then: float | None, target: float) -> str:
    ratio = f"{then / now:.2f}x faster" if then else "-"
    return f"| `{words}` | {now:.2f} | {f'{then:.2f}' if then else '-'} | {ratio} | {target:g} |"


def _study_sections(before: str | None) -> list[str]:
    cost = speed.point_cost()
    full_cpu = 4608 * cost["point"] / 2
    return [
        "## A Sobol study of the back-test's Brier (8 parameters, second order)",
        "",
        f"One point (a run of 1816-2003 and its back-test): **{cost['point']:.2f} CPU s**, "
        f"after a first point of {cost['first']:.1f} CPU s per process (the case book).",
        f"Extrapolated to N = 256 (4,608 points) on 2 busy cores: 4,608 x "
        f"{cost['point']:.2f} / 2 = **{full_cpu / 60:.0f} minutes** (target: 15). Method: CPU "
        "time per point in one process, linear in the points (they are independent and "
        "equal in expectation), divided by the 2 cores; the per-process first point is left "
        "out as it is paid once per worker.",
        "",
    ]


def _web_sections(before: str | None) -> list[str]:
    from benchmarks import web

    found = web.timings()
    if not found:
        return ["## The web view", "", f"Not timed: no Chromium at {web.CHROMIUM}.", ""]
    p, figure, year = (found[k] for k in ("slider_p_honour", "slider_first_figure", "year_step"))
    return [
        "## The web view in headless Chromium (Playwright)",
        "",
        f"First render (P(honour) and a figure on screen): {found['first_render']:.2f} s.",
        f"A weight slider moved to a new value ({len(p)} moves): P(honour) redrawn after a median "
        f"of **{web.median(p):.2f} s** ({min(p):.2f}-{max(p):.2f}; target "
        f"{web.TARGETS['slider_p_honour']:g} s); the first figure after "
        f"{web.median(figure):.2f} s.",
        f"The open world's year step ({len(year)} steps): **{web.median(year):.2f} s** "
        f"({min(year):.2f}-{max(year):.2f}; target {web.TARGETS['year_step']:g} s).",
        "",
    ]


SECTIONS = {
    "model": _model_sections,
    "replications": _replication_sections,
    "sweep": _sweep_sections,
    "processes": _process_sections,
    "study": _study_sections,
    "web": _web_sections,
}
"""The report's sections, in order: ``--sections`` picks some."""


def main() -> int:
    """Run the suite and write the report."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "REPORT.md")
    parser.add_argument(
        "--sections",
        default=",".join(SECTIONS),
        help=f"comma-separated sections to run ({','.join(SECTIONS)})",
    )
    parser.add_argument(
        "--before", help="a git revision of the previous release, timed beside the current code"
    )
    args = parser.parse_args()
    text = report(set(args.sections.split(",")), args.before)
    results.write_text(args.out, text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
