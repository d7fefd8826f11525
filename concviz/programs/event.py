"""threading.Event: four runners get ready at their own pace and wait for the start
signal; one set() releases every waiter at once.

clear() lowers the flag again: runners back for the next start find it down and wait,
until the next set(). A watcher shows the tidy way to run until told to stop,
`while not stop.wait(TICK):` (wait() returns False when it times out, True once set).

Run it with `python3 event.py`, or watch it with `concviz watch event.py`.
"""

import random
import threading
import time

RUNNERS = 4
STARTS = 2
READY_MAX = 0.5  # seconds at most a runner takes to get ready
RUN = 0.3  # seconds a runner runs after a start
START_EVERY = 1.0  # seconds between two start signals: every runner is ready by then
CLEAR_AFTER = 0.1  # seconds the flag stays up before clear()
TICK = 0.25  # seconds between two looks of the watcher

go = threading.Event()
stop = threading.Event()


def runner():
    me = threading.current_thread().name
    for start in range(1, STARTS + 1):
        time.sleep(random.uniform(0, READY_MAX))  # getting ready takes its own time
        print(f"{me} is ready and waits for start {start}")
        go.wait()  # returns at once if the flag is up; else when set() is called
        print(f"{me} runs (start {start})")
        time.sleep(RUN)


def watcher():
    looks = 0
    while not stop.wait(TICK):  # False after each TICK; True once stop is set
        looks += 1
    print(f"watcher: told to stop after {looks} looks")


threads = [threading.Thread(target=runner, name=f"runner-{n}") for n in range(1, RUNNERS + 1)]
threads.append(threading.Thread(target=watcher, name="watcher"))
for thread in threads:
    thread.start()
for start in range(1, STARTS + 1):
    time.sleep(START_EVERY)  # the runners get ready meanwhile
    print(f"main: set(), start {start}")
    go.set()  # wakes every runner in wait() at once
    if start < STARTS:  # the last start leaves the flag up: a late runner passes at once
        time.sleep(CLEAR_AFTER)  # the flag stays up a moment: a wait() now returns at once
        go.clear()
        print("main: clear()")
for thread in threads[:-1]:
    thread.join()
stop.set()  # the watcher's wait() returns True: it stops
threads[-1].join()
