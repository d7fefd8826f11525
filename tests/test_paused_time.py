"""Paused and stepped time is not waiting time: the demo's clock is run time, so no
wait, hold, duration or timeline counts the seconds a class spent on a held run."""

from __future__ import annotations

import time
from itertools import pairwise

from concviz.engine.events import Event
from concviz.engine.futures import FactorialFutures, FuturesFinished
from concviz.engine.producer_consumer import ProducerConsumer, RunFinished
from concviz.engine.traced_lock import LockAcquired, LockReleased
from tests.helpers import held, wait_until

PAUSE = 2.0  # seconds the run is held, as the issue has it


def hold_mid_run(demo, started) -> float:
    """Pause once the run has begun, keep it held PAUSE seconds, resume; real time taken."""
    t0 = time.monotonic()
    demo.start()
    wait_until(lambda: any(isinstance(e, started) for e in list(demo.channel)), "no start")
    demo.pause()
    wait_until(lambda: held(demo), "the threads were not all held")
    assert not demo.finished.is_set()  # long by construction: the pause is mid-run
    time.sleep(PAUSE)  # the pause itself is the scenario, not a wait for something
    demo.resume()
    wait_until(demo.finished.is_set, "the run did not end", 60)
    return time.monotonic() - t0


def test_a_pause_is_no_wait_and_no_duration_in_the_producer_consumer():
    demo = ProducerConsumer(items=200, producers=2, consumers=3, seed=4,  # ~2 s of sleeps
                            producer_sleep=(0.01, 0.03), consumer_sleep=(0.01, 0.03))
    real = hold_mid_run(demo, LockAcquired)
    events = list(demo.channel)
    assert all(e.waited < PAUSE / 2 for e in events if isinstance(e, LockAcquired))
    assert all(e.held < PAUSE / 2 for e in events if isinstance(e, LockReleased))
    assert all(later.t - earlier.t < PAUSE / 2 for earlier, later in pairwise(events))
    done = events[-1]
    assert isinstance(done, RunFinished) and done.longest_wait < PAUSE / 2
    assert done.t < real - PAUSE * 0.9  # the run's own clock left the pause out


def test_a_pause_is_not_part_of_the_futures_elapsed_time():
    demo = FactorialFutures(n_max=10, workers=3, seed=1, speed=0.5)  # ~3 s of work
    real = hold_mid_run(demo, Event)  # any event: the run has begun
    done = next(e for e in demo.channel if isinstance(e, FuturesFinished))
    assert done.elapsed < real - PAUSE * 0.9
