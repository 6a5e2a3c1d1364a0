"""Alliance survival, on simulated alliances (run folders) or real ones (ATOP v4.01).

Kaplan-Meier curves, medians, log-rank tests, competing risks and a Cox model, with lifelines.

An alliance is a *spell*: its duration in years, whether it ended (or is censored at the end
of the run or of the data), and what describes it: kind, capability ratio, era, the reason it
ended, the change in threat over its life, whether its strongest member is nuclear.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from lifelines import AalenJohansenFitter, CoxPHFitter, KaplanMeierFitter
from lifelines.statistics import logrank_test, multivariate_logrank_test
from lifelines.utils import median_survival_times

from sim.errors import InputError
from sim.history.cow import DATASETS, NMC
from sim.results import folders

ATOP_END = (
    2018.99  # ATOP v4.01 runs to the end of 2018: alliances still in effect are censored here
)
GROUPINGS = ("kind", "asymmetry", "era", "reason")
ASYMMETRY_RATIO = 4.0
"""Capability ratio above which an alliance counts as asymmetric in the groupings."""


@dataclass(frozen=True)
class Group:
    """The Kaplan-Meier estimate for one group of spells."""

    name: str
    n: int
    events: int
    median: float
    lower: float
    upper: float
    fitter: KaplanMeierFitter


SPELLS = {
    "alliance": folders.TEXT,
    "duration_years": folders.COUNT,
    "ended": folders.NUMBER,
    "kind": folders.TEXT,
    "capability_ratio": folders.NUMBER,
    "start_year": folders.NUMBER,
    "reason": folders.TEXT,
    "threat_change": folders.NUMBER,
    "nuclear_patron": folders.NUMBER,
}
"""The columns of a results folder's alliances table that make its spells."""


def from_runs(paths: list[Path]) -> pd.DataFrame:
    """Read the alliance spells of one or more results folders (``run --out``, ``world --out``).

    Raises:
        ResultsError: a folder is not a complete results folder, or its alliances table lacks
            a column of a spell.
        InputError: the folders hold no alliance at all.
    """
    frames = []
    for folder in map(Path, paths):
        folders.metadata(folder)
        frame = folders.table(folder, "alliances", SPELLS)
        frames.append(frame.assign(source=folder.name))
    spells = pd.concat(frames, ignore_index=True)
    if spells.empty:
        raise InputError(
            ", ".join(map(str, paths)), "", "expected alliances to analyse (the runs hold none)"
        )
    return from_alliances(spells)


def from_alliances(alliances: pd.DataFrame) -> pd.DataFrame:
    """Return the spells of a simulated alliances table (a run's, or a run set's)."""
    return _describe(
        pd.DataFrame(
            {
                "id": alliances["alliance"],
                "duration": alliances["duration_years"].astype(float),
                "ended": alliances["ended"].astype(bool),
                "kind": alliances["kind"],
                "ratio": alliances["capability_ratio"].astype(float),
                "start_year": alliances["start_year"],
                "reason": alliances["reason"],
                "threat_change": alliances["threat_change"],
                "nuclear_patron": alliances["nuclear_patron"].astype(float),
                "source": "simulated",
            }
        )
    )


@cache
def from_atop() -> pd.DataFrame:
    """Return the real alliances of ATOP v4.01 as spells (duration in years).

    The capability ratio is the strongest to the weakest member's COW CINC in the year the
    alliance began; an alliance with a nuclear member is said to have a nuclear patron when
    its strongest member possessed nuclear weapons (Bleek 2017) that year.
    """
    a = pd.read_csv(DATASETS / "atop_v4_01_alliance_level.csv")
    start = a["begyr"] + (a["begmo"].clip(lower=1) - 1) / 12
    end = np.where(a["ineffect"] == 1, ATOP_END, a["endyr"] + (a["endmo"].clip(lower=1) - 1) / 12)
    ratio, nuclear = _atop_capabilities(a)
    spells = pd.DataFrame(
        {
            "id": a["atopid"].astype(str),
            "duration": np.maximum(end - start, 1 / 365),
            "ended": a["ineffect"] == 0,
            "kind": a.apply(_atop_kind, axis=1),
            "ratio": ratio,
            "start_year": a["begyr"],
            "reason": np.where(a["ineffect"] == 0, "ended", "censored"),
            "threat_change": np.nan,
            "nuclear_patron": nuclear,
            "source": "ATOP v4.01",
        }
    )
    return _describe(spells)


