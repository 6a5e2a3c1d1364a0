"""The decision kernel: will guarantor G honour its commitment to partner P against A in T?

All called commitments of a period are scored at once: each factor is an array over the
calls, computed from arrays over all states. A decision's log-odds is the sum of its
factors' signed contributions (value x weight x sign); its probability is the logistic of
that sum. The contributions are kept, so that every decision can say why.

The factors follow the essay (see ``docs/ODD.md``):

* stakes that push towards fighting: the guarantor's own sites at risk, the theatre's value
  to it, the partner as a buffer on its border, the adversary near it, a rival's gain, the
  danger of losing a near partner, a threat to its own survival, a war it already fights;
* costs and risks that push against: the share of the guarantor's forces a scenario states
  are engaged elsewhere, the adversary's strength with its backers (and a share of its
  suppliers'), nuclear arms on the side of those who fight, a clash with strong backers,
  distance less reach, good relations with the adversary;
* small terms (P3): the commitment's text covering the theatre, the partner's loyalty.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from sim.model.factors import FACTOR_NAMES, FACTORS, PERCEPTION, STAKES, Factor
from sim.model.geography import nearness
from sim.model.params import Params
from sim.model.shared import shared

__all__ = [
    "FACTORS",
    "FACTOR_NAMES",
    "PERCEPTION",
    "STAKES",
    "Calls",
    "Factor",
    "Scores",
    "Situation",
    "diluted",
    "factor_values",
    "hostility",
    "score",
    "signed_weights",
    "stakes",
    "weighed",
]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Situation:
    """The state of the world in one period, as arrays over states, territories and sites."""

    power: FloatArray  # effective power (CINC with the nuclear bonus)
    nuclear: BoolArray
    relations: FloatArray  # (n, n)
    at_war: BoolArray  # (n, n)
    borders: BoolArray  # (n, n)
    near: BoolArray  # (n, n): a border, or at most 24 miles of water between them
    capital_km: FloatArray  # (n, n)
    defence_partners: BoolArray  # (n, n): [x, y] is True when y is bound to defend x
    loyalty: FloatArray  # (n, n): [p, g] is p's loyalty to g as its patron
    theatre_km: FloatArray  # (n, territories)
    territory_holder: IntArray
    territory_value: FloatArray
    territory_value_to: FloatArray  # (n, territories): a territory's value to a named state
    site_holder: IntArray
    site_territory: IntArray
    site_value: FloatArray
    site_open: BoolArray
    technology: float
    threat_level: float
    committed: FloatArray | None = None  # (n,): share of each state's forces engaged elsewhere

    @cached_property
    def hostility(self) -> FloatArray:
        """Hostility between states: 1 at war, else the negative part of relations."""
        return hostility(self.at_war, self.relations)


def hostility(at_war: BoolArray, relations: FloatArray) -> FloatArray:
    """Return hostility between states: 1 at war, else the negative part of relations."""
    return np.where(at_war, 1.0, np.clip(-relations, 0.0, 1.0))


@dataclass(frozen=True)
class Calls:
    """The commitments called in one period, a row per (guarantor, partner, adversary, theatre)."""

    guarantor: IntArray
    partner: IntArray
    adversary: IntArray
    theatre: IntArray
    scale: FloatArray
    backers: BoolArray  # (calls, states): the adversary's backers (who fight beside it)
    covered: BoolArray  # the theatre lies within what a commitment of G to P covers
    text: FloatArray  # the strongest covering commitment's text, 0 if none
    suppliers: BoolArray  # (calls, states): the adversary's suppliers (arms, money; no fighting)

    def __len__(self) -> int:
        """Number of calls."""
        return len(self.guarantor)


@dataclass(frozen=True)
class Scores:
    """The kernel's output: factor values, signed contributions and probabilities."""

    values: FloatArray  # (calls, factors)
    contributions: FloatArray  # (calls, factors)
    p_honour: FloatArray  # (calls,): P(fight)
    p_support: FloatArray  # (calls,): P(fight or supply), the same log-odds + supply_margin

    @property
    def p_supply(self) -> FloatArray:
        """P(supply): supplying a side without fighting for it (ordered logit)."""
        return self.p_support - self.p_honour

    @property
    def p_stay_out(self) -> FloatArray:
        """P(stay out): neither fighting nor supplying."""
        return 1.0 - self.p_support


def signed_weights(params: Params) -> FloatArray:
    """Return each factor's signed weight, in the order of :data:`FACTORS`."""
    return np.array([f.sign * (getattr(params, f.weight) if f.weight else 1.0) for f in FACTORS])


def score(calls: Calls, situation: Situation, params: Params, noise: FloatArray) -> Scores:
    """Score every call at once and return values, contributions and the three outcomes' P.

    The outcomes are ordered (stay out < supply < fight) on one log-odds: P(fight) is its
    logistic, P(fight or supply) the logistic of it plus ``supply_margin``: supplying costs
    less than fighting, for the same stakes.
    """
    return weighed(factor_values(calls, situation, params, noise), params)


