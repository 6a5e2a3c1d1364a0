"""The web view in a real browser: ``run.py serve`` driven in headless Chromium by Playwright.

The server runs on a free local port over a copy of the scenarios folder with one broken
scenario added, with every lookup or connection it would make off the machine refused and
noted (tests/netguard). The browser aborts and notes any request that leaves the machine.
The tests run in order on one page, as a user would, and save screenshots in screenshots/.

Without /usr/bin/chromium the tests are skipped, except on CI (CI set), where .ci/run
installs it and a missing browser fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest

import sim
from sim.analysis import explain, summary

from conftest import ROOT, SCENARIOS, cli

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "screenshots"
RUNS, SEED = 100, 0  # the page's defaults
LOCAL = {"127.0.0.1", "localhost", "::1", "[::1]"}
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT = 90_000  # ms: a change reruns the scenario and redraws; CI shares two cores

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: .ci/run installs it", pytrace=False)
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import Locator, Page, expect, sync_playwright  # noqa: E402


@dataclass
class Site:
    """The page, and what the browser and the server noted."""

    page: Page
    server: subprocess.Popen[str]
    folder: Path
    netguard: Path
    log: Path
    outside: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """The scenarios folder, and one scenario whose Russia has a power no state can have."""
    target = tmp_path_factory.mktemp("web") / "scenarios"
    shutil.copytree(SCENARIOS, target)
    text = (SCENARIOS / "karabakh_2020.yaml").read_text(encoding="utf-8")
    broken = text.replace("power: 0.034113873", "power: 1.7", 1)
    (target / "broken.yaml").write_text(broken, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def server(folder, tmp_path_factory) -> Iterator[tuple[str, subprocess.Popen[str], Path, Path]]:
    """``run.py serve karabakh_2020`` on a free port, every outside request refused."""
    logs = tmp_path_factory.mktemp("server")
    netguard, log = logs / "netguard.log", logs / "server.log"
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "tests" / "netguard"),
        "NETGUARD_LOG": str(netguard),
    }
    args = [sys.executable, str(ROOT / "run.py"), "serve", "karabakh_2020", "--port", str(port),
            "--dir", str(folder)]  # fmt: skip
    with open(log, "w") as out:
        proc = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        ready(url, proc, log)
        yield url, proc, netguard, log
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def ready(url: str, proc: subprocess.Popen[str], log: Path, timeout: float = 180) -> None:
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


@pytest.fixture(scope="module")
def site(server, folder) -> Iterator[Site]:
    """Chromium on the page, noting failed requests, errors and requests off the machine."""
    url, proc, netguard, log = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        context = browser.new_context(
            viewport={"width": 1600, "height": 1000}, accept_downloads=True
        )
        page = context.new_page()
        s = Site(page, proc, folder, netguard, log)
        context.route("**/*", lambda route: guard(route, s))
        page.on("requestfailed", lambda r: s.failed.append(f"{r.url} {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and s.failed.append(f"{r.status} {r.url}"))
        page.on("console", lambda m: m.type == "error" and s.errors.append(m.text))
        page.on("pageerror", lambda e: s.errors.append(str(e)))
        page.goto(url)
        yield s
        browser.close()


def guard(route, s: Site) -> None:
    if urlparse(route.request.url).hostname not in LOCAL and not route.request.url.startswith(
        "data:"
    ):
        s.outside.append(route.request.url)
        route.abort()
    else:
        route.continue_()


def shot(page: Page, name: str) -> None:
    """Save the whole page (the app scrolls inside itself, so the window is made tall)."""
    SHOTS.mkdir(exist_ok=True)
    height = page.evaluate(
        "() => Math.max(...['.v-content__wrap > div', '.v-navigation-drawer__content'].map("
        "q => document.querySelector(q)?.scrollHeight || 0))"
    )
    page.set_viewport_size({"width": 1600, "height": max(1000, min(int(height) + 80, 4000))})
    page.screenshot(path=SHOTS / f"{name}.png")
    page.set_viewport_size({"width": 1600, "height": 1000})


def p_honour(scenario: str, overlays: list[str], guarantor: str, **changes: float) -> str:
    """P(honour) of a guarantor's decision as the library gives it, as the page prints it."""
    folder = SCENARIOS / "counterfactuals"
    loaded = sim.load(SCENARIOS / f"{scenario}.yaml", [folder / f"{o}.yaml" for o in overlays])
    runs = sim.replicate(loaded, sim.Params().replace(**changes), seed=SEED, runs=RUNS)
    table = summary.decisions(runs)
    return f"{table.loc[table['guarantor'] == guarantor, 'p_honour'].iloc[0]:.3f}"


