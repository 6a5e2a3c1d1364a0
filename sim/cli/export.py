"""``export``: a run folder's alliances and decisions as dyad-year or state-year tables.

The tables carry COW codes and calendar years (:mod:`sim.analysis.export`), ready to join to
COW, ATOP or peacesciencer data in R or pandas; Parquet (with the run's metadata in its schema)
or CSV.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sim.cli import validate
from sim.errors import ResultsError

FORMATS = {"dyad-year": "dyad_years", "state-year": "state_years"}
"""Each ``--format`` and the function of :mod:`sim.analysis.export` that builds it."""
JOIN_KEYS = {"dyad-year": "ccode1, ccode2, year", "state-year": "ccode, year"}


def add_export(sub: Any) -> None:
    """Add ``export``: dyad-year or state-year tables with COW codes, from a run folder."""
    export = sub.add_parser(
        "export", help="a run folder's alliances and decisions as dyad-year or state-year tables"
    )
    export.add_argument(
        "folder", type=validate.folder, metavar="RUN_DIR", help="written by run/world --out"
    )
    export.add_argument("--format", choices=list(FORMATS), required=True, dest="shape")
    export.add_argument("--csv", action="store_true", help="write CSV rather than Parquet")
    export.add_argument(
        "--out",
        type=validate.output_file,
        help="the file to write (default: RUN_DIR/dyad_year.parquet, ...)",
    )
    export.set_defaults(command=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    """Write a run folder's dyad-years or state-years with COW codes; say how to join them."""
    from sim.analysis import export
    from sim.results import files as results

    alliances, decisions, states, meta = _tables(args.folder)
    table = getattr(export, FORMATS[args.shape])(alliances, decisions, states)
    suffix = ".csv" if args.csv else ".parquet"
    path = args.out or args.folder / (args.shape.replace("-", "_") + suffix)
    if args.csv:
        results.write_text(path, table.to_csv(index=False))
    else:
        results.write_table(path, table, meta)
    runs = table["run"].nunique()
    print(f"wrote {path}: {len(table)} rows over {runs} run{'s' if runs != 1 else ''}")
    print(f"join on {JOIN_KEYS[args.shape]} (COW codes; keep one run, or average over them)")
    return 0


def _columns() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Return the columns of a run folder's tables that the exports read, and their kinds.

    Built on call, so that the parser does not import pandas (the folders' reader) to start.
    """
    from sim.analysis.export import FIGURES
    from sim.results import folders

    alliances = {
        "run": folders.COUNT,
        "alliance": folders.TEXT,
        "kind": folders.TEXT,
        "members": folders.TEXT,
        "start_period": folders.COUNT,
        "end_period": folders.COUNT,
    }
    decisions = {
        "run": folders.COUNT,
        "period": folders.COUNT,
        "war": folders.TEXT,
        "guarantor": folders.TEXT,
        "partner": folders.TEXT,
        "adversary": folders.TEXT,
        "fought": folders.NUMBER,
        "p_honour": folders.NUMBER,
    }
    states = {
        "run": folders.COUNT,
        "period": folders.COUNT,
        "date": folders.TEXT,
        "state": folders.TEXT,
        "nuclear": folders.NUMBER,
        **{figure: folders.NUMBER for figure in FIGURES},
    }
    return alliances, decisions, states


def _tables(folder: Path) -> tuple[Any, Any, Any, dict[str, Any]]:
    """Return a run folder's alliances, decisions, states and metadata, checked.

    Raises:
        ResultsError: the folder was not written by ``run --out`` or ``world --out``, or a
            table lacks a column the export reads, or a state's date has no year.
    """
    from sim.results import folders

    columns = _columns()
    meta = folders.metadata(folder)
    alliances = folders.table(folder, "alliances", columns[0])
    decisions = folders.table(folder, "decisions", columns[1])
    states = folders.table(folder, "states", columns[2])
    if not states["date"].str.match(r"^[0-9]{4}(-|$)").all():
        raise ResultsError(
            str(folder / "states.parquet"), "date", "expected dates that begin with a year"
        )
    return alliances, decisions, states, meta
