"""The producer/consumer demo, run for real at high speed, judged by its event stream."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest

from concviz.engine.events import Sleeping, ThreadFinished, ThreadStarted
from concviz.engine.producer_consumer import (
    HeadChecked,
    ItemAdded,
    ItemRemoved,
    ListEmpty,
    ProducerConsumer,
    RaceDetected,
    Retiring,
    RunFinished,
)
from concviz.engine.traced_lock import LockAcquired, LockBlocked, LockReleased, LockRequested
from tests.helpers import held, run_all, wait_until

FAST = {"producer_sleep": (0.0005, 0.002), "consumer_sleep": (0.0005, 0.003)}


def fast_demo(**kwargs) -> ProducerConsumer:
    return ProducerConsumer(**{**FAST, **kwargs})


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("shape", [(1, 1), (3, 2), (2, 4)])
def test_every_item_is_consumed_once_and_events_replay_the_list(seed, shape):
    producers, consumers = shape
    demo = fast_demo(seed=seed, items=40, producers=producers, consumers=consumers)
    events = run_all(demo)

    added = [e.item for e in events if isinstance(e, ItemAdded)]
    removed = [e.item for e in events if isinstance(e, ItemRemoved)]
    assert sorted(added) == list(range(40))
    assert sorted(removed) == list(range(40))

    replay: list[int] = []
    for event in events:
        if isinstance(event, ItemAdded):
            replay.append(event.item)
        elif isinstance(event, ItemRemoved):
            assert replay.pop(0) == event.item  # FIFO: from the head
        if isinstance(event, ItemAdded | ItemRemoved):
            assert tuple(replay) == event.contents  # what the UI shows is the real list

    done = events[-1]
    assert isinstance(done, RunFinished)
    assert done.final == () == tuple(demo.shared_list)
    assert (done.produced, done.consumed, done.races) == (40, 40, 0)
    assert done.empty_hits == sum(isinstance(e, ListEmpty) for e in events)


@pytest.mark.parametrize("seed", range(8))
def test_lock_held_intervals_never_overlap(seed):
    events = run_all(fast_demo(seed=seed, items=30, producers=3, consumers=3))
    owner = None
    for event in events:
        if isinstance(event, LockAcquired):
            assert owner is None, f"{event.thread} acquired while {owner} held the lock"
            owner = event.thread
        elif isinstance(event, LockReleased):
            assert owner == event.thread
            owner = None
        elif isinstance(event, ItemAdded | ItemRemoved | ListEmpty):
            assert owner == event.thread  # every list operation happens under the lock
    assert owner is None


def test_each_thread_tells_its_life_in_order():
    events = run_all(fast_demo(seed=1, items=10, producers=2, consumers=2))
    by_thread: dict[str, list] = {}
    for event in events:
        by_thread.setdefault(event.thread, []).append(event)
    workers = {name: evs for name, evs in by_thread.items() if name.startswith(("Prod", "Cons"))}
    assert set(workers) == {"Producer-1", "Producer-2", "Consumer-1", "Consumer-2"}
    for evs in workers.values():
        assert isinstance(evs[0], ThreadStarted)
        assert isinstance(evs[-1], ThreadFinished)
        kinds = [type(e) for e in evs]
        for i, kind in enumerate(kinds):
            if kind is LockAcquired:
                assert kinds[i - 1] in (LockRequested, LockBlocked)


def test_blocked_event_means_the_lock_was_really_taken():
    demo = fast_demo(seed=2, items=50, producers=4, consumers=4)
    events = run_all(demo)
    blocked = [e for e in events if isinstance(e, LockBlocked)]
    assert demo.lock.waits == len(blocked)
    assert events[-1].lock_waits == len(blocked)


def test_seeded_sleeps_are_reproducible():
    """Each thread draws its sleeps from its own seeded stream. How many sleeps a
    thread takes depends on timing (two producers share the items; consumers loop
    until the work is done), but each thread's sequence is the same prefix."""

    def sleeps(seed: int) -> dict[str, list[float]]:
        per_thread: dict[str, list[float]] = {}
        for e in run_all(fast_demo(seed=seed, items=10, producers=2)):
            if isinstance(e, Sleeping):
                per_thread.setdefault(e.thread, []).append(e.nominal)
        return per_thread

    first, again, other = sleeps(5), sleeps(5), sleeps(6)
    assert first.keys() == again.keys()
    for thread in first:
        n = min(len(first[thread]), len(again[thread]))
        assert n > 0 and first[thread][:n] == again[thread][:n]
    assert sum(len(v) for k, v in first.items() if k.startswith("Producer")) == 10
    assert first["Producer-1"] != other["Producer-1"]


def test_without_the_lock_races_really_happen():
    """Four check-then-act consumers: races show up within a bounded number of runs."""
    races = 0
    for seed in range(20):
        demo = fast_demo(seed=seed, items=60, consumers=4, lock=False)
        events = run_all(demo)
        assert not any(isinstance(e, LockAcquired) for e in events)  # the lock is really gone
        assert any(isinstance(e, HeadChecked) for e in events)
        found = [e for e in events if isinstance(e, RaceDetected)]
        assert events[-1].races == len(found)
        races += len(found)
        if races:
            break
    assert races > 0


