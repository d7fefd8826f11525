"""Seed ques.4 as concviz runs it: the seed's producer and consumer, with the
consumer looping until the producers are done (so nobody gives up early)."""

from __future__ import annotations

from functools import cache

from concviz.engine.events import Event, Sleeping, ThreadFinished, ThreadStarted
from concviz.engine.producer_consumer import (
    CONSUMER_SLEEP,
    PRODUCER_SLEEP,
    RACE_WINDOW,
    HeadChecked,
    ItemAdded,
    ItemRemoved,
    ListEmpty,
    RaceDetected,
)
from concviz.engine.traced_lock import LockAcquired, LockBlocked, LockRequested
from concviz.ui.listings import Listing

HEAD = '''import threading
import time
import random

shared_list = []
lock = threading.Lock()
producers_done = threading.Event()

def producer():
    for i in range(ITEMS):
        time.sleep(random.uniform(PRODUCER_SLEEP))
        with lock:
            shared_list.append(i)
            print(f"Producer added {i} | List: {shared_list}")

'''

LOCKED = HEAD + '''def consumer():
    while True:
        time.sleep(random.uniform(CONSUMER_SLEEP))
        with lock:
            if shared_list:
                value = shared_list.pop(0)
                print(f"Consumer removed {value} | List: {shared_list}")
            else:
                print("Consumer found list empty")
                if producers_done.is_set():
                    return
'''

UNLOCKED = HEAD.replace("lock = threading.Lock()\n", "").replace(
    "        with lock:\n            shared_list.append(i)\n            print",
    "        shared_list.append(i)\n        print",
) + '''def consumer():  # NO LOCK: check-then-act
    while True:
        time.sleep(random.uniform(CONSUMER_SLEEP))
        if shared_list:                 # check...
RACE_WINDOW_LINE
            value = shared_list.pop(0)  # ...act: another may pop first
            print(f"Consumer removed {value} | List: {shared_list}")
        else:
            print("Consumer found list empty")
            if producers_done.is_set():
                return
'''

# the one line of the lock-free program that the seed does not have
UNLOCKED = UNLOCKED.replace("RACE_WINDOW_LINE", "            time.sleep(RACE_WINDOW)  # widen the "
                            "gap between check and act, or the race almost never shows")


@cache
def listing(
    locked: bool,
    items: int = 10,
    producer_sleep: tuple[float, float] = PRODUCER_SLEEP,
    consumer_sleep: tuple[float, float] = CONSUMER_SLEEP,
    race_window: float = RACE_WINDOW,
) -> Listing:
    """The program as this run runs it: its lock, its item count, its sleep ranges and,
    without the lock, the sleep between check and act (a window of 0: no such line)."""
    code = LOCKED if locked else UNLOCKED
    if not locked and race_window:
        code = code.replace("shared_list = []\n",
                            f"RACE_WINDOW = {race_window:g}  # seconds\nshared_list = []\n")
    elif not locked:
        code = "\n".join(line for line in code.splitlines() if "RACE_WINDOW" not in line) + "\n"
    code = code.replace("ITEMS", str(items))
    code = code.replace("(PRODUCER_SLEEP)", "({:g}, {:g})".format(*producer_sleep))
    code = code.replace("(CONSUMER_SLEEP)", "({:g}, {:g})".format(*consumer_sleep))

    def find(marker: str, after: str = "") -> int:
        lines = code.splitlines()
        start = next(i for i, line in enumerate(lines) if after in line) if after else 0
        return next(i for i, line in enumerate(lines[start:], start + 1) if marker in line)

    producer, consumer = "def producer", "def consumer"
    where = {
        ("producer", ThreadStarted): find("for i in range", producer),
        ("producer", Sleeping): find("time.sleep", producer),
        ("producer", LockRequested): find("with lock", producer) if locked else None,
        ("producer", LockBlocked): find("with lock", producer) if locked else None,
        ("producer", LockAcquired): find("append", producer) if locked else None,
        ("producer", ItemAdded): find("print", producer),
        ("consumer", ThreadStarted): find("while True", consumer),
        ("consumer", Sleeping): find("time.sleep", consumer),
        ("consumer", LockRequested): find("with lock", consumer) if locked else None,
        ("consumer", LockBlocked): find("with lock", consumer) if locked else None,
        ("consumer", LockAcquired): find("if shared_list", consumer) if locked else None,
        ("consumer", HeadChecked): find("RACE_WINDOW)" if "RACE_WINDOW)" in code else "pop(0)",
                                        consumer),
        ("consumer", ItemRemoved): find("Consumer removed", consumer),
        ("consumer", ListEmpty): find("found list empty", consumer),
        ("consumer", RaceDetected): find("pop(0)", consumer),
        ("consumer", ThreadFinished): find("return", consumer),
    }

    def line_for(event: Event, role: str) -> int | None:
        return where.get((role, type(event)))

    title = "ques.4 with threading.Lock" if locked else "ques.4 WITHOUT the lock"
    return Listing(title, code, line_for)
