"""What the cards and the lesson teach is true of CPython: each sentence that was once
wrong is pinned here in its corrected form, and the wrong one may not come back; a card's
claim about Python is also checked against the Python running the tests, and a claim
about its program against the program's file."""

from __future__ import annotations

import io
import os
import queue
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from rich.console import Console

from concviz.lesson import PAGES
from concviz.programs.catalogue import CARDS, CATALOGUE, Card
from concviz.ui.renderables.card import card_table
from concviz.ui.screens.lesson import lesson_demos

CARD_WIDTH = 86  # the card's text at 120x40 in the gallery, an engine pane's the narrower


def said(card: Card) -> str:
    return " ".join([card.purpose, card.use_when, card.trade_off, card.say_in_class])


def page(number: int) -> str:
    found = PAGES[number - 1]
    return f"{found.explanation} {said(found.points)}"


def in_a_thread(call) -> BaseException | None:
    """What ``call()`` raised in another thread, or None."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            raised.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return raised[0] if raised else None


def test_event_wait_returns_true_unless_it_timed_out_and_the_flag_stays_set():
    card = said(CARDS["event"])
    assert "wait(timeout) returns True unless it timed out" in card
    assert "returns the flag, not whether it timed out" not in card
    assert "It stays set: every wait() passes at once until clear()" in card
    assert "not queued up" not in card
    flag = threading.Event()  # what the card says, as CPython does it
    assert flag.wait(0.001) is False
    flag.set()
    assert flag.wait(0.001) is True and flag.wait() is True


def test_a_lock_has_no_owner_and_any_thread_may_release_it():
    assert "A Lock has no idea who owns it: any thread may release it." in \
        said(CARDS["lock"])
    lock = threading.Lock()
    lock.acquire()
    assert in_a_thread(lock.release) is None and not lock.locked()


def test_an_rlock_knows_its_owner_and_a_plain_lock_taken_twice_waits_for_itself():
    card = said(CARDS["rlock"])
    assert "release() from another thread raises RuntimeError" in card
    assert "A plain Lock taken twice by one thread just waits for itself, forever." in card
    rlock = threading.RLock()
    rlock.acquire()
    refused = in_a_thread(rlock.release)
    assert isinstance(refused, RuntimeError)
    assert str(refused) == "cannot release un-acquired lock"
    rlock.release()
    lock = threading.Lock()
    lock.acquire()
    assert lock.acquire(timeout=0.01) is False  # it waited for itself, until the timeout
    lock.release()


def test_a_semaphore_grows_silently_and_a_bounded_one_raises():
    assert "one release too many and the limit quietly becomes N+1" in \
        said(CARDS["semaphore"])
    assert "any thread may release() it, even one that never acquired" in \
        said(CARDS["semaphore"])
    slots = threading.Semaphore(1)
    assert in_a_thread(slots.release) is None  # a thread that never acquired
    assert slots.acquire(blocking=False) and slots.acquire(blocking=False)  # 2 slots now
    assert "it fails loudly" in said(CARDS["bounded-semaphore"])
    bounded = threading.BoundedSemaphore(1)
    with pytest.raises(ValueError, match="Semaphore released too many times"):
        bounded.release()


def test_a_barrier_timeout_breaks_it_for_every_party_present_or_to_come():
    assert ("A timeout does not just fail the thread that waited too long: it breaks the "
            "barrier, and every party, present or yet to come, gets the error.") in \
        said(CARDS["barrier"])
    barrier = threading.Barrier(2)
    with pytest.raises(threading.BrokenBarrierError):
        barrier.wait(timeout=0.01)
    assert barrier.broken
    assert isinstance(in_a_thread(barrier.wait), threading.BrokenBarrierError)  # at once


def test_join_returns_normally_on_a_thread_that_died(monkeypatch):
    assert "join() returns normally on a thread that died" in said(CARDS["thread-exception"])
    reported: list[type[BaseException] | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: reported.append(args.exc_type))

    def parse() -> None:
        int("n/a")

    thread = threading.Thread(target=parse)
    thread.start()
    thread.join()  # does not raise
    assert reported == [ValueError]


def test_queue_join_waits_for_task_done_not_for_get():
    assert "task_done() and join() tell you when the work is finished, not just taken." in \
        said(CARDS["queue"])
    jobs: queue.Queue[int] = queue.Queue()
    jobs.put(1)
    jobs.get()
    assert jobs.unfinished_tasks == 1  # taken, not finished: join() would wait
    jobs.task_done()
    jobs.join()


def test_result_reraises_the_calls_exception_in_the_thread_that_asks():
    assert "result() waits for it, and re-raises the call's exception in the thread that " \
        "asks" in said(CARDS["futures"])

    def fail() -> None:
        raise ValueError("factorial(7) failed")

    with ThreadPoolExecutor(max_workers=1) as executor:
        future = executor.submit(fail)
        with pytest.raises(ValueError, match="factorial"):
            future.result()


def test_the_lock_free_program_shows_its_race_window_between_check_and_pop():
    """Its card says the window is a visible sleep between the check and the pop, and
    that the losing pop raises IndexError."""
    card = said(CARDS["producer-consumer-no-lock"])
    assert "a visible RACE_WINDOW sleep between the check and the pop" in card
    assert "the second pop finds the list empty and raises IndexError" in card
    with pytest.raises(IndexError, match="pop from empty list"):
        [].pop(0)
    lines = CATALOGUE["producer-consumer-no-lock"].path.read_text().splitlines()
    assert "RACE_WINDOW = 0.002  # seconds between the check and the pop" in lines
    sleep = lines.index("            time.sleep(RACE_WINDOW)")
    check = max(i for i, line in enumerate(lines[:sleep]) if "if shared_list:" in line)
    pop = next(i for i, line in enumerate(lines) if i > sleep and ".pop(0)" in line)
    assert not any(line.strip() and not line.strip().startswith("#")
                   for line in lines[check + 1:sleep])  # nothing else in between
    assert pop == sleep + 1


def test_lock_order_check_and_deadlock_ending_are_concvizs_not_pythons():
    card = said(CARDS["lock-order"])
    assert "Python has no check for it: concviz's lock-order check, like the Linux kernel's " \
        "lockdep" in card
    assert "Linux's lockdep warns" not in card
    assert "Plain Python then waits forever; concviz ends it (k) and says so." in card


def test_the_dead_lock_holders_waiters_give_up_by_their_own_timeout():
    """The program ends because its waiters use a timeout (its code's, not concviz's)."""
    card = said(CARDS["dead-lock-holder"])
    assert "With a plain acquire() the waiters would wait forever, silently" in card
    assert "This program's waiters use acquire(timeout=...) so that it ends" in card
    assert "they simply never wake" not in card
    assert "lock.acquire(timeout=TIMEOUT)" in CATALOGUE["dead-lock-holder"].path.read_text()


def test_the_condition_card_names_the_wrong_kind_hazard():
    assert "With one Condition for both kinds, notify() can wake the wrong kind and all " \
        "sleep" in said(CARDS["condition"])


@pytest.mark.parametrize("text", [said(CARDS["pool"]), said(CARDS["process"]), page(3)],
                         ids=["pool-card", "process-card", "lesson-page-3"])
def test_start_up_cost_is_spawns_and_the_seeds_program_forks(text):
    assert "tens of milliseconds" not in text
    assert "spawn" in text and "fork" in text and "before Python 3.14" in text
    assert "deadlock" in text  # why concviz does not fork


def test_lesson_page_6_a_process_prints_its_traceback_and_a_pool_reraises():
    text = page(6)
    assert "reports it only by its exit code" not in text
    assert "A Process whose function raises prints the traceback on its own stderr and " \
        "exits with code 1" in text
    assert "A Pool or a ProcessPoolExecutor catches the exception in the worker, sends it " \
        "back and raises it again in the parent" in text


def test_lesson_page_8_claims_no_timing_and_counts_the_usable_cores():
    text = page(8)
    assert "bigger pools are slower" not in text
    assert "read the times this machine just measured" in text
    assert "len(os.sched_getaffinity(0))" in text and "os.process_cpu_count()" in text
    assert "os.cpu_count() counts every core of the machine" in text
    assert "2 cores" not in text  # the meters show how many this machine has
    assert len(os.sched_getaffinity(0)) <= (os.cpu_count() or 1)


def test_lesson_page_1_names_its_thread_pane_a_thread_pool():
    threads, processes = lesson_demos()[1]()
    assert threads.title_text == "Thread pool · ThreadPoolExecutor (ques.8)"
    assert processes.title_text == "Process pool · multiprocessing.Pool (ques.8)"


@pytest.mark.parametrize("name", [
    name for name, entry in CATALOGUE.items() if entry.card is not None])
def test_every_gallery_card_fits_its_box_at_120x40(name):
    """The card's box shows 9 lines (gallery.tcss): a longer card loses its 'Say it'."""
    console = Console(width=CARD_WIDTH, record=True, color_system=None, file=io.StringIO())
    console.print(card_table(CATALOGUE[name].card))
    assert len(console.export_text().splitlines()) <= 9
