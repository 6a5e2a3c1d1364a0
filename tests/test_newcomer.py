"""What a newcomer meets first: the program's name, its first messages, its tables' widths.

Each test is one defect found by trying the tool as a new user would, from another folder.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from sim.cli import main as cli_main

from conftest import ROOT, SCENARIOS


def test_the_program_names_itself_as_it_was_called(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["/somewhere/bin/alliance-sim"])
    assert cli_main(["--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: alliance-sim ")
    assert cli_main(["run", "no_such_case", "--runs", "1"]) == 2
    err = capsys.readouterr().err
    assert "alliance-sim list shows them" in err and "run.py" not in err
    monkeypatch.setattr(sys, "argv", ["run.py"])
    assert cli_main(["run", "no_such_case", "--runs", "1"]) == 2
    assert "run.py list shows them" in capsys.readouterr().err


def test_the_list_fits_an_80_column_terminal(main, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = main("list")
    assert code == 0 and max(len(line) for line in out.splitlines()) <= 80
    assert "karabakh_2020" in out and "Nagorno-Karabakh" in out


def test_figures_prints_nothing_before_every_state_is_known_and_suggests_the_code(main):
    code, out, err = main("figures", "1914", "RUS", "XXX")
    assert code == 2 and out == "" and err.startswith("error: figures: XXX")
    code, out, err = main("figures", "1914", "Russia")
    assert code == 2 and out == "" and "did you mean RUS?" in err


def test_explain_without_a_decision_lists_them_numbered_from_1(main):
    code, out, err = main("explain", "karabakh_2020", "--runs", "2")
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert "1 offensive_2020:RUS:ARM" in err and "5 offensive_2020:TAJ:ARM" in err


def test_a_check_row_where_a_state_fought_without_its_duty_does_not_read_as_a_contradiction(
    main, tmp_path
):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(SCENARIOS / "balkan_league_1912.yaml", folder)
    code, out, err = main("check", "--dir", str(folder), "--runs", "2", "--csv")
    assert code == 0, err
    cases = pd.read_csv(pd.io.common.StringIO(out))
    row = cases[cases["what"].str.startswith("MNG fights for YUG")].iloc[0]
    assert row["history"] == 1 and "history: fought, bound by no duty" in row["detail"]
    assert not row["bound"], "coded bound: false: its treaty with Serbia was against Turkey"
    assert all("history: not_triggered" not in d for d in cases["detail"])
    assert all("history: fought, duty not triggered" not in d for d in cases["detail"])


def test_tune_without_cv_shows_no_empty_cross_validation_and_one_precision(
    main, tmp_path, monkeypatch
):
    from contextlib import contextmanager

    from sim.cli import progress

    bars: list[tuple[str, int]] = []

    @contextmanager
    def recorded(args, total, unit, what, kept=(0, "")):
        bars.append((what, total))
        yield lambda n: None

    monkeypatch.setattr(progress, "bar", recorded)
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(SCENARIOS / "karabakh_2020.yaml", folder)
    args = ["tune", "--dir", str(folder), "--runs", "2", "--trials", "1", "--tune", "baseline"]
    code, out, err = main(*args, "--force", "--out", str(tmp_path / "t.yaml"))
    assert code == 0, err
    assert [what for what, _ in bars] == ["trials"]
    (line,) = [x for x in out.splitlines() if x.startswith("in-sample Brier")]
    briers = line.split(": ", 1)[1]
    numbers = [w.strip(",") for w in briers.split() if w[0].isdigit() and "." in w]
    assert numbers and all(len(n.split(".")[1]) == 4 for n in numbers), line


def test_a_simulated_figure_lies_inside_its_own_interval():
    from sim.analysis import curves, patterns
    from sim.analysis.patterns import Estimate

    rng = np.random.default_rng(3)
    spells = pd.DataFrame(
        {"run": np.repeat(np.arange(10), 30), "duration": rng.integers(1, 9, 300)}
    )

    def count(part: pd.DataFrame) -> Estimate:  # pooled over the runs, ten times one run's
        return Estimate(float(len(part)), math.nan, math.nan, len(part))

    found = patterns.spread(spells, count)
    assert found.lower <= found.value <= found.upper

    same = spells.assign(ended=True, duration=spells["duration"].astype(float))
    for d in curves.bootstrap(same, same.drop(columns="run"), draws=40).values():
        assert d["lower"] <= d["value"] <= d["upper"], d


def test_the_survival_comparison_prints_no_estimate_outside_its_interval(tmp_path):
    from sim.cli import survival_report

    shown = survival_report._interval({"value": 0.5, "lower": 0.4, "upper": 0.6}, 2)
    assert shown == "0.50 [0.40-0.60]"
    runs = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), "world", "--start", "1900", "--end", "1960",
         "--runs", "2", "--out", str(tmp_path / "w")],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert runs.returncode == 0, runs.stderr
    report = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), "survival", str(tmp_path / "w"), "--compare",
         "--draws", "20", "--out", str(tmp_path / "f"), "--json"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert report.returncode == 0, report.stderr
    eras = json.loads(report.stdout)["eras"]
    for era in eras:
        for check in era["checks"]:
            e = check["simulated"]
            if None not in (e["value"], e["lower"], e["upper"]):
                assert e["lower"] <= e["value"] <= e["upper"], check
        for d in era["distances"].values():
            assert d["lower"] <= d["value"] <= d["upper"], d


@pytest.mark.parametrize("width", [60, 100])
def test_a_wrapped_table_keeps_its_columns(width):
    from sim.cli import common, layout

    text = common.table(["a", "summary"], [["x", "word " * 40], ["yy", "short"]])
    fitted = layout.wrapped(text, width)
    assert max(len(line) for line in fitted.splitlines()) <= width
    assert " ".join(fitted.split()).count("word") == 40


def test_serve_on_a_port_taken_after_its_check_says_so_in_one_line_and_exits_2(monkeypatch, capsys):
    pytest.importorskip("solara")
    import socket

    from sim.web import server

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    port = taken.getsockname()[1]
    taken.close()
    holder = socket.socket()

    def another_program_takes_it() -> None:  # between serve's check and uvicorn's bind
        holder.bind(("127.0.0.1", port))
        holder.listen()

    monkeypatch.setattr(server, "_check_assets", another_program_takes_it)
    try:
        code = cli_main(["serve", "karabakh_2020", "--port", str(port)])
    finally:
        holder.close()
    out, err = capsys.readouterr()
    assert code == 2 and "web view of" not in out
    assert err.strip().splitlines()[-1] == (
        f"error: serve: 127.0.0.1:{port}: cannot listen there (in use)"
    )
    assert "ERROR" not in err and "Errno" not in err


@pytest.fixture(scope="module")
def karabakh():
    from sim.web import session
    from sim.web.library import Library
    from sim.web.session import Choice

    return session.runs(Library(SCENARIOS), Choice("karabakh_2020", runs=20))


def test_the_page_numbers_decisions_as_explain_takes_them(karabakh):
    from sim.analysis import explain as explaining
    from sim.analysis.summary import decision_id
    from sim.web import views

    last = karabakh.world.calendar.n_periods - 1
    shown = views.numbered(views.calls(karabakh, last))
    assert list(shown.index) == list(range(1, len(shown) + 1)) and len(shown) == 5
    for number, row in shown.iterrows():
        found = explaining.find(karabakh, str(number))
        assert decision_id(found.iloc[0]) == row["decision"]


def test_alliances_in_force_are_dated_by_their_treaty_and_shaped_as_the_cli_says(karabakh):
    from sim.web import views

    table = views.in_force(karabakh, 0).set_index("alliance")
    assert table.loc["csto", "since"] == "1994-04-20"
    assert set(table["shape"]) <= {"equal", "asym"}


def test_the_pages_survival_sets_like_beside_like(karabakh):
    from sim.web import charts

    picture = charts.survival_curves(karabakh)
    ax = picture.figure.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(label.startswith("ATOP v4.01 defence pacts (n=275;") for label in labels)
    assert ax.get_xlim()[1] < 2, "the real pacts are cut at the scenario's one year"
    assert "defence pacts" in ax.get_title() and "1 year" in ax.get_title()


def test_the_pages_figures_are_vector_images_that_need_no_request(karabakh):
    from sim.web import charts

    picture = charts.network(karabakh, 0)
    assert b"<svg" in picture.svg[:1000]
    assert picture.data_url().startswith("data:image/svg+xml;base64,")


def test_the_survival_legend_is_off_the_curves(karabakh):
    from sim.web import charts

    figure = charts.survival_curves(karabakh).figure
    ax = figure.axes[0]
    figure.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    assert legend.y1 <= ax.get_window_extent().y0


def test_a_box_of_runs_near_0_reads_as_runs_not_as_another_mark(karabakh):
    from matplotlib.colors import to_hex

    from sim.web import charts

    last = karabakh.world.calendar.n_periods - 1
    ax = charts.honour(karabakh, last).figure.axes[0]
    dots = [line for line in ax.get_lines() if line.get_marker() == "." and len(line.get_xdata())]
    assert len(dots) == 5 and all(len(d.get_xdata()) == karabakh.runs for d in dots)
    medians = [
        line
        for line in ax.get_lines()
        if line.get_linestyle() == "-"
        and len(line.get_xdata()) == 2
        and line.get_xdata()[0] == line.get_xdata()[1]
    ]
    assert medians and {to_hex(m.get_color()) for m in medians} == {"#000000"}


def test_a_pacts_hub_stays_among_its_members():
    from sim.plots import alliances as alliance_plots

    capitals = {"USA": (-77.0, 38.9), "CAN": (-75.7, 45.4), "UKG": (-0.1, 51.5),
                "FRN": (2.35, 48.9), "BEL": (4.35, 50.8), "NTH": (4.9, 52.4),
                "LUX": (6.1, 49.6), "ITA": (12.5, 41.9), "POR": (-9.1, 38.7),
                "DEN": (12.6, 55.7), "NOR": (10.75, 59.9), "ICE": (-21.9, 64.1)}  # fmt: skip
    states = pd.DataFrame(
        [{"state": s, "lng": x, "lat": y, "power": 0.01} for s, (x, y) in capitals.items()]
    )
    pacts = pd.DataFrame([{"alliance": "nato", "kind": "defence_pact",
                           "members": ";".join(capitals)}])  # fmt: skip
    figure = alliance_plots.network(states, pacts, "NATO, 1949")
    (hub,) = [c for c in figure.axes[0].collections if c.get_gid() == "hub:nato"]
    lng, lat = hub.get_offsets()[0]
    assert -10 < lng < 15 and 40 < lat < 60, "among the European members, not in the Atlantic"


def test_the_set_up_says_what_it_is_doing_before_each_long_step(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    stub = venv / "bin" / "python"
    stub.write_text(
        '#!/bin/sh\ncase "$*" in *sim.web.assets*) echo "$0.cache"; exit 0;; esac\necho "STUB $*"\n'
    )
    stub.chmod(0o755)
    done = subprocess.run(
        [str(ROOT / "scripts" / "bootstrap")],
        env={**os.environ, "VENV": str(venv)}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    first_pip = next(i for i, line in enumerate(lines) if line.startswith("STUB -m pip"))
    assert first_pip > 0 and lines[first_pip - 1].startswith("set-up: installing")
    assert lines[-1].startswith("set-up: done")
