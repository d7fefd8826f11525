"""``concurrent.futures`` on threads, probed: submit, which worker runs each future,
its result or exception, cancel, and the order ``as_completed`` and ``wait`` hand
them back in. A ProcessPoolExecutor's futures are not reported: processes are not
probed yet."""

from __future__ import annotations

import concurrent.futures
import threading
from concurrent.futures import _base, thread
from typing import Any

from concviz.probe.core import Probe, short_repr
from concviz.probe.threads import describe_error

_pending = threading.local()  # the number submit() gives the Future it is making


def install(probe: Probe) -> None:
    executor_cls = thread.ThreadPoolExecutor
    future_cls = _base.Future
    init, submit, shutdown = executor_cls.__init__, executor_cls.submit, executor_cls.shutdown
    future_init = future_cls.__init__
    set_running = future_cls.set_running_or_notify_cancel
    set_result, set_exception, cancel = (future_cls.set_result, future_cls.set_exception,
                                         future_cls.cancel)
    as_completed, wait = _base.as_completed, _base.wait
    futures = probe.futures  # obj -> future not yet done, for cancel-pending

    def probed_init(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        self._cz = None
        if probe.enabled and probe.called_from_program(2):
            self._cz = probe.new("ThreadPoolExecutor", self, max_workers=self._max_workers)

    def probed_submit(self: Any, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        if getattr(self, "_cz", None) is None:
            return submit(self, fn, *args, **kwargs)
        frame = probe.user_frame(2)
        probe.gate(frame)
        probe.name_of(self._cz, frame)  # `executor`, `pool`: its first use names it
        obj = probe.next_obj()
        shown = ", ".join([short_repr(a, 20) for a in args] +
                          [f"{k}={short_repr(v, 20)}" for k, v in kwargs.items()])
        probe.at("submit", frame, obj, executor=self._cz,
                 fn=getattr(fn, "__qualname__", None) or short_repr(fn), args=shown)
        _pending.obj = obj
        try:
            return submit(self, fn, *args, **kwargs)
        finally:
            _pending.obj = None

    def probed_shutdown(self: Any, wait: bool = True, **kwargs: Any) -> None:
        if getattr(self, "_cz", None) is not None:
            probe.at("shutdown", probe.user_frame(2), self._cz, wait=wait)
        shutdown(self, wait, **kwargs)

    def probed_future_init(self: Any) -> None:
        future_init(self)
        self._cz = getattr(_pending, "obj", None)
        if self._cz is not None:
            _pending.obj = None
            futures[self._cz] = self

    def probed_set_running(self: Any) -> bool:
        running = set_running(self)
        if running and getattr(self, "_cz", None) is not None:
            probe.emit("future-running", obj=self._cz)
        return running

    def probed_set_result(self: Any, result: Any) -> None:
        if getattr(self, "_cz", None) is not None:  # before waiters wake and report it
            probe.emit("future-done", obj=self._cz, result=short_repr(result),
                       cancelled=False)
            futures.pop(self._cz, None)
        set_result(self, result)

    def probed_set_exception(self: Any, exception: BaseException) -> None:
        if getattr(self, "_cz", None) is not None:
            probe.emit("future-done", obj=self._cz, error=describe_error(exception),
                       cancelled=False)
            futures.pop(self._cz, None)
        set_exception(self, exception)

    def probed_cancel(self: Any) -> bool:
        ok = cancel(self)
        if getattr(self, "_cz", None) is not None:
            frame = probe.user_frame(2)
            if frame is None:  # concviz's cancel-pending, on the probe's control thread
                probe.emit_as("cancel", "concviz", 0, obj=self._cz, ok=ok)
            else:
                probe.at("cancel", frame, self._cz, ok=ok)
            if ok:
                futures.pop(self._cz, None)
        return ok

    def probed_as_completed(fs: Any, timeout: float | None = None) -> Any:
        for future in as_completed(fs, timeout):
            if getattr(future, "_cz", None) is not None:
                probe.at("completed", probe.user_frame(2), future._cz)
            yield future

    def probed_wait(fs: Any, timeout: float | None = None,
                    return_when: str = _base.ALL_COMPLETED) -> Any:
        result = wait(fs, timeout, return_when)
        probe.at("wait-return", probe.user_frame(2),
                 done=[f._cz for f in result.done if getattr(f, "_cz", None) is not None],
                 not_done=[f._cz for f in result.not_done
                           if getattr(f, "_cz", None) is not None])
        return result

    executor_cls.__init__ = probed_init
    executor_cls.submit = probed_submit
    executor_cls.shutdown = probed_shutdown
    future_cls.__init__ = probed_future_init
    future_cls.set_running_or_notify_cancel = probed_set_running
    future_cls.set_result = probed_set_result
    future_cls.set_exception = probed_set_exception
    future_cls.cancel = probed_cancel
    probed_as_completed.__doc__, probed_wait.__doc__ = as_completed.__doc__, wait.__doc__
    for module in (_base, concurrent.futures):
        module.as_completed = probed_as_completed
        module.wait = probed_wait
