"""Writing a run's tables and metadata, atomically.

Each file is written to a temporary file in the same folder and then renamed over its
final name, so that an interrupted write never leaves a half-written result behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import tempfile
from collections.abc import Callable
from contextlib import suppress
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import InputError
from sim.model.tables import TABLES
from sim.results.runs import Checkpoint, RunSet, Tables, chunks


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write a file through ``write(tmp_path)`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; results are ordinary files
        os.replace(tmp, path)
    finally:
        with suppress(FileNotFoundError):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: Path, text: str) -> None:
    """Write a text file atomically."""

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    write_atomic(path, write)


METADATA_KEY = b"alliance_sim"
"""The key under which a table's Parquet schema carries the run's metadata (JSON)."""


def write_table(path: Path, table: pd.DataFrame, metadata: dict[str, Any] | None = None) -> None:
    """Write a table as Parquet (pyarrow) atomically, with the run's metadata in its schema.

    ``metadata`` (parameters, seed, versions, ...) is kept as JSON under
    :data:`METADATA_KEY`, so that a table read on its own still says how it was made.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = pa.Table.from_pandas(table, preserve_index=False)
    if metadata is not None:
        extra = {METADATA_KEY: json.dumps(metadata, sort_keys=True).encode()}
        arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), **extra})
    write_atomic(path, lambda tmp: pq.write_table(arrow, tmp))


def table_metadata(path: Path) -> dict[str, Any] | None:
    """Return the run's metadata kept in a Parquet table's schema, if any."""
    import pyarrow.parquet as pq

    found = (pq.read_schema(path).metadata or {}).get(METADATA_KEY)
    return None if found is None else dict(json.loads(found))


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
        "capitals": {
            sid: list(cap) for sid, cap in zip(runset.world.ids, runset.world.capitals, strict=True)
        },
        "periods": [runset.world.calendar.label(t) for t in range(runset.world.calendar.n_periods)],
        "versions": versions(),
    }


def save(runset: RunSet, folder: str | Path) -> list[Path]:
    """Write every table of a run and its metadata into ``folder``; drop its checkpoint."""
    folder = Path(folder)
    written = []
    about = run_metadata(runset)
    for name in TABLES:
        table = getattr(runset, name)
        path = folder / f"{name}.parquet"
        write_table(path, table, about)
        written.append(path)
    meta = folder / "metadata.json"
    write_text(meta, json.dumps(about, indent=2, sort_keys=True) + "\n")
    shutil.rmtree(folder / PARTS, ignore_errors=True)
    return [*written, meta]


PARTS = ".parts"


def run_key(runset_inputs: dict[str, Any]) -> str:
    """Return a digest of what determines a run: scenario, parameters, seed and runs."""
    text = json.dumps(runset_inputs, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def claim(folder: str | Path, key_file: Path, key: str, what: str) -> None:
    """Tie a results folder to one job: record its key, or refuse a folder holding another.

    Raises:
        InputError: the folder already holds part of a job with another key.
    """
    if key_file.exists() and key_file.read_text().strip() != key:
        raise InputError(
            str(folder),
            "",
            f"this folder holds part of a different {what}; choose another --out or delete it",
        )
    if not key_file.exists():
        write_text(key_file, key + "\n")


class ChunkStore(Checkpoint):
    """Keeps finished chunks of replications in ``folder/.parts`` so that a rerun resumes.

    A folder belongs to one run: a rerun with other inputs is refused rather than mixed.
    """

    def __init__(self, folder: str | Path, key: str) -> None:
        self.parts = Path(folder) / PARTS
        claim(
            folder,
            self.parts / "key.txt",
            key,
            "run (scenario, parameters, seed or number of runs differ)",
        )

    def _path(self, name: str, start: int, stop: int) -> Path:
        return self.parts / f"{name}_{start:06d}_{stop:06d}.parquet"

    def load(self, start: int, stop: int) -> Tables | None:
        """Return a finished chunk's tables, or None if the chunk is not complete."""
        if not self._path("done", start, stop).exists():
            return None
        return {name: pd.read_parquet(self._path(name, start, stop)) for name in TABLES}

    def kept(self, runs: int) -> int:
        """Return how many of ``runs`` replications are kept in finished chunks."""
        return sum(b - a for a, b in chunks(runs) if self._path("done", a, b).exists())

    def save(self, start: int, stop: int, tables: Tables) -> None:
        """Write a chunk's tables, then a marker that says the chunk is complete."""
        for name in TABLES:
            write_table(self._path(name, start, stop), tables[name])
        write_text(self._path("done", start, stop), "")
