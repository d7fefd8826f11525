"""The watch screen (``concviz watch PROGRAM.py``): its drawings from a fold, and real
programs run under the probe, driven with keys; no child is left after any way out."""

from __future__ import annotations

from pathlib import Path

import psutil
import pytest
from rich.console import Console

from concviz.cli import build_parser
from concviz.commands import watch
from concviz.ui.app import ConcvizApp
from concviz.ui.beat import beat
from concviz.ui.screens.help import HelpScreen, rows
from concviz.ui.screens.watch import WatchScreen
from concviz.ui.widgets.program.code import HANDS_OFF, WatchCode
from concviz.ui.widgets.program.data import ShownData
from concviz.ui.widgets.program.findings import FOREVER, FindingsList
from concviz.ui.widgets.program.output import ProgramOutput
from concviz.ui.widgets.program.primitives import PrimitiveBoxes
from concviz.ui.widgets.program.spawn import SpawnPicker, top_level_functions
from concviz.ui.widgets.program.threads import ThreadRows
from concviz.watch import state as st
from concviz.watch.programs import Program
from concviz.watch.session import Session
from concviz.watch.state import Finding, PrimitiveView, ProgramState, ThreadView
from tests.helpers import StillSampler, until
from tests.test_readable import screen_rows

# one lock a worker: a held thread never leaves the other blocked at a real acquire,
# so pause holds both and a step always ends at a hold
APART_LOOP = """\
import threading
import time


def worker(lock):
    while True:
        with lock:
            time.sleep(0.001)


for _ in range(2):
    threading.Thread(target=worker, args=(threading.Lock(),)).start()
"""

FOREVER_LOOP = """\
import threading
import time

lock = threading.Lock()
count = 0


def worker(pause):
    global count
    while True:
        with lock:
            count += 1
        time.sleep(pause)


def extra():
    while True:
        time.sleep(0.05)


for _ in range(2):
    threading.Thread(target=worker, args=(0.01,)).start()
"""

DEADLOCK = """\
import threading

lock_a = threading.Lock()
lock_b = threading.Lock()
a_has = threading.Event()
b_has = threading.Event()


def worker_a():
    with lock_a:
        a_has.set()
        b_has.wait()
        with lock_b:
            print("never")


def worker_b():
    with lock_b:
        b_has.set()
        a_has.wait()
        with lock_a:
            print("never")


threading.Thread(target=worker_a).start()
threading.Thread(target=worker_b).start()
"""


# A thread parked near the top, another moving between two lines far below it: at 80x24
# the code box cannot show both marks.
PARKED_AND_BUSY = """\
import threading
import time

parked = threading.Event()


def parked_thread():
    parked.wait()
{filler}

def busy():
    while True:
        time.sleep(0.02)
        time.sleep(0.02)


threading.Thread(target=parked_thread).start()
threading.Thread(target=busy).start()
""".format(filler="\n".join(f"# {n}" for n in range(30)))
BUSY = PARKED_AND_BUSY.splitlines().index("        time.sleep(0.02)") + 1  # and the next


def text(renderable, width: int = 100) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def two_threads_deadlocked() -> ProgramState:
    state = ProgramState()
    state.header = {"program": "/p.py"}
    state.threads = {
        2: ThreadView(2, "Thread-1 (worker_a)", state=st.BLOCKED, on=11, file="/p.py", line=14),
        3: ThreadView(3, "Thread-2 (worker_b)", state=st.BLOCKED, on=10, file="/p.py", line=22),
        4: ThreadView(4, "Thread-3 (_handle)", internal=True),
    }
    state.prims = {10: PrimitiveView(10, "Lock", "lock_a", owner=2, waiters=[3]),
                   11: PrimitiveView(11, "Lock", "lock_b", owner=3, waiters=[2])}
    state.internal = {"Condition": 2}
    return state


# -- the drawings, without an app -------------------------------------------------


