"""Readable from the back of the room: the code panel shows the whole program on every
screen, help lists each key once, and a screenshot can be taken of help itself."""

from __future__ import annotations

import html
import io
import re
from collections import defaultdict
from pathlib import Path

from rich.console import Console

import concviz
from concviz.programs.catalogue import CATALOGUE
from concviz.ui.renderables.code_view import CodeLegend, CodeView
from concviz.ui.renderables.core_meter import CoreMeters, CoreRow
from concviz.ui.screens.help import HelpScreen, rows
from concviz.ui.widgets.code_panel import NO_LISTING, CodePanel
from concviz.ui.widgets.program.futures import FuturesSummary
from concviz.ui.widgets.program.primitives import PrimitiveBoxes
from concviz.watch.state import FutureView, PrimitiveView, ProgramState
from tests.helpers import dashboard_ready, until
from tests.test_classroom import app_for

TEXT = re.compile(r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="([\d.]+)" '
                  r'clip-path="url\(#[\w-]+-line-(\d+)\)">([^<]*)</text>')


def screen_rows(app) -> list[str]:
    """What the terminal shows, one string a row, read off Textual's own screenshot."""
    cells: dict[int, dict[int, str]] = defaultdict(dict)
    for x, length, row, text in TEXT.findall(app.export_screenshot()):
        text = html.unescape(text).replace("\xa0", " ")
        column = round(float(x) / (float(length) / len(text))) if text else 0
        for offset, char in enumerate(text):
            cells[int(row)][column + offset] = char
    return ["".join(line.get(c, " ") for c in range(max(line, default=-1) + 1))
            for _, line in sorted(cells.items())]


async def test_zoomed_code_shows_its_longest_line_whole_at_120x40():
    async with app_for(autostart=False).run_test(size=(120, 40)) as pilot:
        await dashboard_ready(pilot)
        await pilot.press("tab", "w")  # the pool pane, counting primes: its longest listing
        await until(lambda: pilot.app.current.workload == "primes", "no primes")
        await pilot.press("c", "z", "end")  # that line is near the end
        await pilot.pause()
        line = max(pilot.app.current.listing.code.splitlines(), key=len)
        assert len(line) > 90  # far wider than the panel beside the pane
        assert any(line.strip() in row for row in screen_rows(pilot.app)), line
        assert pilot.app.focused is pilot.app.current  # the pane keeps its keys, under it


async def test_code_scrolls_at_80x24_and_the_pane_keeps_its_keys():
    async with app_for(autostart=False).run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        await pilot.press("c", "z")
        await pilot.pause()
        panel = pilot.app.query_one(CodePanel)
        last = pilot.app.current.listing.code.splitlines()[-1].strip()
        assert panel.max_scroll_y > 0  # the program is longer than the screen
        assert not any(last in row for row in screen_rows(pilot.app))
        await pilot.press("end")
        await until(lambda: panel.scroll_y == panel.max_scroll_y, "the code did not scroll")
        await pilot.pause()
        assert any(last in row for row in screen_rows(pilot.app))
        await pilot.press("home")
        await until(lambda: panel.scroll_y == 0, "the code did not scroll back")
        await pilot.press("space")  # the pane under the code still runs on its keys
        assert pilot.app.current.running


def line_of(code: str, marker: str) -> int:
    return next(n for n, line in enumerate(code.splitlines(), 1) if marker in line)


def test_a_wrapped_line_keeps_every_character_and_names_find_a_place():
    code = CATALOGUE["producer-consumer"].path.read_text()
    marks = {"Consumer": line_of(code, "removed {item}"),
             "Producer": line_of(code, "shared_list.append(item)")}
    view = CodeView(code, marks, frozenset({"Producer"}))
    for width in (30, 50, 120):
        console = Console(width=width, record=True, color_system=None)
        console.print(view)
        console.print(CodeLegend(view))
        out = console.export_text()
        joined = re.sub(r"\s+", "", out)
        for line in code.splitlines():
            assert re.sub(r"\s+", "", line) in joined, (width, line)
        assert "Consumer" in out and "Producer ✓" in out, width  # beside the line or above
        assert all(len(row) <= width for row in out.splitlines()), width


