"""Nothing lost, nothing mixed, and the same bytes every time."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from conftest import ROOT, cli

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
    args = [
        sys.executable,
        str(ROOT / "run.py"),
        "run",
        "karabakh_2020",
        "--runs",
        "600",
        "--seed",
        "9",
        "--out",
        str(out),
    ]
    proc = subprocess.Popen(
        args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 120
    while not list((out / ".parts").glob("done_*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in err
    kept = sorted((out / ".parts").glob("done_*"))
    assert kept, "the finished chunks are kept"
    assert not list(out.rglob("*.tmp")), "no partial file is left"
    assert not (out / "decisions.parquet").exists(), "no final table from an unfinished run"
    # a rerun with the same arguments resumes and gives what an uninterrupted run gives
    resumed = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    whole = tmp_path / "whole"
    fresh = subprocess.run(
        [*args[:-1], str(whole)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert fresh.returncode == 0
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
