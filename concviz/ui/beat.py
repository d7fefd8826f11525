"""One drawing beat per screen: whatever redraws on it lands in the same screen update.

Every screen update is a compositor pass over the region that changed. Panes that
each redraw on their own timer cost one pass each; on a shared beat their changes
share one (the pool pane's CPU meters beside the producer/consumer pane: ~0.7 % of
a core less). The beat's timer runs only while something has joined it.
"""

from __future__ import annotations

from collections.abc import Callable
from weakref import WeakKeyDictionary

from textual.dom import DOMNode
from textual.screen import Screen

EVERY = 0.25  # seconds: redraws at 4 Hz (5 Hz cost ~15 % more CPU for no visible gain)

Callback = Callable[[], None]


class Beat:
    def __init__(self, screen: Screen) -> None:
        self._callbacks: list[Callback] = []
        self._timer = screen.set_interval(EVERY, self._tick, pause=True)

    def join(self, callback: Callback) -> None:
        if callback not in self._callbacks:
            self._callbacks.append(callback)
        self._timer.resume()

    def leave(self, callback: Callback) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)
        if not self._callbacks:
            self._timer.pause()

    def _tick(self) -> None:
        for callback in list(self._callbacks):  # a callback may leave
            if not leaving(getattr(callback, "__self__", None)):
                callback()


def leaving(owner: object) -> bool:
    """Whether ``owner`` is on its way out of the DOM. Textual removes a widget's
    children before its Unmount (where a pane leaves the beat); the widget's own
    timers stop at once, but this one is the screen's. From ``remove()`` on, Textual's
    public ``display`` is False whatever the widget's style says, so a widget its style
    shows but ``display`` does not is leaving. One its style hides cannot be told
    apart: the dashboard's hidden panes leave only with their screen, whose timers
    (this beat's too) stop before its widgets go."""
    return isinstance(owner, DOMNode) and owner.styles.display != "none" \
        and not owner.display


_BEATS: WeakKeyDictionary[Screen, Beat] = WeakKeyDictionary()


def beat(screen: Screen) -> Beat:
    """The beat of ``screen``, made on first use."""
    if screen not in _BEATS:
        _BEATS[screen] = Beat(screen)
    return _BEATS[screen]
