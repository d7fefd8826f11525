"""``concviz serve`` lets in only its own pages, its own names and, off loopback, its
token; it caps sessions and terminal sizes. All against 127.0.0.1 (aiohttp's client)."""

from __future__ import annotations

import shlex
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from concviz.serve import addresses
from concviz.serve.guard import LOOPBACK_NAMES, Guard, interface_addresses, own_names
from concviz.serve.server import ConcvizServer, Settings
from tests.helpers import until

FAKE_TAB = Path(__file__).with_name("fake_tab.py")


def settings(record: Path, token: str | None = None, max_sessions: int = 40) -> Settings:
    command = shlex.join([sys.executable, str(FAKE_TAB), str(record)])
    return Settings(command, Guard(LOOPBACK_NAMES, token), max_sessions, font_size=16)


@pytest.fixture
async def serving(tmp_path) -> AsyncIterator:
    """Start a server with the given settings; each is closed at the end."""
    clients: list[TestClient] = []

    async def start(**options) -> tuple[TestClient, ConcvizServer]:
        server = ConcvizServer(settings(tmp_path / "record", **options))
        client = TestClient(TestServer(server.make_app(), host="127.0.0.1"))
        await client.start_server()
        clients.append(client)
        return client, server

    yield start
    for client in clients:
        await client.close()


def recorded(tmp_path: Path) -> list[str]:
    path = tmp_path / "record"
    return path.read_text().splitlines() if path.exists() else []


async def test_a_foreign_host_header_gets_no_page(serving):
    client, _ = await serving()
    response = await client.get("/", headers={"Host": "evil.example"})
    assert response.status == 421
    assert "use the address concviz serve printed" in await response.text()
    page = await (await client.get("/")).text()
    # Every address in the page is a path on the server that sent it, whatever the Host.
    assert page == await (await client.get("/", headers={"Host": "localhost:1"})).text()
    assert 'src="/static/js/textual.js"' in page and "http" not in page.replace("https:", "")
    for path in ("/static/js/textual.js", "/ws"):
        assert (await client.get(path, headers={"Host": "evil.example:80"})).status == 421


async def test_a_page_from_another_site_cannot_open_a_tab(serving, tmp_path):
    client, _ = await serving()
    for origin in ("http://evil.example", "null", f"http://127.0.0.1:{client.port + 1}"):
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect("/ws", headers={"Origin": origin})
        assert refused.value.status == 403
    own = f"http://127.0.0.1:{client.port}"
    async with client.ws_connect("/ws", headers={"Origin": own}):
        await until(lambda: recorded(tmp_path), "the tab's app started")


async def test_off_loopback_the_page_and_the_websocket_need_the_token(serving, tmp_path):
    client, _ = await serving(token="s3cret")
    for query in ("", "?token=", "?token=s3cre", "?token=s3cret0"):
        response = await client.get(f"/{query}")
        assert response.status == 403
        assert "token" in await response.text()
    page = await (await client.get("/?token=s3cret")).text()
    assert 'data-session-websocket-url="/ws/s3cret"' in page
    for path in ("/ws", "/ws/wrong"):
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await client.ws_connect(path)
    assert recorded(tmp_path) == []
    async with client.ws_connect("/ws/s3cret"):
        await until(lambda: recorded(tmp_path), "the tab's app started")


def test_only_loopback_goes_without_a_token():
    assert Guard.for_host("127.0.0.1").token is None
    assert Guard.for_host("localhost").token is None
    wide = Guard.for_host("0.0.0.0")
    assert wide.token and len(wide.token) >= 20
    assert wide.token != Guard.for_host("0.0.0.0").token
    # A student reaches 0.0.0.0 by any of this machine's addresses, never another's.
    assert set(interface_addresses()) <= own_names("0.0.0.0")
    assert "evil.example" not in own_names("0.0.0.0")
    assert wide.host_ok("127.0.0.1:8000") and not wide.host_ok("evil.example:8000")


async def test_sessions_beyond_the_maximum_are_refused_with_a_reason(serving, tmp_path):
    client, server = await serving(max_sessions=1)
    async with client.ws_connect("/ws"):
        await until(lambda: recorded(tmp_path), "the first tab's app started")
        response = await client.get("/")
        assert response.status == 503
        assert "--max-sessions 1" in await response.text()
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect("/ws")
        assert refused.value.status == 503
    await until(lambda: not server.sessions, "the first tab ended")
    assert (await client.get("/")).status == 200


async def test_a_tab_cannot_ask_for_a_huge_terminal(serving, tmp_path):
    client, _ = await serving()
    async with client.ws_connect("/ws?width=1000&height=400") as socket:
        await until(lambda: recorded(tmp_path), "the tab's app started")
        await socket.send_json(["resize", {"width": 100000, "height": -5}])
        await socket.send_str("not json")  # ignored, as is any message that is none
        await socket.send_json(["resize", {"width": "wide"}])
        await socket.send_json(["resize", {"width": 120, "height": 40}])
        await until(lambda: len(recorded(tmp_path)) == 4, "the resizes arrived")
    assert recorded(tmp_path) == ["start 500x200", "resize 500x1", "resize 80x24",
                                  "resize 120x40"]


async def test_the_page_font_size_is_the_servers_unless_the_page_asks(serving):
    client, server = await serving()
    assert 'data-font-size="16"' in await (await client.get("/")).text()
    assert 'data-font-size="24"' in await (await client.get("/?fontsize=24")).text()
    assert 'data-font-size="72"' in await (await client.get("/?fontsize=999")).text()
    assert 'data-font-size="16"' in await (await client.get("/?fontsize=big")).text()


def test_the_printed_addresses_carry_the_token():
    assert addresses("127.0.0.1", 8000, None) == ["http://127.0.0.1:8000/"]
    assert addresses("::1", 8000, None) == ["http://[::1]:8000/"]
    wide = addresses("0.0.0.0", 8000, "s3cret")
    assert wide[-1] == "http://127.0.0.1:8000/?token=s3cret"  # the class's addresses first
    assert all(address.endswith(":8000/?token=s3cret") for address in wide)
