"""The back-test's cases put to the decision kernel, in the situation a run has reached.

Each case (:mod:`sim.history.invocations`) is scored in the year of its attack, in the
situation the open world's model is in when the year's wars have begun and before its own
guarantors decide: its simulated alliances and wars, with the record read as of the morning
of the attack (:mod:`sim.history.clock`): relations as known that morning, and only the wars
begun before it, with the partner's own attack (the question put) beside them. Power, nuclear
status and borders are the year's, themselves read as the year opened. The
kernel is asked the case's question: will the guarantor fight for the partner against the
attacker, in the partner's homeland, with the partner's other attackers that day behind the
attacker? Its text term is the obligation's (a defence duty's text where the attack met
its conditions, thinned by the alliance's other members), so that every probability
explains itself factor by factor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from sim.history.invocations import cases as all_cases
from sim.history.relations import relations_on
from sim.history.wars import attacks
from sim.model.decide import FACTOR_NAMES, Calls, Situation, diluted, score
from sim.model.institutions import hedge
from sim.model.params import Params

KEYS = ("war", "attack", "guarantor", "partner")
"""What identifies a case."""
FIGURES = ("p_model", *(f"{k}_{f}" for f in FACTOR_NAMES for k in ("value", "contrib")))
"""What the kernel says of each case: its probability, each factor's value and contribution."""


def text_of(obligation: str, params: Params) -> float:
    """Return the strength of an obligation's text, by its kind (P3: a small term)."""
    return {
        "defence": params.text_defence_pact,
        "offence": params.text_defence_pact,
        "consultation": params.text_consultation,
    }.get(obligation, 0.0)


@dataclass(frozen=True)
class CaseBook:
    """The cases of a span as array indices of the open world, by the year of their attack."""

    table: pd.DataFrame  # the cases of the span, with the world's index of each state
    backers: dict[int, list[int]]  # row -> the world's indices of the co-attackers
    openings: tuple[tuple[str, int, int], ...] = ()  # (ISO day, attacker, target) opening wars
    codes: tuple[int, ...] = ()  # the world's COW codes, by array index

    @classmethod
    def of(
        cls, codes: tuple[int, ...], start: int, end: int, table: pd.DataFrame | None = None
    ) -> CaseBook:
        """Return the cases (or another such table) whose attack falls in ``start``..``end``."""
        at = {c: i for i, c in enumerate(codes)}
        found = all_cases() if table is None else table
        found = found[(found["year"] >= start) & (found["year"] <= end)].reset_index(drop=True)
        for who in ("guarantor", "partner", "adversary"):
            found[f"{who}_at"] = [at.get(c, -1) for c in found[f"{who}_code"]]
        backers = {
            row: [at[int(c)] for c in str(codes).split(";") if c and int(c) in at]
            for row, codes in enumerate(found["co_attacker_codes"])
        }
        openings = tuple(
            (x.day.isoformat(), at[x.attacker], at[x.target])
            for x in attacks()
            if x.opens and start <= x.day.year <= end and x.attacker in at and x.target in at
        )
        return cls(found, backers, openings, tuple(codes))

    def as_of(
        self,
        situation: Situation,
        day: str,
        before: np.ndarray | None,
        question: np.ndarray | None = None,
    ) -> Situation:
        """Return ``situation`` as it stood on the morning of ``day``: no war begun from then on.

        The situation of a year has every war the year's attacks open; a case must see none
        opened on its day or later (Bavaria, attacked by Prussia on 4 July 1866, was not yet
        at war with it when Prussia struck Austria on 23 June; Egypt, struck by Israel on
        5 June 1967, was not at war on the morning Syria was), except the attack put to the
        guarantor: ``question`` marks the pairs of the partners and their attackers that day.
        ``before`` is who was at war as the year began: a pair at war then stays so.
        """
        later = np.zeros_like(situation.at_war)
        for opened, i, j in self.openings:
            if opened[:4] == day[:4] and opened >= day:
                later[i, j] = later[j, i] = True
        if question is not None:
            later &= ~question
        if before is not None:
            later &= ~before
        return replace(situation, at_war=situation.at_war & ~later)

    def record_on(self, situation: Situation, day: str, params: Params) -> Situation:
        """Return ``situation`` with the relations the record gives on the morning of ``day``.

        Relations (portfolio similarity less rivalry, hedged as each period's are) are read as
        known that morning (:mod:`sim.history.clock`): an alliance signed or a war begun
        earlier in the year counts, none later. Borders stay the world's own as its year
        opened (known then, and the world's to edit).
        """
        if not self.codes:
            return situation
        moment = dt.date.fromisoformat(day)
        relations = relations_on(self.codes, moment, params.rivalry_half_life)
        return replace(situation, relations=hedge(relations, situation.power, params, 1.0))

    def question(self, rows: np.ndarray, n: int) -> np.ndarray:
        """Return (n, n): the pairs of each case's partner and its attackers that day."""
        asked = np.zeros((n, n), dtype=bool)
        partners = self.table["partner_at"].to_numpy(np.int64)
        adversaries = self.table["adversary_at"].to_numpy(np.int64)
        for row in rows.tolist():
            p = int(partners[row])
            if p < 0:
                continue
            foes = [int(adversaries[row]), *self.backers[row]]
            foes = [f for f in foes if f >= 0]
            asked[p, foes] = asked[foes, p] = True
        return asked

    def rows_in(self, year: int) -> np.ndarray:
        """Return the rows of the cases whose attack falls in ``year``."""
        return np.flatnonzero(self.table["year"].to_numpy() == year)


