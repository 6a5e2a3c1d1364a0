"""Fingerprints of every table the simulator produces, on fixed seeds.

A fingerprint is a digest of a table's exact content: its column names, dtypes and every
value's bytes (``pandas.util.hash_pandas_object``). ``tests/golden/fingerprints.json`` holds
the fingerprints of every scenario (alone and with each of its counterfactual overlays), the
open world 1816-2003 with history's wars and with the states' own, and a few CLI outputs.
``tests/test_golden.py`` recomputes them and compares: a refactor that changes no behaviour
keeps every one.

A change that is meant to move results (a new stake, a fitted weight) regenerates the file
with ``python -m tests.fingerprints --update`` and says in its commit why the figures moved.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "fingerprints.json"
SCENARIO_RUNS, SCENARIO_SEED = 30, 11
WORLD_SEED = 3
CLI_COMMANDS = (
    ("run", "karabakh_2020", "--runs", "40", "--seed", "5"),
    ("run", "wwii_coalition_1942_1948", "--runs", "40", "--seed", "5", "--json"),
    ("explain", "karabakh_attack_on_armenia", "RUS", "--runs", "40"),
    ("check", "--runs", "20", "--json"),
    ("params", "--json"),
)


def digest(table: pd.DataFrame) -> str:
    """Return a digest of a table's columns, dtypes and values (not its index)."""
    h = hashlib.sha256()
    h.update(json.dumps([[str(c), str(t)] for c, t in table.dtypes.items()]).encode())
    if len(table):
        rows = pd.util.hash_pandas_object(table, index=False).to_numpy(np.uint64)
        h.update(rows.tobytes())
    return h.hexdigest()[:20]


def scenario_cases() -> list[tuple[str, list[str]]]:
    """Return every scenario of the library alone, and with each overlay that applies to it."""
    from ruamel.yaml import YAML

    cases = [(p.stem, []) for p in sorted((ROOT / "sim" / "scenarios").glob("*.yaml"))]
    for overlay in sorted((ROOT / "sim" / "scenarios" / "counterfactuals").glob("*.yaml")):
        base = YAML(typ="safe").load(overlay.read_text(encoding="utf-8"))["applies_to"]
        cases.append((str(base), [overlay.stem]))
    return cases


def scenario_fingerprints() -> dict[str, dict[str, str]]:
    """Return the fingerprint of each table of each scenario case's replications."""
    import sim

    found = {}
    scenarios = ROOT / "sim" / "scenarios"
    for name, overlays in scenario_cases():
        paths = [scenarios / "counterfactuals" / f"{o}.yaml" for o in overlays]
        runset = sim.replicate(
            sim.load(scenarios / f"{name}.yaml", paths),
            sim.Params(),
            seed=SCENARIO_SEED,
            runs=SCENARIO_RUNS,
        )
        tables = ("decisions", "alliances", "states", "system", "outcomes")
        found["+".join([name, *overlays])] = {t: digest(getattr(runset, t)) for t in tables}
    return found


def world_fingerprints() -> dict[str, dict[str, str]]:
    """Return the fingerprint of each table of the open world, history's wars and the model's."""
    from sim.history import openworld, worldrun
    from sim.model.params import Params

    found = {}
    for mode, (start, end) in (("history", (1816, 2003)), ("model", (1816, 1914))):
        result = worldrun.run(openworld.build(start, end, mode), Params(), seed=WORLD_SEED)
        tables = worldrun.TABLES
        found[f"world_{mode}_{start}_{end}"] = {t: digest(result.table(t)) for t in tables}
    return found


def cli_fingerprints() -> dict[str, str]:
    """Return a digest of what each of a few CLI commands prints."""
    found = {}
    for args in CLI_COMMANDS:
        out = subprocess.run(
            [sys.executable, str(ROOT / "run.py"), *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        ).stdout
        found[" ".join(args)] = hashlib.sha256(out.encode()).hexdigest()[:20]
    return found


def fingerprints() -> dict[str, object]:
    """Return every fingerprint, as ``tests/golden/fingerprints.json`` holds them."""
    return {
        "scenarios": scenario_fingerprints(),
        "world": world_fingerprints(),
        "cli": cli_fingerprints(),
    }


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python -m tests.fingerprints --update")
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(fingerprints(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {GOLDEN.relative_to(ROOT)}")
