"""The decision kernel's factors: name, weight, sign, meaning and group of each.

The groups are the intercept, a stake, a cost, a small term and noise. The factors follow
the essay (see ``docs/ODD.md``); :mod:`sim.model.decide` computes them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Factor:
    """One term of the decision: its name, the parameter that weighs it, its sign, its meaning."""

    name: str
    weight: str | None
    sign: int
    group: str
    meaning: str


FACTORS: tuple[Factor, ...] = (
    Factor(
        "baseline",
        "baseline",
        +1,
        "intercept",
        "a state's reluctance to fight another's war, all else equal",
    ),
    Factor(
        "sites_at_risk",
        "w_sites",
        +1,
        "stake",
        "the guarantor's own bases and facilities exposed by the war",
    ),
    Factor(
        "theatre_value",
        "w_theatre_value",
        +1,
        "stake",
        "the theatre's strategic or economic value to the guarantor (a strait, an oil region)",
    ),
    Factor(
        "buffer",
        "w_buffer",
        +1,
        "stake",
        "the partner as a buffer on the guarantor's border, shielding it from the adversary",
    ),
    Factor(
        "border_threat",
        "w_border_threat",
        +1,
        "stake",
        "the adversary borders the guarantor: its victory puts a stronger power on its border",
    ),
    Factor(
        "adversary_near",
        "w_adversary_near",
        +1,
        "stake",
        "the adversary's capital near the guarantor's: a stronger power close to home",
    ),
    Factor(
        "rival_gain",
        "w_rival_gain",
        +1,
        "stake",
        "what a rival of the guarantor gains if the adversary wins",
    ),
    Factor(
        "partner_danger",
        "w_partner_danger",
        +1,
        "stake",
        "the danger of losing a partner near the guarantor: its attackers' strength against it",
    ),
    Factor(
        "survival",
        "w_survival",
        +1,
        "stake",
        "a threat to the guarantor's own survival, less what its nuclear arms remove",
    ),
    Factor(
        "own_war", "w_own_war", +1, "stake", "the guarantor is already at war with the adversary"
    ),
    Factor(
        "committed_elsewhere",
        "w_committed_elsewhere",
        -1,
        "cost",
        "the share of the guarantor's forces engaged elsewhere, as the scenario states it",
    ),
    Factor(
        "adversary_strength",
        "w_adversary",
        -1,
        "cost",
        "the strength of the adversary and its backers against both partners",
    ),
    Factor(
        "nuclear_risk",
        "w_nuclear",
        -1,
        "cost",
        "nuclear arms on the adversary's side (its own, its backers', their allies')",
    ),
    Factor(
        "great_power_clash",
        "w_clash",
        -1,
        "cost",
        "the risk of a direct clash with the adversary's strong backers",
    ),
    Factor(
        "distance",
        "w_distance",
        -1,
        "cost",
        "distance from the guarantor's capital to the theatre (1000 km), less technology and reach",
    ),
    Factor(
        "relations_with_adversary",
        "w_relations",
        -1,
        "cost",
        "good relations with the adversary that fighting would spoil",
    ),
    Factor(
        "treaty_text",
        "w_treaty",
        +1,
        "small",
        "the commitment's text covers the theatre (by its kind's strength)",
    ),
    Factor("loyalty", "w_loyalty", +1, "small", "the partner's record of loyalty to the guarantor"),
    Factor(
        "perception", None, +1, "noise", "this run's draw of how the guarantor reads the crisis"
    ),
)
FACTOR_NAMES: tuple[str, ...] = tuple(f.name for f in FACTORS)
PERCEPTION = FACTOR_NAMES.index("perception")
STAKES = np.array([f.group == "stake" for f in FACTORS])
"""Which factors are stakes (push towards fighting)."""
