"""The reference for bench_startup: a bare Textual app that shows one label."""

from textual.app import App, ComposeResult
from textual.widgets import Label


class Bare(App):
    def compose(self) -> ComposeResult:
        yield Label("hello")


if __name__ == "__main__":
    Bare().run()