def shown_p(page: Page) -> Locator:
    return page.locator(".sim-p-honour")


def slider(page: Page, label: str) -> Locator:
    return page.locator(".sim-slider").filter(has_text=label).get_by_role("slider")


def slider_root(page: Page, label: str) -> Locator:
    return page.locator(".sim-slider").filter(has_text=label).locator(".v-input").first


def pick(page: Page, label: str, item: str) -> None:
    """Choose an item of a list (a Vuetify select) by its label."""
    page.locator(".v-select").filter(
        has=page.locator("label", has_text=re.compile(f"^{label}$"))
    ).click()
    page.locator(".menuable__content__active .v-list-item").filter(
        has_text=re.compile(f"^{item}$")
    ).click()
    page.keyboard.press("Escape")


INJECT = """(el, [event, value]) => {
    const found = [];
    const walk = vm => {
        if (vm.$el === el && vm.$listeners && vm.$listeners[event]) found.push(vm);
        vm.$children.forEach(walk);
    };
    const all = Array.from(document.querySelectorAll("*"));
    new Set(all.map(e => e.__vue__ && e.__vue__.$root).filter(Boolean)).forEach(walk);
    found.forEach(vm => vm.$emit(event, value));
    return found.length;
}"""


def inject(target: Locator, event: str, value: object) -> None:
    """Send the server a value the control itself would never send, as a crafted page could.

    The value goes out as the control's own event (the slider's ``change``, a list's
    ``input``), from the Vue component that listens to it.
    """
    assert target.evaluate(INJECT, [event, value]) == 1


def test_the_page_loads_with_everything_from_this_machine(site):
    page = site.page
    bar = page.get_by_role("banner")
    expect(bar.get_by_text("alliance-sim: do empires have allies?")).to_be_visible(timeout=WAIT)
    expected = p_honour("karabakh_2020", [], "RUS")
    expect(shown_p(page)).to_contain_text(
        f"offensive_2020:RUS:ARM: P(honour) = {expected}", timeout=WAIT
    )
    expect(page.get_by_text("Period: 2020-09 (period 1 of 12)")).to_be_visible()
    expect(page.locator(".sim-card img").first).to_be_visible()
    shot(page, "1-loaded")
    import psutil

    listening = {c.laddr.ip for c in psutil.Process(site.server.pid).net_connections("inet")
                 if c.status == psutil.CONN_LISTEN}  # fmt: skip
    assert listening == {"127.0.0.1"}


CLIPPED = """() => {
    const cut = c => c.offsetParent !== null && c.scrollWidth > c.clientWidth + 1;
    const cells = Array.from(document.querySelectorAll('.sim-card th, .sim-card td'))
        .filter(cut).map(c => c.textContent.trim());
    const wide = Array.from(document.querySelectorAll('.sim-card table'))
        .filter(t => t.offsetParent !== null && t.getBoundingClientRect().right
                 > t.closest('.sim-card').getBoundingClientRect().right + 1)
        .map(t => t.querySelector('th') ? t.querySelector('th').textContent.trim() : '?');
    return cells.concat(wide);
}"""
"""The table cells whose text is cut, and the tables wider than their card, on screen."""


def settled_width(element, seconds: float = 10.0) -> float:
    """Return an element's width once its opening transition is over (two equal readings)."""
    import time

    last, deadline = -1.0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        width = element.bounding_box()["width"]
        if width == last:
            return width
        last = width
        time.sleep(0.25)
    return last


def test_the_tab_is_named_tables_are_whole_and_figures_enlarge(site):
    page = site.page
    expect(page).to_have_title(re.compile("^alliance-sim"), timeout=WAIT)
    calls = page.locator(".sim-card").filter(has_text="Commitments called by").locator("tbody tr")
    expect(calls.first.locator("td").first).to_have_text("1", timeout=WAIT)  # as explain's 1
    forces = page.locator(".sim-card").filter(has_text="Alliances in force").locator("tbody")
    expect(forces.first).to_contain_text("1994-04-20", timeout=WAIT)  # the CSTO's treaty
    assert page.evaluate(CLIPPED) == []
    figure = page.locator(".sim-card img.sim-figure").first
    assert figure.get_attribute("src").startswith("data:image/svg+xml")
    figure.click()
    large = page.locator("img.sim-figure-large")
    expect(large).to_be_visible(timeout=WAIT)
    assert settled_width(large) > 1.5 * figure.bounding_box()["width"]
    shot(page, "2-enlarged")
    large.click()
    expect(large).to_be_hidden(timeout=WAIT)


