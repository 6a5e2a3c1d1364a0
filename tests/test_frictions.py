"""The small frictions a newcomer meets: options that agree, nothing silently ignored."""

from __future__ import annotations

import io
import re

import pandas as pd

from conftest import cli
from test_progress import on_a_terminal


def test_plots_without_a_folder_are_refused(main):
    code, _, err = main("run", "karabakh_2020", "--plots")
    assert code == 2 and "expected --out DIR too" in err


def test_run_and_check_fit_a_narrow_terminal_and_stay_wide_in_a_pipe():
    _, shown = on_a_terminal("run", "karabakh_2020", "--runs", "20", stdout_too=True)
    lines = re.split(r"[\r\n]+", shown)  # the bar redraws itself with carriage returns
    assert "offensive_2020:RUS:ARM" in lines and max(len(line) for line in lines) <= 100
    assert any(line.startswith("  when: 2020-09; who: RUS for ARM vs AZE") for line in lines)
    piped = cli("run", "karabakh_2020", "--runs", "20").stdout
    assert max(len(line) for line in piped.splitlines()) > 150, "a pipe gets the whole table"


def test_narrow_and_csv_layouts_on_request(main):
    code, out, _ = main("check", "--runs", "2", "--layout", "narrow")
    assert code == 0 and "karabakh_2020: RUS fights for ARM against AZE in NKR" in out
    code, out, _ = main("run", "karabakh_2020", "--runs", "20", "--csv")
    decisions = pd.read_csv(io.StringIO(out))
    assert len(decisions) == 5 and decisions["p_honour"].between(0, 1).all()
    assert decisions["top_factors"].str.contains(r"^\w+:[+-]\d\.\d{4}").all()
    code, out, _ = main("run", "karabakh_2020", "--runs", "20", "--csv", "alliances")
    assert "csto" in set(pd.read_csv(io.StringIO(out))["alliance"])
    code, out, _ = main("check", "--runs", "2", "--csv")
    cases = pd.read_csv(io.StringIO(out))
    assert {"scenario", "what", "p_model", "history", "right", "brier"} <= set(cases.columns)
