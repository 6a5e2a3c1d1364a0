"""The web server under load: 20 browser sessions at once, each moving a slider and stepping.

``run.py serve`` runs on the loopback only (a free port on 127.0.0.1), on a scenario whose
runs are quick (``eaeu_institution``: the server, not the model, is under test); headless Chromium
opens one context per session (cookies, storage and websocket of its own), all at once. Each
session (arriving a second after the one before) moves a kernel weight's slider of its own and
steps the period for ``ALLIANCE_SIM_LOAD_SECONDS`` (60 by default). Then:

* no page saw an error (a page error, a console error, a failed request);
* each session's state is its own: once the server has caught up, no weight but the one the
  session moved is off its default in its page;
* a hostile client's malformed websocket messages harmed no session;
* the server's memory is bounded: a second wave of as many sessions, after the first has
  closed, leaves it about where the first left it (no growth per closed session).

The figures (sessions, moves, errors, memory at the start, the peak and the end) are printed
and written to ``web_load.json`` in the test's folder. Skipped where Chromium or Playwright is
missing, except on CI (``CI`` set), where a missing browser fails.

It takes four to ten minutes, so it runs on demand: ``make load`` (``ALLIANCE_SIM_LOAD=1``). It
is marked as an expected failure until the server holds the load in every run. Measured on a
shared two-core machine (load average about 20), 40 sessions made 67 moves with 101 errors
(Solara's "widget model not found" and "Comm not found", pages that took over 240 s to load);
then, the machine otherwise idle, 337 and 481 moves with 29 and 77 errors. On 2026-12-08, idle:
with Reacton's fast renderer and sliders not drawn again when they did not move, 344 moves and
25 errors; with the 59 other parameters' sliders also built only once opened, four runs of every
session moving ``w_sites``: no error in three (407, 435 and 435 moves), 12 in one (10 sessions
whose page took over 240 s to load, and "widget model not found"); memory 278-290 MB at the
start, 617-682 MB after the first wave, 685-712 MB at the end. A session's slider once still
showed a value it had not read after its own presses in 0-2 sessions of a run (its own values
answered late: a key press moves on from the value the page shows). So each session now moves a
weight of its own and arrives a second after the one before, and no session's page may show
another weight off its default (one run: 471 moves, no session saw another's move, 39 errors:
"widget model not found", "Cannot send", "Could not process update msg" of the first 20;
memory 272, 1,355 and 1,359 MB). Each error now says what its session was doing: of three more
runs (532-549 moves, no session seeing another's move), every error came while a page loaded:
26 in the first ("widget model not found", 4 pages over 240 s); once figures drawn already were
shown with no stand-in, none in one run and 5 in the next (4 pages over 240 s); memory 265-289 MB
at the start, 689-1,360 MB after the first wave, 884-1,360 MB at the end (the run with no error
grew 28% in its second wave, over the bound). The figures and the first errors are written to
``web_load.json``.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sim.model.decide import FACTORS

from conftest import ROOT, SCENARIOS

CHROMIUM = Path("/usr/bin/chromium")
SESSIONS = 20
SCENARIO = "eaeu_institution"
"""A scenario whose hundred runs take about a second: each change of each session reruns it."""
FIRST_PERIOD = re.compile(r"^Period: .*\(period 1 of \d+\)$")
SECONDS = float(os.environ.get("ALLIANCE_SIM_LOAD_SECONDS", "60"))
WAIT = 240_000  # ms: twenty sessions share the server (and, in CI, two cores)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
KERNEL = tuple(f.weight for f in FACTORS if f.weight is not None)
"""The kernel's weights, as the sidebar shows them first (:data:`sim.web.sidebar.KERNEL`)."""
ARRIVAL = 1.0
"""Seconds between one session's arrival and the next's (all twenty are in within 20 s)."""
GROWTH = 0.25
"""How much more memory a second wave of sessions may leave than the first (a quarter)."""

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: .ci/run installs it", pytrace=False)
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)
if os.environ.get("ALLIANCE_SIM_LOAD", "") in ("", "0"):
    pytest.skip(
        "the load test takes minutes: make load (ALLIANCE_SIM_LOAD=1) runs it",
        allow_module_level=True,
    )
