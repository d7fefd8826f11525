"""An exception in a thread does not stop the main program.

Three workers parse records; one record is bad, so its worker raises ValueError and
dies. The exception goes to threading.excepthook (here a small hook that notes the
thread, then prints the traceback as Python's default one does), not to the main
thread, which goes on working. join() on the dead thread returns normally.

Run it with `python3 thread_exception.py`, or watch it with
`concviz watch thread_exception.py`.
"""

import threading
import time

STEP = 0.3  # seconds to parse one record
MAIN_STEPS = 3  # steps of the main thread's own work meanwhile

records = {"worker-1": ["12", "7", "31"], "worker-2": ["5", "n/a", "9"],
           "worker-3": ["40", "2", "18"]}
died = []  # the threads the hook was told about


def report(args):  # threading.excepthook: called in the dying thread
    died.append(args.thread.name)
    threading.__excepthook__(args)  # Python's default: print the traceback to stderr


threading.excepthook = report


def parse():
    me = threading.current_thread().name
    for record in records[me]:
        time.sleep(STEP)  # parsing takes a moment
        value = int(record)  # "n/a" raises ValueError, caught nowhere: this thread dies
        print(f"{me} parsed {value}")
    print(f"{me} is done")


workers = [threading.Thread(target=parse, name=name) for name in records]
for thread in workers:
    thread.start()
for step in range(1, MAIN_STEPS + 1):
    time.sleep(STEP)  # the main thread's own work
    print(f"main works on, step {step}")
for thread in workers:
    thread.join()  # returns normally, also for the thread that died
    print(f"main joined {thread.name}")
print(f"main is done; the hook saw {len(died)} thread die: {', '.join(died)}")
