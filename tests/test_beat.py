"""The screen's beat: who joins it is called on every tick, with the others; who leaves, not."""

from __future__ import annotations

import asyncio

from textual.app import App

from concviz.ui.beat import EVERY, beat


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
