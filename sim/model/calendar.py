"""A scenario's time axis: periods of one month, a quarter or a year, and their labels.

:class:`Calendar` is re-exported by :mod:`sim.model.world`, which compiles it from a scenario.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

MONTHS_PER_PERIOD = {"month": 1, "quarter": 3, "year": 12}


@dataclass(frozen=True)
class Calendar:
    """The time axis of a scenario: periods of one month, quarter or year."""

    start: dt.date
    period: str
    n_periods: int

    @property
    def months(self) -> int:
        """Length of one period in months."""
        return MONTHS_PER_PERIOD[self.period]

    @property
    def years_per_period(self) -> float:
        """Length of one period in years (hazards are declared per year)."""
        return self.months / 12.0

    def period_of(self, date: dt.date) -> int:
        """Return the index of the period that contains ``date``."""
        months = (date.year - self.start.year) * 12 + date.month - self.start.month
        return months // self.months

    def first_day(self, period: int) -> dt.date:
        """Return the first day of a period."""
        months = self.start.year * 12 + self.start.month - 1 + period * self.months
        return dt.date(months // 12, months % 12 + 1, 1)

    @cached_property
    def labels(self) -> tuple[str, ...]:
        """Return every period's label, in order (computed once)."""
        return tuple(self.label(t) for t in range(self.n_periods))

    def label(self, period: int) -> str:
        """Return a readable label: ``1945``, ``1945-Q2`` or ``2020-10``."""
        day = self.first_day(period)
        if self.period == "year":
            return f"{day.year}"
        if self.period == "quarter":
            return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
        return f"{day.year}-{day.month:02d}"
