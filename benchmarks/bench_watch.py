"""``concviz watch``: the probe's overhead, a lock-heavy program, start-up, and a flood.

Goals (the watch issue):
1. overhead: a seed program under ``concviz watch --plain --events /dev/null`` takes at
   most 1.10 times its bare wall time (ques.4 and ques.7; median of 5 paired runs). The
   probe alone (its launch line, no concviz CLI) is timed too, to tell the CLI's
   start-up from the probe's cost.
2. lock-heavy: 4 threads x 100,000 ``with lock: counter += 1`` at most 3.0 times bare;
   how many events reach the stream and how many lock pairs were folded (``coalesced``).
3. start: ``concviz watch seed:ques4`` to its first frame at most 1.5 times the
   dashboard's (``concviz``), in a 120x40 pty, median of 5.
4. flood: two threads take one lock as fast as they can, forever, watched in the TUI: a
   key shows its change within 200 ms (10 presses of each of two keys, median and max;
   the same keys on a program that only waits, to hold them against), and concviz's
   memory stays bounded (RSS each second for 30 s). Also: how many acquisitions a second
   the program makes bare and under the probe, and how many reach the stream and the
   screen's state.

Every program runs as a user runs it: the installed ``concviz`` command, with .pyc files
(see terminal.user_env). The bare runs call ``random.seed(1)`` before the program (via
runpy, ~2 ms) and the watched ones get ``--seed 1``: ques.4 sleeps random times, and the
same seed makes both sleep the same, so the pair's difference is concviz's alone.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
from bench_startup import launch
from terminal import Terminal, user_env

from concviz.probe.launch import command
from concviz.ui.beat import EVERY as BEAT  # the watch screen redraws its state on it

HERE = Path(__file__).parent
SEED = HERE.parent / "concviz" / "programs" / "seed"
QUES4 = SEED / "ques4_producer_consumer.py"
QUES7 = SEED / "ques7_futures.py"
LOCK_HEAVY = HERE / "programs" / "lock_heavy.py"
FLOOD = HERE / "programs" / "flood.py"
IDLE = HERE / "programs" / "idle.py"
CONCVIZ = str(Path(sys.executable).with_name("concviz"))
SEEDED = ("import random, runpy, sys; random.seed(1); sys.argv = sys.argv[1:]; "
          "runpy.run_path(sys.argv[0], run_name='__main__')")
RUNS = 5
HEAVY_RUNS = 5
# Marks: the dashboard's first frame (bench_startup's), and the watch screen's: the title
# of its locks box, drawn in its first frame; then the probe's header read (the status
# line says running, and the code panel shows the file, in the same frame).
DASHBOARD = "producer-consumer"  # the dashboard's first pane's title
WATCH_FIRST = "Locks, queues and friends"
WATCH_LATER = {"status running": "▶ running"}
SPEED_KEYS = "+++--++--+"  # x2 4 10 4 2 4 10 4 2 4: each press changes the chip
SPEEDS = (1.0, 2.0, 4.0, 10.0)  # the screen's steps from x1 up
RSS_SECONDS = 30
FLOOD_BARE_SECONDS = 2.0
HELP = "Help · every key"  # the help screen's title
TAKEN = re.compile(rb"taken (\d+) times")


# -- 1 and 2: wall times of whole runs ------------------------------------------------


def run(argv: list[str], **popen: object) -> float:
    """Seconds from start to exit of ``argv``, its stdout to /dev/null."""
    started = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env=user_env(), **popen)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{argv} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return took


def bare(program: Path) -> float:
    return run([sys.executable, "-c", SEEDED, str(program)])


def watched(program: Path, events: str = "/dev/null") -> float:
    return run([CONCVIZ, "watch", "--plain", "--events", events, "--seed", "1", str(program)])


def probe_alone(program: Path) -> float:
    """The program under the probe as concviz launches it, without concviz: events to
    /dev/null; the control pipe stays open until the end (its closing ends the program)."""
    control_read, control_write = os.pipe()
    events = os.open(os.devnull, os.O_WRONLY)
    try:
        argv = command(program, [], python=sys.executable, events_fd=events,
                       control_fd=control_read, seed=1)
        return run(argv, pass_fds=(events, control_read))
    finally:
        for fd in (control_read, control_write, events):
            os.close(fd)


def ratio_line(name: str, runs: dict[str, list[float]], goal: float) -> str:
    base = runs["bare"]
    lines = [f"{name}: median of {len(base)} paired runs"]
    for kind, times in runs.items():
        extra = "" if kind == "bare" else \
            f"  extra {statistics.median(t - b for t, b in zip(times, base, strict=True)):+.3f} s"
        lines.append(f"  {kind:<8} {statistics.median(times):7.3f} s{extra}  (runs: "
                     + " ".join(f"{t:.3f}" for t in times) + ")")
    for kind in runs:
        if kind != "bare":
            ratio = statistics.median(t / b for t, b in zip(runs[kind], base, strict=True))
            lines.append(f"  ratio {kind}/bare: {ratio:.2f} (goal <= {goal:.2f})")
    return "\n".join(lines)


def overhead() -> None:
    for warm in (bare, probe_alone, watched):  # .pyc written, files in the page cache
        warm(QUES7)
    for program in (QUES4, QUES7):
        runs: dict[str, list[float]] = {"bare": [], "probe": [], "watched": []}
        for index in range(RUNS):  # the order alternates: neither side always goes first
            order = list(runs) if index % 2 == 0 else list(reversed(runs))
            for kind in order:
                measure = {"bare": bare, "probe": probe_alone, "watched": watched}[kind]
                runs[kind].append(measure(program))
        print(ratio_line(f"overhead, {program.name}", runs, 1.10))
    print("  (probe: the probe's launch line alone; watched: concviz watch --plain "
          "--events /dev/null)")


def stream_counts(path: Path) -> dict[str, int]:
    """Events in a trace file, and the lock pairs its ``coalesced`` events fold."""
    counts = {"events": 0, "acquired": 0, "coalesced": 0, "folded pairs": 0}
    with path.open() as trace:
        next(trace)  # the header
        for line in trace:
            event = json.loads(line)
            counts["events"] += 1
            if event["kind"] == "acquired":
                counts["acquired"] += 1
            elif event["kind"] == "coalesced":
                counts["coalesced"] += 1
                counts["folded pairs"] += event["times"]
    return counts


def lock_heavy() -> None:
    runs: dict[str, list[float]] = {"bare": [], "watched": []}
    with tempfile.TemporaryDirectory(prefix="bench-watch-") as folder:
        trace = Path(folder) / "events.jsonl"
        for _ in range(HEAVY_RUNS):
            runs["bare"].append(bare(LOCK_HEAVY))
            runs["watched"].append(watched(LOCK_HEAVY, str(trace)))
        counts = stream_counts(trace)
    print(ratio_line("lock-heavy, 4 threads x 100,000 `with lock`", runs, 3.0))
    pairs = counts["acquired"] + counts["folded pairs"]
    print(f"  stream of the last watched run: {counts['events']:,} events, of them "
          f"{counts['acquired']:,} acquired (pairs kept whole) and {counts['coalesced']:,} "
          f"coalesced folding {counts['folded pairs']:,} pairs "
          f"({100 * counts['folded pairs'] / max(pairs, 1):.0f} % of {pairs:,} acquisitions)")


# -- 3 and 4: the TUI in a terminal ---------------------------------------------------


class Screen(Terminal):
    """A terminal whose later output can be waited for too: after a key, the first
    output from a given point on holding a text."""

    def offset(self) -> int:
        with self._changed:
            return len(self._output)

    def shows(self, text: str, since: int, timeout: float = 10.0) -> float:
        """The perf_counter time ``text`` appeared in the output after ``since``."""
        key = text.encode()
        with self._changed:
            if not self._changed.wait_for(lambda: self._output.find(key, since) >= 0,
                                          timeout):
                raise TimeoutError(f"{text!r} not shown within {timeout} s")
            return time.perf_counter()

    def press(self, key: bytes) -> float:
        """Type ``key``; the perf_counter time it was sent."""
        sent = time.perf_counter()
        os.write(self._master, key)
        return sent

    def last_taken(self) -> int:
        """The last "taken N times" the lock box drew."""
        with self._changed:
            found = TAKEN.findall(self._output[-200_000:])
        return int(found[-1]) if found else 0


def ms(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds) * 1000:4.0f} ms  (runs: " + \
        " ".join(f"{s * 1000:.0f}" for s in seconds) + ")"


def start() -> None:
    watch = [CONCVIZ, "watch", "seed:ques4"]
    launch([CONCVIZ], DASHBOARD, {})  # each once first: .pyc written, page cache warm
    launch(watch, WATCH_FIRST, WATCH_LATER)
    dashboard, ours = [], []
    for _ in range(RUNS):  # alternating
        dashboard.append(launch([CONCVIZ], DASHBOARD, {})["first frame"])
        ours.append(launch(watch, WATCH_FIRST, WATCH_LATER))
    first = [times["first frame"] for times in ours]
    print(f"first frame, concviz (dashboard):      {ms(dashboard)}")
    print(f"first frame, concviz watch seed:ques4: {ms(first)}")
    for name in WATCH_LATER:
        print(f"  then {name + ':':<16}                  {ms([t[name] for t in ours])}")
    ratio = statistics.median(first) / statistics.median(dashboard)
    print(f"start ratio watch/dashboard: {ratio:.2f} (goal <= 1.5)")


def flood_rates() -> tuple[float, float, float]:
    """Lock acquisitions a second: bare (the program counts), under the probe (the
    program counts), and reaching the event stream (``--plain --events``)."""
    done = subprocess.run([sys.executable, str(FLOOD), str(FLOOD_BARE_SECONDS)],
                          capture_output=True, env=user_env(), check=True)
    bare_rate = float(done.stdout)
    with tempfile.TemporaryDirectory(prefix="bench-watch-") as folder:
        trace = Path(folder) / "events.jsonl"
        done = subprocess.run([CONCVIZ, "watch", "--plain", "--events", str(trace),
                               str(FLOOD), str(FLOOD_BARE_SECONDS)],
                              capture_output=True, env=user_env(), check=True)
        counts = stream_counts(trace)
    streamed = (counts["acquired"] + counts["folded pairs"]) / FLOOD_BARE_SECONDS
    return bare_rate, float(done.stdout), streamed


@contextlib.contextmanager
def rss_sampled(pid: int, samples: list[tuple[int, int]]) -> Iterator[None]:
    """Append (concviz's RSS, its children's RSS) once a second, ``RSS_SECONDS`` times,
    while the block runs; the block ends when the sampling has ended too."""
    app = psutil.Process(pid)

    def sample() -> None:
        begin = time.perf_counter()
        for second in range(RSS_SECONDS):
            children = sum(child.memory_info().rss for child in app.children(recursive=True))
            samples.append((app.memory_info().rss, children))
            time.sleep(max(0.0, begin + second + 1 - time.perf_counter()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    yield
    sampler.join()


def key_presses(term: Screen) -> tuple[list[float], list[float]]:
    """Seconds until each press shows: ``?`` (help opens: its title), then, help closed
    and the screen given a moment, each of ``SPEED_KEYS`` (the status line's speed chip,
    a new one each press; the watch screen redraws it at once, the rest on its beat)."""
    helps, speeds = [], []
    speed = 1.0
    for index, key in enumerate(SPEED_KEYS):
        since = term.offset()
        pressed = term.press(b"?")
        helps.append(term.shows(HELP, since) - pressed)
        term.press(b"?")  # closes it
        # The last output came on a beat: a fixed pause would press each key at the same
        # moment of the next. Spread over the beat, as a user's keys come at any moment.
        time.sleep(0.5 + BEAT * index / len(SPEED_KEYS))
        speed = SPEEDS[SPEEDS.index(speed) + (1 if key == "+" else -1)]
        since = term.offset()
        pressed = term.press(key.encode())
        speeds.append(term.shows(f"sleeps x{speed:g} (concviz)", since) - pressed)
    return helps, speeds


def print_keys(helps: list[float], speeds: list[float]) -> None:
    for name, times in (("? opens help", helps), ("+/- speed chip", speeds)):
        print(f"  key to screen, {name + ':':<16} {ms(times)}  max {max(times) * 1000:.0f} ms "
              f"(goal <= 200 ms)")


def idle_keys() -> None:
    term = Screen([CONCVIZ, "watch", str(IDLE)], ["▶ running"])
    try:
        term.when("▶ running")
        helps, speeds = key_presses(term)
    finally:
        term.quit()
    print(f"keys while watching {IDLE.name} (one thread waiting: next to nothing to draw):")
    print_keys(helps, speeds)


def flood() -> None:
    bare_rate, probed_rate, streamed = flood_rates()
    print(f"flood, 2 threads on one lock: bare {bare_rate:,.0f} acquisitions/s (the program "
          f"counts, {FLOOD_BARE_SECONDS:g} s); under the probe (--plain --events FILE) it "
          f"makes {probed_rate:,.0f}/s, and {streamed:,.0f}/s reach the stream (each an "
          f"acquired and a release event, or a pair folded into a coalesced one)")
    term = Screen([CONCVIZ, "watch", str(FLOOD)], ["taken "])  # the lock box is drawn
    samples: list[tuple[int, int]] = []
    try:
        term.when("taken ")
        app = psutil.Process(term.proc.pid)
        program = app.children()[0]
        cpu0 = [sum(process.cpu_times()[:2]) for process in (app, program)]
        with rss_sampled(term.proc.pid, samples):
            taken0, t0 = term.last_taken(), time.perf_counter()
            helps, speeds = key_presses(term)
        taken1, t1 = term.last_taken(), time.perf_counter()
        cpu1 = [sum(process.cpu_times()[:2]) for process in (app, program)]
        assert term.proc.poll() is None, "concviz ended before the measure did"
    finally:
        term.quit()
    concviz_cpu, program_cpu = (100 * (b - a) / (t1 - t0) for a, b in zip(cpu0, cpu1,
                                                                          strict=True))
    print(f"  reaching the screen's state (its lock box's count): "
          f"{(taken1 - taken0) / (t1 - t0):,.0f} acquisitions/s over {t1 - t0:.0f} s; CPU: "
          f"concviz {concviz_cpu:.0f} %, the program {program_cpu:.0f} % of one core")
    print_keys(helps, speeds)
    mb = [(app / 2**20, child / 2**20) for app, child in samples]
    for name, column in (("concviz", 0), ("program", 1)):
        values = [row[column] for row in mb]
        print(f"  RSS of {name:<8} each second for {len(values)} s: first {values[0]:.0f} MB, "
              f"max {max(values):.0f} MB, last {values[-1]:.0f} MB (goal: bounded); every 5 s: "
              + " ".join(f"{value:.0f}" for value in values[::5]))


def load() -> str:
    """Other work on the machine moves every figure here: say how much there was."""
    return f"{os.cpu_count()} cores, 1-minute load average {os.getloadavg()[0]:.1f}"


def main() -> None:
    print(f"machine at the start: {load()}")
    overhead()
    lock_heavy()
    start()
    idle_keys()
    flood()
    print(f"machine at the end: {load()}")


if __name__ == "__main__":
    main()
