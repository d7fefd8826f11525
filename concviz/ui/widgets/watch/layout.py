"""When an auto-height watch widget needs a new layout."""

from __future__ import annotations

from rich.console import RenderableType
from textual.widget import Widget


def rendered_rows(widget: Widget, renderable: RenderableType, width: int | None = None) -> int:
    """How many rows ``renderable`` takes at ``widget``'s width (or ``width``): an
    auto-height widget asks for a new layout only when that changes (a layout costs the
    whole screen)."""
    console = widget.app.console
    width = max(1, widget.content_size.width if width is None else width)
    return len(console.render_lines(renderable, console.options.update_width(width)))
