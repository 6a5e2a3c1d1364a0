"""A run's alliances and decisions as dyad-years and state-years, with COW codes and years."""

from __future__ import annotations

import pandas as pd

from sim.analysis import export


def _hand_made() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    # quarterly periods from 1990-Q3: periods 0-1 are 1990, 2-5 are 1991, 6 is 1992
    dates = ["1990-Q3", "1990-Q4", "1991-Q1", "1991-Q2", "1991-Q3", "1991-Q4", "1992-Q1"]
    states = pd.DataFrame(
        {
            "run": 0,
            "period": [p for p in range(7) for _ in range(3)],
            "date": [d for d in dates for _ in range(3)],
            "state": ["USA", "UKG", "XXX"] * 7,
            "power": [0.2, 0.1, 0.01] * 7,
            "effective_power": [0.6, 0.3, 0.01] * 7,
            "nuclear": [True, True, False] * 7,
            "demand_for_allies": 0.0,
            "ally_value": 0.0,
            "alignment_gap": 0.0,
        }
    )
    alliances = pd.DataFrame(
        {
            "run": [0, 0],
            "alliance": ["pact", "trio"],
            "kind": ["defence_pact", "coalition"],
            "members": ["USA;UKG", "USA;UKG;XXX"],
            "start_period": [0, 3],
            "end_period": [2, 4],  # pact in force in 1990 only; trio in 1991 only
        }
    )
    decisions = pd.DataFrame(
        {
            "run": [0, 0],
            "period": [3, 3],
            "war": ["w1", "w2"],
            "guarantor": ["USA", "USA"],
            "partner": ["UKG", "UKG"],
            "adversary": ["XXX", "YYY"],
            "fought": [True, False],
            "p_honour": [0.8, 0.4],
        }
    )
    return alliances, decisions, states


def test_dyad_years_hold_each_pact_in_its_years_and_each_call_once():
    table = export.dyad_years(*_hand_made())
    usa_ukg = table[(table["ccode1"] == 2) & (table["ccode2"] == 200)].set_index("year")
    assert list(usa_ukg.index) == [1990, 1991]
    assert usa_ukg.loc[1990, "defence_pact"] == 1 and usa_ukg.loc[1990, "coalition"] == 0
    assert usa_ukg.loc[1991, "coalition"] == 1 and usa_ukg.loc[1991, "alliances"] == "trio"
    assert usa_ukg.loc[1991, "called"] == 2 and usa_ukg.loc[1991, "fought"] == 1
    assert abs(usa_ukg.loc[1991, "p_honour"] - 0.6) < 1e-12
    assert usa_ukg.loc[1991, "adversaries"] == "XXX;YYY"
    ukg_usa = table[(table["ccode1"] == 200) & (table["ccode2"] == 2)]
    assert list(ukg_usa["called"]) == [0, 0], "directed: UKG was not called for the USA"
    assert table.loc[table["state1"] == "XXX", "ccode1"].isna().all(), "not a COW state"
    assert 1992 not in set(table["year"])


def test_dyad_years_say_who_supplied_without_fighting_where_the_folder_records_it():
    alliances, decisions, states = _hand_made()
    assert "supplied" not in export.dyad_years(alliances, decisions, states).columns
    more = decisions.assign(period=[3, 6], supplied=[False, True], p_supply=[0.1, 0.5])
    table = export.dyad_years(alliances, more, states).set_index(["state1", "state2", "year"])
    assert table.loc[("USA", "UKG", 1991), "supplied"] == 0, "it fought"
    assert table.loc[("USA", "UKG", 1992), "supplied"] == 1
    assert table.loc[("USA", "UKG", 1992), "p_supply"] == 0.5
    assert table.loc[("UKG", "USA", 1991), "supplied"] == 0


def test_state_years_average_the_years_periods_and_count_memberships_and_calls():
    table = export.state_years(*_hand_made())
    assert len(table) == 3 * 3  # three states alive in three years
    usa = table[table["ccode"] == 2].set_index("year")
    assert usa.loc[1991, "power"] == 0.2 and usa.loc[1991, "nuclear"] == 1
    assert list(usa["alliances_in_force"]) == [1, 1, 0]
    assert usa.loc[1991, "calls_as_guarantor"] == 2 and usa.loc[1991, "fought_as_guarantor"] == 1
    ukg = table[table["ccode"] == 200].set_index("year")
    assert ukg.loc[1991, "calls_for_it"] == 2 and ukg.loc[1991, "fought_for_it"] == 1


def test_export_writes_tables_to_join_from_a_run_folder(tmp_path, main):
    out = tmp_path / "run"
    assert main("run", "wwii_coalition_1942_1948", "--runs", "3", "--out", str(out))[0] == 0
    code, text, err = main("export", str(out), "--format", "dyad-year")
    assert code == 0, err
    assert f"wrote {out / 'dyad_year.parquet'}" in text and "join on ccode1, ccode2, year" in text
    dyads = pd.read_parquet(out / "dyad_year.parquet")
    decisions = pd.read_parquet(out / "decisions.parquet")
    assert dyads["called"].sum() == len(decisions) and set(dyads["run"]) == {0, 1, 2}
    assert {(2, 200), (200, 2), (2, 365)} <= set(zip(dyads["ccode1"], dyads["ccode2"], strict=True))
    code, _, err = main("export", str(out), "--format", "state-year", "--csv")
    assert code == 0, err
    states = pd.read_csv(out / "state_year.csv")
    assert {"ccode", "year", "power"} <= set(states.columns)
    assert set(states["year"]) == set(range(1942, 1949)) and 255 in set(states["ccode"])


def test_export_refuses_a_folder_that_holds_no_run(tmp_path, main):
    code, _, err = main("export", str(tmp_path), "--format", "state-year")
    assert code == 2 and "expected a results folder written by `run --out`" in err
