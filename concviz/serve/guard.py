"""Who may open a tab: the checks that keep other web pages and strangers out.

A class serves with ``--host 0.0.0.0``, so the app (which runs code and writes files
with ``s``) must answer only to the names of this machine (so a web page cannot reach
it by rebinding its own name to this address), only to pages it served itself (any
page open in the teacher's browser could otherwise open its websocket) and, off
loopback, only to browsers given the token that ``concviz serve`` printed.
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import secrets
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARDS = frozenset({"", "0.0.0.0", "::"})


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or name to listen on) lets in this machine only."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return False
    return all(ipaddress.ip_address(info[4][0].split("%")[0]).is_loopback for info in found)


def interface_addresses() -> list[str]:
    """Every IP address of this machine, IPv4 first, loopback last."""
    import psutil

    found = {
        entry.address.split("%")[0]
        for entries in psutil.net_if_addrs().values()
        for entry in entries
        if entry.family in (socket.AF_INET, socket.AF_INET6)
    }
    addresses = [ipaddress.ip_address(address) for address in found]
    addresses.sort(key=lambda a: (a.is_loopback, a.version, a.is_link_local, a))
    return [str(address) for address in addresses]


def own_names(host: str) -> frozenset[str]:
    """The names a browser may use to reach a server listening on ``host``."""
    names = {*LOOPBACK_NAMES, host.lower()}
    if is_loopback(host):
        return frozenset(names)
    if host in WILDCARDS:
        names.update(interface_addresses())
    else:
        with contextlib.suppress(OSError, UnicodeError):
            names.update(info[4][0].split("%")[0] for info in socket.getaddrinfo(host, None))
    names.update(name.lower() for name in (socket.gethostname(), socket.getfqdn()))
    return frozenset(names)


def host_name(authority: str) -> str:
    """The host part of a Host header or URL authority, lower case ("" if unreadable)."""
    try:
        return urlsplit(f"//{authority}").hostname or ""
    except ValueError:
        return ""


@dataclass(frozen=True)
class Guard:
    """The server's own names and, off loopback, the token every request must carry."""

    names: frozenset[str]
    token: str | None

    @classmethod
    def for_host(cls, host: str) -> Guard:
        return cls(own_names(host), None if is_loopback(host) else secrets.token_urlsafe(16))

    def host_ok(self, authority: str) -> bool:
        return host_name(authority) in self.names

    def origin_ok(self, origin: str | None, authority: str) -> bool:
        """A browser names the page that opens a websocket: it must be one of ours.

        No Origin means no browser (a script could send any Origin anyway); the token
        stands guard against those off loopback.
        """
        if origin is None:
            return True
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and parts.netloc.lower() == authority.lower()

    def token_ok(self, given: str | None) -> bool:
        if self.token is None:
            return True
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())
