"""The producer/consumer code panel shows a whole program that runs as shown, with
plain python3, and prints what concviz's transcript prints."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from concviz.ui.listings.producer_consumer import listing

LINE = re.compile(r"^(Producer(-\d)? added \d+ \| List: \[[\d, ]*\]"
                  r"|Consumer(-\d)? removed \d+ \| List: \[[\d, ]*\]"
                  r"|Consumer(-\d)? found list empty"
                  r"|Final list: \[\])$")
FAST = (0.001, 0.003)


def run_listing(*args) -> subprocess.CompletedProcess:
    code = listing(*args).code
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd="/")


@pytest.mark.parametrize(("producers", "consumers"), [(1, 1), (3, 2)])
def test_the_locked_program_runs_as_shown_and_prints_the_transcript(producers, consumers):
    done = run_listing(True, 12, FAST, FAST, 0.002, producers, consumers)
    assert done.returncode == 0 and done.stderr == ""
    lines = done.stdout.splitlines()
    assert all(LINE.match(line) for line in lines), lines
    added = [int(line.split()[2]) for line in lines if " added " in line]
    removed = [int(line.split()[2]) for line in lines if " removed " in line]
    assert sorted(added) == sorted(removed) == list(range(12))  # shared count: once each
    assert lines[-1] == "Final list: []"
    if producers > 1:
        assert {line.split()[0] for line in lines if " added " in line} <= {
            "Producer-1", "Producer-2", "Producer-3"}


def test_the_lock_free_program_runs_as_shown():
    """Run bare, a consumer that loses the race dies of IndexError, as the pane says the
    seed's program would; the others go on and the program ends."""
    done = run_listing(False, 20, FAST, FAST, 0.002, 2, 4)
    assert done.stdout.splitlines()[-1].startswith("Final list: ")
    for error in re.findall(r"^\w+Error.*$", done.stderr, re.M):
        assert error == "IndexError: pop from empty list"
