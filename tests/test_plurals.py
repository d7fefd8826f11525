"""Counts read as English from the back of the room: "1 empty hit", "blocked 1 time",
"1 process" (issue 11)."""

from __future__ import annotations

from rich.text import Text

from concviz.commands.primitives import summary_line as primitive_summary
from concviz.commands.producer_consumer import summary_line
from concviz.engine.primitives.work_queue import QueueDemoFinished
from concviz.engine.producer_consumer import RunFinished
from concviz.engine.words import plural
from concviz.ui.models.pool import RunView
from concviz.ui.panes.futures import FuturesPane
from concviz.ui.renderables.worker_rows import title


def test_plural():
    assert [plural(n, "time") for n in (0, 1, 2)] == ["0 times", "1 time", "2 times"]
    assert plural(1, "process", "processes") == "1 process"
    assert plural(3, "process", "processes") == "3 processes"


def test_one_of_each_is_singular():
    done = RunFinished(t=1.0, thread="main", items=1, produced=1, consumed=1, locked=True,
                       lock_waits=1, longest_wait=0.001, empty_hits=1, races=1)
    line = summary_line(done)
    assert "1 empty hit," in line and "1 lock wait," in line and "1 race detected" in line
    assert "1 items" not in line
    queue = primitive_summary(QueueDemoFinished(t=1.0, thread="main", jobs=1, done=1,
                                                longest=1, put_blocks=1, get_blocks=2))
    assert "put() blocked 1 time, get() 2 times" in queue


def test_a_pool_of_one_is_one_process_or_one_thread():
    assert title(RunView(run=1, size=1, executor="pool")).plain.startswith("1 process:")
    assert title(RunView(run=1, size=1, executor="threads")).plain.startswith("1 thread:")
    assert title(RunView(run=1, size=4, executor="pool")).plain.startswith("4 processes:")
    assert isinstance(title(RunView(run=1, size=2, executor="pool")), Text)
    assert "on 1 process ·" in FuturesPane(workers=1, executor="process").config_text()
    assert "on 1 thread ·" in FuturesPane(workers=1, executor="thread").config_text()


def test_the_futures_summary_counts_its_workers_in_words():
    from concviz.commands.futures import summary_line
    from concviz.engine.futures import FuturesFinished

    done = FuturesFinished(t=0, thread="main", submitted=(1,), completed=(1,), workers=1,
                           executor="thread", delay="none", elapsed=0.1)
    assert summary_line(done).startswith("Summary: 1 future on 1 thread worker, ")
