"""The one catalogue of what concviz runs: each program is a plain Python file in this
folder (or the seed's, in ``seed/``) plus one :class:`Entry` here. The command line
(``list``, ``show``, ``run``, ``watch``), the gallery, the lesson and the dashboard all
read it; adding a program is adding a file and an entry.

A few demos start processes, which the probe does not follow yet: they are entries with
an ``engine`` demo (``module:Class``) instead of a file, until it does."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

PROGRAMS = Path(__file__).resolve().parent
SEED_PREFIX = "seed:"

# The sections of the gallery's picker, in order
PRIMITIVES = "Primitives (ques.5)"
FAILURES = "Failures (ques.5-6)"
DASHBOARD = "Dashboard programs"
SEED = "Seed programs"
SECTIONS = (DASHBOARD, PRIMITIVES, FAILURES, SEED)

# The views a program's pane can open with (the others appear once the program makes
# something for them: a future, a shown list)
VIEWS = ("threads", "prims", "data", "futures", "output", "narration")


# The records here, and in the other modules the dashboard loads before its first frame,
# are NamedTuples rather than frozen dataclasses: a frozen dataclass compiles its methods
# at import (~0.5 ms each here), a NamedTuple takes ~0.07 ms.
class Card(NamedTuple):
    """The teaching card of a program, in the project's own words."""

    title: str
    purpose: str  # what the primitive or situation is for
    use_when: str  # when to reach for it (the seed's "Use when")
    trade_off: str
    say_in_class: str  # one detail worth saying out loud


class Entry(NamedTuple):
    """One program of the catalogue."""

    name: str
    summary: str  # one line: what it teaches
    file: str = ""  # relative to this folder (an absolute path stays as it is)
    section: str = PRIMITIVES
    card: Card | None = None
    page: int | None = None  # the lesson page that runs it
    views: tuple[str, ...] = ("threads", "prims", "output", "narration")
    show: tuple[str, ...] = ()  # globals shown (beside any "# concviz: show" line)
    processes: bool = False  # it starts processes, which the probe does not follow yet
    deadlock: bool = False  # it deadlocks on purpose: concviz ends it, and says so
    engine: str = ""  # "module:Class" of an engine demo (processes), instead of a file
    variants: Mapping[str, str] = MappingProxyType({})  # key -> another entry's name

    @property
    def path(self) -> Path | None:
        """The file that runs (None: an engine demo)."""
        return PROGRAMS / self.file if self.file else None