def score_year(
    book: CaseBook,
    rows: np.ndarray,
    situation: Situation,
    alive: np.ndarray,
    params: Params,
    before: np.ndarray | None = None,
) -> list[dict[str, Any]]:
    """Score the cases in ``rows`` whose three states are alive, each as of its own day.

    The cases of one partner on one day share a situation: their attack is the one war of that
    day they see (another state attacked the same morning is not yet known to be at war).

    ``situation`` is the year's once its wars have begun; ``before`` who was at war as the
    year began (:meth:`CaseBook.as_of`).
    """
    days = book.table["day"].to_numpy(str)[rows]
    partners = book.table["partner_at"].to_numpy(np.int64)[rows]
    found: list[dict[str, Any]] = []
    for day, partner in sorted(set(zip(days.tolist(), partners.tolist(), strict=True))):
        todo = rows[(days == day) & (partners == partner)]  # one attack put to its guarantors
        known = book.as_of(situation, day, before, book.question(todo, len(alive)))
        found += _score_day(book, todo, book.record_on(known, day, params), alive, params)
    return found


def _score_day(
    book: CaseBook, rows: np.ndarray, situation: Situation, alive: np.ndarray, params: Params
) -> list[dict[str, Any]]:
    """Score the cases in ``rows`` whose three states are alive, in ``situation``."""
    t = book.table.iloc[rows]
    g, p, a = (t[f"{who}_at"].to_numpy(np.int64) for who in ("guarantor", "partner", "adversary"))
    living = (g >= 0) & (p >= 0) & (a >= 0)
    living[living] &= alive[g[living]] & alive[p[living]] & alive[a[living]]
    rows, g, p, a = rows[living], g[living], p[living], a[living]
    if len(rows) == 0:
        return []
    t = book.table.iloc[rows]
    backers = np.zeros((len(rows), len(alive)), dtype=bool)
    for k, row in enumerate(rows):
        backers[k, book.backers[int(row)]] = True
    backers &= alive[None, :]
    return put(t, np.stack([g, p, a]), backers, situation, params)


def put(
    cases: pd.DataFrame,
    states: np.ndarray,
    backers: np.ndarray,
    situation: Situation,
    params: Params,
) -> list[dict[str, Any]]:
    """Put cases to the kernel: each one's P, and each factor's value and contribution.

    ``states`` holds the array indices of the guarantors, partners and adversaries (3, cases);
    the theatre is the partner's homeland; ``backers`` (cases, states) the attacker's
    co-attackers; the text term is the obligation's, thinned by the alliance's other members.
    """
    g, p, a = states
    calls = Calls(
        g, p, a, p, np.ones(len(cases)), backers,
        (cases["conditions"] == "met").to_numpy(bool),
        diluted(
            np.array([text_of(o, params) for o in cases["obligation"]]),
            cases["members"].to_numpy(float) - 1.0,
            params,
        ),
        np.zeros_like(backers),  # the record names no supplier that did not fight
    )  # fmt: skip
    return _rows(cases, score(calls, situation, params, np.zeros(len(cases))))


def _rows(t: pd.DataFrame, scores: Any) -> list[dict[str, Any]]:
    """Return one record per case: its keys, its P, and each factor's value and contribution."""
    keys = {k: t[k].tolist() for k in KEYS}
    paired = np.stack([scores.values, scores.contributions], axis=2)  # value_f, contrib_f, ...
    figures = paired.reshape(len(paired), -1).tolist()
    found = []
    for i, p in enumerate(scores.p_honour.tolist()):
        row: dict[str, Any] = {k: column[i] for k, column in keys.items()}
        row["p_model"] = p
        row.update(zip(FIGURES[1:], figures[i], strict=True))
        found.append(row)
    return found
