"""The web view's logic, without a browser: names, choices, tables, figures, files, the server.

tests/test_browser.py drives the page itself in Chromium.
"""

from __future__ import annotations

import dataclasses
import os
import socket

import numpy as np
import pytest

from sim.analysis import summary
from sim.cli import main
from sim.errors import InputError
from sim.model import params as parameters
from sim.model.params import Params
from sim.scenario.loading import load
from sim.web import assets, charts, files, server, session, views, world
from sim.web.library import Library
from sim.web.session import Choice
from sim.web.sidebar import step_of

from conftest import COUNTERFACTUALS, SCENARIOS, cli

LIBRARY = Library(SCENARIOS)
ATTACK = Choice("karabakh_2020", overlays=("karabakh_attack_on_armenia",), runs=40)


def test_the_library_offers_the_folders_names_and_only_them():
    assert LIBRARY.scenarios() == sorted(p.stem for p in SCENARIOS.glob("*.yaml"))
    assert "karabakh_attack_on_armenia" in LIBRARY.overlays("karabakh_2020")
    assert "wwii_germany_undefeated" not in LIBRARY.overlays("karabakh_2020")
    assert LIBRARY.scenario_path("karabakh_2020") == SCENARIOS / "karabakh_2020.yaml"
    for name in ("../scenarios/karabakh_2020", "/etc/passwd", "karabakh_2020.yaml", ""):
        with pytest.raises(InputError, match="expected the name of a scenario of the folder"):
            LIBRARY.scenario_path(name)
    with pytest.raises(InputError, match="overlay"):
        LIBRARY.overlay_path("karabakh_2020")


def test_an_unreadable_overlay_is_left_out_of_the_list(tmp_path):
    (tmp_path / "counterfactuals").mkdir()
    (tmp_path / "base.yaml").write_text("title: t\n")
    (tmp_path / "counterfactuals" / "good.yaml").write_text("applies_to: base\n")
    (tmp_path / "counterfactuals" / "bad.yaml").write_text("applies_to: [base\n")
    assert Library(tmp_path).overlays("base") == ["good"]


def test_knobs_are_the_key_figures_of_the_scenario():
    spec = load(SCENARIOS / "karabakh_2020.yaml").spec
    knobs = {k.path: k for k in session.knobs(spec)}
    assert {("states", sid, "power") for sid in spec.states} <= set(knobs)
    assert {("sites", sid, "value") for sid in spec.sites} <= set(knobs)
    theatre = knobs[("events", "offensive_2020", "theatre")]
    assert theatre.value == "NKR" and set(theatre.choices) == set(spec.territories)
    assert knobs[("events", "offensive_2020", "scale")].value == 0.5
    usa = knobs[("states", "USA", "power")]
    assert usa.value == 1.0 and usa.high * spec.states["USA"].power <= 1.0


def test_moving_figures_is_an_overlay_of_the_scenario():
    spec = load(SCENARIOS / "karabakh_2020.yaml").spec
    knobs = {k.path: k for k in session.knobs(spec)}
    choice = Choice("karabakh_2020")
    choice = choice.move(knobs[("events", "offensive_2020", "theatre")], "ARM")
    choice = choice.move(knobs[("events", "offensive_2020", "scale")], 1.0)
    moved = session.scenario(LIBRARY, choice)
    assert moved.spec == load(COUNTERFACTUALS / "karabakh_attack_on_armenia.yaml").spec
    back = choice.move(knobs[("events", "offensive_2020", "scale")], 0.5)
    assert len(back.moved) == 1  # a figure moved back to its own value is no change


def test_a_power_factor_scales_every_year_of_a_series():
    spec = load(SCENARIOS / "sanctions.yaml").spec
    series = spec.states["USA"].power
    changes = session.changes(spec, {("states", "USA", "power"): 2.0})
    assert changes == {"states": {"USA": {"power": {y: 2 * v for y, v in series.items()}}}}
    assert session.changes(spec, {("states", "USA", "power"): "x"})["states"]["USA"]["power"] == "x"


