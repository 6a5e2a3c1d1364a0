"""The columns of the tables a run records, in order.

A run of the model records five tables (:mod:`sim.model.records` keeps them as columns):
decisions, alliances, states, system and outcomes.
"""

from __future__ import annotations

from sim.model.decide import FACTOR_NAMES

TABLES = ("decisions", "alliances", "states", "system", "outcomes")
"""The tables of a scenario's runs, in the order they are written."""

STATE_FIGURES = (
    "power",
    "effective_power",
    "nuclear",
    "demand_for_allies",
    "ally_value",
    "alignment_gap",
)
"""The states table: each living state's figures in each period (after period, date, state)."""
SYSTEM_COLUMNS = ("period", "date", "poles", "n_poles", "polarity_changed")
"""The system table: the poles in each period, and whether they changed (P11)."""
ALLIANCE_COLUMNS = (
    "alliance",
    "kind",
    "origin",
    "members",
    "start_period",
    "start",
    "end_period",
    "end",
    "ended",
    "reason",
    "symmetric",
    "capability_ratio",
    "duration_years",
    "common_enemy",
    "start_year",
    "nuclear_patron",
    "threat_change",
)
"""The alliances table: a row per alliance that came into force, with its end or censoring."""
DECISION_COLUMNS = (
    "period",
    "date",
    "war",
    "side",
    "guarantor",
    "partner",
    "adversary",
    "theatre",
    "bound",
    "covered",
    "invoked",
    "triggered",
    "fought",
    "supplied",
    "outcome",
    "duty",
    "duty_kept",
    "p_honour",
    "p_supply",
    "p_stay_out",
    "draw",
    *(f"{kind}_{name}" for name in FACTOR_NAMES for kind in ("value", "contrib")),
)
"""The decisions table: a row per call, with each factor's value and signed contribution.

``covered``: a commitment that binds the guarantor applies (it covers the theatre and its
conditions hold); ``invoked``: the partner invoked it; ``triggered``: both; ``duty``: what the
guarantor owes (defend, consult or none); ``outcome``: not triggered, or honoured or violated
by the duty's own terms; ``duty_kept``: the outcome was not a violation; ``fought``: whether it
fought, whatever it owed (what P(honour) predicts); ``supplied``: it supplied the partner's side
(arms, money, land, advisers) without fighting; ``p_supply`` and ``p_stay_out``: the chances of
the other two outcomes of the call (the three add up to 1); ``draw``: the uniform draw that
settled them (fight below P(fight), supply below P(fight or supply)), so that a run can be
weighed again under other weights (:mod:`sim.results.reweigh`)."""
OUTCOME_COLUMNS = ("period", "date", "kind", "subject", "state", "value", "result")
"""The outcomes table: mechanisms other than a decision to fight (membership, presence, ...)."""
