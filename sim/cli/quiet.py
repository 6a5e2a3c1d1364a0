"""Library warnings stay off the terminal: a command prints its own lines, or one ``error:``.

SALib, numpy, pandas, lifelines and optuna warn on standard error about what they see
(a sample size that is not a power of 2, a division by zero in an empty group, a fit that
converged slowly). To a user these are noise beside the tool's own lines, and they break the
rule of one line for a failure. So a command runs with every warning silenced, in its own
process and in its workers (which start with ``PYTHONWARNINGS=ignore``); what a warning would
have meant to the user is checked by the tool itself, as a bad value refused with one
``error:`` line (``--prior-sd``, a sweep's range) or a ``warning:`` line of its own (a small
Sobol sample). ``--debug`` (or ``ALLIANCE_SIM_DEBUG=1``) shows them all again.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

WORKERS = "PYTHONWARNINGS"
"""The environment variable that sets the warnings filter of a process started from this one."""


@contextmanager
def libraries_quiet(debug: bool) -> Iterator[None]:
    """Silence every warning while a command runs, here and in the processes it starts.

    Args:
        debug: show the warnings instead (``--debug``).
    """
    if debug:
        yield
        return
    before = os.environ.get(WORKERS)
    os.environ[WORKERS] = "ignore"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        if before is None:
            os.environ.pop(WORKERS, None)
        else:
            os.environ[WORKERS] = before
