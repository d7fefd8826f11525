"""The producers and consumers of producer_consumer.py with the lock taken out, and
consumers that look at the list far more often (so that two often look at once).

A consumer checks the list (`if shared_list:`), then pops. With no lock, another
consumer can pop the last item between the two: the second pop(0) then finds the list
empty and raises IndexError, which ends that consumer (threading.excepthook prints the
traceback). A short sleep between the check and the pop widens that gap; without it the
race is rarer still, but not gone.

Run it with `python3 producer_consumer_no_lock.py` (again if no consumer raced: the
race needs the timing to line up), or watch it with `concviz watch producer_consumer_no_lock.py`.
"""

import itertools
import random
import threading
import time

ITEMS = 10  # items made in all, by every producer together
PRODUCERS = 1
CONSUMERS = 3  # several, so that two of them often look at the list at once
PRODUCE_MIN = 0.1  # seconds to make an item: the seed's random.uniform(0.1, 0.3)
PRODUCE_MAX = 0.3
# seconds between two looks at the list: far shorter than the seed's (0.2, 0.4), so that
# two consumers often find the same new item (with the seed's, 1 run in 20 raced)
CONSUME_MIN = 0.01
CONSUME_MAX = 0.03
RACE_WINDOW = 0.002  # seconds between the check and the pop

# concviz: show shared_list
shared_list = []
numbers = itertools.count()  # the next item's number, shared by every producer
added = 0  # items put in the list so far, by every producer


def producer():
    global added
    me = threading.current_thread().name
    while (item := next(numbers)) < ITEMS:
        time.sleep(random.uniform(PRODUCE_MIN, PRODUCE_MAX))  # making the item takes time
        shared_list.append(item)
        added += 1
        print(f"{me} added {item} | List: {shared_list}")


def consumer():
    me = threading.current_thread().name
    while True:
        time.sleep(random.uniform(CONSUME_MIN, CONSUME_MAX))  # busy with the last item
        if shared_list:  # check...
            # widens the gap between check and act: without it the race almost never shows
            time.sleep(RACE_WINDOW)
            item = shared_list.pop(0)  # ...then act: IndexError if another took the last item
            print(f"{me} removed {item} | List: {shared_list}")
        elif added == ITEMS:  # the producers are done: nothing more will come
            print(f"{me} found list empty, producers done: stops")
            return


threads = [threading.Thread(target=producer, name=f"Producer-{n}")
           for n in range(1, PRODUCERS + 1)]
threads += [threading.Thread(target=consumer, name=f"Consumer-{n}")
            for n in range(1, CONSUMERS + 1)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(f"Final list: {shared_list}")