CARDS = {
    'lock': Card(
        title='threading.Lock',
        purpose='Mutual exclusion: one thread at a time runs the code between acquire and '
                'release.',
        use_when='Protecting shared mutable data (lists, dicts, counters) that several '
                 'threads read and then write.',
        trade_off='Threads that want the lock wait in line: hold it for the few lines that '
                  'touch the data, never across a sleep or I/O you can avoid.',
        say_in_class='A Lock has no idea who owns it: any thread may release it. Use `with '
                     'lock:` so the owner always does, even when an exception flies.',
    ),
    'rlock': Card(
        title='threading.RLock',
        purpose='A lock its owner may take again: methods that take it can call each '
                'other.',
        use_when='Protecting shared data when one locked method calls another locked '
                 'method of the same object.',
        trade_off='Easy to nest without noticing how long the lock is held; a bit slower '
                  'than Lock, and every acquire needs its own release.',
        say_in_class='An RLock knows its owner: release() from another thread raises '
                     'RuntimeError. A plain Lock taken twice by one thread just waits for '
                     'itself, forever.',
    ),
    'semaphore': Card(
        title='threading.Semaphore',
        purpose='A counter of free slots: acquire() takes one (or waits), release() gives '
                'one back.',
        use_when='Allowing N threads to use something at once: connections, downloads, a '
                 'rate- limited API.',
        trade_off='Nothing checks that releases match acquires: one release too many and '
                  'the limit quietly becomes N+1, forever.',
        say_in_class='A Semaphore is not owned: any thread may release() it, even one that '
                     'never acquired. That is what makes it useful for signalling, and easy to '
                     'break.',
    ),
    'bounded-semaphore': Card(
        title='threading.BoundedSemaphore',
        purpose='A Semaphore that refuses to count above its starting value.',
        use_when='Allowing N threads to use something at once, when every release should '
                 'match an acquire (nearly always).',
        trade_off='The check costs almost nothing; it only catches releasing too often, not '
                  'forgetting to release (that still leaks a slot).',
        say_in_class='The bug is the same line as in the plain Semaphore demo: here it fails '
                     'loudly, at the spot, instead of silently raising the limit.',
    ),
    'condition': Card(
        title='threading.Condition',
        purpose='Wait, with the lock released, until another thread changes the shared '
                'state and says so with notify().',
        use_when='One thread must wait for a condition set by another: a buffer not empty, '
                 'a buffer not full, a job done.',
        trade_off='With one Condition for both kinds, notify() can wake the wrong kind and '
                  'all sleep: use notify_all(), or one Condition per kind on one lock (as '
                  'queue.Queue).',
        say_in_class='Always `while not ready: cond.wait()`, never `if`: a woken thread is '
                     'only told that something changed, and another may have taken the item '
                     'first.',
    ),
    'event': Card(
        title='threading.Event',
        purpose='A flag threads can wait on: set() raises it and wakes every waiter, '
                'clear() lowers it.',
        use_when='One thread needs to tell others to start or to stop: a start signal, a '
                 "shutdown request, 'the data is loaded'.",
        trade_off='It carries no data and no count. It stays set: every wait() passes at '
                  'once until clear() (a notify() that finds nobody waiting is simply '
                  'lost).',
        say_in_class='wait(timeout) returns True unless it timed out: `while not '
                     'stop.wait(1):` is the tidy way to run until told to stop.',
    ),
    'queue': Card(
        title='queue.Queue',
        purpose='Pass items between threads safely: put() at one end, get() at the other, '
                'first in, first out.',
        use_when='Passing data between threads: producers and consumers, a pool of workers '
                 'fed with jobs.',
        trade_off='A bounded queue makes a fast producer wait (back-pressure); an unbounded '
                  'one never blocks it and can grow until memory runs out.',
        say_in_class='The queue does the locking for you: no Lock, no Condition in sight. '
                     'task_done() and join() tell you when the work is finished, not just '
                     'taken.',
    ),
    'barrier': Card(
        title='threading.Barrier',
        purpose='A meeting point: each thread waits there until all N have arrived, then '
                'all go on together.',
        use_when='Threads work in rounds and none may start round k+1 before every one has '
                 'finished round k (simulations, phased tests).',
        trade_off='Everyone moves at the pace of the slowest party; one party that never '
                  'comes holds all the others, unless a timeout breaks the barrier for '
                  'everyone.',
        say_in_class='A timeout does not just fail the thread that waited too long: it breaks '
                     'the barrier, and every party, present or yet to come, gets the error.',
    ),
    'mp-counter': Card(
        title='multiprocessing.Value',
        purpose='A number in shared memory that several processes read and write.',
        use_when='Processes must share a small counter or flag; for real data, prefer '
                 'passing messages (a multiprocessing.Queue).',
        trade_off='Each access crosses a lock and shared memory: much slower than a local '
                  'variable, and a read-modify-write needs the lock held around it.',
        say_in_class='Value already has a lock, yet += loses updates: the lock is taken for '
                     'the read and again for the write, never around both. Use get_lock().',
    ),
    'mp-queue': Card(
        title='multiprocessing.Queue',
        purpose='Pass data between processes: one puts, another gets, in order.',
        use_when='Handing work to worker processes and collecting their results, without '
                 'sharing memory.',
        trade_off='Every item is pickled and copied through a pipe: cheap for numbers, '
                  'costly for big objects, and only picklable things can travel.',
        say_in_class='put() returns at once: a feeder thread in the sender writes to the pipe '
                     'later. Stop each worker with a sentinel it recognizes (None here).',
    ),
    'thread-exception': Card(
        title='An exception in a thread',
        purpose='Show where an uncaught exception in a thread goes: to '
                'threading.excepthook, not to the thread that started it.',
        use_when='Any program with threads: install a threading.excepthook (or catch '
                 "inside the thread) so a worker's death is logged, not lost.",
        trade_off='The main program survives, but it may go on with half the work done and '
                  'no idea unless something reports it.',
        say_in_class='join() returns normally on a thread that died: the exception never '
                     'crosses over to the thread that joins.',
    ),
    'dead-lock-holder': Card(
        title='A thread dies holding a lock',
        purpose='Show why a lock must be released on every path out, exceptions included.',
        use_when='Always take a lock with `with lock:` (or try/finally) so an exception '
                 'cannot leave it held.',
        trade_off='None worth the risk: the `with` form costs nothing, and the bare '
                  'acquire()/release() pair leaves the lock held by a thread that is gone.',
        say_in_class='With a plain acquire() the waiters would wait forever, silently: only '
                     "the dead thread's traceback hints why. This program's waiters use "
                     'acquire(timeout=...) so that it ends; the timeout is in its code.',
    ),
    'lock-order': Card(
        title='Lock order',
        purpose='Two locks taken in opposite orders: a deadlock waiting for its timing. '
                'Plain Python then waits forever; concviz ends it (k) and says so.',
        use_when='Whenever a thread holds one lock while taking another: fix one global '
                 'order (A before B) and keep to it everywhere.',
        trade_off='A global order is a rule every caller must know; the alternative, '
                  'acquire with a timeout and back off, turns hangs into retries.',
        say_in_class='The bug is there from the first round; tests pass until the timing lines '
                     "up. Python has no check for it: concviz's lock-order check, like the "
                     "Linux kernel's lockdep, warns on the first round, from the order alone.",
    ),
    'process-exception': Card(
        title='An exception in a process',
        purpose='Show what the parent learns when a child process fails: an exit code, '
                'or, from a Pool, the exception itself.',
        use_when='Running work in processes: check exitcode after join(), or give '
                 'apply_async an error_callback (or call get()) so no failure goes unseen.',
        trade_off='A process is isolated: its crash cannot corrupt the parent, but nothing '
                  "arrives unless you ask; a bare Process only says '1'.",
        say_in_class="The callbacks run in a thread of the parent (the pool's result handler), "
                     'not in the worker: keep them short and never block in them.',
    ),
    'process': Card(
        title='multiprocessing.Process',
        purpose='Run a function in a separate Python interpreter with its own memory.',
        use_when='CPU-bound work that must run in parallel, or work that must not be able '
                 'to crash the main program.',
        trade_off='Nothing is shared: arguments and results are pickled across. concviz '
                  'starts the child with spawn, a fresh interpreter (fork from a process '
                  "running threads can deadlock); the seed's program forks on Linux before "
                  'Python 3.14, a quicker copy of the parent.',
        say_in_class='Compare the pids: the child is a different program to the operating '
                     'system, started by ours.',
    ),
}

