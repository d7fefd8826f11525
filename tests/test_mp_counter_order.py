"""mp-counter shows the reads of all its processes in the order they happened: with
the lock held around every update the counter only grows, so the values shown must
never go down (in arrival order, 4 processes put them out of order in most runs)."""

from __future__ import annotations

import pytest

from concviz.commands.failures import transcript_line
from concviz.engine.failures.mp_counter import Counted, MpCounter
from tests.helpers import demo_children, run_all


@pytest.mark.parametrize("seed", [0, 1])
def test_the_counter_values_shown_for_the_locked_run_never_go_down(seed):
    events = run_all(MpCounter(seed=seed, speed=10, processes=4, increments=3000,
                               phases=(True,)))
    values = [e.value for e in events if isinstance(e, Counted)]
    assert len(values) == 4 * 11  # ten bursts and the last word, per process
    assert values == sorted(values)
    shown = [transcript_line(e) for e in events if isinstance(e, Counted)]
    assert shown[-1].endswith(f"the counter reads {values[-1]}")
    assert not demo_children()
