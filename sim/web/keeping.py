"""What the server keeps: views and runs made once, shared by every session, waited for once.

A :class:`Keeper` holds the most recent values made under their keys (the oldest goes first).
A value that another thread is making (a year drawn ahead, the first scenario's runs made as
the server starts) is waited for rather than made twice; a making that fails is made again by
the next thread that asks.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, cast


class Keeper:
    """The last ``most`` values made, by key, with the ones being made."""

    def __init__(self, most: int) -> None:
        """Keep at most ``most`` values."""
        self.most = most
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()
        self._making: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()

    def kept[T](self, key: Hashable, make: Callable[[], T]) -> T:
        """Return the value kept under ``key``, or make it and keep it (waiting for another)."""
        while True:
            with self._lock:
                if key in self._kept:
                    self._kept.move_to_end(key)
                    return cast(T, self._kept[key])
                making = self._making.get(key)
                if making is None:
                    self._making[key] = threading.Event()
                    break
            making.wait()  # then look again: kept, or made by this thread if the other failed
        try:
            value = make()
            self.put(key, value)
            return value
        finally:
            with self._lock:
                self._making.pop(key).set()

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` under ``key``, in place of any value kept there (the oldest goes)."""
        with self._lock:
            self._kept[key] = value
            self._kept.move_to_end(key)
            while len(self._kept) > self.most:
                self._kept.popitem(last=False)

    def peek(self, key: Hashable) -> Any | None:
        """Return the value kept under ``key``, or None; nothing is made or waited for."""
        with self._lock:
            return self._kept.get(key)

    def busy(self, key: Hashable) -> bool:
        """Return whether a value is kept under ``key`` or being made."""
        with self._lock:
            return key in self._kept or key in self._making

    def ahead(self, key: Hashable, make: Callable[[], Any]) -> None:
        """Make and keep a value in the background, unless it is kept or being made."""
        if not self.busy(key):
            threading.Thread(
                target=self.kept, args=(key, make), name="sim-ahead", daemon=True
            ).start()
