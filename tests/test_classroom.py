"""Classroom mode: layout at every size, zoom, code panel, help, themes, live control."""

from __future__ import annotations

import asyncio
import io

from rich.console import Console
from textual.geometry import Region

from concviz import config
from concviz.cli import build_parser
from concviz.ui.app import ConcvizApp
from concviz.ui.panes.programs import ProducerConsumerPane
from concviz.ui.screens.help import HelpScreen
from concviz.ui.widgets.code_panel import CodePanel
from concviz.ui.widgets.key_footer import KeyFooter
from tests.helpers import StillSampler, dashboard_ready, until
from tests.pane_app import wait_ended

# The producer makes its items at once; the consumer looks every 0.25 s, long after
# the last one: which thread does what when does not depend on the machine's load, so
# neither does the finished screen.
STEADY = {"ITEMS": "4", "PRODUCE_MIN": "0", "PRODUCE_MAX": "0", "CONSUME_MIN": "0.25",
          "CONSUME_MAX": "0.25"}


def app_for(argv: list[str] | None = None, **kwargs) -> ConcvizApp:
    args = build_parser().parse_args(argv) if argv is not None else None
    return ConcvizApp(args, sampler=StillSampler, **kwargs)


async def settle(pilot, seconds: float = 0.4) -> None:
    await pilot.pause(seconds)
    await pilot.pause()


async def test_theme_is_remembered_for_next_time():
    async with app_for().run_test() as pilot:
        assert pilot.app.theme == "projector"
        await pilot.press("t")
        assert pilot.app.theme == "light"
    assert config.load()["theme"] == "light"
    async with app_for().run_test() as pilot:
        assert pilot.app.theme == "light"
    async with app_for(["--theme", "textual-dark"]).run_test() as pilot:
        assert pilot.app.theme == "textual-dark"
    assert config.saved_theme() == "textual-dark"


async def test_zoom_and_small_terminals_show_one_pane():
    async with app_for(autostart=False).run_test(size=(120, 40)) as pilot:
        screen = pilot.app.screen
        assert screen.has_class("-w-full", "-h-full")
        await pilot.press("z")
        assert screen.has_class("-zoom")
        await pilot.press("z")
        assert not screen.has_class("-zoom")
    async with app_for(autostart=False).run_test(size=(50, 15)) as pilot:
        assert pilot.app.screen.has_class("-w-tiny", "-h-tiny")
        assert pilot.app.query_one("#too-small").display


async def test_help_lists_every_key_of_the_app_and_the_panes():
    async with app_for(autostart=False).run_test(size=(120, 40)) as pilot:
        await dashboard_ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        console = Console(file=io.StringIO(), width=100)
        for static in pilot.app.screen.query("Static"):
            console.print(static.content)
        text = console.file.getvalue()
        for description in ("Zoom", "Code", "Lock", "+Producer", "+Consumer", "Step",
                            "Cancel", "Fail", "Run again", "New seed"):
            assert description in text
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, HelpScreen)


async def run_steady(pilot) -> ProducerConsumerPane:
    """The dashboard's producer/consumer pane runs the program with STEADY's constants,
    to its end."""
    await dashboard_ready(pilot)
    pane = pilot.app.query_one(ProducerConsumerPane)
    pane.knobs.update(STEADY)
    await pilot.press("space")
    await wait_ended(pilot, pane)
    return pane


async def test_code_panel_marks_the_line_each_thread_is_at():
    async with app_for(autostart=False).run_test(size=(120, 40)) as pilot:
        pane = await run_steady(pilot)
        await pilot.press("c")
        await pilot.pause()
        code = pane.listing.code
        assert "CONSUME_MIN = 0.25" in code  # the code that ran
        lines = code.splitlines()
        start = {name: lines.index(f"def {name}():") + 1 for name in ("producer", "consumer")}
        assert start["producer"] < pane.code_marks["Producer-1"] < start["consumer"]
        assert start["consumer"] < pane.code_marks["Consumer-1"]
        assert "thread.join()" in lines[pane.code_marks["MainThread"] - 1]
        assert pane.code_done == {"MainThread", "Producer-1", "Consumer-1"}
        assert str(pilot.app.query_one(CodePanel).border_title) == "Code · producer_consumer.py"


async def test_the_dashboard_makes_its_code_panel_when_first_opened():
    """Not with the dashboard (it delayed the first frame): c makes it, once."""
    async with app_for(autostart=False).run_test(size=(120, 40)) as pilot:
        await dashboard_ready(pilot)
        assert not pilot.app.screen.query(CodePanel)
        await pilot.press("c")
        await until(lambda: pilot.app.screen.has_class("-code"), "c did not open the code")
        panel = pilot.app.screen.query_one(CodePanel)
        await until(lambda: panel.display and str(panel.border_title).startswith("Code · "),
                    "the code panel does not show the pane's program")
        await pilot.press("c")
        await until(lambda: not pilot.app.screen.has_class("-code"), "c did not close it")
        await pilot.press("c")
        await until(lambda: pilot.app.screen.has_class("-code"), "c did not open it again")
        assert pilot.app.screen.query_one(CodePanel) is panel


