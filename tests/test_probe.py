"""The probe runs real programs unmodified and reports what their threads do."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.probed import Probed, write

SEED = Path(__file__).resolve().parent.parent / "concviz" / "programs" / "seed"

STUDENT = '''\
import queue
import threading

jobs = queue.Queue(maxsize=2)
slots = threading.Semaphore(1)
done = threading.Event()  # the producer has begun


class Worker:
    def __init__(self):
        self.lock = threading.RLock()

    def take(self):
        with self.lock:
            with self.lock:
                return jobs.get()


def producer():
    done.set()
    for n in range(4):
        jobs.put(n)


def consumer(worker):
    done.wait()
    for _ in range(4):
        with slots:
            print("got", worker.take())


worker = Worker()
threads = [threading.Thread(target=producer), threading.Thread(target=consumer, args=(worker,))]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("active", threading.active_count())
'''


def run_bare(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                          timeout=30, cwd=path.parent)


def test_header_then_events_with_program_names_and_lines(tmp_path: Path) -> None:
    program = write(tmp_path, "student.py", STUDENT)
    run = Probed(program)
    status, stdout, stderr = run.finish()
    assert (status, stderr) == (0, "")
    assert stdout == run_bare(program).stdout  # the program prints what it prints bare
    assert "active 1" in stdout  # the probe's own threads are not the program's
    header = run.header
    assert (header["wire"], header["schema"]) == ("concviz-probe", 1)
    assert header["program"] == str(program)
    names = {event["obj"]: event["name"] for event in run.kinds("name")}
    made = {event["type"]: event for event in run.kinds("new")}
    assert set(made) == {"Queue", "Semaphore", "Event", "RLock"}
    assert names[made["Queue"]["obj"]] == "jobs"
    assert names[made["RLock"]["obj"]] == "self.lock"
    assert made["Queue"]["line"] == 4 and made["Queue"]["maxsize"] == 2
    assert made["RLock"]["line"] == 11
    # re-entry is counted, and the queue's items go in and come out in order
    counts = [e["count"] for e in run.kinds("acquired", "release") if e.get("count")]
    assert counts[:3] == [1, 2, 1]
    assert [e["item"] for e in run.kinds("put")] == ["0", "1", "2", "3"]
    assert [e["item"] for e in run.kinds("get")] == ["0", "1", "2", "3"]
    # the Queue's own locks and Conditions are the standard library's: counted, not shown
    internal = run.kinds("internal")[-1]["counts"]
    assert internal["Condition"] >= 3 and internal["Lock"] >= 1
    starts = {e["tid"]: e["target"] for e in run.kinds("thread-start")}
    assert sorted(starts.values()) == ["consumer", "producer"]
    assert len(run.kinds("thread-end")) == 2


def test_a_put_on_a_full_queue_blocks_and_is_said(tmp_path: Path) -> None:
    program = write(tmp_path, "full.py", """\
import queue
q = queue.Queue(maxsize=1)
q.put("a")
def take():
    q.get()
q.put("b")  # full: waits until the test has concviz start take()
""")
    run = Probed(program)
    blocked = run.wait_for(lambda e: e["kind"] == "block")
    assert (run.events[blocked]["on"], run.events[blocked]["line"]) == ("full", 6)
    run.send("spawn", function="take")
    assert run.finish()[0] == 0
    kinds = [(e["kind"], e.get("item")) for e in run.kinds("put", "get")]
    assert kinds == [("put", "'a'"), ("get", "'a'"), ("put", "'b'")]


def test_thread_death_and_main_error_keep_pythons_own_tracebacks(tmp_path: Path) -> None:
    program = write(tmp_path, "dies.py", """\
import threading
def boom():
    items = []
    items.pop(0)
t = threading.Thread(target=boom)
t.start()
t.join()
def f():
    raise ValueError("top")
