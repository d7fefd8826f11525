"""Seed ques.4 as concviz runs it: the seed's producer and consumer, with the
consumer looping until the producers are done (so nobody gives up early), several
producers sharing one count of items, and the threads started and joined: a whole
program that runs as shown and prints what the transcript shows."""

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

HEAD = '''import itertools
import random
import threading
import time

ITEMS = ITEMS_VALUE
shared_list = []
lock = threading.Lock()
producers_done = threading.Event()
numbers = itertools.count()  # shared by the producers: each item is made once

def producer():
    me = threading.current_thread().name
    while (i := next(numbers)) < ITEMS:
        time.sleep(random.uniform(PRODUCER_SLEEP))
        with lock:
            shared_list.append(i)
            print(f"{me} added {i} | List: {shared_list}")

'''

LOCKED = HEAD + '''def consumer():
    me = threading.current_thread().name
    while True:
        time.sleep(random.uniform(CONSUMER_SLEEP))
        with lock:
            if shared_list:
                value = shared_list.pop(0)
                print(f"{me} removed {value} | List: {shared_list}")
            else:
                print(f"{me} found list empty")
                if producers_done.is_set():
                    return
'''

UNLOCKED = HEAD.replace("lock = threading.Lock()\n", "").replace(
    "        with lock:\n            shared_list.append(i)\n            print",
    "        shared_list.append(i)\n        print",
) + '''def consumer():  # NO LOCK: check-then-act
    me = threading.current_thread().name
    while True:
        time.sleep(random.uniform(CONSUMER_SLEEP))
        if shared_list:                 # check...
RACE_WINDOW_LINE
            value = shared_list.pop(0)  # ...act: another may pop first
            print(f"{me} removed {value} | List: {shared_list}")
        else:
            print(f"{me} found list empty")
            if producers_done.is_set():
                return
'''

MAIN = '''
def start(target, role, count):
    names = [role] if count == 1 else [f"{role}-{n}" for n in range(1, count + 1)]
    threads = [threading.Thread(target=target, name=name) for name in names]
    for thread in threads:
        thread.start()
    return threads

producers = start(producer, "Producer", PRODUCERS)
consumers = start(consumer, "Consumer", CONSUMERS)
for thread in producers:
    thread.join()
producers_done.set()  # each consumer ends at its next look at an empty list
for thread in consumers:
    thread.join()
print(f"Final list: {shared_list}")
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
    producers: int = 1,
    consumers: int = 1,
) -> Listing:
    """The whole program as this run runs it, runnable as shown: its lock, its item
    count, its threads, its sleep ranges and, without the lock, the sleep between
    check and act (a window of 0: no such line)."""
    code = (LOCKED if locked else UNLOCKED) + MAIN
    code = code.replace("PRODUCERS)", f"{producers})").replace("CONSUMERS)", f"{consumers})")
    if not locked and race_window:
        code = code.replace("shared_list = []\n",
                            f"RACE_WINDOW = {race_window:g}  # seconds\nshared_list = []\n")
    elif not locked:
        code = "\n".join(line for line in code.splitlines() if "RACE_WINDOW" not in line) + "\n"
    code = code.replace("ITEMS_VALUE", str(items))
    code = code.replace("(PRODUCER_SLEEP)", "({:g}, {:g})".format(*producer_sleep))
    code = code.replace("(CONSUMER_SLEEP)", "({:g}, {:g})".format(*consumer_sleep))

    def find(marker: str, after: str = "") -> int:
        lines = code.splitlines()
        start = next(i for i, line in enumerate(lines) if after in line) if after else 0
        return next(i for i, line in enumerate(lines[start:], start + 1) if marker in line)

    producer, consumer = "def producer", "def consumer"
    where = {
        ("producer", ThreadStarted): find("while (i := next", producer),
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
        ("consumer", ItemRemoved): find("removed {value}", consumer),
        ("consumer", ListEmpty): find("found list empty", consumer),
        ("consumer", RaceDetected): find("pop(0)", consumer),
        ("consumer", ThreadFinished): find("return", consumer),
    }

    def line_for(event: Event, role: str) -> int | None:
        return where.get((role, type(event)))

    # not the seed's text: its consumer gives up after 10 tries, this one drains the list
    title = ("ques.4 with threading.Lock" if locked else "ques.4 WITHOUT the lock") + \
        " (drains until done)"
    return Listing(title, code, line_for)
