"""threading.Barrier: four parties meet twice at a Barrier(4); each waits there until the
fourth arrives, then all go on together.

At a third meeting each party waits at most TIMEOUT seconds, and one party is late. The
first to run out of time breaks the barrier: every party waiting gets
BrokenBarrierError, and so does the late one when it comes.

Run it with `python3 barrier.py`, or watch it with `concviz watch barrier.py`.
"""

import random
import threading
import time

PARTIES = 4
MEETINGS = 2  # before the one with a timeout
ARRIVE_MAX = 0.6  # seconds at most a party takes to reach a meeting
TIMEOUT = 0.5  # seconds each party waits at the last meeting
LATE = 2.0  # seconds the late party takes to reach the last meeting: long after TIMEOUT

barrier = threading.Barrier(PARTIES)


def party():
    me = threading.current_thread().name
    for meeting in range(1, MEETINGS + 1):
        time.sleep(random.uniform(0, ARRIVE_MAX))  # each party comes at its own pace
        print(f"{me} arrives at meeting {meeting}")
        barrier.wait()  # until all PARTIES have called wait()
        print(f"{me} leaves meeting {meeting} with the others")
    late = me == f"party-{PARTIES}"
    time.sleep(LATE if late else random.uniform(0, ARRIVE_MAX / 4))  # one party is late
    print(f"{me} arrives at the last meeting" + (" late" if late else ""))
    arrived = time.monotonic()
    try:
        barrier.wait(timeout=TIMEOUT)
        print(f"{me} leaves the last meeting with the others")
    except threading.BrokenBarrierError:
        print(f"{me}: BrokenBarrierError after {time.monotonic() - arrived:.1f} s")


parties = [threading.Thread(target=party, name=f"party-{n}") for n in range(1, PARTIES + 1)]
for thread in parties:
    thread.start()
for thread in parties:
    thread.join()
print(f"barrier.broken is {barrier.broken}")
