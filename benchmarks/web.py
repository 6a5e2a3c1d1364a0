"""The web view timed as a user meets it: `run.py serve` driven by Playwright in Chromium.

* the first render: from opening the page to P(honour) and the first figure on screen;
* a weight slider moved to a value not seen before (``w_sites`` one step, with the arrow key):
  from the key press to P(honour) redrawn, and to the first figure redrawn;
* the open world's year step (the ▶ beside the year): from the click to the year's map.

Each figure is the median over several moves. The browser is Chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
WAIT = 180_000  # ms
TARGETS = {"slider_p_honour": 0.2, "year_step": 1.0}
"""The targets of issue 33, in seconds."""
P_CHANGED = """([before]) => {
    const e = document.querySelector('.sim-p-honour');
    return e && e.innerText !== before;
}"""
SRC_CHANGED = """([selector, before]) => {
    const e = document.querySelector(selector);
    return e && e.getAttribute('src') !== before;
}"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(scenario: str = "karabakh_2020") -> Iterator[str]:
    """Start ``run.py serve`` on a free port and yield its address; stop it after."""
    port = _free_port()
    args = [sys.executable, "run.py", "serve", scenario, "--port", str(port)]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(url + "readyz", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        yield url
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)


def timings(moves: int = 10) -> dict[str, Any]:
    """Return the web view's timings in seconds: first render, slider moves, year steps."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        return {}
    with server() as url, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        found: dict[str, Any] = {"first_render": _first_render(page, url)}
        found.update(_slider(page, moves))
        found["year_step"] = _year_steps(page, max(3, moves // 2))
        browser.close()
    return found


def _first_render(page: Any, url: str) -> float:
    start = time.monotonic()
    page.goto(url)
    page.locator(".sim-p-honour").wait_for(timeout=WAIT)
    page.locator(".sim-card img.sim-figure").first.wait_for(timeout=WAIT)
    return time.monotonic() - start


def _slider(page: Any, moves: int) -> dict[str, list[float]]:
    """Move ``w_sites`` up one step at a time (each value new), timing each redraw."""
    _pick_overlay(page, "karabakh_attack_on_armenia")
    text, first = [], []
    knob = page.locator(".sim-slider").filter(has_text="w_sites =").get_by_role("slider")
    figure = ".sim-card img.sim-figure"
    for _ in range(moves):
        before = page.locator(".sim-p-honour").inner_text()
        src = page.locator(figure).first.get_attribute("src")
        knob.focus()
        start = time.monotonic()
        knob.press("ArrowRight")
        page.wait_for_function(P_CHANGED, arg=[before], timeout=WAIT)
        text.append(time.monotonic() - start)
        page.wait_for_function(SRC_CHANGED, arg=[figure, src], timeout=WAIT)
        first.append(time.monotonic() - start)
    return {"slider_p_honour": text, "slider_first_figure": first}


def _pick_overlay(page: Any, name: str) -> None:
    """Choose a counterfactual overlay and wait until its runs are shown."""
    before = page.locator(".sim-p-honour").inner_text()
    page.locator(".v-select").filter(
        has=page.locator("label", has_text=re.compile("^Counterfactual overlays$"))
    ).click()
    page.locator(".menuable__content__active .v-list-item").filter(
        has_text=re.compile(f"^{name}$")
    ).click()
    page.keyboard.press("Escape")
    page.wait_for_function(P_CHANGED, arg=[before], timeout=WAIT)


def _year_steps(page: Any, steps: int) -> list[float]:
    """Open the open world tab (its first run is not timed), then step the year forward."""
    page.get_by_role("tab", name="Open world").click()
    figure = ".sim-card img.sim-figure"
    page.get_by_text("The state system in 1914").wait_for(timeout=WAIT)
    page.locator(figure).first.wait_for(timeout=WAIT)
    found = []
    for year in range(1915, 1915 + steps):
        start = time.monotonic()
        page.get_by_role("button", name="▶").last.click()
        page.get_by_text(f"The state system in {year}").wait_for(timeout=WAIT)
        page.wait_for_function(
            "([y]) => Array.from(document.querySelectorAll('img.sim-figure'))"
            ".some(i => (i.getAttribute('alt') || '') === 'world_' + y)",
            arg=[str(year)],
            timeout=WAIT,
        )
        found.append(time.monotonic() - start)
    return found


def median(values: list[float]) -> float:
    """Return the median of some timings."""
    return statistics.median(values)
