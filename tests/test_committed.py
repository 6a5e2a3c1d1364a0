"""Forces engaged elsewhere, as a stated share with its source: a cost in the decision.

``states.X.committed_elsewhere`` gives the share of X's forces tied up in a war off the
scenario's map (one spell, or a list with ``since`` and ``until``). The kernel weighs it as a
cost (``w_committed_elsewhere``); the back-test's record states none, so its figures do not
move.
"""

from __future__ import annotations

import pytest

from sim.analysis import explain

from synthetic import decisions, of, runs, write

ENGAGED = {"share": 0.6, "source": "a war elsewhere (synthetic)"}


def p_honour(tmp_path, changes) -> float:
    """Return GRT's mean P(honour) for PAR when ADV attacks, over a few runs."""
    return float(of(decisions(write(tmp_path, changes), 4))["p_honour"].mean())


def test_forces_engaged_elsewhere_lower_the_chance_of_fighting(tmp_path):
    free = p_honour(tmp_path, {})
    engaged = p_honour(tmp_path, {"states": {"GRT": {"committed_elsewhere": ENGAGED}}})
    whole = {**ENGAGED, "share": 1.0}
    fully = p_honour(tmp_path, {"states": {"GRT": {"committed_elsewhere": whole}}})
    assert fully < engaged < free


def test_a_spell_counts_only_while_it_holds(tmp_path):
    free = p_honour(tmp_path, {})
    later = [{**ENGAGED, "since": "2000-04"}]  # the attack comes in February
    ended = [{**ENGAGED, "until": "2000-02"}]
    during = [{**ENGAGED, "since": "2000-01", "until": "2000-04"}]
    assert p_honour(tmp_path, {"states": {"GRT": {"committed_elsewhere": later}}}) == free
    assert p_honour(tmp_path, {"states": {"GRT": {"committed_elsewhere": ended}}}) == free
    assert p_honour(tmp_path, {"states": {"GRT": {"committed_elsewhere": during}}}) < free


def test_explain_gives_the_cost_its_signed_contribution(tmp_path):
    path = write(tmp_path, {"states": {"GRT": {"committed_elsewhere": ENGAGED}}})
    why = explain.explain(runs(path, 4), "GRT")
    factor = next(f for f in why.factors if f.name == "committed_elsewhere")
    assert factor.value == pytest.approx(0.6) and factor.contribution < 0.0


BAD = {
    "a share above 1": (
        {"share": 1.5, "source": "s"},
        "committed_elsewhere.share",  # one spell written as a mapping: its path
        "less than or equal to 1",
    ),
    "no source": ({"share": 0.5}, "committed_elsewhere.source", "required"),
    "ends before it begins": (
        [{"share": 0.5, "since": "2000-04", "until": "2000-03", "source": "s"}],
        "committed_elsewhere[0].until",
        "expected a date after since",
    ),
    "more than all its forces at once": (
        [{"share": 0.7, "source": "s"}, {"share": 0.5, "since": "2000-02", "source": "t"}],
        "committed_elsewhere[1].share",
        "add up to 1 at most",
    ),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_validate_refuses_each_misuse_with_file_line_and_field(tmp_path, main, case):
    spells, path, words = BAD[case]
    file = write(tmp_path, {"states": {"GRT": {"committed_elsewhere": spells}}})
    code, _, err = main("validate", str(file))
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith(f"error: {file}, line "), lines[0]
    assert f": states.GRT.{path}: " in lines[0] and words in lines[0], lines[0]
