"""The dashboard's start: the pane asked for comes first, in its own place and in front."""

from __future__ import annotations

import gc

import pytest

from concviz.cli import build_parser
from concviz.programs.catalogue import CATALOGUE, SEED_PREFIX
from concviz.ui.app import ConcvizApp
from concviz.ui.widgets.program.pane import ProgramPane
from tests.helpers import StillSampler, dashboard_ready, until


def app_for(*argv: str) -> ConcvizApp:
    return ConcvizApp(build_parser().parse_args(["run", *argv]), sampler=StillSampler,
                      autostart=False)


async def test_a_pane_asked_for_starts_in_its_own_place():
    async with app_for("futures").run_test(size=(120, 40)) as pilot:
        app = pilot.app
        futures = app.query_one("#futures")
        before = futures.region  # the others are not mounted yet: slots keep their places
        await dashboard_ready(pilot)
        assert len(app.panes) == 3 and not app.query(".slot")
        assert futures.region == before and futures.region.x > 0  # right column, unmoved
        assert app.focused is futures


async def test_a_pane_asked_for_is_the_one_shown_on_a_small_terminal():
    for demo in ("pool", "futures", "producer-consumer"):
        async with app_for(demo).run_test(size=(80, 24)) as pilot:
            await dashboard_ready(pilot)
            shown = [pane for pane in pilot.app.panes if pane.display]
            assert [pane.id for pane in shown] == [pilot.app.focused.id]
            assert shown[0].id == {"pool": "pool", "futures": "futures"}.get(demo, "pc")


async def test_a_program_pane_starts_its_program_unless_told_to_wait():
    async with ConcvizApp(build_parser().parse_args(["run", "futures"]),
                          sampler=StillSampler).run_test(size=(120, 40)) as pilot:
        pane = pilot.app.query_one("#futures")
        await until(lambda: pane.session is not None, "not started with the app")
        await dashboard_ready(pilot)
        pc = pilot.app.query_one("#pc")  # mounted after the first frame, started after its own
        await until(lambda: pc.session is not None, "the producer/consumer pane did not start")
    async with app_for("futures").run_test(size=(120, 40)) as pilot:
        await dashboard_ready(pilot)
        assert all(pane.session is None for pane in pilot.app.query("#pc, #futures"))


DASHBOARD = {"producer-consumer": "pc", "producer-consumer-no-lock": "pc", "pool": "pool",
             "futures": "futures"}


@pytest.mark.parametrize("demo", [name for name in CATALOGUE
                                  if not name.startswith(SEED_PREFIX)])
async def test_concviz_run_demo_opens_that_demo(demo):
    """`concviz run semaphore` once opened the producer/consumer dashboard."""
    from concviz.ui.screens.gallery import GalleryScreen

    async with app_for(demo, "--seed", "3").run_test(size=(120, 40)) as pilot:
        app = pilot.app
        await dashboard_ready(pilot)
        if demo in DASHBOARD:
            assert app.screen is app.dashboard.screen
            assert app.focused is app.query_one(f"#{DASHBOARD[demo]}")
            return
        await until(lambda: isinstance(app.screen, GalleryScreen) and app.screen.pane
                    is not None and app.focused is app.screen.pane, "the gallery did not open")
        pane = app.screen.pane
        if isinstance(pane, ProgramPane):  # a catalogue program, or an engine demo
            shown, run = pane.program.name, pane.session
        else:
            shown, run = pane.demo_class.name, pane.demo
        assert shown == demo and pane.seed == 3
        assert run is not None  # it started
        assert app.screen.picker.highlighted_option.id == demo
        assert not any(p.running for p in app.panes)  # nothing runs unseen behind it


async def test_the_collector_the_command_line_turned_off_is_on_after_the_first_frame():
    """cli.run_tui starts the app with the garbage collector off; the app turns it on
    once its first frame is out (an app started otherwise leaves it as it is)."""
    gc.disable()
    try:
        async with app_for("producer-consumer").run_test(size=(120, 40)) as pilot:
            await until(gc.isenabled, "the collector stayed off")
            await dashboard_ready(pilot)
    finally:
        gc.unfreeze()  # the app froze all this process held: collectable again
        gc.enable()
