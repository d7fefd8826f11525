"""Launch to first frame against a bare Textual app, and CPU while the demo animates.

Goals (issue 2): launch to first frame, median of 5, at most 1.3 times a bare Textual
app that shows one label; CPU at most 5 % of one core while the producer/consumer
pane animates for 20 s (measured three times in a row, median given).

Both run as a user runs them: the installed ``concviz`` command and ``python
bare_app.py``, each in a terminal (a 120x40 pty) whose output is read all along. The
first frame is the first output holding the app's text: "hello", or the
producer/consumer pane's title. concviz then adds the footer's keys and its other
two panes; the times of those are printed too.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import psutil
from terminal import Terminal

BARE = [sys.executable, str(Path(__file__).with_name("bare_app.py"))]
CONCVIZ = [str(Path(sys.executable).with_name("concviz"))]
PC_TITLE = "Producer / Consumer"
LATER = {"footer keys": "Run/Pause", "pool pane": "Process pool", "futures pane": "Futures ·"}
RUNS = 5
ANIMATE = 20.0
WINDOWS = 3


def launch(argv: list[str], first: str, later: dict[str, str]) -> dict[str, float]:
    """Seconds from launch to the first frame and to each of ``later``'s marks."""
    term = Terminal(argv, [first, *later.values()])
    try:
        times = {"first frame": term.when(first)}
        times |= {name: term.when(mark) for name, mark in later.items()}
    finally:
        term.quit()
    return times


def animate_cpu() -> list[float]:
    """CPU % of one core used by the whole app process in each of ``WINDOWS`` spans of
    ``ANIMATE`` s while one long run animates (this machine's speed wanders: one span
    alone has read from 4.3 % to 7.7 % for the same code)."""
    term = Terminal([*CONCVIZ, "run", "producer-consumer", "--items", "1000"], [PC_TITLE])
    shares = []
    try:
        term.when(PC_TITLE)
        time.sleep(2)  # past start-up
        app = psutil.Process(term.proc.pid)
        for _ in range(WINDOWS):
            before, t0 = app.cpu_times(), time.perf_counter()
            time.sleep(ANIMATE)
            after, t1 = app.cpu_times(), time.perf_counter()
            used = (after.user - before.user) + (after.system - before.system)
            shares.append(100 * used / (t1 - t0))
        assert term.proc.poll() is None, "the app ended before the measure did"
    finally:
        term.quit()
    return shares


def ms(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds) * 1000:4.0f} ms  (runs: " + \
        " ".join(f"{s * 1000:.0f}" for s in seconds) + ")"


def main() -> None:
    launch(BARE, "hello", {})  # each once first: .pyc written, files in the page cache
    launch(CONCVIZ, PC_TITLE, LATER)
    bare = [launch(BARE, "hello", {})["first frame"] for _ in range(RUNS)]
    ours = [launch(CONCVIZ, PC_TITLE, LATER) for _ in range(RUNS)]
    first = [run["first frame"] for run in ours]
    print(f"first frame, bare Textual app: {ms(bare)}")
    print(f"first frame, concviz:          {ms(first)}")
    for name in LATER:
        print(f"  then {name + ':':<21}      {ms([run[name] for run in ours])}")
    ratio = statistics.median(first) / statistics.median(bare)
    print(f"startup ratio: {ratio:.2f} (goal <= 1.3)")
    cpu = animate_cpu()
    print(f"CPU while animating, {WINDOWS} spans of {ANIMATE:.0f} s: median "
          f"{statistics.median(cpu):.1f} % of one core (spans: "
          + " ".join(f"{c:.1f}" for c in cpu) + ") (goal <= 5 %)")


if __name__ == "__main__":
    main()
