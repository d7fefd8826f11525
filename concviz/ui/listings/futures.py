"""Seed ques.7 as concviz runs it: the seed's factorials, each task doing some work
first, and the main thread keeping each future's number to print its result."""

from __future__ import annotations

from functools import cache

from concviz.engine.events import Event, Sleeping
from concviz.engine.futures import (
    FutureSubmitted,
    FutureYielded,
    TaskFinished,
    TaskStarted,
    scale,
)
from concviz.ui.listings import Listing


def work(delay: str, n_max: int) -> str:
    """The engine's work for one task, as the expression a program would write."""
    shrink = scale(n_max)
    if delay == "random":
        return f"random.uniform({0.1 * shrink:g}, {shrink:g})"
    if delay == "proportional":
        return f"{shrink * shrink / 10:g} * n"
    return "0"


CODE = '''from concurrent.futures import CancelledError, EXECUTOR, as_completed
import math
import random
import time

def factorial(n):
    time.sleep(WORK)
    if n == FAIL:
        raise ValueError(f"factorial({n}) failed on purpose")
    return math.factorial(n)

def main():
    with EXECUTOR(max_workers=WORKERS) as executor:
        futures = {executor.submit(factorial, n): n for n in range(1, N + 1)}
        for future in as_completed(futures):
            n = futures[future]
            try:
                print(f"Factorial of {n} is {future.result()}")
            except CancelledError:  # cancel() said yes: it never ran
                print(f"Factorial of {n} was cancelled")
            except Exception as exc:  # its own error, or BrokenProcessPool if a worker died
                print(f"Factorial of {n} failed: {type(exc).__name__}: {exc}")

if __name__ == "__main__":
    main()
'''

FAILING = """    if n == FAIL:
        raise ValueError(f"factorial({n}) failed on purpose")
"""


@cache
def listing(executor: str, workers: int, n_max: int, delay: str, fail: int | None) -> Listing:
    kind = "ThreadPoolExecutor" if executor == "thread" else "ProcessPoolExecutor"
    code = (CODE.replace("EXECUTOR", kind).replace("WORKERS", str(workers))
            .replace("N + 1", str(n_max + 1)).replace("WORK", work(delay, n_max)))
    if delay != "random":
        code = code.replace("import random\n", "")
    if fail is None:
        code = code.replace(FAILING, "")
    code = code.replace("FAIL", str(fail))
    base = Listing("", code, lambda event, role: None)
    where = {
        TaskStarted: base.line_of("time.sleep"),
        Sleeping: base.line_of("time.sleep"),
        FutureSubmitted: base.line_of("executor.submit"),
    }
    returned = base.line_of("return math")
    raised = base.line_of("raise ValueError") if fail is not None else returned
    printed, failed = base.line_of("is {future.result()}"), base.line_of("failed: {type")
    cancelled = base.line_of("was cancelled")

    def line_for(event: Event, role: str) -> int | None:
        match event:
            case TaskFinished(error=error):
                return raised if error else returned
            case FutureYielded(cancelled=True):
                return cancelled
            case FutureYielded(error=error):
                return failed if error else printed
        return where.get(type(event))

    return Listing(f"ques.7 with {kind}", code, line_for)
