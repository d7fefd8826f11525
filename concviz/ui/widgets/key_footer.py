"""The footer, with Help and Quit always in view.

A pane can have more keys than a classroom terminal's width holds (the futures pane
needs some 150 columns); Textual's footer then cuts the line at the right, where the
app's own keys are. This one docks those two at the right end, so the way to every
other key (Help) and the way out stay on screen.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widget import Widget
from textual.widgets import Footer

PINNED = ("help", "quit")  # actions, in their order at the right end


class KeyFooter(Footer):
    def compose(self) -> ComposeResult:
        """Footer's own keys, those of PINNED moved to the end. A key is known by the
        action it runs (Textual exports no class for the footer's keys)."""
        pinned: list[Widget] = []
        for widget in super().compose():
            if getattr(widget, "action", None) in PINNED:
                pinned.append(widget)
            else:
                yield widget
        if pinned:
            pinned.sort(key=lambda key: PINNED.index(key.action))
            yield HorizontalGroup(*pinned, classes="-pinned")
