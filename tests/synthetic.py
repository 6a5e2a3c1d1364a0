"""A small synthetic world for the format's tests: a great power, its partner, an adversary.

``write(folder, changes)`` writes it, with ``changes`` merged in (mappings merge, other values
replace; ``None`` removes a field), and returns the file; ``decisions`` replicates a file and
returns its decisions table. Months 2000-01 to 2000-06; the adversary ADV attacks the partner
PAR in PAR's territory in February; GRT is bound to PAR by a defence pact covering its land.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pandas as pd
from ruamel.yaml import YAML

from sim.model.params import Params
from sim.results.runs import RunSet, replicate
from sim.scenario.loading import load


def _state(name: str, power: float, lat: float, lng: float, **more: Any) -> dict[str, Any]:
    capital = {"city": name, "lat": lat, "lng": lng}
    return {"name": name, "power": power, "capital": capital, "source": "synthetic", **more}


def _territory(owner: str, lat: float, lng: float) -> dict[str, Any]:
    return {"name": owner, "owner": owner, "lat": lat, "lng": lng, "source": "synthetic"}


BASE: dict[str, Any] = {
    "title": "synthetic",
    "summary": "a great power, its partner and an adversary",
    "synthetic": True,
    "propositions": ["P1"],
    "period": "month",
    "start": "2000-01",
    "end": "2000-06",
    "states": {
        "GRT": _state("Great", 0.2, 50.0, 10.0, borders=["PAR"]),
        "PAR": _state("Partner", 0.02, 50.0, 20.0, borders=["GRT", "ADV"]),
        "ADV": _state("Adversary", 0.03, 50.0, 30.0, borders=["PAR"]),
        "OTH": _state("Other", 0.1, 45.0, 0.0),
        "ALY": _state("Ally", 0.02, 52.0, 35.0),
    },
    "territories": {
        "PAR": _territory("PAR", 50.0, 20.0),
        "FAR": {**_territory("PAR", -30.0, 20.0), "name": "a far province of PAR"},
        "ADV": _territory("ADV", 50.0, 30.0),
        "GRT": _territory("GRT", 50.0, 10.0),
        "OTH": _territory("OTH", 45.0, 0.0),
    },
    "commitments": {
        "pact": {
            "name": "pact",
            "kind": "defence_pact",
            "members": ["GRT", "PAR"],
            "source": "synthetic",
        }
    },
    "events": {
        "attack": {
            "kind": "war",
            "at": "2000-02-10",
            "attacker": "ADV",
            "defender": "PAR",
            "theatre": "PAR",
            "source": "synthetic",
        }
    },
}


def merged(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Return ``base`` with ``changes`` merged in; a change to None removes the field."""
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def write(folder: Path, changes: dict[str, Any] | None = None, name: str = "synthetic") -> Path:
    """Write the synthetic scenario with ``changes`` into ``folder``; return the file."""
    path = folder / f"{name}.yaml"
    with path.open("w", encoding="utf-8") as out:
        YAML(typ="safe", pure=True).dump(merged(BASE, changes or {}), out)
    return path


def runs(path: Path, runs: int = 4, seed: int = 1, **params: float) -> RunSet:
    """Replicate a scenario file under the defaults changed by ``params``."""
    return replicate(load(path), Params().replace(**params), seed=seed, runs=runs)


def decisions(path: Path, runs_: int = 4, **params: float) -> pd.DataFrame:
    """Return the decisions of the states a commitment binds, in a few runs of a scenario file.

    States no commitment binds, asked because their stakes reach ``interest_floor``, are left
    out: these tests are about what commitments do.
    """
    d = runs(path, runs_, **params).decisions
    return d[d["bound"]] if not d.empty else d


def of(d: pd.DataFrame, guarantor: str = "GRT", partner: str = "PAR") -> pd.DataFrame:
    """Return one guarantor's calls for one partner (none if nothing was called)."""
    if d.empty:
        return d
    return d[(d["guarantor"] == guarantor) & (d["partner"] == partner)]
