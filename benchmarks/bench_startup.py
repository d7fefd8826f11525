"""Launch to first frame against a bare Textual app, and CPU while the demo animates.

Goals (issues 2 and 13): launch to first frame, median of 5, at most 1.3 times a bare
Textual app that shows one label; CPU at most 5 % of one core while the
producer/consumer program of 1000 items animates in its pane for 20 s (three spans in a
row, median given); at most 1 % once the dashboard's runs have ended.

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
PC_TITLE = "producer-consumer"
LATER = {"footer keys": "Pause/Resume", "pool pane": "Process pool",
         "futures pane": "futures ·"}
ENDED = "exited normally"
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


def cpu_shares(term: Terminal) -> list[float]:
    """CPU % of one core used by the whole app process in each of ``WINDOWS`` spans of
    ``ANIMATE`` s (this machine's speed wanders: one span alone has read from 4.3 % to
    7.7 % for the same code)."""
    app = psutil.Process(term.proc.pid)
    shares = []
    for _ in range(WINDOWS):
        before, t0 = app.cpu_times(), time.perf_counter()
        time.sleep(ANIMATE)
        after, t1 = app.cpu_times(), time.perf_counter()
        used = (after.user - before.user) + (after.system - before.system)
        shares.append(100 * used / (t1 - t0))
    assert term.proc.poll() is None, "the app ended before the measure did"
    return shares


def animate_cpu() -> list[float]:
    """While the producer/consumer program runs 1000 items under the probe, in its pane
    beside its code (``concviz run producer-consumer`` opens that pane on the watch
    screen; the program itself runs in its own process, not counted)."""
    term = Terminal([*CONCVIZ, "run", "producer-consumer", "--set", "ITEMS=1000"], [PC_TITLE])
    try:
        term.when(PC_TITLE)
        time.sleep(2)  # past start-up
        return cpu_shares(term)
    finally:
        term.quit()


def idle_cpu() -> list[float]:
    """The dashboard once its producer/consumer run has ended (the other panes wait for
    space): what the app costs when nothing moves."""
    term = Terminal(CONCVIZ, [PC_TITLE, ENDED])
    try:
        term.when(ENDED)
        time.sleep(2)  # the last redraws
        return cpu_shares(term)
    finally:
        term.quit()


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
    for what, shares, goal in (("while animating 1000 items", animate_cpu(), 5),
                               ("idle after the runs", idle_cpu(), 1)):
        print(f"CPU {what}, {WINDOWS} spans of {ANIMATE:.0f} s: median "
              f"{statistics.median(shares):.1f} % of one core (spans: "
              + " ".join(f"{c:.1f}" for c in shares) + f") (goal <= {goal} %)")


if __name__ == "__main__":
    main()