f()
""")
    run = Probed(program)
    status, stdout, stderr = run.finish()
    bare = run_bare(program)
    assert (status, stderr) == (bare.returncode, bare.stderr)
    assert "concviz" not in stderr
    (death,) = run.kinds("thread-error")
    assert death["error"] == "IndexError: pop from empty list"
    assert (death["line"], death["hook"]) == (4, "default")
    assert death["thread"] == "Thread-1 (boom)"
    (error,) = run.kinds("main-error")
    assert (error["error"], error["line"]) == ("ValueError: top", 9)
    assert not run.kinds("thread-end")  # it died: it did not end


def test_syntax_error_and_exit_codes_are_the_programs(tmp_path: Path) -> None:
    for name, source in [("syntax.py", "x = (\n"), ("three.py", "import sys\nsys.exit(3)\n"),
                         ("four.py", "import os\nos._exit(4)\n")]:
        program = write(tmp_path, name, source)
        run = Probed(program)
        status, _, stderr = run.finish()
        bare = run_bare(program)
        assert (status, stderr) == (bare.returncode, bare.stderr), name


def test_futures_report_worker_result_and_completion_order(tmp_path: Path) -> None:
    run = Probed(SEED / "ques7_futures.py")
    status, stdout, _ = run.finish()
    assert status == 0
    submitted = run.kinds("submit")
    assert [e["fn"] for e in submitted] == ["factorial"] * 10
    assert [e["args"] for e in submitted] == [str(n) for n in range(1, 11)]
    done = {e["obj"]: e["result"] for e in run.kinds("future-done")}
    assert len(done) == 10
    printed = [line.split()[2] for line in stdout.splitlines()]
    order = [done[e["obj"]].split(",")[0].strip("(") for e in run.kinds("completed")]
    assert order == printed  # the completion order is the order the program saw
    workers = {e["thread"] for e in run.kinds("future-running")}
    assert workers and all(w.startswith("ThreadPoolExecutor-") for w in workers)
    starts = run.kinds("thread-new")
    assert starts and not any(e["internal"] for e in starts)  # the workers are shown
    (executor,) = run.kinds("new")
    assert (executor["type"], executor["max_workers"]) == ("ThreadPoolExecutor", 4)


def test_pause_holds_every_thread_and_step_lets_one_operation_through(
        tmp_path: Path) -> None:
    program = write(tmp_path, "busy.py", """\
import threading, time
def work(lock):
    while True:
        with lock:
            time.sleep(0.001)
for _ in range(2):  # a lock each: no thread ever blocks, each step ends at a hold
    threading.Thread(target=work, args=(threading.Lock(),), daemon=True).start()
time.sleep(3600)
""")
    run = Probed(program)
    try:
        run.wait_for(lambda e: e["kind"] == "acquired")
        # the main thread first in its hour's sleep: then only the workers hold
        run.wait_for(lambda e: e["kind"] == "sleep" and e["tid"] == 1)
        run.send("pause")
        paused = run.wait_for(lambda e: e["kind"] == "control" and e["cmd"] == "pause")
        # both workers come to a hold (the main thread sleeps on, an hour)
        run.wait_for(lambda e: e["kind"] == "hold" and e["tid"] == 2, paused)
        run.wait_for(lambda e: e["kind"] == "hold" and e["tid"] == 3, paused)
        operations = ("acquired", "release", "block", "sleep")
        for _ in range(6):
            before = len(run.events)
            run.send("step")
            step = run.wait_for(lambda e: e["kind"] == "control" and e["cmd"] == "step",
                                before)
            # the thread let through comes to its next hold: then the step is over
            run.wait_for(lambda e: e["kind"] == "hold", step)
            after = run.events[step + 1:]
            stepped = [e for e in after if e["kind"] in operations]
            assert len(stepped) == 1, after
        run.send("resume")
        resumed = run.wait_for(lambda e: e["kind"] == "control" and e["cmd"] == "resume")
        run.wait_for(lambda e: e["kind"] == "acquired", resumed)
    finally:
        run.process.kill()
        run.finish()


def test_spawn_and_speed_are_concvizs_and_said(tmp_path: Path) -> None:
    program = write(tmp_path, "spawn.py", """\
import threading, time
ready = threading.Event()
def helper():
    time.sleep(2)
    print("helper done")
