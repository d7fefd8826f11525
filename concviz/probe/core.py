"""The probe's core: the clock, the event stream, the gate that pauses and steps, and
the program's frames and names.

Everything here runs inside the watched program, on its threads. The probe's own work
is done on raw ``_thread`` threads, which ``threading.enumerate()`` does not list: the
program sees the threads it started and no others.
"""

from __future__ import annotations

import _thread
import contextlib
import json
import os
import reprlib
import sys
import sysconfig
import threading
import time
from collections import deque
from collections.abc import Iterable
from types import FrameType
from typing import Any

SCHEMA = 1
WIRE = "concviz-probe"
FLUSH_EVERY = 0.005  # seconds between the writer's flushes
COALESCE_ABOVE = 256  # events in one flush: the reader is behind, fold lock pairs
QUIET_RATE = 20_000  # events a second above which uncontended lock pairs are only counted
RATE_EVERY = 0.05  # seconds between the writer's looks at the rate
MAX_PENDING = 50_000  # events waiting for the pipe; above this the program's threads wait
CUT = 60  # characters of an item's repr in an event
MAX_CELLS = 200  # items of a shown list or dict

_sleep = time.sleep  # the real one, kept before the probe replaces it
_monotonic = time.monotonic
_Condition = threading.Condition  # the real one, for the probe's own gate
PROBE_ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "")


