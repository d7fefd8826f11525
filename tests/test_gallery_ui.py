"""The gallery screen, driven by keys as a teacher would: the catalogue's programs by
section, each run under the probe in its pane (the process demos on the engine), and a
program added to the catalogue shows up there and runs."""

from __future__ import annotations

import heapq
import random
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.app import App
from textual.widgets import Static

from concviz.engine.seed_process import SeedProcess
from concviz.programs import catalogue
from concviz.programs.catalogue import Entry
from concviz.ui.app import STYLES, ConcvizApp
from concviz.ui.panes.gallery import GalleryDemoPane
from concviz.ui.renderables.card import card_table
from concviz.ui.screens.gallery import DemoPicker, GalleryScreen
from concviz.ui.widgets.code_panel import CodePanel
from concviz.ui.widgets.event_log import EventLog
from concviz.ui.widgets.program.findings import FOREVER
from concviz.ui.widgets.program.pane import ProgramPane
from concviz.watch import state as st
from tests.helpers import StillSampler, dashboard_ready, demo_children, until
from tests.pane_app import wait_finished

HELLO = """\
import threading


def greet():
    print("hello from", threading.current_thread().name)


threads = [threading.Thread(target=greet, name=f"greeter-{n}") for n in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
"""


class GalleryApp(App):
    """A bare app that opens the gallery, as the real app's g key does."""

    CSS_PATH = [STYLES / "app.tcss"]

    def __init__(self, **options) -> None:
        super().__init__()
        self.gallery = GalleryScreen(**options)

    def on_mount(self) -> None:
        self.push_screen(self.gallery)


def option_index(picker: DemoPicker, name: str) -> int:
    return next(i for i in range(picker.option_count) if picker.get_option_at_index(i).id == name)


async def pick(pilot, name: str):
    """Highlight ``name`` in the picker (its card shows) and press enter (it runs)."""
    gallery = pilot.app.gallery
    gallery.picker.highlighted = option_index(gallery.picker, name)
    await pilot.pause()
    await pilot.press("enter")
    return gallery.pane


def text(renderable, width: int = 200) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return " ".join(console.export_text().split())


def card(pilot) -> str:
    """The card (or summary) above the program's pane."""
    return str(pilot.app.gallery.query_one("#gallery-demo > .gallery-card", Static).content)


def threads(pane: ProgramPane) -> list[st.ThreadView]:
    """The program's own threads (not the standard library's)."""
    return [t for t in pane.state.threads.values() if not t.internal]


def test_the_gallery_does_not_import_the_command_line():
    """gallery -> cli -> app -> gallery was a circle of imports."""
    code = "import sys, concviz.ui.screens.gallery; assert 'concviz.cli' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


async def test_the_picker_lists_the_catalogue_by_section():
    async with GalleryApp().run_test() as pilot:
        picker = pilot.app.gallery.picker
        options = [picker.get_option_at_index(i) for i in range(picker.option_count)]
        assert [str(o.prompt) for o in options if o.disabled] == list(catalogue.SECTIONS)
        names = [o.id for o in options if not o.disabled]
        sections = [catalogue.CATALOGUE[name].section for name in names]
        assert sections == sorted(sections, key=catalogue.SECTIONS.index)
        # every program file and every process demo; the pool is the dashboard's pane
        assert sorted(names) == sorted(set(catalogue.CATALOGUE) - {"pool"})
        assert pilot.app.focused is picker
        first = pilot.app.gallery.pane
        assert isinstance(first, ProgramPane) and first.program.name == names[0]
        assert first.session is None  # shown, not run
        await pilot.press("down")
        assert pilot.app.gallery.pane.program.name == names[1]
        await pilot.press("g")
        assert pilot.app.screen is not pilot.app.gallery


async def test_pick_a_program_run_it_to_the_end_then_go_back():
    entry = catalogue.CATALOGUE["dead-lock-holder"]
    async with GalleryApp(speed=10).run_test(size=(120, 40)) as pilot:
        pane = await pick(pilot, entry.name)
        assert pilot.app.focused is pane and pane.session is not None  # enter ran it
        assert card(pilot) == str(card_table(entry.card))  # its card, above it
        await until(lambda: pane.ended, "the program did not end")
        assert pane.session.poll() == 0
        died = {t.name for t in threads(pane) if t.state == st.DIED}
        assert died == {"holder"}  # both holders: bare acquire(), then `with`
        assert pane.listing.code == entry.path.read_text()  # the file that ran
        await pilot.press("escape")
        assert pilot.app.focused is pilot.app.gallery.picker
        await pilot.press("escape")
        assert pilot.app.screen is not pilot.app.gallery


