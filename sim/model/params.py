"""The one declaration of every tunable number in the model.

Each parameter has a default, a unit, a one-line meaning and a plausible range. Sweeps,
sensitivity analysis, calibration and the CLI's ``--set`` all read this declaration;
nothing else in the package defines a tunable number.

Decision weights are magnitudes (never negative); whether a factor pushes towards or
against honouring is fixed by the factor itself (see :mod:`sim.model.decide`).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.errors import ParameterError, did_you_mean, program


@dataclass(frozen=True)
class ParamSpec:
    """How one parameter is declared: its name, default, unit, meaning and range."""

    name: str
    default: float
    low: float
    high: float
    unit: str
    meaning: str


def _p(default: float, low: float, high: float, unit: str, meaning: str) -> Any:
    return field(
        default=default,
        metadata={"low": low, "high": high, "unit": unit, "meaning": meaning},
    )


@dataclass(frozen=True)
class Params:
    """All weights and thresholds of the model, frozen. Build variants with :meth:`replace`."""

    # --- the decision to honour: intercept and stakes (push towards honouring) ---
    baseline: float = _p(
        -1.03, -5.0, 3.0, "logit", "reluctance to fight for another state when every factor is zero"
    )
    w_sites: float = _p(
        6.0,
        0.0,
        15.0,
        "logit per unit",
        "weight of the guarantor's own strategic sites at risk in the war",
    )
    w_theatre_value: float = _p(
        2.99,
        0.0,
        10.0,
        "logit per unit",
        "weight of the theatre's value to the guarantor (a territory's value_to); set to "
        "w_buffer's, the stake the rubric's 0.8 most resembles: no back-test case carries it",
    )
    w_buffer: float = _p(
        2.99,
        0.0,
        10.0,
        "logit per unit",
        "weight of the partner as a buffer on the guarantor's border",
    )
    w_border_threat: float = _p(
        0.29,
        0.0,
        10.0,
        "logit per unit",
        "weight of the adversary on the guarantor's own border, less what nuclear arms remove",
    )
    w_adversary_near: float = _p(
        1.0,
        0.0,
        10.0,
        "logit per unit",
        "weight of the adversary's closeness to the guarantor (1 next door, 1/2 at threat_km)",
    )
    w_rival_gain: float = _p(
        2.0,
        0.0,
        10.0,
        "logit per unit",
        "weight of what a rival of the guarantor gains if the adversary wins",
    )
    w_partner_danger: float = _p(
        1.0,
        0.0,
        10.0,
        "logit per unit",
        "weight of the danger to the partner: its attackers' share of their and its strength",
    )
    w_survival: float = _p(
        4.96,
        0.0,
        15.0,
        "logit per unit",
        "weight of a threat to the guarantor's own survival from the adversary",
    )
    w_own_war: float = _p(
        3.0, 0.0, 10.0, "logit", "weight of the guarantor already being at war with the adversary"
    )
    # --- costs and risks (push against) ---
    w_committed_elsewhere: float = _p(
        2.0,
        0.0,
        10.0,
        "logit per unit",
        "weight of the share of the guarantor's forces a scenario states are engaged elsewhere",
    )
    w_adversary: float = _p(
        1.95, 0.0, 10.0, "logit per unit", "weight of the strength of the adversary and its backers"
    )
    w_nuclear: float = _p(
        2.5, 0.0, 10.0, "logit per unit", "weight of nuclear arms on the adversary's side"
    )
    w_clash: float = _p(
        1.48,
        0.0,
        10.0,
        "logit per unit",
        "weight of the risk of a direct clash with the adversary's strong backers",
    )
    w_distance: float = _p(
        0.5,
        0.0,
        3.0,
        "logit per 1000 km",
        "cost of distance from the guarantor's capital to the theatre",
    )
    w_relations: float = _p(
        1.49,
        0.0,
        5.0,
        "logit per unit",
        "weight of good relations with the adversary that fighting would spoil",
    )
    # --- small terms (P3) ---
    w_treaty: float = _p(
        0.4, 0.0, 10.0, "logit per unit", "weight of the commitment's text covering the theatre"
    )
    w_loyalty: float = _p(
        0.3, 0.0, 10.0, "logit per unit", "weight of the partner's record of loyalty"
    )
    text_defence_pact: float = _p(
        1.0,
        0.0,
        1.0,
        "0-1",
        "strength of a defence pact's text (and of an offence pact's, a coalition's, a guarantee's)",
    )
    text_basing: float = _p(0.6, 0.0, 1.0, "0-1", "strength of a basing agreement's text")
    text_declaration: float = _p(
        0.4,
        0.0,
        1.0,
        "0-1",
        "strength of a unilateral declaration's text (a doctrine or public pledge, no treaty)",
    )
    text_consultation: float = _p(
        0.2,
        0.0,
        1.0,
        "0-1",
        "strength of a consultation pact's text (and of a member's reservation to consult)",
    )
    text_dilution: float = _p(
        0.5,
        0.0,
        2.0,
        "per guarantor",
        "how much each further guarantor of the same pact thins its text for one of them",
    )
    perception_noise: float = _p(
        0.3, 0.0, 2.0, "logit (sd)", "spread of the guarantor's reading of a crisis between runs"
    )
    interest_floor: float = _p(
        1.0,
        0.0,
        10.0,
        "logit",
        "stakes (log-odds) at which a state no commitment binds is asked whether it intervenes",
    )
    invoke_probability: float = _p(
        0.95,
        0.0,
        1.0,
        "probability",
        "chance that a partner invokes a commitment that covers the theatre",
    )
    supply_margin: float = _p(
        1.0,
        0.0,
        4.0,
        "logit",
        "how much readier a state is to supply a side (arms, money, land, advisers) than to fight"
        " for it: P(fight or supply) is the logistic of the same factors plus this margin",
    )
    # --- the setting (P7, P12) ---
    technology: float = _p(
        0.3, 0.0, 0.95, "0-1", "projection technology: discounts sites, buffers and distance"
    )
    threat_level: float = _p(
        1.0,
        0.0,
        2.0,
        "multiplier",
        "general level of threat in the system; scales the value of sites and buffers",
    )
    site_spillover: float = _p(
        0.1, 0.0, 1.0, "0-1", "exposure of sites on the partner's territory outside the theatre"
    )
    supply_share: float = _p(
        0.25,
        0.0,
        1.0,
        "0-1",
        "share of a supplier's power (arms, money; no forces) that adds to the side it supplies",
    )
    allied_backing: float = _p(
        0.3, 0.0, 1.0, "0-1", "weight of the adversary's backers' own defence partners"
    )
    nuclear_deterrence: float = _p(
        0.9, 0.0, 1.0, "0-1", "share of a threat to survival that own nuclear arms remove (P4)"
    )
    nuclear_bonus: float = _p(
        2.0,
        0.0,
        10.0,
        "multiplier",
        "extra effective power that nuclear arms give over capabilities (CINC)",
    )
    reach_km: float = _p(
        5000.0, 500.0, 20000.0, "km", "distance at which a threat counts half as much as next door"
    )
    threat_km: float = _p(
        1000.0,
        100.0,
        10000.0,
        "km",
        "distance between capitals at which an attacker counts half as near as next door",
    )
    reach_power: float = _p(
        0.1,
        0.01,
        1.0,
        "share",
        "effective power share at which a state projects force at any distance (global reach)",
    )
    reach_discount: float = _p(
        0.25,
        0.0,
        1.0,
        "0-1",
        "share of the cost of distance that global reach removes (Boulding's gradient)",
    )
    defeat_residual: float = _p(
        0.1, 0.0, 1.0, "share", "share of its power a state keeps after defeat"
    )
    latent_hostility: float = _p(
        0.25,
        0.0,
        1.0,
        "0-1",
        "hostility between states neither friendly nor allied: the threat of power and proximity",
    )
    beaten_discount: float = _p(
        0.619,
        0.0,
        1.0,
        "0-1",
        "share of the threat a state poses that it loses when it is beaten in a war (P5)",
    )
    beaten_half_life: float = _p(
        49.384,
        0.5,
        50.0,
        "years",
        "years for half of a beaten state's lost threat to come back",
    )
    rivalry_half_life: float = _p(
        14.0,
        1.0,
        50.0,
        "years",
        "years for the rivalry a war leaves between two states to halve after the peace "
        "(relations from data, the open world)",
    )
    # --- alliances of equals (P5, P11) ---
    equal_weight_ratio: float = _p(
        6.0,
        1.5,
        50.0,
        "ratio",
        "strongest to weakest effective power beyond which two states are not equals to ally",
    )
    formation_floor: float = _p(
        0.233,
        0.0,
        1.0,
        "threat",
        "common threat below which two equals have no reason to ally",
    )
    threat_floor: float = _p(
        0.08,
        0.0,
        1.0,
        "threat",
        "common threat below which no alliance of equals has a reason, whatever it began with",
    )
    threat_kept: float = _p(
        0.462,
        0.0,
        2.0,
        "share",
        "share of its founding common threat (at least threat_floor) below which an "
        "alliance of equals has lost its reason",
    )
    dissolution_baseline: float = _p(
        -5.135,
        -10.0,
        2.0,
        "logit per year",
        "hazard that an alliance of equals ends while its reasons hold",
    )
    w_threat_gone: float = _p(
        13.12,
        0.0,
        20.0,
        "logit per unit",
        "weight of the common threat's loss on an alliance's hazard",
    )
    w_balance_shift: float = _p(
        16.42,
        0.0,
        20.0,
        "logit per unit",
        "weight of a shift of the balance among partners on the hazard (per unit of log ratio)",
    )
    balance_tolerance: float = _p(
        1.569,
        1.0,
        10.0,
        "ratio",
        "factor by which the partners' power ratio may move since they allied before the "
        "balance counts as shifted",
    )
    formation_baseline: float = _p(
        -12.789,
        -15.0,
        2.0,
        "logit per year",
        "propensity of two states to ally when nothing pushes them",
    )
    w_common_threat: float = _p(
        62.971,
        0.0,
        100.0,
        "logit per unit",
        "weight of a common threat on two equals' propensity to ally",
    )
    w_aggregation: float = _p(
        0.0,
        0.0,
        30.0,
        "logit per log ratio",
        "how much less likely two states are to ally per unit of log shortfall of their joint "
        "effective power against their common enemy's (capability aggregation; off by default: "
        "the survival fit did not favour it, ODD 3.13)",
    )
    nuclear_parity: float = _p(
        0.5,
        0.0,
        1.0,
        "0-1",
        "how far mutual deterrence makes two nuclear powers equals (ratio ** (1 - parity))",
    )
    w_common_goal: float = _p(
        14.377,
        0.0,
        20.0,
        "logit",
        "weight of a specific goal two states share against an adversary (P11); set so that a "
        "goal alone makes formation_baseline + w_common_goal = 1.588 (about 0.83 a year)",
    )
    pole_share: float = _p(
        0.2,
        0.05,
        0.5,
        "share",
        "share of the system's effective power that makes a state or bloc a pole",
    )
    # --- institutions, sanctions and hedging (P9, P10, P12) ---
    transaction_saving: float = _p(
        0.15,
        0.0,
        1.0,
        "value per partner",
        "what settling issues jointly saves a member, per fellow member",
    )
    voice_cost: float = _p(
        0.5,
        0.0,
        2.0,
        "value per share",
        "what a member gives up by voting as an equal, per share of power above an equal one",
    )
    sanction_bite: float = _p(
        0.5,
        0.0,
        1.0,
        "share",
        "share of its power a fully exposed target loses to a coalition's sanctions",
    )
    sanction_resilience: float = _p(
        0.01, 0.0001, 1.0, "CINC", "size at which a target's vulnerability to sanctions halves"
    )
    critical_loss: float = _p(
        0.2,
        0.01,
        1.0,
        "share",
        "loss of power from which sanctions count as critical, not inconvenient",
    )
    hedging_rate: float = _p(
        0.3,
        0.0,
        1.0,
        "per year",
        "how fast a courted small state evens out its relations with the great powers",
    )
    # --- presence abroad (P8) ---
    renewal_baseline: float = _p(
        0.0,
        -5.0,
        5.0,
        "logit",
        "a host's propensity to renew a foreign presence when relations are neutral",
    )
    w_host_relations: float = _p(
        4.0,
        0.0,
        10.0,
        "logit per unit",
        "weight of the host's relations with the holder on renewing its presence",
    )
    # --- patron-client ties (P6, P8) ---
    usefulness_floor: float = _p(
        0.1,
        0.0,
        2.0,
        "usefulness",
        "usefulness to the patron below which a patron-client tie erodes",
    )
    client_baseline: float = _p(
        -5.0,
        -10.0,
        2.0,
        "logit per year",
        "hazard that a patron-client tie ends while the client is useful",
    )
    w_uselessness: float = _p(
        3.0, 0.0, 20.0, "logit per unit", "weight of the client's uselessness on the tie's hazard"
    )
    buffer_value: float = _p(
        0.5, 0.0, 2.0, "usefulness", "usefulness to a patron of a client on its border, as a buffer"
    )
    asymmetry_ratio: float = _p(
        4.0, 1.0, 100.0, "ratio", "patron to client power ratio from which a tie is asymmetric"
    )
    end_on_violation: float = _p(
        0.767, 0.0, 1.0, "probability", "chance that a violated commitment ends the alliance"
    )
    # --- wars the states start themselves (open world, --wars model) ---
    onset_baseline: float = _p(
        -14.0, -20.0, 0.0, "logit", "yearly log-odds that one state attacks another, all else zero"
    )
    w_onset_border: float = _p(
        5.0, 0.0, 15.0, "logit", "weight of a shared land border on the odds of attacking"
    )
    w_onset_near: float = _p(
        2.0, 0.0, 10.0, "logit per unit", "weight of closeness (1 next door, 1/2 at reach_km)"
    )
    w_onset_share: float = _p(
        2.0, 0.0, 10.0, "logit per unit", "weight of the attacker's share of the pair's power"
    )
    w_onset_hostility: float = _p(
        3.0, 0.0, 10.0, "logit per unit", "weight of hostility between the pair on the odds"
    )
    war_end_rate: float = _p(
        0.6, 0.05, 1.0, "per year", "yearly probability that a war the states started ends"
    )

    def replace(self, **changes: float) -> Params:
        """Return a copy with some parameters changed, each checked against its range.

        Raises:
            ParameterError: an unknown name or a value outside the declared range.
        """
        for name, value in changes.items():
            check_value(name, value, source="replace()")
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict[str, float]:
        """Return the parameters as a plain ``{name: value}`` mapping."""
        return dataclasses.asdict(self)


def specs() -> tuple[ParamSpec, ...]:
    """Return the declaration of every parameter, in declaration order."""
    return tuple(
        ParamSpec(
            name=f.name,
            default=float(f.default),  # type: ignore[arg-type]
            low=f.metadata["low"],
            high=f.metadata["high"],
            unit=f.metadata["unit"],
            meaning=f.metadata["meaning"],
        )
        for f in dataclasses.fields(Params)
    )


SPECS: dict[str, ParamSpec] = {s.name: s for s in specs()}


def check_name(name: str, *, source: str, line: int | None = None) -> str:
    """Return ``name`` if it is a declared parameter.

    Raises:
        ParameterError: it is not, with the closest declared names.
    """
    if name not in SPECS:
        raise ParameterError(
            source,
            name,
            f"unknown parameter{did_you_mean(name, SPECS)}; {program()} params lists them",
            line=line,
        )
    return name


def check_value(name: str, value: Any, *, source: str, line: int | None = None) -> float:
    """Check one parameter value against its declaration and return it as a float.

    Raises:
        ParameterError: the name is not declared, the value is not a number or is out of range.
    """
    spec = SPECS[check_name(name, source=source, line=line)]
    if isinstance(value, bool) or not isinstance(value, int | float) or not _finite(value):
        raise ParameterError(source, name, "expected a finite number", got=value, line=line)
    if not spec.low <= value <= spec.high:
        raise ParameterError(
            source,
            name,
            f"must be between {spec.low:g} and {spec.high:g} ({spec.meaning})",
            got=value,
            line=line,
        )
    return float(value)


def _finite(value: float) -> bool:
    """Whether a number is finite as a float (a 400-digit integer is not)."""
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def parse_assignment(text: str) -> tuple[str, float]:
    """Parse one ``name=value`` assignment from the command line.

    Raises:
        ParameterError: the text is not ``name=value`` or the value is not valid.
    """
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise ParameterError("--set", text, "expected name=value, for example w_sites=4")
    try:
        value = float(raw)
    except ValueError:
        raise ParameterError("--set", name, "expected a number", got=raw) from None
    return name, check_value(name, value, source="--set")


def build(
    overrides: Mapping[str, float] | None = None,
    assignments: Iterable[str] = (),
    base: Params | None = None,
) -> Params:
    """Build parameters: defaults (or ``base``), then a mapping, then ``name=value`` strings."""
    params = base or Params()
    if overrides:
        params = dataclasses.replace(params, **dict(overrides))
    changes = dict(parse_assignment(a) for a in assignments)
    return dataclasses.replace(params, **changes) if changes else params


def load_file(path: str | Path) -> dict[str, float]:
    """Read a parameter file (YAML mapping of ``name: value``) and check every entry.

    Raises:
        ParameterError: the file is missing, is not a mapping, or holds a bad entry.
    """
    from sim.scenario.yamlfile import line_of, load_yaml

    document = load_yaml(path, error=ParameterError)
    if not isinstance(document, Mapping):
        raise ParameterError(
            str(path),
            "",
            "expected a mapping of parameter: value",
            got=type(document).__name__,
            line=1,
        )
    return {
        str(name): check_value(str(name), value, source=str(path), line=line_of(document, (name,)))
        for name, value in document.items()
    }