ready.wait()
""")
    run = Probed(program)
    run.wait_for(lambda e: e["kind"] == "event-wait")
    run.send("speed", factor=10)
    run.send("spawn", function="helper")
    run.send("spawn", function="nothing_such")
    new = run.wait_for(lambda e: e["kind"] == "thread-new")
    assert run.events[new]["by"] == "concviz" and run.events[new]["target"] == "helper"
    found = run.wait_for(lambda e: e["kind"] == "sleep")  # first: events is a snapshot
    sleep = run.events[found]
    assert (sleep["seconds"], sleep["wall"]) == (2.0, 0.2)
    run.wait_for(lambda e: e["kind"] == "thread-end")
    found = run.wait_for(lambda e: e.get("function") == "nothing_such")
    refused = run.events[found]
    assert "no function" in refused["error"]
    run.send("spawn", function="ready.set")  # not a function's name: refused too
    run.process.kill()
    run.finish()


def test_shown_data_follows_every_operation(tmp_path: Path) -> None:
    run = Probed(SEED / "ques4_producer_consumer.py", seed=3, show=("shared_list",),
                 speed=10)
    status, stdout, _ = run.finish()
    assert status == 0
    replay: list[int] = []
    shown = [e["value"] for e in run.kinds("data")]
    for line in stdout.splitlines():
        if line.startswith("Producer added"):
            replay.append(int(line.split()[2]))
        elif line.startswith("Consumer removed"):
            replay.pop(0)
    assert shown[-1] == replay
    assert Counter(len(v) for v in shown)  # lists, as cells
    assert run.header["seed"] == 3 and run.header["show"] == ["shared_list"]


def test_a_pool_forked_by_the_program_runs_and_reports_nothing_from_its_workers(
        tmp_path: Path) -> None:
    run = Probed(SEED / "ques2_pool.py")
    status, stdout, _ = run.finish()
    assert (status, stdout) == (0, "[1, 4, 9, 16, 25]\n")
    assert {e["thread"] for e in run.events} <= {"MainThread", "concviz"} | {
        e["name"] for e in run.kinds("thread-new")}


@pytest.mark.parametrize("output", ["events"])
def test_events_mode_sends_the_output_as_events_only(tmp_path: Path, output: str) -> None:
    program = write(tmp_path, "hello.py",
                    "import sys\nprint('hi')\nprint('oops', file=sys.stderr)\n")
    run = Probed(program, output=output)
    status, stdout, stderr = run.finish()
    assert (status, stdout, stderr) == (0, "", "")
    assert "".join(e["text"] for e in run.kinds("out") if e["stream"] == "stdout") == "hi\n"
    assert "".join(e["text"] for e in run.kinds("out") if e["stream"] == "stderr") == "oops\n"


EVERY_PRIMITIVE = '''\
import queue
import threading

lock = threading.Lock()
print("lock", lock.acquire(), lock.acquire(blocking=False), lock.acquire(timeout=0.01))
lock.release()
rlock = threading.RLock()
with rlock, rlock:
    print("rlock re-entered")
slots = threading.Semaphore(2)
with slots:
    print("semaphore", slots.acquire(blocking=False), slots.acquire(timeout=0.01))
slots.release()
bounded = threading.BoundedSemaphore(2)
with bounded:
    pass
try:
    bounded.release()
except ValueError as error:
    print("bounded", error)
ready = []
cond = threading.Condition()
def fill():
    with cond:
        ready.append(1)
        cond.notify_all()
threading.Thread(target=fill).start()
with cond:
    print("condition", cond.wait_for(lambda: ready))
flag = threading.Event()
print("event", flag.wait(0.01), flag.is_set())
flag.set()
print("event", flag.wait(), flag.is_set())
gate = threading.Barrier(2)
threading.Thread(target=gate.wait).start()
print("barrier", gate.wait() in (0, 1))
broken = threading.Barrier(2)
broken.abort()
try:
    broken.wait()
except threading.BrokenBarrierError:
    print("barrier broken")
for kind in (queue.Queue, queue.LifoQueue, queue.PriorityQueue):
    q = kind(maxsize=3)
    for n in (2, 1, 3):
        q.put(n)
    try:
        q.put_nowait(4)
    except queue.Full:
        print(kind.__name__, "full", [q.get() for _ in range(3)])
import warnings
warnings.simplefilter("always")
with cond:
    cond.notifyAll()  # deprecated: Python warns on stderr, the probe must not hide it
try:
    cond.notify()
except RuntimeError as error:
    print("notify", error)
for made in (threading.Lock(), threading.Semaphore()):
    try:
        made.acquire(False, timeout=1)
    except ValueError as error:
        print("non-blocking", error)
lock._at_fork_reinit()
print("reinit", lock.acquire(blocking=False))
simple = queue.SimpleQueue()
simple.put("s")
print("simple", simple.get(), simple.empty())
try:
    simple.get(timeout=0.01)
except queue.Empty:
    print("simple empty")
'''


def test_every_primitive_does_under_the_probe_what_it_does_bare(tmp_path: Path) -> None:
    program = write(tmp_path, "every.py", EVERY_PRIMITIVE)
    run = Probed(program)
    status, stdout, stderr = run.finish()
    bare = run_bare(program)
    assert (status, stdout, stderr) == (bare.returncode, bare.stdout, bare.stderr)
    made = Counter(event["type"] for event in run.kinds("new"))
    assert made == {"Lock": 2, "RLock": 2, "Semaphore": 2, "BoundedSemaphore": 1,
                    "Condition": 1, "Event": 1, "Barrier": 2, "Queue": 1, "LifoQueue": 1,
                    "PriorityQueue": 1, "SimpleQueue": 1}
    errors = [event["error"] for event in run.kinds("error")]
    assert errors == ["ValueError: Semaphore released too many times"]
    assert {e.get("on") for e in run.kinds("busy")} == {None, "full"}
    assert len(run.kinds("barrier-broken")) == 1


def test_cancel_pending_cancels_what_has_not_started_and_says_concviz_did(
        tmp_path: Path) -> None:
    program = write(tmp_path, "queue_up.py", """\
