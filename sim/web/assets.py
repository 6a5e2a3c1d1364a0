"""The front end's files: the npm packages the page loads, cached so that it needs no internet.

Solara's page loads its JavaScript and CSS through the server's asset proxy,
``/_solara/cdn/<package>@<version>/<file>``, which reads ``<cache>/<package>@<version>/<file>``
first and asks a CDN only on a miss. ``scripts/web_assets`` (run by the set-up) unpacks each
package of :func:`specs` from the npm registry into the cache; the server then starts only if
every one is there (:func:`missing`), and sends any miss to a closed local port
(:data:`NO_CDN`), never out of the machine.

An installed wheel carries the packages itself, in :data:`PACKAGED` (unpacked from npm when
the wheel was built); :func:`use_packaged` points the proxy at them when they are those the
installed Solara loads, so that ``pip install 'alliance-sim[web]'`` serves with no set-up.

Run as ``python -m sim.web.assets`` to print the cache folder and the packages, one a line.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

NO_CDN = "http://127.0.0.1:9/"
"""Where the proxy fetches a missing file from: the discard port, so a miss fails at once."""


PACKAGED = Path(__file__).parent / "frontend"
"""The front end inside an installed wheel (absent from a repository's checkout)."""


def use_packaged() -> bool:
    """Point Solara's asset proxy at the wheel's front end, if it holds every package needed.

    Returns whether it did; otherwise the proxy reads the environment's cache, as before.
    """
    from solara.server import settings

    if not PACKAGED.is_dir() or missing(PACKAGED):
        return False
    settings.assets.proxy_cache_dir = PACKAGED
    return True


def cache_dir() -> Path:
    """Return the folder Solara's asset proxy reads (``<prefix>/share/solara/cdn``)."""
    from solara.server import settings

    return Path(settings.assets.proxy_cache_dir)


def specs() -> list[str]:
    """Return the npm packages (``name@version``) the installed Solara's page loads."""
    from solara.server import server, settings

    template = (Path(server.__file__).parent / "templates" / "solara.html.j2").read_text()
    app = "solara-vuetify3-app" if server.vue3 else "solara-vuetify-app"
    bundle = sorted(set(re.findall(rf"@widgetti/{app}@[0-9][^/\"']*", template)))
    loader = sorted(set(re.findall(r"requirejs@[0-9][^/\"']*", template)))
    if len(bundle) != 1 or len(loader) != 1:
        raise RuntimeError(f"cannot read the front end's packages from {template!r:.60}")
    icons = settings.assets.fontawesome_path.strip("/").split("/")[0]
    return [bundle[0], icons, loader[0]]


def missing(cache: Path | None = None) -> list[str]:
    """Return the packages of :func:`specs` that the cache lacks (each has a package.json)."""
    folder = cache or cache_dir()
    return [spec for spec in specs() if not (folder / spec / "package.json").is_file()]


def main() -> int:
    """Print the cache folder, then the packages to unpack into it, one a line."""
    print(cache_dir())
    print("\n".join(specs()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
