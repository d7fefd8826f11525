"""Keys that once ended the app in front of a class: each reproduced, then fixed."""

from __future__ import annotations

import pytest
from textual import events
from textual.command import CommandList, CommandPalette

from concviz.ui.app import ConcvizApp
from concviz.ui.pane import Pane
from concviz.ui.screens.gallery import GalleryScreen
from concviz.ui.screens.lesson import LessonScreen
from tests.helpers import StillSampler, dashboard_ready, until


async def test_the_command_palette_opens_and_lists_every_key():
    """Ctrl+P built its help text from key_display values such as ``[/]``, read as markup."""
    app = ConcvizApp(sampler=StillSampler, autostart=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await dashboard_ready(pilot)
        await pilot.press("ctrl+p")
        await until(lambda: isinstance(app.screen, CommandPalette), "no palette")
        await pilot.press(*"speed")
        hits = app.screen.query_one(CommandList)  # filled by the palette's search worker
        await until(lambda: hits.option_count > 0, "the palette found nothing")
        assert "Speed" in str(hits.get_option_at_index(0).prompt)
        await pilot.press("escape")
        await until(lambda: not isinstance(app.screen, CommandPalette), "palette still open")
        assert app.is_running


def gallery_settled(screen) -> bool:
    """One pane, mounted, and it is the one of the entry the picker points at."""
    panes = list(screen.query(Pane))
    return len(panes) == 1 and panes[0].is_mounted and panes[0] is screen.pane and \
        screen.shown == screen.picker.highlighted_option.id


@pytest.mark.parametrize(("key", "screen_type", "burst", "settled"), [
    ("g", GalleryScreen, ["down"] * 20 + ["up"] * 7, gallery_settled),
    ("L", LessonScreen, ["n"] * 9 + ["b"] * 4, lambda screen: screen.index == 3),
])
async def test_a_burst_of_keys_while_panes_are_replaced_never_crashes(
        key, screen_type, burst, settled):
    """Three quick down keys in the gallery once ended the app (NoMatches)."""
    app = ConcvizApp(sampler=StillSampler, autostart=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await dashboard_ready(pilot)
        await pilot.press(key)
        await until(lambda: isinstance(app.screen, screen_type), f"no {screen_type.__name__}")
        for each in burst:  # queued at once, as a held key sends them
            app.post_message(events.Key(each, None))
        await until(lambda: settled(app.screen), "the burst was not handled")
        await pilot.pause()
        assert app.is_running


async def test_a_screenshot_in_a_folder_that_is_gone_is_saved_in_the_temp_folder(
        tmp_path, monkeypatch):
    """`s` in a deleted (or read-only) folder once ended the app with FileNotFoundError."""
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    app = ConcvizApp(sampler=StillSampler, autostart=False)
    said: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await dashboard_ready(pilot)
        monkeypatch.setattr(app, "notify", lambda message, **kw: said.append(message))
        await pilot.press("s")
        await pilot.pause()
        assert app.is_running
    assert len(said) == 1 and said[0].startswith("Could not write in the current folder")
    assert list(tmp_path.glob("*.svg")) and str(tmp_path) in said[0]


async def test_back_from_too_small_the_pane_in_front_has_its_keys_again():
    """After "Terminal too small" and back, space once did nothing: no pane had focus."""
    app = ConcvizApp(sampler=StillSampler, autostart=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await dashboard_ready(pilot)
        await pilot.resize_terminal(20, 5)
        await until(lambda: not app.query_one("#main").display, "not too small")
        await pilot.resize_terminal(120, 40)
        await until(lambda: isinstance(app.focused, Pane), "no pane has the focus")
        pane = app.focused
        await pilot.press("space")
        assert pane.running


async def test_the_palette_names_both_bracket_keys_for_what_they_do():
    app = ConcvizApp(sampler=StillSampler, autostart=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await dashboard_ready(pilot)
        titles = [str(command.title) for command in app.get_system_commands(app.screen)]
        assert "Futures: Fewer futures (a new run)" in titles
        assert "Futures: More futures (a new run)" in titles
