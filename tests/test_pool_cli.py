"""``concviz run pool --plain``: the seed's lines, clear refusals, and no orphan on a signal."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

import psutil
import pytest

from concviz.cli import main
from concviz.engine.cpu_sampler import allowed_cores

SQUARES = "Results: [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]"


def test_plain_prints_the_seeds_lines_then_speed_up_and_cpu(capsys):
    assert main(["run", "pool", "--plain", "--sizes", "2", "3"]) == 0
    out = capsys.readouterr().out
    blocks = [b for b in out.split("\n\n") if b.startswith("Pool size:")]
    assert [b.splitlines()[0] for b in blocks] == ["Pool size: 2", "Pool size: 3"]
    cores = allowed_cores()
    cpu = re.compile(r"^CPU during the run: " + ", ".join(rf"core {c} \d+%" for c in cores) + "$")
    for block in blocks:
        _, results, taken, speedup, load = block.splitlines()
        assert results == SQUARES
        assert re.fullmatch(r"Time taken: \d+\.\d{6} seconds", taken)
        assert speedup.startswith("Speed-up: ")
        assert cpu.match(load)
    assert blocks[1].splitlines()[3].endswith("x against size 2")
    assert out.startswith("Workload: square(n) for n in 1..10 · multiprocessing.Pool.map")
    assert "GIL" in out.splitlines()[1]
    assert out.rstrip().splitlines()[-1].startswith("Fastest: size ")


def test_tasks_shows_each_worker_with_its_pid(capsys):
    assert main(["run", "pool", "--plain", "--sizes", "2", "--tasks", "--workload", "primes",
                 "--n", "2000", "--executor", "process-executor"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^   \S+ started, pid \d+$", out, re.M)
    assert len(re.findall(r"^   \S+ done: \[", out, re.M)) == 16
    assert "Primes counted: 303" in out  # primes below 2000


def test_a_raising_workload_is_a_failed_run_and_the_others_still_run(capsys):
    assert main(["run", "pool", "--plain", "--sizes", "2", "3", "--workload", "raises"]) == 1
    out = capsys.readouterr().out
    assert out.count("FAILED: ValueError: 7 is unlucky: this worker raised") == 2
    assert "Pool size: 3" in out and "Traceback" not in out


@pytest.mark.parametrize(
    "bad",
    [
        ["--sizes", "0"],
        ["--sizes", "65"],
        ["--sizes", "two"],
        ["--workload", "cube"],
        ["--executor", "gpu"],
        ["--n", "0"],
    ],
)
def test_bad_values_give_one_line_and_status_2(bad, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "pool", "--plain", *bad])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "error:" in err


def test_n_too_big_for_its_workload_is_one_line(capsys):
    assert main(["run", "pool", "--plain", "--workload", "sleep", "--n", "1000"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "concviz run pool: error: --n for sleep must be from 1 to 100, got 1,000"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_mid_run_ends_the_workers(signum):
    proc = subprocess.Popen(
        [sys.executable, "-m", "concviz", "run", "pool", "--plain", "--tasks", "--sizes", "2",
         "--workload", "primes", "--n", "10000000"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    pids: set[int] = set()
    for line in proc.stdout:
        if found := re.search(r"started, pid (\d+)$", line):
            pids.add(int(found[1]))
        if " runs input " in line:
            break
    family = psutil.Process(proc.pid).children(recursive=True)  # the pool started them all
    assert pids <= {child.pid for child in family}
    proc.send_signal(signum)
    assert proc.wait(10) == 130
    assert "interrupted" in proc.stderr.read()
    _, alive = psutil.wait_procs(family, timeout=3)
    assert not alive, "a process outlived concviz"
