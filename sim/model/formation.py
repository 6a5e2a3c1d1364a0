"""Threat, the demand for allies, and how alliances form and dissolve.

Pure functions over arrays. The model calls them once per period (through
:func:`sim.model.assessment.assess`):

* :func:`threat_matrix` — how much each state threatens each other one;
* :func:`demand_for_allies` — how much a state needs allies: the threat it faces, less
  what its own nuclear arms remove (P4); :func:`pressure` gives both;
* :func:`equals_pressure` — an alliance of comparable states holds while a common enemy
  threatens all of them and the balance among them holds (P5);
* :func:`client_pressure` — a patron-client tie holds while the client is useful to the
  patron: sites on its soil, a buffer on its border (P6, P8), discounted by technology and
  by the general threat level (P7);
* :func:`formation_propensity` — two states with a common threat ally (P5, P11), the likelier
  the less their joint power falls short of their enemy's (:func:`shortfall`).
"""

from __future__ import annotations

from functools import cache

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from sim.model.geography import nearness
from sim.model.params import Params

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def threat_matrix(
    power: FloatArray,
    hostility: FloatArray,
    capital_km: FloatArray,
    params: Params,
    threat_level: float,
) -> FloatArray:
    """Return ``threat[i, j]``: the threat state j poses to state i.

    It grows with j's share of the pair's power and with hostility, and falls with
    distance (half at ``reach_km``).
    """
    near = nearness(capital_km, params.reach_km)
    threat = hostility * power_share(power) * near * threat_level
    np.fill_diagonal(threat, 0.0)
    return threat


def rivalry(relations: FloatArray, allied: BoolArray, params: Params) -> FloatArray:
    """Return anarchy's floor of hostility: states neither friendly nor allied are rivals.

    Every pair with relations at or below zero and no alliance is ``latent_hostility``
    hostile, so that power and proximity alone make a threat.
    """
    floor: FloatArray = params.latent_hostility * ((relations <= 0.0) & ~allied).astype(float)
    np.fill_diagonal(floor, 0.0)
    return floor


def power_share(power: FloatArray) -> FloatArray:
    """Return ``share[i, j]``: j's share of the pair's power (0 where neither has any)."""
    total = power[None, :] + power[:, None]
    share: FloatArray = np.divide(
        power[None, :],
        total,
        out=np.zeros_like(total),
        where=total > 0.0,
    )
    return share


def beaten_threat(threat: FloatArray, beaten: FloatArray, params: Params) -> FloatArray:
    """Return the threat with each beaten state's discounted (P5: a beaten enemy threatens less).

    ``beaten[j]`` is 1 when j is beaten in a war and halves every ``beaten_half_life`` years;
    j's threat to every state falls by ``beaten_discount`` times it.
    """
    return threat * (1.0 - params.beaten_discount * beaten)[None, :]


def felt_threat(threat: FloatArray, nuclear: BoolArray, params: Params) -> FloatArray:
    """Return the threat each state feels: its own nuclear arms remove most of it (P4)."""
    return threat * (1.0 - params.nuclear_deterrence * nuclear)[:, None]


def demand_for_allies(felt: FloatArray) -> FloatArray:
    """Return each state's demand for allies: the largest threat it feels (P4)."""
    return felt.max(axis=1, initial=0.0)


