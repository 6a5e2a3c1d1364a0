"""Every table and a few CLI outputs, on fixed seeds, against their recorded fingerprints.

A refactor that changes no behaviour must keep every fingerprint (``tests/fingerprints.py``
says how they are made, and how a change meant to move results regenerates them).
"""

from __future__ import annotations

import json

from fingerprints import GOLDEN, cli_fingerprints, scenario_fingerprints, world_fingerprints

RECORDED = json.loads(GOLDEN.read_text())


def _differences(now: dict, recorded: dict) -> list[str]:
    keys = sorted(set(now) | set(recorded))
    return [k for k in keys if now.get(k) != recorded.get(k)]


def test_every_scenario_gives_the_recorded_tables():
    assert _differences(scenario_fingerprints(), RECORDED["scenarios"]) == []


def test_the_open_world_gives_the_recorded_tables():
    assert _differences(world_fingerprints(), RECORDED["world"]) == []


def test_the_cli_prints_what_it_printed():
    assert _differences(cli_fingerprints(), RECORDED["cli"]) == []


def test_a_changed_value_changes_the_fingerprint():
    import pandas as pd

    from fingerprints import digest

    table = pd.DataFrame({"p": [0.25, 0.5], "who": ["RUS", "ARM"]})
    changed = table.assign(p=[0.25, 0.5000000001])
    assert digest(table) != digest(changed)
    assert digest(table) != digest(table.rename(columns={"p": "q"}))
    assert digest(table) == digest(table.copy())
