"""Summaries of a set of replications, set beside the scenario's history.

For each decision (a guarantor called by a war), across runs: P(honour) (that it fights)
with a 90% interval, P(supply) and P(stay out), the share of each outcome, the most likely
outcome, what history records and whether they agree, and the factors that weighed most.
For each alliance: how often and when it ended, and why, beside history.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sim.model.decide import FACTOR_NAMES
from sim.results.runs import RunSet
from sim.scenario.schema import History

OUTCOMES = ("honoured", "violated", "not_triggered", "intervened", "stayed_out")
KEY = ["war", "guarantor", "partner", "adversary", "theatre"]


def shape(symmetric: bool) -> str:
    """Return how every report names an alliance's shape: ``equal`` or ``asym`` (patron-client)."""
    return "equal" if symmetric else "asym"


def decision_id(row: Any) -> str:
    """Return the id a user types to name a decision: ``war:guarantor:partner``."""
    return f"{row['war']}:{row['guarantor']}:{row['partner']}"


def decisions(runset: RunSet, top: int = 3) -> pd.DataFrame:
    """Summarise every decision across runs; one row per (war, guarantor)."""
    d = runset.decisions
    if d.empty:
        return pd.DataFrame(columns=["id", *KEY, "p_honour"])
    history = _history_outcomes(runset.scenario.spec.history)
    rows = [
        _decision_row(key, group, history, top, runset.runs)
        for key, group in d.groupby(KEY, sort=False)
    ]
    return pd.DataFrame(rows)


def p_fought(rows: pd.DataFrame, runs: int | None = None) -> float:
    """Return the chance that the guarantor fought, over the runs that asked it (or ``runs``).

    Asked once in a run: its mean P(honour). Asked in several periods (a war that asks each
    period): the share of those runs in which it fought in one of them. Asked again in an
    unchanged situation, it decides as it did (:mod:`sim.model.readings`); the periods' chances
    add up only as the situation moves. A guarantor that fights, or whose commitment ends, is
    not asked again. Given ``runs`` (all the runs made), a run that never asked the guarantor
    counts as one in which it did not fight: so a state no commitment binds, asked only when
    its stakes reach the floor, is scored over every run.
    """
    if not len(rows):
        return 0.0
    if runs is not None:
        if rows["run"].is_unique:
            return float(rows["p_honour"].sum() / runs)
        return float(rows.groupby("run", sort=True)["fought"].any().sum() / runs)
    if rows["run"].is_unique:
        return float(rows["p_honour"].mean())
    return float(rows.groupby("run", sort=True)["fought"].any().mean())


def p_supplied(rows: pd.DataFrame, runs: int | None = None) -> float:
    """Return the chance that the guarantor supplied the partner's side and did not fight.

    Over the runs that asked it (or all ``runs``), as :func:`p_fought`: asked once in a run,
    its mean P(supply); asked in several periods, the share of those runs in which it
    supplied in one of them and fought in none.
    """
    if not len(rows):
        return 0.0
    if rows["run"].is_unique:
        total = float(rows["p_supply"].sum())
    else:
        by_run = rows.groupby("run", sort=True)
        total = float((by_run["supplied"].any() & ~by_run["fought"].any()).sum())
    return total / (runs if runs is not None else rows["run"].nunique())


def by_run(group: pd.DataFrame) -> pd.DataFrame:
    """Return one decision's rows as one row per run: its last outcome, whether it fought.

    A guarantor asked in several periods has the outcome of the last period it was asked,
    fought if it fought in any, and its factors' means. A decision asked once per run is
    returned as it is.
    """
    if group["run"].is_unique:
        return group
    runs = group.groupby("run", sort=True)
    contrib = [c for c in group.columns if c.startswith(("contrib_", "value_"))]
    collapsed = runs[contrib].mean()
    collapsed["outcome"] = runs["outcome"].last()
    collapsed["fought"] = runs["fought"].any()
    collapsed["supplied"] = runs["supplied"].any() & ~collapsed["fought"]
    collapsed["date"] = runs["date"].first()
    return collapsed.reset_index()


