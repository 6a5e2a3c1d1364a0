"""The wheel works by itself: built, installed in a fresh environment, it serves the web view.

The wheel is built from this checkout as ``pip install .`` builds it, installed without the
repository in sight (the test runs it from an empty folder), and its ``alliance-sim serve``
answers with every front-end file while every request that would leave the machine is
refused and noted (tests/netguard). The fresh environment borrows the test environment's
installed dependencies (numpy, Solara, ... and the widgets' Jupyter data files, but not
Solara's asset cache) so that the test needs no registry; alliance-sim itself and the front
end come from the wheel alone.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

pytest.importorskip("solara")

from sim.web import assets

WAIT = 180


def test_the_front_end_the_wheel_ships_is_the_one_the_installed_solara_loads():
    lock = (ROOT / "sim" / "web" / "frontend.txt").read_text().splitlines()
    assert [x for x in lock if x and not x.startswith("#")] == assets.specs()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Build the wheel from the checkout, as pip does, with the front end from the dev cache."""
    if assets.missing():
        pytest.skip("the front end is not cached here (scripts/web_assets)")
    out = tmp_path_factory.mktemp("dist")
    env = {**os.environ, "ALLIANCE_SIM_FRONTEND_FROM": str(assets.cache_dir())}
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
         "--quiet", "--wheel-dir", str(out)],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (found,) = out.glob("alliance_sim-*.whl")
    return found


def test_building_the_wheel_leaves_the_checkout_as_it_was(wheel):
    assert not (ROOT / "build").exists(), "pip install . left a build/ folder"
    assert not (ROOT / "sim" / "web" / "frontend").exists()


def test_the_wheel_holds_the_front_end_with_its_licences(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for spec in assets.specs():
        assert f"sim/web/frontend/{spec}/package.json" in names, spec
    assert "sim/web/frontend/LICENSES.md" in names
    assert not [n for n in names if n.endswith(".map")], "source maps are left out"
    assert "sim/scenarios/karabakh_2020.yaml" in names


def _fresh_environment(where: Path, wheel: Path) -> Path:
    """A new venv with the wheel installed, borrowing this environment's dependencies."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    python = where / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    Path(site, "borrowed.pth").write_text(sysconfig.get_path("purelib") + "\n")
    for data in ("etc/jupyter", "share/jupyter"):  # the widgets' data files pip installs with them
        if (Path(sys.prefix) / data).exists():
            (where / data).parent.mkdir(parents=True, exist_ok=True)
            (where / data).symlink_to(Path(sys.prefix) / data)
    assert not (where / "share" / "solara").exists(), "no front-end cache but the wheel's"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "--quiet", str(wheel)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    return where / "bin"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def test_the_installed_wheel_serves_the_page_with_nothing_from_outside(wheel, tmp_path):
    bin_dir = _fresh_environment(tmp_path / "venv", wheel)
    away = tmp_path / "elsewhere"
    away.mkdir()
    which = subprocess.run(
        [str(bin_dir / "python"), "-c", "import sim; print(sim.__file__)"],
        cwd=away, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert str(tmp_path / "venv") in which, "the wheel's own sim, not the checkout's"
    log, port = tmp_path / "netguard.log", _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tests" / "netguard"), "NETGUARD_LOG": str(log)}
    env.pop("ALLIANCE_SIM_SCENARIOS", None)
    server = subprocess.Popen(
        [str(bin_dir / "alliance-sim"), "serve", "karabakh_2020", "--port", str(port)],
        cwd=away, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline and server.poll() is None:
            try:
                if _get(url + "readyz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        assert server.poll() is None, server.stdout.read() if server.stdout else ""
        status, page = _get(url)
        assert status == 200 and b"solara" in page.lower()
        for spec in assets.specs():
            status, body = _get(f"{url}_solara/cdn/{spec}/package.json")
            assert status == 200 and spec.rsplit("@", 1)[0].encode() in body
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    assert not log.exists() or log.read_text() == "", log.read_text()
