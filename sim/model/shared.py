"""Pure computations shared by the replications of one world (a content-keyed memo).

Replications of a scenario run the same world with different random draws, and most of the
time their states are the same: the same power, relations, alliances and wars give the
same threat, the same hazards and the same propensities. A function decorated with
:func:`shared` computes each distinct input once per process and hands the same result to
every replication that meets it again.

The memo is exact: the key is the full content of every argument (an array's dtype, shape
and bytes; a scalar's value; a :class:`~sim.model.params.Params` object's identity, kept alive by
the entry so that its identity cannot be reused). A result is a function of its inputs
alone, so a run is the same with or without the memo, in one process or many. Results are
returned read-only, so that no caller can change what another replication will read.

Only small inputs are kept (at most :data:`KEY_LIMIT` bytes of arrays a call: a period's
assessment in a world of up to about sixty states): in large worlds the arithmetic
dominates, states seldom repeat, and the memo would only cost memory. The memo holds at most
:data:`MEMORY_LIMIT` bytes and forgets the least recently used results first. Threads (a Dask
worker's) share it under a lock.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import threading
from collections.abc import Callable, Iterator
from typing import Any, cast

import numpy as np
from cachetools import LRUCache

from sim.model.params import Params

KEY_LIMIT = 100_000
"""Most bytes of array arguments a call may have and still be kept."""

MEMORY_LIMIT = 64 * 2**20
"""Most bytes the memo holds (keys and results)."""


def _size(entry: tuple[Any, ...]) -> int:
    """Return the bytes an entry holds: its result's arrays and its key's (at least 1)."""
    result, _, key_bytes = entry
    return max(sum(a.nbytes for a in _arrays(result)) + key_bytes, 1)


_memo: LRUCache[tuple[Any, ...], tuple[Any, ...]] = LRUCache(MEMORY_LIMIT, getsizeof=_size)
_lock = threading.Lock()
_enabled = True
_counts = {"hits": 0, "misses": 0}


def enabled(on: bool) -> None:
    """Switch the memo on or off for this process (off: every call computes; for tests)."""
    global _enabled
    with _lock:
        _enabled = on
        _memo.clear()
        _counts.update(hits=0, misses=0)


@contextlib.contextmanager
def switched(on: bool) -> Iterator[None]:
    """Run a block with the memo on or off, then restore it (emptied either way)."""
    before = _enabled
    enabled(on)
    try:
        yield
    finally:
        enabled(before)


def counts() -> dict[str, int]:
    """Return how many kept calls found their result (hits) and computed it (misses)."""
    return dict(_counts)


def _fields(kind: type) -> tuple[str, ...] | None:
    """Return the fields of a dataclass type whose instances are keyed by content, else None."""
    found = _FIELDS.get(kind, ())
    if found == ():
        record = dataclasses.is_dataclass(kind) and not issubclass(kind, Params)
        found = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind)) if record else None
    return found


_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _arrays(x: Any) -> list[np.ndarray]:
    """Return the arrays in ``x``: itself, a tuple's, or a dataclass's fields'."""
    if type(x) is np.ndarray:
        return [x]
    if type(x) in _SCALARS:
        return []
    if isinstance(x, tuple):
        return [a for y in x for a in _arrays(y)]
    names = _fields(type(x))
    return [a for n in names for a in _arrays(getattr(x, n))] if names else []


def _key(
    fn: Callable[..., Any], args: tuple[Any, ...]
) -> tuple[tuple[Any, ...], int, list[Params]]:
    """Return a call's key (function and arguments' content) and its arrays' bytes.

    Also the parameters the key names by identity, to be kept alive with the entry.
    """
    key: list[Any] = [fn]
    named: list[Params] = []
    size = _extend(key, args, named)
    return tuple(key), size, named


def _extend(key: list[Any], values: Any, named: list[Params]) -> int:
    """Add the content of ``values`` to a key; return the bytes of their arrays.

    It stops once they pass :data:`KEY_LIMIT` (the key is then incomplete, and not used).
    """
    size = 0
    for a in values:
        kind = type(a)
        if size > KEY_LIMIT:
            break
        if kind is np.ndarray:
            size += a.nbytes
            key += (a.tobytes() if size <= KEY_LIMIT else b"", a.shape, a.dtype.char)
        elif kind in _SCALARS:
            key += (kind, a)  # 1, 1.0 and True are equal keys, not equal arguments
        elif kind is Params:
            key.append(id(a))
            named.append(a)
        elif isinstance(a, tuple):
            key.append(kind)
            size += _extend(key, a, named)
        elif names := _fields(kind):
            key.append(kind)
            size += _extend(key, [getattr(a, n) for n in names], named)
        else:
            key += (kind, a)
    return size


_SCALARS = frozenset({float, int, bool, str, type(None)})


def _frozen(result: Any, args: tuple[Any, ...]) -> Any:
    """Return a result with its arrays read-only (a tuple's or a dataclass's too).

    An array that is (or views) an argument's is copied first: the caller keeps its own.
    """
    return _freeze(result, {id(_owner(a)) for a in _arrays(args)})


def _owner(a: np.ndarray) -> object:
    """Return the object that owns an array's memory (a view's base, or the array)."""
    return a if a.base is None else a.base


def _freeze(result: Any, inputs: set[int]) -> Any:
    if type(result) is np.ndarray:
        if id(_owner(result)) in inputs:
            result = result.copy()
        result.flags.writeable = False
        return result
    if type(result) in _SCALARS:
        return result
    if isinstance(result, tuple):
        items = [_freeze(x, inputs) for x in result]
        return result._make(items) if hasattr(result, "_make") else tuple(items)
    if names := _fields(type(result)):
        fields = {n: _freeze(getattr(result, n), inputs) for n in names}
        return dataclasses.replace(result, **fields)
    return result


def shared[**P, R](fn: Callable[P, R]) -> Callable[P, R]:
    """Memoise a pure function of arrays, scalars and parameters by its arguments' content.

    The function must depend on its arguments alone (arrays, scalars, :class:`Params`, and
    tuples or dataclasses of those) and return an array, or a tuple (a named tuple too) or a
    dataclass of arrays and scalars.
    Its results are read-only whether or not they were kept.
    """

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if kwargs or not _enabled:
            return cast(R, _frozen(fn(*args, **kwargs), args))
        key, size, named = _key(fn, args)
        if size > KEY_LIMIT:
            return cast(R, _frozen(fn(*args, **kwargs), args))
        with _lock:
            entry = _memo.get(key)
            _counts["misses" if entry is None else "hits"] += 1
        if entry is None:
            entry = (_frozen(fn(*args, **kwargs), args), named, size)  # named ids stay unique
            with _lock:
                _memo[key] = entry
        return cast(R, entry[0])

    return wrapper