def _library_roots() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    roots = {paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib") if key in paths}
    roots.add(PROBE_ROOT)
    roots.add(os.path.dirname(os.__file__))
    return tuple(sorted(os.path.join(root, "") for root in roots))


def cut(text: str, limit: int = CUT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _BuiltinRepr(reprlib.Repr):
    """``repr`` that runs none of the program's code: the probe calls it on the
    program's threads, maybe holding the program's locks, and a class's ``__repr__``
    may take a lock itself (it would wait for itself). Builtins are shown as Python
    shows them; an instance of the program's own class as ``<Job object>``."""

    def repr_instance(self, x: object, level: int) -> str:
        if type(x).__module__ == "builtins":
            return super().repr_instance(x, level)
        return f"<{type(x).__qualname__} object>"


_builtin_repr = _BuiltinRepr()
_builtin_repr.maxstring = _builtin_repr.maxother = 200


def short_repr(value: object, limit: int = CUT) -> str:
    return cut(_builtin_repr.repr(value), limit)


def as_json(value: object, depth: int = 0) -> Any:
    """A shown global as JSON: a list as cells, a number, a dict with string keys; any
    other value (a tuple, a set, a long list, a dict with other keys) as its repr, so
    that what is shown is what Python would print."""
    if value is None or type(value) in (bool, int, float):
        return value
    if type(value) is str:
        return cut(value, 200)
    if depth < 2:
        try:
            if type(value) is list and len(value) <= MAX_CELLS:
                return [as_json(item, depth + 1) for item in list(value)]
            if type(value) is dict and len(value) <= MAX_CELLS and \
                    all(type(key) is str for key in list(value)):
                return {key: as_json(item, depth + 1) for key, item in list(value.items())}
        except RuntimeError:  # changed size while copied: shown at the next operation
            pass
    return {"repr": short_repr(value, 200)}


def coalesce(batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fold each uncontended ``acquired`` + ``release`` of one thread on one lock, with
    nothing else of that thread or that lock between them, into a ``coalesced`` event
    that counts them (and merge runs of those). Counts stay exact; a pair that anybody
    waited on, or that the program did anything inside, is kept whole."""
    out: list[dict[str, Any] | None] = []
    open_pair: dict[tuple[int, int], int] = {}  # (tid, obj) -> index of its acquired
    last_fold: dict[tuple[int, int], int] = {}  # (tid, obj) -> index of its coalesced
    for event in batch:
        kind, tid, obj = event["kind"], event["tid"], event.get("obj")
        key = (tid, obj)
        if kind == "release" and key in open_pair and "count" not in event:
            start = open_pair.pop(key)
            acquired = out[start]
            out[start] = None
            fold = last_fold.get(key)
            if fold is not None and out[fold] is not None:
                out[fold]["times"] += 1  # type: ignore[index]
                out[fold]["waited"] += acquired["waited"]  # type: ignore[index]
            else:
                last_fold[key] = len(out)
                out.append({**event, "kind": "coalesced", "times": 1,
                            "waited": acquired["waited"]})  # type: ignore[index]
            continue
        opens = kind == "acquired" and obj is not None and event.get("waited") == 0.0 \
            and "count" not in event and "value" not in event
        # anything else of this thread, or about this object, ends what was open (the
        # next pair of the same run may still join its fold)
        for other in [k for k in open_pair if k[0] == tid or (obj is not None and k[1] == obj)]:
            del open_pair[other]
        for other in [k for k in last_fold if (k[0] == tid or (obj is not None and k[1] == obj))
                      and not (opens and k == key)]:
            del last_fold[other]
        if opens:
            open_pair[key] = len(out)
        out.append(event)
    return [event for event in out if event is not None]


class Probe:
    """One per watched program: numbers its threads and objects, stamps and queues
    events, writes them to the pipe from a raw thread, and holds threads when paused."""

    def __init__(self, events_fd: int, *, output: str, speed: float,
                 show: Iterable[str]) -> None:
        self.t0 = _monotonic()
        self.fd = events_fd
        self.control_fd = -1  # set by control.start
        self.output = output
        self.speed = speed
        self.show = list(dict.fromkeys(show))
        self.enabled = True
        self.main_globals: dict[str, Any] = {}
        self.program_dir = "\0"  # set by the runner; matches no file until then
        self._pending: list[str | dict] = []
        self._lock = _thread.allocate_lock()  # orders stamping and queueing
        self._write_lock = _thread.allocate_lock()  # one writer of the pipe at a time
        self._serial = 1  # objects; threads have their own numbers
        self._tids = 1  # MainThread is 1
        self._user_files: dict[str, bool] = {}
        self._roots = _library_roots()
        self._shown: dict[str, str] = {}
        self._dead = False
        # pause and step
        self.paused = False
        self._steps = 0
        self._gate = _Condition(_thread.allocate_lock())
        self.internal: dict[str, int] = {}
        self._internal_sent: dict[str, int] = {}
        self.names: dict[int, str] = {}
        self.futures: dict[int, Any] = {}  # submitted and not done, for cancel-pending
        self._unnamed: dict[int, tuple[object, dict[str, Any], int]] = {}
        threading.main_thread()._concviz_tid = 1  # type: ignore[attr-defined]
        # Quiet counting: while the program makes more events than any screen can show,
        # an uncontended acquire-and-release of a Lock is counted, not reported; the
        # counts go out as ``coalesced`` events. See ProbedLock.
        self.quiet = False
        self.silent_held: dict[int, list[Any]] = {}  # thread ident -> locks held untold
        # a claim taken from its holder is told before that holder's release can be
        self.claim_lock = _thread.allocate_lock()
        self.silent_counts: dict[int, deque[int]] = {}  # ident -> obj of each pair
        self.by_ident: dict[int, tuple[str, int]] = {_thread.get_ident(): ("MainThread", 1)}
        self._rate_events = 0
        self._rate_since = _monotonic()

    # -- numbering -------------------------------------------------------------

    def next_obj(self) -> int:
        with self._lock:
            self._serial += 1
            return self._serial - 1

    def next_tid(self) -> int:
        with self._lock:
            self._tids += 1
            return self._tids

    def tid_of(self, thread: threading.Thread) -> int:
        tid = getattr(thread, "_concviz_tid", None)
        if tid is None:  # a thread the probe did not see start (a dummy thread)
            tid = self.next_tid()
            thread._concviz_tid = tid  # type: ignore[attr-defined]
        return tid

    # -- the program's own files ----------------------------------------------

    def is_user_file(self, filename: str) -> bool:
        known = self._user_files.get(filename)
        if known is None:  # the program's folder is its own, even inside site-packages
            known = not filename.startswith(PROBE_ROOT) and (
                filename.startswith(self.program_dir)
                or not (filename.startswith("<") or filename.startswith(self._roots)))
            self._user_files[filename] = known
        return known

    def user_frame(self, depth: int = 2) -> FrameType | None:
        """The innermost frame in the program's own files, above ``depth``."""
        try:
            frame: FrameType | None = sys._getframe(depth)
        except ValueError:
            return None
        while frame is not None and not self.is_user_file(frame.f_code.co_filename):
            frame = frame.f_back
        return frame

    def called_from_program(self, depth: int = 2) -> bool:
        """Whether the code that called the probed constructor is the program's (not the
        standard library's: an executor's or a Queue's own locks stay unprobed)."""
        try:
            frame = sys._getframe(depth)
        except ValueError:
            return False
        while frame is not None and frame.f_code.co_filename.startswith(PROBE_ROOT):
            frame = frame.f_back  # the probe's own subclasses call their bases
        return frame is not None and self.is_user_file(frame.f_code.co_filename)

    def count_internal(self, kind: str) -> None:
        with self._lock:  # many threads make the standard library's objects: none lost
            self.internal[kind] = self.internal.get(kind, 0) + 1

    # -- objects and their names -----------------------------------------------

    def new(self, kind: str, target: object, **fields: Any) -> int:
        """Number an object the program made and announce it, with where it was made."""
        obj = self.next_obj()
        frame = self.user_frame(3)
        where: dict[str, Any] = {}
        if frame is not None:
            where = {"file": frame.f_code.co_filename, "line": frame.f_lineno}
            self._unnamed[obj] = (target, frame.f_globals, 0)
        self.emit("new", obj=obj, type=kind, **where, **fields)
        return obj

    def name_of(self, obj: int, frame: FrameType | None) -> None:
        """Find the program's name for ``obj`` at its first uses: a global of the frame
        using it or of the module that made it, else a local of that frame, else an
        attribute of one of its locals (``self.lock``). Globals first: two locks passed
        to one function as ``first`` are ``left`` and ``right`` to the program. A name
        another object has already is told with the object's number (``lock#3``)."""
        entry = self._unnamed.get(obj)
        if entry is None:
            return
        target, made_in, tries = entry
        name = None
        scopes: list[dict[str, Any]] = (
            [made_in] if frame is None else [frame.f_globals, made_in, frame.f_locals])
        for scope in scopes:
            name = next((key for key, value in list(scope.items()) if value is target), None)
            if name:
                break
        if name is None and frame is not None:
            for local, value in list(frame.f_locals.items()):
                attrs = getattr(value, "__dict__", None)
                if isinstance(attrs, dict):
                    attr = next((k for k, v in list(attrs.items()) if v is target), None)
                    if attr:
                        name = f"{local}.{attr}"
                        break
        if name is None:
            if tries < 4:
                self._unnamed[obj] = (target, made_in, tries + 1)
                return
            del self._unnamed[obj]
            return
        del self._unnamed[obj]
        if name in self.names.values():
            name = f"{name}#{obj}"
        self.names[obj] = name
        self.emit("name", obj=obj, name=name)

    # -- events ------------------------------------------------------------------

    def header(self, **fields: Any) -> None:
        line = json.dumps({"kind": "header", "wire": WIRE, "schema": SCHEMA, **fields,
                           "t0": self.t0, "show": self.show, "output": self.output})
        self._write(line + "\n")

    def emit(self, kind: str, **fields: Any) -> None:
        """Queue one event from the calling thread (a program thread)."""
        if not self.enabled:
            return
        thread = threading.current_thread()
        if self.silent_held or self.silent_counts:
            ident = _thread.get_ident()
            # told in the thread's own order: what it counted, then what it holds
            if self.silent_counts.get(ident):
                self.counted(ident)
            if self.silent_held.get(ident):
                self.speak_up(ident)
        self._queue(kind, thread.name, self.tid_of(thread), fields)

    def speak_up(self, ident: int) -> None:
        """Before anything else of a thread is told: the locks it holds untold are told
        as taken (their releases will be told too)."""
        for lock in self.silent_held.pop(ident, []):
            try:
                lock._claim.remove(ident)
            except ValueError:
                continue  # another thread told it already
            self.tell_held(ident, [lock])

    def forget_held(self, ident: int, lock: Any) -> None:
        held = self.silent_held.get(ident)
        if held:
            with contextlib.suppress(ValueError):
                held.remove(lock)

    def count_pair(self, ident: int, obj: int) -> None:
        """One untold acquire-and-release; a deque a thread, drained by single pops."""
        pairs = self.silent_counts.get(ident)
        if pairs is None:
            pairs = self.silent_counts.setdefault(ident, deque())
        pairs.append(obj)
        self._rate_events += 1

    def tell_held(self, ident: int, held: list[Any]) -> None:  # claim_lock held
        name, tid = self.by_ident.get(ident, ("?", 0))
        for lock in held:
            self._queue("acquired", name, tid, {"obj": lock._obj, "waited": 0.0})

    def counted(self, ident: int | None = None) -> None:
        """The pairs counted and not yet told, as ``coalesced`` events: one thread's,
        before its next event, or (``None``) everybody's, from the writer."""
        idents = list(self.silent_counts) if ident is None else [ident]
        for who in idents:
            pairs = self.silent_counts.get(who)
            if not pairs:
                continue
            times: dict[int, int] = {}
            with contextlib.suppress(IndexError):
                while True:
                    obj = pairs.popleft()
                    times[obj] = times.get(obj, 0) + 1
            name, tid = self.by_ident.get(who, ("?", 0))
            for obj, count in times.items():
                self._queue("coalesced", name, tid, {"obj": obj, "times": count,
                                                     "waited": 0.0})

    def emit_as(self, kind: str, thread: str, tid: int, **fields: Any) -> None:
        """Queue an event for another thread, or for the probe itself (tid 0): the probe's
        raw threads never call ``current_thread()``, which would make them visible."""
        if self.enabled:
            self._queue(kind, thread, tid, fields)

    def at(self, kind: str, frame: FrameType | None, obj: int | None = None,
           **fields: Any) -> None:
        """An event at the program's line ``frame`` is at, about ``obj`` if given."""
        if not self.enabled:
            return
        if obj is not None:
            if obj in self._unnamed:
                self.name_of(obj, frame)
            fields["obj"] = obj
        if frame is not None:
            fields["file"] = frame.f_code.co_filename
            fields["line"] = frame.f_lineno
        self.emit(kind, **fields)

    def _queue(self, kind: str, thread: str, tid: int, fields: dict[str, Any]) -> None:
        if len(self._pending) > MAX_PENDING and not self._dead:
            # the reader fell behind: the program waits rather than memory growing
            while len(self._pending) > MAX_PENDING // 2 and not self._dead:
                _sleep(FLUSH_EVERY)
        self._rate_events += 1  # a guess at the rate: the writer reads it, races and all
        with self._lock:
            event = {"t": round(_monotonic() - self.t0, 6), "kind": kind,
                     "thread": thread, "tid": tid}
            event.update(fields)
            self._pending.append(event)
        if self.show and tid and kind not in ("line", "data", "hold", "new"):
            self.data_changed(thread, tid)

    def data_changed(self, thread: str, tid: int) -> None:
        """After a probed operation of a program's thread: each shown global whose value
        changed, as seen by that thread (named, never asked of ``current_thread()``)."""
        for name in self.show:
            if name not in self.main_globals:
                continue  # not assigned yet
            value = as_json(self.main_globals[name])
            text = json.dumps(value)
            if self._shown.get(name) != text:
                self._shown[name] = text
                self._queue("data", thread, tid, {"name": name, "value": value})

    def send_internal(self) -> None:
        if self.internal != self._internal_sent:
            self._internal_sent = dict(self.internal)
            self.emit_as("internal", "concviz", 0, counts=dict(self.internal))

    # -- the pipe ----------------------------------------------------------------

    def start_writer(self) -> None:
        _thread.start_new_thread(self._writer, ())

    def _writer(self) -> None:
        while not self._dead:
            self._watch_rate()
            if self.silent_counts:
                self.counted()
            if self._pending:
                self.flush()
            _sleep(FLUSH_EVERY)  # also while events pour in: batches, not a spinning writer

    def _watch_rate(self) -> None:
        """Count quietly while events come faster than ``QUIET_RATE`` a second; tell
        everything again once they come at a quarter of it."""
        now = _monotonic()
        if now - self._rate_since < RATE_EVERY:
            return
        rate = self._rate_events / (now - self._rate_since)
        self._rate_events, self._rate_since = 0, now
        if rate > QUIET_RATE:
            self.quiet = True
        elif rate < QUIET_RATE / 4:
            self.quiet = False

    def flush(self) -> None:
        with self._write_lock:
            with self._lock:
                batch, self._pending = self._pending, []
            if len(batch) > COALESCE_ABOVE and not self.paused:
                batch = coalesce(batch)
            if batch:
                self._write("".join(json.dumps(event) + "\n" for event in batch))

    def _write(self, text: str) -> None:
        data = text.encode("utf-8", "backslashreplace")
        try:
            while data:
                data = data[os.write(self.fd, data):]
        except OSError:  # concviz is gone: nobody reads, nothing to wait for
            self._dead = True

    def close(self) -> None:
        """At exit: the last events, then the pipe's end (the reader sees EOF)."""
        self.quiet = False
        self.counted()
        self.send_internal()
        self.flush()
        self._dead = True

    def forget_after_fork(self) -> None:
        """In a child forked by the program (a Pool's worker): report nothing. The
        child gets a copy of the queue and the pipe, and none of the probe's threads."""
        self.enabled = False
        self._dead = True
        self._pending = []
        for fd in (self.fd, self.control_fd):  # the parent's: its pipes end with it
            with contextlib.suppress(OSError):
                os.close(fd)
        self.quiet = False
        self.silent_held, self.silent_counts = {}, {}
        self._lock = _thread.allocate_lock()
        self._write_lock = _thread.allocate_lock()
        self.paused = False
        self._gate = _Condition(_thread.allocate_lock())

    # -- pause and step ----------------------------------------------------------

    def gate(self, frame: FrameType | None) -> None:
        """A probed point: while paused, wait here until a step or resume lets one
        operation through."""
        if not self.paused or not self.enabled:
            return
        with self._gate:
            held = False
            while self.paused and self._steps == 0 and self.enabled:
                if not held:
                    held = True
                    self.at("hold", frame)
                self._gate.wait()
            if self.paused and self._steps:
                self._steps -= 1

    def pause(self) -> None:
        with self._gate:
            self.paused = True
            self._steps = 0

    def resume(self) -> None:
        with self._gate:
            self.paused = False
            self._steps = 0
            self._gate.notify_all()

    def step(self) -> None:
        with self._gate:
            if self.paused:
                self._steps = 1
                self._gate.notify_all()
