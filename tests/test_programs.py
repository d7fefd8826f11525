"""The catalogue's thread programs are plain Python: each runs with ``python3 FILE`` where
concviz cannot be imported, and prints the same kinds of line under the probe.

Each test runs its program bare and under the probe at once (they mostly sleep), so the
file takes about as long as its slowest programs, not twice their sum."""

from __future__ import annotations

import os
import pty
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from concviz.programs.catalogue import CATALOGUE, SEED, Entry, programs
from concviz.watch.programs import changed_source
from tests.probed import Probed

WITHIN = 60.0  # seconds: a bound for a program that ends, never expected to be reached
# -I: no PYTHONPATH, no script folder or current folder on the path; -S: no
# site-packages, where concviz is installed
BARE = (sys.executable, "-I", "-S")

THREAD_PROGRAMS = [entry for entry in programs()
                   if entry.section != SEED and not entry.processes]
ENDING = [entry for entry in THREAD_PROGRAMS if not entry.deadlock]
DEADLOCKING = [entry for entry in THREAD_PROGRAMS if entry.deadlock]

# Lines whose number depends on the threads' timing (how often a consumer finds the list
# empty, whether a wait() has to wait): left out when the two runs' lines are counted
VARYING = {
    "producer-consumer": ("found list empty",),
    # with no lock, a producer's and a consumer's prints may interleave (print writes
    # its text, then "\n"), which splits and joins lines differently in each run
    "producer-consumer-no-lock": ("found list empty", "removed", "added"),
    "condition": ("waits",),
    "queue": ("waits for",),
}


# What each program is there to show, as it prints it (the transcripts of the engine's
# demos once said these): a line of its bare run's stdout
SAYS = {
    "daemon": "plain: done",
    "producer-consumer": "Final list: []",
    "futures": "Factorial of 10 is 3628800",
    "lock": "Final balance: 9 (9 deposits)",
    "rlock": "clerk: release() raised RuntimeError: cannot release un-acquired lock",
    "semaphore": "the semaphore now lets 4 in at once, not 3",
    "bounded-semaphore": "buggy released its slot twice: ValueError: Semaphore released too "
                         "many times",
    "condition": "producer gave up: no notify in",  # phase 1: all three wait
    "event": "main: set(), start 2",
    "queue": "main: join() returned, all 9 jobs are done",
    "barrier": "barrier.broken is True",
    "thread-exception": "the hook saw 1 thread die: worker-2",
    "dead-lock-holder": "gave up after 2.0 s: the lock's owner died holding it",
}


def shape(line: str) -> str:
    """The line with its numbers as # and a printed list as [...]."""
    return re.sub(r"\[[^\]]*\]", "[...]", re.sub(r"\d+", "#", line))


def counted(entry: Entry, lines: list[str]) -> list[str]:
    """The shapes of the lines whose number does not depend on timing, sorted: the
    threads print in an order that does."""
    varying = VARYING.get(entry.name, ())
    return sorted(shape(line) for line in lines if not any(part in line for part in varying))


