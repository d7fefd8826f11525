"""The event log in an app: long lines wrap instead of losing their ends, and the newest
row is at the bottom."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Region

from concviz.ui.widgets.event_log import EventLog

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

