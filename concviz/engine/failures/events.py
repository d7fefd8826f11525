"""Events shared by the failure demos: the phases of a demo that runs twice."""

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
