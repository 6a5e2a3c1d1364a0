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


def _refused(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("a file was read again")


def test_a_change_of_parameters_reads_no_file_and_draws_no_png(monkeypatch):
    """A slider's change reloads nothing, and a figure's PNG waits for a download."""
    from sim.plots import common
    from sim.web import session
    from sim.web.library import Library
    from sim.web.session import Choice

    from conftest import SCENARIOS

    library = Library(SCENARIOS)
    first = session.scenario(library, Choice("karabakh_2020"))
    monkeypatch.setattr(session, "load", _refused)
    moved = Choice("karabakh_2020", params=Params().replace(w_sites=6.5), runs=5, seed=3)
    assert session.scenario(library, moved) is first
    encoded: list[str] = []
    original = common.encode

    def counted(figure, kind, **kwargs):
        encoded.append(kind)
        return original(figure, kind, **kwargs)

    monkeypatch.setattr(common, "encode", counted)
    drawn = tabs.run_figures(session.runs(library, moved), 0, None)
    assert drawn.network is not None and "svg" in encoded and "png" not in encoded
    assert drawn.network.png[:4] == b"\x89PNG" and encoded.count("png") == 1
