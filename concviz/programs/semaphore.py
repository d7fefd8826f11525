"""threading.Semaphore: five downloads share three slots, never more than three at once.

Then a bug: one thread releases its slot twice. A plain Semaphore takes the extra
release() without a word (it is not owned, anyone may release it), and from then on it
lets four in at once. bounded_semaphore.py is the same program with a BoundedSemaphore.

Run it with `python3 semaphore.py`, or watch it with `concviz watch semaphore.py`.
"""

import random
import threading
import time

SLOTS = 3
DOWNLOADS = 5
THINK_MAX = 0.3  # seconds at most before a download asks for a slot
HOLD = 0.4  # seconds a download keeps its slot

slots = threading.Semaphore(SLOTS)
active = []  # the downloads holding a slot now


def download():
    me = threading.current_thread().name
    time.sleep(random.uniform(0, THINK_MAX))  # the downloads start at their own pace
    with slots:  # waits while every slot is taken
        active.append(me)
        print(f"{me} has a slot ({len(active)} at once)")
        time.sleep(HOLD)  # downloading, with the slot held
        active.remove(me)


def buggy():
    with slots:
        print("buggy has a slot")
    slots.release()  # the bug: a second release() for one acquire()
    print("buggy released its slot twice: the Semaphore said nothing")


def crowd(when):
    print(f"{DOWNLOADS} downloads, {when} the bug")
    downloads = [threading.Thread(target=download, name=f"download-{n}")
                 for n in range(1, DOWNLOADS + 1)]
    for thread in downloads:
        thread.start()
    for thread in downloads:
        thread.join()


def free_slots():
    """The slots free now: taken without waiting until one is refused, then given back."""
    taken = 0
    while taken < 3 * SLOTS and slots.acquire(blocking=False):
        taken += 1
    for _ in range(taken):
        slots.release()
    return taken


crowd("before")
bug = threading.Thread(target=buggy, name="buggy")
bug.start()
bug.join()
print(f"the semaphore now lets {free_slots()} in at once, not {SLOTS}")
crowd("after")
