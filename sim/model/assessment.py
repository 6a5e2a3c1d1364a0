"""A period's pressures: everything the states weigh before the period's draws are made.

As a period opens, the state of the world (:class:`Opening`) fixes how small states hedge,
how hostile and threatening each state is to each other one, how likely each alliance is to
end, each pair to ally, and what each institution is worth to its members. :func:`assess`
computes all of it at once, as a pure function; the model then draws what happens.

Replications that open a period in the same state share its assessment
(:func:`sim.model.shared.shared`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from sim.model import formation, institutions
from sim.model.alliances import pairs_sharing
from sim.model.decide import hostility
from sim.model.params import Params
from sim.model.shared import shared

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]


class Opening(NamedTuple):
    """The state of the world as a period opens: what its pressures depend on."""

    power: FloatArray  # effective power
    nuclear: BoolArray
    relations: FloatArray  # before this period's hedging
    at_war: BoolArray  # (n, n)
    members: BoolArray  # (rows, n): the book's members
    ratio: FloatArray  # rows: strongest to weakest member's power when each came into force
    common_then: FloatArray  # rows: the common threat when each began (NaN: not yet seen)
    formal: BoolArray  # rows: formal alliances in force
    equals: BoolArray  # rows: alliances of equals in force since an earlier period
    clients: BoolArray  # rows: patron-client ties in force since an earlier period
    institutions: BoolArray  # rows: institutions in force
    site_holder: IntArray
    site_territory: IntArray
    territory_holder: IntArray
    site_value: FloatArray
    site_open: BoolArray
    borders: BoolArray
    capital_km: FloatArray
    goals: IntArray  # (n, n): a shared adversary's index, or -1
    beaten: FloatArray  # per state: how lately it was beaten in a war (1 just beaten, fading)
    technology: float
    threat_level: float
    years: float  # the period's length


class Assessment(NamedTuple):
    """A period's pressures. Rows of alliances are those of ``Opening`` in book order."""

    relations: FloatArray  # after hedging (P12)
    hostility: FloatArray
    felt: FloatArray  # felt[i, j]: the threat i feels from j
    demand: FloatArray  # each state's demand for allies
    equals_end: FloatArray  # per alliance of equals: the chance it ends this period
    threat_term: FloatArray  # ... its push from the common threat's loss (logit)
    balance_term: FloatArray  # ... and from the shift of the balance (logit)
    common: FloatArray  # ... the threat its members share now
    useful: FloatArray  # per patron-client tie: the most useful client's use to the patron
    clients_end: FloatArray  # ... the chance the tie ends this period
    ally_value: FloatArray  # per state: the use of its most useful client (0 if none)
    form: FloatArray  # per pair (i < j) not allied: the chance it allies this period
    form_unallied: FloatArray  # ... and were no pair allied (after an alliance has ended)
    enemy: IntArray  # ... the common enemy it would ally against
    institutions: institutions.Weighing  # how members weigh the institutions in force
    alignment_gap: FloatArray  # per state: how far it leans to its closest patron (P12)


@shared
def assess(o: Opening, params: Params) -> Assessment:
    """Return the pressures of a period that opens as ``o``."""
    relations = institutions.hedge(o.relations, o.power, params, o.years)
    hostile = hostility(o.at_war, relations)
    allied = pairs_sharing(o.members[o.formal])
    felt, demand = formation.pressure(
        o.power,
        hostile,
        relations,
        allied,
        o.nuclear,
        o.capital_km,
        params,
        o.threat_level,
        o.beaten,
    )
    equals_end, threat_term, balance_term, common = formation.equals_pressure(
        o.members[o.equals], o.power, felt, o.ratio[o.equals], o.common_then[o.equals], params
    )
    patron, useful, clients_end = formation.client_pressure(
        o.members[o.clients],
        o.power,
        _site_value_on(o),
        o.borders,
        params,
        o.technology,
        o.threat_level,
    )
    ratio = formation.with_parity(
        formation.pair_ratio(o.power, o.nuclear), o.nuclear, params.nuclear_parity
    )
    form, enemy = formation.formation_propensity(
        felt, ratio, hostile, np.zeros_like(allied), o.goals, params, o.power
    )
    ally_value = np.zeros(len(o.power))
    np.maximum.at(ally_value, patron, useful)
    form = np.where(formation.upper(len(o.power)), formation.per_period(form, o.years), 0.0)
    return Assessment(
        relations=relations,
        hostility=hostile,
        felt=felt,
        demand=demand,
        equals_end=formation.per_period(equals_end, o.years),
        threat_term=threat_term,
        balance_term=balance_term,
        common=common,
        useful=useful,
        clients_end=formation.per_period(clients_end, o.years),
        ally_value=ally_value,
        form=np.where(allied, 0.0, form),
        form_unallied=form,
        enemy=enemy,
        institutions=institutions.weigh(o.members[o.institutions], o.power, params),
        alignment_gap=institutions.alignment_gap(relations, o.power, params),
    )


def _site_value_on(o: Opening) -> FloatArray:
    """Return ``v[i, j]``: the value of i's open sites on territory held by j."""
    n = len(o.power)
    value = np.zeros((n, n))
    holders = o.territory_holder[o.site_territory]
    np.add.at(value, (o.site_holder, holders), o.site_value * o.site_open)
    return value