def _atop_kind(row: pd.Series) -> str:
    for column, kind in (
        ("defense", "defence_pact"),
        ("offense", "offence_pact"),
        ("neutral", "neutrality"),
        ("nonagg", "non_aggression"),
        ("consul", "consultation"),
    ):
        if row[column] == 1:
            return kind
    return "other"


def _atop_capabilities(a: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    members = pd.read_csv(DATASETS / "atop_v4_01_member_level.csv", usecols=["atopid", "member"])
    members = members.merge(a[["atopid", "begyr"]], on="atopid")
    nmc = pd.read_csv(DATASETS / NMC, usecols=["ccode", "year", "cinc"])
    nmc = nmc[nmc["cinc"] > 0]
    joined = members.merge(nmc, left_on=["member", "begyr"], right_on=["ccode", "year"], how="left")
    nuke = pd.read_csv(DATASETS / "nuclear_weapons_status_bleek_owid.csv")
    nuke = nuke[nuke["nuclear_weapons_possession"] == 1][["ccode", "Year"]].dropna()
    joined = joined.merge(
        nuke.assign(nuclear=True),
        left_on=["member", "begyr"],
        right_on=["ccode", "Year"],
        how="left",
        suffixes=("", "_n"),
    )
    by = joined.groupby("atopid")
    ratio = (by["cinc"].max() / by["cinc"].min()).reindex(a["atopid"]).to_numpy()
    strongest = joined.loc[joined["cinc"].fillna(-1).groupby(joined["atopid"]).idxmax()]
    patron = strongest.set_index("atopid")["nuclear"].eq(True).astype(float)
    return pd.Series(ratio), pd.Series(patron.reindex(a["atopid"]).fillna(0.0).to_numpy())


def _describe(spells: pd.DataFrame) -> pd.DataFrame:
    """Add the groupings: asymmetry (by capability ratio) and era (before or from 1945)."""
    with np.errstate(divide="ignore", invalid="ignore"):  # no ratio: the Cox model drops it
        log_ratio = np.log(spells["ratio"].astype(float))
    return spells.assign(
        asymmetry=np.where(spells["ratio"] > ASYMMETRY_RATIO, "asymmetric", "symmetric"),
        era=np.where(spells["start_year"] < 1945, "before 1945", "1945 and after"),
        log_ratio=log_ratio,
    )


def kaplan_meier(spells: pd.DataFrame, by: str | None = None, label: str = "") -> list[Group]:
    """Fit a Kaplan-Meier curve (95% band) for all spells, or for each group of ``by``."""
    groups = (
        [(label or "all", spells)]
        if by is None
        else [(f"{label}{name}", part) for name, part in spells.groupby(by, sort=True)]
    )
    return [_fit(name, part) for name, part in groups if len(part)]


def _fit(name: str, part: pd.DataFrame) -> Group:
    kmf = KaplanMeierFitter(alpha=0.05).fit(part["duration"], part["ended"], label=name)
    band = median_survival_times(kmf.confidence_interval_)
    return Group(
        name=name,
        n=len(part),
        events=int(part["ended"].sum()),
        median=float(kmf.median_survival_time_),
        lower=float(band.iloc[0, 0]),
        upper=float(band.iloc[0, 1]),
        fitter=kmf,
    )


def logrank(spells: pd.DataFrame, by: str) -> dict[str, float]:
    """Test whether the groups of ``by`` survive alike (multivariate log-rank)."""
    if spells[by].nunique() < 2:
        return {"statistic": float("nan"), "p_value": float("nan"), "groups": 1}
    test = multivariate_logrank_test(spells["duration"], spells[by], spells["ended"])
    return {
        "statistic": float(test.test_statistic),
        "p_value": float(test.p_value),
        "groups": int(spells[by].nunique()),
    }


def cumulative_incidence(spells: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Return the cumulative incidence of each end reason (Aalen-Johansen, competing risks).

    lifelines breaks tied end times by jittering them (by 1e-4 years); the jitter is seeded,
    so that the curves are the same on every call, and its expected warning is not shown.
    """
    reasons = sorted(r for r in spells.loc[spells["ended"], "reason"].unique())
    codes = {reason: k + 1 for k, reason in enumerate(reasons)}
    event = spells["reason"].map(codes).where(spells["ended"], 0).fillna(0).astype(int)
    curves = {}
    for reason, code in codes.items():
        fitter = AalenJohansenFitter(calculate_variance=False, seed=0)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Tied event times")
            fitter.fit(spells["duration"], event, event_of_interest=code)
        curves[reason] = fitter.cumulative_density_
    return curves


def cox(spells: pd.DataFrame) -> pd.DataFrame:
    """Fit a Cox model of the hazard of ending on asymmetry, threat change and a nuclear patron.

    Covariates that do not vary (or are missing, as threat change is for ATOP) are left out;
    spells missing a covariate (a member without a CINC figure) are left out.
    """
    columns = [
        c for c in ("log_ratio", "threat_change", "nuclear_patron") if spells[c].nunique() > 1
    ]
    data = spells[["duration", "ended", *columns]].astype(float).replace([np.inf, -np.inf], np.nan)
    data = data.dropna()
    if not columns or data["ended"].sum() < 2:
        return pd.DataFrame()
    fitter = CoxPHFitter(penalizer=0.01).fit(data, duration_col="duration", event_col="ended")
    table = fitter.summary[["coef", "exp(coef)", "exp(coef) lower 95%", "exp(coef) upper 95%", "p"]]
    return table.rename(
        columns={
            "exp(coef)": "hazard_ratio",
            "exp(coef) lower 95%": "lower",
            "exp(coef) upper 95%": "upper",
        }
    )


def compare_sets(first: pd.DataFrame, second: pd.DataFrame) -> dict[str, float]:
    """Test whether two sets of spells (simulated and ATOP, say) survive alike (log-rank)."""
    test = logrank_test(first["duration"], second["duration"], first["ended"], second["ended"])
    return {"statistic": float(test.test_statistic), "p_value": float(test.p_value), "groups": 2}


EVENTS_PER_COVARIATE = 10
"""Events per covariate below which a Cox model's estimates are unstable (Peduzzi et al. 1995)."""
EXTREME_HAZARD = 100.0
"""A hazard ratio beyond this (or below its inverse) is a sign of separation, not an effect."""


def cox_warnings(spells: pd.DataFrame, table: pd.DataFrame) -> list[str]:
    """Return warnings about a Cox model's fit: too few events, or extreme hazard ratios."""
    if table.empty:
        return []
    events, covariates = int(spells["ended"].sum()), len(table)
    found = []
    if events < EVENTS_PER_COVARIATE * covariates:
        found.append(
            f"only {events} ended alliances for {covariates} covariates (fewer than "
            f"{EVENTS_PER_COVARIATE} each): the hazard ratios are unstable"
        )
    for name, ratio in table["hazard_ratio"].items():
        if not 1 / EXTREME_HAZARD <= ratio <= EXTREME_HAZARD:
            found.append(
                f"the hazard ratio of {name} is {ratio:.3g}: a sign that the covariate separates "
                "the alliances that ended from those that did not, not a measured effect"
            )
    return found
