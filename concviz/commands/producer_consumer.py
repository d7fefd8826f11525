"""``concviz run producer-consumer``: seed ques.4 as a transcript."""

from __future__ import annotations

import argparse

from concviz.commands.args import add_common, float_range, int_range
from concviz.commands.plain import stream
from concviz.engine.events import Event, ThreadFailed
from concviz.engine.producer_consumer import (
    CONSUMER_SLEEP,
    MAX_ITEMS,
    MAX_THREADS,
    PRODUCER_SLEEP,
    ItemAdded,
    ItemRemoved,
    ListEmpty,
    ProducerConsumer,
    RaceDetected,
    RunFinished,
)
from concviz.engine.words import plural

NAMES = {"producer-consumer": ProducerConsumer.summary}


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    add_common(parser)
    parser.add_argument("--items", type=int_range(1, MAX_ITEMS), default=10,
                        help=f"items to produce, 1 to {MAX_ITEMS} (default 10)")
    parser.add_argument("--producers", type=int_range(1, MAX_THREADS), default=1,
                        help=f"producer threads, 1 to {MAX_THREADS} (default 1)")
    parser.add_argument("--consumers", type=int_range(1, MAX_THREADS), default=1,
                        help=f"consumer threads, 1 to {MAX_THREADS} (default 1)")
    parser.add_argument("--no-lock", dest="lock", action="store_false",
                        help="really remove the lock: consumers check-then-act, races happen")
    seconds = float_range(0.0, 10.0)
    parser.add_argument("--producer-sleep", nargs=2, type=seconds, metavar=("LOW", "HIGH"),
                        default=PRODUCER_SLEEP,
                        help="seconds a producer sleeps between items (default 0.1 0.3)")
    parser.add_argument("--consumer-sleep", nargs=2, type=seconds, metavar=("LOW", "HIGH"),
                        default=CONSUMER_SLEEP,
                        help="seconds a consumer sleeps between tries (default 0.2 0.4)")


def make_demo(args: argparse.Namespace) -> ProducerConsumer:
    return ProducerConsumer(
        items=args.items,
        producers=args.producers,
        consumers=args.consumers,
        lock=args.lock,
        producer_sleep=tuple(args.producer_sleep),
        consumer_sleep=tuple(args.consumer_sleep),
        seed=args.seed,
        speed=args.speed,
    )


def transcript_line(event: Event) -> str | None:
    """The seed's print statements, one per event that had one."""
    match event:
        case ItemAdded(thread=who, item=item, contents=contents):
            return f"{who} added {item} | List: {list(contents)}"
        case ItemRemoved(thread=who, item=item, contents=contents):
            return f"{who} removed {item} | List: {list(contents)}"
        case ListEmpty(thread=who):
            return f"{who} found list empty"
        case RaceDetected(thread=who, race=race, detail=detail):
            return f"RACE ({race}) in {who}: {detail}"
        case ThreadFailed(thread=who, error=error):
            return f"{who} died: {error}"
        case RunFinished(final=final):
            return f"Final list: {list(final)}"
    return None


def summary_line(done: RunFinished) -> str:
    return (
        f"Summary: {plural(done.items, 'item')}, {done.produced} produced, {done.consumed} "
        f"consumed, lock {'on' if done.locked else 'OFF'}, {plural(done.lock_waits, 'lock wait')}, "
        f"longest wait {done.longest_wait * 1000:.1f} ms, {plural(done.empty_hits, 'empty hit')}, "
        f"{plural(done.races, 'race')} detected"
    )


def run_plain(args: argparse.Namespace) -> int:
    events = stream(make_demo(args), transcript_line)
    done = next((e for e in reversed(events) if isinstance(e, RunFinished)), None)
    if done is None:
        return 1
    print(summary_line(done))
    return 0
