"""``queue``'s queues, probed: put and get with the item and the size, and a block
reported when a put finds the queue full or a get finds it empty.

Queue, LifoQueue and PriorityQueue report from ``_put``/``_get``, the hooks the
``queue`` module gives subclasses, which run under the queue's own mutex: a get can
never be reported before the put of its item.
"""

from __future__ import annotations

import queue
from typing import Any

from concviz.probe import primitives
from concviz.probe.core import _monotonic, short_repr
from concviz.probe.primitives import timed


class _Queues:
    _cz: int | None = None
    maxsize: int
    mutex: Any

    def _cz_init(self, kind: str) -> None:
        probe = primitives.PROBE
        if probe.enabled and probe.called_from_program(3):
            self._cz = probe.new(kind, self, maxsize=self.maxsize)
        else:
            probe.count_internal(kind)

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        if self._cz is None:
            return super().put(item, block, timeout)  # type: ignore[misc]
        probe = primitives.PROBE
        frame = probe.user_frame(2)
        probe.gate(frame)
        with self.mutex:
            full = 0 < self.maxsize <= self._qsize()  # type: ignore[attr-defined]
        if full and block:
            probe.at("block", frame, self._cz, on="full", **timed(timeout))
        since = _monotonic()
        try:
            super().put(item, block, timeout)  # type: ignore[misc]
        except queue.Full:
            kind = "timeout" if block else "busy"
            probe.at(kind, frame, self._cz, on="full", waited=round(_monotonic() - since, 6))
            raise

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        if self._cz is None:
            return super().get(block, timeout)  # type: ignore[misc]
        probe = primitives.PROBE
        frame = probe.user_frame(2)
        probe.gate(frame)
        with self.mutex:
            empty = not self._qsize()  # type: ignore[attr-defined]
        if empty and block:
            probe.at("block", frame, self._cz, on="empty", **timed(timeout))
        since = _monotonic()
        try:
            return super().get(block, timeout)  # type: ignore[misc]
        except queue.Empty:
            kind = "timeout" if block else "busy"
            probe.at(kind, frame, self._cz, on="empty", waited=round(_monotonic() - since, 6))
            raise

    def put_nowait(self, item: Any) -> None:
        return self.put(item, block=False)

    def get_nowait(self) -> Any:
        return self.get(block=False)

    def _put(self, item: Any) -> None:
        super()._put(item)  # type: ignore[misc]
        if self._cz is not None:
            probe = primitives.PROBE
            probe.at("put", probe.user_frame(2), self._cz, item=short_repr(item),
                     size=self._qsize())  # type: ignore[attr-defined]

    def _get(self) -> Any:
        item = super()._get()  # type: ignore[misc]
        if self._cz is not None:
            probe = primitives.PROBE
            probe.at("get", probe.user_frame(2), self._cz, item=short_repr(item),
                     size=self._qsize())  # type: ignore[attr-defined]
        return item


def queue_classes() -> dict[str, type]:
    made: dict[str, type] = {}
    for name in ("Queue", "LifoQueue", "PriorityQueue"):
        base = getattr(queue, name)

        def __init__(self: Any, maxsize: int = 0, _name: str = name,
                     _base: type = base) -> None:
            _base.__init__(self, maxsize)
            self._cz_init(_name)

        made[name] = type(name, (_Queues, base), {"__init__": __init__,
                                                  "__module__": "queue",
                                                  "__qualname__": name})
    return made


class SimpleQueue(queue.SimpleQueue):
    """The C SimpleQueue has no hooks: a put is reported before it happens and a get
    after, so the stream still never shows an item leaving before it came."""

    def __init__(self) -> None:
        super().__init__()
        probe = primitives.PROBE
        if probe.enabled and probe.called_from_program(2):
            self._cz: int | None = probe.new("SimpleQueue", self, maxsize=0)
        else:
            self._cz = None
            probe.count_internal("SimpleQueue")

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        if self._cz is not None:
            probe = primitives.PROBE
            frame = probe.user_frame(2)
            probe.gate(frame)
            probe.at("put", frame, self._cz, item=short_repr(item), size=self.qsize() + 1)
        super().put(item, block, timeout)

    def put_nowait(self, item: Any) -> None:
        self.put(item, block=False)

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        if self._cz is None:
            return super().get(block, timeout)
        probe = primitives.PROBE
        frame = probe.user_frame(2)
        probe.gate(frame)
        if block and self.empty():
            probe.at("block", frame, self._cz, on="empty", **timed(timeout))
        since = _monotonic()
        try:
            item = super().get(block, timeout)
        except queue.Empty:
            kind = "timeout" if block else "busy"
            probe.at(kind, frame, self._cz, on="empty", waited=round(_monotonic() - since, 6))
            raise
        probe.at("get", frame, self._cz, item=short_repr(item), size=self.qsize())
        return item

    def get_nowait(self) -> Any:
        return self.get(block=False)


def install() -> None:
    for name, cls in queue_classes().items():
        setattr(queue, name, cls)
    queue.SimpleQueue = SimpleQueue  # type: ignore[misc]
