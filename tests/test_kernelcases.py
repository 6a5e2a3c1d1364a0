"""The back-test's cases are scored as of their own day, not the end of their year."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from sim.history.kernelcases import CaseBook

from oracle import random_world


def _book(openings: tuple[tuple[str, int, int], ...]) -> CaseBook:
    return CaseBook(pd.DataFrame({"day": []}), {}, openings)


def test_a_case_does_not_see_a_war_its_year_opens_after_its_day():
    _, situation = random_world(np.random.default_rng(0))
    at_war = situation.at_war.copy()
    at_war[1, 2] = at_war[2, 1] = True
    at_war[3, 4] = at_war[4, 3] = True
    situation = replace(situation, at_war=at_war)
    book = _book((("1866-07-04", 1, 2), ("1866-06-01", 3, 4), ("1867-01-01", 5, 6)))
    june = book.as_of(situation, "1866-06-23", before=np.zeros_like(at_war))
    assert not june.at_war[1, 2] and not june.at_war[2, 1], "opened on 4 July: not yet"
    assert june.at_war[3, 4], "opened on 1 June: already at war"
    assert june.hostility[1, 2] == max(0.0, -situation.relations[1, 2])
    july = book.as_of(situation, "1866-07-04", before=np.zeros_like(at_war))
    assert not july.at_war[1, 2], "a war opened on the case's own day is not yet seen"
    asked = np.zeros_like(at_war)
    asked[1, 2] = asked[2, 1] = True
    july = book.as_of(situation, "1866-07-04", before=np.zeros_like(at_war), question=asked)
    assert july.at_war[1, 2], "unless it is the attack put to the guarantor"
    carried = np.zeros_like(at_war)
    carried[1, 2] = carried[2, 1] = True
    assert book.as_of(situation, "1866-06-23", before=carried).at_war[1, 2], "at war since 1865"
    others = (situation.at_war != june.at_war).sum()
    assert others == 2, "nothing else changes"


def test_a_case_does_not_see_another_partner_attacked_the_same_morning(monkeypatch):
    """Two states attacked on one day: each one's guarantors see only their own partner's war."""
    from sim.history import kernelcases

    _, situation = random_world(np.random.default_rng(1))
    at_war = situation.at_war.copy()
    at_war[1, 2] = at_war[2, 1] = at_war[3, 4] = at_war[4, 3] = True  # the year's situation
    situation = replace(situation, at_war=at_war)
    table = pd.DataFrame(
        {
            "day": ["1967-06-05"] * 2,
            "partner_at": [1, 3],
            "adversary_at": [2, 4],
            "year": [1967] * 2,
        }
    )
    book = CaseBook(table, {0: [], 1: []}, (("1967-06-05", 2, 1), ("1967-06-05", 4, 3)))
    seen: dict[int, np.ndarray] = {}

    def record(book_, rows, s, alive, params):
        seen[int(book_.table["partner_at"].iat[int(rows[0])])] = s.at_war
        return []

    monkeypatch.setattr(kernelcases, "_score_day", record)
    kernelcases.score_year(book, np.array([0, 1]), situation, np.ones(12, bool), None)  # type: ignore[arg-type]
    assert seen[1][1, 2] and not seen[1][3, 4], "partner 1's guarantors: its own attack only"
    assert seen[3][3, 4] and not seen[3][1, 2], "partner 3's guarantors: its own attack only"
