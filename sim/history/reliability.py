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
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from sim.history import obligations
from sim.history.cow import kept_on_disk
from sim.history.invocations import OUT, SPLIT, era
from sim.history.wars import AGAINST, BESIDE, attacks, belligerence
from sim.model.alliance_model import AllianceModel
from sim.model.records import Columns

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


def invoked(cases: pd.DataFrame) -> pd.Series:
    """Return which cases were invoked obligations: scored, or a duty not to fight set apart.

    Leeds scored every duty by its own terms, so neutrality, non-aggression and consultation
    duties count here though the "fought" score sets them apart.
    """
    return cases["scored"] | (cases["apart"] == "no_duty_to_fight")


def leeds(cases: pd.DataFrame) -> dict[str, Any]:
    """Return the Leeds-style share of invoked cases whose duty was kept: pooled and by type.

    ``consultation`` is the share of consultation duties whose holder fought beside the
    partner (its own terms cannot be read from war data); ``counts`` gives each type's n.
    """
    scored = cases[invoked(cases)]
    pool = scored[scored["obligation"].isin(POOLED)]
    found: dict[str, Any] = {"n": len(pool), "pooled": _mean(pool["kept"]), "counts": {}}
    for kind in TYPES:
        part = scored[scored["obligation"] == kind]
        column = "honoured" if kind == "consultation" else "kept"
        found[kind] = _mean(part[column].astype(float))
        found["counts"][kind] = len(part)
    return found


def leeds_by_era(cases: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Return :func:`leeds` for each era."""
    eras = era(cases["year"])
    return {name: leeds(cases[eras == name]) for name in ("pre1945", "post1945")}


@kept_on_disk
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
    acts = sorted(
        (d, kind) for d, kind in ((against, "against"), (beside, "beside")) if d and d <= end
    )
    return acts[0][1] if acts else OUT


def sabrosky(first: int, last: int) -> dict[str, float]:
    """Return the Sabrosky-style shares of belligerents' allies (wars begun first..last)."""
    t = belligerents_allies()
    t = t[(t["year"] >= first) & (t["year"] <= last)]
    n = len(t)
    shares = {
        k: float((t["outcome"] == k).mean()) if n else math.nan
        for k in ("beside", "out", "against")
    }
    return {"n": n, **shares}


def sabrosky_by_era(first: int = 1816, last: int = 2003) -> dict[str, dict[str, float]]:
    """Return :func:`sabrosky` for each era of ``first``..``last``, and over 1816-1965."""
    return {
        "pre1945": sabrosky(first, min(last, SPLIT - 1)),
        "post1945": sabrosky(max(first, SPLIT), last),
        "1816-1965": sabrosky(first, min(last, SABROSKY_LAST)),
    }


def leeds_simulated(models: list[AllianceModel], first: int, last: int) -> dict[str, Any]:
    """Return the share of triggered obligations the runs' states honoured, Leeds's way.

    The open world's commitments are defence pacts, so the pool is its defence duties.
    """
    fought = [
        bool(f)
        for model in models
        for f, triggered, period in _columns(
            model.decisions.columns(), "fought", "triggered", "period"
        )
        if triggered and first <= model.world.calendar.first_day(int(period)).year <= last
    ]
    share = float(np.mean(fought)) if fought else math.nan
    found: dict[str, Any] = {"n": len(fought), "pooled": share, "counts": {}}
    for kind in TYPES:
        found[kind] = share if kind == "defence" else math.nan
        found["counts"][kind] = len(fought) if kind == "defence" else 0
    return found


def sabrosky_simulated(models: list[AllianceModel], first: int, last: int) -> dict[str, float]:
    """Return how the belligerents' allies acted in the runs, Sabrosky's way (pooled).

    Every state with a duty to a belligerent when its war began counts once per war and side:
    it fought beside it, stayed out, or fought against it.
    """
    counts = {"beside": 0, "out": 0, "against": 0}
    for model in models:
        for war in model.wars.values():
            if not first <= model.world.calendar.first_day(war.began).year <= last:
                continue
            for side in (0, 1):
                for ally in war.allies[side]:
                    key = (
                        "beside"
                        if ally in war.camp(side)
                        else "against"
                        if ally in war.camp(1 - side)
                        else "out"
                    )
                    counts[key] += 1
    n = sum(counts.values())
    return {"n": n, **{k: v / n if n else math.nan for k, v in counts.items()}}


def report(
    cases: pd.DataFrame, models: list[AllianceModel], start: int, end: int
) -> dict[str, Any]:
    """Return reliability both ways, real (the data) and simulated (the runs), by era.

    ``model`` is the kernel's mean probability on the real Leeds cases; ``published`` the
    literature's figures, with the real Sabrosky-style shares over their span (1816-1965).
    """
    eras = era(cases["year"])
    spans = {"pre1945": (start, min(end, SPLIT - 1)), "post1945": (max(start, SPLIT), end)}
    real_sab = sabrosky_by_era(start, end)
    found: dict[str, Any] = {"real": {}, "simulated": {}, "model": {}}
    for name, (first, last) in spans.items():
        part = cases[eras == name]
        found["real"][name] = {"leeds": leeds(part), "sabrosky": real_sab[name]}
        found["simulated"][name] = {
            "leeds": leeds_simulated(models, first, last),
            "sabrosky": sabrosky_simulated(models, first, last),
        }
        probable = part[part["scored"] & part["p_model"].notna()]
        found["model"][name] = {"n": len(probable), "mean_p": _mean(probable["p_model"])}
    found["published"] = {
        "leeds": LEEDS_PUBLISHED,
        "sabrosky": SABROSKY_PUBLISHED,
        "sabrosky_real_1816_1965": real_sab["1816-1965"],
    }
    return found


def _columns(columns: Columns, *names: str) -> Iterator[tuple[Any, ...]]:
    """Yield the rows of some columns of a table (none if it has no rows)."""
    return zip(*(columns[name] for name in names), strict=True) if columns else iter(())


def _mean(values: pd.Series) -> float:
    values = values.dropna()
    return float(values.mean()) if len(values) else math.nan