def test_concviz_is_not_importable_in_a_bare_run(tmp_path):
    done = subprocess.run([*BARE, "-c", "import concviz"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=WITHIN)
    assert done.returncode == 1
    assert "ModuleNotFoundError" in done.stderr


def printed(probed: Probed) -> list[str]:
    """The lines the program has printed so far under the probe, in the order they were
    finished. Each is joined from its own thread's ``out`` events: print() writes the
    text and the newline apart, and another thread may write in between."""
    unfinished: dict[int, str] = {}
    lines = []
    for event in probed.kinds("out"):
        if event["stream"] == "stdout":
            *finished, unfinished[event["tid"]] = (
                unfinished.get(event["tid"], "") + event["text"]).split("\n")
            lines += finished
    return lines


def passed_through(probed: Probed, stdout: str) -> bool:
    """The program's real stdout got what its ``out`` events tell (in pass mode), though
    maybe interleaved otherwise."""
    told = "".join(event["text"] for event in probed.kinds("out")
                   if event["stream"] == "stdout")
    return sorted(stdout) == sorted(told)


@pytest.mark.parametrize("entry", ENDING, ids=lambda entry: entry.name)
def test_runs_bare_and_prints_alike_under_the_probe(entry: Entry, tmp_path):
    bare = subprocess.Popen([*BARE, str(entry.path)], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    probed = Probed(entry.path)
    try:
        stdout, stderr = bare.communicate(timeout=WITHIN)
    finally:
        if bare.poll() is None:
            bare.kill()
            bare.wait()
    status, probed_stdout, probed_stderr = probed.finish()
    assert bare.returncode == 0, stderr
    assert status == 0, probed_stderr
    assert stdout.strip(), "it prints what happens"
    assert SAYS.get(entry.name, "") in stdout
    assert counted(entry, printed(probed)) == counted(entry, stdout.splitlines())
    assert passed_through(probed, probed_stdout)


# The producers and consumers as constants, every sleep a few milliseconds
MANY_FAST = {"ITEMS": "12", "PRODUCERS": "3", "CONSUMERS": "2", "PRODUCE_MIN": "0.001",
             "PRODUCE_MAX": "0.003", "CONSUME_MIN": "0.001", "CONSUME_MAX": "0.003"}
PC_LINE = re.compile(r"^(Producer-\d added \d+ \| List: \[[\d, ]*\]"
                     r"|Consumer-\d removed \d+ \| List: \[[\d, ]*\]"
                     r"|Consumer-\d found list empty(, producers done: stops)?"
                     r"|Final list: \[.*\])$")


def run_bare(name: str, knobs: dict[str, str], folder: Path) -> subprocess.CompletedProcess:
    """The catalogue program ``name`` with ``knobs`` changed, run bare."""
    path = folder / f"{name}.py"
    path.write_bytes(changed_source(CATALOGUE[name].path, knobs))
    return subprocess.run([*BARE, str(path)], cwd=folder, capture_output=True, text=True,
                          timeout=WITHIN)


def test_several_producers_and_consumers_hand_over_each_item_once(tmp_path):
    done = run_bare("producer-consumer", MANY_FAST, tmp_path)
    assert done.returncode == 0 and done.stderr == ""
    lines = done.stdout.splitlines()
    assert all(PC_LINE.match(line) for line in lines), lines  # each printed under the lock
    added = [int(line.split()[2]) for line in lines if " added " in line]
    removed = [int(line.split()[2]) for line in lines if " removed " in line]
    assert sorted(added) == sorted(removed) == list(range(12))  # once each, under the lock
    assert {line.split()[0] for line in lines if " added " in line} <= {
        "Producer-1", "Producer-2", "Producer-3"}
    assert lines[-1] == "Final list: []"


def test_without_the_lock_a_consumer_that_loses_the_race_dies_of_index_error(tmp_path):
    """Whether a race happens is timing; when one does, its only error is the pop's.
    (Its lines are not matched: with no lock, two threads' prints can interleave.)"""
    done = run_bare("producer-consumer-no-lock", {**MANY_FAST, "CONSUMERS": "4"}, tmp_path)
    assert done.returncode == 0  # the others go on and the program ends
    assert done.stdout.splitlines()[-1].startswith("Final list: ")
    for error in re.findall(r"^\w+Error.*$", done.stderr, re.M):
        assert error == "IndexError: pop from empty list"


def wait_until(read: Callable[[], list[str]], test: Callable[[list[str]], bool],
               what: str) -> list[str]:
    """The lines ``read()`` gives once they pass ``test``."""
    deadline = time.monotonic() + WITHIN
    while time.monotonic() < deadline:
        if test(lines := read()):
            return lines
        time.sleep(0.01)
    raise AssertionError(f"{what} not shown in {WITHIN} s; lines: {read()}")


def deadlocked(lines: list[str]) -> bool:
    """The last round shows T1 holding lock_a and T2 holding lock_b with neither holding
    both before: each holds the lock the other needs next, so neither can ever go on;
    and both have said they want it."""
    starts = [i for i, line in enumerate(lines) if line.startswith("Round ")]
    if not starts:
        return False
    round_ = lines[starts[-1]:]
    held = [i for i, line in enumerate(round_)
            if line in ("T1 holds lock_a", "T2 holds lock_b")]
    return (len(held) == 2 and not any("holds both" in line for line in round_[:max(held)])
            and {"T1 wants lock_b", "T2 wants lock_a"} <= set(round_))


def in_a_terminal(entry: Entry, folder: Path) -> tuple[subprocess.Popen, Callable[[], list[str]]]:
    """Run bare with stdout on a terminal, as a student would: Python then writes each
    line when printed (on a pipe it would keep them until the end, which never comes).
    Returns the process and a reader of its whole lines so far."""
    leader, follower = pty.openpty()
    popen = subprocess.Popen([*BARE, str(entry.path)], cwd=folder, stdin=subprocess.DEVNULL,
                             stdout=follower, stderr=subprocess.DEVNULL)
    os.close(follower)
    chunks: list[bytes] = []

    def read() -> None:
        with os.fdopen(leader, "rb", buffering=0) as terminal:
            while True:
                try:
                    chunk = terminal.read(4096)
                except OSError:  # EIO: the program is gone
                    return
                if not chunk:
                    return
                chunks.append(chunk)

    threading.Thread(target=read, daemon=True).start()
    return popen, lambda: b"".join(chunks).decode().replace("\r\n", "\n").split("\n")[:-1]


@pytest.mark.parametrize("entry", DEADLOCKING, ids=lambda entry: entry.name)
def test_deadlocks_bare_and_prints_alike_under_the_probe(entry: Entry, tmp_path,
                                                         monkeypatch):
    monkeypatch.setenv("PYTHONUNBUFFERED", "1")  # the probed child's stdout, as printed
    bare, read = in_a_terminal(entry, tmp_path)
    probed = Probed(entry.path)
    try:
        bare_lines = wait_until(read, deadlocked, "the deadlock, bare")
        # each holds the lock the other wants next: it can never end by itself
        assert bare.poll() is None, "it ended: no deadlock"
        probed_lines = wait_until(lambda: printed(probed), deadlocked,
                                  "the deadlock under the probe")
        assert probed.process.poll() is None, "it ended under the probe: no deadlock"
    finally:
        bare.kill()
        bare.wait()
        os.killpg(probed.process.pid, signal.SIGKILL)
        _, probed_stdout, _ = probed.finish()
    assert counted(entry, probed_lines) == counted(entry, bare_lines)
    assert passed_through(probed, probed_stdout)
