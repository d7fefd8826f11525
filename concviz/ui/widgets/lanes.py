"""Thread lanes widget: draws a :class:`Lanes` model at the demo's current time."""

from __future__ import annotations

from rich.console import RenderableType
from textual.widget import Widget

from concviz.ui.models.lanes import Lanes
from concviz.ui.renderables.lanes import LanesView


class ThreadLanes(Widget):
    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.lanes = Lanes()
        self.now = 0.0
        self._rows = 0

    def show(self, lanes: Lanes, now: float) -> None:
        """Redraw; a new lane (a new thread) also asks for a new layout."""
        rows = len(lanes.lanes)
        self.lanes, self.now = lanes, now
        self.refresh(layout=rows != self._rows)
        self._rows = rows

    def render(self) -> RenderableType:
        return LanesView(self.lanes, self.now)
