"""Writing a run's tables and metadata, atomically.

Each file is written to a temporary file in the same folder and then renamed over its
final name, so that an interrupted write never leaves a half-written result behind. A results
folder is written the same way as a whole (:func:`save_folder`): it is complete or absent.
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
from sim.results import manifest
from sim.results.ownership import EXPORTS
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
    """Write every table of a run and its metadata as one folder; drop its checkpoint."""
    return save_folder(
        Path(folder), {name: getattr(runset, name) for name in TABLES}, run_metadata(runset)
    )


PARTS = ".parts"
"""The sub-folder of a results folder that keeps finished chunks until the run is saved."""
OWN = ("metadata.json", PARTS, "plots", *EXPORTS)
"""What a results folder holds besides its tables: metadata, checkpoint, figures, exports."""


def save_folder(folder: Path, tables: dict[str, pd.DataFrame], meta: dict[str, Any]) -> list[Path]:
    """Write a results folder as a whole: complete, or absent (or as it was before).

    The tables (each carrying ``meta`` in its schema) and then ``metadata.json`` (``meta`` and
    the manifest: each table's size and digest, :mod:`sim.results.manifest`) are written
    into a temporary sibling folder, which is renamed into place; a folder it replaces (a
    previous result, the checkpoint of this run) is moved aside first and then removed.
    """
    folder = folder.resolve() if folder.is_symlink() else folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    try:
        os.chmod(building, 0o777 & ~_umask())  # mkdtemp makes 0700; results are ordinary
        for name, table in tables.items():
            write_table(building / f"{name}.parquet", table, meta)
        listed = manifest.of(building, [f"{name}.parquet" for name in tables])
        whole = {**meta, manifest.KEY: listed}  # checked whole on open (sim.results.manifest)
        write_text(building / "metadata.json", json.dumps(whole, indent=2, sort_keys=True) + "\n")
        _swap(building, folder)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return [*(folder / f"{name}.parquet" for name in tables), folder / "metadata.json"]


def _swap(new: Path, folder: Path) -> None:
    """Rename ``new`` to ``folder``, moving an existing ``folder`` aside and removing it."""
    if not folder.exists():
        os.rename(new, folder)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".old", dir=folder.parent))
    os.rename(folder, old / folder.name)
    try:
        os.rename(new, folder)
    except BaseException:  # put the old folder back: never neither
        os.rename(old / folder.name, folder)
        old.rmdir()
        raise
    shutil.rmtree(old, ignore_errors=True)


def check_folder(folder: Path, tables: tuple[str, ...]) -> None:
    """Refuse to write results into a folder that holds anything but results.

    A results folder is replaced as a whole when it is written again, so a folder holding
    other files (a user's own) is refused rather than emptied.

    Raises:
        InputError: the folder holds files that a results folder does not.
    """
    if not folder.is_dir():
        return
    own = {*OWN, *(f"{name}.parquet" for name in tables)}
    foreign = sorted(p.name for p in folder.iterdir() if p.name not in own)
    if foreign:
        raise InputError(
            str(folder),
            "",
            "expected a new folder, or a results folder to replace; it holds other files "
            "(choose another --out)",
            got=", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else ""),
        )


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
        check_folder(Path(folder), TABLES)
        self.parts = Path(folder) / PARTS
        claim(
            folder,
            self.parts / "key.txt",
            key,
            "run (scenario, parameters, seed or number of runs differ)",
        )

    def _path(self, name: str, start: int, stop: int) -> Path:
        return self.parts / f"{name}_{start:06d}_{stop:06d}.parquet"

    def _marker(self, start: int, stop: int) -> Path:
        """Return the empty file that says a chunk is complete (not a table: ``.done``)."""
        return self.parts / f"chunk_{start:06d}_{stop:06d}.done"

    def load(self, start: int, stop: int) -> Tables | None:
        """Return a finished chunk's tables, or None if the chunk is not complete."""
        if not self._marker(start, stop).exists():
            return None
        return {name: pd.read_parquet(self._path(name, start, stop)) for name in TABLES}

    def kept(self, runs: int) -> int:
        """Return how many of ``runs`` replications are kept in finished chunks."""
        return sum(b - a for a, b in chunks(runs) if self._marker(a, b).exists())

    def save(self, start: int, stop: int, tables: Tables) -> None:
        """Write a chunk's tables, then a marker that says the chunk is complete."""
        for name in TABLES:
            write_table(self._path(name, start, stop), tables[name])
        write_text(self._marker(start, stop), "")
