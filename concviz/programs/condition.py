"""threading.Condition: one producer, two consumers, a buffer of one item.

Phase 1 has ONE Condition for both kinds of waiter, and notify(). The producer puts an
item and notifies: a consumer wakes and takes it, then notifies to say "there is room".
In CPython notify() wakes the thread that has waited longest: the other consumer, not
the producer. It finds the buffer empty and waits again; so does the first, and all
three wait with nobody left to notify. With no timeout they would wait forever; here
each wait() gives up after TIMEOUT seconds and says so.
Phase 2: the same Condition with notify_all(): every change wakes everyone.
Phase 3: two Conditions on one lock, as queue.Queue has: each notify() wakes the right kind.

Run it with `python3 condition.py`, or watch it with `concviz watch condition.py`.
"""

import threading
import time

ITEMS = 3  # items the producer puts in each phase
CONSUMERS = 2
WORK = 0.2  # seconds a consumer works on an item, without the lock
TIMEOUT = 1.0  # seconds a wait() waits for a notify before it gives up

lock = threading.Lock()
cond = threading.Condition(lock)  # phases 1 and 2: one Condition for both kinds
not_empty = threading.Condition(lock)  # phase 3: the consumers wait here...
not_full = threading.Condition(lock)  # ...and the producer here
buffer = []  # one item at most
done = False  # the producer has put all its items
waiting = 0  # threads inside wait() now


def wait(cond, ready, why):
    """`while not ready(): cond.wait()`, the lock held; False if no notify came in time."""
    global waiting
    me, said = threading.current_thread().name, "waits"
    while not ready():  # `while`, not `if`: a woken thread must check again
        print(f"{me} {said}: {why}")
        waiting += 1
        woken = cond.wait(TIMEOUT)  # lets go of the lock while it waits
        waiting -= 1
        if not woken:
            print(f"{me} gave up: no notify in {TIMEOUT} s (with no timeout: forever)")
            return False
        said = "woke up for nothing, waits again"
    return True


def notify(cond, everyone):
    if everyone:
        cond.notify_all()
    else:
        cond.notify()  # wakes one: in CPython, the thread that has waited longest


def produce(not_empty, not_full, everyone):
    global done
    with not_full:
        for item in range(1, ITEMS + 1):
            if not wait(not_full, lambda: not buffer, "buffer full"):
                return
            buffer.append(item)
            print(f"producer put {item}")
            notify(not_empty, everyone)
        done = True
        not_empty.notify_all()  # no more items: every consumer may stop


def consume(not_empty, not_full, everyone):
    me = threading.current_thread().name
    while True:
        with not_empty:
            if not wait(not_empty, lambda: buffer or done, "buffer empty") or not buffer:
                return  # gave up, or the producer is done and nothing is left
            item = buffer.pop(0)
            print(f"{me} took {item}")
            notify(not_full, everyone)
        time.sleep(WORK)  # works on the item, without the lock


def phase(title, not_empty, not_full, everyone):
    global done
    print(title)
    buffer.clear()
    done = False
    args = (not_empty, not_full, everyone)
    threads = [threading.Thread(target=consume, args=args, name=f"consumer-{n}")
               for n in range(1, CONSUMERS + 1)]
    for thread in threads:
        thread.start()
    while True:  # the producer starts once both consumers wait: every run tells one story
        with lock:
            if waiting == CONSUMERS:
                break
        time.sleep(0.01)
    threads.append(threading.Thread(target=produce, args=args, name="producer"))
    threads[-1].start()
    for thread in threads:
        thread.join()


phase("Phase 1: one Condition for both kinds, notify()", cond, cond, False)
phase("Phase 2: one Condition for both kinds, notify_all()", cond, cond, True)
phase("Phase 3: not_empty and not_full on one lock, notify()", not_empty, not_full, False)
