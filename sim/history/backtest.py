"""The back-test's data side: every interstate war 1816-2003, who was bound, what they did.

A case is a state bound by an ATOP defence obligation to one of a war's first two
belligerents (:func:`war_cases`); the COW war list says whether it fought on its partner's
side. The model's probabilities for the cases come from a run of the open world
(:mod:`sim.history.worldrun`); this module scores them (:func:`report`) beside two baselines:
treaty-only (every bound state joins) and power-only (a bound state joins when it is
stronger than the adversary). Nothing about a war's course or outcome is read by the model:
the sides are used only to say, afterwards, what each bound state did.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from sim.history.cow import DATASETS

WARS = "cow_interstate_war_v4_by_war_year.csv"
SPLIT = 1945
LEEDS_PUBLISHED = {"share": 0.745, "years": "1816-1944", "source": "Leeds, Long & Mitchell 2000"}
SABROSKY_LAST = 1965
SABROSKY_PUBLISHED = {
    "beside": 0.27,
    "out": 0.61,
    "against": 0.12,
    "years": "1816-1965",
    "source": "Sabrosky 1980",
}


@dataclass(frozen=True)
class CowWar:
    """One interstate war of the COW list: when, who began it against whom, who fought where."""

    war: int
    name: str
    year: int  # its first year
    last_year: int
    initiator: int  # COW codes
    target: int
    side_of: dict[int, int]  # every belligerent: 0 on the initiator's side, 1 on the target's


@cache
def wars() -> tuple[CowWar, ...]:
    """Return every larger war of the COW list, in the order of its number."""
    w = pd.read_csv(DATASETS / WARS)
    found = []
    for war_id, part in w.groupby("larger_war_id", sort=True):
        first = part.sort_values(["year", "month_entry"]).iloc[0]
        found.append(
            CowWar(
                war=int(str(war_id)),
                name=str(first["larger_war_name"]),
                year=int(part["year"].min()),
                last_year=int(part["year"].max()),
                initiator=int(first["init_ccode"]),
                target=int(first["target_ccode"]),
                side_of=_sides(part),
            )
        )
    return tuple(found)


def _sides(part: pd.DataFrame) -> dict[int, int]:
    """Two-colour the belligerents: initiator and its allies against target and its adversaries."""
    edges: list[tuple[int, int, bool]] = []  # (a, b, same side?)
    ally_cols = [c for c in part.columns if c.startswith("ally") and c.endswith("ccode")]
    adv_cols = [c for c in part.columns if c.startswith("adv") and c.endswith("ccode")]
    for _, row in part.iterrows():
        init, target = int(row["init_ccode"]), int(row["target_ccode"])
        edges.append((init, target, False))
        edges += [(init, int(row[c]), True) for c in ally_cols if pd.notna(row[c])]
        edges += [(target, int(row[c]), True) for c in adv_cols if pd.notna(row[c])]
    side: dict[int, int] = {int(part.iloc[0]["init_ccode"]): 0}
    for _ in range(len(edges)):
        changed = False
        for a, b, same in edges:
            for x, y in ((a, b), (b, a)):
                if x in side and y not in side:
                    side[y] = side[x] if same else 1 - side[x]
                    changed = True
        if not changed:
            break
    return side


@cache
def defence_obligations() -> pd.DataFrame:
    """ATOP v4.01 defence obligations: (alliance, member, entry year, exit year)."""
    a = pd.read_csv(DATASETS / "atop_v4_01_alliance_level.csv", usecols=["atopid", "defense"])
    m = pd.read_csv(
        DATASETS / "atop_v4_01_member_level.csv", usecols=["atopid", "member", "yrent", "yrexit"]
    )
    m = m.merge(a[a["defense"] == 1][["atopid"]], on="atopid")
    m["yrexit"] = m["yrexit"].where(m["yrexit"] > 0, 9999)
    return m


@cache
def bound_to(partner: int, year: int) -> tuple[int, ...]:
    """Return the states bound with ``partner`` by a defence obligation in force in ``year``."""
    m = defence_obligations()
    pact, member = m["atopid"].to_numpy(), m["member"].to_numpy()
    live = (m["yrent"].to_numpy() <= year) & (m["yrexit"].to_numpy() >= year)
    pacts = pact[live & (member == partner)]
    bound = set(member[live & np.isin(pact, pacts)].tolist()) - {partner}
    return tuple(sorted(bound))


@dataclass(frozen=True)
class Case:
    """One bound state in one war: who is bound to whom, against whom, and what it did."""

    guarantor: int
    partner: int
    adversary: int
    triggered: bool  # the partner was attacked: a defence obligation can be invoked
    joined: bool  # the data: it fought on its partner's side


def war_cases(war: CowWar, alive: Callable[[int], bool]) -> list[Case]:
    """Return the cases of one war: the states bound to one of its first two belligerents.

    Every living state bound by a defence obligation to the initiator or the target, other
    than the other one, is a case. ``alive(code)`` says whether a state is a member of the
    system that year. A bound state that fought on the other side did not join its partner.
    """
    side, year = war.side_of, war.year
    found = []
    for partner, adversary in ((war.initiator, war.target), (war.target, war.initiator)):
        if not (alive(partner) and alive(adversary)):
            continue
        for g in bound_to(partner, year):
            if g != adversary and alive(g):
                joined = g in side and side[g] == side.get(partner)
                found.append(Case(g, partner, adversary, partner == war.target, joined))
    return found


def auc(p: np.ndarray, y: np.ndarray) -> float:
    """Return the area under the ROC curve (the rank form of Mann-Whitney's U)."""
    pos, neg = p[y], p[~y]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    ranks = pd.Series(np.concatenate([pos, neg])).rank().to_numpy()
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def metrics(p: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Return n, accuracy, Brier score and AUC of probabilities ``p`` for outcomes ``y``.

    With no cases, every figure but ``n`` is NaN.
    """
    if len(y) == 0:
        return {"n": 0, "accuracy": math.nan, "brier": math.nan, "auc": math.nan}
    return {
        "n": len(y),
        "accuracy": float(((p >= 0.5) == y).mean()),
        "brier": float(((p - y) ** 2).mean()),
        "auc": auc(p, y),
    }


def report(table: pd.DataFrame) -> dict[str, Any]:
    """Return the back-test by period, beside the treaty-only and power-only baselines."""
    out: dict[str, Any] = {}
    for name, part in (
        ("pre1945", table[table["year"] < SPLIT]),
        ("post1945", table[table["year"] >= SPLIT]),
    ):
        y = part["joined"].to_numpy(bool)
        out[name] = {
            **metrics(part["p_model"].to_numpy(), y),
            "baselines": {
                "treaty_only": metrics(np.ones(len(y)), y),
                "power_only": metrics(part["stronger"].to_numpy(float), y),
            },
        }
    return out


def sabrosky(first: int = 1816, last: int = SABROSKY_LAST) -> dict[str, float]:
    """Return how belligerents' defence allies acted in the data, Sabrosky's way.

    The shares that fought beside their partner, stayed out, or fought against it, in wars
    that began from ``first`` to ``last``.
    """
    beside = out = against = 0
    for war in wars():
        if not first <= war.year <= last:
            continue
        side = war.side_of
        for partner in (war.initiator, war.target):
            for g in bound_to(partner, war.year):
                if g not in side:
                    out += 1
                elif side[g] == side.get(partner):
                    beside += 1
                else:
                    against += 1
    return shares({"beside": beside, "out": out, "against": against})


def shares(counts: dict[str, int]) -> dict[str, float]:
    """Return ``n`` and each count's share of the total (NaN when there is none)."""
    total = sum(counts.values())
    return {"n": total, **{k: v / total if total else math.nan for k, v in counts.items()}}
