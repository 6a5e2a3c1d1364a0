"""The back-test: every interstate war 1816-2003 against the model.

For every state bound to a belligerent by an ATOP defence obligation, the model's P(joins on
its partner's side) is set against what the state did.

Each case is scored by the decision kernel with the figures of the war's first year: COW CINC
(with the nuclear bonus), Bleek nuclear status, capitals, COW contiguity and the ATOP defence
obligations then in force. Nothing about the war's course or outcome is read: the sides are
used only to say, afterwards, whether the bound state fought beside its partner.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from sim.cow import CONTIGUITY_END, DATASETS, NMC
from sim.decide import Calls, Situation, score
from sim.geography import haversine_km
from sim.params import Params

WARS = "cow_interstate_war_v4_by_war_year.csv"
SPLIT = 1945


@cache
def wars() -> pd.DataFrame:
    """Return one row per war (a larger war's first year), with the states on each side."""
    w = pd.read_csv(DATASETS / WARS)
    rows = []
    for war_id, part in w.groupby("larger_war_id", sort=True):
        sides = _sides(part)
        first = part.sort_values(["year", "month_entry"]).iloc[0]
        rows.append(
            {
                "war": int(war_id),  # type: ignore[arg-type]
                "name": first["larger_war_name"],
                "year": int(part["year"].min()),
                "initiator": int(first["init_ccode"]),
                "target": int(first["target_ccode"]),
                "side_of": sides,
            }
        )
    return pd.DataFrame(rows)


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
def _obligations() -> pd.DataFrame:
    """ATOP v4.01 defence obligations: (alliance, member, entry year, exit year)."""
    a = pd.read_csv(DATASETS / "atop_v4_01_alliance_level.csv", usecols=["atopid", "defense"])
    m = pd.read_csv(
        DATASETS / "atop_v4_01_member_level.csv", usecols=["atopid", "member", "yrent", "yrexit"]
    )
    m = m.merge(a[a["defense"] == 1][["atopid"]], on="atopid")
    m["yrexit"] = m["yrexit"].where(m["yrexit"] > 0, 9999)
    return m


def bound_to(partner: int, year: int) -> list[int]:
    """Return the states bound with ``partner`` by a defence obligation in force in ``year``."""
    m = _obligations()
    live = m[(m["yrent"] <= year) & (m["yrexit"] >= year)]
    pacts = live.loc[live["member"] == partner, "atopid"]
    return sorted(set(live.loc[live["atopid"].isin(pacts), "member"]) - {partner})


@dataclass(frozen=True)
class YearFigures:
    """The state system of one year as arrays."""

    codes: list[int]
    power: np.ndarray
    nuclear: np.ndarray
    lat: np.ndarray
    lng: np.ndarray
    borders: np.ndarray
    defence: np.ndarray


@cache
def figures(year: int) -> YearFigures:
    """Return the COW system members of a year with their figures."""
    nmc = pd.read_csv(DATASETS / NMC, usecols=["ccode", "year", "cinc"])
    nmc = nmc[(nmc["year"] == year) & (nmc["cinc"] > 0)]
    caps = pd.read_csv(DATASETS / "cow_capitals_geocoded_peacesciencer.csv")
    day = f"{year}-07-01"
    caps = caps[(caps["stdate"] <= day) & (caps["enddate"] >= day)].drop_duplicates("ccode")
    table = nmc.merge(caps[["ccode", "lat", "lng"]], on="ccode")
    codes = table["ccode"].astype(int).tolist()
    at = {c: i for i, c in enumerate(codes)}
    nuke = pd.read_csv(DATASETS / "nuclear_weapons_status_bleek_owid.csv")
    armed = set(
        nuke[(nuke["Year"] == year) & (nuke["nuclear_weapons_possession"] == 1)]["ccode"]
        .dropna()
        .astype(int)
    )
    return YearFigures(
        codes,
        table["cinc"].to_numpy(),
        np.array([c in armed for c in codes]),
        table["lat"].to_numpy(),
        table["lng"].to_numpy(),
        _borders(year, at),
        _defence(year, at),
    )


def _borders(year: int, at: dict[int, int]) -> np.ndarray:
    c = pd.read_csv(DATASETS / "cow_contdir_v3_2.csv")
    month = year * 100 + 6
    c = c[
        (c["conttype"] == 1)
        & (c["begin"] <= month)
        & ((c["end"] >= month) | (c["end"] == CONTIGUITY_END))
    ]
    b = np.zeros((len(at), len(at)), dtype=bool)
    for lo, hi in zip(c["statelno"], c["statehno"], strict=True):
        if lo in at and hi in at:
            b[at[lo], at[hi]] = b[at[hi], at[lo]] = True
    return b


def _defence(year: int, at: dict[int, int]) -> np.ndarray:
    m = _obligations()
    live = m[(m["yrent"] <= year) & (m["yrexit"] >= year) & m["member"].isin(at)]
    d = np.zeros((len(at), len(at)), dtype=bool)
    for _, group in live.groupby("atopid"):
        idx = [at[x] for x in group["member"]]
        d[np.ix_(idx, idx)] = True
    np.fill_diagonal(d, False)
    return d


def cases(params: Params) -> pd.DataFrame:
    """Score every (war, belligerent, bound state) case and say what the state did."""
    rows = []
    for _, war in wars().iterrows():
        year_rows = _war_cases(war, params)
        rows += year_rows
    return pd.DataFrame(rows)


def _war_cases(war: pd.Series, params: Params) -> list[dict[str, object]]:
    f = figures(int(war["year"]))
    at = {c: i for i, c in enumerate(f.codes)}
    side = war["side_of"]
    first = {war["initiator"]: war["target"], war["target"]: war["initiator"]}
    calls = []
    for partner, adversary in first.items():
        if partner not in at or adversary not in at:
            continue
        opponents = {s for s, v in side.items() if v != side.get(partner)}
        for g in bound_to(partner, int(war["year"])):
            if g in at and g not in opponents | {partner}:
                calls.append(
                    (
                        at[g],
                        at[partner],
                        at[adversary],
                        partner == war["target"],
                        side.get(g) == side.get(partner) and g in side,
                    )
                )
    if not calls:
        return []
    p = _score(f, calls, params)
    return [
        {
            "war": war["war"],
            "name": war["name"],
            "year": war["year"],
            "guarantor": f.codes[g],
            "partner": f.codes[pa],
            "adversary": f.codes[a],
            "triggered": trig,
            "joined": joined,
            "p_model": float(p[k]),
            "stronger": bool(f.power[g] > f.power[a]),
        }
        for k, (g, pa, a, trig, joined) in enumerate(calls)
    ]


def _score(
    f: YearFigures, calls: list[tuple[int, int, int, bool, bool]], params: Params
) -> np.ndarray:
    n, k = len(f.codes), len(calls)
    eff = f.power * (1.0 + params.nuclear_bonus * f.nuclear)
    situation = Situation(
        power=eff,
        nuclear=f.nuclear,
        relations=np.zeros((n, n)),
        at_war=np.zeros((n, n), bool),
        borders=f.borders,
        defence_partners=f.defence,
        loyalty=np.full(n, 0.5),
        theatre_km=haversine_km(f.lat, f.lng, f.lat, f.lng),
        territory_holder=np.arange(n),
        territory_value=np.full(n, 0.5),
        site_holder=np.zeros(0, np.int64),
        site_territory=np.zeros(0, np.int64),
        site_value=np.zeros(0),
        site_open=np.zeros(0, bool),
        technology=params.technology,
        threat_level=params.threat_level,
    )
    g, p, a = (np.array([c[i] for c in calls], dtype=np.int64) for i in range(3))
    triggered = np.array([c[3] for c in calls])
    scored = score(
        Calls(
            g,
            p,
            a,
            theatre=p,
            scale=np.ones(k),
            backers=np.zeros((k, n), bool),
            covered=triggered,
            text=np.full(k, params.text_defence_pact),
        ),
        situation,
        params,
        np.zeros(k),
    )
    return scored.p_honour


def auc(p: np.ndarray, y: np.ndarray) -> float:
    """Return the area under the ROC curve (the rank form of Mann-Whitney's U)."""
    pos, neg = p[y], p[~y]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    ranks = pd.Series(np.concatenate([pos, neg])).rank().to_numpy()
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def metrics(p: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Return n, accuracy, Brier score and AUC of probabilities ``p`` for outcomes ``y``."""
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


def sabrosky(table_year_limit: int = 1965) -> dict[str, float]:
    """Return how belligerents' defence allies acted in the data, Sabrosky's way.

    The shares that fought beside their partner, stayed out, or fought against it, in wars
    that began up to ``table_year_limit``.
    """
    beside = out = against = 0
    for _, war in wars().iterrows():
        if war["year"] > table_year_limit:
            continue
        side = war["side_of"]
        for partner in (war["initiator"], war["target"]):
            for g in bound_to(int(partner), int(war["year"])):
                if g not in side:
                    out += 1
                elif side[g] == side.get(partner):
                    beside += 1
                else:
                    against += 1
    total = max(beside + out + against, 1)
    return {
        "n": beside + out + against,
        "beside": beside / total,
        "out": out / total,
        "against": against / total,
    }


def reliability(table: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Alliance reliability coded both ways, real and simulated, with the published figures."""
    early = table[table["year"] < SPLIT]
    triggered = early[early["triggered"]]
    real_sab = sabrosky()
    model_sab = table[table["year"] <= 1965]
    return {
        "leeds": {
            "real": float(triggered["joined"].mean()) if len(triggered) else float("nan"),
            "simulated": float(triggered["p_model"].mean()) if len(triggered) else float("nan"),
            "n": len(triggered),
            "published": 0.745,
        },
        "sabrosky": {
            "real_beside": real_sab["beside"],
            "real_out": real_sab["out"],
            "real_against": real_sab["against"],
            "simulated_beside": float(model_sab["p_model"].mean()),
            "simulated_out": float(1 - model_sab["p_model"].mean()),
            "n": real_sab["n"],
            "published_beside": 0.27,
            "published_out": 0.61,
            "published_against": 0.12,
        },
    }
