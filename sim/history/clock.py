"""The history layer's one clock: what was known at a moment, from the dated record.

Every reading of the record is taken as of a *moment*, the morning of a day: a back-test case
is read on the morning of its partner's attack, a replayed year of the open world on the
morning of its first day. Four rules say what was known then, by how a source dates its facts:

* a fact dated by the day (an attack, a state's entry into a war, an alliance signed, a
  capital moved, a major power's rise) is known only if it fell *before* the moment;
* an end dated on or after the moment is not yet known: a war still running, an alliance still
  in force (``ends_known``);
* a fact dated by the month (COW contiguity) is known if it began by the month of the day
  before the moment (:func:`month_before`);
* a figure for a whole year (COW capabilities, Bleek's nuclear status) is known once its
  year is over: a moment in a year reads the year before's (:func:`known_year`).

Every module of :mod:`sim.history` that reads the record for a moment goes through these
functions, and the tests truncate the record at the day before a case, or plant an event
after it, to show that nothing dated after the moment is read.
"""

from __future__ import annotations

import datetime as dt

FIRST_YEAR = 1816
"""The first year of the record (COW's state system and capabilities begin in 1816)."""


def known(day: dt.date | str, moment: dt.date | str) -> bool:
    """Whether a fact dated ``day`` was known on the morning of ``moment`` (ISO strings too)."""
    return str(day) < str(moment)


def month_before(moment: dt.date) -> int:
    """Return the month (``YYYYMM``) of the day before ``moment``: the last month known."""
    before = moment - dt.timedelta(days=1)
    return before.year * 100 + before.month


def known_year(year: int) -> int:
    """Return the year whose yearly figures are known as ``year`` opens: the year before.

    1816, the first year of the record, has none before it: its own figures stand in (they
    describe the states as the record opens, before any case: the first war is of 1823).
    """
    return max(year - 1, FIRST_YEAR)
