"""Survival analysis against values worked out by hand, and on the real alliances."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sim.analysis import survival

from conftest import cli


def hand_made() -> pd.DataFrame:
    # six alliances: durations 1, 2, 2+, 3, 4, 5+ (+ = still in force, censored)
    spells = pd.DataFrame(
        {
            "id": list("abcdef"),
            "duration": [1.0, 2.0, 2.0, 3.0, 4.0, 5.0],
            "ended": [True, True, False, True, True, False],
            "kind": ["defence_pact"] * 6,
            "ratio": [1, 2, 8, 9, 1, 10],
            "start_year": [1900, 1900, 1950, 1950, 1900, 1950],
            "reason": [
                "threat_gone",
                "not_useful",
                "censored",
                "threat_gone",
                "not_useful",
                "censored",
            ],
            "threat_change": [0.1, 0.2, 0.0, -0.1, 0.3, 0.0],
            "nuclear_patron": [0, 0, 1, 1, 0, 1],
            "source": "hand",
        }
    )
    return survival._describe(spells)


def test_kaplan_meier_matches_the_product_limit_worked_by_hand():
    group = survival.kaplan_meier(hand_made())[0]
    s = group.fitter.survival_function_.iloc[:, 0]
    # at risk 6, 1 ends at t=1: 5/6; at t=2, 5 at risk, 1 ends (1 censored): 5/6 * 4/5 = 2/3;
    # at t=3, 3 at risk, 1 ends: 2/3 * 2/3 = 4/9; at t=4, 2 at risk, 1 ends: 4/9 * 1/2 = 2/9
    assert s.loc[1.0] == pytest.approx(5 / 6)
    assert s.loc[2.0] == pytest.approx(2 / 3)
    assert s.loc[3.0] == pytest.approx(4 / 9)
    assert s.loc[4.0] == pytest.approx(2 / 9)
    assert group.median == 3.0  # the first time survival falls to 0.5 or below
    assert (group.n, group.events) == (6, 4)


def test_groups_and_the_log_rank_test():
    groups = survival.kaplan_meier(hand_made(), "era")
    assert [g.name for g in groups] == ["1945 and after", "before 1945"]
    test = survival.logrank(hand_made(), "era")
    assert test["groups"] == 2 and 0 <= test["p_value"] <= 1


def test_competing_risks_add_up_to_one_minus_survival():
    spells = hand_made()
    curves = survival.cumulative_incidence(spells)
    assert set(curves) == {"threat_gone", "not_useful"}
    total = sum(c.iloc[:, 0].reindex([4.0], method="ffill").iloc[0] for c in curves.values())
    km = survival.kaplan_meier(spells)[0].fitter.survival_function_.iloc[:, 0].loc[4.0]
    assert total == pytest.approx(1 - km)


def test_atop_medians_are_computed_from_the_data():
    spells = survival.from_atop()
    assert len(spells) == 745
    early = spells[spells["start_year"] < 1945]
    assert survival.kaplan_meier(early)[0].median == pytest.approx(5.5, abs=0.5)
    pacts = early[early["kind"] == "defence_pact"]
    assert survival.kaplan_meier(pacts)[0].median == pytest.approx(4.3, abs=0.5)


def test_cox_model_reports_hazard_ratios():
    table = survival.cox(survival.from_atop())
    assert {"log_ratio", "nuclear_patron"} <= set(table.index)
    assert (table["lower"] <= table["hazard_ratio"]).all()
    assert (table["hazard_ratio"] <= table["upper"]).all()


def test_survival_cli_compares_simulated_with_history(tmp_path):
    run = tmp_path / "wwii"
    assert cli("run", "wwii_coalition_1942_1948", "--runs", "20", "--out", str(run)).returncode == 0
    out = tmp_path / "figures"
    result = cli("survival", str(run), "--compare", "--by", "era", "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    names = {g["name"] for g in report["groups"]}
    assert "simulated: before 1945" in names and "ATOP v4.01 defence pacts: 1945 and after" in names
    for g in report["groups"]:
        assert {"name", "n", "events", "median", "median_lower", "median_upper"} <= set(g)
    assert report["figures"] and all(Path(p).exists() for p in report["figures"])


def test_survival_cli_needs_something_to_analyse():
    result = cli("survival")
    assert result.returncode == 2 and "expected run folders" in result.stderr


def test_a_run_sets_alliances_give_the_spells_of_its_run_folder(tmp_path):
    from conftest import runs_of

    runset = runs_of("wwii_coalition_1942_1948", runs=10)
    folder = tmp_path / "wwii"
    assert cli("run", "wwii_coalition_1942_1948", "--runs", "10", "--seed", "7",
               "--out", str(folder)).returncode == 0  # fmt: skip
    spells = survival.from_table(runset.alliances, folder.name)
    pd.testing.assert_frame_equal(spells, survival.from_runs([folder]), check_dtype=False)
    assert len(spells) == len(runset.alliances) and spells["ended"].any()


# --- how ATOP's alliances ended, in the model's words ------------------------------------


@pytest.mark.parametrize(
    ("atopid", "reason"),
    [
        (1160, "threat_gone"),  # Crimean War coalition, ended with the war (1856): 5/3
        (3285, "balance_shifted"),  # Warsaw Pact, dissolved 1991: 3/4
        (2470, "violated"),  # Nazi-Soviet pact, ended by Germany's attack (1941): 3/6
        (1370, "lapsed"),  # Reinsurance Treaty, not renewed (1890): 1/4
        (1290, "member_gone"),  # Prussia and Hesse, Hesse absorbed (1871): 4/2
        (1335, "member_gone"),  # Dual Alliance, its members beaten (1918): 6/7
    ],
)
def test_atop_ends_are_read_as_the_cases_checked_by_hand(atopid, reason):
    from sim.history import atopends

    row = atopends.alliances().set_index("atopid").loc[atopid]
    assert row["ended"] and row["reason"] == reason


def test_every_atop_end_is_read_and_the_exits_that_end_an_alliance_agree():
    from sim.history import atopends
    from sim.history.cow import data_table

    a = atopends.alliances()
    ended = a[a["ended"]]
    unread = ended[ended["confidence"] == "none"]
    assert unread["atopid"].tolist() == [5070]  # ended in 2013 but coded as in force
    assert (a.loc[~a["ended"], "reason"] == "censored").all()
    assert set(ended["reason"]) <= {*atopends.REASONS, "renegotiated", "other"}
    # every pair of codes that ends an alliance is one the mapping reads, or says it cannot
    m = data_table(atopends.MEMBERS)
    codes = m["termcaus"].fillna(atopends.NO_CODE).astype(int)
    pairs = set(zip(m["termmode"], codes, strict=True))
    assert {p for p in pairs if p[0] > 0} <= set(atopends.MAPPING) | {(2, 4)}
    # the 1816-1944 defence pacts: the reading the ODD reports
    early = a[a["start_year"].between(1816, 1944) & a["defence"]]
    assert len(early) == 104 and early["ended"].all()
    assert (early["reason"] == "threat_gone").sum() == 23


def test_atop_spells_carry_members_threats_and_founders_ratio():
    spells = survival.from_atop().set_index("id")
    assert set(spells.loc["2470", "members"]) == {"GMY", "RUS"}
    assert spells.loc["3285", "defence"] and spells.loc["3285", "cause"] == "balance_shifted"
    assert spells["duration"].min() > 0 and spells["ratio"].dropna().min() >= 1.0


# --- the literature's patterns and the two-sample comparison ----------------------------


def _exponential(n: int, rate: float, seed: int, shape: float = 1.0) -> pd.DataFrame:
    """Spells with a Weibull hazard (shape 1: constant), censored at 40 years."""
    import numpy as np

    rng = np.random.default_rng(seed)
    duration = rng.weibull(shape, n) / rate
    return pd.DataFrame(
        {
            "duration": np.minimum(duration, 40.0),
            "ended": duration < 40.0,
            "ratio": 1.0,
            "run": "r0",
        }
    )


def test_age_trend_finds_a_flat_hazard_flat_and_a_falling_one_falling():
    from sim.analysis import patterns

    flat = patterns.age_trend(_exponential(3000, 0.1, 1))
    assert flat.lower <= 1.0 <= flat.upper and flat.value == pytest.approx(1.0, abs=0.08)
    # Weibull shape 0.5: the hazard goes as age ** -0.5, so doubling the age multiplies it by 0.71
    falling = patterns.age_trend(_exponential(3000, 0.1, 2, shape=0.5))
    assert falling.upper < 1.0 and falling.value == pytest.approx(2**-0.5, abs=0.08)


def test_each_history_is_held_to_the_real_records_test_of_a_flat_hazard():
    from sim.analysis import patterns

    flat = [_exponential(400, 0.1, seed).assign(run=f"r{seed}") for seed in range(4)]
    falling = [_exponential(3000, 0.1, seed, shape=0.5).assign(run=f"f{seed}") for seed in range(3)]
    found = patterns.flat_histories(pd.concat(flat + falling, ignore_index=True))
    assert found == {"flat": 4, "of": 7}, "a falling hazard is shown to fall in every history"


def test_the_hazard_check_holds_when_most_histories_pass_the_real_records_test():
    from sim.analysis import comparison, patterns

    real = patterns.age_trend(_exponential(400, 0.1, 9))
    assert real.upper >= 1.0

    def histories(flat: int, falling: int) -> dict[str, int]:
        runs = [_exponential(400, 0.1, k).assign(run=f"r{k}") for k in range(flat)] + [
            _exponential(3000, 0.1, k, shape=0.5).assign(run=f"f{k}") for k in range(falling)
        ]
        return patterns.flat_histories(pd.concat(runs, ignore_index=True))

    assert comparison.hazard_flat(histories(4, 3), real)
    assert not comparison.hazard_flat(histories(3, 4), real), "most histories show it falling"
    assert not comparison.hazard_flat(
        histories(4, 0), patterns.age_trend(_exponential(3000, 0.1, 2, shape=0.5))
    ), "the record itself shows it falling"


def test_asymmetry_is_the_hazard_ratio_per_tenfold_capability_ratio():
    import numpy as np

    from sim.analysis import patterns

    rng = np.random.default_rng(3)
    ratio = 10 ** rng.uniform(0, 2, 2000)
    duration = rng.exponential(1.0, 2000) / (0.1 * ratio ** np.log10(2.0))  # HR 2 per tenfold
    spells = pd.DataFrame({"duration": duration, "ended": True, "ratio": ratio, "run": "r0"})
    found = patterns.asymmetry(spells)
    assert found.lower < 2.0 < found.upper


def test_defeats_mark_the_years_after_a_war_was_lost():
    from sim.analysis import patterns

    # Austria-Hungary lost the First World War in 1918; Italy won it, and its war on Turkey (1912)
    spells = pd.DataFrame(
        {
            "start_year": [1910, 1910],
            "duration": [15.0, 15.0],
            "ended": [True, False],
            "members": [("AUH",), ("ITA",)],
            "enemies": [(), ()],
        }
    )
    panel = patterns.defeat_panel(spells)
    assert len(panel) == 32 and panel["end"].sum() == 1
    austria, italy = panel.iloc[:16], panel.iloc[16:].reset_index(drop=True)
    assert [1910 + k for k in austria.index[austria["member"]]] == [1918, 1919, 1920]
    assert [1910 + k for k in italy.index[italy["adversary"]]] == [
        1912,
        1913,
        1914,
        1918,
        1919,
        1920,
    ]
    assert not austria["adversary"].any() and not italy["member"].any()


def test_weighted_log_rank_counts_the_runs_as_one_history():
    from lifelines.statistics import logrank_test

    from sim.analysis import curves

    real = _exponential(150, 0.15, 4)
    one = _exponential(300, 0.1, 5)
    test = curves.logrank(one, real)
    plain = logrank_test(one["duration"], real["duration"], one["ended"], real["ended"])
    assert test["statistic"] == pytest.approx(plain.test_statistic, rel=1e-9)
    # ten copies of the same run are still one history: the test has the same power
    copies = pd.concat([one.assign(run=f"r{k}") for k in range(10)], ignore_index=True)
    assert curves.logrank(copies, real)["statistic"] == pytest.approx(test["statistic"])
    unweighted = logrank_test(copies["duration"], real["duration"], copies["ended"], real["ended"])
    assert unweighted.test_statistic > 1.5 * test["statistic"]  # what the weights prevent


def test_distances_between_curves_with_bootstrap_intervals():
    from sim.analysis import curves

    a = _exponential(200, 0.1, 6)
    same = curves.distances(curves.Curve.of(a), curves.Curve.of(a))
    assert same == {"sup": 0.0, "area": 0.0}
    b = _exponential(200, 0.3, 7)
    found = curves.bootstrap(pd.concat([a.assign(run="x"), a.assign(run="y")]), b, draws=50)
    for d in found.values():
        assert d["lower"] <= d["value"] <= d["upper"] and d["lower"] > 0


def test_survival_compare_reports_checks_tests_and_distances_per_era(tmp_path, capsys):
    world = tmp_path / "world"
    args = ["world", "--start", "1900", "--end", "1960", "--runs", "2", "--out", str(world)]
    assert cli(*args).returncode == 0
    out = tmp_path / "figures"
    result = cli("survival", str(world), "--compare", "--draws", "20", "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    eras = {e["era"]: e for e in report["eras"]}
    assert set(eras) == {"1816-1944", "1945-2003"}
    early = eras["1816-1944"]
    names = {c["name"] for c in early["checks"]}
    assert {"median duration (years)", "share of ends: threat_gone"} <= names
    assert {"statistic", "p_value", "runs"} <= set(early["logrank"]) and early["logrank"][
        "runs"
    ] == 2
    assert {"sup", "area"} <= set(early["distances"])
    named = {"survival_by_era_world+atop.png", "incidence_by_era_world+atop.png"}
    assert {p.name for p in out.iterdir()} >= named | {"incidence_world.png"}
    from sim.cli import survival_report

    sets = {"simulated": survival.from_runs([world]), "ATOP": survival.from_atop()}
    survival_report.print_eras(survival_report.compare(sets, "defence", 5), "ATOP")
    printed = capsys.readouterr().out
    assert "log-rank, simulated runs weighted as one history (2 runs)" in printed
    assert "its interval reaches 1 in " in printed and early["flat_histories"]["of"] <= 2
    alone = cli("survival", "--data", "atop", "--out", str(tmp_path / "atop"))
    assert (
        alone.returncode == 0
        and (tmp_path / "atop" / "incidence_atop_v4_01_defence_pacts.png").exists()
    )
