"""The program pane's auto-height widgets: one renderable each, drawn once a change,
repainted only in the rows that changed, laid out anew only when their number changes,
its chips coloured by the theme."""

from __future__ import annotations

from rich.console import RenderableType
from rich.style import Style
from textual.dom import DOMNode
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from concviz.ui.renderables.chips import PROJECTOR, Palette


def rendered_rows(widget: Widget, renderable: RenderableType, width: int | None = None) -> int:
    """How many rows ``renderable`` takes at ``widget``'s width (or ``width``): an
    auto-height widget asks for a new layout only when that changes (a layout costs the
    whole screen)."""
    console = widget.app.console
    width = max(1, widget.content_size.width if width is None else width)
    return len(console.render_lines(renderable, console.options.update_width(width)))


PALETTE_CLASSES = frozenset(f"palette--{name}" for name in Palette._fields)
"""The chips' colours as component classes, one a :class:`Palette` field. The pane that
holds the boxes declares them (ProgramPane), and its boxes read them there: one set for
all of them, where a set on each box cost ~3 ms before the first frame."""


class AutoRows(Widget):
    """Draws what :meth:`drawing` makes of the widget's data and its palette, row by row
    (Textual's line API): the rows are rendered once a change and kept, so a repaint
    costs no drawing, and a change repaints only the rows it changed (at the 4 Hz beat
    a sleep's countdown changes one row, not the box). A new layout only when the
    number of rows changes; a new style (a theme) draws anew."""

    DEFAULT_CSS = """
    AutoRows {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._strips: list[Strip] = []
        self._drawn_for: tuple[int, Style] | None = None  # (width, style); None: draw anew
        self._style = Style()  # the widget's own, read once a repaint (see render_lines)
        self._components: dict[str, Style] = {}  # the component classes', until a restyle

    @property
    def palette(self) -> Palette:
        """The chips' styles, from :data:`PALETTE_CLASSES` on the nearest ancestor that
        declares them (the pane); the projector's for a box in none."""
        pane = next((node for node in self.ancestors
                     if PALETTE_CLASSES <= node.COMPONENT_CLASSES), None)
        if pane is None:
            return PROJECTOR
        return Palette._make(self.component_style(f"palette--{name}", default, pane)
                             for name, default in PROJECTOR._asdict().items())

    def component_style(self, name: str, default: Style, node: DOMNode | None = None) -> Style:
        """A component class's Rich style, the widget's own (or ``node``'s); ``default``
        until the CSS is applied. Kept until Textual restyles the widget: Textual's own
        cache empties at each refresh, and the beat refreshes (reading them anew was a
        third of a redraw). A theme restyles the pane and its boxes alike."""
        style = self._components.get(name)
        if style is None:
            style = (node or self).get_component_rich_style(name, default=default)
            if style is not default:
                self._components[name] = style
        return style

    def drawing(self) -> RenderableType:
        """The renderable this widget shows now."""
        raise NotImplementedError

    def draw(self) -> None:
        """The data changed: draw it now, and repaint the rows that changed; lay the
        screen out anew only if their number did (a layout costs the whole screen)."""
        width = self.content_size.width
        before = self._strips
        redraw = self._drawn_for is None or self._drawn_for[0] != width  # restyled, resized
        self._drawn_for = None
        if not width:  # not laid out yet: the layout draws it
            self.refresh(layout=True)
            return
        after = self.strips(width)
        if len(after) != len(before):
            self.refresh(layout=True)
        elif redraw:
            self.refresh()
        else:
            for y, (old, new) in enumerate(zip(before, after, strict=True)):
                if old != new:
                    self.refresh(Region(0, y, width, 1))

    def strips(self, width: int, style: Style | None = None) -> list[Strip]:
        """The drawing's rows at ``width``, on the widget's own style (``style``, if
        read already): drawn when the data, the width or the style changed since, else
        those kept."""
        style = self.rich_style if style is None else style
        if self._drawn_for != (width, style):
            console = self.app.console
            lines = console.render_lines(self.drawing(), console.options.update_width(width),
                                         style=style, pad=False)
            self._strips = [Strip(line) for line in lines]  # Textual pads them
            self._drawn_for = (width, style)
        return self._strips

    def notify_style_update(self) -> None:
        """Textual's hook for a restyle: the palette may have changed (a theme)."""
        super().notify_style_update()
        self._drawn_for = None
        self._components.clear()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.strips(width)) if width else 0

    def render_lines(self, crop: Region) -> list[Strip]:
        self._style = self.rich_style  # once a repaint, not once a row
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        strips = self.strips(width, self._style)
        return strips[y] if y < len(strips) else Strip.blank(width, self._style)
