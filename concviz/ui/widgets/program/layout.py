"""The watch screen's auto-height widgets: one renderable each, laid out anew only when
its rows change."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget


def rendered_rows(widget: Widget, renderable: RenderableType, width: int | None = None) -> int:
    """How many rows ``renderable`` takes at ``widget``'s width (or ``width``): an
    auto-height widget asks for a new layout only when that changes (a layout costs the
    whole screen)."""
    console = widget.app.console
    width = max(1, widget.content_size.width if width is None else width)
    return len(console.render_lines(renderable, console.options.update_width(width)))


class AutoRows(Widget):
    """Draws the renderable its ``show`` builds; a new layout only when the number of
    rows it takes changes."""

    DEFAULT_CSS = """
    AutoRows { height: auto; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.drawn: RenderableType = Text()
        self._rows = 0

    def draw(self, renderable: RenderableType) -> None:
        self.drawn = renderable
        rows = rendered_rows(self, renderable)
        self.refresh(layout=rows != self._rows)
        self._rows = rows

    def render(self) -> RenderableType:
        return self.drawn
