"""Long work says how it goes: a bar on a terminal, what was kept when stopped or resumed."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios

import pytest

from sim.results import runs as replications

from conftest import ROOT


def on_a_terminal(*args: str, stdout_too: bool = False) -> tuple[str, str]:
    """Run the CLI with standard error (and output) on a 100-column pseudo-terminal.

    Returns what standard output carried through its pipe, and what the terminal showed.
    """
    parent, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "run.py"), *args],
        cwd=ROOT,
        stdout=child if stdout_too else subprocess.PIPE,
        stderr=child,
        text=True,
    )
    os.close(child)
    shown = b""
    while True:
        try:
            chunk = os.read(parent, 4096)
        except OSError:  # the terminal closes when the command ends
            break
        if not chunk:
            break
        shown += chunk
    out = proc.communicate(timeout=120)[0]
    os.close(parent)
    return out, shown.decode(errors="replace")


def test_a_bar_shows_the_runs_on_a_terminal_and_nothing_under_json():
    _, terminal = on_a_terminal("run", "karabakh_2020", "--runs", "100")
    assert "replications" in terminal and "100/100" in terminal
    out, terminal = on_a_terminal("run", "karabakh_2020", "--runs", "100", "--json")
    assert terminal.strip() == "" and out.startswith("{")


def _stop_after_first_chunk(monkeypatch):
    real, calls = replications.run_chunk, []

    def stopping(*args):
        calls.append(args)
        if len(calls) > 1:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(replications, "run_chunk", stopping)


def test_an_interrupted_run_says_what_it_kept_and_a_rerun_that_it_resumed(
    tmp_path, main, monkeypatch
):
    out = tmp_path / "run"
    args = ("run", "karabakh_2020", "--runs", "120", "--out", str(out))
    with monkeypatch.context() as patch:
        _stop_after_first_chunk(patch)
        code, _, err = main(*args)
    assert code == 130
    assert err.strip() == (
        f"interrupted: 50 of 120 runs kept in {out / '.parts'}; "
        "run the same command again to resume"
    )
    code, _, err = main(*args)
    assert code == 0 and f"resumed: 50 of 120 runs kept in {out / '.parts'}" in err


def test_an_interrupted_run_without_out_says_nothing_was_kept(main, monkeypatch):
    _stop_after_first_chunk(monkeypatch)
    code, _, err = main("run", "karabakh_2020", "--runs", "120")
    assert code == 130 and err.startswith("interrupted: nothing kept (with --out DIR")


@pytest.mark.parametrize("json_flag", [(), ("--json",)])
def test_no_bar_when_standard_error_is_not_a_terminal(main, json_flag):
    code, _, err = main("run", "karabakh_2020", "--runs", "60", *json_flag)
    assert code == 0 and err == ""
