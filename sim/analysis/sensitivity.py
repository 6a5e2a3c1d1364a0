"""Global sensitivity analysis of the declared parameters with SALib (Sobol, Morris)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from sim.analysis.tuning import Job
from sim.model import params as parameters

STABLE_SOBOL_N = 512
"""Base sample size below which Sobol indices are commonly unstable (Saltelli et al. 2010)."""


@dataclass(frozen=True)
class Design:
    """A SALib problem and its sample, as sweep jobs."""

    method: str
    problem: dict[str, Any]
    samples: np.ndarray
    jobs: list[Job]
    second_order: bool = False


def design_size(method: str, names: int, n: int, second_order: bool = False) -> int:
    """Return how many points a design of ``names`` parameters and base sample ``n`` has.

    Sobol takes N(D+2) for first and total order, N(2D+2) with second-order indices too;
    Morris (N trajectories) N(D+1).
    """
    if method == "sobol":
        return n * ((2 * names if second_order else names) + 2)
    return n * (names + 1)


def design(method: str, names: list[str], n: int, seed: int, second_order: bool = False) -> Design:
    """Sample the declared ranges of ``names`` for ``method`` (``sobol`` or ``morris``).

    ``second_order`` (Sobol only) adds the samples of the pairs' indices (S2).
    """
    bounds = [[parameters.SPECS[name].low, parameters.SPECS[name].high] for name in names]
    problem = {"num_vars": len(names), "names": names, "bounds": bounds}
    pairs = second_order and method == "sobol"
    if method == "sobol":
        samples = sobol_sample.sample(problem, n, calc_second_order=pairs, seed=seed)
    else:
        samples = morris_sample.sample(problem, n, seed=seed)
    jobs = [Job(i, dict(zip(names, map(float, row), strict=True))) for i, row in enumerate(samples)]
    return Design(method, problem, samples, jobs, pairs)


def analyse(design_: Design, outputs: np.ndarray, seed: int) -> pd.DataFrame:
    """Return first-order and total indices (Sobol) or mu* and sigma (Morris), with 95% CIs.

    A second-order Sobol design adds a column ``S2:NAME`` per parameter: the index of the
    pair (row, NAME), the same both ways, NaN on the diagonal.
    """
    names = design_.problem["names"]
    if design_.method == "sobol":
        found = sobol_analyze.analyze(
            design_.problem, outputs, calc_second_order=design_.second_order, seed=seed
        )
        columns = ["S1", "S1_conf", "ST", "ST_conf"]
    else:
        found = morris_analyze.analyze(design_.problem, design_.samples, outputs, seed=seed)
        columns = ["mu_star", "mu_star_conf", "sigma"]
    table = {c: np.asarray(found[c], dtype=float) for c in columns}
    if design_.second_order:
        pairs = np.asarray(found["S2"], dtype=float)
        pairs = np.where(np.isnan(pairs), pairs.T, pairs)
        table |= {f"S2:{name}": pairs[:, j] for j, name in enumerate(names)}
    return pd.DataFrame(table, index=pd.Index(names, name="parameter"))


def warnings(design_: Design, n: int, table: pd.DataFrame) -> list[str]:
    """Return warnings about the reliability of the indices."""
    found = []
    if design_.method == "sobol" and n < STABLE_SOBOL_N:
        found.append(
            f"the base sample N={n} is small for stable Sobol indices "
            f"(use at least {STABLE_SOBOL_N}); read the confidence intervals"
        )
    if design_.method == "sobol" and n & (n - 1):
        found.append(
            f"the base sample N={n} is not a power of 2, so Sobol' points lose their balance "
            "(use 64, 128, 256, ...)"
        )
    if design_.method == "sobol" and (table["ST_conf"] > 0.1).any():
        found.append("some total-order indices have 95% intervals wider than +-0.1")
    return found
