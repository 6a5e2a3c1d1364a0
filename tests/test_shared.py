"""The memo shared by replications: exact, read-only, bounded, and invisible in the results."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pytest

from sim.model import shared
from sim.model.params import Params
from sim.model.tables import TABLES
from sim.results.runs import replicate
from sim.scenario.loading import load

ROOT = Path(__file__).resolve().parent.parent
calls: list[str] = []


@shared.shared
def doubled(x: np.ndarray, k: float) -> np.ndarray:
    """Return 2 k x, noting each real computation."""
    calls.append("doubled")
    return 2.0 * k * x


@shared.shared
def same(x: np.ndarray) -> np.ndarray:
    """Return the argument itself."""
    return x


class Pair(NamedTuple):
    left: np.ndarray
    right: np.ndarray


@dataclasses.dataclass(frozen=True)
class Box:
    values: np.ndarray
    scale: float


@shared.shared
def summed(pair: Pair, box: Box, params: Params) -> Pair:
    """Return a named tuple computed from a named tuple, a dataclass and parameters."""
    calls.append("summed")
    total = pair.left + pair.right + box.values * box.scale + params.baseline
    return Pair(total, -total)


@pytest.fixture(autouse=True)
def fresh_memo():
    shared.enabled(True)
    calls.clear()
    yield
    shared.enabled(True)


def test_equal_content_is_computed_once_and_different_content_again():
    x = np.arange(4.0)
    first, again = doubled(x, 1.0), doubled(x.copy(), 1.0)
    assert first is again and calls == ["doubled"]
    assert shared.counts() == {"hits": 1, "misses": 1}
    doubled(x, 2.0)  # another scalar
    doubled(x.astype(np.float32), 1.0)  # another dtype, same values
    doubled(x.reshape(2, 2), 1.0)  # another shape, same bytes
    assert calls == ["doubled"] * 4


def test_equal_scalars_of_other_types_are_other_keys():
    x = np.arange(3.0)
    doubled(x, 1.0)
    doubled(x, 1)
    doubled(x, True)
    assert calls == ["doubled"] * 3


def test_threads_share_the_memo_safely():
    from concurrent.futures import ThreadPoolExecutor

    arrays = [np.full(3, float(k % 7)) for k in range(400)]
    with ThreadPoolExecutor(4) as pool:
        found = list(pool.map(lambda a: doubled(a, 1.0), arrays))
    assert all(np.array_equal(f, 2.0 * a) for f, a in zip(found, arrays, strict=True))
    assert len(calls) >= 7 and shared.counts()["hits"] + shared.counts()["misses"] == 400


def test_a_changed_argument_is_a_new_key():
    x = np.arange(4.0)
    doubled(x, 1.0)
    x[0] = 9.0  # the key holds the content, not the array
    assert doubled(x, 1.0)[0] == 18.0 and len(calls) == 2


def test_results_are_read_only_and_the_callers_arrays_stay_its_own():
    x = np.arange(3.0)
    out = same(x)
    assert out is not x and np.array_equal(out, x)
    assert not out.flags.writeable and x.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        doubled(x, 1.0)[0] = 5.0


def test_named_tuples_and_dataclasses_are_keyed_by_their_fields():
    pair, box, params = Pair(np.ones(2), np.zeros(2)), Box(np.ones(2), 2.0), Params()
    out = summed(pair, box, params)
    assert isinstance(out, Pair) and not out.left.flags.writeable
    assert summed(Pair(np.ones(2), np.zeros(2)), Box(np.ones(2), 2.0), params) is out
    summed(pair, Box(np.ones(2), 3.0), params)  # a field changed
    summed(pair, box, params.replace(baseline=0.0))  # other parameters
    assert calls == ["summed"] * 3


def test_large_arguments_are_computed_every_time_and_switching_off_computes_all():
    big = np.zeros(shared.KEY_LIMIT // 8 + 1)
    doubled(big, 1.0)
    doubled(big, 1.0)
    assert calls == ["doubled", "doubled"]
    shared.enabled(False)
    small = np.ones(2)
    doubled(small, 1.0)
    out = doubled(small, 1.0)
    assert len(calls) == 4 and not out.flags.writeable


@pytest.mark.parametrize("name", ["karabakh_2020", "wwii_coalition_1942_1948", "sanctions"])
def test_runs_are_the_same_with_and_without_the_memo(name):
    scenario = load(ROOT / "sim" / "scenarios" / f"{name}.yaml")
    shared.enabled(False)
    plain = replicate(scenario, Params(), seed=4, runs=30)
    shared.enabled(True)
    kept = replicate(scenario, Params(), seed=4, runs=30)
    assert len(plain.states) > 0
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(plain, table), getattr(kept, table))
