"""Worker processes that leave nothing behind: they end with their parent, however it ends.

Replications and parameter points run in a :class:`WorkerPool`, a ``ProcessPoolExecutor``
whose workers start from a clean forkserver (forking a process with threads is unsafe) and:

* end when the process that made the pool ends, even by ``SIGKILL``: each worker watches its
  parent through a pidfd (or, where there is none, by polling) and exits at once. The
  forkserver and multiprocessing's resource tracker exit in turn, since the workers held the
  last ends of their pipes; nothing stays behind holding the caller's terminal or pipes;
* die quietly on Ctrl-C, from the first instant of their start-up: the parent alone reports
  the interruption, in one line;
* are stopped, not awaited, when the pool is left by an exception (Ctrl-C, an error): the
  points or chunks under way are lost, those finished are kept.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import forkserver
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")

STARTED_BY = "ALLIANCE_SIM_POOL_PARENT"
"""The environment variable that tells the forkserver the process it serves."""
WORKER_CONTEXT = multiprocessing.get_context("forkserver")
"""Workers start from a clean server process: forking a process with threads is unsafe."""
WORKER_CONTEXT.set_forkserver_preload(
    ["sim.results.workers", "sim.results.runs", "sim.analysis.tuning"]
)
"""The server imports the simulator once; each worker forks from it ready to run."""
POLL_SECONDS = 0.5
"""How often a worker checks its parent where the system offers no pidfd."""
EXIT_INTERRUPTED = 130
"""A worker's exit code when Ctrl-C stops it."""


class WorkerPool(ProcessPoolExecutor):
    """A process pool whose workers end with the process that made it (see the module)."""

    def __init__(self, workers: int) -> None:
        os.environ[STARTED_BY] = str(os.getpid())  # read by the forkserver when it starts
        with _sigint(signal.SIG_IGN):  # inherited through exec: its start-up ignores Ctrl-C
            forkserver.ensure_running()
        super().__init__(
            max_workers=workers,
            mp_context=WORKER_CONTEXT,
            initializer=watch_parent,
            initargs=(os.getpid(),),
        )

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        """Submit a call; a Ctrl-C meanwhile waits until the worker it may start is whole.

        A worker cut off half-made by the parent's Ctrl-C would fail later, on its own, with
        a traceback of multiprocessing's.
        """
        pressed: list[int] = []
        with _sigint(lambda signum, _frame: pressed.append(signum)):
            future = super().submit(fn, *args, **kwargs)
        if pressed:
            raise KeyboardInterrupt
        return future

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> bool | None:
        """Stop the workers at once when the pool is left by an exception; else wait for them."""
        if error is not None:
            self.stop()
        return super().__exit__(kind, error, trace)

    def stop(self) -> None:
        """Cancel what has not started and end the workers now (their work under way is lost)."""
        processes = dict(getattr(self, "_processes", None) or {})
        for process in processes.values():
            if process.is_alive():
                process.terminate()
        self.shutdown(wait=True, cancel_futures=True)


def watch_parent(parent: int) -> None:
    """Make this worker exit as soon as ``parent`` ends (the initializer of every worker)."""
    threading.Thread(target=_wait_for, args=(parent,), name="parent-watch", daemon=True).start()


def _wait_for(parent: int) -> None:
    """Block until ``parent`` ends, then end this process without clean-up."""
    try:
        handle = os.pidfd_open(parent)
    except ProcessLookupError:  # it is gone already
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd here (an old kernel, another system)
        _poll(parent)
    else:
        select.select([handle], [], [])  # readable when the process ends
    os._exit(1)


def _poll(parent: int) -> None:
    """Return once ``parent`` ends, or this worker is handed to another parent."""
    first = os.getppid()
    while os.getppid() == first:
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            return
        except PermissionError:
            pass
        time.sleep(POLL_SECONDS)


@contextmanager
def _sigint(handler: Any) -> Iterator[None]:
    """Handle Ctrl-C with ``handler`` meanwhile (only the main thread can; elsewhere, as is)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _quit(_signal: int, _frame: object) -> None:
    """End a worker at Ctrl-C, quietly; the forkserver itself (still starting) ignores it."""
    if os.getpid() != _SERVER:
        os._exit(EXIT_INTERRUPTED)


_SERVER = os.getpid()
"""The process that imported this module first: in a forkserver, the server itself."""


def _served() -> int | None:
    """Return the process this one is the forkserver of, or None if it is not a forkserver.

    A :class:`WorkerPool`'s forkserver imports this module first (its preload): it was
    started by ``python -c`` with :data:`STARTED_BY` naming the process that made the pool.
    """
    served = os.environ.get(STARTED_BY, "")
    forkserver = "multiprocessing.forkserver" in sys.modules and sys.argv[:1] == ["-c"]
    if not forkserver or not served.isdigit() or int(served) == os.getpid():
        return None
    return int(served)


def _die_with(parent: int) -> None:
    """End this process when ``parent`` ends (Linux's parent-death signal), else watch it."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        done = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        done = False
    if not done:
        watch_parent(parent)
    elif os.getppid() != parent:  # it ended before the signal was asked for
        os._exit(1)


PR_SET_PDEATHSIG = 1
"""prctl(2)'s option: the signal this process gets when its parent ends."""

_PARENT = _served()
if _PARENT is not None:
    # The forkserver is the first to import this module, before the simulator: it ends with
    # the process it serves from this moment (and so every worker it has forked after it,
    # whose pipes it held). It ignores Ctrl-C itself, but hands each worker the handler it
    # found at start, now this one: a worker stopped by Ctrl-C exits quietly, even at start-up.
    _die_with(_PARENT)
    signal.signal(signal.SIGINT, _quit)
