"""Reading an input file safely: a regular file of a stated size at most, checked before reading.

Every file the tool reads as text (a scenario, an overlay, a parameter file, a results
folder's ``metadata.json``, an optuna journal) is opened without blocking and checked by
kind and size first: a named pipe would hang the reader forever, ``/dev/zero`` or
``/dev/urandom`` would fill the memory, and a folder or a socket is not a file. Each is
refused with one line naming the file and what was expected.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sim.errors import InputError

MAX_TEXT = 8 * 1024 * 1024
"""The largest scenario, overlay or parameter file read (8 MiB: the largest of the library is
under 100 KiB)."""


def read_text(
    path: str | Path, *, limit: int = MAX_TEXT, error: type[InputError] = InputError
) -> str:
    """Return the text of a regular UTF-8 file of at most ``limit`` bytes.

    Raises:
        InputError: (or the given subclass) the file is missing, is not a regular file (a
            folder, a pipe, a device), is larger than ``limit``, or is not UTF-8 text.
    """
    data = read_bytes(path, limit=limit, error=error)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(
            str(path), "", f"expected UTF-8 text (a byte that is not, at offset {exc.start})"
        ) from None


def read_bytes(
    path: str | Path, *, limit: int = MAX_TEXT, error: type[InputError] = InputError
) -> bytes:
    """Return the bytes of a regular file of at most ``limit`` bytes, checked before reading.

    Raises:
        InputError: (or the given subclass) as :func:`read_text`.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise error(str(path), "", "file not found") from None
    except IsADirectoryError:
        raise error(str(path), "", "expected a file, but it is a folder") from None
    except OSError as exc:
        raise error(str(path), "", f"cannot read the file ({exc.strerror or exc})") from None
    try:
        _check_kind(os.fstat(fd), path, limit, error)
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(limit + 1)
    except InputError:
        os.close(fd)
        raise
    except OSError as exc:
        raise error(str(path), "", f"cannot read the file ({exc.strerror or exc})") from None
    if len(data) > limit:  # it grew while being read
        raise error(str(path), "", f"expected a file of at most {_size(limit)}")
    return data


def check_kind(path: str | Path, *, limit: int, error: type[InputError] = InputError) -> None:
    """Refuse a path that is not a regular file of at most ``limit`` bytes (it is not read).

    Raises:
        InputError: (or the given subclass) the path is missing, not a regular file, or too large.
    """
    try:
        found = os.stat(path)
    except FileNotFoundError:
        raise error(str(path), "", "file not found") from None
    except OSError as exc:
        raise error(str(path), "", f"cannot read the file ({exc.strerror or exc})") from None
    _check_kind(found, path, limit, error)


def _check_kind(
    found: os.stat_result, path: str | Path, limit: int, error: type[InputError]
) -> None:
    if stat.S_ISDIR(found.st_mode):
        raise error(str(path), "", "expected a file, but it is a folder")
    if not stat.S_ISREG(found.st_mode):
        raise error(str(path), "", f"expected a regular file, but it is {_kind(found.st_mode)}")
    if found.st_size > limit:
        raise error(
            str(path),
            "",
            f"expected a file of at most {_size(limit)} (it holds {_size(found.st_size)})",
        )


def _kind(mode: int) -> str:
    """Name what a path is that is not a regular file."""
    kinds = (
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a file")


def _size(n: int) -> str:
    """Write a size in bytes as people read it: 8 MiB, 512 bytes."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n} bytes"
