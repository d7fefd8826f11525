"""``concviz run futures``: seed ques.7's factorials, printed in the order they complete."""

from __future__ import annotations

import argparse
import sys

from concviz.commands.args import add_common, int_range
from concviz.commands.plain import stream
from concviz.engine.events import Event, ThreadFailed
from concviz.engine.futures import (
    DELAYS,
    EXECUTORS,
    MAX_N,
    MAX_WORKERS,
    CancelRefused,
    FactorialFutures,
    FuturesFinished,
    FutureYielded,
    PoolBroken,
    TaskCancelled,
    broken_pool,
)
from concviz.engine.words import plural

NAMES = {FactorialFutures.name: FactorialFutures.summary}


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    add_common(parser)
    parser.add_argument("--workers", type=int_range(1, MAX_WORKERS), default=4,
                        help=f"max_workers of the pool, 1 to {MAX_WORKERS} (default 4)")
    parser.add_argument("--n-max", type=int_range(1, MAX_N), default=10,
                        help=f"compute factorial(n) for n in 1..N, N up to {MAX_N} (default 10)")
    parser.add_argument("--delay", choices=DELAYS, default="random",
                        help="each task's work: a seeded random sleep, a sleep proportional "
                             "to n, or none (default random)")
    parser.add_argument("--fail", type=int_range(1, MAX_N), default=None, metavar="N",
                        help="factorial(N) raises ValueError instead (failure injection)")
    parser.add_argument("--executor", choices=EXECUTORS, default="thread",
                        help="ThreadPoolExecutor or ProcessPoolExecutor (default thread)")


def make_demo(args: argparse.Namespace) -> FactorialFutures:
    return FactorialFutures(n_max=args.n_max, workers=args.workers, delay=args.delay,
                            fail=args.fail, executor=args.executor, seed=args.seed,
                            speed=args.speed)


def transcript_line(event: Event) -> str | None:
    """The seed's print, once per future as ``as_completed`` yields it."""
    match event:
        case FutureYielded(n=n, cancelled=True):
            return f"Factorial of {n} was cancelled"
        case FutureYielded(n=n, error=error) if error:
            return f"Factorial of {n} failed: {error}"
        case FutureYielded(n=n, result=result):
            return f"Factorial of {n} is {result}"
        case TaskCancelled(n=n):
            return f"cancel(): the future of {n} was pending: cancelled, it will never run"
        case CancelRefused(n=n, worker=worker):
            where = f"already running on {worker}" if worker else "already handed to a worker"
            return f"cancel(): the future of {n} is {where}: it cannot be cancelled"
        case ThreadFailed(thread=who, error=error):
            return f"{who} died: {error}"
        case PoolBroken():
            return broken_pool(event)
    return None


def orders(done: FuturesFinished) -> list[str]:
    """The submission order and the completion order side by side."""
    width = max(len("submitted"), len(str(len(done.submitted))))
    lines = [f"{'#':>4}  {'submitted':>{width}}  {'completed':>9}"]
    for i, n in enumerate(done.submitted):
        after = done.completed[i] if i < len(done.completed) else "-"
        lines.append(f"{i + 1:>4}  {n:>{width}}  {after:>9}")
    return lines


def summary_line(done: FuturesFinished) -> str:
    ok = len(done.completed) - len(done.failed) - len(done.cancelled)
    refused = f", {len(done.refused)} could not be cancelled" if done.refused else ""
    return (
        f"Summary: {plural(len(done.submitted), 'future')} on "
        f"{plural(done.workers, done.executor + ' worker')}, "
        f"delay {done.delay}: {ok} results, {len(done.failed)} failed, "
        f"{len(done.cancelled)} cancelled{refused}; {done.elapsed:.2f} s"
    )


def run_plain(args: argparse.Namespace) -> int:
    if args.fail is not None and args.fail > args.n_max:
        print(f"concviz run futures: error: --fail {args.fail} is beyond --n-max {args.n_max}",
              file=sys.stderr)
        return 2
    events = stream(make_demo(args), transcript_line)
    done = next((e for e in reversed(events) if isinstance(e, FuturesFinished)), None)
    if done is None:
        return 1
    print("\n".join(orders(done)))
    print(summary_line(done))
    return 0
