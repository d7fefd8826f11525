"""threading.Lock: three tellers add deposits to one balance.

A deposit reads the balance, works a moment and writes it back. Under the lock only one
teller at a time is between the read and the write, so no deposit is lost; a teller that
asks for the lock meanwhile waits in acquire() until the owner lets go.

Run it with `python3 lock.py`, or watch it with `concviz watch lock.py`.
"""

import random
import threading
import time

TELLERS = 3
DEPOSITS = 3  # per teller
THINK_MAX = 0.4  # seconds at most between two deposits of one teller
WORK = 0.2  # seconds between reading the balance and writing it back

balance = 0
lock = threading.Lock()


def teller():
    global balance
    me = threading.current_thread().name
    for _ in range(DEPOSITS):
        time.sleep(random.uniform(0, THINK_MAX))  # customers come at their own pace
        print(f"{me} asks for the lock")
        with lock:
            before = balance
            print(f"{me} has the lock and reads the balance: {before}")
            # the lock is held meanwhile: a teller asking now waits, and cannot read
            # the old balance and then overwrite this deposit
            time.sleep(WORK)
            balance = before + 1
            print(f"{me} writes {balance} and lets go of the lock")


tellers = [threading.Thread(target=teller, name=f"teller-{n}") for n in range(1, TELLERS + 1)]
for thread in tellers:
    thread.start()
for thread in tellers:
    thread.join()
print(f"Final balance: {balance} ({TELLERS * DEPOSITS} deposits)")
