"""A content-addressed cache on disk for what is slow to build and never changes by itself.

An entry is named by a digest of what it was built from: the kind of thing, the inputs of
the call (any JSON value), the content of the data files it reads, and the code's version
(the digest of the package's own sources). Edit a data file or a line of code and the key
changes: a stale entry is never found, let alone trusted.

Safe by construction:

* an entry is written to a temporary file in the cache's folder, then moved into place with
  ``os.replace`` (atomic on one file system): a reader sees a whole entry or none, and two
  processes building the same entry at once both end with a whole one;
* an entry carries its own key and the digest of its payload, checked on every read: a
  truncated, corrupt or foreign file is rebuilt and replaced, never unpickled;
* a cache that cannot be written (a read-only home, a full disk) costs the time of a build,
  never a failure.

The folder is ``$ALLIANCE_SIM_CACHE``, else ``$XDG_CACHE_HOME/alliance-sim``, else
``~/.cache/alliance-sim``. ``ALLIANCE_SIM_NO_CACHE=1`` (the command line's ``--no-cache``)
turns it off for a process and the workers it starts.

Example:
    >>> world = cached("openworld", {"start": 1816}, make, files=[csv])  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, cast

FOLDER = "ALLIANCE_SIM_CACHE"
"""The environment variable that names the cache's folder."""
DISABLE = "ALLIANCE_SIM_NO_CACHE"
"""The environment variable that, set to 1, turns the cache off (``--no-cache``)."""
MAGIC = b"alliance-sim cache 1\n"
"""The first bytes of every entry: a file that does not begin so is not an entry."""
PACKAGE = Path(__file__).resolve().parent
"""The package whose sources make the code's version."""


def cached[T](
    kind: str,
    inputs: Any,
    build: Callable[[], T],
    *,
    files: Iterable[Path] = (),
    folder: Path | None = None,
) -> T:
    """Return the entry of ``kind`` for ``inputs``, building and storing it if it is missing.

    Args:
        kind: what is built (a word: ``openworld``), part of the key and the file's name.
        inputs: the arguments of the build, as a JSON value (part of the key).
        build: makes the value; called when no whole, matching entry exists.
        files: the data files the build reads; their content is part of the key.
        folder: where entries live (default: :func:`default_folder`).

    Returns:
        The stored value, or the one just built (stored when the folder can be written).
    """
    if not enabled():
        return build()
    key = entry_key(kind, inputs, files)
    path = (folder or default_folder()) / f"{kind}-{key}.pickle"
    found = read(path, key)
    if found is not None:
        return cast(T, found[0])
    value = build()
    write(path, key, value)
    return value


def enabled() -> bool:
    """Whether the cache is on in this process (off when ``ALLIANCE_SIM_NO_CACHE`` is set)."""
    return os.environ.get(DISABLE, "") in ("", "0")


@contextlib.contextmanager
def turned_off(off: bool = True) -> Iterator[None]:
    """Turn the cache off for a block, and for the worker processes started in it.

    The environment is restored afterwards, so that one command's ``--no-cache`` does not
    outlive it in a process that runs several (a test, a notebook).
    """
    if not off:
        yield
        return
    before = os.environ.get(DISABLE)
    os.environ[DISABLE] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(DISABLE, None)
        else:
            os.environ[DISABLE] = before


def default_folder() -> Path:
    """Return the cache's folder: ``$ALLIANCE_SIM_CACHE``, else the user's cache folder."""
    if os.environ.get(FOLDER):
        return Path(os.environ[FOLDER])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "alliance-sim"


def entry_key(kind: str, inputs: Any, files: Iterable[Path] = ()) -> str:
    """Return the digest of an entry: its kind, inputs, data files' content and code version."""
    digest = hashlib.sha256()
    digest.update(json.dumps([kind, inputs], sort_keys=True, default=str).encode())
    for path in sorted(Path(f).resolve() for f in files):
        digest.update(path.name.encode() + file_digest(path).encode())
    digest.update(code_version().encode())
    return digest.hexdigest()[:32]


def file_digest(path: Path) -> str:
    """Return the SHA-256 of a file's content (remembered while its size and time hold)."""
    stat = path.stat()
    return _file_digest(path, stat.st_size, stat.st_mtime_ns)


@functools.cache
def _file_digest(path: Path, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@functools.cache
def code_version() -> str:
    """Return the digest of the package's sources: any edit to the code makes a new version."""
    digest = hashlib.sha256()
    for source in sorted(PACKAGE.rglob("*.py")):
        digest.update(str(source.relative_to(PACKAGE)).encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def read(path: Path, key: str) -> tuple[Any] | None:
    """Return ``(value,)`` if ``path`` holds a whole entry of ``key``; None otherwise.

    A missing, truncated, corrupt or foreign file gives None (and is rebuilt by the caller);
    its payload is unpickled only once its digest has been checked.
    """
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    head = MAGIC + key.encode() + b"\n"
    if not blob.startswith(head) or len(blob) < len(head) + 32:
        return None
    check, payload = blob[len(head) : len(head) + 32], blob[len(head) + 32 :]
    if hashlib.sha256(payload).digest() != check:
        return None
    try:
        return (pickle.loads(payload),)
    except Exception:  # a payload pickled by code that no longer loads it
        return None


def write(path: Path, key: str, value: Any) -> bool:
    """Store ``value`` as the entry of ``key`` at ``path`` atomically; return whether it was.

    The entry goes to a temporary file beside ``path``, then replaces it in one step, so
    that a reader (another process) never sees half of one.
    """
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    blob = MAGIC + key.encode() + b"\n" + hashlib.sha256(payload).digest() + payload
    temp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(blob)
        os.replace(temp, path)
    except OSError:  # a cache that cannot be written costs a build, never a failure
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        return False
    return True
