"""A widget that shows whatever Rich renderable it was last given."""

from __future__ import annotations

from collections.abc import Hashable

from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget


class Drawing(Widget):
    """Thin host for one renderable (lock box, list cells, counters...).

    ``show`` takes a ``key`` describing what the renderable depicts: when the
    key has not changed nothing is redrawn, which keeps a 30 Hz UI cheap.
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._renderable: RenderableType = Text("")
        self._key: Hashable = object()

    def show(self, renderable: RenderableType, key: Hashable, layout: bool = False) -> None:
        if key == self._key:
            return
        self._renderable, self._key = renderable, key
        self.refresh(layout=layout)

    def render(self) -> RenderableType:
        return self._renderable
