"""The event model: the one data format joining the demos to every front end.

Each event is a frozen dataclass stamped with the seconds since its demo started
(monotonic clock) and the name of the thread that emitted it. ``kind`` names the
class in kebab case, so a trace file or a transcript can dispatch on it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


@dataclass(frozen=True, slots=True)
class Event:
    """Base of every event a demo emits."""

    t: float
    thread: str

    kind: ClassVar[str] = "event"

    def __init_subclass__(cls) -> None:
        # No super() call: slots=True rebuilds the class, which breaks zero-arg super.
        cls.kind = _kebab(cls.__name__)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, ``kind`` first."""
        return {"kind": self.kind, **asdict(self)}

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


@dataclass(frozen=True, slots=True)
class ThreadStarted(Event):
    role: str = ""


@dataclass(frozen=True, slots=True)
class Sleeping(Event):
    """The thread sleeps ``duration`` wall seconds (``nominal`` before the speed factor)."""

    duration: float = 0.0
    nominal: float = 0.0


@dataclass(frozen=True, slots=True)
class ThreadFinished(Event):
    pass


@dataclass(frozen=True, slots=True)
class ThreadFailed(Event):
    """A thread ended by an exception; ``error`` is ``Type: message``."""

    error: str = ""
