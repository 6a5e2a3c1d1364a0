"""A results folder's manifest: each table's size and SHA-256 digest, kept in ``metadata.json``.

A results folder is checked whole when it is opened: every table the manifest lists must be
there, a regular file, of its size and digest, before any command reads any of it. A table
that was changed, truncated, swapped or damaged since the folder was written is refused by
every command, not only by those that read that table. Folders written before manifests were
kept (they have none) are checked table by table as they are read.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sim.errors import ResultsError

KEY = "manifest"
"""The key of ``metadata.json`` that holds the manifest."""
WRITTEN_BY = "a results folder written by `run --out` or `world --out`"
BLOCK = 1 << 20
"""How much of a file is read at a time to digest it."""


def of(folder: Path, names: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Return the manifest of the named files of a folder: each one's size and digest."""
    return {
        name: {"bytes": (folder / name).stat().st_size, "sha256": digest(folder / name)}
        for name in sorted(names)
    }


def digest(path: Path) -> str:
    """Return a file's SHA-256 digest, read in blocks."""
    found = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            found.update(block)
    return found.hexdigest()


def check(folder: Path, meta: Mapping[str, Any]) -> None:
    """Refuse a folder whose files differ from its manifest (if it has one).

    Raises:
        ResultsError: the manifest is malformed, or a file it lists is missing, not a regular
            file, or of another size or digest.
    """
    if KEY not in meta:
        return
    manifest = meta[KEY]
    if not isinstance(manifest, dict) or not all(_entry(k, v) for k, v in manifest.items()):
        raise ResultsError(
            str(folder / "metadata.json"), KEY, "expected each table's bytes and sha256"
        )
    for name, entry in manifest.items():
        _check_file(folder / name, entry)


def _entry(name: Any, entry: Any) -> bool:
    return (
        isinstance(name, str)
        and "/" not in name
        and name not in ("", ".", "..")
        and isinstance(entry, dict)
        and type(entry.get("bytes")) is int
        and isinstance(entry.get("sha256"), str)
    )


def _check_file(path: Path, entry: Mapping[str, Any]) -> None:
    changed = "expected the table as the folder was written (metadata.json's manifest)"
    try:
        found = os.stat(path)
    except OSError:
        raise ResultsError(
            str(path.parent), "", f"expected {WRITTEN_BY} (it has no {path.name})"
        ) from None
    if not stat.S_ISREG(found.st_mode):
        raise ResultsError(str(path), "", f"{changed}: it is not a regular file")
    if found.st_size != entry["bytes"]:
        raise ResultsError(
            str(path), "", f"{changed}: {entry['bytes']} bytes, it has {found.st_size}"
        )
    if digest(path) != entry["sha256"]:
        raise ResultsError(str(path), "", f"{changed}: its digest differs (changed or damaged)")
