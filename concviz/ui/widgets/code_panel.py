"""The code panel (c): the program of the pane in front, the line each thread is at
marked, following the threads on the screen's beat while it is open."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content

from concviz.ui.beat import beat
from concviz.ui.pane import Pane
from concviz.ui.renderables.code_view import CodeLegend, CodeView
from concviz.ui.widgets.drawing import Drawing

NO_LISTING = ("No program listing for this demo yet: its card and its transcript say "
              "what it runs.")


class CodePanel(VerticalScroll, can_focus=False):
    """Scrolls (mouse wheel, and the keys the app gives it) but never takes the focus:
    the pane beside it keeps its keys. The legend stays in view at the top."""

    _labels: tuple[str, str | None] | None = None  # the border's, as last set

    def compose(self) -> ComposeResult:
        yield Drawing(classes="code-legend")
        yield Drawing(classes="code-body")

    def open(self) -> None:
        beat(self.screen).join(self.follow)
        self.follow()

    def close(self) -> None:
        beat(self.screen).leave(self.follow)

    def on_unmount(self) -> None:
        self.close()

    @property
    def pane(self) -> Pane | None:
        """The pane whose program is shown: the focused one, else the one in front (the
        dashboard's ``-shown``), else the first on the screen."""
        focused = self.screen.focused
        for widget in focused.ancestors_with_self if focused is not None else ():
            if isinstance(widget, Pane):
                return widget
        panes = [pane for pane in self.screen.query(Pane) if pane.display]
        return next((pane for pane in panes if pane.has_class("-shown")), None) or \
            next(iter(panes), None)

    def _label(self, title: str, subtitle: str | None) -> None:
        """Set the border's labels when they change: each set repaints the panel, and
        follow() runs at every beat (it cost ~4 % of a core with nothing running)."""
        if (title, subtitle) != self._labels:
            self._labels = (title, subtitle)
            self.border_title = Content(title)  # plain text, never markup
            self.border_subtitle = subtitle  # the pane's own label, already markup

    def follow(self) -> None:
        """Show the program of :attr:`pane` with each thread's mark where it is now."""
        pane = self.pane
        listing = pane.listing if pane is not None else None
        legend, body = self.query(Drawing)
        if listing is None:
            self._label("Code", None)
            legend.show(Text(""), key=None)
            body.show(Text(NO_LISTING, style="bold"), key=NO_LISTING)
            return
        # zoomed, the code covers the pane: its state (running, paused...) shows here
        self._label(f"Code · {listing.title}",
                    pane.border_subtitle if self.screen.has_class("-zoom") else None)
        marks, done = dict(pane.code_marks), frozenset(pane.code_done)
        key = (listing.code, tuple(sorted(marks.items())), done)
        view = CodeView(listing.code, marks, done)
        legend.show(CodeLegend(view), key=key, layout=True)
        body.show(view, key=key)