async def test_a_deliberate_deadlock_waits_for_k_and_says_plain_python_would_too():
    async with GalleryApp().run_test(size=(120, 40)) as pilot:
        pane = await pick(pilot, "lock-order")
        await until(lambda: pane.findings is not None
                    and FOREVER in text(pane.findings.drawing()), "no deadlock shown")
        assert any(finding.kind == "deadlock" for finding in pane.state.findings)
        assert pane.live  # concviz ends no program by itself
        await pilot.press("k")
        await until(lambda: pane.ended, "k did not end the deadlocked program")
        assert pane.session.exit_text().startswith("ended by concviz")


async def test_pane_keys_pause_step_speed_and_run_again():
    async with GalleryApp(speed=0.1).run_test(size=(80, 24)) as pilot:  # long sleeps
        pane = await pick(pilot, "lock")
        assert pilot.app.screen.has_class("-demo")  # small: the program takes the width
        await until(lambda: len(threads(pane)) > 1, "no thread started")
        await pilot.press("space")
        assert pane.phase == "paused"
        await until(lambda: any(t.state == st.HELD for t in threads(pane)),
                    "the pause held no thread")
        await pilot.press("full_stop")
        assert pane.phase == "stepping"
        await pilot.press("plus")
        assert pane.speed == 0.25
        first = pane.session
        await pilot.press("r")
        assert pane.session is not first and pane.running
        await until(lambda: first.poll() is not None, "the first run did not end")


async def test_choosing_another_entry_or_quitting_ends_the_run_and_its_processes():
    before = set(threading.enumerate())
    app = GalleryApp()
    async with app.run_test() as pilot:
        pane = await pick(pilot, "lock-order")
        first = pane.session
        await until(lambda: threads(pane), "the program did not start")
        await pilot.press("escape", "up")  # back to the picker, the entry above
        assert app.gallery.shown == "dead-lock-holder"
        await until(lambda: first.poll() is not None, "the first run did not end")
        pane = await pick(pilot, "process-exception")
        assert isinstance(pane, GalleryDemoPane)
        await until(lambda: pane.lanes.lanes, "no process came up")  # its first one is up
        await pilot.press("ctrl+q")  # quit the app mid-run, as q does in concviz
    assert pane.demo.finished.is_set()
    assert not demo_children()
    assert not [t for t in set(threading.enumerate()) - before if t.is_alive()]


async def test_a_process_demo_runs_on_the_engine_with_the_catalogues_card():
    async with GalleryApp(speed=10).run_test(size=(120, 40)) as pilot:
        pane = await pick(pilot, "process")
        assert isinstance(pane, GalleryDemoPane) and pane.demo_class is SeedProcess
        assert pane.card is catalogue.CATALOGUE["process"].card
        await wait_finished(pilot, pane)
        assert "Running in a separate process" in pane.query_one(EventLog).text


async def test_a_program_added_to_the_catalogue_is_listed_and_runs(tmp_path, monkeypatch):
    path = tmp_path / "hello_threads.py"
    path.write_text(HELLO)
    entry = Entry("hello-threads", "Two threads say hello, then are joined.", str(path),
                  catalogue.PRIMITIVES)
    monkeypatch.setattr(catalogue, "CATALOGUE", {**catalogue.CATALOGUE, entry.name: entry})
    async with GalleryApp().run_test(size=(120, 40)) as pilot:
        picker = pilot.app.gallery.picker
        ids = [picker.get_option_at_index(i).id for i in range(picker.option_count)]
        assert ids.index("barrier") + 1 == ids.index(entry.name)  # last of its section
        pane = await pick(pilot, entry.name)
        assert card(pilot) == entry.summary  # no card: its summary
        await until(lambda: pane.ended, "the program did not end")
        assert pane.session.poll() == 0
        assert sorted(t.name for t in threads(pane)) == ["MainThread", "greeter-0",
                                                         "greeter-1"]
        printed = "".join(text for stream, text in pane.state.output if stream == "stdout")
        assert sorted(printed.splitlines()) == ["hello from greeter-0", "hello from greeter-1"]


