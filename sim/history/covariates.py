"""What was known of each back-test case when its partner was attacked, from the COW data.

These are the covariates of the plain logistic reference (and of the power-only one): for
the guarantor G, its partner P and the attacker A, on the morning of the attack as the
history layer's clock reads the record (:mod:`sim.history.clock`: the year before's
capabilities and nuclear status, the month before's contiguity), from the
packaged extracts only: contiguity (COW Direct Contiguity v3.2: a land or river border, or
at most 24 miles of water), capabilities (COW NMC v7.0 CINC, carried forward over a missing
year), nuclear arms (Bleek 2017), major-power status (COW Major Powers v2016), the distance
between capitals (peacesciencer's geocoded capitals), and the obligation's type and
conditions (ATOP v4.01).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np
import pandas as pd

from sim.history.clock import known_year, month_before
from sim.history.cow import CONTIGUITY_END, NMC, data_table
from sim.model.geography import haversine_km

NEAR_WATER = 3
"""COW contiguity types that count as near: land or river (1), 12 or 24 miles of water (2, 3)."""
WEAKEST = 1e-5
"""A CINC for a state with no figure yet (the weakest of states)."""
COVARIATES = (
    "border_adversary",
    "near_adversary",
    "border_partner",
    "near_partner",
    "log_power_vs_adversary",
    "log_power_vs_partner",
    "log_adversary_vs_partner",
    "power_share",
    "nuclear_guarantor",
    "nuclear_adversary",
    "major_guarantor",
    "major_adversary",
    "log_km_to_partner",
    "log_km_to_adversary",
    "defence",
    "neutrality",
    "non_aggression",
    "consultation",
    "conditional",
)
"""The covariates the logistic reference is fitted on, all known on the day of the attack."""


def covariates(cases: pd.DataFrame) -> pd.DataFrame:
    """Return the covariates of each case, in the cases' order (index kept)."""
    g, p, a = (cases[f"{who}_code"].to_numpy(int) for who in ("guarantor", "partner", "adversary"))
    year = np.array([known_year(int(y)) for y in cases["year"]], dtype=int)
    month = np.array([month_before(dt.date.fromisoformat(d)) for d in cases["day"]], dtype=int)
    cinc = {who: _cinc(codes, year) for who, codes in (("g", g), ("p", p), ("a", a))}
    out = pd.DataFrame(index=cases.index)
    out["border_adversary"] = _contiguous(g, a, month, 1)
    out["near_adversary"] = _contiguous(g, a, month, NEAR_WATER)
    out["border_partner"] = _contiguous(g, p, month, 1)
    out["near_partner"] = _contiguous(g, p, month, NEAR_WATER)
    out["log_power_vs_adversary"] = np.log(cinc["g"] / cinc["a"])
    out["log_power_vs_partner"] = np.log(cinc["g"] / cinc["p"])
    out["log_adversary_vs_partner"] = np.log(cinc["a"] / cinc["p"])
    out["power_share"] = cinc["g"] / (cinc["g"] + cinc["a"])
    out["nuclear_guarantor"] = _nuclear(g, year)
    out["nuclear_adversary"] = _nuclear(a, year)
    out["major_guarantor"] = _major(g, cases["day"])
    out["major_adversary"] = _major(a, cases["day"])
    out["log_km_to_partner"] = np.log1p(_km(g, p, cases["day"]))
    out["log_km_to_adversary"] = np.log1p(_km(g, a, cases["day"]))
    for kind in ("defence", "neutrality", "non_aggression", "consultation"):
        out[kind] = (cases["obligation"] == kind).astype(float)
    out["conditional"] = (cases["condition_notes"] != "").astype(float)
    return out.astype(float)


@cache
def _cinc_table() -> pd.DataFrame:
    nmc = data_table(NMC)
    wide = nmc.pivot_table(index="year", columns="ccode", values="cinc")
    return wide.where(wide > 0).ffill()


def _cinc(codes: np.ndarray, years: np.ndarray) -> np.ndarray:
    wide = _cinc_table()
    found = [
        wide.at[y, c] if c in wide.columns and y in wide.index else np.nan
        for c, y in zip(codes.tolist(), years.tolist(), strict=True)
    ]
    return np.nan_to_num(np.array(found, dtype=float), nan=WEAKEST)