def _decision_row(
    key: tuple[Any, ...],
    group: pd.DataFrame,
    history: dict[tuple[str, ...], str],
    top: int,
    runs: int,
) -> dict[str, Any]:
    """Summarise one decision; a state no commitment binds is scored over all ``runs``."""
    row: dict[str, Any] = dict(zip(KEY, key, strict=True))
    p = group["p_honour"].to_numpy()  # a period's P(honour), over runs (and periods)
    bound = bool(group["bound"].mean() >= 0.5)
    over = None if bound else runs
    p_any, p_supply = p_fought(group, over), p_supplied(group, over)
    asked = group["run"].nunique() / runs
    group = by_run(group)
    shares = group["outcome"].value_counts(normalize=True)
    outcome = max(OUTCOMES, key=lambda o: (shares.get(o, 0.0), -OUTCOMES.index(o)))
    hist = history.get(tuple(key[1:]))
    contrib = group[[f"contrib_{f}" for f in FACTOR_NAMES]].mean()
    ranked = (
        contrib.drop(["contrib_perception", "contrib_baseline"])
        .abs()
        .sort_values(ascending=False)
        .index[:top]
    )
    row.update(
        {
            "id": decision_id(row),
            "date": group["date"].iloc[0],
            "runs": len(group),
            "p_honour": p_any,
            "p_low": float(np.quantile(p, 0.05)),
            "p_high": float(np.quantile(p, 0.95)),
            "p_supply": p_supply,
            "p_stay_out": max(1.0 - p_any - p_supply, 0.0),
            **{f"p_{o}": float(shares.get(o, 0.0)) for o in OUTCOMES},
            "p_fought": float(group["fought"].mean()),
            "p_supplied": float(group["supplied"].mean()),
            "outcome": outcome,
            "history": hist or "",
            "agrees": None if hist is None else outcome == hist,
            "top_factors": [(c.removeprefix("contrib_"), float(contrib[c])) for c in ranked],
            "bound": bound,
            "asked": asked,
        }
    )
    return row


def _history_outcomes(history: History | None) -> dict[tuple[str, ...], str]:
    if history is None:
        return {}
    return {(h.guarantor, h.partner, h.adversary, h.theatre): h.recorded for h in history.decisions}


def alliances(runset: RunSet) -> pd.DataFrame:
    """Summarise every alliance of the scenario across runs, beside history."""
    a = runset.alliances
    if a.empty:
        return pd.DataFrame(columns=["alliance", "kind", "members", "p_ended"])
    history = runset.scenario.spec.history
    ended_in = {h.commitment: h for h in history.alliances} if history else {}
    calendar = runset.world.calendar
    rows = []
    for (alliance, kind, members), group in a.groupby(["alliance", "kind", "members"], sort=False):
        if group["origin"].iloc[0] == "formed":
            continue
        ended = group[group["ended"]]
        hist = ended_in.get(str(alliance))
        rows.append(
            {
                "alliance": alliance,
                "kind": kind,
                "members": members,
                "symmetric": bool(group["symmetric"].iloc[0]),
                "p_ended": len(ended) / runset.runs,
                "median_end": calendar.label(int(ended["end_period"].median()))
                if len(ended)
                else "",
                "reason": ended["reason"].mode().iloc[0] if len(ended) else "",
                "history_end": "" if hist is None or hist.ended is None else str(hist.ended.year),
                "history_reason": "" if hist is None else (hist.reason or "held"),
            }
        )
    return pd.DataFrame(rows)


def polarity(runset: RunSet) -> dict[str, Any]:
    """Return how often the system's poles changed during the runs, and into what (P11)."""
    s = runset.system
    if s.empty:
        return {"p_changed": 0.0, "start": "", "after": ""}
    changed = s[s["polarity_changed"]]
    after = changed.groupby("run")["poles"].last().mode()
    return {
        "p_changed": changed["run"].nunique() / runset.runs,
        "start": s.loc[s["period"] == 0, "poles"].mode().iloc[0],
        "after": after.iloc[0] if len(after) else "",
    }


def outcomes(runset: RunSet) -> pd.DataFrame:
    """Summarise the outcomes of the mechanisms other than decisions to fight.

    Memberships at the end of the run (their value to each member), sanctions (the
    target's loss) and presences at the end of their term, across runs.
    """
    o = runset.outcomes
    if o.empty:
        return pd.DataFrame(columns=["kind", "subject", "state", "value", "p_result"])
    last = o[(o["kind"] != "membership") | (o["period"] == o["period"].max())]
    grouped = last.groupby(["kind", "subject", "state"], sort=False)
    table = grouped.agg(value=("value", "mean"), p_result=("result", "mean")).reset_index()
    return table


def hedging(runset: RunSet) -> pd.DataFrame:
    """Return each courted state's alignment gap at the start and the end, averaged over runs.

    The gap is how much closer a state stands to its closest patron than to the next one
    (0: evenly hedged). Only states with a gap at the start are listed (P12).
    """
    s = runset.states
    first, last = s["period"].min(), s["period"].max()
    start = s[s["period"] == first].groupby("state", sort=False)["alignment_gap"].mean()
    end = s[s["period"] == last].groupby("state", sort=False)["alignment_gap"].mean()
    table = pd.DataFrame({"start": start, "end": end}).reset_index()
    return table[table["start"] > 0]


def formed(runset: RunSet) -> pd.DataFrame:
    """Return how often each pair of states formed a new alliance during the runs."""
    a = runset.alliances
    if a.empty:
        return pd.DataFrame(columns=["members", "common_enemy", "p_formed"])
    f = a[a["origin"] == "formed"]
    counts = f.groupby(["members", "common_enemy"]).run.nunique() / runset.runs
    return counts.rename("p_formed").reset_index()
