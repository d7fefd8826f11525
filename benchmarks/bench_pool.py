"""Fidelity of the pool timings, and what the CPU sampler itself costs.

Goals (issue 3): the same ``primes`` runs timed by concviz's engine and by a bare
script like the seed's, ratio <= 1.10; the sampler at 10 Hz < 1 % of one core.
Both sides use spawn (concviz cannot fork: it runs threads) and run alternately,
in fresh interpreters, so machine noise falls on both alike; the goal is read on
the best of the rounds (as timeit does: noise only ever adds time).
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from concviz.engine.cpu_sampler import CpuSampler
from concviz.engine.pool_runs import DEFAULT_N, PRIME_CHUNKS

SIZES = ("2", "4", "8")
ROUNDS = 5
SAMPLE_FOR = 10.0  # seconds the sampler runs alone
WATCHED = 8  # processes it places on cores meanwhile, as for a pool of 8

BARE = f'''
import multiprocessing as mp
import sys
import time

from concviz.engine.workloads import count_primes


def run_pool(pool_size, chunks):
    start_time = time.perf_counter()
    with mp.get_context("spawn").Pool(processes=pool_size) as pool:
        results = pool.map(count_primes, chunks)
    elapsed_time = time.perf_counter() - start_time
    print(f"Pool size: {{pool_size}}")
    print(f"Results: {{results}}")
    print(f"Time taken: {{elapsed_time:.6f}} seconds", flush=True)


if __name__ == "__main__":
    n, k = int(sys.argv[1]), {PRIME_CHUNKS}
    chunks = [(n * i // k, n * (i + 1) // k) for i in range(k)]
    for pool_size in map(int, sys.argv[2:]):
        run_pool(pool_size, chunks)
'''

ENGINE = "import sys; from concviz.cli import main; sys.exit(main(sys.argv[1:]))"


def times(argv: list[str]) -> dict[str, float]:
    out = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=300).stdout
    sizes = re.findall(r"^Pool size: (\d+)$", out, re.M)
    taken = re.findall(r"^Time taken: ([\d.]+) seconds", out, re.M)
    return dict(zip(sizes, map(float, taken), strict=True))


def fidelity() -> None:
    n = str(DEFAULT_N["primes"])
    with tempfile.TemporaryDirectory() as folder:
        bare_script = Path(folder) / "seed_pool.py"
        bare_script.write_text(BARE)
        bare_argv = [sys.executable, str(bare_script), n, *SIZES]
        engine_argv = [sys.executable, "-c", ENGINE, "run", "pool", "--plain",
                       "--workload", "primes", "--n", n, "--sizes", *SIZES]
        bare: list[dict[str, float]] = []
        engine: list[dict[str, float]] = []
        for _ in range(ROUNDS):
            bare.append(times(bare_argv))
            engine.append(times(engine_argv))
    print(f"primes below {int(n):,}, {ROUNDS} rounds alternated; seconds, best and median")
    print(f"{'size':>4}  {'bare best':>9}  {'concviz best':>12}  {'bare med':>8}  "
          f"{'concviz med':>11}")
    best, median = [0.0, 0.0], [0.0, 0.0]
    for size in SIZES:
        row = []
        for i, side in enumerate((bare, engine)):
            seconds = [r[size] for r in side]
            best[i] += min(seconds)
            median[i] += statistics.median(seconds)
            row.append((min(seconds), statistics.median(seconds)))
        (bb, bm), (eb, em) = row
        print(f"{size:>4}  {bb:9.3f}  {eb:12.3f}  {bm:8.3f}  {em:11.3f}")
    print(f"fidelity ratio, concviz / bare, best of {ROUNDS}: {best[1] / best[0]:.3f} "
          f"(goal <= 1.10); on medians: {median[1] / median[0]:.3f}")


def sampler_cost() -> None:
    """The sampler thread's own CPU time, and the whole process's as a check."""
    sleepers = [subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
                for _ in range(WATCHED)]
    try:
        sampler = CpuSampler(hz=10.0).start()
        sampler.watch(p.pid for p in sleepers)
        me = psutil.Process()
        before, started = me.cpu_times(), time.perf_counter()
        time.sleep(SAMPLE_FOR)
        after, wall = me.cpu_times(), time.perf_counter() - started
        sampler.stop()
    finally:
        for proc in sleepers:
            proc.kill()
            proc.wait()
    process = (after.user - before.user) + (after.system - before.system)
    print(f"sampler at 10 Hz for {SAMPLE_FOR:.0f} s, watching {WATCHED} pids: "
          f"{100 * sampler.cost / wall:.2f} % of one core by its thread, "
          f"{100 * process / wall:.2f} % by the whole process (goal < 1 %)")


if __name__ == "__main__":
    fidelity()
    sampler_cost()
