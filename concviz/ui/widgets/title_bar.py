"""The top line of every screen: the app's title and what this screen shows.

Textual's Header is four widgets and a clock icon; one line of text does the same
job, reads the same on a projector and is there sooner in the first frame.
"""

from __future__ import annotations

from textual.widgets import Static


class TitleBar(Static):
    def on_mount(self) -> None:
        self.watch(self.screen, "sub_title", self._show)  # the lesson's page changes it

    def _show(self, sub_title: str | None) -> None:
        self.update(f"{self.app.title} — {sub_title or self.app.sub_title}")
