"""Nothing lost, nothing mixed, and the same bytes every time."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest

from conftest import cli, interrupt_when

TABLES = ("decisions", "alliances", "states", "system", "outcomes")


def _run(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return cli("run", "karabakh_2020", "--runs", "100", "--seed", "9", "--out", str(out), *extra)


def test_results_are_byte_identical_across_repeats_and_worker_counts(tmp_path):
    one, again, two = tmp_path / "one", tmp_path / "again", tmp_path / "two"
    for out, extra in ((one, ()), (again, ()), (two, ("--workers", "2"))):
        assert _run(out, *extra).returncode == 0
    for name in TABLES:
        a = (one / f"{name}.parquet").read_bytes()
        assert a == (again / f"{name}.parquet").read_bytes(), name
        assert a == (two / f"{name}.parquet").read_bytes(), name


def test_an_interrupted_run_keeps_what_finished_and_resumes(tmp_path):
    out = tmp_path / "run"
    args = ["run", "karabakh_2020", "--runs", "1500", "--seed", "9", "--out", str(out)]
    code, err = interrupt_when(args, lambda: bool(list((out / ".parts").glob("*.done"))))
    assert code == 130 and "Traceback" not in err
    kept = sorted((out / ".parts").glob("*.done"))
    assert kept, "the finished chunks are kept"
    assert not list(out.rglob("*.tmp")), "no partial file is left"
    assert not (out / "decisions.parquet").exists(), "no final table from an unfinished run"
    # a rerun with the same arguments resumes and gives what an uninterrupted run gives
    assert cli(*args).returncode == 0
    whole = tmp_path / "whole"
    assert cli(*args[:-1], str(whole)).returncode == 0
    for name in TABLES:
        assert (out / f"{name}.parquet").read_bytes() == (whole / f"{name}.parquet").read_bytes()
    assert not (out / ".parts").exists()


def test_a_folder_holding_another_run_is_refused(tmp_path):
    out = tmp_path / "run"
    (out / ".parts").mkdir(parents=True)
    (out / ".parts" / "key.txt").write_text("something else\n")
    result = _run(out)
    assert result.returncode == 2 and "holds part of a different run" in result.stderr


def test_result_tables_read_back_as_written(tmp_path):
    out = tmp_path / "run"
    assert _run(out).returncode == 0
    decisions = pd.read_parquet(out / "decisions.parquet")
    assert decisions["p_honour"].between(0, 1).all()
    assert set(decisions["run"]) == set(range(100))


def _interrupt_after(calls: int):
    """Return a write_table that raises KeyboardInterrupt at its ``calls``-th call."""
    from sim.results import files

    real, made = files.write_table, []

    def write(path, table, metadata=None):
        made.append(path)
        if len(made) == calls:
            raise KeyboardInterrupt
        real(path, table, metadata)

    return write


def test_an_interrupted_save_leaves_a_folder_complete_or_absent(tmp_path, monkeypatch):
    from sim.results import files

    tables = {name: pd.DataFrame({"x": [1, 2]}) for name in TABLES}
    out = tmp_path / "run"
    monkeypatch.setattr(files, "write_table", _interrupt_after(3))
    with pytest.raises(KeyboardInterrupt):
        files.save_folder(out, tables, {"seed": 1})
    assert list(tmp_path.iterdir()) == [], "absent, and nothing half-made beside it"
    monkeypatch.undo()
    files.save_folder(out, tables, {"seed": 1})
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(before) == {*(f"{n}.parquet" for n in TABLES), "metadata.json"}
    monkeypatch.setattr(files, "write_table", _interrupt_after(5))
    with pytest.raises(KeyboardInterrupt):
        files.save_folder(out, {n: t.assign(x=[3, 4]) for n, t in tables.items()}, {"seed": 2})
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before, "the previous result"
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def test_a_failed_swap_puts_the_previous_folder_back(tmp_path, monkeypatch):
    import os

    from sim.results import files

    out = tmp_path / "run"
    files.save_folder(out, {"decisions": pd.DataFrame({"x": [1]})}, {"seed": 1})
    before = (out / "metadata.json").read_text()
    real, renames = os.rename, []

    def rename(src, dst):
        renames.append(dst)
        if len(renames) == 2:  # the new folder into place: the moment of the swap
            raise KeyboardInterrupt
        real(src, dst)

    monkeypatch.setattr(files.os, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        files.save_folder(out, {"decisions": pd.DataFrame({"x": [2]})}, {"seed": 2})
    monkeypatch.undo()
    assert (out / "metadata.json").read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def test_chunk_markers_are_not_mistaken_for_tables(tmp_path):
    from sim.results import files

    store = files.ChunkStore(tmp_path / "run", "key")
    store.save(0, 50, {name: pd.DataFrame({"x": [1]}) for name in TABLES})
    parts = tmp_path / "run" / ".parts"
    assert sorted(p.name for p in parts.glob("*.parquet")) == sorted(
        f"{name}_000000_000050.parquet" for name in TABLES
    )
    for table in parts.glob("*.parquet"):
        assert len(pd.read_parquet(table)) == 1, "every .parquet file is a table"
    assert [p.name for p in parts.glob("*.done")] == ["chunk_000000_000050.done"]
    assert store.load(0, 50) is not None and store.load(50, 100) is None
