"""Keys that once ended the app in front of a class: each reproduced, then fixed."""

from __future__ import annotations

from textual import events
from textual.command import CommandPalette

from concviz.ui.app import ConcvizApp
from concviz.ui.panes.gallery import GalleryDemoPane
from concviz.ui.screens.gallery import GalleryScreen
from tests.helpers import StillSampler, dashboard_ready, until


async def test_the_command_palette_opens_and_lists_every_key():
    """Ctrl+P built its help text from key_display values such as ``[/]``, read as markup."""
    app = ConcvizApp(sampler=StillSampler, autostart=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await dashboard_ready(pilot)
        await pilot.press("ctrl+p")
        await until(lambda: isinstance(app.screen, CommandPalette), "no palette")
        await pilot.press(*"speed")
        await pilot.pause(0.3)  # the palette searches in a worker
        await pilot.press("escape")
        await until(lambda: not isinstance(app.screen, CommandPalette), "palette still open")
        assert app.is_running


async def test_a_burst_of_down_keys_in_the_gallery_never_crashes():
    app = ConcvizApp(sampler=StillSampler, autostart=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await dashboard_ready(pilot)
        await pilot.press("g")
        await until(lambda: isinstance(app.screen, GalleryScreen), "no gallery")
        for key in ["down"] * 20 + ["up"] * 7:  # queued at once, as a held key sends them
            app.post_message(events.Key(key, None))
        await pilot.pause(0.5)
        await pilot.pause()
        assert app.is_running
        panes = list(app.screen.query(GalleryDemoPane))
        assert len(panes) == 1
        assert panes[0].demo_class.name == app.screen.picker.highlighted_option.id


async def test_a_burst_of_page_turns_in_the_lesson_never_crashes():
    from concviz.ui.screens.lesson import LessonScreen

    app = ConcvizApp(sampler=StillSampler, autostart=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await dashboard_ready(pilot)
        await pilot.press("L")
        await until(lambda: isinstance(app.screen, LessonScreen), "no lesson")
        for key in ["n"] * 9 + ["b"] * 4:  # queued at once, as a held key sends them
            app.post_message(events.Key(key, None))
        await until(lambda: app.screen.index == 3, "the pages did not turn")
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
