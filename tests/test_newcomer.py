"""What a newcomer meets first: the program's name, its first messages, its tables' widths.

Each test is one defect found by trying the tool as a new user would, from another folder.
"""

from __future__ import annotations

import json
import math
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
    assert row["history"] == 1 and "history: fought, duty not triggered" in row["detail"]
    assert all("history: not_triggered" not in d for d in cases["detail"])


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


def test_serve_on_a_port_taken_after_its_check_says_so_in_one_line_and_exits_2(
    monkeypatch, capsys
):
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
