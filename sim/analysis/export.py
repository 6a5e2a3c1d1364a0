"""A run's alliances and decisions as dyad-year and state-year tables with COW codes.

The tables follow the conventions of the Correlates of War data and of peacesciencer, so that
a user can join them to COW, ATOP or peacesciencer tables in R or pandas:

* **dyad-year** — one row per run, year and *directed* dyad (``ccode1``, ``ccode2``) that shared
  an alliance in force that year or in which ``ccode1`` was called to fight for ``ccode2``:
  a 0/1 column per kind of commitment, the alliances' ids, and the decisions (``called``,
  ``fought``, mean ``p_honour``, and, from folders that record them, ``supplied`` (supplied
  without fighting) and mean ``p_supply``; the adversaries and wars). Dyads with neither are
  left out:
  join the table onto your own dyad-years and read a missing row as 0.
* **state-year** — one row per run, year and state alive: its figures (power as a CINC
  share, effective power, nuclear arms, demand for allies, ...; the mean over the year's
  periods), the alliances it belonged to, the calls it answered and those made for it.

A state whose id is not a COW abbreviation (in a synthetic scenario) has no ``ccode``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.history import cow
from sim.model.tables import ALLIANCE_COLUMNS, DECISION_COLUMNS

KINDS = ("defence_pact", "coalition", "basing", "consultation", "institution")
"""The kinds of commitment, each a 0/1 column of the dyad-year table."""
FIGURES = ("power", "effective_power", "demand_for_allies", "ally_value", "alignment_gap")
"""The states table's figures that a state-year gives as the mean over the year."""


def period_years(states: pd.DataFrame) -> pd.Series:
    """Return each period's calendar year, read from the states table's dates."""
    dates = states.drop_duplicates("period").set_index("period")["date"]
    return dates.astype(str).str[:4].astype(int)


def alliance_years(alliances: pd.DataFrame, years: pd.Series) -> pd.DataFrame:
    """Return one row per run, alliance and year in which it was in force (any period)."""
    bounds = zip(alliances["start_period"], alliances["end_period"], strict=True)
    last = int(years.index.max()) + 1 if len(years) else 0  # no year after the run's last
    spans = pd.Series(
        [list(range(int(a), min(int(b), last))) for a, b in bounds], index=alliances.index
    )
    rows = alliances.assign(period=spans).explode("period").dropna(subset=["period"])
    rows["year"] = rows["period"].astype(int).map(years)
    return rows.drop_duplicates(["run", "alliance", "year"])[
        ["run", "year", "alliance", "kind", "members"]
    ]


def dyad_years(
    alliances: pd.DataFrame, decisions: pd.DataFrame, states: pd.DataFrame
) -> pd.DataFrame:
    """Return the directed dyad-years of a run folder's tables (see the module's docstring)."""
    spells, calls = _by_year(alliances, decisions, states)
    allied, called = _allied_dyads(spells), _called_dyads(calls)
    table = allied.merge(called, on=["run", "year", "state1", "state2"], how="outer")
    table[list(KINDS)] = table[list(KINDS)].astype(float).fillna(0).astype(int)
    counts = [c for c in ("called", "fought", "supplied") if c in table.columns]
    table[counts] = table[counts].astype(float).fillna(0).astype(int)
    table = _with_codes(_with_codes(table, "state1", "ccode1"), "state2", "ccode2")
    return _ordered(table, ["run", "year", "ccode1", "ccode2", "state1", "state2"])


