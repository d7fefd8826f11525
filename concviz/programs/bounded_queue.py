"""queue.Queue(maxsize=3): a bounded, thread-safe line of jobs (the file is not named
queue.py, which would hide the standard library's queue module).

A producer puts nine jobs: fast at first, so the queue fills and put() waits for room;
slowly at the end, so it empties and the consumers' get() waits for a job. Each consumer
calls task_done() per job; join() returns once every job put is done; then one None per
consumer tells them to stop. No Lock or Condition in sight: the queue has them inside.

Run it with `python3 bounded_queue.py`, or watch it with `concviz watch bounded_queue.py`.
"""

import queue
import threading
import time

MAXSIZE = 3
JOBS = 9
CONSUMERS = 2
FAST = 0.05  # seconds between puts at first: faster than the consumers, the queue fills
SLOW = 0.8  # seconds between the last puts: slower than the consumers, the queue empties
SLOW_JOBS = 3  # the last jobs, put slowly
WORK = 0.4  # seconds a consumer spends on a job

jobs = queue.Queue(maxsize=MAXSIZE)


def producer():
    for job in range(1, JOBS + 1):
        time.sleep(SLOW if job > JOBS - SLOW_JOBS else FAST)  # fast at first, then slow
        try:
            jobs.put_nowait(job)
        except queue.Full:
            print(f"producer: the queue is full, put({job}) waits for room")
            jobs.put(job)
        print(f"producer put job {job}")


def consumer():
    me = threading.current_thread().name
    while True:
        try:
            job = jobs.get_nowait()
        except queue.Empty:
            print(f"{me}: the queue is empty, get() waits for a job")
            job = jobs.get()
        if job is None:  # the stop signal
            print(f"{me} got None: stops")
            return
        print(f"{me} got job {job}")
        time.sleep(WORK)  # doing the job
        jobs.task_done()


consumers = [threading.Thread(target=consumer, name=f"consumer-{n}")
             for n in range(1, CONSUMERS + 1)]
threads = [*consumers, threading.Thread(target=producer, name="producer")]
for thread in threads:
    thread.start()
threads[-1].join()
jobs.join()  # returns once task_done() was called for every job put
print(f"main: join() returned, all {JOBS} jobs are done")
for _ in consumers:
    jobs.put(None)
for thread in consumers:
    thread.join()
