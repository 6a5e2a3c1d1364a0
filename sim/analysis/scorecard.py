"""The history scorecard: every outcome in every scenario's ``history`` block, against the model.

Each historical outcome becomes a binary case with the model's probability:

* a decision: did the guarantor fight for its partner (by the date ``by``, or by the end)?
  The model's P(honour) against ``fought``: what the scorecard scores is fighting, whatever
  the duty. Where a war asks a guarantor each period, the model's probability is that of
  fighting in one of the periods asked (:func:`sim.analysis.summary.p_fought`). A decision
  history codes ``bound: false`` (no duty bound the state) is scored over all runs, a run
  that never asked the state counting as one in which it did not fight. Where
  history codes ``duty_kept`` (a duty to consult, say, kept without fighting), a second
  case scores the duty's own terms: the share of runs in which the guarantor broke no duty;
  where history codes ``supplied``, a case scores support short of war: the model's chance
  that the guarantor supplied the partner's side without fighting
  (:func:`sim.analysis.summary.p_supplied`);
* an alliance: had it ended by the year history gives (or, if it held, by the scenario's
  end)? (the share of runs in which it had, against 1 or 0).

A case is *right* when the model is on the same side of 0.5 as history; the Brier score is
the mean squared distance between the model's probability and what happened (0 is perfect,
0.25 is what always saying 0.5 earns).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from sim.analysis.summary import p_fought, p_supplied
from sim.errors import ScenarioError
from sim.model.params import Params
from sim.results.runs import RunSet, replicate
from sim.scenario.loading import load
from sim.scenario.schema import HistoricalDecision


@dataclass(frozen=True)
class Case:
    """One historical outcome, set beside the model's probability of it."""

    scenario: str
    what: str
    p_model: float
    history: int
    right: bool
    brier: float
    detail: str
    bound: bool | None = None  # a decision: whether history says a duty bound it; else None


@dataclass(frozen=True)
class Scorecard:
    """All cases of all scenarios, with the totals and what each scenario demonstrates.

    ``errors`` holds the files that could not be loaded, each as its one-line error.
    """

    cases: list[Case]
    propositions: dict[str, list[str]]
    errors: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        """Number of cases."""
        return len(self.cases)

    @property
    def right(self) -> int:
        """Number of cases on the right side of 0.5."""
        return sum(c.right for c in self.cases)

    @property
    def brier(self) -> float:
        """Mean Brier score over all cases."""
        return sum(c.brier for c in self.cases) / self.n if self.cases else float("nan")

    def as_dict(self) -> dict[str, object]:
        """Return the scorecard as plain data (the ``--json`` output)."""
        return {
            "cases": [asdict(c) for c in self.cases],
            "summary": {"n": self.n, "right": self.right, "brier": self.brier},
            "propositions": self.propositions,
            "errors": self.errors,
        }


def _case(
    scenario: str, what: str, p: float, happened: bool, detail: str, bound: bool | None = None
) -> Case:
    truth = int(happened)
    right = (p >= 0.5) == happened
    return Case(scenario, what, p, truth, right, (p - truth) ** 2, detail, bound)


def cases_of(runset: RunSet) -> list[Case]:
    """Return the cases of one scenario's history, scored against its runs."""
    history = runset.scenario.spec.history
    if history is None:
        return []
    return (
        _decision_cases(runset)
        + _alliance_cases(runset)
        + _formation_cases(runset)
        + _event_cases(runset)
        + _membership_cases(runset)
    )


def _decision_cases(runset: RunSet) -> list[Case]:
    d, name, cases = runset.decisions, runset.scenario.name, []
    assert runset.scenario.spec.history is not None
    calendar = runset.world.calendar
    for h in runset.scenario.spec.history.decisions:
        rows = d[_matches(d, h)] if len(d) else d
        if h.by is not None and len(rows):
            rows = rows[rows["period"] <= calendar.period_of(h.by)]
        by = f" by {calendar.label(calendar.period_of(h.by))}" if h.by else ""
        where = f"{h.partner} against {h.adversary} in {h.theatre}{by}"
        p = p_fought(rows, None if h.bound else runset.runs)
        detail = _detail(h, rows, runset.runs)
        what = f"{h.guarantor} fights for {where}"
        cases.append(_case(name, what, p, h.fought, detail, h.bound))
        if h.duty_kept is not None:
            duty = rows["duty"].mode().iloc[0] if len(rows) else "no"
            what = f"{h.guarantor} keeps its duty ({duty}) to {where}"
            cases.append(_case(name, what, p_kept(rows), h.duty_kept, detail, h.bound))
        if h.supplied is not None:
            what = f"{h.guarantor} supplies {where} without fighting"
            fought = "fought" if h.fought else "did not fight"
            supplied = f"history: {'supplied' if h.supplied else 'did not supply'}, {fought}"
            p_supply = p_supplied(rows, None if h.bound else runset.runs)
            cases.append(_case(name, what, p_supply, h.supplied, supplied, h.bound))
    return cases


def _detail(h: HistoricalDecision, rows: pd.DataFrame, runs: int) -> str:
    """Return what the model mostly did and what history records, in words.

    A decision bound by a duty gives the duty's outcome on both sides; one that no duty bound
    (``bound: false``) gives the share of runs that asked the state and what it did.
    """
    fought = "fought" if h.fought else "did not fight"
    if not h.bound:
        asked = rows["run"].nunique() / runs if len(rows) else 0.0
        return f"model: asked in {asked:.0%} of runs; history: {fought}, bound by no duty"
    likely = rows["outcome"].mode().iloc[0] if len(rows) else "not called"
    return f"model: mostly {_words(likely)}; history: {fought}, duty {_words(h.recorded)}"