import threading
from concurrent.futures import ThreadPoolExecutor, wait
go = threading.Event()
with ThreadPoolExecutor(max_workers=1) as pool:
    first = pool.submit(go.wait)
    rest = [pool.submit(pow, 2, n) for n in range(3)]
    done = threading.Event()
    done.wait()  # until the test has concviz cancel the rest, then start go()
print([f.cancelled() for f in rest])
""")
    run = Probed(program)
    run.wait_for(lambda e: e["kind"] == "future-running")  # the first: not cancellable
    run.wait_for(lambda e: e["kind"] == "event-wait" and e.get("line") == 8)
    run.send("cancel-pending")
    echo = run.wait_for(lambda e: e["kind"] == "control")
    assert len(run.events[echo]["cancelled"]) == 3
    run.send("spawn", function="go.set")  # refused: not a top-level function
    run.wait_for(lambda e: e.get("function") == "go.set")
    assert all(e["thread"] == "concviz" for e in run.kinds("cancel"))
    run.process.kill()
    run.finish()


def test_lock_pairs_counted_quietly_in_a_flood_keep_counts_and_owners_exact(
        tmp_path: Path) -> None:
    program = write(tmp_path, "hammer.py", """\
import threading
counter = 0
lock = threading.Lock()
def work():
    global counter
    for _ in range(50_000):
        with lock:
            counter += 1
threads = [threading.Thread(target=work) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counter)
""")
    run = Probed(program)
    status, stdout, _ = run.finish()
    assert (status, stdout) == (0, "150000\n")
    owner: int | None = None
    taken = 0
    unnamed_wait = False  # a wait told with no holder must end at the next lock event
    for event in (e for e in run.events if e.get("obj") == 1):
        # the stream never shows the lock free while it is held, nor held twice
        if event["kind"] == "acquired":
            assert owner is None, event
            owner, taken = event["tid"], taken + 1
        elif event["kind"] == "release":
            assert owner == event["tid"] and not unnamed_wait, event
            owner = None
        elif event["kind"] == "coalesced":  # counted pairs, told later: no owner change
            taken += event["times"]
        if event["kind"] == "block":
            # it found the lock held; the holder may have let go just before this was
            # told: then the next thing on the lock is an acquire
            assert owner != event["tid"], event
            unnamed_wait = unnamed_wait or owner is None
        else:
            unnamed_wait = unnamed_wait and event["kind"] != "acquired"
    assert taken == 150_000
    assert run.kinds("coalesced")  # a flood: most pairs were counted, not told one by one
    assert len(run.events) < 150_000


def test_a_shown_object_whose_repr_takes_its_lock_runs_as_bare(tmp_path: Path) -> None:
    program = write(tmp_path, "box.py", """\
import threading
class Box:
    def __init__(self):
        self.lock = threading.Lock()
        self.items = []
    def __repr__(self):
        with self.lock:  # the probe must not call this: it holds self.lock here
            return f"Box({self.items})"
box = Box()
with box.lock:
    box.items.append(1)
print(box)
""")
    run = Probed(program, show=("box",))
    assert run.finish()[:2] == (0, "Box([1])\n")
    assert {e["value"]["repr"] for e in run.kinds("data")} == {"<Box object>"}


def test_objects_get_the_programs_global_names_and_never_one_name_for_two(
        tmp_path: Path) -> None:
    program = write(tmp_path, "names.py", """\
import threading
left, right = threading.Lock(), threading.Lock()
def take(first):
    with first:
        pass
take(left)
take(right)
def work(lock):
    with lock:
        pass
for _ in range(2):
    t = threading.Thread(target=work, args=(threading.Lock(),))
    t.start()
    t.join()
""")
    run = Probed(program)
    assert run.finish()[0] == 0
    names = [e["name"] for e in run.kinds("name")]
    assert names[:2] == ["left", "right"]  # not "first", their name inside take()
    assert len(set(names)) == len(names) == 4  # the two worker locks: lock, lock#N