def test_a_blocked_thread_says_on_which_lock_and_who_holds_it():
    shown = text(ThreadRows(two_threads_deadlocked(), 1.0))
    assert "BLOCKED" in shown
    assert "on lock_b, held by Thread-2 (worker_b)" in " ".join(shown.split())
    assert "holds lock_a" in shown
    assert "_handle" not in shown  # internal: counted, not shown
    assert "hidden: 1 internal thread" in shown and "2 objects" in shown


def test_every_thread_state_has_a_word():
    state = ProgramState()
    for tid, kind in enumerate(st.__dict__[name] for name in (
            "STARTING", "RUNNING", "SLEEPING", "BLOCKED", "WAITING", "HELD", "FINISHED",
            "DIED")):
        state.threads[tid + 1] = ThreadView(tid + 1, f"T{tid}", state=kind, since=0.0,
                                            until=1.0, error="ValueError: no")
    shown = text(ThreadRows(state, 0.5))
    for word in ("starting", "running", "sleeping", "BLOCKED", "WAITING", "HELD",
                 "by concviz (paused)", "finished", "DIED", "ValueError: no", "0.50s"):
        assert word in shown, word


def test_a_lock_box_names_its_holder_and_its_waiters():
    shown = text(PrimitiveBoxes(two_threads_deadlocked()), 80)
    assert "lock_a · Lock" in shown and "lock_b · Lock" in shown
    assert "held by  ◆ Thread-1 (worker_a)" in shown
    assert "■ Thread-2 (worker_b)" in shown


def test_shown_data_draws_a_list_a_number_and_a_dict():
    shown = text(ShownData({"items": [1, "two", None], "count": 3, "seen": {"a": 1},
                            "obj": {"repr": "<Box at 0x1>"}}))
    assert "items = (3 items)" in shown and "'two'" in shown and "None" in shown
    assert "count =  3" in shown
    assert "'a': 1" in shown
    assert "obj = <Box at 0x1>" in shown


def test_a_deadlock_says_python_would_wait_forever_and_the_key_while_it_runs():
    found = [Finding("deadlock", 1.0, "concviz's check: deadlock.", objs=[10, 11])]
    state = two_threads_deadlocked()
    assert FOREVER in " ".join(text(FindingsList(found, True, state), 200).split())
    assert "k ends" not in text(FindingsList(found, False, state), 200)


def test_the_programs_writes_are_joined_into_lines_and_stderr_is_marked():
    output = ProgramOutput()
    for stream, chunk in (("stdout", "hel"), ("stdout", "lo"), ("stdout", "\n"),
                          ("stderr", "Trace\nback")):
        output.add(stream, chunk)
    assert output.text == "hello\n▌Trace"
    output.beat()  # "back" has no newline yet: a beat later it shows as it is
    assert output.text == "hello\n▌Trace"
    output.beat()
    output.add("stdout", "bye")
    output.flush()
    assert output.text == "hello\n▌Trace\n▌back\nbye"


def test_the_spawn_picker_offers_the_functions_callable_with_no_arguments():
    found = {f.name: f.callable_bare for f in top_level_functions(FOREVER_LOOP)}
    assert found == {"worker": False, "extra": True}
    assert top_level_functions("def broken(:") == []


# -- real programs under the probe ------------------------------------------------


def program(tmp_path: Path, source: str, name: str = "prog.py") -> Program:
    path = tmp_path / name
    path.write_text(source)
    return Program(path, name)


class Recording(Session):
    """A session that keeps what the screen drained, for the tests to read."""

    def __init__(self, program: Path) -> None:
        super().__init__(program, output="events")
        self.seen: list[dict] = []

    def drain(self, max_items: int = 1000) -> list[dict]:
        events = super().drain(max_items)
        self.seen += events
        return events


def app_watching(prog: Program) -> tuple[ConcvizApp, WatchScreen]:
    app = ConcvizApp(autostart=False, sampler=StillSampler)
    return app, WatchScreen(prog, lambda: Recording(prog.path))


def gone(pid: int) -> bool:
    """The process ended and was reaped (a zombie still has its pid)."""
    return not psutil.pid_exists(pid)


