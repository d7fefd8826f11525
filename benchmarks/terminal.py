"""Run a program in a pseudo-terminal, as a user's terminal would, and time what it shows."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Sequence

SIZE = (120, 40)


def user_env() -> dict[str, str]:
    """This machine sets PYTHONDONTWRITEBYTECODE; an installed program has its .pyc."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return env | {"TERM": "xterm-256color"}


class Terminal:
    """A program on a pty of ``SIZE``; a thread reads its output all along and notes
    when each of ``marks`` first appears in it."""

    def __init__(self, argv: Sequence[str], marks: Sequence[str]) -> None:
        self._master, slave = pty.openpty()
        cols, rows = SIZE
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                                     env=user_env(), start_new_session=True)
        os.close(slave)
        self._output = bytearray()
        self._marks = [mark.encode() for mark in marks]
        self._seen: dict[bytes, float] = {}
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            ready, _, _ = select.select([self._master], [], [], 0.1)
            if not ready:
                if self.proc.poll() is not None:
                    return
                continue
            try:
                chunk = os.read(self._master, 1 << 16)
            except OSError:  # the program closed the terminal
                return
            if not chunk:
                return
            now = time.perf_counter() - self.started
            with self._changed:
                self._output += chunk
                for mark in self._marks:
                    if mark not in self._seen and mark in self._output:
                        self._seen[mark] = now
                self._changed.notify_all()

    def when(self, mark: str, timeout: float = 20.0) -> float:
        """Seconds from launch until ``mark`` (one of the marks) was first shown."""
        key = mark.encode()
        with self._changed:
            if not self._changed.wait_for(lambda: key in self._seen, timeout):
                raise TimeoutError(f"{mark!r} not shown within {timeout} s")
            return self._seen[key]

    def quit(self, keys: bytes = b"\x11", timeout: float = 5.0) -> None:
        """Ctrl+Q by default: every Textual app quits on it."""
        os.write(self._master, keys)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self._reader.join(1.0)
        os.close(self._master)
