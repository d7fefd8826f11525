"""Launch-to-first-frame against a bare Textual app, and CPU while the demo animates.

Goals (issue 2): median startup ratio <= 1.3; CPU <= 5 % of one core while the
producer/consumer pane animates for 20 s. Apps run headless at 120x40.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil

CHILD = Path(__file__).with_name("first_frame.py")
RUNS = 5
ANIMATE = 20.0


def first_frame(which: str) -> float:
    """Wall seconds from spawning the interpreter to its app's first frame."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(CHILD), which], stdout=subprocess.PIPE, text=True)
    proc.stdout.readline()
    elapsed = time.perf_counter() - started
    proc.wait(30)
    return elapsed


def animate_cpu() -> float:
    """CPU % of one core used by the whole app process while the demo runs."""
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), "concviz", "--hold", str(ANIMATE + 3)],
        stdout=subprocess.PIPE, text=True,
    )
    proc.stdout.readline()
    time.sleep(2)  # past start-up
    ps = psutil.Process(proc.pid)
    before, t0 = ps.cpu_times(), time.perf_counter()
    time.sleep(ANIMATE)
    after, t1 = ps.cpu_times(), time.perf_counter()
    proc.wait(30)
    used = (after.user - before.user) + (after.system - before.system)
    return 100 * used / (t1 - t0)


def main() -> None:
    first_frame("bare")  # warm the disk cache for both
    first_frame("concviz")
    bare = [first_frame("bare") for _ in range(RUNS)]
    ours = [first_frame("concviz") for _ in range(RUNS)]
    ratio = statistics.median(ours) / statistics.median(bare)
    print(f"first frame, bare Textual app: median {statistics.median(bare) * 1000:.0f} ms")
    print(f"first frame, concviz:          median {statistics.median(ours) * 1000:.0f} ms")
    print(f"startup ratio: {ratio:.2f} (goal <= 1.3)")
    cpu = animate_cpu()
    print(f"CPU while animating {ANIMATE:.0f} s: {cpu:.1f} % of one core (goal <= 5 %)")


if __name__ == "__main__":
    main()
