"""A run's tables kept as columns, a batch of rows at a time, and built once at the end.

A run records every living state's figures every period, every decision, the outcome of
every membership and the system's poles. Keeping them as column chunks, and building each
table once for all the runs of a chunk (:func:`gather`), costs a few array copies a period
instead of a dictionary per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

Columns = dict[str, NDArray[Any]]


class Ledger:
    """One table of a run, as chunks of columns.

    Args:
        names: the table's columns, in order.
    """

    def __init__(self, names: Sequence[str]) -> None:
        self.names = tuple(names)
        self._chunks: list[tuple[Any, ...]] = []
        self._rows: list[tuple[Any, ...]] = []  # single rows not yet in a chunk

    def add(self, **batch: Any) -> None:
        """Add rows: each column a sequence of the same length (all the table's columns)."""
        self._flush()
        self._chunks.append(tuple([batch[name] for name in self.names]))

    def add_row(self, *values: Any) -> None:
        """Add one row: a value per column, in the table's order."""
        self._rows.append(values)

    def _flush(self) -> None:
        """Put the single rows added since the last chunk into a chunk of their own."""
        if self._rows:
            self._chunks.append(tuple(list(column) for column in zip(*self._rows, strict=True)))
            self._rows = []

    def columns(self) -> Columns:
        """Return the table's columns (strings as objects); none if it has no rows."""
        self._flush()
        if not any(len(chunk[0]) for chunk in self._chunks):
            return {}
        return {
            name: _column([chunk[k] for chunk in self._chunks]) for k, name in enumerate(self.names)
        }

    def table(self) -> pd.DataFrame:
        """Return the table (with no columns if it has no rows)."""
        return pd.DataFrame(self.columns())

    def _gathered(self, runs: Sequence[Ledger], numbers: Sequence[int]) -> Columns:
        """Return the columns of several runs' ledgers (of this one's columns), led by ``run``."""
        for ledger in runs:
            ledger._flush()
        self._chunks = [chunk for ledger in runs for chunk in ledger._chunks]
        columns = self.columns()
        if not columns:
            return {}
        lengths = [sum(len(c[0]) for c in ledger._chunks) for ledger in runs]
        return {"run": np.repeat(np.asarray(numbers, dtype=np.int64), lengths)} | columns


class Panel:
    """Figures over all states, period by period, kept as the arrays themselves.

    The table has a row per period and state present in it. Arrays are kept, not copied:
    the caller hands over arrays it will not change.

    Args:
        ids: the states' ids, by index.
        labels: the periods' dates, by period.
        names: the figures, in the table's order (after period, date and state).
    """

    def __init__(
        self,
        ids: Sequence[str] | NDArray[Any],
        labels: Sequence[str] | NDArray[Any],
        names: Sequence[str],
    ) -> None:
        self.names = tuple(names)
        self._ids = np.asarray(ids, dtype=object)
        self._labels = np.asarray(labels, dtype=object)
        self._periods: list[int] = []
        self._present: list[NDArray[np.bool_]] = []
        self._figures: list[tuple[NDArray[Any], ...]] = []
        self._runs: list[int] = []  # each period's run, when runs are gathered

    def add(self, period: int, present: NDArray[np.bool_], *figures: NDArray[Any]) -> None:
        """Record a period: which states are present, and each figure over all states."""
        self._periods.append(period)
        self._present.append(present)
        self._figures.append(figures)

    def columns(self) -> Columns:
        """Return the table's columns: period, date, state and the figures; none if empty."""
        if not self._periods:
            return {}
        present = np.stack(self._present)
        row, state = np.nonzero(present)  # period by period, states in order
        if not len(row):
            return {}
        period = np.asarray(self._periods, dtype=np.int64)[row]
        columns: Columns = {
            "period": period,
            "date": self._labels[period],
            "state": self._ids[state],
        }
        if self._runs:
            columns = {"run": np.asarray(self._runs, dtype=np.int64)[row]} | columns
        for k, name in enumerate(self.names):
            columns[name] = np.stack([f[k] for f in self._figures])[present]
        return columns

    def table(self) -> pd.DataFrame:
        """Return the table (with no columns if it has no rows)."""
        return pd.DataFrame(self.columns())

    def _gathered(self, runs: Sequence[Panel], numbers: Sequence[int]) -> Columns:
        """Return the columns of several runs' panels (of this one's figures), led by ``run``."""
        for panel, r in zip(runs, numbers, strict=True):
            self._periods += panel._periods
            self._present += panel._present
            self._figures += panel._figures
            self._runs += [r] * len(panel._periods)
        return self.columns()


def gather(runs: Sequence[Ledger | Panel], numbers: Sequence[int]) -> pd.DataFrame:
    """Return one table of several runs' records of one kind, with a leading ``run`` column.

    Runs without rows add none; with no rows at all the table has no columns, as a table
    built from no records has.
    """
    if not runs:
        return pd.DataFrame()
    first = runs[0]
    if isinstance(first, Panel):
        panels = [r for r in runs if isinstance(r, Panel)]
        empty = Panel(first._ids, first._labels, first.names)
        return pd.DataFrame(empty._gathered(panels, numbers))
    ledgers = [r for r in runs if isinstance(r, Ledger)]
    return pd.DataFrame(Ledger(first.names)._gathered(ledgers, numbers))


def _column(chunks: list[Any]) -> NDArray[Any]:
    """Join a column's chunks (lists of values or arrays) into one array."""
    if all(isinstance(c, list) for c in chunks):
        column = np.asarray([value for chunk in chunks for value in chunk])
    else:
        column = np.concatenate(chunks)
    return column.astype(object) if column.dtype.kind == "U" else column