def test_a_bad_figure_is_refused_with_its_field():
    knob = next(k for k in session.knobs(load(SCENARIOS / "karabakh_2020.yaml").spec)
                if k.path == ("states", "USA", "power"))  # fmt: skip
    with pytest.raises(InputError, match=r"states\.USA\.power: input should be less than"):
        session.scenario(LIBRARY, Choice("karabakh_2020").move(knob, 20.0))
    with pytest.raises(InputError, match=r"states\.USA\.power: input should be a valid number"):
        session.scenario(LIBRARY, Choice("karabakh_2020").move(knob, "a lot"))


def test_the_calls_table_is_the_librarys_summary_and_run_0():
    runset = session.runs(LIBRARY, ATTACK)
    table = views.calls(runset, 0)
    expected = summary.decisions(runset)
    assert list(table["decision"]) == list(expected["id"])
    assert np.allclose(table["P(honour)"], expected["p_honour"].round(3))
    d = runset.decisions
    first = d[(d["run"] == 0) & (d["guarantor"] == "RUS")]["outcome"].iloc[0]
    assert table.loc[table["decision"] == "offensive_2020:RUS:ARM", "this run"].iloc[0] == first


def test_a_period_shows_only_what_has_happened_by_then():
    runset = session.runs(LIBRARY, Choice("technology_and_threat", runs=20))
    assert views.calls(runset, 0).empty
    assert len(views.calls(runset, 1)) < len(views.calls(runset, 20))
    assert views.period_label(runset, 0).endswith("(period 1 of 21)")
    timeline = charts.timeline(runset, 5)
    started = views.alive(runset, 5)
    assert timeline is not None and len(timeline.figure.axes[0].patches) >= len(started)


def test_every_figure_of_a_run_is_drawn():
    runset = session.runs(LIBRARY, ATTACK)
    pictures = [
        charts.network(runset, 0),
        charts.timeline(runset, 3),
        charts.waterfall(runset, "offensive_2020:RUS:ARM"),
        charts.honour(runset, 0),
        charts.survival_curves(runset),
    ]
    for picture in pictures:
        assert picture is not None and picture.png[:4] == b"\x89PNG"
    assert b"<svg" in pictures[2].file("svg")[:500]
    labels = {t.get_text() for t in pictures[4].figure.axes[0].get_legend().get_texts()}
    assert any(s.startswith("simulated") for s in labels) and any("ATOP" in s for s in labels)


def test_the_parameters_file_is_what_run_params_reads(tmp_path):
    path = tmp_path / "tuned.yaml"
    path.write_text(files.parameters(Params().replace(w_sites=6.1, baseline=-1.5), "a note"))
    assert parameters.load_file(path) == {"w_sites": 6.1, "baseline": -1.5}
    path.write_text(files.parameters(Params(), "a note"))
    assert parameters.load_file(path) == {}


def test_the_moved_figures_file_is_an_overlay_the_cli_reads(tmp_path):
    spec = load(SCENARIOS / "karabakh_2020.yaml").spec
    knob = next(k for k in session.knobs(spec) if k.path == ("sites", "gyumri_102", "value"))
    choice = Choice("karabakh_2020").move(knob, 0.2)
    path = tmp_path / "moved.yaml"
    path.write_text(files.overlay("karabakh_2020", session.changes(spec, dict(choice.moved)), "n"))
    assert (
        load(SCENARIOS / "karabakh_2020.yaml", [path]).spec
        == session.scenario(LIBRARY, choice).spec
    )


def test_a_csv_reads_back():
    import io

    import pandas as pd

    table = views.calls(session.runs(LIBRARY, ATTACK), 0)
    back = pd.read_csv(io.BytesIO(files.csv(table)))
    assert list(back.columns) == list(table.columns) and np.allclose(
        back["P(honour)"], table["P(honour)"]
    )


def test_every_parameter_has_a_slider_that_hits_its_range_and_default():
    for spec in parameters.specs():
        step = step_of(spec)
        for x in (spec.low, spec.high, spec.default):
            assert abs(x / step - round(x / step)) < 1e-6, (spec.name, x, step)
        assert (spec.high - spec.low) / step >= 20, spec.name


def test_the_open_world_year_by_year(history_run):
    h = world.History.of(history_run)
    in_force = world.alliances(h, 1914)
    t = 1914 - 1816
    a = h.alliances
    assert len(in_force) == ((a["start_period"] <= t) & (a["end_period"] > t)).sum() > 0
    assert "WorldWarI" in set(world.wars(h, 1914)["war"])
    assert world.wars(h, 1913).empty or "WorldWarI" not in set(world.wars(h, 1913)["war"])
    cases = world.cases(h, 1914)
    assert len(cases) == (h.cases["year"] == 1914).sum() > 0
    assert list(world.scores(h)["wars"].unique()) == ["1816-1944", "1945-2003"]
    assert world.network(h, 1914).png[:4] == b"\x89PNG"


