"""A daemon thread is stopped, unfinished, when the program ends; a plain one is
waited for.

At exit, Python joins every thread that is not a daemon (the main thread's last step),
then stops the daemon threads where they are, without running their `finally` blocks.
Here nothing joins either thread: the plain one still finishes its ticks, and the
daemon, in the middle of a long job, is cut off.

Run it with `python3 daemon.py`, or watch it with `concviz watch daemon.py`.
"""

import threading
import time

TICKS = 4  # the plain thread's work
TICK = 0.2  # seconds a tick takes
LONG_JOB = 60.0  # seconds the daemon's job would take: far longer than the plain thread's


def plain_work():
    for n in range(1, TICKS + 1):
        time.sleep(TICK)  # a tick's work
        print(f"plain: tick {n} of {TICKS}")
    print("plain: done")


def daemon_work():
    try:
        print("daemon: starts a long job")
        time.sleep(LONG_JOB)  # the job: still going when the program ends
        print("daemon: job done")  # never printed
    finally:
        print("daemon: cleans up")  # never printed either: a daemon is stopped, not unwound


plain = threading.Thread(target=plain_work, name="plain")
daemon = threading.Thread(target=daemon_work, name="daemon", daemon=True)
daemon.start()
plain.start()
print("main: no join here; the main thread's code ends")
