"""The web view keeps what does not change: a year step of the open world scores nothing again."""

from __future__ import annotations

import dataclasses

import pandas as pd

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


def test_the_years_beside_the_one_shown_are_drawn_ahead(monkeypatch):
    """A step to the next year finds its view made while the page showed this one."""
    import threading

    result = worldrun.run(compiled.open_world(1816, 1870), Params(), 0)
    h = world.History.of(result)
    monkeypatch.setattr(world, "history", lambda params, seed: h)
    made: list[int] = []
    real = tabs.year_view

    def counted(params, seed, year):
        made.append(year)
        return real(params, seed, year)

    monkeypatch.setattr(tabs, "year_view", counted)
    params = Params().replace(w_sites=5.5)  # a key no other test keeps
    tabs.kept_year(params, 0, 1860)
    for thread in threading.enumerate():
        if thread.name == "sim-ahead":
            thread.join(timeout=120)
    assert sorted(made) == [1859, 1860, 1861]
    tabs.kept_year(params, 0, 1861)
    for thread in threading.enumerate():
        if thread.name == "sim-ahead":
            thread.join(timeout=120)
    assert sorted(made) == [1859, 1860, 1861, 1862]  # 1861 was kept; only 1862 is new


def test_a_figure_is_sent_once_until_it_is_enlarged():
    """The enlarged copy of a figure carries its image only once a click has opened it."""
    import ipyvue
    import matplotlib.pyplot as plt
    import solara

    from sim.web import charts
    from sim.web.widgets import Figure

    figure, _ = plt.subplots()
    picture = charts.picture(figure, "test")
    _, rc = solara.render(Figure(picture, "none", "test"), handle_error=False)
    images = {tuple(w.class_.split()): w for w in rc.find(ipyvue.Html).widgets if w.tag == "img"}
    small, large = images[("sim-figure",)], images[("sim-figure-large",)]
    assert small.attributes["src"].startswith("data:image/svg+xml")
    assert large.attributes["src"] == ""
    small.fire_event("click", {})
    large = next(w for w in rc.find(ipyvue.Html).widgets if "sim-figure-large" in w.class_)
    assert large.attributes["src"] == small.attributes["src"]


def test_a_weight_slider_weighs_the_last_runs_again(runs_made):
    """A kernel weight's move runs again only the runs it moves, and shows what a run shows."""
    from sim.results.runs import replicate
    from sim.web import session
    from sim.web.library import Library
    from sim.web.session import Choice

    from conftest import SCENARIOS

    library = Library(SCENARIOS)
    first = Choice("karabakh_2020", ("karabakh_attack_on_armenia",), runs=30, seed=9)
    session.runs(library, first)
    made = runs_made
    made.clear()  # the first runs are made whole; only the move's are counted
    moved = dataclasses.replace(first, params=Params().replace(w_sites=6.1))
    shown = session.runs(library, moved)
    assert len(made) < first.runs // 3
    full = replicate(session.scenario(library, moved), moved.params, seed=9, runs=30)
    pd.testing.assert_frame_equal(shown.decisions, full.decisions, check_exact=True)


def test_a_view_being_made_is_waited_for_not_made_twice():
    """A step that finds its year being drawn ahead waits for it; a failed drawing is redone."""
    import contextlib
    import threading
    import time

    made: list[str] = []

    def slow() -> str:
        made.append("slow")
        time.sleep(0.3)
        return "view"

    key = ("a test view", len(made), time.monotonic())
    first = threading.Thread(target=tabs.kept, args=(key, slow))
    first.start()
    time.sleep(0.05)
    assert tabs.kept(key, slow) == "view"
    first.join()
    assert made == ["slow"]

    def failing() -> str:
        time.sleep(0.2)
        raise RuntimeError("drawing failed")

    def quietly() -> None:
        with contextlib.suppress(RuntimeError):
            tabs.kept(other, failing)

    other = ("another test view", time.monotonic())
    broken = threading.Thread(target=quietly)
    broken.start()
    time.sleep(0.05)
    assert tabs.kept(other, lambda: "redone") == "redone"
    broken.join()


def test_a_weight_slider_makes_its_runs_before_the_page_changes(monkeypatch):
    """``prepare`` weighs the last runs again at once for a kernel weight, and nothing else."""
    from sim.web import session
    from sim.web.library import Library
    from sim.web.session import Choice

    from conftest import SCENARIOS

    library = Library(SCENARIOS)
    first = Choice("karabakh_2020", runs=12, seed=21)
    session.runs(library, first)
    weight = dataclasses.replace(first, params=Params().replace(w_buffer=2.25))
    more = dataclasses.replace(first, runs=14)
    other = dataclasses.replace(first, params=Params().replace(interest_floor=0.9))
    assert session.ready(library, weight) is None
    for choice in (weight, more, other):
        session.prepare(library, choice)
    assert session.ready(library, weight) is not None
    assert session.ready(library, more) is None and session.ready(library, other) is None


def test_the_server_makes_the_first_page_before_it_is_asked(monkeypatch):
    """``warm`` makes the first scenario's runs and its first view; the page then draws none."""
    from sim.web import app, session
    from sim.web.session import Choice

    from conftest import SCENARIOS

    monkeypatch.setenv(app.FOLDER, str(SCENARIOS))
    monkeypatch.setenv(app.FIRST, "falklands_1982")
    choice = Choice("falklands_1982")
    app.warm()
    runset = session.ready(app.library(), choice)
    assert runset is not None

    def refused(*args, **kwargs):
        raise AssertionError("made again")

    monkeypatch.setattr(tabs, "run_view", refused)
    monkeypatch.setattr(tabs, "run_figures", refused)
    shown = tabs.kept_run_view(runset, choice, 0, None)
    assert tabs.kept_run_figures(runset, choice, 0, shown.decision).network is not None


def test_a_callback_bound_to_the_same_argument_is_equal():
    """A slider handed an equal callback and value is not drawn again (Reacton compares them)."""
    from sim.web.sidebar import Bound

    def call(name: str, value: float) -> None:
        seen.append((name, value))

    seen: list[tuple[str, float]] = []
    assert Bound(call, "w_sites") == Bound(call, "w_sites") != Bound(call, "w_buffer")
    Bound(call, "w_sites")(2.0)
    assert seen == [("w_sites", 2.0)]


def test_an_overlay_edited_is_listed_by_its_new_base(tmp_path):
    """The overlays' bases are read once per version of a file, and again once it changes."""
    import os

    from sim.web.library import COUNTERFACTUALS, Library

    (tmp_path / COUNTERFACTUALS).mkdir()
    overlay = tmp_path / COUNTERFACTUALS / "moved.yaml"
    overlay.write_text("applies_to: first\n", encoding="utf-8")
    library = Library(tmp_path)
    assert library.overlays("first") == ["moved"] and library.overlays("second") == []
    overlay.write_text("applies_to: second\n", encoding="utf-8")
    os.utime(overlay, ns=(overlay.stat().st_atime_ns, overlay.stat().st_mtime_ns + 10**9))
    assert library.overlays("first") == [] and library.overlays("second") == ["moved"]
