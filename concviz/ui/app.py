"""The concviz app: the dashboard of panes, each driven by a real running demo."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.widgets import Footer, Header

from concviz.ui.panes.producer_consumer import ProducerConsumerPane

STYLES = Path(__file__).parent / "styles"


def pc_options(args: argparse.Namespace | None) -> dict:
    """The producer/consumer pane's options from ``concviz run producer-consumer``."""
    if args is None or getattr(args, "demo", None) != "producer-consumer":
        return {}
    return {
        "items": args.items,
        "producers": args.producers,
        "consumers": args.consumers,
        "lock": args.lock,
        "seed": args.seed,
        "speed": args.speed,
    }


class ConcvizApp(App):
    """Real threads and processes, animated."""

    TITLE = "concviz"
    SUB_TITLE = "Python concurrency, happening"
    CSS_PATH: ClassVar[list[Path]] = [STYLES / "app.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, args: argparse.Namespace | None = None, *, autostart: bool = True) -> None:
        super().__init__()
        self.args = args
        self.autostart = autostart

    def compose(self) -> ComposeResult:
        yield Header()
        with Container(id="dashboard"):
            yield ProducerConsumerPane(id="pc", autostart=self.autostart, **pc_options(self.args))
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#pc").focus()
