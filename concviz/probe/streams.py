"""The program's ``sys.stdout`` and ``sys.stderr``, reported as ``out`` events in order
with everything else, and (in ``pass`` mode) written through unchanged."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from concviz.probe.core import Probe


class ProbedStream:
    """Stands in for a text stream: ``write`` reports, everything else is the stream's."""

    def __init__(self, stream: TextIO, name: str, probe: Probe, passthrough: bool) -> None:
        self._stream = stream
        self._name = name
        self._probe = probe
        self._passthrough = passthrough

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            return self._stream.write(text)  # raises TypeError as the real one does
        written = self._stream.write(text) if self._passthrough else len(text)
        if text and self._probe.enabled:
            self._probe.emit("out", stream=self._name, text=text)
        return written

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._passthrough:
            self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def install(probe: Probe) -> None:
    passthrough = probe.output == "pass"
    sys.stdout = ProbedStream(sys.stdout, "stdout", probe, passthrough)  # type: ignore[assignment]
    sys.stderr = ProbedStream(sys.stderr, "stderr", probe, passthrough)  # type: ignore[assignment]


def restore() -> None:
    """In a forked child: the real streams (its writes reach its file descriptors)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if isinstance(stream, ProbedStream):
            setattr(sys, name, stream._stream)
