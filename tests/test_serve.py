"""``concviz serve``: one clear line for a bad address, and the app live in a real browser."""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

import concviz
from concviz import config
from concviz.cli import build_parser, main
from concviz.serve import app_command

TREE = Path(concviz.__file__).parent.parent
CHROMIUM = "/usr/bin/chromium"  # Debian's: playwright downloads no browser here
# Escape sequences between the characters the app draws: CSI (colours, moves) and OSC.
ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def exit_status(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exit_info:
        return int(exit_info.code or 0)


def test_loopback_is_the_default():
    args = build_parser(with_demos=False).parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)


def test_a_taken_port_is_one_line_and_status_2():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "concviz", "serve", "--port", str(port)],
            capture_output=True, text=True, timeout=30,
        )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"concviz serve: error: port {port} is already in use on 127.0.0.1; "
        "choose another with --port"
    ]
    assert done.stdout == ""


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--port", "0"], "must be from 1 to 65535"),
        (["--port", "65536"], "must be from 1 to 65535"),
        (["--port", "http"], "expected a whole number"),
        (["--host", "192.0.2.1"], "cannot listen on 192.0.2.1:"),  # TEST-NET: never ours
    ],
)
def test_a_bad_address_is_one_line_and_status_2(argv, says, capsys):
    assert exit_status(["serve", *argv]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("concviz serve: error:") and says in err


@contextlib.contextmanager
def served(folder: Path) -> Iterator[tuple[subprocess.Popen, int]]:
    """``concviz serve`` on a free port with ``folder`` as its cwd, stopped with SIGTERM.

    Its output goes to serve.out and serve.err there, its config to config/.
    """
    port = free_port()
    env = {**os.environ, "XDG_CONFIG_HOME": str(folder / "config"),  # leave the user's alone
           "PYTHONPATH": str(TREE)}  # this tree's concviz, though it runs in ``folder``
    with open(folder / "serve.out", "wb") as out, open(folder / "serve.err", "wb") as err:
        server = subprocess.Popen(
            [sys.executable, "-m", "concviz", "serve", "--port", str(port)],
            cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
        )
    try:
        deadline = time.monotonic() + 15
        while True:
            assert server.poll() is None, (folder / "serve.err").read_text()
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)):
                break
            assert time.monotonic() < deadline, "the server did not listen within 15 s"
            time.sleep(0.05)
        yield server, port
    finally:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=15)
        server.kill()
        server.wait()


def screen_text(frames: list[bytes]) -> str:
    """What the app sent to the page's terminal, without its escape sequences."""
    return ESCAPES.sub(b"", b"".join(frames)).decode("utf-8", "replace")


def launch_chromium(playwright):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium (.ci/run does)")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ])


