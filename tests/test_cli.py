"""The command line, run as a user runs it."""

from __future__ import annotations

import json

import pandas as pd

from conftest import cli


def test_list_shows_each_scenario_with_a_summary():
    result = cli("list")
    assert result.returncode == 0, result.stderr
    assert "karabakh_2020" in result.stdout and "wwii_coalition_1942_1948" in result.stdout
    assert "karabakh_attack_on_armenia" in result.stdout


def test_run_prints_a_table_with_history_and_factors():
    result = cli("run", "scenarios/karabakh_2020.yaml", "--runs", "30")
    assert result.returncode == 0, result.stderr
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("offensive_2020:RUS"))
    assert "not_triggered" in line and "yes" in line and "great_power_clash" in line


def test_run_json_has_the_documented_fields():
    result = cli("run", "karabakh_2020", "--runs", "30", "--json")
    out = json.loads(result.stdout)
    assert out["runs"] == 30 and out["scenario"] == "karabakh_2020"
    rus = next(d for d in out["decisions"] if d["guarantor"] == "RUS")
    for key in (
        "guarantor",
        "partner",
        "adversary",
        "theatre",
        "p_honour",
        "p_not_triggered",
        "outcome",
        "history",
        "p_low",
        "p_high",
        "top_factors",
    ):
        assert key in rus, key
    assert rus["outcome"] == "not_triggered" and rus["history"] == "not_triggered"
    assert 0 <= rus["p_low"] <= rus["p_honour"] <= rus["p_high"] <= 1


def test_run_out_writes_tables_and_metadata(tmp_path):
    out = tmp_path / "run"
    result = cli(
        "run", "wwii_coalition_1942_1948", "--runs", "10", "--seed", "3", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["seed"] == 3 and meta["runs"] == 10 and meta["parameters"]["w_sites"] == 6.0
    assert "mesa" in meta["versions"]
    decisions = pd.read_parquet(out / "decisions.parquet")
    alliances = pd.read_parquet(out / "alliances.parquet")
    states = pd.read_parquet(out / "states.parquet")
    assert set(decisions["run"]) == set(range(10))
    assert "grand_alliance" in set(alliances["alliance"])
    assert len(states) == 10 * 7 * 4  # runs x periods x states
    assert not list(out.glob(".*.tmp"))
    from sim.results import table_metadata

    made = {key: value for key, value in meta.items() if key != "manifest"}  # digests the tables
    assert table_metadata(out / "decisions.parquet") == made, "each table says how it was made"
    assert sorted(meta["manifest"]) == sorted(p.name for p in out.glob("*.parquet"))


def test_explain_gives_every_factor_in_words():
    result = cli("explain", "karabakh_2020", "offensive_2020:RUS", "--runs", "30")
    assert result.returncode == 0, result.stderr
    assert "Will Russia fight for Armenia against Azerbaijan in Nagorno-Karabakh" in result.stdout
    assert "does NOT cover NKR" in result.stdout
    for factor in ("sites_at_risk", "buffer", "nuclear_risk", "distance", "treaty_text", "loyalty"):
        assert factor in result.stdout


def test_explain_json_contributions_sum_to_the_logit():
    result = cli("explain", "karabakh_2020", "RUS", "--runs", "30", "--json")
    out = json.loads(result.stdout)
    assert abs(sum(f["contribution"] for f in out["factors"]) - out["logit"]) < 1e-9
    assert {f["name"] for f in out["factors"]} >= {"sites_at_risk", "relations_with_adversary"}


def test_explain_an_unknown_decision_exits_2():
    result = cli("explain", "karabakh_2020", "USA", "--runs", "2")
    assert result.returncode == 2 and "offensive_2020:RUS" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_scenario_exits_2():
    result = cli("run", "no_such_case", "--runs", "2")
    assert result.returncode == 2 and "no such file, nor a name" in result.stderr


def test_params_lists_every_parameter():
    result = cli("params", "--json")
    names = {p["name"] for p in json.loads(result.stdout)}
    assert {"w_sites", "technology", "threat_level", "w_loyalty"} <= names


def test_console_script_is_the_same_cli():
    import shutil
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    script = shutil.which("alliance-sim") or str(Path(sys.executable).parent / "alliance-sim")
    elsewhere = Path(tempfile.mkdtemp())  # the console script works from any folder
    result = subprocess.run([script, "list"], cwd=elsewhere, capture_output=True, text=True)
    assert result.returncode == 0 and "karabakh_2020" in result.stdout
