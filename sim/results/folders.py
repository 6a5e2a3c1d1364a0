"""Reading a results folder back, checked: what it must hold before anything reads it.

A results folder (``run --out``, ``world --out``) holds ``metadata.json`` and its tables,
written as a whole (see :func:`sim.results.files.save_folder`). A reader names what it needs:
the keys of the metadata, each table's columns and the kind of their values; anything
missing, unreadable or of the wrong kind raises :class:`~sim.errors.ResultsError`, naming the
file and what was expected, before any figure or analysis starts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import ResultsError
from sim.results import manifest
from sim.scenario.inputs import read_bytes

METADATA = "metadata.json"
WRITTEN_BY = "a results folder written by `run --out` or `world --out`"
MAX_METADATA = 64 * 1024 * 1024
"""The largest ``metadata.json`` read (64 MiB: a world's of 1816-2003 is under 100 KiB)."""

TEXT, NUMBER, COUNT = "text", "number", "count"
"""The kinds of a column: text; numbers (missing values allowed); finite non-negative
numbers (periods, durations, run indices)."""

KEYS: dict[str, tuple[str, Any]] = {
    "scenario": ("a scenario's name", lambda v: isinstance(v, str)),
    "runs": ("a number of runs", lambda v: type(v) is int and v >= 1),
    "periods": (
        "a list of period labels",
        lambda v: isinstance(v, list) and bool(v) and all(isinstance(p, str) for p in v),
    ),
    "capitals": (
        "each state's capital as [lat, lng]",
        lambda v: isinstance(v, dict) and all(_place(c) for c in v.values()),
    ),
    "overlays": (
        "a list of the counterfactual overlays' names",
        lambda v: isinstance(v, list) and all(isinstance(o, str) for o in v),
    ),
}
"""The metadata a reader may need, what each is and how to recognise it."""


def metadata(
    folder: Path, keys: Iterable[str] = (), optional: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Return a results folder's metadata, checked to hold ``keys`` (of :data:`KEYS`).

    Each key of ``optional`` (also of :data:`KEYS`) is checked where present and takes the
    value given there where absent.

    Raises:
        ResultsError: the folder is missing or incomplete, or its metadata is unreadable or
            lacks a key.
    """
    _folder(folder)
    path = folder / METADATA
    if not path.is_file():
        raise ResultsError(str(folder), "", f"expected {WRITTEN_BY} (it has no {METADATA})")
    text = read_bytes(path, limit=MAX_METADATA, error=ResultsError)  # a pipe is refused unread
    try:
        meta = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        meta = None
    if not isinstance(meta, dict):
        raise ResultsError(
            str(path), "", "expected a JSON object, the metadata of a run's or a world's results"
        )
    manifest.check(folder, meta)  # the folder is checked whole, whatever this reader reads
    for key, default in (optional or {}).items():
        meta.setdefault(key, default)
    for key in [*keys, *(optional or {})]:
        what, valid = KEYS[key]
        if key not in meta or not valid(meta[key]):
            raise ResultsError(str(path), key, f"expected {what}", got=meta.get(key))
    return meta


def table(folder: Path, name: str, columns: Mapping[str, str]) -> pd.DataFrame:
    """Return one table of a results folder, checked to have ``columns`` of their kinds.

    A table without rows is returned with the columns it needs, so that a reader sees an
    empty table rather than a missing column.

    Raises:
        ResultsError: the table is missing or unreadable, or a column is missing or of the
            wrong kind.
    """
    path = folder / f"{name}.parquet"
    frame = _read(path)
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(k)) for c, k in columns.items()})
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ResultsError(
            str(path), "", f"expected a run's {name} table (it lacks {', '.join(missing[:6])})"
        )
    for column, kind in columns.items():
        if not _of_kind(frame[column], kind):
            raise ResultsError(str(path), column, f"expected a column of {_KINDS[kind]}")
    return frame


def replication(folder: Path, meta: Mapping[str, Any], run: int) -> int:
    """Return ``run`` if the folder holds that replication (0 to ``runs - 1``).

    Raises:
        ResultsError: it does not.
    """
    if not 0 <= run < meta["runs"]:
        raise ResultsError(
            "--run", "", f"expected a replication of {folder}, 0 to {meta['runs'] - 1}", got=run
        )
    return run


_KINDS = {TEXT: "text", NUMBER: "numbers", COUNT: "finite numbers, 0 or more"}


def _folder(folder: Path) -> None:
    if not folder.exists():
        raise ResultsError(str(folder), "", f"expected {WRITTEN_BY} (folder not found)")
    if not folder.is_dir():
        raise ResultsError(str(folder), "", f"expected {WRITTEN_BY} (it is a file)")


def _read(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise ResultsError(str(path.parent), "", f"expected {WRITTEN_BY} (it has no {path.name})")
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # a damaged file fails anywhere in pyarrow or pandas (KeyError...)
        detail = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else "unreadable"
        raise ResultsError(str(path), "", f"expected a Parquet table ({detail})") from None


def _of_kind(column: pd.Series, kind: str) -> bool:
    if kind == TEXT:
        return bool(column.map(lambda v: isinstance(v, str)).all())
    if not pd.api.types.is_numeric_dtype(column):
        return False
    if kind == COUNT:
        values = column.astype(float)
        return bool((values.map(math.isfinite) & (values >= 0)).all())
    return True


def _dtype(kind: str) -> str:
    return "object" if kind == TEXT else "float64"


def _place(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(x, int | float) and not isinstance(x, bool) for x in value)
    )
