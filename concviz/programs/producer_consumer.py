"""Producers and consumers share one list under one threading.Lock (the seed's ques.4).

Unlike the seed's consumer, which gives up after ten looks, each consumer here goes on
until the producers are done and the list is empty, so no item is left behind. The check
(`if shared_list:`) and the pop happen under the same lock: no other thread can run
between them.

Run it with `python3 producer_consumer.py`, or watch it with
`concviz watch producer_consumer.py`.
"""

import itertools
import random
import threading
import time

ITEMS = 10  # items made in all, by every producer together
PRODUCERS = 1
CONSUMERS = 1
PRODUCE_MIN = 0.1  # seconds to make an item: the seed's random.uniform(0.1, 0.3)
PRODUCE_MAX = 0.3
CONSUME_MIN = 0.2  # seconds between two looks at the list: the seed's (0.2, 0.4)
CONSUME_MAX = 0.4

# concviz: show shared_list
shared_list = []
lock = threading.Lock()
numbers = itertools.count()  # the next item's number, shared by every producer
added = 0  # items put in the list so far, by every producer


def producer():
    global added
    me = threading.current_thread().name
    while (item := next(numbers)) < ITEMS:
        time.sleep(random.uniform(PRODUCE_MIN, PRODUCE_MAX))  # making the item takes time
        with lock:
            shared_list.append(item)
            added += 1
            print(f"{me} added {item} | List: {shared_list}")


def consumer():
    me = threading.current_thread().name
    while True:
        time.sleep(random.uniform(CONSUME_MIN, CONSUME_MAX))  # busy with the last item
        with lock:
            if shared_list:
                item = shared_list.pop(0)
                print(f"{me} removed {item} | List: {shared_list}")
            elif added == ITEMS:  # the producers are done: nothing more will come
                print(f"{me} found list empty, producers done: stops")
                return
            else:
                print(f"{me} found list empty")


threads = [threading.Thread(target=producer, name=f"Producer-{n}")
           for n in range(1, PRODUCERS + 1)]
threads += [threading.Thread(target=consumer, name=f"Consumer-{n}")
            for n in range(1, CONSUMERS + 1)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(f"Final list: {shared_list}")