@cache
def _contiguity() -> dict[tuple[int, int], list[tuple[int, int, int]]]:
    """Return each pair's spells: (type, first month, last month as YYYYMM)."""
    table = data_table("cow_contdir_v3_2.csv")
    spells: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
    for lo, hi, kind, begin, end in table[
        ["statelno", "statehno", "conttype", "begin", "end"]
    ].itertuples(index=False):
        last = 999999 if end == CONTIGUITY_END else int(end)
        for key in ((lo, hi), (hi, lo)):
            spells.setdefault(key, []).append((int(kind), int(begin), last))
    return spells


def _contiguous(a: np.ndarray, b: np.ndarray, months: np.ndarray, up_to: int) -> np.ndarray:
    """Whether each pair is contiguous by a type up to ``up_to`` in a month (``YYYYMM``)."""
    spells = _contiguity()
    return np.array(
        [
            any(k <= up_to and lo <= m <= hi for k, lo, hi in spells.get((x, z), ()))
            for x, z, m in zip(a.tolist(), b.tolist(), months.tolist(), strict=True)
        ],
        dtype=float,
    )


@cache
def _armed() -> dict[int, int]:
    t = data_table("nuclear_weapons_status_bleek_owid.csv")
    armed = t[t["nuclear_weapons_possession"] == 1]
    first = armed.groupby("ccode")["Year"].min()
    return dict(zip(first.index.astype(int).tolist(), first.astype(int).tolist(), strict=True))


def _nuclear(codes: np.ndarray, years: np.ndarray) -> np.ndarray:
    first = _armed()
    return np.array(
        [first.get(c, 99999) <= y for c, y in zip(codes.tolist(), years.tolist(), strict=True)],
        # ``years`` are the known years (the year before the attack's): armed by then
        dtype=float,
    )


@cache
def _majors() -> list[tuple[int, str, str]]:
    t = data_table("cow_majors2016.csv")
    cols = list(t.columns)
    start = [c for c in cols if c.lower().startswith("st")][-3:]
    end = [c for c in cols if c.lower().startswith("end")][-3:]
    rows = []
    for _, r in t.iterrows():
        first = dt.date(int(r[start[0]]), max(int(r[start[1]]), 1), max(int(r[start[2]]), 1))
        last = dt.date(int(r[end[0]]), max(int(r[end[1]]), 1), max(int(r[end[2]]), 1))
        rows.append((int(r["ccode"]), first.isoformat(), last.isoformat()))
    return rows


def _major(codes: np.ndarray, days: pd.Series) -> np.ndarray:
    spells = _majors()
    return np.array(
        [
            any(c == code and lo < d <= hi for code, lo, hi in spells)
            for c, d in zip(codes.tolist(), days.tolist(), strict=True)
        ],
        dtype=float,
    )


@cache
def _capitals() -> pd.DataFrame:
    return data_table("cow_capitals_geocoded_peacesciencer.csv")


def _capital(codes: np.ndarray, days: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    caps = _capitals()
    lat, lng = [], []
    for c, d in zip(codes.tolist(), days.tolist(), strict=True):
        held = caps[(caps["ccode"] == c)]
        then = held[(held["stdate"] < d) & (held["enddate"] >= d)]
        row = (then if len(then) else held).iloc[0]
        lat.append(float(row["lat"]))
        lng.append(float(row["lng"]))
    return np.array(lat), np.array(lng)


def _km(a: np.ndarray, b: np.ndarray, days: pd.Series) -> np.ndarray:
    lat_a, lng_a = _capital(a, days)
    lat_b, lng_b = _capital(b, days)
    return np.array(
        [
            haversine_km(np.array([x1]), np.array([y1]), np.array([x2]), np.array([y2]))[0, 0]
            for x1, y1, x2, y2 in zip(lat_a, lng_a, lat_b, lng_b, strict=True)
        ]
    )


def major_powers(day: dt.date) -> frozenset[int]:
    """Return the COW major powers as known on the morning of a day."""
    d = day.isoformat()
    return frozenset(code for code, lo, hi in _majors() if lo < d <= hi)


def near_states(code: int, day: dt.date, up_to: int = NEAR_WATER) -> frozenset[int]:
    """Return the states contiguous to ``code`` as known on the morning of ``day``."""
    month = month_before(day)
    return frozenset(
        other
        for (x, other), spells in _contiguity().items()
        if x == code and any(k <= up_to and lo <= month <= hi for k, lo, hi in spells)
    )