def _by_year(
    alliances: pd.DataFrame, decisions: pd.DataFrame, states: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the alliance-years and the decisions with their year (empty tables kept whole)."""
    years = period_years(states)
    spells = alliance_years(_columns(alliances, ALLIANCE_COLUMNS), years)
    calls = _columns(decisions, DECISION_COLUMNS)
    return spells, calls.assign(year=calls["period"].map(years))


def _ordered(table: pd.DataFrame, first: list[str]) -> pd.DataFrame:
    """Return the table with ``first`` as its first columns, sorted by them."""
    ordered = table[first + [c for c in table.columns if c not in first]]
    return ordered.sort_values(first).reset_index(drop=True)


def _allied_dyads(spells: pd.DataFrame) -> pd.DataFrame:
    """Return each ordered pair of members of each alliance-year, a column per kind."""
    pairs = spells.assign(pair=spells["members"].str.split(";").map(_ordered_pairs)).explode("pair")
    pairs = pairs.dropna(subset=["pair"])
    pairs["state1"], pairs["state2"] = pairs["pair"].str[0], pairs["pair"].str[1]
    keys = ["run", "year", "state1", "state2"]
    kinds = pd.crosstab([pairs[k] for k in keys], pairs["kind"]).clip(upper=1)
    kinds = kinds.reindex(columns=list(KINDS), fill_value=0)
    ids = pairs.groupby(keys)["alliance"].agg(lambda a: ";".join(sorted(set(a))))
    return kinds.join(ids.rename("alliances")).reset_index()


def _ordered_pairs(members: list[str]) -> list[tuple[str, str]]:
    return [(a, b) for a in members for b in members if a != b]


def _called_dyads(decisions: pd.DataFrame) -> pd.DataFrame:
    """Return each guarantor-partner-year's calls: how many, fought, P(honour), whom.

    Folders written before calls could be answered by supply have no ``supplied`` column;
    their dyad-years have none either.
    """
    calls = decisions.rename(columns={"guarantor": "state1", "partner": "state2"})
    supply = {"supplied": ("supplied", "max"), "p_supply": ("p_supply", "mean")}
    grouped = calls.groupby(["run", "year", "state1", "state2"])
    table = grouped.agg(
        called=("war", "size"),
        fought=("fought", "max"),
        p_honour=("p_honour", "mean"),
        **{k: v for k, v in supply.items() if v[0] in calls.columns},
        adversaries=("adversary", lambda a: ";".join(sorted(set(a)))),
        wars=("war", lambda w: ";".join(sorted(set(w)))),
    ).reset_index()
    if "supplied" in table.columns:  # supplied, and fought in none of the year's calls
        table["supplied"] = table["supplied"].astype(bool) & ~table["fought"].astype(bool)
    return table


def state_years(
    alliances: pd.DataFrame, decisions: pd.DataFrame, states: pd.DataFrame
) -> pd.DataFrame:
    """Return the state-years of a run folder's tables (see the module's docstring)."""
    spells, calls = _by_year(alliances, decisions, states)
    dated = states.assign(year=states["period"].map(period_years(states)))
    found = dated.groupby(["run", "year", "state"])
    table = found[list(FIGURES)].mean().join(found["nuclear"].max().astype(int)).reset_index()
    table = table.merge(_memberships(spells), how="left").merge(_calls(calls), how="left")
    counts = [c for c in table.columns if c.startswith(("alliances_", "calls_", "fought_"))]
    table[counts] = table[counts].astype(float).fillna(0).astype(int)
    return _ordered(_with_codes(table, "state", "ccode"), ["run", "year", "ccode", "state"])


def _memberships(spells: pd.DataFrame) -> pd.DataFrame:
    """Return how many alliances (and defence pacts) each state belonged to in each year."""
    members = spells.assign(state=spells["members"].str.split(";")).explode("state")
    members["defence"] = members["kind"].isin(("defence_pact", "coalition"))
    grouped = members.groupby(["run", "year", "state"])
    return grouped.agg(
        alliances_in_force=("alliance", "nunique"), alliances_defence=("defence", "sum")
    ).reset_index()


def _calls(decisions: pd.DataFrame) -> pd.DataFrame:
    """Return each state-year's calls to fight as a guarantor, and those made for it."""
    as_guarantor = decisions.groupby(["run", "year", "guarantor"]).agg(
        calls_as_guarantor=("war", "size"), fought_as_guarantor=("fought", "sum")
    )
    for_it = decisions.groupby(["run", "year", "partner"]).agg(
        calls_for_it=("war", "size"), fought_for_it=("fought", "sum")
    )
    both = as_guarantor.rename_axis(["run", "year", "state"]).join(
        for_it.rename_axis(["run", "year", "state"]), how="outer"
    )
    return both.reset_index()


def _columns(table: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Return a table, or an empty one with its columns where a run recorded no row."""
    return table if len(table.columns) else pd.DataFrame(columns=["run", *columns])


def _with_codes(table: pd.DataFrame, column: str, code: str) -> pd.DataFrame:
    """Add the COW code of each state id in ``column`` as ``code`` (missing if not COW's)."""
    found = {s: _ccode(s) for s in table[column].dropna().unique()}
    return table.assign(**{code: table[column].map(found).astype("Int64")})


def _ccode(state: str) -> float:
    try:
        return cow.ccode(state)
    except KeyError:
        return np.nan
