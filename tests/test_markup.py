"""Data never reaches Textual or Rich as markup: each place that builds text from data
shows markup-like strings literally (``[/]`` from a key once ended the app)."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from textual.app import App, ComposeResult
from textual.content import Content

from concviz.programs.catalogue import Card
from concviz.ui.demo_pane import DemoPane
from concviz.ui.renderables.card import card_table
from concviz.ui.widgets.event_log import EventLog
from concviz.ui.widgets.title_bar import TitleBar

MARKUP_LIKE = ["[/]", "[bold", "[link=x]", "[b]not bold[/b]", "list[0] = [red]", "\\[x]"]


def plain(renderable) -> str:
    console = Console(width=200, file=io.StringIO())
    console.print(renderable)
    return console.file.getvalue()


class Pane(DemoPane):
    TITLE = "[/] pane"


class Host(App):
    def __init__(self, data: str) -> None:
        super().__init__()
        self.data = data
        self.title = data

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Pane()
        yield EventLog()


@pytest.mark.parametrize("data", MARKUP_LIKE)
async def test_markup_like_data_is_shown_as_written(data):
    app = Host(data)
    async with app.run_test() as pilot:
        pane, log, bar = app.query_one(Pane), app.query_one(EventLog), app.query_one(TitleBar)
        assert data in str(bar.render())  # the app's title, as written
        log.write(data)
        assert log.text == data
        pane.status = data
        pane._show_status()
        assert data in Content.from_markup(pane.border_subtitle).plain
        assert Content.from_markup(pane.border_title).plain == "[/] pane"
        pane.notify(data, title=data)
        app.notify(data, title=data)
        await pilot.pause()
        assert app.is_running


@pytest.mark.parametrize("data", MARKUP_LIKE)
def test_cards_show_code_with_brackets_as_written(data):
    card = Card(title="t", purpose=data, use_when=data, trade_off=data, say_in_class=data)
    assert plain(card_table(card)).count(data) == 4
