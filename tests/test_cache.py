"""The cache on disk: built once, keyed by content, never trusted when stale or broken."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import stat
from pathlib import Path

import numpy as np
import pytest

from sim import cache


class Builds:
    """A build that counts its calls."""

    def __init__(self, value: object) -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "extract.csv"
    path.write_text("ccode,year\n2,1816\n")
    return path


def _entry(folder: Path) -> Path:
    (path,) = folder.glob("*.pickle")
    return path


def test_an_entry_is_built_once_and_then_read(tmp_path, data):
    build = Builds({"power": np.arange(5.0)})
    first = cache.cached("world", {"start": 1816}, build, files=[data], folder=tmp_path)
    again = cache.cached("world", {"start": 1816}, build, files=[data], folder=tmp_path)
    assert build.calls == 1
    np.testing.assert_array_equal(again["power"], first["power"])


def test_other_inputs_data_or_code_make_another_entry(tmp_path, data, monkeypatch):
    build = Builds(1)
    cache.cached("world", {"start": 1816}, build, files=[data], folder=tmp_path)
    cache.cached("world", {"start": 1817}, build, files=[data], folder=tmp_path)
    assert build.calls == 2
    data.write_text("ccode,year\n2,1817\n")  # an extract corrected: the old entry is stale
    cache.cached("world", {"start": 1816}, build, files=[data], folder=tmp_path)
    assert build.calls == 3
    monkeypatch.setattr(cache, "code_version", lambda: "another version of the code")
    cache.cached("world", {"start": 1816}, build, files=[data], folder=tmp_path)
    assert build.calls == 4


def test_the_code_version_follows_the_sources():
    assert cache.code_version() == cache.code_version()
    assert len(cache.code_version()) == 64


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[: len(blob) // 2],  # truncated (a disk filled mid-write)
        lambda blob: blob[:-1] + bytes([blob[-1] ^ 1]),  # one bit of the payload flipped
        lambda blob: b"not an entry at all",  # a foreign file under the entry's name
        lambda blob: b"",  # empty
    ],
)
def test_a_broken_entry_is_rebuilt_and_replaced(tmp_path, data, damage):
    build = Builds([1, 2, 3])
    cache.cached("world", {}, build, files=[data], folder=tmp_path)
    path = _entry(tmp_path)
    path.write_bytes(damage(path.read_bytes()))
    assert cache.cached("world", {}, build, files=[data], folder=tmp_path) == [1, 2, 3]
    assert build.calls == 2
    assert cache.cached("world", {}, build, files=[data], folder=tmp_path) == [1, 2, 3]
    assert build.calls == 2  # the rebuilt entry is whole again


class _Trap:
    """A pickle that, once loaded, makes a folder: a tampered entry must never be unpickled."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


def test_an_entry_whose_digest_fails_is_never_unpickled(tmp_path, data):
    folder, marker = tmp_path / "cache", tmp_path / "sprung"
    cache.cached("world", {}, Builds(0), files=[data], folder=folder)
    path = _entry(folder)
    key = path.stem.split("-", 1)[1]
    head = cache.MAGIC + key.encode() + b"\n"
    path.write_bytes(head + b"\0" * 32 + pickle.dumps(_Trap(marker)))  # right key, wrong digest
    assert cache.read(path, key) is None
    assert not marker.exists()


def _build_slowly(folder: str, data: str, marker: int) -> float:
    """Build a large entry, as two processes starting ``world`` at once would."""

    def build() -> np.ndarray:
        return np.full(2_000_000, 1.5)

    value = cache.cached("world", {"span": 1}, build, files=[Path(data)], folder=Path(folder))
    return float(value.sum())


def test_two_processes_building_at_once_both_get_a_whole_entry(tmp_path, data):
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        sums = pool.starmap(_build_slowly, [(str(tmp_path), str(data), i) for i in range(4)])
    assert sums == [3_000_000.0] * 4
    key = cache.entry_key("world", {"span": 1}, [data])
    assert cache.read(tmp_path / f"world-{key}.pickle", key) is not None
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left behind