async def test_the_code_panel_shows_the_file_that_runs():
    entry = catalogue.CATALOGUE["seed:ques4"]
    app = ConcvizApp(autostart=False, sampler=StillSampler)
    async with app.run_test(size=(120, 40)) as pilot:
        await dashboard_ready(pilot)
        await pilot.press("g")
        await until(lambda: isinstance(app.screen, GalleryScreen), "no gallery")
        gallery = app.screen
        gallery.picker.highlighted = option_index(gallery.picker, entry.name)
        await pilot.pause()
        await pilot.press("enter", "c")
        panel = gallery.query_one(CodePanel)
        await until(lambda: str(panel.border_title) == f"Code · {entry.path.name}",
                    "the code panel does not show the program")
        await until(lambda: gallery.pane.ended, "the program did not end")
        assert gallery.pane.listing.code == entry.path.read_text()


async def test_enter_on_a_program_that_ran_starts_it_anew_and_says_so():
    async with GalleryApp(speed=10).run_test(size=(120, 40)) as pilot:
        toasts: list[str] = []
        pilot.app.notify = lambda message, **kw: toasts.append(message)
        pane = await pick(pilot, "seed:ques7")
        assert toasts == []  # the first run is no restart
        await until(lambda: pane.ended, "the program did not end")
        first = pane.session
        pilot.app.gallery.picker.focus()
        await pilot.press("enter")
        assert toasts == ["Restarted: seed:ques7 · seed 0"] and pane.session is not first


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_snapshot_of_the_gallery(snap_compare, size):
    async def highlight(pilot):
        pilot.app.gallery.picker.highlighted = option_index(pilot.app.gallery.picker,
                                                            "dead-lock-holder")
        await pilot.pause()

    assert snap_compare(GalleryApp(), run_before=highlight, terminal_size=size)


Thread = tuple[int, str]  # (tid, name)
MAIN: Thread = (1, "MainThread")


