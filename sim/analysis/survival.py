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

from sim.analysis.vocabulary import ATOP
from sim.errors import InputError
from sim.history import atopends
from sim.history.cow import abbreviations
from sim.results import folders

ASYMMETRY_RATIO = 4.0
"""Capability ratio above which an alliance counts as asymmetric in the groupings."""
CAUSES = {
    "threat_gone": "threat_gone",
    "balance_shifted": "balance_shifted",
    "not_useful": "balance_shifted",
    "violated": "violated",
    "defeated": "member_gone",
    "lapsed": "lapsed",
    "member_gone": "member_gone",
    "not_worth_costs": "other",
    "censored": "censored",
}
"""The model's end reasons in the words ATOP's ends are read in (:mod:`sim.history.atopends`).

A client that stops being useful to its patron ends as the patron's interests change (ATOP's
"change in the members' interests"), a defeated member as a member lost (ATOP's "defeat in
war with an outside state").
"""
DUTY_KINDS = ("defence_pact", "coalition")
"""The model's alliances that bind their members to fight for each other."""


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
    "origin": folders.TEXT,
    "members": folders.TEXT,
    "start_period": folders.COUNT,
    "capability_ratio": folders.NUMBER,
    "start_year": folders.COUNT,
    "reason": folders.TEXT,
    "threat_change": folders.NUMBER,
    "nuclear_patron": folders.NUMBER,
    "run": folders.COUNT,
}
"""The columns of a results folder's alliances table that make its spells (``common_enemy``,
text or missing, is read where present)."""


def from_runs(paths: list[Path]) -> pd.DataFrame:
    """Read the alliance spells of one or more results folders (``run --out``, ``world --out``).

    Raises:
        ResultsError: a folder is not a complete results folder, or its alliances table lacks
            a column of a spell.
        InputError: the folders hold no alliance at all.
    """
    tables = {}
    for folder in map(Path, paths):
        folders.metadata(folder)
        frame = folders.table(folder, "alliances", SPELLS)
        if "common_enemy" not in frame.columns:
            frame = frame.assign(common_enemy=None)
        tables[folder.name] = frame
    if all(frame.empty for frame in tables.values()):
        raise InputError(
            ", ".join(map(str, paths)), "", "expected alliances to analyse (the runs hold none)"
        )
    frames = [from_table(frame, name) for name, frame in tables.items() if not frame.empty]
    return pd.concat(frames, ignore_index=True)


def from_table(alliances: pd.DataFrame, label: str = "runs") -> pd.DataFrame:
    """Return the spells of an alliances table (every run's rows, with a ``run`` column).

    Each spell keeps its replication (``run``: ``label`` and the run), its members and common
    enemy, and whether its start was seen (``began``: it formed during the run or came into
    force after its first period; one in force from the start began earlier).
    """
    run = label + ":" + alliances["run"].astype(int).astype(str)
    return _describe(
        pd.DataFrame(
            {
                "id": run + ":" + alliances["alliance"],
                "duration": alliances["duration_years"].astype(float),
                "ended": alliances["ended"].astype(bool),
                "kind": alliances["kind"],
                "ratio": alliances["capability_ratio"].astype(float),
                "start_year": alliances["start_year"].astype(int),
                "start": alliances["start_year"].astype(float),
                "reason": alliances["reason"],
                "cause": alliances["reason"].map(CAUSES).fillna("other"),
                "threat_change": alliances["threat_change"],
                "nuclear_patron": alliances["nuclear_patron"].astype(float),
                "source": "simulated",
                "run": run,
                "began": (alliances["origin"] == "formed") | (alliances["start_period"] > 0),
                "members": [tuple(m.split(";")) for m in alliances["members"]],
                "enemies": [(e,) if e else () for e in alliances["common_enemy"].fillna("")],
                "defence": alliances["kind"].isin(DUTY_KINDS),
            }
        )
    )


