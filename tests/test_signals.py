"""Quitting at any moment ends everything: SIGTERM and a closed terminal (SIGHUP)
end the real TUI in a real pseudo-terminal, with every child process gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import psutil
import pytest


def start_tui(*argv: str, config: str) -> tuple[subprocess.Popen, list[bytes]]:
    """The app in a pseudo-terminal; its output is drained so it never blocks."""
    master, slave = os.openpty()
    env = {**os.environ, "XDG_CONFIG_HOME": config, "TERM": "xterm-256color",
           "COLUMNS": "120", "LINES": "40"}
    proc = subprocess.Popen([sys.executable, "-m", "concviz", *argv], stdin=slave,
                            stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    seen: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            seen.append(chunk)

    threading.Thread(target=drain, daemon=True).start()
    return proc, seen


def wait_for(seen: list[bytes], text: bytes, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in b"".join(seen):
        assert time.monotonic() < deadline, f"{text!r} never appeared"
        time.sleep(0.05)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_mid_run_ends_the_app_and_its_children(signum, tmp_path):
    proc, seen = start_tui("run", "producer-consumer", "--items", "1000", config=str(tmp_path))
    wait_for(seen, b"Producer added")  # the demo's threads are running
    family = psutil.Process(proc.pid).children(recursive=True)
    proc.send_signal(signum)
    assert proc.wait(10) == 128 + signum
    gone, alive = psutil.wait_procs(family, timeout=2)
    assert not alive


def test_a_stuck_worker_thread_does_not_keep_concviz_alive():
    """A non-daemon thread that never ends (an executor worker gone wrong) must not
    make Python's shutdown wait forever once the app has quit."""
    code = (
        "import threading, sys\n"
        "from concviz.engine.reaper import exit_without_stragglers\n"
        "threading.Thread(target=threading.Event().wait).start()\n"
        "sys.exit(exit_without_stragglers(7, timeout=0.2))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], timeout=20)
    assert proc.returncode == 7
