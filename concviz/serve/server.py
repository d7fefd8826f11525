"""The web server of ``concviz serve``: its page, and one app process per websocket.

Built on aiohttp with textual-serve's parts (its terminal page script, font and
``AppService``, which runs one app process), not on its ``Server``: that one builds
the page's addresses from the request's Host header, asks Google for a font, opens
a websocket for any page and any terminal size, and logs a malformed request as a
55-line traceback.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import string
from dataclasses import dataclass
from pathlib import Path

import textual_serve
from aiohttp import WSMsgType, web
from aiohttp.http_exceptions import HttpProcessingError
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from concviz.serve import FONT_SIZES
from concviz.serve.guard import Guard

log = logging.getLogger("concviz.serve")
PAGE = string.Template((Path(__file__).parent / "page.html").read_text(encoding="utf-8"))
STATIC = Path(textual_serve.__file__).parent / "static"
# A tab asking for more cells than any screen shows only costs the app's time to draw.
MAX_WIDTH, MAX_HEIGHT = 500, 200
HEADERS = {
    # Belt and braces for the page's own rule (only this server's addresses), and no
    # other site may frame the page to catch a student's keys.
    "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}


@dataclass(frozen=True)
class Settings:
    command: str  # the shell command that runs one tab's app
    guard: Guard
    max_sessions: int
    font_size: int


def bounded(value: object, low: int, high: int, default: int) -> int:
    """``value`` as a whole number within [low, high]; ``default`` if it is none."""
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return default
    return max(low, min(high, number))


class ConcvizServer:
    """Serves the page and runs one app per websocket, at most ``max_sessions`` at once."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.sessions: set[web.WebSocketResponse] = set()
        self.downloads = DownloadManager()  # AppService needs one; concviz sends no files

    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.only_our_names])
        app.add_routes([
            web.get("/", self.page),
            web.get("/ws", self.websocket),
            web.get("/ws/{token}", self.websocket),
            web.static("/static", STATIC),
        ])
        app.on_shutdown.append(self.end_sessions)
        return app

    def refuse(self, request: web.Request, status: int, why: str) -> web.Response:
        log.warning("refused %s %s from %s: %s", request.method, request.path,
                    request.remote, why)
        return web.Response(status=status, text=f"concviz serve: {why}\n", headers=HEADERS)

    @web.middleware
    async def only_our_names(self, request: web.Request, handler) -> web.StreamResponse:
        """Answer only to this machine's names: a page whose own name was pointed at
        this address (DNS rebinding) gets nothing."""
        if not self.settings.guard.host_ok(request.host):
            return self.refuse(request, 421, f"this server is not {request.host[:100]!r}; "
                               "use the address concviz serve printed")
        return await handler(request)

    def full(self) -> str | None:
        most = self.settings.max_sessions
        if len(self.sessions) < most:
            return None
        return (f"{most} tabs are open already, as many as --max-sessions {most} allows; "
                "close one, then reload this page")

    async def page(self, request: web.Request) -> web.Response:
        guard = self.settings.guard
        if not guard.token_ok(request.query.get("token")):
            return self.refuse(request, 403, "this page needs the token: open the whole "
                               "address concviz serve printed, ?token=... included")
        if why := self.full():
            return self.refuse(request, 503, why)
        font_size = bounded(request.query.get("fontsize"), *FONT_SIZES, self.settings.font_size)
        websocket = "/ws" if guard.token is None else f"/ws/{guard.token}"
        body = PAGE.substitute(websocket_url=html.escape(websocket), font_size=font_size)
        return web.Response(text=body, content_type="text/html", headers=HEADERS)

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        guard = self.settings.guard
        origin = request.headers.get("Origin")
        if not guard.origin_ok(origin, request.host):
            return self.refuse(request, 403, f"a page from {origin[:100]!r} may not open a tab")
        if not guard.token_ok(request.match_info.get("token")):
            return self.refuse(request, 403, "wrong or missing token")
        if why := self.full():
            return self.refuse(request, 503, why)
        width = bounded(request.query.get("width"), 1, MAX_WIDTH, 80)
        height = bounded(request.query.get("height"), 1, MAX_HEIGHT, 24)
        socket = web.WebSocketResponse(heartbeat=15)
        self.sessions.add(socket)  # no await since full(): two tabs cannot take the last
        log.info("tab opened from %s (%d of at most %d)", request.remote,
                 len(self.sessions), self.settings.max_sessions)
        try:
            await socket.prepare(request)
            service = AppService(self.settings.command, write_bytes=socket.send_bytes,
                                 write_str=socket.send_str, close=socket.close,
                                 download_manager=self.downloads)
            try:  # a start that fails half-way still leaves no app behind
                await service.start(width, height)
                await relay(socket, service)
            finally:
                await service.stop()  # tells the app to quit, waits for its output to end
                await reap(service._process)  # AppService keeps its process to itself
        finally:
            self.sessions.discard(socket)
            log.info("tab from %s closed (%d open)", request.remote, len(self.sessions))
        return socket

    async def end_sessions(self, app: web.Application) -> None:
        """Close every tab's websocket (each session then quits its app), so that
        Ctrl+C is quick: aiohttp would wait for them to close by themselves."""
        await asyncio.gather(*(socket.close() for socket in list(self.sessions)))


async def reap(process: asyncio.subprocess.Process | None, grace: float = 5.0) -> None:
    """Wait for a tab's app to exit, killing it after ``grace`` seconds.

    AppService stops waiting when the app's output ends; without this the process
    could outlive the server, or be reaped after the event loop closed (a warning).
    """
    if process is None:
        return
    try:
        await asyncio.wait_for(process.wait(), grace)
    except TimeoutError:
        process.kill()
        await process.wait()


async def relay(socket: web.WebSocketResponse, service: AppService) -> None:
    """Pass the page's keys and sizes to the app; a message that is not one is ignored."""
    async for message in socket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(message.data)
        except ValueError:
            continue
        if not isinstance(envelope, list) or not envelope:
            continue
        kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(data, str):
            await service.send_bytes(data.encode("utf-8", "replace"))
        elif kind == "resize" and isinstance(data, dict):
            await service.set_terminal_size(
                bounded(data.get("width"), 1, MAX_WIDTH, 80),
                bounded(data.get("height"), 1, MAX_HEIGHT, 24),
            )
        elif kind == "ping" and isinstance(data, str):
            await socket.send_json(["pong", data])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()


class OneLineRequests(logging.Filter):
    """A malformed request is one line saying what was wrong, not aiohttp's traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError):
            detail = " ".join(str(error.message).split())[:200]
            record.msg, record.args = f"{record.getMessage()}: {detail}", ()
            record.exc_info = record.exc_text = None
        return True


def log_to_stderr() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("concviz serve: %(message)s"))
    handler.addFilter(OneLineRequests())
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
