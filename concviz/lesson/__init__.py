"""The lesson: the seed's eight questions in order, each with its explanation in the
project's own words and the talking points a teacher wants at hand. Plain data: the
TUI's lesson screen pairs each page with its live demo."""

from __future__ import annotations

from dataclasses import dataclass

from concviz.programs.catalogue import Card


@dataclass(frozen=True, slots=True)
class Page:
    number: int  # the seed's question number
    title: str
    question: str
    explanation: str
    points: Card


PAGES: tuple[Page, ...] = (
    Page(
        1, "Threads or processes?",
        "When is multithreading preferable to multiprocessing, and when is it the other way?",
        "Threads share one interpreter, so in CPython only one runs Python bytecode at a time "
        "(the GIL), but a thread waiting on I/O lets the others run. Processes each have their "
        "own interpreter and GIL, so CPU-bound work really runs in parallel, one core each. "
        "Watch the core meters: threads on CPU work fill about one core; processes fill all "
        "of them; on I/O (sleep) work both finish together.",
        Card(
            title="threads against processes",
            purpose="Run several pieces of work at once.",
            use_when="Threads for I/O-bound work (network, files, databases); processes for "
                     "CPU-bound work (number crunching, images, compression).",
            trade_off="Processes cost memory and start-up time, and their data must be "
                      "pickled across; threads are cheap but share one GIL.",
            say_in_class="Count the cores on the meters: more workers than cores buys "
                         "nothing for CPU work.",
        ),
    ),
    Page(
        2, "The process pool",
        "What is a process pool and how does it help manage many processes?",
        "A pool starts a fixed number of worker processes once and hands them task after "
        "task, instead of starting a process per task. Pool.map and ProcessPoolExecutor.map "
        "split the inputs among the workers and give the results back in input order.",
        Card(
            title="multiprocessing.Pool / ProcessPoolExecutor",
            purpose="Reuse a fixed set of worker processes for many tasks.",
            use_when="Many independent CPU-bound tasks over a list of inputs.",
            trade_off="Each task's arguments and results are pickled; tiny tasks cost more "
                      "to ship than to compute.",
            say_in_class="map returns results in input order even though the workers finish "
                         "in any order.",
        ),
    ),
    Page(
        3, "What multiprocessing is",
        "What is multiprocessing and why do Python programs use it?",
        "Each process is an independent program with its own memory and its own interpreter; "
        "processes share nothing unless you use queues, pipes or shared memory. Python uses "
        "them to get around the GIL: CPU-bound work runs truly in parallel, one process per "
        "core.",
        Card(
            title="multiprocessing.Process",
            purpose="Run a function in a separate Python process.",
            use_when="CPU-bound work, or work that must not be able to crash the main program.",
            trade_off="Nothing is shared by default, and start-up depends on the start "
                      "method. concviz uses spawn: each child is a fresh interpreter that "
                      "imports the program again, slow but safe, because a fork of a process "
                      "that runs threads (concviz's own) copies only the forking thread and "
                      "can deadlock on a lock another thread held. The seed's program, on "
                      "Linux before Python 3.14, forks: the child is a copy of the parent, "
                      "much quicker to start.",
            say_in_class="Each worker has its own pid: the operating system sees separate "
                         "programs.",
        ),
    ),
    Page(
        4, "A lock around a shared list",
        "A producer adds numbers to a list and a consumer removes them: avoid races with "
        "threading.Lock.",
        "Both threads touch the same list. `with lock:` makes check-and-pop one indivisible "
        "step: while one thread holds the lock, the other waits. Press l to take the lock "
        "away (the same program without it) and add consumers (o): two consumers can then "
        "both pass the check for the last item, and the second pop(0) raises IndexError, "
        "which ends that consumer's thread.",
        Card(
            title="threading.Lock",
            purpose="Only one thread at a time in the code that touches shared data.",
            use_when="Protecting shared mutable data: lists, dicts, counters.",
            trade_off="Threads wait for each other; hold the lock as briefly as you can.",
            say_in_class="The race is between the check (`if shared_list`) and the act "
                         "(`pop(0)`), not inside either one.",
        ),
    ),
    Page(
        5, "Sharing data safely",
        "What tools does Python give for safely sharing data between threads and processes?",
        "Threads share memory, so they coordinate with Lock and RLock (one at a time), "
        "Semaphore (N at a time), Condition (wait until something is true), Event (a signal), "
        "and queue.Queue (hand data over). Processes share nothing by default: "
        "multiprocessing.Value, Queue and Manager carry the data across.",
        Card(
            title="sync primitives",
            purpose="Let threads and processes share data without corrupting it.",
            use_when="Lock for shared data, Semaphore for N slots, Condition to wait for a "
                     "state, Event to signal, Queue to pass work.",
            trade_off="Every primitive adds waiting; the simplest design is a Queue and no "
                      "shared state at all.",
            say_in_class="Even `counter.value += 1` on a shared Value loses updates without "
                         "its lock: += is a read then a write.",
        ),
    ),
    Page(
        6, "Exceptions in concurrent programs",
        "Why must concurrent programs handle exceptions, and how?",
        "An exception in a thread does not stop the main program: it is reported by "
        "threading.excepthook and the thread is gone. If it died holding a lock taken "
        "without `with`, the others wait forever. A future keeps its task's exception and "
        "raises it again from result(). A Process whose function raises prints the "
        "traceback on its own stderr and exits with code 1: its parent sees only that code. "
        "A Pool or a ProcessPoolExecutor catches the exception in the worker, sends it back "
        "and raises it again in the parent (from map(), get() or result()).",
        Card(
            title="exceptions and cleanup",
            purpose="Keep one failure from silently corrupting or freezing the whole program.",
            use_when="Always: `with lock:`, try/finally, future.result() or "
                     "future.exception(), a pool's error_callback.",
            trade_off="Errors surface later and elsewhere than where they happened.",
            say_in_class="`with lock:` releases the lock even when the body raises: that "
                         "is the whole point of it.",
        ),
    ),
    Page(
        7, "Factorials in a thread pool",
        "Compute the factorials of 1 to 10 concurrently with ThreadPoolExecutor.",
        "submit() hands each task to the pool and returns a future at once; as_completed() "
        "yields the futures in the order they finish, which is not the order they were "
        "submitted. Four workers share ten tasks.",
        Card(
            title="ThreadPoolExecutor and futures",
            purpose="Run many small tasks on a fixed set of threads and collect results.",
            use_when="Many I/O-bound tasks, or tasks whose results you want as they come.",
            trade_off="For CPU-bound work the threads still share one GIL.",
            say_in_class="A future is a promise of a result: done, failed or cancelled, and "
                         "only cancellable while it is still waiting.",
        ),
    ),
    Page(
        8, "Pool sizes 2, 4 and 8",
        "Square 1 to 10 with multiprocessing.Pool of sizes 2, 4 and 8 and time each run.",
        "Squaring ten numbers takes microseconds; starting, feeding and stopping worker "
        "processes takes milliseconds. So each time measured here is mostly that overhead, "
        "not the squaring: read the times this machine just measured, beside this text, "
        "rather than expecting a bigger pool to be faster. With real work (primes) more "
        "processes can help only up to the number of cores the program may use.",
        Card(
            title="pool size",
            purpose="Choose how many worker processes to run.",
            use_when="Match the pool to the cores the program may use for CPU-bound "
                     "work: len(os.sched_getaffinity(0)) on Linux, os.process_cpu_count() "
                     "from Python 3.13. os.cpu_count() counts every core of the machine, "
                     "also those an affinity mask or a cpuset keeps it off.",
            trade_off="Each extra process costs start-up time and memory.",
            say_in_class="The meters show this machine's cores: a pool bigger than the "
                         "cores it may use only takes turns on them.",
        ),
    ),
)
