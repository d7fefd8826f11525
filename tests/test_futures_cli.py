"""``concviz run futures --plain``: the seed's lines in completion order, then both orders."""

from __future__ import annotations

import math
import re

import pytest

from concviz.cli import main
from tests.helpers import demo_children

RESULT = re.compile(r"^Factorial of (\d+) (?:is (\d+)|failed: (.+))$")


def run(capsys, *options: str) -> tuple[list[tuple[int, str, str]], list[str], str]:
    """The result lines as (n, result, error), the order table, the summary line."""
    assert main(["run", "futures", "--plain", "--speed", "10", *options]) == 0
    lines = capsys.readouterr().out.splitlines()
    results = [RESULT.match(line) for line in lines]
    found = [(int(m[1]), m[2] or "", m[3] or "") for m in results if m]
    table = lines[len(found):-1]
    assert all(results[: len(found)])  # the results come first, then the table
    return found, table, lines[-1]


def test_plain_prints_each_factorial_in_completion_order(capsys):
    found, table, summary = run(capsys, "--seed", "1")
    assert sorted(n for n, _, _ in found) == list(range(1, 11))
    assert all(int(result) == math.factorial(n) for n, result, _ in found)
    assert table[0].split() == ["#", "submitted", "completed"]
    rows = [row.split() for row in table[1:]]
    assert [int(r[0]) for r in rows] == [int(r[1]) for r in rows] == list(range(1, 11))
    assert [int(r[2]) for r in rows] == [n for n, _, _ in found]  # side by side
    assert summary.startswith("Summary: 10 futures on 4 thread workers, delay random: "
                              "10 results, 0 failed, 0 cancelled;")


def test_a_failed_future_is_reported_and_the_others_complete(capsys):
    found, _, summary = run(capsys, "--fail", "7", "--delay", "none", "--workers", "2")
    failed = [(n, error) for n, _, error in found if error]
    assert failed == [(7, "ValueError: factorial(7) failed on purpose")]
    assert sorted(n for n, result, _ in found if result) == [1, 2, 3, 4, 5, 6, 8, 9, 10]
    assert "9 results, 1 failed" in summary


def test_big_runs_and_the_process_executor(capsys):
    found, _, _ = run(capsys, "--n-max", "1000", "--delay", "none", "--workers", "8")
    assert sorted(n for n, _, _ in found) == list(range(1, 1001))
    assert dict((n, r) for n, r, _ in found)[1000] == str(math.factorial(1000))
    found, _, summary = run(capsys, "--executor", "process", "--n-max", "6", "--workers", "2",
                            "--delay", "proportional")
    assert sorted((n, int(r)) for n, r, _ in found) == [(n, math.factorial(n))
                                                        for n in range(1, 7)]
    assert "on 2 process workers, delay proportional" in summary
    assert demo_children() == []


@pytest.mark.parametrize(
    "bad",
    [
        ["--workers", "0"],
        ["--workers", "33"],
        ["--workers", "four"],
        ["--n-max", "0"],
        ["--n-max", "1001"],
        ["--delay", "slow"],
        ["--executor", "fork"],
        ["--fail", "0"],
        ["--fail", "11"],  # beyond --n-max 10
        ["--seed", "-1"],
    ],
)
def test_bad_values_give_one_line_and_status_2(bad, capsys):
    try:
        status = main(["run", "futures", "--plain", *bad])
    except SystemExit as exit_info:
        status = exit_info.code
    assert status == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "error:" in err and "Traceback" not in err


def test_futures_is_listed(capsys):
    assert main(["list"]) == 0
    assert re.search(r"^futures\s+Factorials in a ThreadPoolExecutor", capsys.readouterr().out,
                     re.M)
