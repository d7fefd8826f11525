"""Events shared by the failure demos: phases, reported exceptions, deadlocks."""

from __future__ import annotations

from dataclasses import dataclass

from concviz.engine.events import Event


@dataclass(frozen=True, slots=True)
class PhaseStarted(Event):
    """A demo runs the same program twice (broken, then fixed); ``phase`` counts from 1."""

    phase: int = 1
    title: str = ""


@dataclass(frozen=True, slots=True)
class PhaseFinished(Event):
    phase: int = 1
    outcome: str = ""
    ok: bool = True


@dataclass(frozen=True, slots=True)
class ExceptionReported(Event):
    """``threading.excepthook`` was called for ``thread`` (the thread that raised)."""

    error: str = ""
    where: str = ""  # file:line in function, of the frame that raised


@dataclass(frozen=True, slots=True)
class DeadlockDetected(Event):
    """``cause`` is ``cycle`` or ``dead-owner``; ``edges`` the waits-for picture."""

    cause: str = ""
    edges: tuple[tuple[str, str, str], ...] = ()  # (waiter, lock, owner)
    dead_owner: str = ""
    formed: float = 0.0  # demo time it formed: the last block, or the owner's death if later


@dataclass(frozen=True, slots=True)
class DeadlockEnded(Event):
    how: str = ""
    victims: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LockOrderWarning(Event):
    """Lockdep's warning: ``thread`` takes ``second`` while holding ``first``,
    and ``other`` has been seen taking them the other way round."""

    first: str = ""
    second: str = ""
    other: str = ""