def status(screen: WatchScreen) -> str:
    """The status line as drawn (it follows the screen's beat)."""
    return text(screen.query_one(".program-status").drawing(), 200)


def workers(screen: WatchScreen) -> list[ThreadView]:
    return [t for t in screen.pane.state.threads.values() if t.target == "worker"]


async def test_pause_holds_every_thread_step_lets_one_through_and_k_ends_it(tmp_path):
    app, screen = app_watching(program(tmp_path, APART_LOOP))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(screen)
        await until(lambda: len(workers(screen)) == 2 and screen.pane.state.prims,
                    "the workers did not start")
        pid = screen.pane.session.pid
        await pilot.press("space")
        await until(lambda: all(t.state == st.HELD for t in workers(screen)),
                    "space did not hold the workers")
        await until(lambda: "PAUSED by concviz" in status(screen), "no pause on screen")
        seen = screen.pane.session.seen
        before = len(seen)
        await pilot.press("full_stop")

        def stepped() -> bool:  # the probe echoed the step, let one operation through, held
            kinds = [(e["kind"], e.get("cmd")) for e in seen[before:]]
            echo = kinds.index(("control", "step")) if ("control", "step") in kinds else None
            return echo is not None and ("hold", None) in kinds[echo + 1:]

        await until(stepped, "a step did not go through")
        assert all(t.state == st.HELD for t in workers(screen))
        await pilot.press("k")
        await until(lambda: screen.pane.ended, "k did not end the program")
        assert screen.pane.session.exit_text().startswith("ended by concviz")
        assert gone(pid)
        await until(lambda: "ended by concviz" in status(screen), "no end on screen")


async def test_a_key_that_changes_the_status_redraws_it_at_once(tmp_path):
    """Not at the next beat (a quarter second, later in a flood): with the screen's beat
    stopped, only the key itself can have drawn its change."""
    app, screen = app_watching(program(tmp_path, FOREVER_LOOP))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(screen)
        await until(lambda: workers(screen) and "running" in status(screen),
                    "the program did not start")
        beat(screen).leave(screen.pane._on_beat)
        for key, shown in (("space", "PAUSED by concviz"), ("plus", "sleeps x2 (concviz)"),
                           ("full_stop", "STEPPING (concviz)"), ("minus", "▮▮ STEPPING"),
                           ("space", "▶ running")):
            await pilot.press(key)
            assert shown in status(screen), key
        assert "sleeps x" not in status(screen)
        await pilot.press("q")


async def test_a_deadlock_is_shown_as_concvizs_finding_and_k_ends_it(tmp_path):
    app, screen = app_watching(program(tmp_path, DEADLOCK))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(screen)
        await until(lambda: screen.pane.findings is not None and screen.pane.findings.display
                    and screen.pane.findings.running, "no deadlock shown")
        findings = screen.pane.findings
        shown = " ".join(text(findings.drawing(), 200).split())
        assert "DEADLOCK" in shown and FOREVER in shown
        assert "lock_a" in shown and "lock_b" in shown
        pid = screen.pane.session.pid
        await pilot.press("k")
        await until(lambda: screen.pane.ended, "k did not end the deadlocked program")
        assert gone(pid)
        await until(lambda: not findings.running, "the box still offers k")


async def test_futures_and_shown_data_are_drawn(tmp_path):
    source = """\
# concviz: show results
from concurrent.futures import ThreadPoolExecutor, as_completed

results = []


def square(n):
    return n * n


with ThreadPoolExecutor(max_workers=2) as pool:
    for future in as_completed([pool.submit(square, n) for n in range(4)]):
        results.append(future.result())
"""
    app, screen = app_watching(program(tmp_path, source))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(screen)
        await until(lambda: screen.pane.ended, "the program did not end")
        await until(lambda: screen.query(".program-futures") and screen.pane.data is not None
                    and screen.pane.data.display,
                    "no futures or data shown")  # the futures' box is made for the first
        futures = screen.query_one(".program-futures")
        assert futures.display and futures.border_title == "Futures"
        shown = text(futures.drawing(), 100)
        assert "4 done" in shown and "square(3)" in shown
        order = shown.split("as_completed gave:")[1].split()[:4]
        assert sorted(order) == ["#1", "#2", "#3", "#4"]
        assert "results = (4 items)" in text(screen.pane.data.drawing(), 100)
        await pilot.press("q")


