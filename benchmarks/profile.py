"""Profile the two workloads the benchmarks watch (``python -m benchmarks.profile``).

Prints pyinstrument's call tree for a 1816-2003 open-world run and for 300 Karabakh 2020
replications, so that a hot spot can be found again the way it was found first.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pyinstrument import Profiler

from sim.history import openworld, worldrun
from sim.model.params import Params
from sim.results.runs import replicate
from sim.scenario.loading import load

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Profile both workloads and print their call trees."""
    world = openworld.build()
    karabakh = load(ROOT / "sim" / "scenarios" / "karabakh_2020.yaml")
    for title, work in (
        ("open world 1816-2003, history wars", lambda: worldrun.run(world, Params(), 0)),
        ("Karabakh 2020, 300 replications", lambda: replicate(karabakh, Params(), runs=300)),
    ):
        profiler = Profiler(interval=0.0005)
        profiler.start()
        work()
        profiler.stop()
        print(f"# {title}\n{profiler.output_text(unicode=False, color=False)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
