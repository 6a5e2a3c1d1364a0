"""Alliance reliability in the data, coded the two ways the literature codes it.

* Leeds-style (Leeds, Long & Mitchell 2000): of the obligations an attack invoked (the
  back-test's scored cases), the share whose own terms were kept: a defence (or offence)
  duty by fighting beside the partner, a neutrality or non-aggression duty by not
  attacking it. Pooled over those types, as they pooled them, and by type. A consultation
  duty's keeping cannot be read from war data and is left out of the pool.
* Sabrosky-style (Sabrosky 1980): every belligerent of every war and every state bound to it
  by any obligation when it entered: the shares that fought beside it, stayed out, or fought
  against it.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import pandas as pd

from sim.history import obligations
from sim.history.invocations import OUT, SPLIT, era
from sim.history.wars import AGAINST, BESIDE, attacks, belligerence

LEEDS_PUBLISHED = {"pooled": 0.745, "years": "1816-1944", "source": "Leeds, Long & Mitchell 2000"}
SABROSKY_PUBLISHED = {
    "beside": 0.27,
    "out": 0.61,
    "against": 0.12,
    "years": "1816-1965",
    "source": "Sabrosky 1980",
}
SABROSKY_LAST = 1965
POOLED = ("defence", "offence", "neutrality", "non_aggression")
TYPES = (*POOLED, "consultation")


def leeds(cases: pd.DataFrame) -> dict[str, Any]:
    """Return the Leeds-style share of scored cases whose duty was kept: pooled and by type.

    ``consultation`` is the share of consultation duties whose holder fought beside the
    partner (its own terms cannot be read from war data).
    """
    scored = cases[cases["scored"]]
    pool = scored[scored["obligation"].isin(POOLED)]
    found: dict[str, Any] = {"n": len(pool), "pooled": _mean(pool["kept"])}
    for kind in TYPES:
        part = scored[scored["obligation"] == kind]
        column = "honoured" if kind == "consultation" else "kept"
        found[kind] = {"n": len(part), "share": _mean(part[column].astype(float))}
    return found


def leeds_by_era(cases: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Return :func:`leeds` for each era."""
    eras = era(cases["year"])
    return {name: leeds(cases[eras == name]) for name in ("pre1945", "post1945")}


@cache
def belligerents_allies() -> pd.DataFrame:
    """Return every belligerent of every war and each state bound to it when it entered.

    Columns: war, year, belligerent, ally (COW codes), outcome (beside, out, against).
    """
    rows = []
    for war in sorted({a.war for a in attacks()}):
        b = belligerence(war)
        for state, day in sorted(b.entry.items()):
            end = b.exit.get(state, day)
            foes = b.opponents(state)
            for ally in sorted(obligations.duties_to(state, day)["member"].astype(int)):
                rows.append((war, day.year, state, ally, _side(b, ally, state, foes, day, end)))
    return pd.DataFrame(rows, columns=["war", "year", "belligerent", "ally", "outcome"])


def _side(b: Any, ally: int, state: int, foes: frozenset[int], day: Any, end: Any) -> str:
    """Return how an ally acted while a belligerent was at war: the side of its first entry."""
    against = b.first(ally, state, AGAINST)
    beside = min((d for f in foes if (d := b.first(ally, f, AGAINST)) is not None), default=None)
    beside = beside or b.first(ally, state, BESIDE)
    acts = sorted((d, kind) for d, kind in ((against, "against"), (beside, "beside")) if d and d <= end)
    return acts[0][1] if acts else OUT


def sabrosky(first: int, last: int) -> dict[str, float]:
    """Return the Sabrosky-style shares of belligerents' allies (wars begun first..last)."""
    t = belligerents_allies()
    t = t[(t["year"] >= first) & (t["year"] <= last)]
    n = len(t)
    shares = {k: float((t["outcome"] == k).mean()) if n else math.nan for k in ("beside", "out", "against")}
    return {"n": n, **shares}


def sabrosky_by_era() -> dict[str, dict[str, float]]:
    """Return :func:`sabrosky` for each era, and over Sabrosky's own span (1816-1965)."""
    return {
        "pre1945": sabrosky(1816, SPLIT - 1),
        "post1945": sabrosky(SPLIT, 2003),
        "1816-1965": sabrosky(1816, SABROSKY_LAST),
    }


def _mean(values: pd.Series) -> float:
    values = values.dropna()
    return float(values.mean()) if len(values) else math.nan
