"""The dashboard's producer/consumer pane: the catalogue's program under the probe,
driven by keys as a teacher would."""

from __future__ import annotations

import ast

from concviz.ui.panes.programs import ProducerConsumerPane
from concviz.watch import state as st
from tests.helpers import until
from tests.pane_app import PaneApp, wait_ended
from tests.test_readable import screen_rows

# The producer makes every item at once; the consumer first looks 30 s later: the list
# holds them all for as long as a test needs.
HOARD = {"PRODUCE_MIN": "0", "PRODUCE_MAX": "0", "CONSUME_MIN": "30", "CONSUME_MAX": "30"}


def printed(pane: ProducerConsumerPane) -> str:
    return pane.output.text


def narration(pane: ProducerConsumerPane) -> str:
    return pane.narration.text


async def test_the_list_shown_is_the_list_the_program_printed():
    pane = ProducerConsumerPane(knobs=HOARD)
    async with PaneApp(pane).run_test(size=(80, 40)) as pilot:
        await until(lambda: "added 9 " in printed(pane), "the producer did not add 10 items")
        last = printed(pane).splitlines()[-1]
        assert last.startswith("Producer-1 added 9 | List: ")
        in_print = ast.literal_eval(last.split("List: ")[1])
        await until(lambda: pane.data is not None
                    and pane.data.data.get("shared_list") == in_print,
                    "the list shown is not the list printed")
        assert in_print == list(range(10))
        await pilot.pause()
        drawn = " ".join(screen_rows(pilot.app))
        assert "shared_list = (10 items)" in drawn and " 8   9 " in drawn


async def test_p_and_o_start_another_producer_and_consumer_in_the_running_program():
    pane = ProducerConsumerPane(knobs=HOARD)
    async with PaneApp(pane).run_test() as pilot:
        await until(lambda: pane.live and pane.state.threads, "the program did not start")
        await pilot.press("p", "o")

        def spawned() -> list[str]:
            return sorted(t.target or "" for t in pane.state.threads.values()
                          if t.by == "concviz")

        await until(lambda: spawned() == ["consumer", "producer"], "no new threads")
        echoes = [f"concviz starts a new thread running {function}()"  # the controls'
                  for function in ("producer", "consumer")]
        await until(lambda: all(echo in narration(pane) for echo in echoes),
                    "the new threads were not said to be concviz's")
        await pilot.press("k")
        await wait_ended(pilot, pane)
        said: list[str] = []
        pilot.app.notify = lambda message, **kw: said.append(message)
        await pilot.press("p")  # the program has ended: nothing to start a thread in
        assert said == ["No producer() started: the program is not running (space runs it "
                        "again)."]


async def test_l_switches_to_the_program_without_the_lock_and_back():
    pane = ProducerConsumerPane(knobs=HOARD)
    toasts: list[str] = []
    async with PaneApp(pane).run_test() as pilot:
        pilot.app.notify = lambda message, **kw: toasts.append(message)
        await until(lambda: pane.live and pane.state.prims, "the locked program did not start")
        first = pane.session
        await pilot.press("l")
        assert toasts == ["Restarted: producer-consumer-no-lock (the same list with no lock)"]
        assert pane.session is not first and pane.program.name == "producer-consumer-no-lock"
        await until(lambda: pane.code is not None and pane.state.threads, "no new run")
        assert "RACE_WINDOW = 0.002" in pane.code and "CONSUME_MIN = 30" in pane.code
        assert pane.listing.title == "producer_consumer_no_lock.py"
        assert not pane.prims.display  # no lock to show
        assert "producer-consumer-no-lock" in pane.border_title
        await pilot.press("l")
        assert toasts[-1] == "Restarted: producer-consumer (a list shared under threading.Lock)"
        await until(lambda: pane.state.prims, "the lock is not back")
        assert pane.prims.display


async def test_a_run_ends_with_every_item_consumed_and_the_screen_says_so():
    fast = {"PRODUCE_MIN": "0", "PRODUCE_MAX": "0.01", "CONSUME_MIN": "0",
            "CONSUME_MAX": "0.01"}
    pane = ProducerConsumerPane(knobs=fast, seed=3)
    async with PaneApp(pane).run_test() as pilot:
        await wait_ended(pilot, pane)
        assert printed(pane).splitlines()[-1] == "Final list: []"
        assert pane.data.data == {"shared_list": []}
        assert {t.name for t in pane.state.threads.values() if t.state == st.FINISHED} >= {
            "MainThread", "Producer-1", "Consumer-1"}
        assert narration(pane).splitlines()[-1] == "The program exited normally (status 0)."


async def test_space_pauses_the_program_and_space_on_a_pane_not_started_starts_it():
    pane = ProducerConsumerPane(knobs=HOARD, autostart=False)
    async with PaneApp(pane).run_test() as pilot:
        assert pane.session is None and pane.listing.title == "producer_consumer.py"
        assert "CONSUME_MIN = 30" in pane.listing.code  # the code that will run
        await pilot.press("space")
        await until(lambda: pane.phase == "running", "space did not start it")
        await pilot.press("space")
        assert pane.phase == "paused"
        await until(lambda: "concviz paused the program" in narration(pane), "no pause said")


async def test_a_dashboard_cell_mounts_the_output_box_only_when_it_is_shown():
    """The cell shows no output box (the narration says what happens): the box is not
    mounted, yet it keeps what the program printed, and shows it once shown."""
    pane = ProducerConsumerPane(knobs=HOARD)
    async with PaneApp(pane).run_test(size=(80, 40)) as pilot:
        await until(lambda: "added 0 " in printed(pane), "the producer did not add an item")
        assert "output" not in pane.views and not pane.output.is_attached
        pane.show_views([*pane.views, "output"])
        await until(lambda: pane.output.is_attached, "the output box was not mounted")

        def drawn() -> str:
            return " ".join(screen_rows(pilot.app))

        await until(lambda: "Output · the program's own" in drawn()
                    and "Producer-1 added " in drawn(), "the output box does not show")
