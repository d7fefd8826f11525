"""Counts read as English from the back of the room: "1 item", "taken 1 time",
"1 process" (issue 11)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from concviz.engine.words import plural
from concviz.ui.models.pool import RunView
from concviz.ui.renderables.chips import DIM, PROJECTOR
from concviz.ui.renderables.worker_rows import title
from concviz.ui.widgets.program.data import value_rows
from concviz.ui.widgets.program.primitives import PrimitiveBoxes
from concviz.ui.widgets.program.threads import hidden_line
from concviz.watch.state import PrimitiveView, ProgramState, ThreadView
from tests.test_watch_words import _with_lock


def test_plural():
    assert [plural(n, "time") for n in (0, 1, 2)] == ["0 times", "1 time", "2 times"]
    assert plural(1, "process", "processes") == "1 process"
    assert plural(3, "process", "processes") == "3 processes"


def test_one_of_each_is_singular_in_a_programs_pane():
    """What the engine's producer/consumer, queue and futures summaries once checked, on
    the program pane that shows those programs now: its list, its boxes, its threads and
    its narration."""
    shown = " ".join(row.plain for row in value_rows("shared_list", [7], 80, PROJECTOR))
    assert "shared_list = (1 item)" in shown and "1 items" not in shown
    state = ProgramState()
    state.prims[1] = PrimitiveView(1, "Lock", "lock", named=True, acquisitions=1)
    console = Console(width=60, record=True, color_system=None)
    console.print(PrimitiveBoxes(state))
    assert "taken 1 time " in console.export_text()
    state.threads[9] = ThreadView(9, "Thread-9", internal=True)
    state.internal = {"Lock": 1}
    hidden = hidden_line(state, 120, DIM)
    assert hidden is not None and hidden.plain.startswith(
        "hidden: 1 internal thread (the standard library's own); 1 object the standard "
        "library made for itself")
    run = _with_lock()
    run.ev(2, "coalesced", obj=10, times=1, waited=0.0)
    assert run.last.startswith("took and released lock 1 time (")


def test_a_pool_of_one_is_one_process_or_one_thread():
    assert title(RunView(run=1, size=1, executor="pool")).plain.startswith("1 process:")
    assert title(RunView(run=1, size=1, executor="threads")).plain.startswith("1 thread:")
    assert title(RunView(run=1, size=4, executor="pool")).plain.startswith("4 processes:")
    assert isinstance(title(RunView(run=1, size=2, executor="pool")), Text)
