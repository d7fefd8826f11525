"""The event log in an app: long lines wrap instead of losing their ends, the newest
row is at the bottom, and the producer/consumer pane's summary shows whole."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Region

from concviz.commands.producer_consumer import summary_line
from concviz.ui.panes.producer_consumer import ProducerConsumerPane
from concviz.ui.widgets.event_log import EventLog
from tests.pane_app import PaneApp, wait_finished
from tests.test_readable import screen_rows

RACE = ("RACE (stolen-head) in Consumer-2: saw 5 at the head, but Consumer-1 popped it "
        "first; No error: pop(0) itself is atomic")


class LogApp(App):
    CSS = "EventLog { width: 40; height: 6; }"

    def compose(self) -> ComposeResult:
        yield EventLog()


def shown(log: EventLog) -> list[str]:
    return [strip.text for strip in log.render_lines(Region(0, 0, *log.size))]


def words(rows: list[str]) -> str:
    return " ".join(" ".join(rows).split())


async def test_a_long_line_shows_every_character_over_several_rows():
    async with LogApp().run_test() as pilot:
        log = pilot.app.query_one(EventLog)
        log.write("New run")
        log.write(RACE)
        await pilot.pause()
        rows = shown(log)
        assert rows[0].rstrip() == "New run"
        race = [row for row in rows[1:] if row.strip()]
        assert len(race) > 2 and all(row.startswith("  ") for row in race[1:])
        assert words(race) == RACE and "…" not in "".join(rows)


async def test_the_newest_line_ends_on_the_last_row():
    async with LogApp().run_test() as pilot:
        log = pilot.app.query_one(EventLog)
        for n in range(8):
            log.write(f"Producer-1 added {n}")
        log.write(RACE)
        await pilot.pause()
        rows = shown(log)
        assert rows[-1].strip() == RACE.split()[-1]  # "atomic"
        assert words(rows[2:]) == RACE
        assert [row.rstrip() for row in rows[:2]] == ["Producer-1 added 6",
                                                      "Producer-1 added 7"]  # older: out
        log.write("Consumer-1 removed 0")  # a new line: the wrapped one moves up
        await pilot.pause()
        assert shown(log)[-1].rstrip() == "Consumer-1 removed 0"
        assert shown(log)[-2].strip() == "atomic"


async def test_the_finished_producer_consumer_pane_shows_its_whole_summary_at_120x40():
    pane = ProducerConsumerPane(seed=144, speed=10, items=12, producers=2, consumers=3,
                                lock=False)
    async with PaneApp(pane).run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        await wait_finished(pilot, pane)
        summary = summary_line(pane.model.finished)
        assert len(summary) > pane.query_one(EventLog).size.width  # needs more than a row
        rows = screen_rows(pilot.app)
        first = next(n for n, row in enumerate(rows) if "Summary:" in row)
        inner = [row.replace("┃", "").replace("│", "") for row in rows[first:]
                 if row.startswith("┃ │")]
        assert words(inner) == summary  # every word, its last ones too
