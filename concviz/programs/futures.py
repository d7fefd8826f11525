"""Factorials 1 to N in a ThreadPoolExecutor, collected with as_completed (the seed's
ques.7, with a sleep in each task).

Each task sleeps a random moment first, so they finish in another order than they were
submitted: as_completed hands each future over as it finishes. With FAIL = k the task
for k raises ValueError in its worker thread; result() re-raises it here, in the thread
that asks, where the loop catches it.

Run it with `python3 futures.py`, or watch it with `concviz watch futures.py`.
"""

import math
import random
import time
from concurrent.futures import CancelledError, ThreadPoolExecutor, as_completed

N = 10  # the factorials of 1 to N
WORKERS = 4  # threads in the pool
FAIL = 0  # 0: every task succeeds; k: the task for k raises ValueError
TASK_SLEEP = 0.2  # seconds a task sleeps at most (1000 tasks / 4 workers: about 25 s)


def factorial(n):
    # a random wait, so that the tasks finish out of order
    time.sleep(TASK_SLEEP * random.random())
    if n == FAIL:
        raise ValueError(f"factorial({n}) failed on purpose (FAIL = {FAIL})")
    return math.factorial(n)


with ThreadPoolExecutor(max_workers=WORKERS) as executor:
    futures = {executor.submit(factorial, n): n for n in range(1, N + 1)}
    for future in as_completed(futures):  # in the order they finish
        n = futures[future]
        try:
            result = future.result()  # re-raises the task's exception, in this thread
        except CancelledError:
            print(f"Factorial of {n} was cancelled before it ran")
        except ValueError as error:
            print(f"Factorial of {n} raised ValueError: {error}")
        else:
            print(f"Factorial of {n} is {result}")
