"""Every pool listing the code panel shows runs as shown: it compiles, and ruff's pyflakes
rules (``F``: undefined names, unused imports...) find nothing in it. (The thread
programs are files, run as they are: tests/test_programs.py.)"""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest

from concviz.engine.pool_runs import DEFAULT_N, EXECUTORS
from concviz.engine.workloads import WORKLOADS
from concviz.ui.listings import Listing, pool

RUFF = [sys.executable, "-m", "ruff"]  # a dev dependency: in the same environment


def shown() -> dict[str, Listing]:
    """Each listing concviz can show, under a name for the test's id."""
    listings = {}
    for workload, executor in itertools.product(WORKLOADS, EXECUTORS):
        listings[f"pool-{workload}-{executor}"] = pool.listing(
            workload, executor, DEFAULT_N[workload], (2, 4, 8))
    return listings


LISTINGS = shown()


@pytest.mark.parametrize("name", LISTINGS)
def test_every_listing_compiles_and_names_nothing_undefined(name, tmp_path):
    code = LISTINGS[name].code
    compile(code, name, "exec")
    path = tmp_path / "listing.py"
    path.write_text(code)
    found = subprocess.run(
        [*RUFF, "check", "--isolated", "--select", "F", "--output-format", "concise",
         "--no-cache", str(path)],
        capture_output=True, text=True, check=False)
    assert found.returncode == 0, f"{found.stdout}\n--- {name} ---\n{code}"


def test_the_check_catches_an_undefined_name(tmp_path):
    """The check above is not vacuous: the old primes listing's BLOCK is caught."""
    path = tmp_path / "listing.py"
    path.write_text("def f():\n    return BLOCK\n")
    found = subprocess.run([*RUFF, "check", "--isolated", "--select", "F", "--no-cache",
                            str(path)], capture_output=True, text=True, check=False)
    assert found.returncode == 1 and "F821" in found.stdout


@pytest.mark.parametrize(("name", "says"), [
    ("pool-square-pool", "Results: [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]"),
    ("pool-primes-threads", "Results: [114, 90, 83, 80,"),  # primes below 10_000 by 16ths
])
def test_a_listing_run_as_a_program_does_what_it_shows(name, says, tmp_path):
    """Run as a script, a listing does its work (a main() defined is also called)."""
    code = LISTINGS[name].code
    if name.startswith("pool-primes"):  # the same program on fewer numbers: seconds less
        code = code.replace("1_000_000", "10_000")
    path = tmp_path / "listing.py"
    path.write_text(code)
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                         timeout=60, check=False)
    assert ran.returncode == 0, ran.stderr
    assert says in ran.stdout, ran.stdout