def test_a_slider_moves_p_honour_the_way_the_model_says(site):
    page = site.page
    pick(page, "Counterfactual overlays", "karabakh_attack_on_armenia")
    before = p_honour("karabakh_2020", ["karabakh_attack_on_armenia"], "RUS")
    expect(shown_p(page)).to_contain_text(f"P(honour) = {before}", timeout=WAIT)
    weight = slider(page, "w_sites =")
    weight.focus()
    weight.press("ArrowRight")
    expect(weight).to_have_attribute("aria-valuenow", "6.1")
    after = p_honour("karabakh_2020", ["karabakh_attack_on_armenia"], "RUS", w_sites=6.1)
    expect(shown_p(page)).to_contain_text(f"P(honour) = {after}", timeout=WAIT)
    # the model's own account: the sites at risk push towards fighting, so more weight, more P
    folder = SCENARIOS / "counterfactuals"
    scenario = sim.load(
        SCENARIOS / "karabakh_2020.yaml", [folder / "karabakh_attack_on_armenia.yaml"]
    )
    why = explain.explain(sim.replicate(scenario, sim.Params(), seed=SEED, runs=RUNS), "RUS")
    sites = next(f for f in why.factors if f.name == "sites_at_risk")
    assert sites.value > 0 and sites.weight > 0 and float(after) > float(before)
    shot(page, "2-slider")


def test_the_other_parameters_are_built_only_once_opened(site):
    """The 59 sliders beside the kernel's are not in the page until their section is opened."""
    page = site.page
    floor = page.locator(".sim-slider").filter(has_text="interest_floor =")
    expect(page.locator(".sim-slider").filter(has_text="w_sites =")).to_be_visible(timeout=WAIT)
    assert floor.count() == 0
    page.get_by_text("Every other parameter").click()
    expect(floor).to_be_visible(timeout=WAIT)
    page.get_by_text("Every other parameter").click()
    expect(floor).to_have_count(0, timeout=WAIT)


def test_a_step_advances_the_period(site):
    page = site.page
    page.get_by_role("button", name="Step").click()
    expect(page.get_by_text("Period: 2020-10 (period 2 of 12)")).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("Commitments called by 2020-10")).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("Alliances in force, 2020-10 (run 0)").first).to_be_visible()
    shot(page, "3-step")
    page.get_by_role("button", name="▶").click()
    expect(page.get_by_text("Period: 2020-11 (period 3 of 12)")).to_be_visible(timeout=WAIT)
    page.get_by_role("button", name="❚❚").click()
    page.get_by_role("button", name="End").click()
    expect(page.get_by_text("Period: 2021-08 (period 12 of 12)")).to_be_visible(timeout=WAIT)
    expect(page.get_by_role("button", name="Step")).to_be_disabled()
    page.get_by_role("button", name="Reset").click()
    expect(page.get_by_text("Period: 2020-09 (period 1 of 12)")).to_be_visible(timeout=WAIT)


