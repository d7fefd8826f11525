"""``concviz run lock|rlock|semaphore|bounded-semaphore|condition|event|queue|barrier
--plain``: the primitive demos of the gallery as transcripts."""

from __future__ import annotations

import argparse

from concviz.commands.args import add_common
from concviz.commands.plain import stream
from concviz.engine.demo import Demo
from concviz.engine.events import Event, ThreadFailed, ThreadFinished, ThreadStarted
from concviz.engine.failures.events import PhaseFinished, PhaseStarted
from concviz.engine.primitives import GALLERY
from concviz.engine.primitives.barrier import Arrived, BarrierDemoFinished, Broken, Passed
from concviz.engine.primitives.condition import (
    ENDED,
    ConditionFinished,
    Conditions,
    EveryoneAsleep,
    Notified,
    Put,
    Rechecked,
    Taken,
    WokenByConcviz,
    kind,
)
from concviz.engine.primitives.event_flag import (
    EventDemoFinished,
    FlagCleared,
    FlagSet,
    PassedThrough,
)
from concviz.engine.primitives.events import Waiting, Woken
from concviz.engine.primitives.lock import Deposited, LockDemoFinished
from concviz.engine.primitives.rlock import (
    ReleaseRefused,
    RLockCount,
    RLockDemoFinished,
    SelfBlocked,
)
from concviz.engine.primitives.semaphore import ExtraRelease, Probed, SemaphoreFinished
from concviz.engine.primitives.work_queue import AllDone, Got, Queued, QueueDemoFinished, TaskDone
from concviz.engine.traced_lock import LockAcquired, LockBlocked, LockReleased
from concviz.engine.words import plural

DEMOS: dict[str, type[Demo]] = {demo.name: demo for demo in GALLERY}
NAMES = {name: demo.summary for name, demo in DEMOS.items()}


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    add_common(parser)


def make_demo(name: str, args: argparse.Namespace) -> Demo:
    return DEMOS[name](seed=args.seed, speed=args.speed)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _item(item: int) -> str:
    """0 stands for the ``None`` sentinel (items count from 1)."""
    return "None" if item == 0 else str(item)


def _items(contents: tuple[int, ...]) -> str:
    return "[" + ", ".join(map(_item, contents)) + "]"


def _generic(event: Event) -> str | None:
    """Threads, phases, locks and waits: the lines every primitive demo shares."""
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
        case LockBlocked(lock=lock, owner=owner):
            return f"{who} blocks on {lock}" + (f" (held by {owner})" if owner else "")
        case LockAcquired(lock=lock, waited=waited):
            return f"{who} acquired {lock}" + (f" after {_ms(waited)}" if waited > 0.001 else "")
        case LockReleased(lock=lock):
            return f"{who} released {lock}"
        case Waiting(on=on, why=why):
            return f"{who} waits on {on}: {why}"
        case Woken(on=on, waited=waited):
            return f"{who} woke on {on} after {_ms(waited)}"
    return None


