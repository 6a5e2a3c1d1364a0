"""The web view keeps what does not change: a year step of the open world scores nothing again."""

from __future__ import annotations

from sim.analysis import compiled
from sim.history import backtest, worldrun
from sim.model.params import Params
from sim.web import tabs, world


def test_a_year_step_does_not_score_the_back_test_again(monkeypatch):
    """The scores of 1816-2003 do not depend on the year shown: computed once per run."""
    result = worldrun.run(compiled.open_world(1816, 1870), Params(), 0)
    calls = []
    real = backtest.report

    def counted(cases):
        calls.append(len(cases))
        return real(cases)

    monkeypatch.setattr(backtest, "report", counted)
    h = world.History.of(result)
    monkeypatch.setattr(world, "history", lambda params, seed: h)
    views = [tabs.year_view(Params(), 0, year) for year in (1859, 1860, 1866)]
    assert len(calls) == 1
    assert all(view.scores is views[0].scores for view in views)
    assert set(views[0].scores["wars"]) <= {"1816-1944", "1945-2003"}