def download(where: Page | Locator, button: str, folder: Path) -> Path:
    page = where if isinstance(where, Page) else where.page
    with page.expect_download(timeout=WAIT) as info:
        where.get_by_role("button", name=button).first.click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_downloads_are_files_the_cli_reads_back(site, tmp_path):
    page = site.page
    before = shown_p(page).inner_text()
    scale = slider(page, "offensive_2020 (AZE attacks ARM): scale =")
    scale.focus()
    scale.press("ArrowLeft")  # from the overlay's 1.0 to 0.95
    expect(page.get_by_text("figures moved")).to_be_visible(timeout=WAIT)
    expect(shown_p(page)).not_to_have_text(before, timeout=WAIT)
    on_page = re.search(r"P\(honour\) = (\d\.\d{3})", shown_p(page).inner_text()).group(1)
    tuned = download(page, "Parameters (tuned.yaml)", tmp_path)
    moved = download(page, "Moved figures (overlay)", tmp_path)
    overlay = site.folder / "counterfactuals" / "karabakh_attack_on_armenia.yaml"
    changes = ["--overlay", str(overlay), "--overlay", str(moved), "--params", str(tuned)]
    result = cli(
        "run", "karabakh_2020", *changes, "--runs", str(RUNS), "--seed", str(SEED), "--json"
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["parameters"]["w_sites"] == 6.1
    rus = next(d for d in report["decisions"] if d["guarantor"] == "RUS")
    assert f"{rus['p_honour']:.3f}" == on_page
    calls = page.locator(".sim-card").filter(has_text="Commitments called by")
    table = pd.read_csv(download(calls, "CSV", tmp_path))
    assert (
        f"{table.loc[table['decision'] == 'offensive_2020:RUS:ARM', 'P(honour)'].iloc[0]:.3f}"
        == on_page
    )
    why = page.locator(".sim-card").filter(has_text="Why? One decision")
    png = download(why, "PNG", tmp_path)
    assert png.suffix == ".png" and png.read_bytes()[:4] == b"\x89PNG"
    svg = download(why, "SVG", tmp_path)
    assert b"<svg" in svg.read_bytes()[:500]
    shot(page, "4-downloads")


def test_bad_values_get_a_message_and_the_page_lives_on(site):
    page = site.page
    before = shown_p(page).inner_text()
    inject(slider_root(page, "w_sites ="), "change", 99)
    refused = page.locator(".sim-refused")
    expect(refused).to_contain_text("w_sites: must be between 0 and 15", timeout=WAIT)
    inject(slider_root(page, "w_nuclear ="), "change", "lots")
    expect(refused).to_contain_text("w_nuclear: expected a finite number", timeout=WAIT)
    theatre = page.locator(".v-select").filter(has=page.locator("label", has_text="theatre"))
    inject(theatre.first, "input", "Atlantis")
    expect(refused).to_contain_text(
        "events.offensive_2020.theatre: expected a territory id", timeout=WAIT
    )
    shot(page, "5-refused")
    assert shown_p(page).inner_text() == before
    page.get_by_role("button", name="Step").click()
    expect(page.get_by_text("Period: 2020-10 (period 2 of 12)")).to_be_visible(timeout=WAIT)


def test_a_broken_scenario_gets_a_message(site):
    page = site.page
    pick(page, "Scenario", "broken")
    problem = page.locator(".sim-problem")
    expect(problem).to_contain_text("broken.yaml, line", timeout=WAIT)
    expect(problem).to_contain_text("states.RUS.power: input should be less than or equal to 1")
    expect(page.get_by_text("Period: -")).to_be_visible(timeout=WAIT)
    expect(page.locator(".sim-refused")).to_have_count(0)
    shot(page, "6-broken")
    pick(page, "Scenario", "karabakh_2020")
    expected = p_honour("karabakh_2020", [], "RUS")
    expect(shown_p(page)).to_contain_text(f"P(honour) = {expected}", timeout=WAIT)


def test_the_page_cannot_name_a_file_outside_the_folder(site):
    page = site.page
    select = page.locator(".v-select").filter(
        has=page.locator("label", has_text=re.compile("^Scenario$"))
    )
    inject(select, "input", "../../../../etc/passwd")
    expect(page.locator(".sim-problem")).to_contain_text(
        "expected the name of a scenario of the folder", timeout=WAIT
    )
    pick(page, "Scenario", "karabakh_2020")
    expect(shown_p(page)).to_be_visible(timeout=WAIT)


def test_the_replications_and_the_open_world(site):
    page = site.page
    page.get_by_role("tab", name="Replications").click()
    expect(page.get_by_text(f"P(honour) across {RUNS} runs")).to_be_visible(timeout=WAIT)
    expect(
        page.locator(".sim-card")
        .filter(has_text="Alliance survival beside ATOP's defence pacts")
        .locator("img")
    ).to_be_visible(timeout=WAIT)
    shot(page, "7-replications")
    assert page.evaluate(CLIPPED) == []
    page.get_by_role("tab", name="Open world").click()
    expect(page.get_by_text("The state system in 1914")).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("WorldWarI").first).to_be_visible(timeout=WAIT)
    page.get_by_role("button", name="▶").last.click()
    expect(page.get_by_text("The state system in 1915")).to_be_visible(timeout=WAIT)
    shot(page, "8-open-world")
    assert page.evaluate(CLIPPED) == []
    page.get_by_role("tab", name="The run").click()


def test_nothing_left_the_machine_and_nothing_failed(site):
    site.page.wait_for_timeout(1000)
    assert site.outside == [], "the page asked for something off this machine"
    assert site.failed == [], "a request failed"
    assert site.errors == [], "the page logged errors"
    noted = site.netguard.read_text() if site.netguard.exists() else ""
    assert noted == "", f"the server tried to reach off this machine:\n{noted}"
    assert "Traceback" not in site.log.read_text(), site.log.read_text()