def transcript_line(event: Event) -> str | None:  # noqa: C901 - one case per event
    who = event.thread
    match event:
        case Deposited(before=before, after=after):
            return f"{who} read balance {before}, wrote {after}"
        case RLockCount(count=count, method=method, entered=True):
            return f"{who} enters {method}: rlock count {count}"
        case RLockCount(count=count, method=method):
            return f"{who} leaves {method}: rlock count {count}"
        case ReleaseRefused(owner=owner, error=error):
            whose = f"owned by {owner}" if owner else "it does not own"
            return f"{who} calls release() on the rlock {whose}: {error}"
        case SelfBlocked(waited=waited):
            return (f"{who} takes a plain Lock it already holds: it waits for itself; "
                    f"acquire(timeout) gave up after {_ms(waited)}")
        case ExtraRelease(ok=True):
            return f"{who} calls release() once more: accepted without a word"
        case ExtraRelease(error=error):
            return f"{who} calls release() once more: {error}"
        case Probed(capacity=capacity):
            return f"probe: {capacity} slots could be taken without blocking"
        case Put(item=item, contents=contents):
            return f"{who} put {item} | buffer: {_items(contents)}"
        case Taken(item=item, contents=contents):
            return f"{who} took {item} | buffer: {_items(contents)}"
        case Conditions(names=(one,)):
            return f"the program makes one Condition, {one}, for producer and consumers alike"
        case Conditions(names=names):
            return f"the program makes {len(names)} Conditions on one lock: {', '.join(names)}"
        case Notified(on=on, how=how, waiting=waiting, woken=woken, missed=missed):
            said = f"{who} {on}.{how}(): {waiting} waiting, woke {', '.join(woken) or 'nobody'}"
            if missed:
                meant = "producer" if kind(who) == "consumer" else "consumer"
                said += f": the wrong kind, a {kind(who)} like itself; the {meant} sleeps on"
            return said
        case EveryoneAsleep(asleep=asleep):
            return (f"EVERYONE ASLEEP (concviz's check): {', '.join(asleep)} are all in "
                    "wait(), and nobody is left to notify")
        case WokenByConcviz(on=on):
            return f"{who} leaves {on}.wait(): {ENDED}"
        case Rechecked(on=on, ok=True):
            return f"{who} woken on {on}, re-checks: it may go on"
        case Rechecked(on=on):
            return f"{who} woken on {on}, re-checks: not yet, waits again"
        case FlagSet(waiting=waiting):
            names = f" ({', '.join(waiting)})" if waiting else ""
            return f"{who} set(): releases {len(waiting)} waiting{names}"
        case FlagCleared():
            return f"{who} clear(): the flag is down again"
        case PassedThrough():
            return f"{who} wait(): the flag is already set, goes straight on"
        case Queued(item=item, contents=contents):
            return f"{who} put {_item(item)} | queue: {_items(contents)}"
        case Got(item=item, contents=contents):
            return f"{who} got {_item(item)} | queue: {_items(contents)}"
        case TaskDone(item=item, unfinished=unfinished):
            return f"{who} task_done() for {_item(item)}: {unfinished} unfinished"
        case AllDone():
            return f"{who} queue.join() returned: every item put is done"
        case Arrived(meeting=meeting, timeout=timeout):
            limit = f", waits up to {timeout:.2f} s" if timeout else ""
            return f"{who} arrives at meeting {meeting}{limit}"
        case Passed(meeting=meeting, index=index):
            return f"{who} passes meeting {meeting} (wait() returned {index})"
        case Broken(timed_out=True, waited=waited):
            return f"{who} BrokenBarrierError: its timeout ran out after {waited:.2f} s, it broke"
        case Broken(already=True):
            return f"{who} BrokenBarrierError at once: the barrier was already broken"
        case Broken(waited=waited):
            return f"{who} BrokenBarrierError: broken while it waited ({waited:.2f} s)"
    return _generic(event)


def summary_line(event: Event) -> str | None:
    match event:
        case LockDemoFinished(expected=expected, balance=balance, waits=waits,
                              longest_wait=longest):
            return (f"Summary: {plural(expected, 'deposit')}, balance {balance}; "
                    f"{plural(waits, 'acquire')} blocked, longest wait {_ms(longest)}")
        case RLockDemoFinished(deepest=deepest, free=free, refused=refused,
                               self_blocked=self_blocked):
            return (f"Summary: rlock count went up to {deepest} and back to 0 "
                    f"({'free' if free else 'STILL HELD'} at the end); another thread's "
                    f"release() refused {plural(refused, 'time')}; the plain Lock "
                    f"{'waited for itself' if self_blocked else 'let its owner in'}")
        case SemaphoreFinished(bounded=bounded, slots=slots, capacity_after=after, error=error):
            kind = "BoundedSemaphore" if bounded else "Semaphore"
            said = error if error else "no error"
            return (f"Summary: {kind}({slots}), one release() too many: {said}; "
                    f"it now admits {after}")
        case ConditionFinished(items=items, taken=(one, every, two), asleep=asleep,
                               waited_again=(_, again, again_two)):
            first = (f"everyone asleep after {plural(one, 'item')} (concviz ended it: plain "
                     "Python would wait forever)" if asleep else f"{one} of {items} items")
            return (f"Summary: one Condition + notify(): {first}; one Condition + "
                    f"notify_all(): {every} of {items} items, {plural(again, 'wake')} "
                    f"waited again; two Conditions + notify(): {two} of {items} items, "
                    f"{plural(again_two, 'wake')} waited again")
        case EventDemoFinished(sets=sets, released=released, passed=passed):
            return (f"Summary: {plural(sets, 'set() call')} released {plural(released, 'wait')}; "
                    f"{plural(passed, 'wait() call')} found the flag already set")
        case QueueDemoFinished(jobs=jobs, done=done, longest=longest, put_blocks=pb,
                               get_blocks=gb):
            return (f"Summary: {plural(jobs, 'job')}, {done} done; the queue held at most "
                    f"{longest}; put() blocked {plural(pb, 'time')}, get() {plural(gb, 'time')}")
        case BarrierDemoFinished(meetings=meetings, broken=broken, timed_out=timed_out):
            end = (f"then broken ({', '.join(timed_out)} timed out)" if broken
                   else "then not broken")
            return f"Summary: {plural(meetings, 'meeting')} passed together, {end}"
    return None


def run_plain(args: argparse.Namespace) -> int:
    events = stream(make_demo(args.demo, args), transcript_line)
    lines = [line for event in events if (line := summary_line(event))]
    if not lines:
        return 1
    for line in lines:
        print(line)
    return 0
