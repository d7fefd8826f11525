"""Seed ques.3: a real child process runs the seed's task and prints from there."""

from __future__ import annotations

import os

from concviz.cli import main
from concviz.engine.events import ThreadFinished, ThreadStarted
from concviz.engine.seed_process import ChildPrinted, ProcessCreated, ProcessJoined, SeedProcess
from tests.helpers import demo_children, run_all


def test_the_child_is_a_real_process_that_prints_the_seeds_line():
    events = run_all(SeedProcess())
    kinds = [type(e) for e in events]
    assert kinds == [ProcessCreated, ThreadStarted, ChildPrinted, ThreadFinished, ProcessJoined]
    printed, joined = events[2], events[-1]
    assert printed.text == "Running in a separate process"
    assert printed.pid == joined.pid != os.getpid()  # said by the child
    assert printed.parent_pid == joined.parent_pid == os.getpid()
    assert joined.exitcode == 0
    assert f"pid {printed.pid}" in events[1].role
    assert not demo_children()


def test_plain_transcript(capsys):
    assert main(["run", "process", "--plain"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "Running in a separate process"
    assert lines[2].startswith("p.join() returned: Process-1 (pid ")
    assert lines[2].endswith("exit code 0")


def test_the_picture_shows_the_real_pids():
    from rich.console import Console

    from concviz.ui.renderables.process_view import ProcessView

    events = run_all(SeedProcess())
    view = ProcessView()
    for event in events:
        view.apply(event)
    console = Console(width=80, record=True)
    console.print(view.render(0.0))
    text = console.export_text()
    printed = next(e for e in events if isinstance(e, ChildPrinted))
    assert f"pid {printed.pid} printed: 'Running in a separate process'" in text
    assert f"this program pid {os.getpid()}" in text
    assert "joined: exit code 0" in text
