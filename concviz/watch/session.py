"""One run of a program under the probe, seen from the parent: start it, read its events,
send it control messages, and end it with everything it started.

The child runs as its own process group: Ctrl+C in the terminal reaches concviz only, and
concviz ends the whole group (then any descendant that left it). Its events come over a
pipe as the wire format (docs/wire-format.md); in "events" output mode its file
descriptors 1 and 2 are pipes too, read into ``out`` events marked ``"raw": true``.
"""

from __future__ import annotations

import codecs
import collections
import contextlib
import json
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO, Literal

from concviz.probe.launch import command

WIRE = "concviz-probe"
SCHEMA = 1
# Events read but not yet drained. Past this the reader stops reading: the pipe fills, the
# probe's next write waits, and so the program slows down instead of concviz's memory
# growing without end.
MAX_BUFFERED = 100_000
GARBAGE_SHOWN = 200  # characters of a line that is not JSON, kept in its probe-garbage event
CHUNK = 65536
# Every descendant inherits this in its environment, so one that left the process group
# and was orphaned is still known as this run's.
TAG = "CONCVIZ_WATCH_RUN"

Output = Literal["events", "pass"]
Event = dict[str, Any]


def well_formed(event: Any) -> bool:
    """An event as the wire format has them: what else came down the pipe (a program
    may write to any file descriptor) is told as ``probe-garbage``, never folded."""
    return (isinstance(event, dict) and isinstance(event.get("kind"), str)
            and type(event.get("tid")) is int and type(event.get("t")) in (int, float)
            and isinstance(event.get("thread"), str)
            and all(type(event[key]) is int for key in ("obj", "child") if key in event))


