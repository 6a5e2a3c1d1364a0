"""Decisions that persist (issue 32, item 4): asked again unchanged, a state decides as it did.

A war that asks each period must not turn a monthly P(fight) into near-certain fighting over
a long war: the share of runs that fought stays near the first period's P while the
situation holds, and a new draw comes only when it moves (the war's fortunes, a new front).
"""

from __future__ import annotations

import numpy as np

from sim.model.alliance_model import AllianceModel
from sim.model.params import Params
from sim.model.readings import Reading, Readings
from sim.model.world import build
from sim.results.runs import replication_rngs
from sim.scenario.loading import load

from synthetic import of, runs, write

YEAR = {"end": "2000-12", "events": {"attack": {"at": "2000-01-10", "calls": "every_period"}}}
"""A war of twelve monthly periods that asks the guarantor each period."""


def _event(**fields: object) -> dict[str, object]:
    return {"source": "synthetic", **fields}


def _with(*events: tuple[str, dict[str, object]]) -> dict[str, object]:
    return {**YEAR, "events": {**YEAR["events"], **dict(events)}}


def test_a_year_of_unchanged_calls_fights_as_often_as_the_first_month_says(tmp_path):
    rows = of(runs(write(tmp_path, YEAR), 600, end_on_violation=0.0, baseline=-2.5).decisions)
    assert rows["period"].nunique() == 12
    first = rows[rows["period"] == 0]["p_honour"].mean()
    fought = rows.groupby("run")["fought"].any().mean()
    assert 0.2 < first < 0.4
    assert abs(fought - first) < 0.05, "drawn afresh each month, 0.3 a month is 0.99 a year"


def _perception(rows, period: int):
    """Return each run's perception draw in one period, by run."""
    at = rows[rows["period"] == period]
    return at.set_index("run")["value_perception"]


def _reads_afresh_at(path, period: int) -> None:
    """Assert that the guarantor reads the war as before until ``period``, afresh then."""
    rows = of(runs(path, 40, end_on_violation=0.0, baseline=-5.0).decisions)
    rows = rows[rows["theatre"] == "PAR"]
    first = _perception(rows, 0)
    for before in range(1, period):
        same = _perception(rows, before)
        assert (same == first[same.index]).all(), f"period {before}: the situation held"
    changed = _perception(rows, period)
    assert len(changed) > 30 and (changed != first[changed.index]).all()
    after = _perception(rows, period + 1)
    assert (after == changed[after.index]).all(), "then it holds again"


def test_the_partner_losing_an_army_gives_a_new_draw(tmp_path):
    routed = _event(kind="power", at="2000-05-01", state="PAR", factor=0.5)
    _reads_afresh_at(write(tmp_path, _with(("routed", routed))), 4)


def test_a_defeat_on_the_partners_side_gives_a_new_draw(tmp_path):
    beside = {"attack": {**YEAR["events"]["attack"], "defender_backers": ["ALY"]}}
    beaten = _event(kind="defeat", at="2000-07-01", state="ALY")
    path = write(tmp_path, {**YEAR, "events": {**beside, "beaten": beaten}})
    _reads_afresh_at(path, 6)


def test_the_theatre_changing_hands_gives_a_new_draw(tmp_path):
    taken = _event(kind="control", at="2000-04-01", territory="PAR", held_by="ADV")
    _reads_afresh_at(write(tmp_path, _with(("taken", taken))), 3)


def test_a_new_front_is_a_new_call_and_moves_the_old_one(tmp_path):
    joins = _event(
        kind="join_war",
        at="2000-06-01",
        war="attack",
        state="OTH",
        side="attacker",
        theatre="FAR",
    )
    path = write(tmp_path, _with(("joins", joins)))
    _reads_afresh_at(path, 5)
    rows = of(runs(path, 4, end_on_violation=0.0, baseline=-5.0).decisions)
    assert rows[rows["theatre"] == "FAR"]["period"].min() == 5


def test_a_war_asked_once_reads_each_call_afresh(tmp_path):
    once = {**YEAR, "events": {"attack": {"at": "2000-01-10"}}, "end": "2000-03"}
    rows = of(runs(write(tmp_path, once), 8, end_on_violation=0.0, baseline=-5.0).decisions)
    assert rows["run"].is_unique, "asked once per run"


def test_kept_readings_replace_the_fresh_draws_only_where_the_situation_holds():
    readings = Readings()
    first = readings.recall(["a", "b", None], [1, 1, 1], _reading(0.1))
    assert [a.tolist() for a in first] == [[0.1] * 3] * 3
    again = readings.recall(["a", "b", None], [1, 2, 1], _reading(0.7))
    assert again.decide.tolist() == [0.1, 0.7, 0.7], "kept, moved, never kept"
    assert again.noise.tolist() == [0.1, 0.7, 0.7]
    third = readings.recall(["a", "b", None], [1, 2, 1], _reading(0.9))
    assert third.invoke.tolist() == [0.1, 0.7, 0.9], "the new situation's reading is kept"


def _reading(value: float) -> Reading:
    return Reading(*(np.full(3, value) for _ in range(3)))


def test_the_random_stream_does_not_depend_on_what_is_kept(tmp_path):
    """The model draws every call's reading, kept or not: the draws after it are the same."""
    world = build(load(write(tmp_path, YEAR)))
    params = Params().replace(baseline=-5.0, end_on_violation=0.0)
    model = AllianceModel(world, params, rng=replication_rngs(0, 1)[0])
    model.run_for(6)
    fresh = AllianceModel(world, params, rng=replication_rngs(0, 1)[0])
    fresh.summons._readings = Unkept()
    fresh.run_for(6)
    assert len(model.decisions.table()) == len(fresh.decisions.table()) == 6
    kept, drawn = model.decisions.table(), fresh.decisions.table()
    assert kept["value_perception"].nunique() == 1 and drawn["value_perception"].nunique() == 6
    assert fresh.rng.random() == model.rng.random()


class Unkept(Readings):
    """Readings that keep nothing: every call drawn afresh, as before issue 32."""

    def recall(self, keys, situations, fresh):  # type: ignore[no-untyped-def]
        return fresh