def test_no_lock_run_accounts_for_every_item():
    demo = fast_demo(seed=3, items=40, consumers=4, lock=False)
    events = run_all(demo)
    removed = Counter(e.item for e in events if isinstance(e, ItemRemoved))
    duplicates = [e for e in events if isinstance(e, RaceDetected) and e.race == "duplicate"]
    assert len(duplicates) == sum(1 for n in removed.values() if n > 1)
    assert set(removed) | set(demo.shared_list) == set(range(40))


def test_stop_ends_a_run_early_and_joins_its_threads():
    demo = ProducerConsumer(seed=0, items=1000, producers=8, consumers=8)
    demo.start()
    time.sleep(0.3)
    started = time.monotonic()
    demo.stop()
    assert time.monotonic() - started < 1.0
    assert demo.alive_threads() == []
    assert demo.finished.is_set()


def test_pause_holds_the_real_threads_and_step_lets_one_event_through():
    demo = ProducerConsumer(seed=0, items=100, speed=10)  # some 2 s: on till the end
    demo.start()
    wait_until(lambda: len(demo.channel) >= 10, "the run did not get going")
    demo.pause()
    wait_until(lambda: held(demo), "the paused threads did not all stop at the gate")
    before = len(demo.channel.drain(10_000))
    assert before >= 10
    time.sleep(0.3)
    assert demo.channel.drain() == []  # held: nothing happens while paused
    got: list = []

    def came() -> bool:
        got.extend(demo.channel.drain())
        return bool(got)

    demo.step()
    wait_until(came, "no event came through")
    wait_until(lambda: held(demo), "the stepped thread did not stop again")
    time.sleep(0.2)
    got += demo.channel.drain()
    # One gated event; a lock release (published ungated) may follow it.
    assert len([e for e in got if not isinstance(e, LockReleased)]) == 1
    demo.resume()
    wait_until(lambda: len(demo.channel) > 0, "resumed, nothing happened")
    demo.stop()
    assert demo.alive_threads() == []


def test_speed_scales_every_sleep():
    events = run_all(fast_demo(seed=4, items=10, speed=4.0))
    sleeps = [e for e in events if isinstance(e, Sleeping)]
    assert sleeps and all(e.duration == pytest.approx(e.nominal / 4.0) for e in sleeps)


def test_thread_names_follow_the_seed():
    assert ProducerConsumer.thread_name("Producer", 0, 1) == "Producer"
    assert ProducerConsumer.thread_name("Consumer", 1, 3) == "Consumer-2"


def test_no_demo_thread_is_left_after_runs():
    run_all(fast_demo(seed=9, items=20, producers=2, consumers=2))
    names = [t.name for t in threading.enumerate()]
    assert not [n for n in names if n.startswith(("Producer", "Consumer", "producer-consumer"))]


def _consumed_once(events) -> None:
    removed = [e.item for e in events if isinstance(e, ItemRemoved)]
    assert sorted(removed) == list(range(events[-1].items))


def test_adding_a_consumer_mid_run_starts_a_real_thread():
    # 60 sleeps of 4 ms or more: the producer is still at work a quarter of a second
    # after it started, when the workers are added
    demo = fast_demo(seed=3, items=60, producer_sleep=(0.004, 0.006)).start()
    name = demo.add_worker("consumer")  # at once: maybe before the run started its own
    assert name == "Consumer-2" and demo.working("consumer") == ["Consumer", "Consumer-2"]
    assert any(t.name == "Consumer-2" for t in demo.alive_threads())  # a real thread
    assert demo.add_worker("producer") == "Producer-2"
    assert demo.finished.wait(10)
    events = list(demo.channel)
    assert any(isinstance(e, ThreadStarted) and e.thread == "Consumer-2" for e in events)
    assert any(isinstance(e, ThreadFinished) and e.thread == "Producer-2" for e in events)
    _consumed_once(events)
    assert demo.add_worker("consumer") is None  # the run is over


def test_removing_a_consumer_lets_it_finish_its_step_then_end():
    # 60 sleeps of 4 ms or more: the consumers are still at work a quarter of a second
    # after they started, when two are removed
    demo = fast_demo(seed=4, items=60, consumers=3, producer_sleep=(0.004, 0.006)).start()
    wait_until(lambda: len(demo.working("consumer")) == 3, "the consumers did not start")
    assert demo.remove_worker("consumer") == "Consumer-3"
    assert demo.remove_worker("consumer") == "Consumer-2"
    assert demo.remove_worker("consumer") is None  # the last one stays
    assert demo.working("consumer") == ["Consumer-1"]
    assert demo.finished.wait(10)
    events = list(demo.channel)
    for name in ("Consumer-2", "Consumer-3"):
        mine = [e for e in events if e.thread == name]
        retired_at = next(i for i, e in enumerate(mine) if isinstance(e, Retiring))
        assert isinstance(mine[-1], ThreadFinished)
        # after the request: at most the rest of one step (sleep, lock, remove or empty)
        assert sum(isinstance(e, Sleeping) for e in mine[retired_at:]) <= 1
    _consumed_once(events)