class Session:
    """A program run under the probe. ``start()``, then ``drain()`` its events until
    ``finished``; ``stop()`` ends it, and whatever it started, at any time."""

    def __init__(self, program: Path, args: Sequence[str] = (), *,
                 python: str = sys.executable, seed: int | None = None,
                 show: Sequence[str] = (), speed: float = 1.0, output: Output = "events",
                 shown_as: Path | None = None, trace: BinaryIO | None = None) -> None:
        self.program = Path(program)
        self.args = list(args)
        self.python = python
        self.seed = seed
        self.show = tuple(show)
        self.speed = speed
        self.output = output
        self.shown_as = shown_as
        self.trace = trace  # gets every line of the events pipe, as it came
        self.header: Event | None = None
        self.error: str | None = None  # why the event stream cannot be read, if it cannot
        self.ended_by: str | None = None  # the signal stop() ended a running program with
        self.tag = uuid.uuid4().hex
        self._proc: subprocess.Popen[bytes] | None = None
        self._control: int | None = None
        self._events: collections.deque[Event] = collections.deque()
        self._room = threading.Condition()  # the reader waits for room, readers for events
        self._read_all = False  # the reader saw every pipe end (or gave up on them)
        self._reader: threading.Thread | None = None
        self._started_at = 0.0
        self._stopped = False
        self._stop_lock = threading.Lock()

    # Starting

    def start(self) -> None:
        events_read, events_write = os.pipe()
        control_read, control_write = os.pipe()
        outputs: dict[int, str] = {}
        stdio: dict[str, Any] = {}
        if self.output == "events":
            stdio["stdin"] = subprocess.DEVNULL  # the watch screen owns the terminal
            for name in ("stdout", "stderr"):
                read, write = os.pipe()
                outputs[read] = name
                stdio[name] = write
        else:
            # A process group that is not the terminal's and reads from it is stopped
            # (SIGTTIN): a program on a terminal reads end-of-file instead.
            stdio["stdin"] = subprocess.DEVNULL if _is_terminal(0) else None
        argv = command(self.program, self.args, python=self.python, events_fd=events_write,
                       control_fd=control_read, output=self.output, seed=self.seed,
                       show=self.show, speed=self.speed, shown_as=self.shown_as)
        _adopt_orphans()
        self._started_at = time.monotonic()
        child_ends = [events_write, control_read, stdio.get("stdout"), stdio.get("stderr")]
        try:
            self._proc = subprocess.Popen(argv, pass_fds=(events_write, control_read),
                                          process_group=0, env={**os.environ, TAG: self.tag},
                                          **stdio)
        except BaseException:
            for fd in (events_read, control_write, *outputs):
                os.close(fd)
            raise
        finally:
            for fd in child_ends:
                if isinstance(fd, int) and fd >= 0:
                    os.close(fd)
        os.set_blocking(control_write, False)  # a probe that stops reading cannot stall us
        self._control = control_write
        self._reader = threading.Thread(target=self._read, args=(events_read, outputs),
                                        name="concviz-watch-reader", daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    # Reading

    def drain(self, max_items: int = 1000) -> list[Event]:
        """Up to ``max_items`` events, oldest first; never waits."""
        with self._room:
            taken = [self._events.popleft() for _ in range(min(max_items, len(self._events)))]
            if taken:
                self._room.notify_all()
        return taken

    def wait_for_events(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for an event to drain, or for the reading to
        end; whether either happened."""
        with self._room:
            return self._room.wait_for(lambda: bool(self._events) or self._read_all, timeout)

    @property
    def finished(self) -> bool:
        """The program exited and every event it sent has been drained."""
        with self._room:
            if not (self._read_all and not self._events):
                return False
        return self.poll() is not None

    def _put(self, event: Event) -> None:
        with self._room:
            self._room.wait_for(lambda: len(self._events) < MAX_BUFFERED)
            self._events.append(event)
            self._room.notify_all()

    def _read(self, events_fd: int, outputs: dict[int, str]) -> None:
        """The reader thread: the events pipe line by line, fds 1 and 2 as they come."""
        selector = selectors.DefaultSelector()
        pending = b""
        decoders = {}
        selector.register(events_fd, selectors.EVENT_READ)
        for fd in outputs:
            selector.register(fd, selectors.EVENT_READ)
            decoders[fd] = _decoder()
        events_open = True
        try:
            while events_open or selector.get_map():
                # Once the program is gone, what its output pipes hold now is all there
                # is: something it started may keep them open, and need not be waited for.
                exited = not events_open and self.poll() is not None
                ready = selector.select(timeout=0 if exited else 0.1)
                if exited and not ready:
                    break
                for key, _ in ready:
                    fd = key.fd
                    chunk = os.read(fd, CHUNK)
                    if fd == events_fd:
                        lines = (pending + chunk).split(b"\n")
                        pending = lines.pop()
                        for line in lines:
                            self._line(line)
                        if not chunk:
                            events_open = False
                            if pending:
                                self._line(pending)
                    else:
                        text = decoders[fd].decode(chunk, final=not chunk)
                        if text:
                            self._raw_output(outputs[fd], text)
                    if not chunk:
                        selector.unregister(fd)
                        os.close(fd)
        finally:
            for key in list(selector.get_map().values()):
                os.close(key.fd)
            selector.close()
            with self._room:
                self._read_all = True
                self._room.notify_all()

    def _line(self, line: bytes) -> None:
        if self.trace is not None:
            try:
                self.trace.write(line + b"\n")
            except (OSError, ValueError):  # a full disk, or closed after a stop
                self.trace = None
        if self.error is not None:
            return  # the stream is unreadable: read on so the program is not blocked
        try:
            event = json.loads(line)
        except (UnicodeDecodeError, ValueError, RecursionError):
            event = None
        if self.header is None:
            self._check_header(event, line)
        elif well_formed(event):
            self._put(event)
        else:
            text = line.decode("utf-8", "replace")[:GARBAGE_SHOWN]
            self._put({"kind": "probe-garbage", "text": text, "t": self._now(),
                       "thread": "", "tid": 0})

    def _check_header(self, event: Any, line: bytes) -> None:
        if not isinstance(event, dict) or event.get("kind") != "header" \
                or event.get("wire") != WIRE:
            shown = line.decode("utf-8", "replace")[:GARBAGE_SHOWN]
            self.error = (f"the probe's first line is not a {WIRE} header, so its events "
                          f"cannot be read: {shown!r}")
        elif event.get("schema") != SCHEMA:
            self.error = (f"the probe speaks schema {event.get('schema')!r} of the wire "
                          f"format and this concviz reads schema {SCHEMA}")
        else:
            self.header = event

    def _raw_output(self, stream: str, text: str) -> None:
        self._put({"kind": "out", "stream": stream, "text": text, "raw": True,
                   "t": self._now(), "thread": "", "tid": -1})

    def _now(self) -> float:
        """Seconds since the probe started, on its own clock (the machine's monotonic one)."""
        t0 = self.header.get("t0") if self.header else None
        return time.monotonic() - (t0 if isinstance(t0, int | float) else self._started_at)

    # Control

    def send(self, cmd: str, **fields: Any) -> bool:
        """Send one control message; False if the program is gone or not reading. A
        message is far shorter than PIPE_BUF, so the write is whole or not at all."""
        if self._control is None:
            return False
        data = json.dumps({"cmd": cmd, **fields}).encode() + b"\n"
        try:
            return os.write(self._control, data) == len(data)
        except (BrokenPipeError, BlockingIOError):
            return False

    # The process

    def poll(self) -> int | None:
        return self._proc.poll() if self._proc else None

    def wait(self, timeout: float | None = None) -> int:
        """The program's exit status, waiting up to ``timeout`` seconds (then
        :class:`subprocess.TimeoutExpired`)."""
        assert self._proc is not None, "start() first"
        return self._proc.wait(timeout)

    @property
    def returncode(self) -> int | None:
        return self._proc.returncode if self._proc else None

    def stop(self, grace: float = 2.0) -> None:
        """End the program's whole process group, and every descendant that left it:
        SIGTERM, then SIGKILL after ``grace`` seconds; reap them all. Idempotent."""
        with self._stop_lock:
            if self._stopped or self._proc is None:
                return
            proc = self._proc
            others = self._descendants()
            if proc.poll() is None:
                self.ended_by = signal.SIGTERM.name
            for signum in (signal.SIGTERM, signal.SIGCONT):  # a stopped process gets it too
                _signal_group(proc.pid, signum)
                _signal_each(others, signum)
            deadline = time.monotonic() + grace
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(grace)
            _wait_for(others, deadline - time.monotonic())
            if proc.poll() is None:
                self.ended_by = signal.SIGKILL.name
            _signal_group(proc.pid, signal.SIGKILL)
            proc.wait()
            others += self._descendants()
            _signal_each(others, signal.SIGKILL)
            _wait_for(others, 1.0)  # reaps the ones that were handed to us
            if self._control is not None:
                os.close(self._control)
                self._control = None
            self._stopped = True  # only now: a stop cut short by a signal can be done again

    def _descendants(self) -> list[Any]:
        """Processes this run started, however far down and wherever they are now: the
        program's descendants, and this process's that carry the run's tag in their
        environment or are in the program's process group (orphans handed to us, see
        :func:`_adopt_orphans`)."""
        import psutil  # here: a session that is never stopped early need not load it

        pid = self._proc.pid
        found: dict[int, psutil.Process] = {}
        with contextlib.suppress(psutil.Error):
            for child in psutil.Process(pid).children(recursive=True):
                found[child.pid] = child
        with contextlib.suppress(psutil.Error):
            for child in psutil.Process().children(recursive=True):
                if child.pid != pid and (_group(child.pid) == pid or _tagged(child, self.tag)):
                    found.setdefault(child.pid, child)
        return list(found.values())

    # What became of it

    def exit_text(self) -> str:
        """How the program ended, in words: "exited with status 3", "died: SIGSEGV
        (signal 11)", "ended by concviz (SIGTERM)"."""
        code = self.returncode
        if code is None:
            return "still running"
        if self.ended_by is not None:
            return f"ended by concviz ({self.ended_by})"
        if code == 0:
            return "exited normally (status 0)"
        if code > 0:
            return f"exited with status {code}"
        return f"died: {signal_name(-code)} (signal {-code})"

    def __enter__(self) -> Session:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _is_terminal(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


def _decoder() -> codecs.IncrementalDecoder:
    return codecs.getincrementaldecoder("utf-8")(errors="replace")


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def _group(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except OSError:
        return None


def _tagged(process: Any, tag: str) -> bool:
    import psutil

    try:
        return process.environ().get(TAG) == tag
    except psutil.Error:
        return False


def _signal_each(processes: list[Any], signum: int) -> None:
    import psutil

    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.send_signal(signum)


def _wait_for(processes: list[Any], timeout: float) -> None:
    """Wait up to ``timeout`` seconds for them to end, reaping those that are our
    children (psutil waits for a child with waitpid)."""
    import psutil

    psutil.wait_procs(processes, timeout=max(0.0, timeout))


def _adopt_orphans() -> None:
    """Linux: make this process the "subreaper" of what it starts. A process whose
    parent dies is then handed to us, not to init, so it can still be found and ended
    (and reaped) even after the program that started it has exited."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_child_subreaper = 36
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_child_subreaper, 1, 0, 0, 0)
