"""Step mode never shows a contradiction: the dashboard's producer/consumer program, with
two producers and two consumers, stepped one probed operation at a time, folds into one
state in which the threads, the lock box and the code marks agree after every event."""

from __future__ import annotations

import pytest

from concviz.programs.catalogue import CATALOGUE
from concviz.watch.programs import with_constants
from tests.probed import Probed
from tests.test_watch_step import Views, stepped

STEPS = 40
CROWD = {"ITEMS": "6", "PRODUCERS": "2", "CONSUMERS": "2", "PRODUCE_MIN": "0",
         "PRODUCE_MAX": "0.004", "CONSUME_MIN": "0", "CONSUME_MAX": "0.004"}


@pytest.mark.parametrize("seed", range(2))
def test_stepping_event_by_event_every_view_agrees(seed, tmp_path):
    entry = CATALOGUE["producer-consumer"]
    program = with_constants(entry.path, CROWD, tmp_path)
    run = Probed(program, seed=seed, show=entry.show)
    status, stdout = stepped(run, STEPS)
    assert status == 0 and stdout.splitlines()[-1] == "Final list: []"
    views = Views()
    for event in run.lines:
        views.apply(event)
    state = views.state
    names = {thread.name for thread in state.threads.values() if not thread.internal}
    assert {"Producer-1", "Producer-2", "Consumer-1", "Consumer-2"} <= names
    assert state.data["shared_list"] == []


def test_stepping_past_the_programs_end_stops_at_its_end(tmp_path):
    """More steps than the program has operations (how many it has depends on how
    often its consumers find the list empty): the stepping stops at its end, with no
    step sent that nothing would answer."""
    entry = CATALOGUE["producer-consumer"]
    run = Probed(with_constants(entry.path, CROWD, tmp_path), seed=0, show=entry.show)
    status, stdout = stepped(run, 10_000)
    assert status == 0 and stdout.splitlines()[-1] == "Final list: []"
    assert run.kinds("main-end") and run.kinds("control")
