"""The program pane's auto-height widgets: one renderable each, laid out anew only when
its rows change, its chips coloured by the theme."""

from __future__ import annotations

from dataclasses import fields
from typing import ClassVar

from rich.console import RenderableType
from rich.style import Style
from textual.widget import Widget

from concviz.ui.renderables.chips import PROJECTOR, Palette


def rendered_rows(widget: Widget, renderable: RenderableType, width: int | None = None) -> int:
    """How many rows ``renderable`` takes at ``widget``'s width (or ``width``): an
    auto-height widget asks for a new layout only when that changes (a layout costs the
    whole screen)."""
    console = widget.app.console
    width = max(1, widget.content_size.width if width is None else width)
    return len(console.render_lines(renderable, console.options.update_width(width)))


class AutoRows(Widget):
    """Draws what :meth:`drawing` makes of the widget's data and its palette; a new
    layout only when the number of rows that takes changes. The drawing is made at each
    render, so a new theme recolours it at once."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"palette--{field.name}"
                                             for field in fields(Palette)}
    """The chips' colours: a :class:`Palette`'s, one class a field.

    | Class | Description |
    | :- | :- |
    | `palette--hold` | Held: a lock's owner, an event that is set, a program running. |
    | `palette--wait` | Waiting: a blocked thread, a paused program, a lock-order warning. |
    | `palette--error` | An error: a thread that died, a deadlock, a broken barrier. |
    | `palette--item` | A value in a cell, a free lock or slot. |
    | `palette--dim` | Quiet text: what is not there, what concviz hides. |
    """

    SCOPED_CSS = False  # the projector's rules begin at the App
    DEFAULT_CSS = """
    AutoRows {
        height: auto;
        & > .palette--hold { color: $text; background: $success; text-style: bold; }
        & > .palette--wait { color: $text; background: $warning; text-style: bold; }
        & > .palette--error { color: $text; background: $error; text-style: bold; }
        & > .palette--item { text-style: bold reverse; }
        & > .palette--dim { color: $text-muted; text-style: italic; }
    }
    /* The projector's: black on green, black on yellow, white on red, as a washed-out
       beamer still tells apart; quiet text is white too, only italic. */
    App.-theme-projector AutoRows {
        & > .palette--hold { color: ansi_black; background: ansi_green; }
        & > .palette--wait { color: ansi_black; background: ansi_yellow; }
        & > .palette--error { color: ansi_white; background: ansi_red; }
        & > .palette--dim { color: $foreground; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows = 0

    @property
    def palette(self) -> Palette:
        """The chips' styles, from the component classes (Textual caches each)."""
        return Palette(**{field.name: self.component_style(f"palette--{field.name}",
                                                           getattr(PROJECTOR, field.name))
                          for field in fields(Palette)})

    def component_style(self, name: str, default: Style) -> Style:
        """A component class's Rich style; ``default`` until the CSS is applied."""
        return self.get_component_rich_style(name, default=default)

    def drawing(self) -> RenderableType:
        """The renderable this widget shows now."""
        raise NotImplementedError

    def draw(self) -> None:
        """The data changed: redraw, and lay the screen out anew if the rows did."""
        rows = rendered_rows(self, self.drawing())
        self.refresh(layout=rows != self._rows)
        self._rows = rows

    def render(self) -> RenderableType:
        return self.drawing()