playwright = pytest.importorskip("playwright.async_api", reason="Playwright is not installed")
psutil = pytest.importorskip("psutil")


@dataclass
class Tally:
    """What the sessions did and saw."""

    moves: int = 0
    steps: int = 0
    errors: list[str] = field(default_factory=list)
    mixed: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``run.py serve`` of :data:`SCENARIO` on a free port of the loopback."""
    from sim.web import assets

    if assets.missing():
        if os.environ.get("CI"):
            pytest.fail("the web view's front-end files are missing", pytrace=False)
        pytest.skip("the web view's front-end files are not installed (scripts/web_assets)")
    folder = tmp_path_factory.mktemp("load") / "scenarios"
    shutil.copytree(SCENARIOS, folder)
    log = folder.parent / "server.log"
    port = _free_port()
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "run.py"), "serve", SCENARIO, "--port", str(port),
             "--host", "127.0.0.1", "--dir", str(folder)],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    try:
        _ready(url, proc, log)
        yield url, proc
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def _ready(url: str, proc: subprocess.Popen[str], log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the server stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"the server did not start in {timeout} s:\n{log.read_text()}")


class Memory:
    """The server's resident memory (with its children), sampled twice a second."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def now(self) -> int:
        """The server's resident memory now, in bytes."""
        processes = [self.process, *self.process.children(recursive=True)]
        total = 0
        for process in processes:
            with suppress(psutil.Error):  # a child that ended meanwhile
                total += process.memory_info().rss
        self.peak = max(self.peak, total)
        return total

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            self.now()

    def __enter__(self) -> Memory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def _session(browser, url: str, index: int, seconds: float, tally: Tally) -> None:
    """One user: the page, then a kernel weight's slider of its own moved, and steps, a while.

    Session ``i`` moves the ``i``-th weight of the kernel (modulo their number), so that a move
    seen in another session's page would show there: a slider moved from its default says so
    in its label (``(default ...)``).
    """
    await asyncio.sleep(index * ARRIVAL)  # users arrive one after another, then stay together
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    phase = ["loading"]  # what the session was doing when an error came: loading, moving...

    def error(what: object) -> None:
        tally.errors.append(f"session {index} ({phase[0]}): {what}")

    page.on("pageerror", error)
    page.on("console", lambda m: m.type == "error" and error(m.text))
    page.on("response", lambda r: r.status >= 400 and error(f"{r.status} {r.url}"))
    name = KERNEL[index % len(KERNEL)]
    try:
        await page.goto(url, timeout=WAIT)
        expect = playwright.expect
        await expect(page.get_by_text(FIRST_PERIOD)).to_be_visible(timeout=WAIT)
        phase[0] = "moving"
        weight = page.locator(".sim-slider").filter(has_text=f"{name} =").get_by_role("slider")
        deadline = time.monotonic() + seconds
        k = 0
        while time.monotonic() < deadline:
            k += 1
            await weight.focus()
            # sessions drift apart: session i goes up i % 4 + 1 steps, then back one
            await weight.press("ArrowLeft" if k % (index % 4 + 2) == 0 else "ArrowRight")
            tally.moves += 1
            await page.wait_for_timeout(300)  # the others move meanwhile
            # Step, or Reset at the last period; a click on a button that the page has just
            # disabled (the last period reached meanwhile) does nothing, rather than wait
            step = page.get_by_role("button", name="Step")
            button = "Step" if await step.is_enabled() else "Reset"
            await page.get_by_role("button", name=button).click(force=True)
            tally.steps += 1
        phase[0] = "checking"
        await _only_its_own_moved(page, name, index, tally)
    except Exception as exc:  # a session that could not do its work is an error of the load
        error(f"{type(exc).__name__}: {str(exc)[:200]}")
    finally:
        phase[0] = "closing"
        await context.close()


