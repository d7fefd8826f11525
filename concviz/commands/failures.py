"""``concviz run mp-counter|mp-queue|process-exception --plain``: the gallery's failure
demos that start processes, as transcripts."""

from __future__ import annotations

import argparse

from concviz.commands.args import add_common, int_range
from concviz.commands.plain import stream
from concviz.engine.demo import Demo
from concviz.engine.events import Event, ThreadFailed, ThreadFinished, ThreadStarted
from concviz.engine.failures import GALLERY
from concviz.engine.failures.events import PhaseFinished, PhaseStarted
from concviz.engine.failures.mp_counter import (
    INCREMENTS,
    MAX_INCREMENTS,
    MAX_PROCESSES,
    PROCESSES,
    Counted,
    CounterFinished,
)
from concviz.engine.failures.mp_queue import (
    MAX_TASKS,
    MAX_WORKERS,
    TASKS,
    WORKERS,
    QueueFinished,
    ResultGot,
    TaskPut,
    TaskTaken,
)
from concviz.engine.failures.process_exception import (
    Callback,
    ChildStderr,
    ProcessExceptionFinished,
    ProcessExited,
    TaskSubmitted,
)
from concviz.engine.words import plural

DEMOS: dict[str, type[Demo]] = {demo.name: demo for demo in GALLERY}
NAMES = {name: demo.summary for name, demo in DEMOS.items()}


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    add_common(parser)
    if name == "mp-counter":
        parser.add_argument("--processes", type=int_range(2, MAX_PROCESSES), default=PROCESSES,
                            help=f"processes sharing the counter, 2 to {MAX_PROCESSES} "
                                 f"(default {PROCESSES})")
        parser.add_argument("--increments", type=int_range(100, MAX_INCREMENTS),
                            default=INCREMENTS,
                            help=f"increments per process, about; 100 to {MAX_INCREMENTS} "
                                 f"(default {INCREMENTS})")
    elif name == "mp-queue":
        parser.add_argument("--tasks", type=int_range(1, MAX_TASKS), default=TASKS,
                            help=f"numbers to square, 1 to {MAX_TASKS} (default {TASKS})")
        parser.add_argument("--workers", type=int_range(1, MAX_WORKERS), default=WORKERS,
                            help=f"worker processes, 1 to {MAX_WORKERS} (default {WORKERS})")


def options(name: str, args: argparse.Namespace) -> dict[str, int]:
    """The demo's own options from its command line."""
    if name == "mp-counter":
        return {"processes": args.processes, "increments": args.increments}
    if name == "mp-queue":
        return {"tasks": args.tasks, "n_workers": args.workers}
    return {}


def make_demo(name: str, args: argparse.Namespace) -> Demo:
    return DEMOS[name](seed=args.seed, speed=args.speed, **options(name, args))


def transcript_line(event: Event) -> str | None:
    who = event.thread
    match event:
        case PhaseStarted(phase=phase, title=title):
            return f"== phase {phase}: {title}"
        case PhaseFinished(phase=phase, outcome=outcome):
            return f"== phase {phase} done: {outcome}"
        case ThreadStarted(role=role):
            return f"{who} started ({role})" if role else f"{who} started"
        case ThreadFinished():
            return f"{who} finished"
        case ThreadFailed(error=error):
            return f"{who} DIED: {error}"
        case Counted(done=done, value=value):
            return f"{who} has added {done}; the counter reads {value}"
        case TaskPut(n=n):
            return f"main put {n} on the task queue" if n else "main put None (stop) on the queue"
        case TaskTaken(n=n):
            return f"{who} took {n}"
        case ResultGot(worker=worker, n=n, result=result):
            return f"main got {n}*{n} = {result} from {worker}"
        case ChildStderr(text=text):
            return "\n".join(f"  {who} stderr| {line}" for line in text.rstrip().splitlines())
        case ProcessExited(pid=pid, exitcode=code):
            return f"{who} (pid {pid}) exited with exit code {code}"
        case TaskSubmitted(n=n):
            return f"main submitted sqrt({n:g}) to the pool"
        case Callback(n=n, ok=ok, result=result):
            name = "callback" if ok else "error_callback"
            return f"{name}({result}) for sqrt({n:g}), called in {who}"
    return None


def summary_line(event: Event) -> str | None:
    match event:
        case CounterFinished(results=results):  # each phase's own line says it in full
            return "Summary: " + "; ".join(
                f"{'with' if r.locked else 'without'} the lock, {r.lost} of "
                f"{plural(r.expected, 'update')} lost" for r in results)
        case QueueFinished(results=results, per_worker=per_worker):
            shares = ", ".join(f"{w} did {n}" for w, n in per_worker)
            return f"Summary: results {list(results)}; {shares}"
        case ProcessExceptionFinished(exitcode=code, callbacks=ok, error_callbacks=errors):
            return (f"Summary: the failing process exited with code {code}; the pool called "
                    f"callback {plural(ok, 'time')} and error_callback {plural(errors, 'time')}")
    return None


def run_plain(args: argparse.Namespace) -> int:
    events = stream(make_demo(args.demo, args), transcript_line)
    lines = [line for event in events if (line := summary_line(event))]
    if not lines:
        return 1
    for line in lines:
        print(line)
    return 0
