"""Replications and their results.

Monte Carlo runs (:mod:`sim.results.runs`) and the files they are written to
(:mod:`sim.results.files`).

The writing functions are re-exported, so ``sim.results.table_metadata`` and the like stay
where the README documents them.
"""

from sim.results.files import (
    METADATA_KEY,
    PARTS,
    ChunkStore,
    check_folder,
    claim,
    run_key,
    run_metadata,
    save,
    save_folder,
    table_metadata,
    versions,
    write_atomic,
    write_table,
    write_text,
)

__all__ = [
    "METADATA_KEY",
    "PARTS",
    "ChunkStore",
    "check_folder",
    "claim",
    "run_key",
    "run_metadata",
    "save",
    "save_folder",
    "table_metadata",
    "versions",
    "write_atomic",
    "write_table",
    "write_text",
]