async def _only_its_own_moved(page, name: str, index: int, tally: Tally) -> None:
    """Once the server has caught up, no kernel weight but the session's own is off default."""
    moved: list[str] = []
    for _ in range(30):  # the server may answer the last moves late: up to 30 s
        labels = await page.locator(".sim-slider-label").all_inner_texts()
        moved = [t for t in labels if "(default" in t and not t.startswith(f"{name} =")]
        if not moved:
            return
        await page.wait_for_timeout(1000)
    tally.mixed.append(f"session {index} moved {name} only, and its page shows {moved}")


def _by_phase(errors: list[str]) -> dict[str, int]:
    """Return how many errors came in each phase of a session (loading, moving, ...)."""
    found: dict[str, int] = {}
    for e in errors:
        phase = e.split("(", 1)[1].split(")", 1)[0] if "(" in e else "?"
        found[phase] = found.get(phase, 0) + 1
    return found


HOSTILE = """async (messages) => {
    const url = location.origin.replace(/^http/, "ws")
        + "/jupyter/api/kernels/00000000-0000-0000-0000-000000000000/channels?session_id=x";
    for (const message of messages) {
        await new Promise(done => {
            const ws = new WebSocket(url);
            ws.onopen = () => { try { ws.send(message); } catch (e) {} setTimeout(() => {
                ws.close(); done(); }, 200); };
            ws.onerror = () => done();
            ws.onclose = () => done();
        });
    }
    return true;
}"""
"""A crafted page: websocket messages of the wrong shape to a kernel that does not exist."""


async def _hostile(browser, url: str) -> None:
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(url + "readyz")
    garbage = ["", "{", "null", "[]", '{"header": 1}', "x" * 100_000, '{"msg_type": "comm_msg"}']
    await page.evaluate(HOSTILE, garbage)
    await context.close()


async def _wave(url: str, seconds: float, tally: Tally, hostile: bool) -> None:
    async with playwright.async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        jobs = [_session(browser, url, i, seconds, tally) for i in range(SESSIONS)]
        if hostile:
            jobs.append(_hostile(browser, url))
        await asyncio.gather(*jobs)
        await browser.close()


@pytest.mark.xfail(
    reason="issue 35: under 20 sessions arriving at once on two cores, some runs still see "
    "pages that take over 240 s to load or Solara's 'widget model not found' while they load; "
    "see the module's docstring",
    strict=False,
)
def test_twenty_sessions_at_once_stay_apart_and_the_memory_bounded(server, tmp_path):
    url, proc = server
    first, second = Tally(), Tally()
    began = time.monotonic()
    with Memory(proc.pid) as memory:
        start = memory.now()
        asyncio.run(_wave(url, SECONDS, first, hostile=True))
        time.sleep(10)  # the closed sessions' kernels are let go
        after_first = memory.now()
        asyncio.run(_wave(url, SECONDS / 2, second, hostile=False))
        time.sleep(10)
        end = memory.now()
    figures = {
        "sessions": 2 * SESSIONS,
        "seconds_each": [SECONDS, SECONDS / 2],
        "moves": first.moves + second.moves,
        "steps": first.steps + second.steps,
        "errors": len(first.errors) + len(second.errors),
        "mixed": len(first.mixed) + len(second.mixed),
        "memory_mb": {
            "start": round(start / 2**20),
            "after_first_wave": round(after_first / 2**20),
            "peak": round(memory.peak / 2**20),
            "end": round(end / 2**20),
        },
        "wall_seconds": round(time.monotonic() - began),
        "errors_by_phase": _by_phase(first.errors + second.errors),
        "error_samples": (first.errors + second.errors)[:20],
        "mixed_samples": (first.mixed + second.mixed)[:20],
    }
    (tmp_path / "web_load.json").write_text(json.dumps(figures, indent=2))
    print("web load:", json.dumps(figures))
    assert proc.poll() is None, "the server stopped under load"
    assert not first.errors + second.errors, (first.errors + second.errors)[:10]
    assert not first.mixed + second.mixed, (first.mixed + second.mixed)[:10]
    assert first.moves >= SESSIONS and second.moves >= SESSIONS
    assert end <= after_first * (1 + GROWTH), figures
