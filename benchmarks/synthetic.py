"""Synthetic worlds of any size, for timing the model (not for science)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from sim.scenario.loading import Scenario
from sim.scenario.schema import ScenarioSpec


def _sid(i: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[i // 676 % 26] + letters[i // 26 % 26] + letters[i % 26]


def synthetic_spec(n: int, periods: int = 20, seed: int = 0) -> dict[str, Any]:
    """Return a scenario document with ``n`` states, commitments, sites and wars every year."""
    rng = np.random.default_rng(seed)
    ids = [_sid(i) for i in range(n)]
    power = rng.dirichlet(np.full(n, 0.5)) * 0.9 + 1e-4
    lat, lng = rng.uniform(-50, 60, n), rng.uniform(-120, 140, n)
    states = {
        sid: {
            "name": sid,
            "power": float(power[i]),
            "nuclear": bool(power[i] > 0.05),
            "capital": {"city": sid, "lat": float(lat[i]), "lng": float(lng[i])},
            "borders": [ids[j] for j in rng.choice(n, 2, replace=False) if j != i],
            "source": "synthetic",
        }
        for i, sid in enumerate(ids)
    }
    territories = {
        sid: {
            "name": sid,
            "owner": sid,
            "lat": float(lat[i]),
            "lng": float(lng[i]),
            "source": "synthetic",
        }
        for i, sid in enumerate(ids)
    }
    sites = {
        f"s{k}": {
            "name": f"s{k}",
            "holder": ids[int(rng.integers(n))],
            "territory": ids[int(rng.integers(n))],
            "value": float(rng.random()),
            "source": "synthetic",
        }
        for k in range(n // 4)
    }
    relations = [
        {"between": [ids[a], ids[b]], "value": float(rng.uniform(-1, 1)), "source": "s"}
        for a, b in rng.integers(0, n, (2 * n, 2))
        if a != b
    ]
    commitments = {
        f"c{k}": {
            "name": f"c{k}",
            "kind": "defence_pact",
            "members": [ids[j] for j in rng.choice(n, int(rng.integers(2, 6)), replace=False)],
            "source": "synthetic",
        }
        for k in range(n // 2)
    }
    events = {}
    for year in range(periods):
        for w in range(max(1, n // 40)):
            a, d = rng.choice(n, 2, replace=False)
            events[f"w{year}_{w}"] = {
                "kind": "war",
                "at": f"{2000 + year}-06",
                "attacker": ids[a],
                "defender": ids[d],
                "theatre": ids[d],
                "source": "synthetic",
            }
    unique = {tuple(sorted(r["between"])): r for r in relations}
    return {
        "title": f"synthetic {n}",
        "summary": "timing",
        "period": "year",
        "start": 2000,
        "end": 2000 + periods - 1,
        "states": states,
        "territories": territories,
        "sites": sites,
        "relations": list(unique.values()),
        "commitments": commitments,
        "events": events,
    }


def synthetic(n: int, periods: int = 20, seed: int = 0) -> Scenario:
    """Return a validated synthetic scenario of ``n`` states."""
    spec = ScenarioSpec.model_validate(synthetic_spec(n, periods, seed))
    return Scenario(name=f"synthetic_{n}", path=Path(f"synthetic_{n}.yaml"), spec=spec)
