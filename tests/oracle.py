"""A plain implementation of the decision rule, one call and one state at a time.

It is the oracle the vectorised kernel is tested against (``tests/test_decide.py``) and the
baseline it is timed against (``benchmarks``). It is deliberately written without numpy
array arithmetic over states.
"""

from __future__ import annotations

import math

import numpy as np

from sim.model.decide import FACTORS, Calls, Situation
from sim.model.params import Params


def random_world(
    rng: np.random.Generator, n: int = 12, territories: int = 6, sites: int = 8, k: int = 15
) -> tuple[Calls, Situation]:
    power = rng.uniform(0.001, 0.3, n)
    relations = rng.uniform(-1, 1, (n, n))
    relations = (relations + relations.T) / 2
    np.fill_diagonal(relations, 0)
    at_war = rng.random((n, n)) < 0.1
    at_war = at_war | at_war.T
    np.fill_diagonal(at_war, False)
    borders = rng.random((n, n)) < 0.2
    borders = borders | borders.T
    water = rng.random((n, n)) < 0.1
    near = borders | water | water.T
    km = rng.uniform(100, 9000, (n, n))
    km = (km + km.T) / 2
    np.fill_diagonal(km, 0.0)
    defence = rng.random((n, n)) < 0.15
    np.fill_diagonal(defence, False)
    g = rng.integers(0, n, k)
    p = (g + rng.integers(1, n, k)) % n
    a = np.array(
        [
            rng.choice([x for x in range(n) if x not in (gi, pi)])
            for gi, pi in zip(g, p, strict=True)
        ]
    )
    situation = Situation(
        power=power,
        nuclear=rng.random(n) < 0.3,
        relations=relations,
        at_war=at_war,
        borders=borders,
        near=near,
        capital_km=km,
        defence_partners=defence,
        loyalty=rng.random((n, n)),
        theatre_km=rng.uniform(0, 9000, (n, territories)),
        territory_holder=rng.integers(0, n, territories),
        territory_value=rng.random(territories),
        territory_value_to=np.where(
            rng.random((n, territories)) < 0.3, rng.random((n, territories)), 0.0
        ),
        site_holder=rng.integers(0, n, sites),
        site_territory=rng.integers(0, territories, sites),
        site_value=rng.random(sites),
        site_open=rng.random(sites) < 0.8,
        technology=float(rng.uniform(0, 0.9)),
        threat_level=float(rng.uniform(0, 2)),
        committed=rng.uniform(0, 1, n) * (rng.uniform(size=n) < 0.3),
    )
    calls = Calls(
        guarantor=g,
        partner=p,
        adversary=a,
        theatre=rng.integers(0, territories, k),
        scale=rng.random(k),
        backers=rng.random((k, n)) < 0.15,
        covered=rng.random(k) < 0.5,
        text=rng.random(k),
        suppliers=rng.random((k, n)) < 0.15,
    )
    return calls, situation


def oracle(calls: Calls, s: Situation, params: Params, noise: np.ndarray) -> list[float]:
    """The decision rule written plainly: one call at a time, one state at a time."""
    out = []
    n = len(s.power)
    hostility = lambda i, j: 1.0 if s.at_war[i, j] else max(0.0, -s.relations[i, j])  # noqa: E731
    for k in range(len(calls.guarantor)):
        g, p, a, t = (
            int(x[k]) for x in (calls.guarantor, calls.partner, calls.adversary, calls.theatre)
        )
        core = {a} | {x for x in range(n) if calls.backers[k, x]}
        side = {x: 1.0 for x in core}
        for x in range(n):
            if any(s.defence_partners[c, x] for c in core):
                side[x] = max(side.get(x, 0.0), params.allied_backing)
        for x in (g, p):
            side.pop(x, None)
            core.discard(x)
        strength = sum(s.power[x] for x in core)
        strength += sum(
            params.supply_share * s.power[x]
            for x in range(n)
            if calls.suppliers[k, x] and not calls.backers[k, x] and x not in (g, p, a)
        )
        discount = s.threat_level * (1 - s.technology)
        sites = 0.0
        for j in range(len(s.site_holder)):
            if s.site_holder[j] != g or not s.site_open[j]:
                continue
            if s.site_territory[j] == t:
                sites += s.site_value[j]
            elif s.territory_holder[s.site_territory[j]] == p:
                sites += params.site_spillover * s.site_value[j]
        sites *= calls.scale[k] * discount
        holds = s.territory_holder[t] == p
        close = 1 / (1 + s.capital_km[g, a] / params.threat_km)
        buffer = float(s.borders[g, p] and holds) * close * discount
        deterred = 1 - params.nuclear_deterrence * s.nuclear[g]
        border_threat = float(s.near[g, a]) * deterred * discount
        adversary_near = close * deterred * discount
        reach = min(1.0, max(0.0, s.power[g] / params.reach_power))
        rival = (
            max(
                [
                    hostility(g, x) * w * s.power[x] / (s.power[x] + s.power[g])
                    for x, w in side.items()
                    if x != a
                ],
                default=0.0,
            )
            * s.territory_value[t]
        )
        near = 1 / (1 + s.theatre_km[g, t] / params.reach_km)
        survival = hostility(g, a) * near * (1 - params.nuclear_deterrence * s.nuclear[g])
        nuclear = max([w * s.nuclear[x] for x, w in side.items()], default=0.0)
        clash = min(
            1.0, sum(w * s.power[x] / (s.power[x] + s.power[g]) for x, w in side.items() if x != a)
        )
        values = {
            "baseline": 1.0,
            "sites_at_risk": sites,
            "theatre_value": s.territory_value_to[g, t] * calls.scale[k] * discount,
            "buffer": buffer,
            "border_threat": border_threat,
            "adversary_near": adversary_near,
            "rival_gain": rival,
            "partner_danger": strength
            / (strength + s.power[p])
            / (1 + s.capital_km[g, p] / params.threat_km),
            "survival": survival,
            "own_war": float(s.at_war[g, a]),
            "committed_elsewhere": float(s.committed[g]) if s.committed is not None else 0.0,
            "adversary_strength": strength / (strength + s.power[g] + s.power[p]),
            "nuclear_risk": nuclear,
            "great_power_clash": clash,
            "distance": s.theatre_km[g, t]
            / 1000
            * (1 - s.technology)
            * (1 - params.reach_discount * reach),
            "relations_with_adversary": min(1.0, max(0.0, s.relations[g, a])),
            "treaty_text": calls.text[k] if calls.covered[k] else 0.0,
            "loyalty": s.loyalty[p, g],
            "perception": noise[k],
        }
        logit = 0.0
        for f in FACTORS:
            weight = getattr(params, f.weight) if f.weight else 1.0
            logit += f.sign * weight * values[f.name]
        out.append(1 / (1 + math.exp(-logit)))
    return out
