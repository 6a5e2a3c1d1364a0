"""Writing a run's tables and metadata, atomically.

Each file is written to a temporary file in the same folder and then renamed over its
final name, so that an interrupted write never leaves a half-written result behind.
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
from collections.abc import Callable
from contextlib import suppress
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from sim.runs import RunSet


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write a file through ``write(tmp_path)`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    finally:
        with suppress(FileNotFoundError):
            os.unlink(tmp)


def write_text(path: Path, text: str) -> None:
    """Write a text file atomically."""

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    write_atomic(path, write)


def write_table(path: Path, table: pd.DataFrame) -> None:
    """Write a table as Parquet (pyarrow) atomically."""
    write_atomic(path, lambda tmp: table.to_parquet(tmp, engine="pyarrow", index=False))


def versions() -> dict[str, str]:
    """Return the versions of Python and of the libraries a run depends on."""
    found = {"python": platform.python_version()}
    for name in ("alliance-sim", "mesa", "numpy", "pandas", "pyarrow", "pydantic", "ruamel.yaml"):
        with suppress(metadata.PackageNotFoundError):
            found[name] = metadata.version(name)
    return found


def run_metadata(runset: RunSet) -> dict[str, Any]:
    """Return what makes a run reproducible: scenario, overlays, parameters, seed, versions."""
    return {
        "scenario": runset.scenario.name,
        "scenario_file": str(runset.scenario.path),
        "overlays": list(runset.scenario.overlays),
        "seed": runset.seed,
        "runs": runset.runs,
        "parameters": runset.params.as_dict(),
        "versions": versions(),
    }


def save(runset: RunSet, folder: str | Path) -> list[Path]:
    """Write decisions, alliances, per-period states and metadata into ``folder``."""
    folder = Path(folder)
    tables = {
        "decisions": runset.decisions,
        "alliances": runset.alliances,
        "states": runset.states,
        "system": runset.system,
        "outcomes": runset.outcomes,
    }
    written = []
    for name, table in tables.items():
        path = folder / f"{name}.parquet"
        write_table(path, table)
        written.append(path)
    meta = folder / "metadata.json"
    write_text(meta, json.dumps(run_metadata(runset), indent=2, sort_keys=True) + "\n")
    return [*written, meta]
