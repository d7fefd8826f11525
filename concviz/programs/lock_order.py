"""Two threads take two locks in opposite order: T1 takes lock_a then lock_b, T2 takes
lock_b then lock_a.

In round 1 T2 starts late, after T1 is done: the round passes, and the bug stays hidden.
In round 2 both start together: T1 holds lock_a and waits for lock_b, T2 holds lock_b
and waits for lock_a, and neither can ever go on. Python has no check for this: plain
Python waits here forever. concviz finds the cycle.
The fix: one order for everyone (lock_a before lock_b).

Run it with `python3 lock_order.py` (it hangs in round 2: stop it yourself), or watch
it with `concviz watch lock_order.py`.
"""

import threading
import time

ROUNDS = 3  # round 1 passes; in round 2 the timing lines up (if not, in round 3)
FIRST_DELAY = 1.0  # seconds T2 starts after T1 in round 1: T1 is done by then
HOLD = 0.3  # seconds between taking the first lock and asking for the second

lock_a = threading.Lock()
lock_b = threading.Lock()


def name(lock):
    return "lock_a" if lock is lock_a else "lock_b"


def transfer(first, second, delay):
    me = threading.current_thread().name
    time.sleep(delay)  # round 1: T2 comes late
    with first:
        print(f"{me} holds {name(first)}")
        time.sleep(HOLD)  # the other thread can take its first lock meanwhile
        print(f"{me} wants {name(second)}")
        with second:  # waits forever if the other thread holds it and wants ours
            print(f"{me} holds both, lets go of them")


for round_ in range(1, ROUNDS + 1):
    delay = FIRST_DELAY if round_ == 1 else 0
    print(f"Round {round_}: T2 starts {delay} s after T1")
    threads = [threading.Thread(target=transfer, args=(lock_a, lock_b, 0), name="T1"),
               threading.Thread(target=transfer, args=(lock_b, lock_a, delay), name="T2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()  # in a deadlock, plain Python waits here forever
print("no deadlock this time: the timing never lined up")
