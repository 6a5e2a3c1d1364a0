"""The open world (1816-2003) year by year: alliances in force, wars, the back-test's cases.

One run of the open world with the wars of history (:func:`sim.history.worldrun.run`), under the
page's parameters; a year of it shows what the model had made of the state system by then,
beside what the data say.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import pandas as pd

from sim.analysis import compiled
from sim.history import backtest, openworld, worldrun
from sim.history.wars import attacks
from sim.model.params import Params
from sim.web.charts import Picture, at_capitals, picture
from sim.web.views import described


@dataclass(frozen=True)
class History:
    """A finished run of the open world and the tables the page reads.

    The back-test's scores cover 1816-2003 whatever year is shown: they are computed once,
    with the run, not at each step of the year.
    """

    world: openworld.OpenWorld
    alliances: pd.DataFrame
    states: pd.DataFrame
    cases: pd.DataFrame
    scores: pd.DataFrame

    @classmethod
    def of(cls, result: worldrun.WorldRun) -> History:
        """Keep what the page reads of a finished run of the open world."""
        cases = result.cases
        return cls(
            result.openworld,
            result.table("alliances"),
            result.table("states"),
            cases,
            _scores(cases),
        )


@cache
def _built() -> openworld.OpenWorld:
    return compiled.open_world(openworld.FIRST_YEAR, openworld.LAST_YEAR)


@lru_cache(maxsize=4)
def history(params: Params, seed: int) -> History:
    """Run the open world 1816-2003 once under ``params`` (cached)."""
    return History.of(worldrun.run(_built(), params, seed))


def alive(h: History, year: int) -> pd.DataFrame:
    """Return the rows of the alliances in force in ``year``."""
    t, a = year - h.world.start, h.alliances
    return a[(a["start_period"] <= t) & (a["end_period"] > t)]


def alliances(h: History, year: int) -> pd.DataFrame:
    """Return the alliances in force in ``year``: ATOP's still standing, and the model's own."""
    a = alive(h, year)
    return pd.DataFrame(
        {
            **described(a),
            "since": a["start"],
            "origin": a["origin"].map({"scenario": "ATOP", "formed": "formed in the run"}),
        }
    )


def wars(h: History, year: int) -> pd.DataFrame:
    """Return the attacks of the war list under way in ``year``: the war, who attacked whom."""
    ids = dict(zip(h.world.codes, h.world.world.ids, strict=True))
    rows = [
        {
            "war": a.war_name,
            "attack": a.name,
            "began": a.day.isoformat(),
            "attacker": ids.get(a.attacker, str(a.attacker)),
            "attacked": ids.get(a.target, str(a.target)),
            "opens a war": a.opens,
        }
        for a in attacks()
        if a.day.year <= year <= a.last_day.year
    ]
    return pd.DataFrame(rows)


def cases(h: History, year: int) -> pd.DataFrame:
    """Return the back-test's cases of the attacks of ``year``: P(fights beside) and the data."""
    c = h.cases[h.cases["year"] == year]
    return pd.DataFrame(
        {
            "attack": c["attack_name"],
            "guarantor": c["guarantor"],
            "partner": c["partner"],
            "adversary": c["adversary"],
            "obligation": c["obligation"],
            "scored": c["apart"].replace("", "scored"),
            "P(fights beside)": c["p_model"].round(3),
            "what it did": c["outcome"],
        }
    )


def scores(h: History) -> pd.DataFrame:
    """Return the back-test's scores before and from 1945, beside the references."""
    return h.scores


def _scores(cases: pd.DataFrame) -> pd.DataFrame:
    """Score the back-test's cases before and from 1945, beside the references."""
    eras = {"pre1945": "1816-1944", "post1945": "1945-2003"}
    rows = [
        {
            "wars": eras[era],
            "predictor": who,
            **{k: m[k] for k in ("n", "accuracy", "brier", "auc")},
        }
        for era, report in backtest.report(cases).items()
        if era in eras
        for who, m in [("model", report), *report["references"].items()]
    ]
    return pd.DataFrame(rows).round(3)


def network(h: History, year: int) -> Picture:
    """The states of ``year`` at their capitals, and the alliances in force between them."""
    from sim.plots import alliances as alliance_plots

    s = h.states
    at = at_capitals(s[s["period"] == year - h.world.start], h.world.world)
    title = f"The open world in {year}: alliances in force (one run, wars of history)"
    return picture(alliance_plots.network(at, alive(h, year), title), f"world_{year}")
