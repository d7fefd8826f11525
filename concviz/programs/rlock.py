"""threading.RLock: its owner may take it again, so locked methods can call each other.

transfer() takes the account's RLock and calls withdraw() and deposit(), which take it
too: the same thread holds it twice, and it is free again only once every acquire has
its release. Meanwhile a clerk thread calls release() on it and gets RuntimeError: an
RLock knows its owner. Last, the same nesting with a plain Lock: its owner's second
acquire() waits for the owner itself.

Run it with `python3 rlock.py`, or watch it with `concviz watch rlock.py`.
"""

import threading
import time

STEP = 0.3  # seconds of work inside each method, lock held
CLERK_DELAY = 0.4  # seconds before the clerk's release(): transfer() holds the lock then
SELF_WAIT = 0.5  # seconds the plain Lock's second acquire() waits before giving up

balance = 100
lock = threading.RLock()


def withdraw(amount):
    global balance
    with lock:  # the owner takes it again: no wait, it is now held twice
        print(f"withdraw({amount}) takes the lock again: held twice")
        time.sleep(STEP)
        balance -= amount


def deposit(amount):
    global balance
    with lock:
        print(f"deposit({amount}) takes the lock again: held twice")
        time.sleep(STEP)
        balance += amount


def transfer():
    with lock:
        print("transfer() takes the lock: held once")
        time.sleep(STEP)
        withdraw(10)
        deposit(10)
        print("transfer() still holds it once")
    print("transfer() let go: the lock is free")


def clerk():
    time.sleep(CLERK_DELAY)  # transfer() holds the lock by now
    try:
        lock.release()  # not the owner: an RLock refuses
    except RuntimeError as error:
        print(f"clerk: release() raised RuntimeError: {error}")
    with lock:  # waits until transfer() has let go of every acquire
        print(f"clerk has the lock: balance {balance}")


threads = [threading.Thread(target=transfer, name="account"),
           threading.Thread(target=clerk, name="clerk")]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()

plain = threading.Lock()
with plain:
    print("main takes a plain Lock, then asks for it again")
    # a Lock has no owner to recognize: this waits for main itself; with no timeout,
    # it would wait forever
    if not plain.acquire(timeout=SELF_WAIT):
        print(f"main gave up after {SELF_WAIT} s: a plain Lock taken twice waits for itself")
