"""``concviz run producer-consumer``: seed ques.4 as a transcript."""

from __future__ import annotations

import argparse

from concviz.commands.args import LowHigh, add_common, float_range, int_range
from concviz.commands.plain import stream
from concviz.engine.events import Event, ThreadFailed
from concviz.engine.producer_consumer import (
    CONSUMER_SLEEP,
    MAX_ITEMS,
    MAX_THREADS,
    PRODUCER_SLEEP,
    RACE_WINDOW,
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
    parser.add_argument("--race-window", type=float_range(0.0, 0.1), default=RACE_WINDOW,
                        metavar="SECONDS",
                        help="with --no-lock: the sleep the program shows between a consumer's "
                             f"check and its pop(0) (default {RACE_WINDOW:g}; 0: none, as the "
                             "seed wrote it, and races almost never show)")
    seconds = float_range(0.0, 10.0)
    parser.add_argument("--producer-sleep", nargs=2, type=seconds, metavar=("LOW", "HIGH"),
                        action=LowHigh,
                        default=PRODUCER_SLEEP,
                        help="seconds a producer sleeps between items (default 0.1 0.3)")
    parser.add_argument("--consumer-sleep", nargs=2, type=seconds, metavar=("LOW", "HIGH"),
                        action=LowHigh,
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
        race_window=args.race_window,
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
            return f"RACE ({race}) in {who}: {detail}{RACE_MEANS.get(race, '').format(who=who)}"
        case ThreadFailed(thread=who, error=error):
            return f"{who} died: {error}"
        case RunFinished(final=final):
            return f"Final list: {list(final)}"
    return None


# What each kind of race means, said after it in the transcript.
RACE_MEANS = {
    "empty-pop": ". In the seed's program this pop(0) raises IndexError and the exception "
                 "ends {who}'s thread; concviz caught it and {who} goes on.",
    "stolen-head": ". No error: pop(0) itself is atomic, so the item is still consumed once, "
                   "just not by the consumer that checked it.",
}


def races_explained(done: RunFinished) -> str:
    """How "N races" and "every item consumed once" can both be true."""
    if not done.races:
        return "0 races detected"
    parts = []
    if done.stolen_heads:
        parts.append(f"{plural(done.stolen_heads, 'stolen head')}: a consumer checked one item "
                     "and pop(0) gave it another, each item still consumed once")
    if done.empty_pops:
        parts.append(f"{plural(done.empty_pops, 'empty pop')}: pop(0) on a list emptied after "
                     "the check, an IndexError that would end a consumer thread of the seed's "
                     "program (concviz caught it)")
    rest = done.races - done.stolen_heads - done.empty_pops
    if rest:
        parts.append(f"{plural(rest, 'item')} lost or consumed twice")
    return f"{plural(done.races, 'race')} detected ({'; '.join(parts)})"


def summary_line(done: RunFinished) -> str:
    window = "" if done.locked else f", race window {done.race_window * 1000:g} ms"
    return (
        f"Summary: {plural(done.items, 'item')}, {done.produced} produced, {done.consumed} "
        f"consumed, lock {'ON' if done.locked else 'OFF'}{window}, "
        f"{plural(done.lock_waits, 'lock wait')}, "
        f"longest wait {done.longest_wait * 1000:.1f} ms, "
        f"{plural(done.empty_hits, 'empty hit')}, {races_explained(done)}"
    )


def run_plain(args: argparse.Namespace) -> int:
    events = stream(make_demo(args), transcript_line)
    done = next((e for e in reversed(events) if isinstance(e, RunFinished)), None)
    if done is None:
        return 1
    print(summary_line(done))
    return 0
