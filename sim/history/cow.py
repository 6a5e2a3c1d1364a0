"""The COW and nuclear data extracts carried by the package, and look-ups for scenario authors.

The package reads only its own copies in ``sim/datasets`` (see ``SOURCES.md`` there for
publishers, changes and citations). The model never reads these files during a run:
scenario files carry their figures with sources, and these look-ups are how an author
(and the test suite) gets and checks those figures.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import cast

import pandas as pd

from sim import cache as on_disk

DATASETS = Path(__file__).parent.parent / "datasets"
NMC = "cow_nmc_v7_0_from_peacesciencer.csv"
NMC_CITATION = "COW NMC v7.0 (cinc)"
CONTIGUITY_END = (
    201612  # the last month of COW Direct Contiguity v3.2: spells ending here still hold
)


@dataclass(frozen=True)
class Figures:
    """The sourced figures of one state in one year."""

    state: str
    year: int
    cinc: float | None
    nuclear: bool
    capital: str | None
    lat: float | None
    lng: float | None
    borders: tuple[str, ...]

    def source(self) -> str:
        """Return the citation line for these figures, as scenario files write it."""
        return (
            f"power: {NMC_CITATION}, {self.year}; capital: peacesciencer cow_capitals "
            f"(OpenStreetMap); nuclear: Bleek 2017 via OWID, {min(self.year, 2022)}; "
            f"borders: COW Direct Contiguity v3.2, type 1"
        )


def data_files() -> list[Path]:
    """Return every data file the history is built from (their content keys the disk cache)."""
    return sorted(p for p in DATASETS.iterdir() if p.is_file())


def kept_on_disk[**P, T](build: Callable[P, T]) -> Callable[P, T]:
    """Keep a table built from the data alone, in the process and in the cache on disk.

    The cache (:mod:`sim.cache`) keys it by its arguments (JSON values), the data files'
    content and the code's version: an edited extract or line of code builds it afresh, and
    ``--no-cache`` builds it always. ``cache_clear`` forgets it in the process, as for
    ``functools.cache``.
    """
    kind = f"{build.__module__}.{build.__name__}"

    @cache
    @functools.wraps(build)
    def table(*args: P.args, **kwargs: P.kwargs) -> T:
        inputs = {"args": list(args), "kwargs": kwargs}
        return on_disk.cached(kind, inputs, lambda: build(*args, **kwargs), files=data_files())

    return cast(Callable[P, T], table)


@cache
def data_table(name: str) -> pd.DataFrame:
    """Return one of the packaged data files as a table (read once)."""
    return pd.read_csv(DATASETS / name)


@cache
def abbreviations() -> dict[int, str]:
    """Return each COW state code's abbreviation (the open world's state ids)."""
    states = data_table("cow_states2016.csv").drop_duplicates("ccode")
    return dict(zip(states["ccode"].astype(int), states["stateabb"].astype(str), strict=True))


def years() -> tuple[int, int]:
    """Return the first and last year of the national capabilities (COW NMC v7.0)."""
    year = data_table(NMC)["year"]
    return int(year.min()), int(year.max())


def ccode(state: str) -> int:
    """Return the COW code of a state abbreviation.

    Raises:
        KeyError: the abbreviation is not in the COW state list.
    """
    states = data_table("cow_states2016.csv")
    match = states.loc[states.stateabb == state, "ccode"]
    if match.empty:
        raise KeyError(f"{state!r} is not a COW state abbreviation")
    return int(match.iloc[0])


def cinc(state: str, year: int) -> float | None:
    """Return a state's CINC in a year (COW NMC v7.0), or None where it is missing."""
    nmc = data_table(NMC)
    row = nmc.loc[(nmc.stateabb == state) & (nmc.year == year), "cinc"]
    return None if row.empty or row.iloc[0] < 0 else float(row.iloc[0])


def nuclear(state: str, year: int) -> bool:
    """Return whether a state possessed deliverable nuclear weapons in a year (Bleek 2017)."""
    table = data_table("nuclear_weapons_status_bleek_owid.csv")
    year = max(min(year, int(table.Year.max())), int(table.Year.min()))
    row = table.loc[(table.ccode == ccode(state)) & (table.Year == year)]
    return bool(not row.empty and row.nuclear_weapons_possession.iloc[0] == 1)


def capital(state: str, date: dt.date) -> tuple[str, float, float] | None:
    """Return the capital (name, lat, lng) of a state on a date."""
    table = data_table("cow_capitals_geocoded_peacesciencer.csv")
    day = date.isoformat()
    row = table.loc[(table.ccode == ccode(state)) & (table.stdate <= day) & (table.enddate >= day)]
    if row.empty:
        return None
    return str(row.capital.iloc[0]), float(row.lat.iloc[0]), float(row.lng.iloc[0])


def borders(state: str, year: int, among: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """Return the states with a direct land or river border (COW type 1) in a year."""
    table = data_table("cow_contdir_v3_2.csv")
    month = year * 100 + 6
    live = (
        (table.conttype == 1)
        & (table.begin <= month)
        & ((table.end >= month) | (table.end == CONTIGUITY_END))
    )
    low = table.loc[live & (table.statelab == state), "statehab"]
    high = table.loc[live & (table.statehab == state), "statelab"]
    found = sorted(set(low) | set(high))
    return tuple(s for s in found if among is None or s in among)


def figures(state: str, year: int, among: tuple[str, ...] | None = None) -> Figures:
    """Return all the sourced figures of a state in a year."""
    cap = capital(state, dt.date(year, 7, 1))
    return Figures(
        state=state,
        year=year,
        cinc=cinc(state, year),
        nuclear=nuclear(state, year),
        capital=cap[0] if cap else None,
        lat=cap[1] if cap else None,
        lng=cap[2] if cap else None,
        borders=borders(state, year, among),
    )
