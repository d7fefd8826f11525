"""A thread dies holding a lock it took without `with`.

The holder calls lock.acquire(), then a bug raises before its lock.release(): the
thread dies and the lock stays held, by nobody alive. The waiters can never have it.
Plain acquire() would wait forever, silently; here each waiter gives up after TIMEOUT
seconds and says so. Then the same holder with `with lock:`: the exception still kills
it, but `with` releases the lock on the way out, and the waiters get it.

Run it with `python3 dead_lock_holder.py`, or watch it with
`concviz watch dead_lock_holder.py`.
"""

import threading
import time

WAITERS = 2
HOLD = 0.3  # seconds the holder works before its bug hits
TIMEOUT = 2.0  # seconds a waiter waits for the lock before giving up

balance = 100


def update_with_a_bug():
    time.sleep(HOLD)  # working, with the lock held
    record = {"balance": balance}
    record["balance"] = record["balnce"] + 10  # the typo raises KeyError


def bare_holder(lock, holding):
    lock.acquire()
    holding.set()
    update_with_a_bug()
    lock.release()  # never reached: the lock stays held by a dead thread


def with_holder(lock, holding):
    with lock:  # released on the way out, exception or not
        holding.set()
        update_with_a_bug()


def waiter(lock):
    global balance
    me = threading.current_thread().name
    # the timeout lets this program end: a plain acquire() would wait forever here
    if not lock.acquire(timeout=TIMEOUT):
        print(f"{me} gave up after {TIMEOUT} s: the lock's owner died holding it")
        return
    try:  # acquire() with a timeout has no `with` form: try/finally releases it
        balance += 10
        print(f"{me} has the lock: balance {balance}")
    finally:
        lock.release()


for holder, how in ((bare_holder, "lock.acquire() ... lock.release()"),
                    (with_holder, "with lock:")):
    print(f"The holder takes the lock with {how}")
    lock = threading.Lock()
    holding = threading.Event()  # set once the holder has the lock
    threads = [threading.Thread(target=holder, args=(lock, holding), name="holder")]
    threads[0].start()
    holding.wait()  # the waiters come once the lock is held
    threads += [threading.Thread(target=waiter, args=(lock,), name=f"waiter-{n}")
                for n in range(1, WAITERS + 1)]
    for thread in threads[1:]:
        thread.start()
    for thread in threads:
        thread.join()
