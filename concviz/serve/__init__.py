"""``concviz serve``: the app in a web browser, one real app process per browser tab."""

from __future__ import annotations

import argparse
import errno
import shlex
import socket
import sys
from typing import TYPE_CHECKING

from concviz.commands.args import int_range

if TYPE_CHECKING:
    from aiohttp import web
    from textual_serve.server import Server

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}: this machine only; "
        "0.0.0.0 lets the whole network in)",
    )
    parser.add_argument(
        "--port",
        type=int_range(1, 65535),
        default=DEFAULT_PORT,
        help=f"port to listen on (default {DEFAULT_PORT})",
    )


def address_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on ``host:port``, or None.

    Checked before the server starts, so a taken port is one clear line rather than
    aiohttp's traceback. Binds the way asyncio's server will (SO_REUSEADDR, IPv6 only
    on IPv6 sockets), so a port in TIME_WAIT is not reported as taken.
    """
    try:
        addresses = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except (socket.gaierror, UnicodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        return f"cannot use host {host!r}: {reason}"
    for family, kind, proto, _, address in addresses:
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                sock.bind(address)
            except OSError as error:
                if error.errno == errno.EADDRINUSE:
                    return f"port {port} is already in use on {host}; choose another with --port"
                return f"cannot listen on {host}:{port}: {error.strerror or error}"
    return None


def app_command(theme: str | None = None) -> str:
    """The shell command textual-serve runs for each browser connection: this concviz."""
    command = [sys.executable, "-m", "concviz", *(["--theme", theme] if theme else [])]
    return shlex.join(command)


def make_server(host: str, port: int, theme: str | None = None) -> Server:
    """textual-serve's server, fixed for use beyond this machine and for a quick stop."""
    import asyncio  # with aiohttp: slow to import, so only when serving

    from textual_serve import server

    sessions: set[asyncio.Task] = set()

    class ConcvizServer(server.Server):
        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            """Point the page at the address the browser used, not the one we bound.

            With ``--host 0.0.0.0`` the page would otherwise tell every browser to open
            its websocket on ws://0.0.0.0, which only works on this machine.
            """
            self.public_url = f"{request.scheme}://{request.host}"
            return await super().handle_index(request)

        async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
            """One browser tab's session, remembered so that shutdown can end it."""
            task = asyncio.current_task()
            assert task is not None
            sessions.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                sessions.discard(task)

        async def on_shutdown(self, app: web.Application) -> None:
            """End every session (textual-serve then quits its app) so Ctrl+C is quick.

            Otherwise aiohttp waits for open websockets to finish by themselves, which
            took 25 s with one tab open.
            """
            for task in list(sessions):
                task.cancel()

    return ConcvizServer(app_command(theme), host=host, port=port, title="concviz")


def serve(args: argparse.Namespace) -> int:
    """Serve until interrupted; exit status 2 with one line when the address is unusable."""
    if problem := address_problem(args.host, args.port):
        print(f"concviz serve: error: {problem}", file=sys.stderr)
        return 2
    make_server(args.host, args.port, getattr(args, "theme", None)).serve()
    return 0
