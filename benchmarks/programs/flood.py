"""Two threads take and release one lock as fast as they can, forever. With SECONDS,
they stop after that long and the program prints how many times a second the lock was
taken (each thread counts its own, outside the lock)."""

import sys
import threading
import time

lock = threading.Lock()
taken = [0, 0]
running = True


def flood(me: int) -> None:
    while running:
        with lock:
            pass
        taken[me] += 1


threads = [threading.Thread(target=flood, args=(me,)) for me in range(2)]
started = time.perf_counter()
for thread in threads:
    thread.start()
if len(sys.argv) > 1:
    time.sleep(float(sys.argv[1]))
    running = False
    for thread in threads:
        thread.join()
    print(f"{sum(taken) / (time.perf_counter() - started):.0f}")
else:
    for thread in threads:
        thread.join()
