"""The back-test at two scales, wars and militarized disputes, scored as forecasts.

:func:`scored_cases` puts a table of cases (the wars' invoked obligations,
:mod:`sim.history.invocations`, or the disputes', :mod:`sim.history.disputes`) to the kernel in
the record's situation on the morning of each (:mod:`sim.history.recordsituation`).
:func:`evaluate` then scores them, by era:

* as they stand: the kernel under the given parameters, no fitting;
* with ``rolling``: rolling-origin forecasts (:mod:`sim.history.rolling`), the kernel's weights
  refitted before each decade on every earlier case of both scales, the pure transfer from
  1816-1944 to 1945-2010, and cross-validation grouped by event within each era.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sim.history import recordsituation, rolling
from sim.history.kernelcases import KEYS
from sim.model.params import Params

SCALES = ("wars", "disputes", "both")
LABELS = ("honoured", "joined")
"""``honoured``: joined the partner's side with force (a war's fought label; a dispute's attack or
more) within 90 days. ``joined``: a dispute's any militarized joining within 90 days, the second
label; a war's case, fought or not, keeps its own label (fighting is a militarized joining)."""


def scored_cases(table: pd.DataFrame, params: Params, source: str) -> pd.DataFrame:
    """Return the scored cases of ``table`` with the kernel's figures and an ``event`` column."""
    kept = table[table["scored"]]
    figures = recordsituation.score_cases(kept, params)
    merged = kept.merge(figures, on=list(KEYS), how="inner")
    return merged.assign(event=source + ":" + merged["war"].astype(str), source=source)


def cases_of(scale: str, params: Params) -> pd.DataFrame:
    """Return the scored cases of a scale (``both``: wars and disputes together)."""
    from sim.history.invocations import cases as war_cases

    found = []
    if scale in ("wars", "both"):
        found.append(scored_cases(war_cases(), params, "war"))
    if scale in ("disputes", "both"):
        from sim.history.disputes import cases as dispute_cases

        found.append(scored_cases(dispute_cases(), params, "dispute"))
    return pd.concat(found, ignore_index=True)


def labelled(table: pd.DataFrame, label: str) -> pd.DataFrame:
    """Return the cases with ``label`` (one of :data:`LABELS`) as the ``honoured`` they score."""
    if label == "honoured":
        return table
    kept = table["honoured"].astype(bool)
    if "joined" in table:
        kept = table["joined"].where(table["source"] == "dispute", kept).astype(bool)
    return table.assign(honoured=kept)


def evaluate(
    scale: str, params: Params, with_rolling: bool, label: str = "honoured"
) -> dict[str, Any]:
    """Return the back-test of a scale by source (``wars``, ``disputes``) and era.

    ``label``: the label scored (:data:`LABELS`).
    """
    table = labelled(cases_of(scale, params), label)
    pooled = rolling.Cases.of(table)
    found: dict[str, Any] = {}
    p = rolling.rolling(pooled) if with_rolling else None
    for source, name in (("war", "wars"), ("dispute", "disputes")):
        rows = np.flatnonzero(table["source"].to_numpy(str) == source)
        if len(rows) == 0:
            continue
        part = pooled.take(rows)
        if p is None:
            found[name] = _as_they_stand(part, table["p_model"].to_numpy(float)[rows])
            continue
        found[name] = rolling.report(part, {k: v[rows] for k, v in p.items()})
        found[name]["transfer"] = rolling.transfer(part)
        found[name]["grouped_cv"] = rolling.grouped_cv(part)
    return found


def _as_they_stand(cases: rolling.Cases, p_model: np.ndarray) -> dict[str, Any]:
    """Return each era's scores of the kernel under the given parameters, unfitted."""
    found = {}
    for era, (first, last) in rolling.ERAS.items():
        rows = np.flatnonzero((cases.year >= first) & (cases.year <= last))
        part = cases.take(rows)
        refs = rolling.forecasts(cases.take(np.flatnonzero(cases.year < first)), part)
        refs["model"] = p_model[rows]
        found[era] = rolling.era_scores(part, refs)
    return found
