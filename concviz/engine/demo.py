"""What every demo shares: its clock, its channel, its threads and its transport.

The transport is real. Every instrumented point of a demo thread passes through
:meth:`Demo.emit`, which is also a gate: while the demo is paused the thread is
held there, and :meth:`Demo.step` lets exactly one event through. Sleeps are
scaled by the speed factor and end early when the demo is stopped.

The demo's clock (:meth:`Demo.now`) is run time: it stands still while the run is
paused or stepped, so no wait, duration or timeline counts the time the class
spent looking at a held run.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from concviz.engine.channel import Channel
from concviz.engine.events import Event, Sleeping, ThreadFailed, ThreadFinished, ThreadStarted

E = TypeVar("E", bound=Event)

MIN_SPEED, MAX_SPEED = 0.1, 10.0


class Stopped(Exception):
    """Raised inside a demo thread at its next instrumented point after ``stop()``."""


class Demo:
    """Base of a demo: a real concurrent program that reports what it does.

    Subclasses implement :meth:`run`, which starts worker threads with
    :meth:`spawn` and waits for them; everything a front end may show is
    emitted as an event into :attr:`channel`.
    """

    name: ClassVar[str] = "demo"
    summary: ClassVar[str] = ""

    def __init__(self, *, seed: int = 0, speed: float = 1.0, channel: Channel | None = None):
        self.seed = seed
        self.channel = channel if channel is not None else Channel()
        self._speed = clamp_speed(speed)
        self._t0 = time.monotonic()
        self._held = 0.0  # seconds the run was held by pause or steps
        self._held_since: float | None = None  # when the current pause began
        self._stop = threading.Event()
        self._gate = threading.Condition()
        self._publishing = threading.Lock()  # see emit
        self._paused = False
        self._steps = 0
        self._threads: list[threading.Thread] = []
        self._main: threading.Thread | None = None
        self.finished = threading.Event()

    # -- clock and randomness -------------------------------------------------

    def now(self) -> float:
        """Seconds of run time since the start: paused and stepped time left out."""
        with self._gate:
            end = self._held_since if self._held_since is not None else time.monotonic()
            return end - self._t0 - self._held

    def rng(self, stream: str) -> random.Random:
        """A random stream of its own for each thread, so a seed gives the
        same sleeps whatever order the threads happen to run in."""
        return random.Random(f"{self.seed}:{stream}")

    # -- instrumentation ------------------------------------------------------

    def emit(self, cls: type[E], **fields: Any) -> E:
        """Wait at the gate, then stamp and publish one event (apart from every other
        thread's publishing: the stream's order is the order of the stamps)."""
        self._pass_gate()
        with self._publishing:
            return self._stamp_and_put(cls, fields)

    def _stamp_and_put(self, cls: type[E], fields: dict[str, Any]) -> E:
        """Stamp and publish, with the publishing lock held."""
        event = cls(t=self.now(), thread=threading.current_thread().name, **fields)
        self.channel.put(event)
        return event

    def sleep(self, nominal: float) -> None:
        """Sleep ``nominal`` seconds divided by the speed factor; stop ends it."""
        duration = nominal / self._speed
        self.emit(Sleeping, duration=duration, nominal=nominal)
        if self._stop.wait(duration):
            raise Stopped

    def check_stop(self) -> None:
        if self._stop.is_set():
            raise Stopped

    def _pass_gate(self) -> None:
        with self._gate:
            while self._paused and not self._stop.is_set():
                if self._steps > 0:
                    self._steps -= 1
                    break
                self._gate.wait()
        self.check_stop()

    # -- transport ------------------------------------------------------------

    @property
    def speed(self) -> float:
        return self._speed

    @speed.setter
    def speed(self, value: float) -> None:
        self._speed = clamp_speed(value)

    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self) -> None:
        with self._gate:
            if self._held_since is None:
                self._held_since = time.monotonic()
            self._paused = True

    def resume(self) -> None:
        with self._gate:
            if self._held_since is not None:
                self._held += time.monotonic() - self._held_since
                self._held_since = None
            self._paused = False
            self._steps = 0
            self._gate.notify_all()

    def step(self) -> None:
        """While paused, let exactly one event through."""
        with self._gate:
            self._steps += 1
            self._gate.notify_all()

    # -- lifecycle ------------------------------------------------------------

    def run(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _start_clock(self) -> None:
        self._t0, self._held = time.monotonic(), 0.0
        if self._held_since is not None:  # paused before the start: held from the start
            self._held_since = self._t0

    def start(self) -> Demo:
        """Run the demo in a background thread; returns at once."""
        self._start_clock()
        self._main = threading.Thread(target=self._run_main, name=f"{self.name}-main", daemon=True)
        self._main.start()
        return self

    def run_blocking(self) -> None:
        """Run the demo in the calling thread, to the end."""
        self._start_clock()
        self._run_main()

    def _run_main(self) -> None:
        try:
            self.run()
        except Stopped:
            pass
        finally:
            self.join_workers(timeout=1.0)
            self.finished.set()

    def spawn(self, name: str, target: Callable[[], None], role: str = "") -> threading.Thread:
        """Start a worker thread whose life (start, finish, failure) is emitted."""

        def body() -> None:
            try:
                self.emit(ThreadStarted, role=role)
                target()
                self.emit(ThreadFinished)
            except Stopped:
                pass
            except Exception as exc:  # a demo thread's crash is news, not a UI crash
                self.channel.put(
                    ThreadFailed(t=self.now(), thread=name, error=f"{type(exc).__name__}: {exc}")
                )

        thread = threading.Thread(target=body, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()
        return thread

    def join_workers(self, timeout: float | None = None) -> None:
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in list(self._threads):
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            thread.join(left)

    def stop(self, timeout: float = 1.0) -> None:
        """End the run early: wake every held or sleeping thread and join them."""
        self._stop.set()
        with self._gate:
            self._gate.notify_all()
        if self._main is not None and self._main is not threading.current_thread():
            self._main.join(timeout)
        self.join_workers(timeout)

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def alive_threads(self) -> list[threading.Thread]:
        threads = [*self._threads, *([self._main] if self._main else [])]
        return [t for t in threads if t.is_alive()]


def clamp_speed(value: float) -> float:
    return min(MAX_SPEED, max(MIN_SPEED, float(value)))
