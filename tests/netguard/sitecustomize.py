"""Imported by a Python started with this folder on PYTHONPATH (the web view's server in
tests/test_browser.py): refuse, and record in $NETGUARD_LOG, every name lookup and every
connection that would leave this machine, so that the test sees what the server tried.
"""

from __future__ import annotations

import ipaddress
import os
import sys
from typing import Any

LOG = os.environ.get("NETGUARD_LOG", "")
LOCAL_NAMES = {"localhost", "ip6-localhost", ""}


def local(host: Any) -> bool:
    """Whether a host names this machine (a loopback address, or no host at all)."""
    if host is None:
        return True
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(name.split("%")[0]).is_loopback
    except ValueError:
        return False


def guard(event: str, args: tuple[Any, ...]) -> None:
    """Audit hook: refuse lookups and connections off the machine, and note them."""
    if event == "socket.getaddrinfo":
        host = args[0]
    elif event == "socket.connect" and isinstance(args[1], tuple):
        host = args[1][0]
    else:
        return
    if local(host):
        return
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(f"{event} {host!r}\n")
    raise OSError(f"netguard: {event} of {host!r} refused (the test allows this machine only)")


if LOG:
    sys.addaudithook(guard)
