"""``concviz serve``: the app in a web browser, one real app process per browser tab."""

from __future__ import annotations

import argparse
import errno
import shlex
import socket
import sys

from concviz import config
from concviz.commands.args import int_range

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_SESSIONS = 40
DEFAULT_FONT_SIZE = 16
FONT_SIZES = (8, 72)  # pixels: from a phone held close to a projector at the back


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}: this machine only; "
        "0.0.0.0 lets in the whole network, with the token in the address it prints)",
    )
    parser.add_argument(
        "--port",
        type=int_range(1, 65535),
        default=DEFAULT_PORT,
        help=f"port to listen on (default {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--max-sessions",
        type=int_range(1, 1000),
        default=DEFAULT_MAX_SESSIONS,
        metavar="N",
        help=f"browser tabs served at once (default {DEFAULT_MAX_SESSIONS}); each runs its "
        "own concviz, about 44 MB of memory",
    )
    parser.add_argument(
        "--font-size",
        type=int_range(*FONT_SIZES),
        default=DEFAULT_FONT_SIZE,
        metavar="N",
        help=f"text size in the page, in pixels (default {DEFAULT_FONT_SIZE}; 24 reads well "
        "on a 1920x1080 projector); a page's ?fontsize=N overrides it",
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
    """The shell command textual-serve runs for each browser tab: this concviz.

    ``CONCVIZ_NO_SAVE=1`` keeps a tab's ``t`` to that tab: the tabs share one user's
    config, and the next tab would otherwise open in the theme another one chose.
    ``exec``: the app replaces the shell, so it is the process the server stops.
    """
    command = [sys.executable, "-m", "concviz", *(["--theme", theme] if theme else [])]
    return shlex.join([f"{config.NO_SAVE}=1", "exec", *command])


def addresses(host: str, port: int, token: str | None) -> list[str]:
    """The addresses to give the class: the one typed, or with 0.0.0.0 each of ours."""
    from concviz.serve.guard import WILDCARDS, interface_addresses

    hosts = [a for a in interface_addresses() if ":" not in a] if host in WILDCARDS else [host]
    query = f"?token={token}" if token else ""
    return [f"http://{f'[{h}]' if ':' in h else h}:{port}/{query}" for h in hosts]


def serve(args: argparse.Namespace) -> int:
    """Serve until interrupted; exit status 2 with one line when the address is unusable."""
    if problem := address_problem(args.host, args.port):
        print(f"concviz serve: error: {problem}", file=sys.stderr)
        return 2
    import asyncio  # with aiohttp: slow to import, so only when serving
    import signal

    from aiohttp import web
    from aiohttp.web_runner import GracefulExit

    from concviz.serve.guard import Guard
    from concviz.serve.server import ConcvizServer, Settings, log_to_stderr

    guard = Guard.for_host(args.host)
    command = app_command(getattr(args, "theme", None))
    server = ConcvizServer(Settings(command, guard, args.max_sessions, args.font_size))
    log_to_stderr()
    where = addresses(args.host, args.port, guard.token)
    print("concviz serve: each browser tab runs its own concviz on this machine. Open:",
          *where, sep="\n  ")
    if guard.token:
        print("The token in the address keeps out anyone not given it.")
    print("Ctrl+C stops the server and every tab's app.", flush=True)

    def stop() -> None:
        raise GracefulExit

    loop = asyncio.new_event_loop()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # SIGHUP: window closed
        loop.add_signal_handler(signum, stop)
    web.run_app(server.make_app(), host=args.host, port=args.port, loop=loop,
                handle_signals=False, access_log=None, print=None)
    return 0
