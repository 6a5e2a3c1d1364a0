"""Parameter studies of the open world: one point is a run of 1816-2003 and its figures.

A point runs the open world (:func:`sim.history.worldrun.run`) with one parameter set and
records the figures a modeller asks about, by dotted name as the command line's JSON gives
them:

* ``backtest.ERA.FIGURE``: the back-test's report (``run.py backtest --json``), e.g.
  ``backtest.pre1945.brier``, ``backtest.post1945.auc``;
* ``reliability.WHICH.ERA.KIND.FIGURE``: reliability both ways, e.g.
  ``reliability.simulated.pre1945.leeds.pooled``;
* ``bystanders.ERA.FIGURE`` and ``mechanisms....``: the other sections of the report;
* ``survival.ERA.CHECK``: the simulated alliances against ATOP's (``run.py survival
  --compare``), e.g. ``survival.pre1945.median`` (the simulated median duration in years).

Only the sections the metric names are computed (the back-test's cross-validation and the
survival bootstrap cost more than the run). The figures are reached through the same public
functions the ``world``, ``backtest`` and ``survival`` commands call, so that the history
underneath can change without this module knowing.

Each point draws from a seed derived from the study's seed and the point's index alone
(:func:`sim.analysis.tuning.point_seed`): the study is a pure function of its design and
seed, whatever the number of workers, local or on a Dask cluster.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from sim.errors import InputError
from sim.model import params as parameters

if TYPE_CHECKING:
    from sim.analysis.tuning import Job
    from sim.history.openworld import OpenWorld
    from sim.history.worldrun import WorldRun

WORLD = "world"
"""The word that names the open world where a scenario is expected (``sweep world``)."""
SECTIONS = ("backtest", "bystanders", "mechanisms", "reliability", "survival")
"""The sections of the open world's report a metric can name."""
ERAS = {"pre1945": "1816-1944", "post1945": "1945-2003"}
"""The eras of the metrics' names, and the survival comparison's names for them."""
DEFAULT_METRIC = "backtest.pre1945.brier"
"""The figure a world study reports unless ``--metric`` names another."""
SURVIVAL_DRAWS = 50
"""Bootstrap draws of the survival comparison's distances at each point (the CLI's: 200)."""
CHECKS = {"median duration (years)": "median", "alliances begun per history": "begun"}
"""Short names of the survival comparison's checks; the others are named by their words."""


@dataclass(frozen=True)
class WorldTarget:
    """What a point of a world study runs: a span, base parameters, runs, seed, sections."""

    start: int
    end: int
    base: dict[str, float]
    runs: int
    seed: int
    sections: tuple[str, ...]

    def evaluate(self, job: Job) -> dict[str, Any]:
        """Run one point and return its record: the values, then every figure measured."""
        from sim.analysis.tuning import point_seed
        from sim.history import worldrun

        params = parameters.build(self.base).replace(**job.values)
        result = worldrun.run(
            _world(self.start, self.end), params, point_seed(self.seed, job.index), self.runs
        )
        record: dict[str, Any] = {"point": job.index, **job.values}
        for section in self.sections:
            record.update(flatten(_section(section, result), section))
        return record


def check_metric(name: str) -> tuple[str, ...]:
    """Return the sections a metric needs, before any point runs.

    Raises:
        InputError: the name does not begin with a known section, or names no known era.
    """
    section, _, rest = name.partition(".")
    era = rest.partition(".")[0]
    known_era = section in ("reliability", "mechanisms") or era in ERAS
    if section not in SECTIONS or not rest or not known_era:
        raise InputError(
            "--metric",
            "",
            f"expected a figure of the open world: SECTION.ERA.FIGURE with SECTION one of "
            f"{', '.join(SECTIONS)} and ERA one of {', '.join(ERAS)} (e.g. {DEFAULT_METRIC}, "
            "survival.pre1945.median, reliability.simulated.pre1945.leeds.pooled)",
            got=name,
        )
    return (section,)


def flatten(value: Any, prefix: str) -> dict[str, float]:
    """Return the numbers of a nested report as ``prefix.key.key`` names (lists by index)."""
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    elif isinstance(value, bool) or value is None:
        return {prefix: math.nan if value is None else float(value)}
    elif isinstance(value, int | float):
        return {prefix: float(value)}
    else:
        return {}
    found: dict[str, float] = {}
    for key, inner in items:
        found.update(flatten(inner, f"{prefix}.{key}"))
    return found


@cache
def _world(start: int, end: int) -> OpenWorld:
    """Build the open world once per process (every point of a study shares it)."""
    from sim.analysis import compiled

    return compiled.open_world(start, end, "history")


def _section(section: str, result: WorldRun) -> Any:
    """Return one section of the open world's report, as the command line computes it.

    Each is the public function :func:`sim.history.worldrun.summary` calls for that section
    (a test holds them equal), so that a point pays only for the section it records.
    """
    from sim.history import backtest, mechanisms, reliability

    ow = result.openworld
    sections = {
        "backtest": lambda: backtest.report(result.cases),
        "bystanders": lambda: backtest.bystanders_report(result.bystanders),
        "mechanisms": lambda: mechanisms.report(result.cases),
        "reliability": lambda: reliability.report(result.cases, result.models, ow.start, ow.end),
        "survival": lambda: _survival(result),
    }
    return sections[section]()


def _survival(result: WorldRun) -> dict[str, Any]:
    """Return the survival comparison by era: each check's simulated figure, the distances."""
    from sim.analysis import comparison, survival

    simulated = survival.from_table(result.table("alliances"))
    real = _atop()
    found: dict[str, Any] = {}
    for era, years in ERAS.items():
        compared = comparison.compare(
            comparison.cohort(simulated, years, "all"),
            comparison.cohort(real, years, "defence"),
            years,
            SURVIVAL_DRAWS,
        )
        checks = {_check_name(c.name): c.simulated.value for c in compared.checks}
        found[era] = {**checks, "logrank": compared.logrank, "distances": compared.distances}
    return found


@cache
def _atop() -> Any:
    """Return ATOP's alliances as spells, read once per process."""
    from sim.analysis import survival

    return survival.from_atop()


def _check_name(words: str) -> str:
    """Return a check's short name: its words before any bracket, joined by ``_``."""
    if words in CHECKS:
        return CHECKS[words]
    head = words.split(" (")[0].replace(":", "").replace("'s", "")
    return "_".join(head.split())