CARDS["pool"] = Card(
    title="multiprocessing.Pool",
    purpose="Keep a fixed set of worker processes and hand them many tasks: "
            "map() splits the inputs among them and collects the results in order.",
    use_when="CPU-bound work split into many independent pieces (ques.1, ques.3).",
    trade_off="Every input and result is pickled across, and workers take time to "
              "start: concviz uses spawn (each worker a fresh interpreter), because "
              "forking a process that runs threads can deadlock; the seed's program "
              "forks on Linux before Python 3.14, which starts workers much faster.",
    say_in_class="More processes than cores add start-up cost, not speed: with CPU "
                 "work the core meters are full once each core has a worker; more "
                 "workers only take turns.",
)
CARDS["producer-consumer"] = Card(
    title="a list shared under threading.Lock",
    purpose="Producers append to a list and consumers pop from it, one thread at a time "
            "under one Lock.",
    use_when="Threads hand work to each other through shared data and you want to see why "
             "the check and the pop must happen under the same lock.",
    trade_off="Consumers poll: they take the lock only to find the list empty. "
              "queue.Queue blocks them instead, with the lock inside it.",
    say_in_class="`if shared_list:` and `shared_list.pop(0)` are two steps; another "
                 "thread can run between them unless both are under the lock.",
)
CARDS["producer-consumer-no-lock"] = Card(
    title="the same list with no lock",
    purpose="The same producers and consumers with the lock taken out, consumers that "
            "look at the list far more often, and a visible RACE_WINDOW sleep between "
            "the check and the pop.",
    use_when="Showing a check-then-act race: two consumers see one item, both pop.",
    trade_off="The RACE_WINDOW sleep and consumers that look every few milliseconds make "
              "the race common enough to see in most runs; without them it is rare, not "
              "gone.",
    say_in_class="pop(0) is atomic under CPython's GIL; the check before it is not, so the "
                 "second pop finds the list empty and raises IndexError.",
)
CARDS["futures"] = Card(
    title="concurrent.futures.ThreadPoolExecutor",
    purpose="Submit calls to a pool of worker threads and collect their results as futures.",
    use_when="Many independent I/O-bound calls whose results you want as they finish.",
    trade_off="as_completed gives results in the order they finish, not the order "
              "submitted; map gives input order and waits for each in turn.",
    say_in_class="A future is a promise of a result: result() waits for it, and re-raises "
                 "the call's exception in the thread that asks.",
)

