"""Seed ques.6: an exception in a plain Thread does not stop the main program.

Three workers parse records; one record is bad, so one worker raises and dies.
Python hands the exception to ``threading.excepthook``; the main thread keeps
working, and its ``join()`` on the dead thread returns normally.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from concviz.engine.card import Card
from concviz.engine.demo import Demo
from concviz.engine.events import Event
from concviz.engine.failures.hook import start_plain

WORKERS = 3
RECORDS = 4  # per worker
STEP = (0.2, 0.5)  # nominal seconds to handle one record
MAIN_TICK = 0.3


@dataclass(frozen=True, slots=True)
class RecordParsed(Event):
    record: str = ""
    value: int = 0


@dataclass(frozen=True, slots=True)
class MainTick(Event):
    """The main program is still running: ``alive`` worker threads left."""

    tick: int = 0
    alive: int = 0


@dataclass(frozen=True, slots=True)
class Joined(Event):
    """``join()`` on ``worker`` returned; it did not raise, even for a dead thread."""

    worker: str = ""


@dataclass(frozen=True, slots=True)
class ThreadExceptionFinished(Event):
    finished: int = 0
    died: int = 0
    reported: int = 0
    main_ticks: int = 0


class ThreadException(Demo):
    name = "thread-exception"
    summary = "A Thread raises: threading.excepthook reports it, the main program goes on (ques.6)."
    card: ClassVar[Card] = Card(
        title="An exception in a thread",
        purpose="Show where an uncaught exception in a thread goes: to threading.excepthook, "
        "not to the thread that started it.",
        use_when="Any program with threads: install a threading.excepthook (or catch inside "
        "the thread) so a worker's death is logged, not lost.",
        trade_off="The main program survives, but it may go on with half the work done and "
        "no idea unless something reports it.",
        say_in_class="join() returns normally on a thread that died: the exception never "
        "crosses over to the thread that joins.",
    )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.reported: list[str] = []  # threads threading.excepthook reported, in order

    def run(self) -> None:
        plan = self.rng("plan")
        bad_worker = plan.randrange(WORKERS)
        bad_record = plan.randrange(1, RECORDS)
        workers = []
        for i in range(WORKERS):
            records = [str(plan.randint(1, 99)) for _ in range(RECORDS)]
            if i == bad_worker:
                records[bad_record] = "n/a"
            name = f"worker-{i + 1}"
            target = lambda r=records, n=name: self._parse(n, r)  # noqa: E731
            workers.append(start_plain(self, name, target, "parser", self.reported))
        tick = 0
        while any(t.is_alive() for t in workers):
            tick += 1
            self.emit(MainTick, tick=tick, alive=sum(t.is_alive() for t in workers))
            self.sleep(MAIN_TICK)
        for thread in workers:
            thread.join()
            self.emit(Joined, worker=thread.name)
        died = sum(t.name in self.reported for t in workers)
        self.emit(
            ThreadExceptionFinished,
            finished=WORKERS - died,
            died=died,
            reported=len(self.reported),
            main_ticks=tick,
        )

    def _parse(self, name: str, records: list[str]) -> None:
        rng = self.rng(name)
        for record in records:
            self.sleep(rng.uniform(*STEP))
            value = int(record)  # "n/a" raises ValueError, uncaught: the thread dies
            self.emit(RecordParsed, record=record, value=value)
