"""Control from concviz: pause, resume, step, speed, spawn, cancel-pending.

Read on a raw thread from the control pipe. Each command is echoed as a ``control``
event (thread ``concviz``, tid 0): the transcript says what concviz did, apart from
what the program did. When the pipe closes, concviz is gone (even SIGKILLed): the
program's whole process group ends with it, as it would have had concviz stopped it.
"""

from __future__ import annotations

import _thread
import json
import os
import signal
import threading
from typing import Any

from concviz.probe.core import Probe

MIN_SPEED, MAX_SPEED = 0.1, 10.0


def start(probe: Probe, fd: int) -> None:
    probe.control_fd = fd
    _thread.start_new_thread(_read, (probe, fd))


def _read(probe: Probe, fd: int) -> None:
    with os.fdopen(fd, "rb", buffering=0) as pipe:
        buffered = b""
        while chunk := _read_chunk(pipe):
            buffered += chunk
            *lines, buffered = buffered.split(b"\n")
            for line in lines:
                if line.strip():
                    _obey(probe, line)
    if probe.enabled and os.getpgrp() == os.getpid():  # our own group: concviz made it
        probe.close()
        os.killpg(os.getpgrp(), signal.SIGKILL)


def _read_chunk(pipe: Any) -> bytes:
    try:
        return pipe.read(4096)
    except OSError:
        return b""


def _obey(probe: Probe, line: bytes) -> None:
    try:
        command = json.loads(line)
        cmd = command["cmd"]
        if not isinstance(cmd, str):
            raise TypeError(cmd)
    except (ValueError, KeyError, TypeError):
        probe.emit_as("control", "concviz", 0, cmd="unknown", text=line[:200].decode(
            "utf-8", "replace"))
        return
    gate = {"pause": probe.pause, "resume": probe.resume, "step": probe.step}.get(cmd)
    if gate is not None:  # said first: what it lets through comes after it in the stream
        probe.emit_as("control", "concviz", 0, cmd=cmd)
        gate()
        return
    fields: dict[str, Any] = {}
    if cmd == "speed":
        try:
            probe.speed = min(MAX_SPEED, max(MIN_SPEED, float(command.get("factor", 1.0))))
        except (TypeError, ValueError):
            fields["error"] = "factor is not a number"
        fields["factor"] = probe.speed
    elif cmd == "spawn":
        fields.update(_spawn(probe, str(command.get("function", ""))))
    elif cmd == "cancel-pending":
        # on a thread of concviz's own, not this one: cancel() runs the futures'
        # callbacks, which are the program's code and may wait (paused, at a lock) while
        # only this thread could read the resume
        thread = threading.Thread(target=_cancel_pending, args=(probe,), daemon=True,
                                  name="concviz-cancel")
        thread._concviz_by = "concviz"  # type: ignore[attr-defined]
        thread.start()
        return
    else:
        fields["error"] = "unknown command"
    probe.emit_as("control", "concviz", 0, cmd=cmd, **fields)


def _cancel_pending(probe: Probe) -> None:
    cancelled = [obj for obj, future in list(probe.futures.items()) if future.cancel()]
    probe.emit_as("control", "concviz", 0, cmd="cancel-pending", cancelled=cancelled)


def _spawn(probe: Probe, name: str) -> dict[str, Any]:
    """Start a thread running the program's top-level function ``name``, with no
    arguments, as the program would with ``threading.Thread(target=name).start()``."""
    function = probe.main_globals.get(name)
    if not callable(function) or name.startswith("_"):
        return {"function": name, "error": f"the program has no function {name!r}"}
    # daemon given: Thread() would otherwise ask current_thread(), and this raw thread
    # would then show up in threading.enumerate()
    thread = threading.Thread(target=function, daemon=False)
    thread._concviz_by = "concviz"  # type: ignore[attr-defined]
    thread.start()
    return {"function": name, "child": getattr(thread, "_concviz_tid", None)}