CARDS["daemon"] = Card(
    title="daemon threads at exit",
    purpose="Show what Python does with threads still running when the main thread's "
            "code ends: it waits for plain threads, and stops daemon threads.",
    use_when="A daemon thread suits background work nobody needs finished (a heartbeat, "
             "a cache refresher); anything that must complete is a plain thread, joined.",
    trade_off="A daemon never holds the program open, but it can be stopped mid-write: "
              "its finally blocks and with-exits do not run.",
    say_in_class="Nothing joins the plain thread here, yet the program waits for it: "
                 "Python joins every non-daemon thread at exit.",
)

ENTRIES: tuple[Entry, ...] = (
    Entry("producer-consumer", "Producers and consumers share a list under one "
          "threading.Lock, until the producers are done (ques.4).", "producer_consumer.py",
          DASHBOARD, CARDS["producer-consumer"], page=4,
          views=("threads", "prims", "data", "output", "narration"),
          variants={"l": "producer-consumer-no-lock"}),
    Entry("producer-consumer-no-lock", "The same list with no lock: a visible race window "
          "lets two consumers pop one item (ques.4).", "producer_consumer_no_lock.py",
          DASHBOARD, CARDS["producer-consumer-no-lock"],
          views=("threads", "data", "output", "narration"),
          variants={"l": "producer-consumer"}),
    Entry("futures", "Factorials in a ThreadPoolExecutor, collected with as_completed: "
          "they finish out of order (ques.7).", "futures.py", DASHBOARD, CARDS["futures"],
          page=7, views=("threads", "futures", "output", "narration")),
    Entry("pool", "multiprocessing.Pool runs of size 2, 4 and 8 on this machine's cores "
          "(ques.1, 2, 8).", section=DASHBOARD, card=CARDS["pool"], processes=True,
          engine="concviz.engine.pool_runs:PoolRuns"),
    Entry("lock", "threading.Lock: one owner at a time guards a read-modify-write (ques.5).",
          "lock.py", PRIMITIVES, CARDS["lock"], page=5),
    Entry("rlock", "threading.RLock: the owner re-enters, a count goes up and down (ques.5).",
          "rlock.py", PRIMITIVES, CARDS["rlock"]),
    Entry("semaphore", "threading.Semaphore: N slots; an extra release() silently adds one "
          "(ques.5).", "semaphore.py", PRIMITIVES, CARDS["semaphore"]),
    Entry("bounded-semaphore", "threading.BoundedSemaphore: N slots; an extra release() "
          "raises ValueError (ques.5).", "bounded_semaphore.py", PRIMITIVES,
          CARDS["bounded-semaphore"]),
    Entry("condition", "threading.Condition: one Condition and notify() can wake the wrong "
          "thread; notify_all() or two Conditions (ques.5).", "condition.py", PRIMITIVES,
          CARDS["condition"]),
    Entry("event", "threading.Event: one set() releases every waiter; clear() and wait "
          "again (ques.5).", "event.py", PRIMITIVES, CARDS["event"]),
    Entry("queue", "queue.Queue(maxsize=3): put() blocks when full, get() when empty "
          "(ques.5).", "bounded_queue.py", PRIMITIVES, CARDS["queue"]),
    Entry("barrier", "threading.Barrier: parties arrive one by one, leave together; a "
          "timeout breaks it (ques.5).", "barrier.py", PRIMITIVES, CARDS["barrier"]),
    Entry("thread-exception", "A Thread raises: threading.excepthook reports it, the main "
          "program goes on (ques.6).", "thread_exception.py", FAILURES,
          CARDS["thread-exception"]),
    Entry("dead-lock-holder", "A thread dies holding a lock taken without `with`: the "
          "others wait in vain (ques.6).", "dead_lock_holder.py", FAILURES,
          CARDS["dead-lock-holder"], page=6),
    Entry("lock-order", "Two threads take two locks in opposite order: concviz warns of "
          "the order, then finds the deadlock.", "lock_order.py", FAILURES,
          CARDS["lock-order"], deadlock=True),
    Entry("daemon", "Daemon threads at exit: Python waits for a plain thread, and stops a "
          "daemon one mid-job, its finally unrun.", "daemon.py", FAILURES, CARDS["daemon"]),
    Entry("mp-counter", "Processes increment a multiprocessing.Value, without then with its "
          "lock (ques.5).", section=FAILURES, card=CARDS["mp-counter"], processes=True,
          engine="concviz.engine.failures.mp_counter:MpCounter"),
    Entry("mp-queue", "A multiprocessing.Queue passes work between processes (ques.5).",
          section=FAILURES, card=CARDS["mp-queue"], processes=True,
          engine="concviz.engine.failures.mp_queue:MpQueue"),
    Entry("process-exception", "A worker process raises: its exit code, and a Pool's "
          "error_callback (ques.6).", section=FAILURES, card=CARDS["process-exception"],
          processes=True, engine="concviz.engine.failures.process_exception:ProcessException"),
    Entry("process", "Process(target=task): a function run in its own Python process "
          "(ques.3).", section=SEED, card=CARDS["process"], processes=True,
          engine="concviz.engine.seed_process:SeedProcess"),
    Entry("seed:ques2-executor", "The seed's ProcessPoolExecutor: map squares 0 to 5 in "
          "worker processes (ques.2).", "seed/ques2_executor.py", SEED, processes=True),
    Entry("seed:ques2-pool", "The seed's Pool of 4 processes: map squares 1 to 5 (ques.2).",
          "seed/ques2_pool.py", SEED, processes=True),
    Entry("seed:ques3", "The seed's Process: task() runs in a new process, which is joined "
          "(ques.3).", "seed/ques3_process.py", SEED, processes=True),
    Entry("seed:ques4", "The seed's producer and consumer threads share a list under one "
          "Lock (ques.4).", "seed/ques4_producer_consumer.py", SEED,
          CARDS["producer-consumer"], views=("threads", "prims", "data", "output", "narration"),
          show=("shared_list",)),
    Entry("seed:ques7", "The seed's factorials 1 to 10 in a ThreadPoolExecutor of 4, printed "
          "as_completed (ques.7).", "seed/ques7_futures.py", SEED, CARDS["futures"],
          views=("threads", "futures", "output", "narration")),
    Entry("seed:ques8", "The seed's Pools of 2, 4 and 8 processes square 1 to 10, each timed "
          "(ques.8).", "seed/ques8_pool_sizes.py", SEED, processes=True),
)

CATALOGUE: dict[str, Entry] = {entry.name: entry for entry in ENTRIES}


def programs() -> list[Entry]:
    """Every entry that is a program file (not an engine demo), in catalogue order."""
    return [entry for entry in CATALOGUE.values() if entry.file]


def in_section(section: str) -> list[Entry]:
    return [entry for entry in CATALOGUE.values() if entry.section == section]
