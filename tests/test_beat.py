"""The screen's beat: who joins it is called on every tick, with the others; who leaves, not."""

from __future__ import annotations

import asyncio

from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from concviz.ui.beat import EVERY, beat, leaving


async def test_callbacks_share_each_tick_and_an_empty_beat_stops() -> None:
    calls: list[str] = []
    app = App()
    async with app.run_test():
        shared = beat(app.screen)
        assert beat(app.screen) is shared  # one per screen

        def first() -> None:
            calls.append("first")

        def second() -> None:
            calls.append("second")

        shared.join(first)
        shared.join(second)
        shared.join(first)  # joining twice changes nothing
        while len(calls) < 4:
            await asyncio.sleep(EVERY / 4)
        assert calls[:4] == ["first", "second", "first", "second"]  # both on every tick

        shared.leave(second)
        calls.clear()
        while len(calls) < 2:
            await asyncio.sleep(EVERY / 4)
        assert calls[:2] == ["first", "first"]  # who left is not called

        shared.leave(first)
        calls.clear()
        await asyncio.sleep(EVERY * 3)
        assert calls == []


class Box(Widget):
    """Draws from its child on the beat, as the panes do."""

    def __init__(self, drawn: list[str]) -> None:
        super().__init__()
        self.drawn = drawn

    def compose(self) -> ComposeResult:
        yield Static("inside", id="inside")

    def draw(self) -> None:
        self.drawn.append(str(self.query_one("#inside", Static).content))


async def test_a_widget_on_its_way_out_is_not_called() -> None:
    drawn: list[str] = []
    app = App()
    async with app.run_test():
        box = Box(drawn)
        await app.screen.mount(box)
        shared = beat(app.screen)
        shared.join(box.draw)
        shared._tick()
        assert drawn == ["inside"] and not leaving(box)
        removal = box.remove()  # Textual marks it at once, then removes its child first
        assert leaving(box)
        shared._tick()  # a tick in between: the child may be gone, so no call
        await removal
        assert drawn == ["inside"]
