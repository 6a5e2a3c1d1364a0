"""States no commitment binds are asked by their stakes, wherever they stand (issue 32, item 1).

The folder ``tests/scenarios_interest`` holds two synthetic cases: a weak attacker invades a
small state whose land is worth 0.8 (first) or 0.1 (second) to a distant major power that no
treaty binds, borders nothing there and holds no site there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.model.alliance_model import AllianceModel
from sim.model.calls import Summons
from sim.model.decide import STAKES, signed_weights, stakes
from sim.model.params import Params
from sim.model.world import build
from sim.results.runs import replicate, replication_rngs
from sim.scenario.loading import load

from conftest import cli

FOLDER = Path(__file__).resolve().parent / "scenarios_interest"


def _major(name: str, runs: int = 100) -> pd.DataFrame:
    """Return the distant major power's decisions over ``runs`` runs of one scenario."""
    d = replicate(load(FOLDER / f"{name}.yaml"), Params(), seed=0, runs=runs).decisions
    return d[d["guarantor"] == "MAJ"] if len(d) else d


def test_a_distant_power_with_a_vital_stake_is_asked_and_fights():
    major = _major("distant_stake_high")
    assert len(major) == 100, "asked once in every run, though it borders nothing there"
    assert not major["bound"].any()
    assert set(major["outcome"]) <= {"intervened", "stayed_out"}
    assert major["fought"].mean() > 0.55
    assert major["p_honour"].mean() > 0.55


def test_the_same_power_with_a_small_stake_stays_out():
    major = _major("distant_stake_low")
    assert len(major) == 100, "its stakes still reach the floor: it is asked"
    assert major["fought"].mean() < 0.45
    assert major["p_honour"].mean() < 0.45


def test_below_the_floor_a_distant_power_is_not_asked():
    scenario = load(FOLDER / "distant_stake_high.yaml")
    deaf = replicate(scenario, Params().replace(interest_floor=6.0), seed=0, runs=5).decisions
    assert deaf.empty or "MAJ" not in set(deaf["guarantor"])


def _by_hand(summons: Summons, front: Any, situation: Any) -> set[int]:
    """Return whom the rule asks on a front, one state at a time."""
    model = summons.model
    weights = signed_weights(model.params)
    _, bound = summons._binding(front.partner)
    found: set[int] = set()
    if not front.defensive:  # only an attacked partner calls on the states no duty binds
        return found
    for g in range(model.world.n):
        if not model.alive[g] or bound[:, g].any() or g in summons._excluded(front):
            continue
        row = stakes(summons._front_calls(front, np.array([g])), situation, model.params)
        if (row * weights)[0, STAKES].sum() >= model.params.interest_floor:
            found.add(g)
    return found


def test_the_screen_asks_exactly_the_states_whose_stakes_reach_the_floor(monkeypatch):
    """The vectorised screen against a plain per-state reading of the same rule."""
    seen: list[tuple[set[int], set[int]]] = []
    screen = Summons._interested

    def spy(self: Summons, front: Any, situation: Any) -> Any:
        found = screen(self, front, situation)
        seen.append(({c.guarantor for c in found}, _by_hand(self, front, situation)))
        return found

    monkeypatch.setattr(Summons, "_interested", spy)
    world = build(load(FOLDER / "distant_stake_high.yaml"))
    model = AllianceModel(world, Params(), rng=replication_rngs(0, 1)[0])
    for _ in range(4):
        model.step()
    assert seen, "the war asked the states no commitment binds"
    assert {world.ids.index("MAJ")} in [asked for asked, _ in seen]
    for asked, expected in seen:
        assert asked == expected


def test_run_reports_each_distant_power_as_an_unbound_call():
    for name, low, high in (("distant_stake_high", 0.55, 1.0), ("distant_stake_low", 0.0, 0.45)):
        args = ("run", name, "--dir", str(FOLDER), "--runs", "40")
        out = cli(*args).stdout
        assert "MAJ for SML vs ATK (unbound)" in out
        assert "unbound: no commitment binds the state" in out
        (major,) = json.loads(cli(*args, "--json").stdout)["decisions"]
        assert major["guarantor"] == "MAJ" and major["bound"] is False
        assert major["asked"] == 1.0
        assert low < major["p_honour"] < high


def test_check_scores_the_two_cases_as_unbound():
    card = json.loads(cli("check", "--dir", str(FOLDER), "--runs", "40", "--json").stdout)
    assert [c["bound"] for c in card["cases"]] == [False, False]
    assert card["summary"]["right"] == 2
    assert all("bound by no duty" in c["detail"] for c in card["cases"])


def test_explain_says_why_an_unbound_state_was_asked():
    args = ("explain", "distant_stake_high", "invasion:MAJ:SML", "--dir", str(FOLDER))
    out = cli(*args, "--runs", "20").stdout
    assert "no commitment in force binds Major to Small: asked as an unbound state" in out
    assert "(interest_floor 1.00)" in out