def _words(outcome: str) -> str:
    """Return an outcome as the scorecard writes it: ``not_triggered`` as ``not triggered``.

    A guarantor may fight although its duty was not triggered (Montenegro for Serbia in 1913,
    bound against Turkey only): the detail says both, so that they do not read as one.
    """
    return str(outcome).replace("_", " ")


def _matches(d: pd.DataFrame, h: HistoricalDecision) -> pd.Series:
    """Return which rows of the decisions table are the historical decision's calls."""
    return (
        (d["guarantor"] == h.guarantor)
        & (d["partner"] == h.partner)
        & (d["adversary"] == h.adversary)
        & (d["theatre"] == h.theatre)
    )


def p_kept(rows: pd.DataFrame) -> float:
    """Return the share of runs (of those that called it) in which no duty was broken."""
    if not len(rows):
        return 1.0
    return float(rows.groupby("run", sort=True)["duty_kept"].all().mean())


def _alliance_cases(runset: RunSet) -> list[Case]:
    a, name, cases = runset.alliances, runset.scenario.name, []
    calendar = runset.world.calendar
    assert runset.scenario.spec.history is not None
    for h in runset.scenario.spec.history.alliances:
        rows = a[a["alliance"] == h.commitment] if len(a) else a
        by = calendar.n_periods if h.ended is None else calendar.period_of(h.ended) + 1
        horizon = calendar.label(min(by, calendar.n_periods) - 1)
        ended = 0.0 if rows.empty else (rows["ended"] & (rows["end_period"] < by)).sum()
        ended /= runset.runs  # no rows: the commitment never formed an alliance (an institution)
        what = f"{h.commitment} has ended by {horizon}"
        detail = f"history: {'ended ' + str(h.ended.year) if h.ended else 'held'}"
        cases.append(_case(name, what, float(ended), h.ended is not None, detail))
    return cases


def _formation_cases(runset: RunSet) -> list[Case]:
    a, name, cases = runset.alliances, runset.scenario.name, []
    assert runset.scenario.spec.history is not None
    formed = a[a["origin"] == "formed"] if len(a) else a
    for h in runset.scenario.spec.history.formations:
        p = _share_formed(formed, set(h.members), runset.runs)
        what = f"{'+'.join(h.members)} form a formal alliance"
        detail = f"history: {'formed' if h.formed else 'none formed'}"
        cases.append(_case(name, what, p, h.formed, detail))
    return cases


def _event_cases(runset: RunSet) -> list[Case]:
    """Sanctions critical or not, a presence renewed or not: the share of runs it happened in."""
    o, name, cases = runset.outcomes, runset.scenario.name, []
    assert runset.scenario.spec.history is not None
    for h in runset.scenario.spec.history.events:
        rows = o[o["subject"] == h.event] if len(o) else o
        p = float(rows["result"].mean()) if len(rows) else 0.0
        kind = rows["kind"].iloc[0] if len(rows) else "event"
        what = {
            "sanction": f"sanctions {h.event} are critical",
            "presence": f"the presence continues after {h.event}",
        }.get(kind, h.event)
        cases.append(_case(name, what, p, h.happened, f"history: {h.note}"))
    return cases


def _membership_cases(runset: RunSet) -> list[Case]:
    """Whether a member stays in an institution to the end: the share of runs it did."""
    o, name, cases = runset.outcomes, runset.scenario.name, []
    assert runset.scenario.spec.history is not None
    last = runset.world.calendar.n_periods - 1
    for h in runset.scenario.spec.history.memberships:
        rows = (
            o[
                (o["kind"] == "membership")
                & (o["subject"] == h.commitment)
                & (o["state"] == h.state)
                & (o["period"] == last)
            ]
            if len(o)
            else o
        )
        p = float(rows["result"].sum() / runset.runs) if len(rows) else 0.0
        what = f"{h.state} stays in {h.commitment}"
        cases.append(_case(name, what, p, h.stayed, f"history: {h.note}"))
    return cases


def _share_formed(formed: pd.DataFrame, members: set[str], runs: int) -> float:
    """Return the share of runs in which an alliance formed that joins all ``members``."""
    if formed.empty:
        return 0.0
    joins = formed["members"].map(lambda m: members <= set(m.split(";")))
    return float(formed.loc[joins, "run"].nunique() / runs)


def scorecard(
    paths: Iterable[Path],
    params: Params,
    runs: int,
    seed: int,
    progress: Callable[[int], object] | None = None,
) -> Scorecard:
    """Run every scenario and score every outcome of its history.

    A file that does not load is reported (in ``errors``) and the others are scored;
    ``progress(runs)`` is called as each scenario's replications finish.
    """
    cases: list[Case] = []
    propositions: dict[str, list[str]] = {}
    errors: list[str] = []
    for path in paths:
        try:
            scenario = load(path)
        except ScenarioError as error:
            errors.append(str(error))
            continue
        propositions[scenario.name] = list(scenario.spec.propositions)
        cases += cases_of(replicate(scenario, params, seed=seed, runs=runs))
        if progress is not None:
            progress(runs)
    return Scorecard(cases, propositions, errors)
