"""``survival --compare``: simulated alliances against ATOP's, era by era, in words and figures.

The checks of :mod:`sim.analysis.comparison` as a table per era, the weighted log-rank test
and the distances between the curves; the figures set simulated beside real with one panel
per era: survival, and the cumulative incidence of each end reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis import comparison, survival
from sim.analysis.comparison import Era
from sim.analysis.patterns import Estimate
from sim.cli.common import slug, table
from sim.history.atopends import REASONS

SIMULATED = "simulated"
EXTRA_CAUSES = ("renegotiated", "other")
"""End reasons ATOP has and the model has not (shown beside the shared ones)."""


def cohorts(sets: dict[str, pd.DataFrame], atop: str) -> dict[str, dict[str, pd.DataFrame]]:
    """Return each era's cohort of each set: ``cohorts[era][label]``."""
    return {
        era: {
            label: comparison.cohort(spells, era, atop if label != SIMULATED else "all")
            for label, spells in sets.items()
        }
        for era in comparison.ERAS
    }


def compare(sets: dict[str, pd.DataFrame], atop: str, draws: int) -> list[Era]:
    """Return the comparison of the simulated set with the real one, era by era."""
    real = next(label for label in sets if label != SIMULATED)
    return [
        comparison.compare(parts[SIMULATED], parts[real], era, draws)
        for era, parts in cohorts(sets, atop).items()
    ]


def figures(sets: dict[str, pd.DataFrame], atop: str, out: Path, case: str) -> list[Path]:
    """Draw survival and incidence, each set beside the others, one panel per era.

    The files are named by the ``case`` (the run folders and ATOP), so that the comparison of
    other runs does not overwrite them.
    """
    from sim.plots import common as drawing
    from sim.plots import survival as plots

    by_era = cohorts(sets, atop)
    curves = {
        era: [g for label, part in parts.items() for g in survival.kaplan_meier(part, None, label)]
        for era, parts in by_era.items()
    }
    written = drawing.save(
        plots.survival_by_era(curves, "How long alliances last: " + " vs ".join(sets)),
        out / f"survival_by_era_{case}",
    )
    return written + incidence_figure(by_era, out / f"incidence_by_era_{case}")


def incidence_figure(by_era: dict[str, dict[str, pd.DataFrame]], stem: Path) -> list[Path]:
    """Draw each end reason's cumulative incidence, a row per era, the sets side by side."""
    from sim.plots import common as drawing
    from sim.plots import survival as plots

    panels = {
        era: {
            label: survival.cumulative_incidence(part, "cause")
            for label, part in parts.items()
            if len(part) and part["ended"].any()
        }
        for era, parts in by_era.items()
    }
    present = {r for sources in panels.values() for curves in sources.values() for r in curves}
    reasons = tuple(r for r in (*REASONS, *EXTRA_CAUSES) if r in present)
    if not reasons:  # nothing ended in any era (a scenario's alliances, in force from its start)
        return []
    title = "Why alliances ended: " + " vs ".join(next(iter(by_era.values())))
    return drawing.save(plots.incidence_by_era(panels, reasons, title), stem)


def incidence_by_set(sets: dict[str, pd.DataFrame], atop: str, out: Path, runs: str) -> list[Path]:
    """Draw each set's end reasons alone, one row per era (``survival --data atop`` too).

    The simulated set's file is named by its run folders (``runs``), ATOP's by its label.
    """
    written: list[Path] = []
    for label in sets:
        alone = {era: {label: parts[label]} for era, parts in cohorts(sets, atop).items()}
        name = runs if label == SIMULATED else slug(label)
        written += incidence_figure(alone, out / f"incidence_{name}")
    return written


def print_eras(eras: list[Era], real: str) -> None:
    """Print each era's checks, test and distances."""
    for era in eras:
        print(f"\nBegun {era.era}: simulated against {real}")
        if not era.checks:
            print("  no alliances to compare in this era")
            continue
        print(
            table(
                ["check", "simulated (one history)", "real (95%)", "rule", "holds"],
                [
                    [c.name, _fmt(c.simulated), _fmt(c.real), c.rule, _yes(c.holds)]
                    for c in era.checks
                ],
            )
        )
        test, d = era.logrank, era.distances
        print(
            f"log-rank, simulated runs weighted as one history ({test['runs']} runs): "
            f"chi2 {test['statistic']:.2f} on 1 df, p = {test['p_value']:.3g}"
        )
        print(
            f"between the curves to 20 years: largest gap {_interval(d['sup'], 2)}; "
            f"area {_interval(d['area'], 2)} years (95% bootstrap over alliances and runs)"
        )
        flat = era.details["flat_histories"]
        print(
            f"the hazard's test held to the real record, run by run: its interval reaches 1 "
            f"in {flat['flat']} of {flat['of']} simulated histories"
        )
        rates = era.details["rates_by_age"]
        print(
            "ends per 100 alliance-years by age "
            + ", ".join(rates["real"])
            + f": simulated {_values(rates['simulated'])}; real {_values(rates['real'])}"
        )


def _fmt(e: Estimate) -> str:
    if e.value != e.value:
        return "-"
    digits = 2 if abs(e.value) < 10 else 1
    if e.lower != e.lower:
        return f"{e.value:.{digits}f}"
    return f"{e.value:.{digits}f} [{e.lower:.{digits}f}-{_upper(e.upper, digits)}]"


def _upper(x: float, digits: int) -> str:
    return "inf" if x == float("inf") else f"{x:.{digits}f}"


def _interval(d: dict[str, float], digits: int) -> str:
    return f"{d['value']:.{digits}f} [{d['lower']:.{digits}f}-{d['upper']:.{digits}f}]"


def _values(rates: dict[str, Any]) -> str:
    return "/".join("-" if r["value"] is None else f"{r['value']:.1f}" for r in rates.values())


def _yes(holds: bool | None) -> str:
    return "-" if holds is None else ("yes" if holds else "no")
