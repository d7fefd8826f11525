"""What the cards and the lesson teach is true of CPython: each sentence that was once
wrong is pinned here in its corrected form, and the wrong one may not come back."""

from __future__ import annotations

import io
import os
import threading

import pytest
from rich.console import Console

from concviz.engine.card import Card
from concviz.engine.failures import GALLERY as FAILURES
from concviz.engine.failures.dead_lock_holder import DeadLockHolder
from concviz.engine.failures.lock_order import LockOrder
from concviz.engine.pool_runs import PoolRuns
from concviz.engine.primitives import GALLERY as PRIMITIVES
from concviz.engine.primitives.condition import ConditionDemo
from concviz.engine.primitives.event_flag import EventDemo
from concviz.engine.seed_process import SeedProcess
from concviz.lesson import PAGES
from concviz.ui.app import lesson_demos
from concviz.ui.renderables.card import card_table

CARD_WIDTH = 86  # the card's text at 120x40, beside the gallery's picker


def said(card: Card) -> str:
    return " ".join([card.purpose, card.use_when, card.trade_off, card.say_in_class])


def page(number: int) -> str:
    found = PAGES[number - 1]
    return f"{found.explanation} {said(found.points)}"


def test_event_wait_returns_true_unless_it_timed_out_and_the_flag_stays_set():
    card = said(EventDemo.card)
    assert "wait(timeout) returns True unless it timed out" in card
    assert "returns the flag, not whether it timed out" not in card
    assert "It stays set: every wait() passes at once until clear()" in card
    assert "not queued up" not in card
    flag = threading.Event()  # what the card says, as CPython does it
    assert flag.wait(0.001) is False
    flag.set()
    assert flag.wait(0.001) is True and flag.wait() is True


def test_lock_order_check_and_deadlock_ending_are_concvizs_not_pythons():
    card = said(LockOrder.card)
    assert "Python has no check for it: concviz's lock-order check, like the Linux kernel's " \
        "lockdep" in card
    assert "Linux's lockdep warns" not in card
    assert "concviz ends the hang itself" in said(DeadLockHolder.card)
    assert "Plain Python hangs here" in said(DeadLockHolder.card)
    assert "they simply never wake" not in said(DeadLockHolder.card)


def test_the_condition_card_names_the_wrong_kind_hazard():
    assert "With one Condition for both kinds, notify() can wake the wrong kind and all " \
        "sleep" in said(ConditionDemo.card)


@pytest.mark.parametrize("text", [said(PoolRuns.card), said(SeedProcess.card), page(3)],
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


@pytest.mark.parametrize("demo", [*PRIMITIVES, *FAILURES, SeedProcess], ids=lambda d: d.name)
def test_every_gallery_card_fits_its_box_at_120x40(demo):
    """The card's box shows 9 lines (gallery.tcss): a longer card loses its 'Say it'."""
    console = Console(width=CARD_WIDTH, record=True, color_system=None, file=io.StringIO())
    console.print(card_table(demo.card))
    assert len(console.export_text().splitlines()) <= 9
