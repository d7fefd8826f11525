"""Run a program under the probe for a test: its events, its output, and control."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from concviz.probe.launch import command

CAP = 30.0  # seconds: a wait for what is guaranteed, never expected to take this long


class Probed:
    """A program under the probe with its stdout and stderr captured (``pass`` mode)."""

    def __init__(self, program: Path, *args: str, seed: int | None = None,
                 show: tuple[str, ...] = (), speed: float = 1.0,
                 output: str = "pass") -> None:
        events_read, events_write = os.pipe()
        self._control_read, self._control_write = os.pipe()
        argv = command(program, list(args), python=sys.executable, events_fd=events_write,
                       control_fd=self._control_read, output=output, seed=seed, show=show,
                       speed=speed)
        self.process = subprocess.Popen(argv, pass_fds=(events_write, self._control_read),
                                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, process_group=0)
        os.close(events_write)
        os.close(self._control_read)
        self.lines: list[dict[str, Any]] = []
        self._reader = threading.Thread(target=self._read, args=(events_read,), daemon=True)
        self._reader.start()

    def _read(self, fd: int) -> None:
        with os.fdopen(fd, "rb") as pipe:
            for line in pipe:
                self.lines.append(json.loads(line))

    @property
    def header(self) -> dict[str, Any]:
        return self.lines[0]

    @property
    def events(self) -> list[dict[str, Any]]:
        return self.lines[1:]

    def send(self, cmd: str, **fields: Any) -> None:
        os.write(self._control_write, (json.dumps({"cmd": cmd, **fields}) + "\n").encode())

    def wait_for(self, test: Callable[[dict[str, Any]], bool], after: int = 0) -> int:
        """The index in :attr:`events` of the first event from ``after`` on that passes."""
        deadline = time.monotonic() + CAP
        while time.monotonic() < deadline:
            events = self.events
            for index in range(after, len(events)):
                if test(events[index]):
                    return index
            time.sleep(0.005)
        raise AssertionError(f"no such event in {CAP} s; last: {self.events[-5:]}")

    def finish(self) -> tuple[int, str, str]:
        """Wait for the end: (exit status, stdout, stderr)."""
        try:
            stdout, stderr = self.process.communicate(timeout=CAP)
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, 9)
                self.process.wait()
            os.close(self._control_write)
        self._reader.join(CAP)
        return self.process.returncode, stdout.decode(), stderr.decode()

    def kinds(self, *kinds: str) -> list[dict[str, Any]]:
        return [event for event in self.events if event["kind"] in kinds]


def write(folder: Path, name: str, source: str) -> Path:
    path = folder / name
    path.write_text(source)
    return path
