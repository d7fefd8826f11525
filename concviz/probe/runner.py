"""The child's entry: install the probe, then run the program as ``python PROGRAM``
would, as ``__main__``, with its own ``sys.argv`` and ``sys.path[0]``.

What the program prints, raises and exits with stays its own: a traceback shows the
program's frames only, a ``SyntaxError`` is printed as Python prints it, and
``sys.exit(n)`` ends the process with ``n``.
"""

from __future__ import annotations

import atexit
import json
import os
import platform
import re
import sys
import traceback
import types
from collections.abc import Sequence

from concviz.probe import control, futures, primitives, queues, streams, threads
from concviz.probe.core import Probe
from concviz.probe.threads import describe_error

SHOW_COMMENT = re.compile(r"^#\s*concviz:\s*show\s+([A-Za-z_][\w, ]*)$", re.MULTILINE)


def shown_in(source: str) -> list[str]:
    """The globals a program asks to be shown: ``# concviz: show shared_list``."""
    return [name.strip() for match in SHOW_COMMENT.finditer(source)
            for name in match.group(1).split(",") if name.strip()]


def main(argv: Sequence[str]) -> None:
    events_fd, control_fd, options_text, program, *args = argv
    options = json.loads(options_text)
    if sys.path and sys.path[0] == os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__)))):
        del sys.path[0]  # concviz's folder, put there by the launch line only
    for fd in (int(events_fd), int(control_fd)):
        os.set_inheritable(fd, False)  # the program's own subprocesses don't get them
    try:
        with open(program, "rb") as file:
            source_bytes = file.read()
    except OSError as error:
        print(f"concviz probe: cannot read {program}: {error.strerror}", file=sys.stderr)
        sys.exit(2)
    source = source_bytes.decode("utf-8", "replace")
    show = [*options.get("show", []), *shown_in(source)]
    probe = Probe(int(events_fd), output=options.get("output", "pass"),
                  speed=float(options.get("speed", 1.0)), show=show)
    shown_as = options.get("shown_as") or program
    probe.program_dir = os.path.join(os.path.dirname(os.path.abspath(program)), "")
    probe.header(program=os.path.abspath(program), shown_as=os.path.abspath(shown_as),
                 argv=[options.get("argv0") or shown_as, *args], python=sys.executable,
                 python_version=platform.python_version(), pid=os.getpid(),
                 seed=options.get("seed"), speed=probe.speed)
    install(probe)
    probe.start_writer()
    control.start(probe, int(control_fd))
    run(probe, os.path.abspath(program), source_bytes, [options.get("argv0") or shown_as, *args],
        options.get("seed"), os.path.dirname(os.path.abspath(shown_as)))


def install(probe: Probe) -> None:
    primitives.install(probe)
    queues.install()
    threads.install(probe)
    futures.install(probe)
    streams.install(probe)
    threads.start_sampler(probe)
    os.register_at_fork(after_in_child=lambda: (probe.forget_after_fork(), streams.restore()))
    atexit.register(probe.close)


def run(probe: Probe, program: str, source: bytes, argv: list[str], seed: int | None,
        folder: str) -> None:
    main_module = types.ModuleType("__main__")
    main_module.__dict__.update({"__file__": program, "__builtins__": __builtins__,
                                 "__spec__": None, "__cached__": None})
    sys.modules["__main__"] = main_module
    probe.main_globals = main_module.__dict__
    sys.argv = argv
    sys.path[0:1] = [folder]  # where `python PROGRAM` puts the program's folder
    if seed is not None:
        import random

        random.seed(seed)
    try:
        code = compile(source, program, "exec")
    except SyntaxError as error:  # printed as Python prints it: no traceback above it
        probe.emit("main-error", error=describe_error(error), traceback="",
                   file=error.filename, line=error.lineno)
        traceback.print_exception(type(error), error, None)
        sys.exit(1)
    probe.emit("main-start")
    try:
        exec(code, main_module.__dict__)
    except SystemExit as end:
        probe.emit("exit", code=end.code if isinstance(end.code, int | None) else str(end.code))
        raise
    except BaseException as error:
        tb = error.__traceback__
        while tb is not None and not probe.is_user_file(tb.tb_frame.f_code.co_filename):
            tb = tb.tb_next  # the probe's own frames: Python would not show them
        error.__traceback__ = tb
        where, inner = None, tb
        while inner is not None:  # the innermost of the program's own frames
            if probe.is_user_file(inner.tb_frame.f_code.co_filename):
                where = inner
            inner = inner.tb_next
        probe.emit("main-error", error=describe_error(error),
                   traceback="".join(traceback.format_exception(error)),
                   file=where.tb_frame.f_code.co_filename if where else None,
                   line=where.tb_lineno if where else None)
        sys.excepthook(type(error), error, tb)
        sys.exit(130 if isinstance(error, KeyboardInterrupt) else 1)
    probe.emit("main-end")