def _write_many(folder: str, times: int) -> None:
    for i in range(times):
        cache.write(Path(folder) / "world-k.pickle", "k", np.full(500_000, float(i)))


def test_a_reader_never_sees_half_an_entry(tmp_path):
    """While another process rewrites an entry, every read finds a whole one."""
    cache.write(tmp_path / "world-k.pickle", "k", np.zeros(500_000))
    writer = multiprocessing.get_context("spawn").Process(
        target=_write_many, args=(str(tmp_path), 30)
    )
    writer.start()
    reads = []
    while writer.is_alive() or not reads:
        reads.append(cache.read(tmp_path / "world-k.pickle", "k"))
    writer.join()
    assert all(found is not None and len(set(found[0])) == 1 for found in reads)


def test_a_cache_that_cannot_be_written_costs_a_build_not_a_failure(tmp_path, data):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(folder, os.W_OK):  # root writes anywhere: make the folder a file instead
            folder.chmod(stat.S_IRWXU)
            folder.rmdir()
            folder.write_text("a file where the cache's folder should be")
        build = Builds(7)
        assert cache.cached("world", {}, build, files=[data], folder=folder) == 7
        assert cache.cached("world", {}, build, files=[data], folder=folder) == 7
        assert build.calls == 2
    finally:
        if folder.is_dir():
            folder.chmod(stat.S_IRWXU)


def test_no_cache_builds_every_time_and_writes_nothing(tmp_path, data, monkeypatch):
    monkeypatch.setenv(cache.DISABLE, "1")
    build, folder = Builds(1), tmp_path / "cache"
    cache.cached("world", {}, build, files=[data], folder=folder)
    cache.cached("world", {}, build, files=[data], folder=folder)
    assert build.calls == 2 and not folder.exists()


class Started(BaseException):
    """Raised where the open world's run would begin: the world was built."""


@pytest.mark.parametrize("flag", [[], ["--no-cache"]])
def test_the_command_line_uses_the_cache_unless_told_not_to(tmp_path, monkeypatch, flag):
    from sim.cli import main
    from sim.history import worldrun

    def stop(*args, **kwargs):
        raise Started

    monkeypatch.setenv(cache.FOLDER, str(tmp_path / "cache"))
    monkeypatch.delenv(cache.DISABLE, raising=False)
    monkeypatch.setattr(worldrun, "run", stop)
    with pytest.raises(Started):
        main(["world", "--start", "1816", "--end", "1818", "--json", *flag])
    written = list((tmp_path / "cache").glob("openworld-*.pickle"))
    assert len(written) == (0 if flag else 1)
    assert cache.DISABLE not in os.environ  # --no-cache does not outlive its command


def test_a_table_of_the_record_is_built_once_per_version_of_the_data(tmp_path, monkeypatch):
    """``kept_on_disk``: a new process reads the table; an edited extract builds it again."""
    from sim.history import cow

    folder = tmp_path / "datasets"
    folder.mkdir()
    (folder / "extract.csv").write_text("ccode,year\n2,1816\n")
    monkeypatch.setattr(cow, "DATASETS", folder)
    monkeypatch.setenv(cache.FOLDER, str(tmp_path / "cache"))
    calls: list[int] = []

    def rows(threshold: int) -> int:
        calls.append(threshold)
        return len(cow.data_table.__wrapped__("extract.csv")) * threshold

    table = cow.kept_on_disk(rows)
    assert table(3) == 3 and table(3) == 3 and calls == [3]
    table.cache_clear()  # as a new process
    assert table(3) == 3 and calls == [3]
    assert table(4) == 4 and calls == [3, 4]  # other arguments, another entry
    (folder / "extract.csv").write_text("ccode,year\n2,1816\n20,1920\n")
    table.cache_clear()
    assert table(3) == 6 and calls == [3, 4, 3]
    table.cache_clear()
    with cache.turned_off():
        assert table(3) == 6 and calls == [3, 4, 3, 3]