async def test_c_in_the_gallery_opens_the_code_panel():
    async with app_for(autostart=False).run_test(size=(120, 40)) as pilot:
        await dashboard_ready(pilot)
        await pilot.press("g")
        await until(lambda: pilot.app.screen.query(CodePanel), "no gallery")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert pilot.app.screen.has_class("-code")
        panel = pilot.app.screen.query_one(CodePanel)
        assert panel.display and panel.region.width > 20
        # the highlighted program's file, before it runs
        name = pilot.app.screen.pane.program.path.name
        await until(lambda: f"Code · {name}" in " ".join(screen_rows(pilot.app)), name)
        picker = pilot.app.screen.picker  # an engine demo (processes) has no listing yet
        picker.highlighted = next(i for i in range(picker.option_count)
                                  if picker.get_option_at_index(i).id == "mp-counter")
        await until(lambda: NO_LISTING.split(":")[0] in " ".join(screen_rows(pilot.app)),
                    "the panel did not say the engine demo has no listing")
        await pilot.press("z")
        await pilot.pause()
        assert pilot.app.screen.has_class("-zoom")
        await pilot.press("c")
        await pilot.pause()
        assert not panel.display


async def test_help_names_each_key_once_and_lists_the_gallery_and_the_lesson():
    async with app_for(autostart=False).run_test(size=(120, 40)) as pilot:
        await dashboard_ready(pilot)
        sections = dict(pilot.app.help_sections())
        for title, bindings in sections.items():
            keys = [key for key, _ in rows(bindings, pilot.app.get_key_display)]
            tokens = [token for key in keys for token in {*key.split("/"), key}]
            assert len(tokens) == len(set(tokens)), (title, keys)  # "+/- Speed", no "- Slower"
        descriptions = {title: [d for _, d in rows(b, pilot.app.get_key_display)]
                        for title, b in sections.items()}
        assert "Run it" in descriptions["Gallery (g)"]
        assert "Next page" in descriptions["Lesson (L)"]
        for kind in ("Every program pane (the file runs under concviz's probe)",
                     "Every process demo pane"):
            assert "Speed" in descriptions[kind] and "Slower" not in descriptions[kind]


async def test_s_with_help_open_saves_a_screenshot(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    async with app_for(autostart=False).run_test(size=(120, 40)) as pilot:
        await dashboard_ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        await pilot.press("s")
        await until(lambda: list(tmp_path.glob("*.svg")), "no screenshot saved")
        assert "Help" in next(tmp_path.glob("*.svg")).read_text()


# -- projector colours and the browser's font -----------------------------------------

# Every non-ASCII character concviz draws, each checked (fontTools, against the cmaps) to be
# in Roboto Mono, the font of `concviz serve`'s page, or in DejaVu Sans Mono, the monospace
# font a browser on Linux falls back to, or a box-drawing or block element (U+2500-U+259F),
# which the page's terminal (xterm.js) draws itself. "✋" was in none: a box on the page.
CHECKED_GLYPHS = set("·×÷–—…›↑→↓↻⊘■▮▲▶▸▼◀◆○●◐◷⚠✓✗")


def test_every_glyph_drawn_is_one_the_browser_can_show():
    root = Path(concviz.__file__).parent
    for path in root.rglob("*.py"):
        for char in set(re.findall(r"[^\x00-\x7f]", path.read_text())):
            assert char in CHECKED_GLYPHS or 0x2500 <= ord(char) <= 0x259F, (
                f"{char!r} (U+{ord(char):04X}) in {path.relative_to(root)}: check it against "
                "the browser's fonts, then add it to CHECKED_GLYPHS")


def styles_of(renderable, width: int = 60) -> set[str]:
    console = Console(width=width, color_system="truecolor", file=io.StringIO())
    return {str(segment.style) for segment in console.render(renderable) if segment.style}


def test_a_full_core_is_not_drawn_as_an_error_and_no_text_is_dim():
    full = CoreMeters([CoreRow(0, 100.0, (100.0,) * 30, (4242,)), CoreRow(1, 20.0)])
    assert not any("red" in style for style in styles_of(full))
    free = ProgramState()
    free.prims[1] = PrimitiveView(1, "Lock", "lock", named=True)
    cancelled = ProgramState()
    cancelled.futures[2] = FutureView(2, "factorial", "(1,)", state="cancelled")
    quiet = [PrimitiveBoxes(free), PrimitiveBoxes(ProgramState()),
             FuturesSummary(cancelled, 0.0)]
    for renderable in quiet:  # "nobody waiting", a cancelled future: read from afar
        assert not any("dim" in style for style in styles_of(renderable)), renderable