def code_shows(screen: WatchScreen, line: int, source: str) -> bool:
    """Whether the code box on the screen shows ``line`` marked, with its own text (a
    legend entry has the mark and the number, not the code)."""
    box = screen.query_one(WatchCode).region
    code = source.splitlines()[line - 1].strip()
    return any(f"▶ {line} " in row and code in row
               for row in (row[box.x:box.right] for row in screen_rows(screen.app)[
                   box.y:box.bottom]))


async def test_at_80x24_the_code_box_under_a_deadlock_shows_a_blocked_line(tmp_path):
    """Opened at 80x24 once the deadlock is found, the code scrolls to a blocked thread's
    line."""
    app, screen = app_watching(program(tmp_path, DEADLOCK))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(screen)
        await until(lambda: screen.pane.findings is not None and screen.pane.findings.display,
                    "no deadlock shown")
        await pilot.press("c")
        blocked = [t.line for t in screen.pane.state.threads.values() if t.state == st.BLOCKED]
        await until(lambda: any(code_shows(screen, line, DEADLOCK) for line in blocked),
                    "no blocked thread's line in the code box")
        await pilot.press("q")


async def test_the_code_follows_the_thread_that_moved_last_unless_scrolled_by_hand(tmp_path):
    app, screen = app_watching(program(tmp_path, PARKED_AND_BUSY))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(screen)
        await pilot.press("c")
        code = screen.query_one(WatchCode)
        now = [1000.0]
        code.clock = lambda: now[0]

        def busy_shown() -> bool:
            return any(code_shows(screen, line, PARKED_AND_BUSY) for line in (BUSY, BUSY + 1))

        await until(busy_shown, "the busy thread's line is not shown")
        assert not code_shows(screen, 8, PARKED_AND_BUSY)  # the parked one: out of view
        await pilot.press("home")  # the user scrolls the code to its top
        await until(lambda: code.scroll_y == 0, "home did not scroll the code")
        for _ in range(3):  # the threads move on: the code stays where the user put it
            screen.pane._draw()
            await pilot.pause()
            assert code.scroll_y == 0 and not busy_shown()
        now[0] += HANDS_OFF
        screen.pane._draw()
        await until(busy_shown, "the code did not follow again after the user's scroll")
        await pilot.press("q")


@pytest.mark.parametrize("key", ["q", "ctrl+c"])
async def test_quitting_leaves_no_child(tmp_path, key):
    app, screen = app_watching(program(tmp_path, FOREVER_LOOP))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(screen)
        await until(lambda: workers(screen), "the program did not start")
        pid = screen.pane.session.pid
        await pilot.press(key)
    assert gone(pid)


async def test_r_runs_it_again_at_the_chosen_speed_and_the_first_run_ends(tmp_path):
    app, screen = app_watching(program(tmp_path, FOREVER_LOOP))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(screen)
        await until(lambda: workers(screen), "the program did not start")
        first = screen.pane.session.pid
        await pilot.press("plus")
        await pilot.press("r")
        assert gone(first)
        await until(lambda: workers(screen) and screen.pane.state.speed == 2,
                    "the second run did not start at speed 2")
        assert screen.pane.session.pid != first
        await pilot.press("q")


async def test_F_starts_a_thread_running_a_function_of_the_program(tmp_path):
    app, screen = app_watching(program(tmp_path, FOREVER_LOOP))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(screen)
        await until(lambda: workers(screen) and screen.pane.code, "the program did not start")
        await pilot.press("F")
        await until(lambda: isinstance(app.screen, SpawnPicker), "no picker")
        picker = app.screen.query_one("OptionList")
        picker.highlighted = picker.get_option_index("extra")
        await pilot.press("enter")
        await until(lambda: any(t.by == "concviz" and t.target == "extra"
                                for t in screen.pane.state.threads.values()),
                    "no thread started by concviz")
        await pilot.press("q")