def pressure(
    power: FloatArray,
    hostility: FloatArray,
    relations: FloatArray,
    allied: BoolArray,
    nuclear: BoolArray,
    capital_km: FloatArray,
    params: Params,
    threat_level: float,
    beaten: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Return the threat each state feels from each other one, and its demand for allies.

    Hostility is at least anarchy's floor (:func:`rivalry`); the threat is
    :func:`threat_matrix`, less what a beaten state has lost of its threat
    (:func:`beaten_threat`) and what a state's own nuclear arms remove (:func:`felt_threat`).
    """
    hostile = np.maximum(hostility, rivalry(relations, allied, params))
    threat = threat_matrix(power, hostile, capital_km, params, threat_level)
    if beaten is not None and beaten.any():
        threat = beaten_threat(threat, beaten, params)
    felt = felt_threat(threat, nuclear, params)
    return felt, demand_for_allies(felt)


def common_threat(members: BoolArray, felt: FloatArray) -> tuple[FloatArray, NDArray[np.int64]]:
    """Return each alliance's common threat and the outsider that poses it.

    The common threat of an alliance (a row of ``members``) is the threat that its
    least-threatened member feels from the outsider that threatens them all most.
    """
    weakest_link = np.zeros((len(members), felt.shape[1]))
    for k, inside in enumerate(members):  # one alliance at a time: O(members x states)
        if inside.any():
            weakest_link[k] = felt[inside].min(axis=0)
    weakest_link[members] = 0.0  # a member is no common enemy
    return weakest_link.max(axis=1, initial=0.0), weakest_link.argmax(axis=1)


def pair_ratio(power: FloatArray, nuclear: BoolArray, parity: float = 0.0) -> FloatArray:
    """Return the power ratio (stronger / weaker) of every pair of states.

    With ``parity`` > 0 (``nuclear_parity`` when states weigh whether to ally), mutual
    deterrence narrows the gap between two nuclear powers (see :func:`with_parity`). A state
    without power (outside the state system) is no one's equal: its ratios are infinite.
    """
    low = np.minimum(power[:, None], power[None, :])
    high = np.maximum(power[:, None], power[None, :])
    ratio = np.divide(high, low, out=np.full_like(low, np.inf), where=low > 0.0)
    return with_parity(ratio, nuclear, parity)


def with_parity(ratio: FloatArray, nuclear: BoolArray, parity: float) -> FloatArray:
    """Return pair ratios with two nuclear powers' ratio raised to the power ``1 - parity``.

    Even the weakest nuclear power can secure its own survival, so nuclear powers can meet as
    near-equals (P4, P11).
    """
    if parity == 0.0:
        return ratio
    both = nuclear[:, None] & nuclear[None, :]
    return np.where(both, ratio ** (1.0 - parity), ratio)


def imbalance(members: BoolArray, power: FloatArray) -> FloatArray:
    """Return the log of the largest power ratio between two members of each alliance.

    That is the strongest member's power over the weakest's (0 for fewer than two members).
    """
    strongest = np.where(members, power[None, :], 0.0).max(axis=1, initial=0.0)
    weakest = np.where(members, power[None, :], np.inf).min(axis=1, initial=np.inf)
    return np.log(np.maximum(strongest / weakest, 1.0))


def poles(members: BoolArray, power: FloatArray, share: float) -> list[list[int]]:
    """Return the system's poles, strongest first, each as sorted state indices.

    A pole is a bloc (states joined by alliances of equals) whose share of all effective
    power is at least ``share``.
    """
    return strong_blocs(blocs(members, len(power)), power, share)


def blocs(members: BoolArray, n: int) -> NDArray[np.int64]:
    """Return each state's bloc label: states joined by the alliances ``members`` share one."""
    if len(members) == 0:  # no alliance of equals: every state is a bloc of its own
        return np.arange(n)
    linked = (members.T.astype(float) @ members.astype(float)) > 0
    _, label = connected_components(csr_matrix(linked), directed=False)
    return np.asarray(label, dtype=np.int64)


def strong_blocs(label: NDArray[np.int64], power: FloatArray, share: float) -> list[list[int]]:
    """Return the blocs (by ``label``) with at least ``share`` of all power, strongest first."""
    weight = np.bincount(label, weights=power)
    strong = np.flatnonzero(weight >= share * power.sum())
    strong = strong[np.argsort(-weight[strong], kind="stable")]
    return [np.flatnonzero(label == root).tolist() for root in strong]


RATIO_CAP = 1e6
"""Power ratios are capped here before their log is taken (a member without power)."""


def per_period(yearly: FloatArray, years: float) -> FloatArray:
    """Convert a yearly probability into the probability over a period of ``years``."""
    return 1.0 - (1.0 - yearly) ** years


def logistic(x: FloatArray) -> FloatArray:
    """Return the logistic function of ``x``: log-odds to probability."""
    return 1.0 / (1.0 + np.exp(-x))


def threat_reference(common_then: FloatArray, common: FloatArray, params: Params) -> FloatArray:
    """Return the common threat below which each alliance of equals starts to lose its reason.

    That is ``threat_kept`` of the threat its members shared when it began (``common_then``;
    NaN for an alliance seen for the first time, whose threat now is its founding threat),
    and never less than ``threat_kept`` of ``threat_floor``: an alliance is measured by the
    enemy that made it, so that one formed against a great threat ends as that threat falls,
    whatever the scale of threats in its world, and one made with no common threat has no
    reason from the start.
    """
    then = np.where(np.isnan(common_then), common, common_then)
    return params.threat_kept * np.maximum(then, params.threat_floor)


def equals_terms(
    common: FloatArray,
    reference: FloatArray,
    imbalance_now: FloatArray,
    imbalance_then: FloatArray,
    params: Params,
) -> tuple[FloatArray, FloatArray]:
    """Return the two pushes towards ending an alliance of equals, in logit units.

    The first is the common threat's loss: how far it has fallen below ``reference``
    (:func:`threat_reference`); the second the shift of the balance among the partners since
    the alliance began (the log of their strongest to weakest power ratio, now against then),
    beyond ``balance_tolerance``.
    """
    threat_gone = np.clip(1.0 - common / np.maximum(reference, 1e-12), 0.0, 1.0)
    moved = np.abs(imbalance_now - imbalance_then)
    shift = np.clip(moved - np.log(params.balance_tolerance), 0.0, None)
    return params.w_threat_gone * threat_gone, params.w_balance_shift * shift


def equals_pressure(
    members: BoolArray,
    power: FloatArray,
    felt: FloatArray,
    ratio_then: FloatArray,
    common_then: FloatArray,
    params: Params,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Return the yearly hazard that each alliance of equals (a row of ``members``) ends.

    It ends as its enemy goes (the common threat falls from ``common_then``, what it was when
    the alliance began) or its balance shifts from what it was then (``ratio_then``: its
    strongest to weakest member's power). Returned: the hazard, the two pushes in logit units
    (:func:`equals_terms`), and the common threat now.
    """
    common, _ = common_threat(members, felt)
    then = np.log(np.clip(ratio_then, 1.0, RATIO_CAP))
    now = np.minimum(imbalance(members, power), np.log(RATIO_CAP))
    reference = threat_reference(common_then, common, params)
    threat_term, balance_term = equals_terms(common, reference, now, then, params)
    hazard = logistic(params.dissolution_baseline + threat_term + balance_term)
    return hazard, threat_term, balance_term, common


def usefulness(
    patron: NDArray[np.int64],
    clients: BoolArray,
    site_owner_on: FloatArray,
    borders: BoolArray,
    params: Params,
    technology: float,
    threat_level: float,
) -> FloatArray:
    """Return how useful an alliance's most useful client is to its patron.

    ``site_owner_on[i, j]`` is the value of i's open sites on j's territory. A client on
    the patron's border counts as a buffer worth ``buffer_value``.
    """
    rows = np.arange(len(patron))
    value = site_owner_on[patron] + params.buffer_value * borders[patron]
    value = np.where(clients, value, 0.0)
    value[rows, patron] = 0.0
    return value.max(axis=1, initial=0.0) * threat_level * (1.0 - technology)


def client_hazard(useful: FloatArray, params: Params) -> FloatArray:
    """Yearly hazard that a patron-client tie ends as the client stops being useful."""
    useless = np.clip(1.0 - useful / params.usefulness_floor, 0.0, 1.0)
    return logistic(params.client_baseline + params.w_uselessness * useless)


def client_pressure(
    members: BoolArray,
    power: FloatArray,
    site_owner_on: FloatArray,
    borders: BoolArray,
    params: Params,
    technology: float,
    threat_level: float,
) -> tuple[NDArray[np.int64], FloatArray, FloatArray]:
    """Return, for patron-client alliances (rows of ``members``), patron, usefulness, hazard.

    The patron is the strongest member; usefulness is :func:`usefulness`, the yearly hazard
    :func:`client_hazard`.
    """
    patron = np.where(members, power[None, :], -1.0).argmax(axis=1)
    useful = usefulness(patron, members, site_owner_on, borders, params, technology, threat_level)
    return patron, useful, client_hazard(useful, params)


def formation_propensity(
    felt: FloatArray,
    ratio: FloatArray,
    hostility: FloatArray,
    allied: BoolArray,
    goals: NDArray[np.int64],
    params: Params,
    power: FloatArray,
) -> tuple[FloatArray, NDArray[np.int64]]:
    """Return the yearly probability that each pair (i, j) allies, and its common enemy.

    States within ``equal_weight_ratio`` of each other's power, not hostile to each other and
    not already allied, are candidates. Their propensity grows with the threat that both feel
    from one outsider (at least ``formation_floor``: a smaller threat is no reason to form
    one) and with a specific goal they share against an adversary (``goals[i, j]`` holds that
    adversary's index, or -1); it falls by ``w_aggregation`` per unit of the pair's
    :func:`shortfall` of effective ``power`` against that enemy.
    """
    eligible = (ratio <= params.equal_weight_ratio) & (hostility <= 0.0) & ~allied
    np.fill_diagonal(eligible, False)
    common, enemy = _common_threats(felt, params.formation_floor, eligible)
    goal = goals >= 0
    enemy = np.where(goal, goals, enemy)
    candidate = eligible & ((common > 0.0) | goal)
    logit = (
        params.formation_baseline + params.w_common_threat * common + params.w_common_goal * goal
    )
    if params.w_aggregation > 0.0:  # off by default: skip the (states x states) work
        logit = logit - params.w_aggregation * shortfall(power, enemy)
    return np.where(candidate, logistic(logit), 0.0), enemy


def shortfall(power: FloatArray, enemy: NDArray[np.int64]) -> FloatArray:
    """Return how far each pair's joint power falls short of its enemy's, as a log ratio.

    ``shortfall[i, j]`` is ``log(power[enemy] / (power[i] + power[j]))`` where the enemy
    (``enemy[i, j]``) is the stronger, else 0: what an alliance adds to its members' security
    is the strength it aggregates against the threat (Morrow 1991), and two weak states
    joined against a much stronger enemy gain little from each other (Walt 1987).
    """
    joint = power[:, None] + power[None, :]
    against = power[enemy]
    ratio = np.divide(against, joint, out=np.ones_like(joint), where=joint > 0.0)
    return np.log(np.maximum(ratio, 1.0))


def _common_threats(
    felt: FloatArray, floor: float, among: BoolArray
) -> tuple[FloatArray, NDArray[np.int64]]:
    """For the pairs ``among`` (symmetric), the threat both feel from their strongest enemy.

    That is the outsider that threatens both most, by the lesser of the two threats. A
    common threat below ``floor`` (``formation_floor``) is no reason to ally, and counts as
    none. Of outsiders that threaten a pair equally, the first (lowest index) is its enemy.
    Other pairs get 0.
    """
    n = felt.shape[0]
    common, enemy = np.zeros((n, n)), np.zeros((n, n), dtype=np.int64)
    # Threats that count are sparse: only outsiders threatening two states or more at the
    # floor can be a common enemy, and only pairs of states they threaten can share one.
    # The work is (such pairs) x (such outsiders), in chunks of pairs to bound memory.
    counts = felt >= max(floor, np.finfo(float).tiny)
    outsiders = np.flatnonzero(counts.sum(axis=0) >= 2)
    threatened = counts[:, outsiders].any(axis=1)
    i, j = np.nonzero(among & threatened[:, None] & threatened[None, :] & upper(n))
    f = np.where(counts[:, outsiders], felt[:, outsiders], 0.0)  # (states, outsiders)
    for lo in range(0, i.size, PAIR_CHUNK):
        a, b = i[lo : lo + PAIR_CHUNK], j[lo : lo + PAIR_CHUNK]
        both = np.minimum(f[a], f[b])
        best = both.argmax(axis=1)
        value = both[np.arange(a.size), best]
        common[a, b] = common[b, a] = value
        enemy[a, b] = enemy[b, a] = np.where(value > 0.0, outsiders[best], 0)
    return common, enemy


PAIR_CHUNK = 8192  # pairs per chunk in :func:`_common_threats`


@cache
def upper(n: int) -> BoolArray:
    """Return the mask of pairs (i, j) with i < j among ``n`` states (read-only)."""
    mask = np.triu(np.ones((n, n), dtype=bool), k=1)
    mask.flags.writeable = False
    return mask
