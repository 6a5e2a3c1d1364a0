"""Replications and their results.

Monte Carlo runs (:mod:`sim.results.runs`) and the files they are written to
(:mod:`sim.results.files`).

The writing functions are re-exported, so ``sim.results.table_metadata`` and the like stay
where the README documents them. They are imported on first use (PEP 562), so that the
worker pool's forkserver reaches :mod:`sim.results.workers` before pandas is loaded.
"""

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
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


def __getattr__(name: str) -> _typing.Any:
    """Import a writing function from :mod:`sim.results.files` on first use (PEP 562)."""
    if name not in __all__:
        raise AttributeError(f"module 'sim.results' has no attribute {name!r}")
    value = getattr(_importlib.import_module("sim.results.files"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List the module's names, the writing functions included before their first use."""
    return sorted({*globals(), *__all__})