async def test_speed_and_help_keys(tmp_path):
    app, screen = app_watching(program(tmp_path, FOREVER_LOOP))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(screen)
        await until(lambda: workers(screen), "the program did not start")
        await pilot.press("plus")
        await until(lambda: screen.pane.state.speed == 2, "the probe did not take the speed")
        await until(lambda: "sleeps x2 (concviz)" in status(screen), "no speed on screen")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        intro = app.screen.query_one(".help-intro").render()  # this screen's, not the panes'
        assert "not Python's (it has no such controls)" in str(intro) and "Tab" not in str(intro)
        keys = dict(rows(app.screen.sections[0][1], app.get_key_display))
        assert {keys[k] for k in ("space", ".", "+/-", "k", "r", "F", "c", "z", "q")} == {
            "Pause/Resume", "Step", "Speed", "End program", "Run again", "New thread", "Code",
            "Zoom code", "Quit"}
        everywhere = dict(rows(app.screen.sections[1][1], app.get_key_display))
        assert "Screenshot" in everywhere.values() and "Next pane" not in everywhere.values()
        await pilot.press("escape")
        await pilot.press("q")


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (50, 15), (20, 5)])
async def test_no_size_breaks_it_and_z_and_c_work(tmp_path, size):
    app, screen = app_watching(program(tmp_path, DEADLOCK))
    async with app.run_test(size=size) as pilot:
        await app.push_screen(screen)
        await until(lambda: screen.pane.state.findings, "no deadlock found")
        for key in ("c", "z", "z", "c", "z"):
            await pilot.press(key)
        await pilot.pause()
        assert screen.has_class("-code") and screen.has_class("-zoom")
        await pilot.press("q")


async def test_the_scroll_keys_scroll_the_state_or_the_open_code(tmp_path):
    app, screen = app_watching(program(tmp_path, DEADLOCK))
    async with app.run_test(size=(80, 24)) as pilot:  # the code starts closed
        await app.push_screen(screen)
        await until(lambda: screen.pane.state.findings and len(screen.pane.state.prims) == 4,
                    "no deadlock found")
        state, code = screen.query_one(".program-state"), screen.query_one("#code")
        await until(lambda: state.max_scroll_y > 0, "the state fits: nothing to scroll")
        await pilot.press("end")
        await until(lambda: state.scroll_y > 0, "end did not scroll it")
        await pilot.press("c")
        await until(lambda: code.max_scroll_y > 0, "the code fits: nothing to scroll")
        await pilot.press("end")
        await until(lambda: code.scroll_y > 0, "end did not scroll the code")
        await pilot.press("q")


async def test_concviz_watch_opens_the_watch_screen(tmp_path):
    path = program(tmp_path, DEADLOCK).path
    args = build_parser(with_demos=False).parse_args(["watch", "--seed", "3", str(path)])
    with watch.prepared(args):
        app = ConcvizApp(args, sampler=StillSampler)
        async with app.run_test(size=(120, 40)) as pilot:
            await until(lambda: isinstance(app.screen, WatchScreen), "no watch screen")
            screen = app.screen
            await until(lambda: screen.pane.state.header.get("seed") == 3, "no header")
            assert app.panes == []  # no dashboard is built behind it
            # nor offered: the gallery and the lesson are the dashboard's demos
            offered = {active.binding.action for active in screen.active_bindings.values()}
            assert "toggle_pause" in offered and not offered & {"gallery", "lesson"}
            await pilot.press("g", "L")
            assert app.screen is screen
            await pilot.press("question_mark")
            keys = [row for _, bindings in app.screen.sections
                    for row in rows(bindings, app.get_key_display)]
            assert ("s", "Screenshot") in keys and not {"g", "L", "tab"} & dict(keys).keys()
            await pilot.press("escape", "q")
