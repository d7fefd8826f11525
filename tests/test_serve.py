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
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from concviz.cli import build_parser, main
from concviz.serve import app_command

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
    """``concviz serve`` on a free port with ``folder`` as its cwd, stopped with SIGTERM."""
    port = free_port()
    env = {**os.environ, "XDG_CONFIG_HOME": str(folder / "config")}  # leave the user's alone
    with open(folder / "serve.log", "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "concviz", "serve", "--port", str(port)],
            cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
        )
    try:
        deadline = time.monotonic() + 15
        while True:
            assert server.poll() is None, (folder / "serve.log").read_text()
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


def test_the_app_is_live_in_a_real_browser(tmp_path):
    """Click the page's Start, press s in it: the app saves its SVG in the server's cwd."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium (.ci/run does)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed: pip install -e '.[dev]'"
    )
    ours_before = {child.pid for child in psutil.Process().children(recursive=True)}
    frames: list[bytes] = []
    app_processes: list[psutil.Process] = []

    def wait_until(condition, what: str, seconds: float = 15) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            assert time.monotonic() < deadline, f"{what} within {seconds:g} s"
            page.wait_for_timeout(50)  # also delivers the websocket frames to `frames`

    with served(tmp_path) as (server, port), sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page()
            # Only this machine: the page also asks for a web font we must not fetch.
            page.route("**/*", lambda route: route.continue_()
                       if route.request.url.startswith(f"http://127.0.0.1:{port}/")
                       else route.abort())
            page.on("websocket", lambda ws: ws.on(
                "framereceived",
                lambda data: frames.append(data if isinstance(data, bytes) else data.encode()),
            ))
            # ?delay=1 makes textual-serve's page wait behind its Start overlay.
            page.goto(f"http://127.0.0.1:{port}/?delay=1")
            assert frames == []
            page.click("#start")
            wait_until(lambda: "concviz" in screen_text(frames), "the app drew its title")
            app_processes = psutil.Process(server.pid).children(recursive=True)
            assert any("concviz" in " ".join(p.cmdline()) for p in app_processes)

            page.focus(".xterm-helper-textarea")  # where xterm.js takes the keys
            page.keyboard.press("s")
            wait_until(lambda: [svg for svg in tmp_path.glob("*.svg")
                                if svg.read_text(encoding="utf-8").rstrip().endswith("</svg>")],
                       "the screenshot was saved")
            (svg,) = tmp_path.glob("*.svg")
            assert "concviz" in svg.read_text(encoding="utf-8")
            wait_until(lambda: f"Saved {svg.name}" in screen_text(frames),
                       "the page showed the screenshot's name")

            server.terminate()  # with the tab still open: the session ends, the app quits
            assert server.wait(timeout=15) == 0
        finally:
            browser.close()

    _, alive = psutil.wait_procs(app_processes, timeout=5)
    assert alive == [], "the served app outlived the server"
    ours_now = psutil.Process().children(recursive=True)
    _, alive = psutil.wait_procs([p for p in ours_now if p.pid not in ours_before], timeout=5)
    assert alive == [], f"left running: {[p.name() for p in alive]}"


def test_each_browser_tab_runs_this_concviz_with_the_chosen_theme():
    args = build_parser(with_demos=False).parse_args(["--theme", "light", "serve"])
    command = shlex.split(app_command(getattr(args, "theme", None)))
    assert command == [sys.executable, "-m", "concviz", "--theme", "light"]
    assert shlex.split(app_command()) == [sys.executable, "-m", "concviz"]