async def test_the_footer_comes_into_the_row_kept_for_it():
    """The footer is mounted just after the first frame, into a row the first frame
    already keeps: the panes do not move when it comes."""
    async with app_for(autostart=False).run_test(size=(120, 40)) as pilot:
        keys, main = pilot.app.screen.query_one("#keys"), pilot.app.screen.query_one("#main")
        await pilot.pause()
        kept = main.region
        assert keys.region == Region(0, 39, 120, 1) and kept.bottom == 39
        await dashboard_ready(pilot)
        await until(lambda: keys.query("FooterKey"), "no keys in the footer")  # by CSS type
        assert keys.query_one(KeyFooter).region == keys.region and main.region == kept


def test_palette_has_a_command_for_every_key():
    app = app_for(autostart=False)

    async def titles() -> list[str]:
        async with app.run_test() as pilot:
            await dashboard_ready(pilot)
            return [command.title for command in app.get_system_commands(app.screen)]

    found = asyncio.run(titles())
    for title in ("Zoom", "Code", "Help", "Theme", "Screenshot",
                  "Producer / Consumer: Start another thread running consumer()",
                  "Futures: cancel() every future not yet running (concviz's doing)",
                  "Futures: More futures (a new run)", "Process pool: New seed"):
        assert title in found


def snapshot(app: ConcvizApp, size: tuple[int, int], *keys: str, finish: bool = True):
    async def run_before(pilot) -> None:
        if finish:  # started once the app is up: start-up work would skew the threads' timing
            await run_steady(pilot)
        else:
            await dashboard_ready(pilot)
        for key in keys:
            await pilot.press(key)
        await pilot.pause()

    return {"app": app, "terminal_size": size, "run_before": run_before}


def test_snapshot_dashboard_120x40(snap_compare):
    assert snap_compare(**snapshot(app_for(autostart=False), (120, 40)))


def test_snapshot_dashboard_80x24(snap_compare):
    assert snap_compare(**snapshot(app_for(autostart=False), (80, 24)))


def test_snapshot_zoomed(snap_compare):
    assert snap_compare(**snapshot(app_for(autostart=False), (120, 40), "z"))


def test_snapshot_code_panel(snap_compare):
    assert snap_compare(**snapshot(app_for(autostart=False), (120, 40), "c"))


def test_snapshot_help(snap_compare):
    assert snap_compare(**snapshot(app_for(autostart=False), (120, 40), "question_mark",
                                   finish=False))


def test_snapshot_too_small(snap_compare):
    assert snap_compare(**snapshot(app_for(autostart=False), (50, 15), finish=False))


async def test_tab_reaches_every_pane_even_one_at_a_time():
    for size in ((120, 40), (80, 24)):
        async with app_for(autostart=False).run_test(size=size) as pilot:
            await dashboard_ready(pilot)
            app = pilot.app
            seen = []
            for _ in range(len(app.panes)):
                await pilot.press("tab")
                await pilot.pause()
                seen.append(app.focused.id)
                assert app.focused.has_class("-shown")
            assert sorted(seen) == sorted(p.id for p in app.panes)
            await pilot.press("shift+tab")
            await pilot.pause()
            assert app.focused.id == seen[-2]


async def test_help_and_quit_stay_in_the_footer_however_many_keys_a_pane_has():
    async with app_for(autostart=False).run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        for _ in range(len(pilot.app.panes)):  # each pane has more keys than fit in 80
            await pilot.press("tab")
            await pilot.pause()
            footer_keys = pilot.app.screen.query("FooterKey")  # by CSS type: no public class
            keys = {key.action: key for key in footer_keys}
            for action in ("help", "quit"):
                region = keys[action].region
                assert region.width and region.right <= 80, (pilot.app.focused.id, action)


def test_snapshot_pool_pane_zoomed(snap_compare):
    assert snap_compare(**snapshot(app_for(autostart=False), (120, 40), "tab", "z",
                                   finish=False))


def test_snapshot_futures_pane_zoomed(snap_compare):
    assert snap_compare(**snapshot(app_for(autostart=False), (120, 40), "tab", "tab", "z",
                                   finish=False))


def test_snapshot_lesson_screen(snap_compare):
    """ques.4's page, its program not started yet (a started one would depend on timing)."""
    from concviz.ui.screens.lesson import LessonScreen

    async def run_before(pilot) -> None:
        await dashboard_ready(pilot)
        pilot.app.push_screen(LessonScreen({4: lambda: [ProducerConsumerPane(autostart=False)]},
                                           page=4))
        await pilot.pause()

    assert snap_compare(app_for(autostart=False), run_before=run_before, terminal_size=(120, 40))


async def test_ctrl_c_quits_mid_run():
    # a consumer that sleeps 30 s between looks: the program surely runs when ctrl+c comes
    async with app_for(autostart=True).run_test() as pilot:
        await dashboard_ready(pilot)
        pane = pilot.app.query_one(ProducerConsumerPane)
        pane.knobs.update(CONSUME_MIN="30", CONSUME_MAX="30")
        pane.start_run()
        await until(lambda: pane.live and pane.state.threads, "the program did not start")
        await pilot.press("ctrl+c")
        await until(lambda: not pilot.app.is_running, "ctrl+c did not quit")
    assert pane.session.poll() is not None  # the program ended with the app
