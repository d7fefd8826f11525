"""Four threads each take one lock 100,000 times to add one to a counter: the probe's
hottest path (an uncontended acquire and release), as often as a program can."""

import threading

THREADS = 4
TIMES = 100_000

counter = 0
lock = threading.Lock()


def work() -> None:
    global counter
    for _ in range(TIMES):
        with lock:
            counter += 1


threads = [threading.Thread(target=work) for _ in range(THREADS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(counter)
