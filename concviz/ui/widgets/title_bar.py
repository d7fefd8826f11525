"""The top line of every screen: the app's title and what this screen shows.

Textual's Header is four widgets and a clock icon; one line of text does the same
job, reads the same on a projector and is there sooner in the first frame.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class TitleBar(Static):
    def __init__(self) -> None:
        super().__init__(self._text(None))  # in the first frame: no update, no relayout

    def on_mount(self) -> None:
        # the lesson's page changes it; init=False: the text above is already right
        self.watch(self.screen, "sub_title", self._show, init=False)

    def _show(self, sub_title: str | None) -> None:
        self.update(self._text(sub_title))

    def _text(self, sub_title: str | None) -> Content:
        """Plain text, never markup: a title may hold a file's or a program's name."""
        return Content(f"{self.app.title} — {sub_title or self.app.sub_title}")