def test_the_server_starts_on_a_scenario_of_the_folder_only():
    assert server.first_scenario(LIBRARY, None) == LIBRARY.scenarios()[0]
    assert server.first_scenario(LIBRARY, "karabakh_2020") == "karabakh_2020"
    inside = str(SCENARIOS / "karabakh_2020.yaml")
    assert server.first_scenario(LIBRARY, inside) == "karabakh_2020"
    for name in (
        "nowhere",
        "/etc/passwd",
        str(COUNTERFACTUALS / "karabakh_attack_on_armenia.yaml"),
    ):
        with pytest.raises(InputError):
            server.first_scenario(LIBRARY, name)


def test_the_front_end_is_cached_at_set_up(tmp_path):
    specs = assets.specs()
    assert any(s.startswith("@widgetti/solara-vuetify-app@") for s in specs)
    assert assets.missing(tmp_path) == specs
    assert assets.missing() == [], "make setup (scripts/web_assets) fills the cache"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["nowhere"], "expected the name of a scenario of the folder"),
        (["karabakh_2020", "--dir", "no_such_folder"], "expected a folder of scenario files"),
    ],
)
def test_serve_refuses_bad_input_in_one_line(args, expected, capsys, monkeypatch):
    monkeypatch.setattr(os, "environ", dict(os.environ))  # serve sets Solara's settings there
    assert main(["serve", *args]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0]


def test_serve_refuses_a_port_in_use():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "karabakh_2020", "--port", str(port))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: serve: 127.0.0.1:{port}: cannot listen there")


def test_the_browser_tests_netguard_refuses_and_notes_what_leaves_the_machine(tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    log = tmp_path / "netguard.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tests" / "netguard"), "NETGUARD_LOG": str(log)}
    code = (
        "import socket\n"
        "socket.getaddrinfo('127.0.0.1', 80)\n"
        "for target in (lambda: socket.getaddrinfo('pypi.org', 443),\n"
        "               lambda: socket.socket().connect(('8.8.8.8', 53))):\n"
        "    try:\n"
        "        target()\n"
        "    except OSError as exc:\n"
        "        assert 'netguard' in str(exc), exc\n"
        "    else:\n"
        "        raise SystemExit('not refused')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert log.read_text().splitlines() == [
        "socket.getaddrinfo 'pypi.org'",
        "socket.connect '8.8.8.8'",
    ]


def test_serve_will_not_start_a_blank_page(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(os, "environ", dict(os.environ))
    monkeypatch.setattr(assets, "cache_dir", lambda: tmp_path)  # an empty cache
    assert main(["serve", "karabakh_2020", "--port", str(free_port())]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {tmp_path}: the web view's front-end files are missing (")
    assert "run scripts/web_assets (make setup does)" in err and len(err.splitlines()) == 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_command_the_page_shows_gives_what_the_page_shows(tmp_path, capsys, monkeypatch):
    import json

    from sim.web.app import command

    choice = dataclasses.replace(ATTACK, params=Params().replace(w_sites=7.0))
    (tmp_path / "tuned.yaml").write_text(files.parameters(choice.params, "a note"))
    monkeypatch.chdir(tmp_path)
    args = command(Library(SCENARIOS), choice).split()[1:]  # after "run.py"
    assert main([*args, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    shown = views.calls(session.runs(LIBRARY, choice), 0)
    for decision in report["decisions"]:
        row = shown[shown["decision"] == decision["id"]]
        assert round(decision["p_honour"], 3) == row["P(honour)"].iloc[0]


def test_a_scenario_without_alliances_still_has_its_map():
    from sim.web import tabs

    runset = session.runs(LIBRARY, Choice("eaeu_institution", runs=10))
    assert runset.alliances.empty
    shown, drawn = tabs.run_view(runset, 0, None), tabs.run_figures(runset, 0, None)
    assert drawn.network is not None and drawn.timeline is None and shown.calls.empty
    assert views.in_force(runset, 0).empty and views.alliances(runset).empty