class SemaphoreRun:
    """A run of semaphore.py as the probe tells it: seed 0's think times, each sleep as
    long as it asks, a slot taken the moment one is free. A real run's downloads take
    their slots in whatever order the machine's timing gives; this one's is fixed."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.think = random.Random(0)  # the program's draws, as concviz --seed 0 seeds them
        self.events: list[dict[str, Any]] = []
        self.free = 3  # SLOTS
        self.now = 0.0
        self.next_tid = 2
        self.holding: list[tuple[float, Thread]] = []  # (its slot's end, thread): a heap
        self.waiting: list[tuple[float, Thread]] = []  # (since, thread), in line

    def at(self, t: float, thread: Thread, kind: str, line: int | None = None,
           **fields: Any) -> None:
        where = {"file": self.path, "line": line} if line is not None else {}
        self.events.append({"t": round(t, 6), "kind": kind, "thread": thread[1],
                            "tid": thread[0], **where, **fields})

    def say(self, t: float, thread: Thread, text: str) -> None:
        for chunk in (text, "\n"):
            self.at(t, thread, "out", stream="stdout", text=chunk)

    def acquired(self, t: float, thread: Thread, line: int, waited: float = 0.0) -> None:
        self.free -= 1
        self.at(t, thread, "acquired", line, obj=1, value=self.free, waited=round(waited, 6))

    def released(self, t: float, thread: Thread, line: int) -> None:
        self.free += 1
        self.at(t, thread, "release", line, obj=1, value=self.free)

    def started(self, name: str, line: int) -> Thread:
        thread = (self.next_tid, name)
        self.next_tid += 1
        target = name.split("-")[0]
        self.at(self.now, MAIN, "thread-new", line, child=thread[0], name=name,
                target=target, daemon=False, internal=False, by="program")
        self.at(self.now, thread, "thread-start", target=target, internal=False)
        return thread

    def joined(self, thread: Thread, line: int) -> None:
        self.at(self.now, MAIN, "join", line, child=thread[0], timeout=None)
        self.at(self.now, MAIN, "joined", line, child=thread[0], alive=False)

    def take(self, t: float, thread: Thread, waited: float = 0.0) -> None:
        self.acquired(t, thread, 26, waited)
        self.say(t, thread, f"{thread[1]} has a slot ({len(self.holding) + 1} at once)")
        self.at(t, thread, "sleep", 29, seconds=0.4, wall=0.4)  # HOLD
        heapq.heappush(self.holding, (t + 0.4, thread))

    def give_back(self) -> None:
        """The first slot to end: released, and the first in line takes it."""
        self.now, thread = heapq.heappop(self.holding)
        self.at(self.now, thread, "sleep-end")
        self.released(self.now, thread, 26)
        self.at(self.now, thread, "thread-end")
        if self.waiting:
            since, first = self.waiting.pop(0)
            self.take(self.now, first, self.now - since)

    def crowd(self, when: str) -> None:
        self.say(self.now, MAIN, f"5 downloads, {when} the bug")
        downloads = [self.started(f"download-{n}", 45) for n in range(1, 6)]
        arrivals = []
        for thread in downloads:
            think = self.think.uniform(0, 0.3)  # THINK_MAX
            self.at(self.now, thread, "sleep", 25, seconds=think, wall=round(think, 6))
            arrivals.append((self.now + think, thread))
        for t, thread in sorted(arrivals):
            while self.holding and self.holding[0][0] <= t:
                self.give_back()
            self.at(t, thread, "sleep-end")
            if self.free:
                self.take(t, thread)
            else:
                self.waiting.append((t, thread))
                self.at(t, thread, "block", 26, obj=1)
        while self.holding:
            self.give_back()
        for thread in downloads:
            self.joined(thread, 47)

    def buggy(self) -> None:
        bug = self.started("buggy", 62)
        self.acquired(self.now, bug, 34)
        self.say(self.now, bug, "buggy has a slot")
        self.released(self.now, bug, 34)
        self.released(self.now, bug, 36)  # the bug
        self.say(self.now, bug, "buggy released its slot twice: the Semaphore said nothing")
        self.at(self.now, bug, "thread-end")
        self.joined(bug, 63)

    def free_slots(self) -> None:
        """Takes what it can without waiting, then gives it back."""
        taken = self.free
        for _ in range(taken):
            self.acquired(self.now, MAIN, 53)
        self.at(self.now, MAIN, "busy", 53, obj=1)
        for _ in range(taken):
            self.released(self.now, MAIN, 56)
        self.say(self.now, MAIN, f"the semaphore now lets {taken} in at once, not 3")

    def run(self) -> list[dict[str, Any]]:
        self.at(0.0, MAIN, "main-start")
        self.at(0.0, MAIN, "new", 19, obj=1, type="Semaphore", value=3)
        self.at(0.0, MAIN, "name", obj=1, name="slots")
        self.crowd("before")
        self.buggy()
        self.free_slots()
        self.crowd("after")
        self.at(self.now, MAIN, "main-end")
        self.at(self.now, (0, "concviz"), "internal",
                counts={"Lock": 12, "Condition": 12, "Event": 11})
        return self.events


class ReplayedSession:
    """Stands in for a Session: the header and the run above, then the exit (status 0)."""

    def __init__(self, program: Path, *, seed: int | None = None, speed: float = 1.0,
                 **_: object) -> None:
        self.header = {"kind": "header", "wire": "concviz-probe", "schema": 1,
                       "program": str(program), "shown_as": str(program),
                       "argv": [str(program)], "python": "python3", "python_version": "3.11",
                       "pid": 1, "t0": 0.0, "seed": seed, "speed": speed, "show": [],
                       "output": "events"}
        self.pending = SemaphoreRun(str(program)).run()
        self.error = None

    def start(self) -> None:
        pass

    def drain(self, max_items: int = 1000) -> list[dict[str, Any]]:
        taken, self.pending = self.pending[:max_items], self.pending[max_items:]
        return taken

    @property
    def finished(self) -> bool:
        return not self.pending

    def poll(self) -> int | None:
        return 0 if self.finished else None

    def send(self, cmd: str, **fields: Any) -> bool:
        return True

    def stop(self, grace: float = 2.0) -> None:
        pass

    def exit_text(self) -> str:
        return "exited normally (status 0)" if self.finished else "still running"


def test_snapshot_of_the_semaphore_program_once_it_ended(snap_compare, monkeypatch):
    monkeypatch.setattr("concviz.ui.widgets.program.pane.Session", ReplayedSession)

    async def run_to_the_end(pilot):
        pane = await pick(pilot, "semaphore")
        await until(lambda: pane.ended, "the run did not end")
        narration = pane.query_one(".program-narration", EventLog)
        await until(lambda: "exited normally" in narration.text, "the end was not told")
        await pilot.pause()

    app = GalleryApp(seed=0, clock=lambda: 0.0)
    assert snap_compare(app, run_before=run_to_the_end, terminal_size=(120, 40))
