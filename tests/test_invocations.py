"""The back-test's cases: invoked obligations, dated, conditioned, labelled and audited."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from sim.history import invocations, obligations, reliability, wars
from sim.history.cow import data_table


@pytest.fixture(scope="module")
def cases() -> pd.DataFrame:
    return invocations.cases()


def _case(cases: pd.DataFrame, attack_name: str, guarantor: str) -> pd.Series:
    rows = cases[(cases["attack_name"] == attack_name) & (cases["guarantor"] == guarantor)]
    assert len(rows) == 1, (attack_name, guarantor, len(rows))
    return rows.iloc[0]


def test_1939_britain_and_france_are_invoked_by_the_attack_on_poland_and_honour_it(cases):
    for guarantor in ("UKG", "FRN"):
        case = _case(cases, "WW2_Ger_Pol_1939", guarantor)
        assert case["day"] == "1939-09-01" and case["adversary"] == "GMY"
        assert case["obligation"] == "defence" and case["scored"], case["apart"]
        assert case["outcome"] == "beside" and case["acted"] == "1939-09-03"


def test_an_adversary_specific_duty_is_not_invoked_by_another_attacker(cases):
    # the Anglo-Polish agreement of 1939 named Germany: the Soviet attack did not call it
    case = _case(cases, "WW2-Rus-Pol_1939", "UKG")
    assert case["conditions"] == "not_met" and "GMY" in case["condition_notes"]
    assert not case["scored"] and case["apart"] == "not_met"


def test_1914_france_honours_russia_and_is_a_co_belligerent_when_attacked_itself(cases):
    russia = _case(cases, "WW1Ger-Rus", "FRN")
    assert russia["partner"] == "RUS" and russia["outcome"] == "beside" and russia["honoured"]
    france = _case(cases, "WW1Ger-France", "RUS")
    assert france["already"] == "co_belligerent" and france["apart"] == "co_belligerent"


def test_a_guarantor_already_fighting_the_attacker_in_another_war_is_set_apart(cases):
    # China had fought Japan since 1937 when Japan struck the Soviet Union at Lake Khasan
    china = _case(cases, "Changkufeng", "CHN")
    assert china["already"] == "co_belligerent" and not china["scored"]
    assert china["outcome"] == "out" and not china["honoured"]


def test_states_attacked_after_the_war_began_are_cases_at_their_own_date(cases):
    late = cases[cases["attack_name"] == "WW2_Ger-USSR_1941-45"]
    assert len(late) and (late["day"] == "1941-06-22").all() and (late["partner"] == "RUS").all()


def test_a_partner_that_began_the_war_is_not_attacked_in_a_defence_treaty_sense(cases):
    # Britain's declaration of war on Germany (3 September 1939) calls none of Germany's pacts
    germany = cases[(cases["attack_name"] == "WW2_UK_Ger_1939-45")]
    assert len(germany) and germany["partner_began"].all() and not germany["scored"].any()


def test_a_state_bound_to_both_sides_is_set_apart(cases):
    both = cases[cases["both_sides"]]
    assert len(both) and (both["apart"] != "").all() and not both["scored"].any()
    row = both.iloc[0]
    day = dt.date.fromisoformat(row["day"])
    attacker_duties = obligations.bound_states(int(row["adversary_code"]), day)
    assert int(row["guarantor_code"]) in attacker_duties


def test_every_duty_was_in_force_on_the_day_of_its_attack(cases):
    m = obligations.members().set_index(["atopid", "member"])
    for row in cases.itertuples():
        spells = m.loc[[(row.atopid, row.guarantor_code)]]
        day = dt.date.fromisoformat(row.day)
        assert ((spells["entry"] <= day) & (spells["exit"] >= day)).any(), row


def test_a_fight_started_by_the_partner_is_not_a_violation():
    # Italy attacked Yugoslavia in 1941: Yugoslavia fighting back broke no duty to Italy
    war = wars.belligerence(53)
    assert war.assault(325, 345) is not None and war.assault(345, 325) is None


def test_the_war_list_codes_match_the_names_beside_them_after_the_reviewed_corrections():
    rows = wars._rows()
    names = data_table("cow_states2016.csv").drop_duplicates("ccode").set_index("ccode")["statenme"]
    spelled = {
        "wurtemburg": "wuerttemburg",
        "rumania": "romania",
        "ethopia": "ethiopia",
        "republicofkorea": "southkorea",
        "northvietnam": "vietnam",
        "holland": "netherlands",
    }
    columns = [("init_name", "init_ccode"), ("target_name", "target_ccode")]
    columns += [(f"adv{i}name", f"adv{i}ccode") for i in range(2, 15)]
    columns += [(f"ally{i}name", f"ally{i}ccode") for i in range(1, 17)]
    wrong = []
    for name_col, code_col in columns:
        for name, code in rows[[name_col, code_col]].dropna().itertuples(index=False):
            said = str(name).lower().replace(" ", "")
            said = spelled.get(said, said)
            if said[:5] != str(names[int(code)]).lower().replace(" ", "")[:5]:
                wrong.append((name, code))
    assert wrong == []


def test_every_label_cow_contradicts_is_reviewed_and_no_review_is_stale(cases):
    differ = invocations.label_check(cases)
    keys = set(zip(differ["attack"], differ["guarantor"], differ["partner"], strict=True))
    review = invocations.reviewed()
    assert keys == set(review), "an unreviewed disagreement, or a review no case needs"
    for row in differ.itertuples():
        entry = review[(row.attack, row.guarantor, row.partner)]
        assert (entry["war_list"], entry["cow"]) == (row.war_list_outcome, row.cow_outcome)
        assert entry["keep"] in ("war_list", "cow") and entry["reason"]


def test_a_reviewed_label_taken_from_cow_replaces_the_war_lists(cases):
    taken = cases[cases["label_source"] == "COW"]
    assert len(taken) >= 1
    assert (taken["outcome"] == taken["cow_outcome"]).all()
    assert (taken["outcome"] != taken["war_list_outcome"]).all()


def test_leeds_style_reliability_before_1945_is_near_the_published_figure(cases):
    pooled = reliability.leeds_by_era(cases)["pre1945"]["pooled"]
    assert abs(pooled - reliability.LEEDS_PUBLISHED["pooled"]) <= 0.10


def test_sabrosky_style_shares_to_1965_are_near_the_published_ones():
    shares = reliability.sabrosky_by_era()["1816-1965"]
    for key in ("beside", "out", "against"):
        assert abs(shares[key] - reliability.SABROSKY_PUBLISHED[key]) <= 0.10, key


def test_a_scored_case_needs_every_exclusion_absent(cases):
    scored = cases[cases["scored"]]
    assert (scored["conditions"] == "met").all()
    assert not scored["both_sides"].any() and not scored["partner_began"].any()
    assert (scored["already"] == "").all()
