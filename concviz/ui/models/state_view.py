"""The contract between the gallery screen and each gallery demo's own picture."""

from __future__ import annotations

from typing import Protocol

from rich.console import RenderableType

from concviz.engine.events import Event


class StateView(Protocol):
    """Folds one gallery demo's events into the primitive's picture (slots, owner,
    waiters, counters...). A plain object: testable without an app."""

    def apply(self, event: Event) -> None: ...

    def render(self, now: float) -> RenderableType: ...