def weighed(values: FloatArray, params: Params) -> Scores:
    """Return the scores of calls whose factor values are known: contributions and the P.

    :func:`score` weighs the values it reads; :mod:`sim.results.reweigh` weighs recorded ones
    again under other weights, with the same arithmetic.
    """
    contributions = values * signed_weights(params)
    logit = contributions.sum(axis=1)
    p_support = 1.0 / (1.0 + np.exp(-(logit + params.supply_margin)))
    return Scores(values, contributions, 1.0 / (1.0 + np.exp(-logit)), p_support)


def factor_values(
    calls: Calls, situation: Situation, params: Params, noise: FloatArray
) -> FloatArray:
    """Return the value of every factor for every call, shape (calls, factors).

    The factors but perception are read from the situation (:func:`stakes`); perception is
    this run's ``noise``.
    """
    values = stakes(calls, situation, params).copy()
    values[:, PERCEPTION] = noise
    return values


@shared
def stakes(calls: Calls, situation: Situation, params: Params) -> FloatArray:
    """Return the value of every factor for every call but perception (0), (calls, factors).

    Guarantors that face the same calls in the same situation share them.
    """
    s, g, a = situation, calls.guarantor, calls.adversary
    core, side = _adversary_side(calls, s, params)
    strength = ((core + params.supply_share * _supplying(calls)) * s.power).sum(axis=1)
    discount = s.threat_level * (1.0 - s.technology)
    columns = {
        "baseline": np.ones(len(calls)),
        "sites_at_risk": _sites_at_risk(calls, s, params) * discount,
        "theatre_value": s.territory_value_to[g, calls.theatre] * calls.scale * discount,
        "buffer": _buffer(calls, s, params) * discount,
        "border_threat": _border_threat(calls, s, params) * discount,
        "adversary_near": _adversary_near(calls, s, params) * discount,
        "rival_gain": _rival_gain(calls, s, side),
        "partner_danger": _partner_danger(calls, s, params, strength),
        "survival": _survival(calls, s, params),
        "own_war": s.at_war[g, a].astype(float),
        "committed_elsewhere": s.committed[g] if s.committed is not None else np.zeros(len(g)),
        "adversary_strength": strength / (strength + s.power[g] + s.power[calls.partner]),
        "nuclear_risk": (side * s.nuclear).max(axis=1, initial=0.0),
        "great_power_clash": _clash(calls, s, side),
        "distance": s.theatre_km[g, calls.theatre]
        / 1000.0
        * (1.0 - s.technology)
        * _short(g, s, params),
        "relations_with_adversary": np.clip(s.relations[g, a], 0.0, 1.0),
        "treaty_text": np.where(calls.covered, calls.text, 0.0),
        "loyalty": s.loyalty[calls.partner, g],
        "perception": np.zeros(len(calls)),
    }
    return np.column_stack([columns[name] for name in FACTOR_NAMES])


def _adversary_side(calls: Calls, s: Situation, params: Params) -> tuple[FloatArray, FloatArray]:
    """Return who stands behind the adversary, as weights over states.

    ``core`` is the adversary and its backers (weight 1): their power is what the guarantor
    would fight. ``side`` adds the backers' and the adversary's own defence partners with
    weight ``allied_backing``: not a force in the field, but an escalation risk.
    """
    rows = np.arange(len(calls))
    core = calls.backers.astype(float)
    core[rows, calls.adversary] = 1.0
    # Few states stand behind any adversary: multiply through those columns only.
    behind = np.flatnonzero(core.any(axis=0))
    allies = (core[:, behind] @ s.defence_partners[behind].astype(float)) > 0
    side = np.maximum(core, params.allied_backing * allies)
    for weights in (core, side):
        weights[rows, calls.guarantor] = 0.0
        weights[rows, calls.partner] = 0.0
    return core, side


def _supplying(calls: Calls) -> FloatArray:
    """Return the adversary's suppliers that do not also fight beside it, as 0/1 over states.

    A supplier's arms and money add to the adversary's strength (``supply_share`` of its
    power); only states that fight bring their nuclear arms and a great-power clash.
    """
    only = calls.suppliers & ~calls.backers
    only[np.arange(len(calls)), calls.guarantor] = False
    only[np.arange(len(calls)), calls.partner] = False
    only[np.arange(len(calls)), calls.adversary] = False
    return only.astype(float)


