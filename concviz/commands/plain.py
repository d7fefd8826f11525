"""Stream a running demo's events to stdout as transcript lines."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from concviz.engine.demo import Demo
from concviz.engine.events import Event

POLL = 0.02  # seconds between drains


def stream(
    demo: Demo,
    line_for: Callable[[Event], str | None],
    out: TextIO | None = None,
) -> list[Event]:
    """Run ``demo`` to the end, printing a line for each event that has one.

    Returns every event, for the caller's summary. Ctrl+C stops the demo and
    joins its threads before the interrupt goes on up.
    """
    out = out or sys.stdout
    events: list[Event] = []

    def flush() -> None:
        for event in demo.channel.drain(10_000):
            events.append(event)
            line = line_for(event)
            if line is not None:
                print(line, file=out, flush=True)

    demo.start()
    try:
        while not demo.finished.wait(POLL):
            flush()
        flush()
    except BaseException:
        demo.stop()
        raise
    return events
