"""The tables of the page: a set of runs seen at one period, as the library summarises it.

The run the page steps through is run 0 of the set; "at period t" keeps what had happened by
the end of period t: the commitments called, the alliances in force.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from sim.analysis import summary
from sim.model.tables import ALLIANCE_COLUMNS
from sim.results.runs import RunSet

STEPPED = 0
"""The run the page steps through: run 0 of the set, so its figures and the others agree."""


def upto(runset: RunSet, period: int) -> RunSet:
    """Return the set with only the commitments called up to the end of ``period``."""
    d = runset.decisions
    return dataclasses.replace(runset, decisions=d[d["period"] <= period] if len(d) else d)


def calls(runset: RunSet, period: int) -> pd.DataFrame:
    """Return every commitment called by ``period``: P(honour) over the runs, what run 0 did."""
    seen = upto(runset, period)
    table = summary.decisions(seen)
    if table.empty:
        return pd.DataFrame()
    this_run = stepped_outcomes(seen)
    return pd.DataFrame(
        {
            "decision": table["id"],
            "when": table["date"],
            "theatre": table["theatre"],
            "P(honour)": table["p_honour"].round(3),
            "90% of runs": [f"{r.p_low:.2f}-{r.p_high:.2f}" for r in table.itertuples()],
            "most likely": [
                f"{r.outcome} ({getattr(r, f'p_{r.outcome}'):.0%})" for r in table.itertuples()
            ],
            "this run": [this_run.get(i, "-") for i in table["id"]],
            "history": table["history"].replace("", "-"),
        }
    )


def numbered(table: pd.DataFrame) -> pd.DataFrame:
    """Return a table as the page shows it: its rows numbered from 1, as ``explain`` takes them."""
    shown = table.reset_index(drop=True)
    shown.index = pd.RangeIndex(1, len(shown) + 1, name="#")
    return shown


def stepped_outcomes(runset: RunSet) -> dict[str, str]:
    """Return what run 0 did in each decision, by the decision's id."""
    d = runset.decisions
    stepped = d[d["run"] == STEPPED]
    return dict(zip(stepped.apply(summary.decision_id, axis=1), stepped["outcome"], strict=True))


def alive(runset: RunSet, period: int) -> pd.DataFrame:
    """Return the rows of run 0's alliances in force at ``period``."""
    a = runset.alliances
    if a.empty:  # no alliance in any run: the table has no columns either
        return pd.DataFrame(columns=["run", *ALLIANCE_COLUMNS])
    return a[(a["run"] == STEPPED) & (a["start_period"] <= period) & (a["end_period"] > period)]


def described(alliances: pd.DataFrame) -> dict[str, pd.Series]:
    """Return the columns that name alliances on the page: id, kind, members."""
    return {
        "alliance": alliances["alliance"],
        "kind": alliances["kind"],
        "members": alliances["members"].str.replace(";", " "),
    }


def in_force(runset: RunSet, period: int) -> pd.DataFrame:
    """Return run 0's alliances in force at ``period``: kind, members, since, shape."""
    alive_now = alive(runset, period)
    if alive_now.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            **described(alive_now),
            "since": since(runset, alive_now),
            "shape": [summary.shape(bool(s)) for s in alive_now["symmetric"]],
        }
    )


def since(runset: RunSet, alliances: pd.DataFrame) -> list[str]:
    """Return when each alliance began: its treaty's date where the scenario gives it.

    An alliance in force when the scenario opens is recorded from the scenario's start; its
    commitment's ``since`` says when the treaty came into force (the CSTO's 1994, not 2020).
    """
    dated = {k: c.since for k, c in runset.scenario.spec.commitments.items() if c.since}
    return [
        dated[a].isoformat() if a in dated else str(start)
        for a, start in zip(alliances["alliance"], alliances["start"], strict=True)
    ]


def alliances(runset: RunSet) -> pd.DataFrame:
    """Return how every alliance of the scenario ended across the runs, beside history."""
    table = summary.alliances(runset)
    if table.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            **described(table),
            "ended in": (table["p_ended"] * 100).round(1).astype(str) + "% of runs",
            "median end": table["median_end"].replace("", "-"),
            "why": table["reason"].replace("", "-"),
            "history": table["history_reason"].replace("", "-"),
        }
    )


def outcomes(runset: RunSet) -> pd.DataFrame:
    """Return the share of each outcome of every commitment called, across the runs."""
    table = summary.decisions(runset)
    if table.empty:
        return pd.DataFrame()
    shares = {o: (table[f"p_{o}"] * 100).round(1) for o in summary.OUTCOMES}
    return pd.DataFrame({"decision": table["id"], **{f"{o} %": v for o, v in shares.items()}})


def period_label(runset: RunSet, period: int) -> str:
    """Return how the page names a period: its label, and its place in the scenario."""
    calendar = runset.world.calendar
    return f"{calendar.label(period)} (period {period + 1} of {calendar.n_periods})"
