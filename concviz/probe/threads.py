"""Threads and sleeps: start, end, death and its excepthook, ``time.sleep``, and each
thread's current line, sampled."""

from __future__ import annotations

import _thread
import sys
import threading
import time
import traceback
from typing import Any

from concviz.probe.core import Probe, _sleep

SAMPLE_EVERY = 0.02  # seconds between samples of every thread's line
EXECUTOR_WORKER = "concurrent.futures.thread"  # the module of ThreadPoolExecutor's workers


def target_name(thread: threading.Thread) -> str:
    target = getattr(thread, "_target", None)
    if target is not None:
        return getattr(target, "__qualname__", None) or repr(target)
    return f"{type(thread).__name__}.run"


def install(probe: Probe) -> None:
    start = threading.Thread.start
    bootstrap_inner = threading.Thread._bootstrap_inner  # type: ignore[attr-defined]

    def probed_start(self: threading.Thread) -> None:
        if getattr(self, "_concviz_probe", False) or not probe.enabled:
            return start(self)
        frame = probe.user_frame(2)
        tid = probe.next_tid()
        self._concviz_tid = tid  # type: ignore[attr-defined]
        target = getattr(self, "_target", None)
        worker = getattr(target, "__module__", None) == EXECUTOR_WORKER
        internal = not worker and not probe.called_from_program(2) and \
            getattr(self, "_concviz_by", "program") == "program"
        self._concviz_internal = internal  # type: ignore[attr-defined]
        watch_excepthook(probe, self)
        fields = {"child": tid, "name": self.name, "target": target_name(self),
                  "daemon": self.daemon, "internal": internal}
        if getattr(self, "_concviz_by", "program") == "concviz":
            # from the probe's control thread: never held, and named as concviz
            probe.emit_as("thread-new", "concviz", 0, by="concviz", **fields)
        else:
            probe.gate(frame)
            probe.at("thread-new", frame, by="program", **fields)
        return start(self)

    def probed_bootstrap_inner(self: threading.Thread) -> None:
        if getattr(self, "_concviz_probe", False) or not probe.enabled:
            return bootstrap_inner(self)
        # by name: current_thread() is not this thread yet (nor any more, after)
        tid = probe.tid_of(self)
        probe.by_ident[_thread.get_ident()] = (self.name, tid)
        probe.emit_as("thread-start", self.name, tid, target=target_name(self),
                      internal=getattr(self, "_concviz_internal", False))
        try:
            bootstrap_inner(self)
        finally:
            if not getattr(self, "_concviz_died", False):
                probe.emit_as("thread-end", self.name, tid)

    join = threading.Thread.join

    def probed_join(self: threading.Thread, timeout: float | None = None) -> None:
        child = getattr(self, "_concviz_tid", None)
        frame = probe.user_frame(2)
        if child is None or frame is None or not probe.enabled:
            return join(self, timeout)
        probe.gate(frame)
        probe.at("join", frame, child=child, timeout=timeout)
        join(self, timeout)
        probe.at("joined", frame, child=child, alive=self.is_alive())

    threading.Thread.start = probed_start  # type: ignore[method-assign]
    threading.Thread.join = probed_join  # type: ignore[method-assign]
    threading.Thread._bootstrap_inner = probed_bootstrap_inner  # type: ignore[attr-defined]
    time.sleep = probed_sleep(probe)


def watch_excepthook(probe: Probe, thread: threading.Thread) -> None:
    """Report an exception that ends ``thread``, and what ``threading.excepthook`` does
    with it. The thread's own hook caller is wrapped, not ``run()``: the traceback the
    program prints stays exactly Python's, with no frame of the probe in it."""
    invoke = getattr(thread, "_invoke_excepthook", None)
    if invoke is None:  # not CPython's threading: nothing to wrap
        return

    def probed_invoke(this: threading.Thread) -> None:
        error = sys.exc_info()[1]
        if error is not None and probe.enabled:
            this._concviz_died = True  # type: ignore[attr-defined]
            hook = threading.excepthook
            if hook is None or hook is threading.__excepthook__:
                hook_name = "default"
            else:
                hook_name = getattr(hook, "__qualname__", None) or repr(hook)
            file = line = None
            tb = error.__traceback__
            while tb is not None:
                if probe.is_user_file(tb.tb_frame.f_code.co_filename):
                    file, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
                tb = tb.tb_next
            probe.emit("thread-error", error=describe_error(error),
                       traceback="".join(traceback.format_exception(error)),
                       file=file, line=line, hook=hook_name)
        invoke(this)

    thread._invoke_excepthook = probed_invoke  # type: ignore[attr-defined]


def describe_error(error: BaseException) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def probed_sleep(probe: Probe) -> Any:
    def sleep(seconds: float, /) -> None:
        frame = probe.user_frame(2)
        if frame is None or not probe.enabled:  # the standard library's own sleeps
            return _sleep(seconds)
        try:
            wall = float(seconds) / probe.speed
        except (TypeError, ValueError):
            return _sleep(seconds)  # raises as Python does
        if wall < 0:
            return _sleep(seconds)
        probe.gate(frame)
        probe.at("sleep", frame, seconds=float(seconds), wall=round(wall, 6))
        _sleep(wall)
        probe.emit("sleep-end")

    sleep.__doc__ = _sleep.__doc__
    return sleep


def start_sampler(probe: Probe) -> None:
    """Every thread's current line in the program's files, ~50 times a second, sent
    when it changed. Sampling costs the program nothing between samples, where a line
    tracer would cost every line; the line of each probed operation is exact anyway."""
    last: dict[int, tuple[str, int]] = {}

    def sample() -> None:
        while probe.enabled:
            _sleep(SAMPLE_EVERY)
            if probe.paused:
                continue  # held threads sit at the lines their hold events gave
            frames = sys._current_frames()
            for thread in threading.enumerate():
                tid = getattr(thread, "_concviz_tid", None)
                frame = frames.get(thread.ident) if thread.ident is not None else None
                if tid is None or frame is None:
                    continue
                while frame is not None and not probe.is_user_file(frame.f_code.co_filename):
                    frame = frame.f_back
                if frame is None:
                    continue
                where = (frame.f_code.co_filename, frame.f_lineno)
                if last.get(tid) != where:
                    last[tid] = where
                    probe.emit_as("line", thread.name, tid, file=where[0], line=where[1])

    _thread.start_new_thread(sample, ())
