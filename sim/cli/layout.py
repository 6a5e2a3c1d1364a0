"""How a report's tables are laid out: wide columns, narrow records, or CSV.

A wide table is the default, and what a pipe or a file gets. On a terminal narrower than the
table, each row becomes a record instead (its first cell as a heading, the others as
``name: value`` pairs wrapped to the terminal), as ``psql``'s expanded display does;
``--layout wide|narrow`` chooses. ``--csv`` prints one table as CSV, with its numbers raw,
for a spreadsheet or a script.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import textwrap
from collections.abc import Callable
from typing import Any

Render = Callable[[list[str], list[list[Any]]], str]
"""A way to lay out a table: its header and rows to text."""


def layout_options(parser: argparse.ArgumentParser, tables: tuple[str, ...]) -> None:
    """Add ``--layout auto|wide|narrow`` and ``--csv [TABLE]`` (the first table by default)."""
    parser.add_argument(
        "--layout",
        choices=["auto", "wide", "narrow"],
        default="auto",
        help="wide columns, or a record per row (auto: narrow on a terminal too narrow)",
    )
    parser.add_argument(
        "--csv",
        nargs="?",
        const=tables[0],
        choices=tables,
        metavar="|".join(tables) if len(tables) > 1 else None,
        help=f"print the {' or '.join(tables)} table as CSV (default {tables[0]})",
    )


def narrow(args: argparse.Namespace, wide: str) -> bool:
    """Whether to lay the report out as records: asked, or a terminal narrower than ``wide``."""
    if args.layout != "auto":
        return bool(args.layout == "narrow")
    widest = max((len(line) for line in wide.splitlines()), default=0)
    return sys.stdout.isatty() and widest > shutil.get_terminal_size().columns


def records(header: list[str], rows: list[list[Any]], heading: int = 1) -> str:
    """Lay a table out as records: the first cells as a heading, the rest as wrapped pairs.

    A ``name: value`` pair is never broken across lines.
    """
    width = min(shutil.get_terminal_size().columns, 100)
    blocks = []
    for row in rows:
        pairs = [f"{h}: {c}".replace(" ", _KEEP) for h, c in zip(header, row, strict=True)]
        body = textwrap.fill(
            "; ".join(pairs[heading:]),
            width,
            initial_indent="  ",
            subsequent_indent="  ",
            break_long_words=False,
        )
        title = ": ".join(str(c) for c in row[:heading])
        blocks.append(f"{title}\n{body.replace(_KEEP, ' ')}")
    return "\n".join(blocks)


def wrapped(table: str, width: int | None = None) -> str:
    """Fit a table to ``width`` (the terminal's; 80 on a pipe) by wrapping its last column.

    The last column's text goes on under itself; where that leaves it too little room, under
    its row, indented. The other columns keep their place.
    """
    width = width or shutil.get_terminal_size().columns
    lines = table.splitlines()
    if len(lines) < 2 or max(len(line) for line in lines) <= width:
        return table
    start = lines[1].rstrip().rfind(" ") + 1  # the last column begins after the rule's gap
    indent = start if width - start >= MIN_COLUMN else 4
    out = []
    for n, line in enumerate(lines):
        head, last = line[:start].rstrip(), line[start:]
        if n == 1:
            last = "-" * min(len(last), width - indent)
        parts = textwrap.wrap(last, width - indent, break_long_words=False) or [""]
        if indent == start:
            out.append(line[:start] + parts[0])
            parts = parts[1:]
        else:  # the header and the rule name only the columns that keep their place
            out.append(head)
            parts = parts if n > 1 else []
        out += [" " * indent + part for part in parts]
    return "\n".join(out)


MIN_COLUMN = 40
"""The narrowest a wrapped last column may be before it goes under its row."""
_KEEP = "\u00a0"
"""A space inside a pair, which wrapping must not break (restored after)."""
