"""Plain threads whose uncaught exception really goes to ``threading.excepthook``.

``Demo.spawn`` catches a worker's exception itself; these threads do not, so
Python calls ``threading.excepthook`` as it would in any program. concviz puts
its own hook there (as an application may) and routes the report of each of
its threads to that demo's channel; other threads go to the hook it replaced.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from pathlib import Path

from concviz.engine.demo import Demo, Stopped
from concviz.engine.events import ThreadFailed, ThreadFinished, ThreadStarted
from concviz.engine.failures.events import ExceptionReported

Handler = Callable[[threading.ExceptHookArgs], None]

_routes: dict[threading.Thread, Handler] = {}
_previous: Handler = threading.__excepthook__
_inside = threading.local()


def _dispatch(args: threading.ExceptHookArgs) -> None:
    handler = _routes.pop(args.thread, None) if args.thread is not None else None
    if handler is not None:
        handler(args)
    elif getattr(_inside, "active", False):  # a hook that wrapped ours called us back
        threading.__excepthook__(args)
    else:
        _inside.active = True
        try:
            _previous(args)
        finally:
            _inside.active = False


def _install() -> None:
    """Put the dispatcher in place (again, if something replaced it since)."""
    global _previous
    if threading.excepthook is not _dispatch:
        _previous = threading.excepthook
        threading.excepthook = _dispatch


def where(tb: object) -> str:
    """``file:line in function`` of the frame that raised."""
    frames = traceback.extract_tb(tb)  # type: ignore[arg-type]
    if not frames:
        return ""
    last = frames[-1]
    return f"{Path(last.filename).name}:{last.lineno} in {last.name}"


def start_plain(
    demo: Demo,
    name: str,
    target: Callable[[], None],
    role: str,
    reported: list[str] | None = None,
) -> threading.Thread:
    """Start a daemon thread of ``demo`` that does not catch its own exceptions;
    the hook appends its name to ``reported`` when it reports one."""

    def report(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is not None and issubclass(args.exc_type, Stopped):
            return
        error = f"{args.exc_type.__name__ if args.exc_type else 'Exception'}: {args.exc_value}"
        now = demo.now()
        # Straight into the channel: a hook must never wait at the pause gate.
        demo.channel.put(
            ExceptionReported(t=now, thread=name, error=error, where=where(args.exc_traceback))
        )
        demo.channel.put(ThreadFailed(t=now, thread=name, error=error))
        if reported is not None:
            reported.append(name)

    announced = threading.Event()

    def body() -> None:
        try:
            demo.emit(ThreadStarted, role=role)
        finally:
            announced.set()
        target()
        demo.emit(ThreadFinished)
        _routes.pop(thread, None)

    thread = threading.Thread(target=body, name=name, daemon=True)
    _install()
    _routes[thread] = report
    demo._threads.append(thread)  # so join_workers() and alive_threads() know it
    thread.start()
    announced.wait()  # threads are announced in the order they start: lanes keep it
    return thread