@cache
def from_atop() -> pd.DataFrame:
    """Return the real alliances of ATOP v4.01 as spells (duration in years).

    Each ends for the reason its members' exits give (:mod:`sim.history.atopends`); the
    capability ratio is its founding members' (strongest over weakest CINC in its first
    year), and it has a nuclear patron when its strongest founding member was nuclear.
    Members and named threats are COW state abbreviations, as the model's are.
    """
    a = atopends.alliances()
    names = abbreviations()
    members = atopends.memberships().groupby("atopid")["state"].unique()
    spells = pd.DataFrame(
        {
            "id": a["atopid"].astype(str),
            "duration": a["years"],
            "ended": a["ended"],
            "kind": a["kind"],
            "ratio": a["ratio"],
            "start_year": a["start_year"],
            "start": [d.year + (d.timetuple().tm_yday - 1) / 365.25 for d in a["start"]],
            "reason": a["reason"],
            "cause": a["reason"],
            "threat_change": np.nan,
            "nuclear_patron": a["nuclear_patron"].astype(float),
            "source": ATOP,
            "run": ATOP,
            "began": True,
            "members": [tuple(names.get(int(c), str(c)) for c in members[i]) for i in a["atopid"]],
            "enemies": [tuple(names.get(c, str(c)) for c in t) for t in a["threats"]],
            "defence": a["defence"],
        }
    )
    return _describe(spells)


def censor(spells: pd.DataFrame, year: int) -> pd.DataFrame:
    """Return the spells as seen at the end of ``year``: later ends unseen, later starts gone.

    A spell still in force then is censored there; one that began later is dropped.
    """
    horizon = year + 1.0
    seen = spells[spells["start"] < horizon]
    stop = seen["start"] + seen["duration"]
    return seen.assign(
        duration=np.minimum(seen["duration"], horizon - seen["start"]),
        ended=seen["ended"] & (stop <= horizon),
        reason=seen["reason"].where(stop <= horizon, "censored"),
        cause=seen["cause"].where(stop <= horizon, "censored"),
    )


def _describe(spells: pd.DataFrame) -> pd.DataFrame:
    """Add the groupings: asymmetry (by capability ratio) and era (before or from 1945)."""
    with np.errstate(divide="ignore", invalid="ignore"):  # no ratio: the Cox model drops it
        log_ratio = np.log(spells["ratio"].astype(float))
    return spells.assign(
        asymmetry=np.where(spells["ratio"] > ASYMMETRY_RATIO, "asymmetric", "symmetric"),
        era=np.where(spells["start_year"] < 1945, "before 1945", "1945 and after"),
        log_ratio=log_ratio,
    )


def cut_at(spells: pd.DataFrame, years: float) -> pd.DataFrame:
    """Return spells as seen over their first ``years``: a longer one is still in force then.

    A scenario of a few years sees its alliances for those years only; ATOP's spells cut at
    the same length compare like with like.
    """
    longer = spells["duration"] > years
    return spells.assign(
        duration=spells["duration"].clip(upper=years),
        ended=spells["ended"].astype(bool) & ~longer,
    )


def defence_pacts(spells: pd.DataFrame) -> pd.DataFrame:
    """Return ATOP's defence pacts among its spells (what ``survival --compare`` sets beside)."""
    return spells[spells["defence"].astype(bool)]


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


def cumulative_incidence(spells: pd.DataFrame, column: str = "reason") -> dict[str, pd.DataFrame]:
    """Return the cumulative incidence of each end reason (Aalen-Johansen, competing risks).

    The reasons are ``column``'s: ``reason`` as the source words them, or ``cause`` in the
    words the model and ATOP share. lifelines breaks tied end times by jittering them (by
    1e-4 years); the jitter is seeded, so that the curves are the same on every call, and
    its expected warning is not shown.
    """
    reasons = sorted(r for r in spells.loc[spells["ended"], column].unique())
    codes = {reason: k + 1 for k, reason in enumerate(reasons)}
    event = spells[column].map(codes).where(spells["ended"], 0).fillna(0).astype(int)
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
