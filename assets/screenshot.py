"""Regenerate the README's screenshot: ``.venv/bin/python assets/screenshot.py``.

It runs the real app headless at a fixed seed, lets the runs go for a while, and saves
what the screen shows as ``assets/concviz.svg``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from concviz.cli import build_parser
from concviz.ui.app import ConcvizApp

HERE = Path(__file__).parent


async def main() -> None:
    args = build_parser().parse_args(["run", "producer-consumer", "--seed", "7", "--speed", "1"])
    app = ConcvizApp(args)
    async with app.run_test(size=(120, 40)) as pilot:
        while len(app.panes) < 3:  # the other panes mount just after the first frame
            await pilot.pause(0.05)
        await pilot.press("tab", "space", "shift+tab")  # the pools run too
        await pilot.pause(2.5)  # mid-run: threads sleeping, holding and waiting
        app.save_screenshot(filename="concviz.svg", path=str(HERE))


if __name__ == "__main__":
    asyncio.run(main())