def _sites_at_risk(calls: Calls, s: Situation, params: Params) -> FloatArray:
    """Value of G's open sites exposed: fully in the theatre, by spillover on P's other land."""
    own = (s.site_holder[None, :] == calls.guarantor[:, None]) & s.site_open[None, :]
    in_theatre = s.site_territory[None, :] == calls.theatre[:, None]
    on_partner = s.territory_holder[s.site_territory][None, :] == calls.partner[:, None]
    exposure = np.where(in_theatre, 1.0, np.where(on_partner, params.site_spillover, 0.0))
    return (own * exposure * s.site_value[None, :]).sum(axis=1) * calls.scale


def _buffer(calls: Calls, s: Situation, params: Params) -> FloatArray:
    """The partner as a buffer: it borders G, holds the theatre, and shields G from A.

    A neighbour is a buffer against an adversary that threatens G through it: the stake
    is as large as the adversary is near G (1 next door, 1/2 at ``threat_km``).
    """
    g = calls.guarantor
    borders = s.borders[g, calls.partner]
    holds = s.territory_holder[calls.theatre] == calls.partner
    shields = nearness(s.capital_km[g, calls.adversary], params.threat_km)
    return (borders & holds) * shields


def _border_threat(calls: Calls, s: Situation, params: Params) -> FloatArray:
    """The adversary on G's own border (land, or a narrow sea), unless G has the bomb (P4).

    War spreads to the belligerents' neighbours and allies (Siverson & Starr 1991).
    """
    g = calls.guarantor
    near = s.near[g, calls.adversary].astype(float)
    return near * (1.0 - params.nuclear_deterrence * s.nuclear[g])


def _partner_danger(calls: Calls, s: Situation, params: Params, strength: FloatArray) -> FloatArray:
    """The danger that G loses a partner it depends on, as far as P is near G.

    The attackers' share of their and P's strength, x P's closeness to G (1 next door, 1/2 at
    ``threat_km``; P2: geography decides).
    """
    danger = strength / (strength + s.power[calls.partner])
    return danger * nearness(s.capital_km[calls.guarantor, calls.partner], params.threat_km)


def _adversary_near(calls: Calls, s: Situation, params: Params) -> FloatArray:
    """The adversary's capital close to G's: a strong state nearby, unless G has the bomb (P4).

    1 next door, 1/2 at ``threat_km``; war diffuses by proximity (Boulding 1962; Most & Starr).
    """
    g = calls.guarantor
    close = nearness(s.capital_km[g, calls.adversary], params.threat_km)
    return close * (1.0 - params.nuclear_deterrence * s.nuclear[g])


def _short(g: IntArray, s: Situation, params: Params) -> FloatArray:
    """The share of the cost of distance left to G after its reach (Boulding's gradient).

    A state with ``reach_power`` of the system's effective power, or more, projects force at
    any distance and sheds ``reach_discount`` of the cost; a weaker one sheds less, in
    proportion.
    """
    reach = np.clip(s.power[g] / params.reach_power, 0.0, 1.0)
    return 1.0 - params.reach_discount * reach


def diluted(text: FloatArray, others: FloatArray, params: Params) -> FloatArray:
    """Return a pact's text as it binds one guarantor among ``others`` guarantors of a partner.

    A bilateral pact (one other) binds fully; each further guarantor thins the text, since
    the duty is shared (Olson & Zeckhauser 1966; P9: a wide pact is more institution than
    alliance).
    """
    spread = np.maximum(np.asarray(others, dtype=float) - 1.0, 0.0)
    return np.asarray(text, dtype=float) / (1.0 + params.text_dilution * spread)


def _rival_gain(calls: Calls, s: Situation, side: FloatArray) -> FloatArray:
    """The largest gain a rival of G behind A (a backer, or their allies) makes if A wins.

    The adversary itself is left out: its strength counts only as a cost, so that a
    stronger adversary never makes G readier to fight.
    """
    g = calls.guarantor
    behind = side.copy()
    behind[np.arange(len(calls)), calls.adversary] = 0.0
    hostile = s.hostility[g] * behind
    share = s.power[None, :] / (s.power[None, :] + s.power[g][:, None])
    return (hostile * share).max(axis=1, initial=0.0) * s.territory_value[calls.theatre]


def _survival(calls: Calls, s: Situation, params: Params) -> FloatArray:
    """A hostile adversary fighting near G threatens G itself, unless G has the bomb (P4)."""
    g = calls.guarantor
    hostile = s.hostility[g, calls.adversary]
    near = nearness(s.theatre_km[g, calls.theatre], params.reach_km)
    return hostile * near * (1.0 - params.nuclear_deterrence * s.nuclear[g])


def _clash(calls: Calls, s: Situation, side: FloatArray) -> FloatArray:
    """Backers' and their allies' strength against G: the risk of fighting them directly."""
    backing = side.copy()
    backing[np.arange(len(calls)), calls.adversary] = 0.0
    share = s.power[None, :] / (s.power[None, :] + s.power[calls.guarantor][:, None])
    return np.clip((backing * share).sum(axis=1), 0.0, 1.0)