def test_the_app_is_live_in_a_real_browser(tmp_path):
    """The page starts the app by itself, its first key works without a click, it asks
    nothing of any other machine, and a tab's theme is its own: ``t`` then ``s`` save
    the SVG in the server's cwd and no config."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed: pip install -e '.[dev]'"
    )
    ours_before = {child.pid for child in psutil.Process().children(recursive=True)}
    frames: list[bytes] = []
    foreign: list[str] = []
    app_processes: list[psutil.Process] = []

    def wait_until(condition, what: str, seconds: float = 15) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            assert time.monotonic() < deadline, f"{what} within {seconds:g} s"
            page.wait_for_timeout(50)  # also delivers the websocket frames to `frames`

    def only_ours(route) -> None:
        """Every request the page makes: a foreign one is recorded and never sent."""
        if route.request.url.startswith(origin):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    def on_websocket(ws) -> None:
        if not ws.url.startswith(f"ws://127.0.0.1:{port}/"):
            foreign.append(ws.url)
        ws.on("framereceived",
              lambda data: frames.append(data if isinstance(data, bytes) else data.encode()))

    with served(tmp_path) as (server, port), sync_api.sync_playwright() as playwright:
        origin = f"http://127.0.0.1:{port}/"
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            page.route("**/*", only_ours)
            page.on("websocket", on_websocket)
            page.goto(origin)
            wait_until(lambda: "concviz" in screen_text(frames), "the app drew its title")
            assert page.evaluate("[...document.fonts].some(font => "
                                 "font.family.includes('Roboto Mono') && font.status == 'loaded')")
            app_processes = psutil.Process(server.pid).children(recursive=True)
            assert any("concviz" in " ".join(p.cmdline()) for p in app_processes)

            page.keyboard.press("t")  # no click first: the page gave the terminal the keys
            page.keyboard.press("s")
            wait_until(lambda: [svg for svg in tmp_path.glob("*.svg")
                                if svg.read_text(encoding="utf-8").rstrip().endswith("</svg>")],
                       "the screenshot was saved")
            (svg,) = tmp_path.glob("*.svg")
            assert "concviz" in svg.read_text(encoding="utf-8")
            wait_until(lambda: f"Saved {svg.name}" in screen_text(frames),
                       "the page showed the screenshot's name")
            # The app saves its theme on start and on t: a tab must not, or the next
            # tab would open in the theme this one chose.
            assert not (tmp_path / "config").exists()
            assert foreign == []

            server.terminate()  # with the tab still open: the session ends, the app quits
            assert server.wait(timeout=15) == 0
        finally:
            browser.close()

    _, alive = psutil.wait_procs(app_processes, timeout=5)
    assert alive == [], "the served app outlived the server"
    ours_now = psutil.Process().children(recursive=True)
    _, alive = psutil.wait_procs([p for p in ours_now if p.pid not in ours_before], timeout=5)
    assert alive == [], f"left running: {[p.name() for p in alive]}"


def test_a_malformed_request_is_one_line_in_the_log(tmp_path):
    garbage = [
        b"GET / HTTP/1.1\r\nBad Header\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: x\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(64),  # https to http
        b"GARBAGE\x00\x01\r\n\r\n",
    ]
    def logged() -> list[str]:
        return [line for name in ("serve.out", "serve.err")
                for line in (tmp_path / name).read_text().splitlines()]

    with served(tmp_path) as (_, port):
        for data in garbage:
            before = logged()
            with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                sock.sendall(data)
                # aiohttp logs the error before it answers, so the log is complete now.
                assert sock.recv(100).startswith(b"HTTP/1.0 400 Bad Request")
            added = list((Counter(logged()) - Counter(before)).elements())
            assert len(added) <= 1, added
            assert all(len(line) < 300 and "Traceback" not in line for line in added)
        assert any("Invalid header token" in line for line in logged())
        assert (tmp_path / "serve.out").read_text().splitlines()[1] == f"  http://127.0.0.1:{port}/"


def test_each_browser_tab_runs_this_concviz_with_the_chosen_theme():
    args = build_parser(with_demos=False).parse_args(["--theme", "light", "serve"])
    command = shlex.split(app_command(getattr(args, "theme", None)))
    tab = ["CONCVIZ_NO_SAVE=1", "exec", sys.executable, "-m", "concviz"]
    assert command == [*tab, "--theme", "light"]
    assert shlex.split(app_command()) == tab


def test_a_tab_saves_no_config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    config.save(theme="light")
    assert config.saved_theme() == "light"
    monkeypatch.setenv("CONCVIZ_NO_SAVE", "1")
    config.save(theme="textual-dark")
    assert config.saved_theme() == "light"


def test_serve_options_have_room_for_a_class():
    args = build_parser(with_demos=False).parse_args(["serve"])
    assert (args.max_sessions, args.font_size) == (40, 16)
    args = build_parser(with_demos=False).parse_args(
        ["serve", "--max-sessions", "30", "--font-size", "24"])
    assert (args.max_sessions, args.font_size) == (30, 24)


@pytest.mark.parametrize("argv", [["--max-sessions", "0"], ["--font-size", "200"]])
def test_bad_serve_options_are_one_line_and_status_2(argv, capsys):
    assert exit_status(["serve", *argv]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
