"""``concviz run pool --plain``: seed ques.8's timings, then what each core did."""

from __future__ import annotations

import argparse
import sys

from concviz.commands.args import add_common, int_range
from concviz.commands.plain import stream
from concviz.engine.cpu_sampler import allowed_cores
from concviz.engine.events import Event
from concviz.engine.pool_runs import (
    DEFAULT_N,
    EXECUTORS,
    MAX_N,
    MAX_SIZE,
    MIN_SIZE,
    SIZES,
    PoolRuns,
    RunFailed,
    RunFinished,
    RunStarting,
    TaskFailed,
    TaskFinished,
    TaskStarted,
    WorkerStarted,
    describe,
    python_info,
    verdict,
)
from concviz.engine.words import plural
from concviz.engine.workloads import WORKLOADS

NAMES = {PoolRuns.name: PoolRuns.summary}


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    add_common(parser)
    parser.add_argument("--sizes", nargs="+", type=int_range(MIN_SIZE, MAX_SIZE),
                        default=list(SIZES), metavar="SIZE",
                        help=f"pool sizes to time, each {MIN_SIZE} to {MAX_SIZE} (default 2 4 8)")
    parser.add_argument("--workload", choices=WORKLOADS, default="square",
                        help="square: the seed's 1..N; primes: count primes below N (CPU-bound); "
                             "sleep: N sleeps (I/O-bound); raises: square, input 7 raises")
    parser.add_argument("--executor", choices=EXECUTORS, default="pool",
                        help="pool: multiprocessing.Pool.map; process-executor: "
                             "ProcessPoolExecutor.map; threads: ThreadPoolExecutor.map")
    parser.add_argument("--n", type=int_range(1, max(MAX_N.values())), default=None,
                        help="workload size N (defaults: "
                             + ", ".join(f"{w} {n:,}" for w, n in DEFAULT_N.items()) + ")")
    parser.add_argument("--baseline", action="store_true",
                        help="time a pool of 1 first; speed-ups are against it")
    parser.add_argument("--tasks", action="store_true",
                        help="also print every task as its worker reports it")


def call(workload: str, arg: str) -> str:
    return f"{WORKLOADS[workload].__name__}({arg})"


def cpu_line(cores: tuple[int, ...], cpu: tuple[float, ...]) -> str:
    each = (f"core {core} {percent:.0f}%" for core, percent in zip(cores, cpu, strict=True))
    return "CPU during the run: " + ", ".join(each)


def run_block(event: RunFinished | RunFailed) -> str:
    """The seed's three lines for one run, then its speed-up and the cores' load."""
    lines = [f"Pool size: {event.size}"]
    if isinstance(event, RunFailed):
        lines += [f"FAILED: {event.error}",
                  f"Time taken: {event.wall:.6f} seconds (until map() raised)"]
    else:
        lines += [f"Results: {list(event.results)}", f"Time taken: {event.wall:.6f} seconds"]
        if event.workload == "primes":
            lines.append(f"Primes counted: {sum(event.results):,}")
        if event.speedup is None:
            lines.append("Speed-up: none to give (the first run failed)")
        elif event.run == 0:
            lines.append("Speed-up: 1.00x (the others are compared with this run)")
        else:
            lines.append(f"Speed-up: {event.speedup:.2f}x against size {event.against}")
    lines.append(cpu_line(event.cores, event.cpu))
    return "\n".join(lines) + "\n"


def transcript_line(event: Event) -> str | None:
    """Every run's block, and each worker's own reports as they come."""
    match event:
        case RunFinished() | RunFailed():
            return run_block(event)
        case RunStarting(size=size, executor=executor, inputs=inputs):
            return f"-- {EXECUTORS[executor]} with {size} workers, {inputs} inputs"
        case WorkerStarted(thread=who, pid=pid):
            return f"   {who} started, pid {pid}"
        case TaskStarted(thread=who, pid=pid, arg=arg):
            return f"   {who} (pid {pid}) runs input {arg}"
        case TaskFinished(thread=who, arg=arg, result=result, duration=duration, cpu=cpu):
            return (f"   {who} done: {arg} -> {result} in {duration:.6f} s "
                    f"(CPU {cpu:.6f} s)")
        case TaskFailed(thread=who, arg=arg, error=error):
            return f"   {who} RAISED on input {arg}: {error}"
    return None


def seed_line(event: Event) -> str | None:
    return run_block(event) if isinstance(event, RunFinished | RunFailed) else None


def header(demo: PoolRuns) -> str:
    cores = allowed_cores()
    how = "threads in this one process" if demo.executor == "threads" else "start method spawn"
    return (f"Workload: {describe(demo.workload, demo.n)} · {EXECUTORS[demo.executor]}, {how}\n"
            f"{python_info()} · this process may use {plural(len(cores), 'core')}: "
            f"{', '.join(map(str, cores))}\n")


def run_plain(args: argparse.Namespace) -> int:
    if args.n is not None and args.n > MAX_N[args.workload]:
        print(f"concviz run pool: error: --n for {args.workload} must be from 1 to "
              f"{MAX_N[args.workload]:,}, got {args.n:,}", file=sys.stderr)
        return 2
    demo = PoolRuns(sizes=args.sizes, workload=args.workload, executor=args.executor, n=args.n,
                    baseline=args.baseline, seed=args.seed, speed=args.speed)
    print(header(demo), flush=True)
    events = stream(demo, transcript_line if args.tasks else seed_line)
    done = [e for e in events if isinstance(e, RunFinished)]
    cores = len(allowed_cores())
    print(f"{verdict(done)} This process may use {cores} core{'s' * (cores != 1)}.")
    failed = any(isinstance(e, RunFailed) for e in events)
    return 0 if done and not failed else 1
