"""``concviz watch PROGRAM``: run a real, unmodified Python program under the probe. With
``--plain`` its own output goes through unchanged and a transcript of what its threads do
goes to stderr (or, with ``--events FILE``, the probe's events to a trace file).
``concviz run NAME`` is the same for a program of the catalogue."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple, TextIO

from concviz.commands.args import add_theme, float_range, seed, shorten
from concviz.watch.programs import (
    PROCESSES_NOTE,
    Program,
    ProgramError,
    resolve,
    with_constants,
)
from concviz.watch.session import Output, Session, signal_name

if TYPE_CHECKING:  # the fold and the words load when a transcript starts, not with the CLI
    from concviz.watch.state import Finding, ProgramState

SUMMARY = "watch a Python program's threads as it runs (add --plain for a transcript)"
EPILOG = ("exit status: the program's own; 128+N if it died of signal N; 124 if concviz "
          "ended a deadlocked program; 2 for bad input to concviz")
DEADLOCKED = 124
POLL = 0.1  # seconds: the longest the transcript waits before looking at the clock again
AFTER_STOP = 5.0  # seconds to read what an ended program had sent


def assignment(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name.strip().isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {shorten(text)}")
    return name.strip(), value


def seconds(text: str) -> float:
    return float_range(0, 3600)(text.rstrip("s"))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_options(parser)
    parser.add_argument("program", metavar="PROGRAM",
                        help="a Python file, or a catalogue program's name: lock, seed:ques4 "
                             "(`concviz list` names them)")
    rest = parser.add_argument("args", metavar="ARGS", nargs=argparse.REMAINDER,
                               help="given to the program untouched, even those starting "
                                    "with -")
    rest.required = False  # argparse marks a REMAINDER required, and says so when PROGRAM is not


# The options of the engine demos these programs replaced, kept as shorthands: each sets
# one of the program's constants
FORMER_OPTIONS = {
    "producer-consumer": {"--items": "ITEMS", "--producers": "PRODUCERS",
                          "--consumers": "CONSUMERS"},
    "futures": {"--workers": "WORKERS", "--n-max": "N", "--fail": "FAIL"},
}
NO_LOCK = {"producer-consumer": "producer-consumer-no-lock"}  # --no-lock: the lock-free one


class SetConstant(argparse.Action):
    """A former demo option: ``--items 5`` is ``--set ITEMS=5``."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence | None, option_string: str | None = None) -> None:
        namespace.knobs = [*namespace.knobs, (self.const, values)]


def add_run_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    """``concviz run NAME`` for a catalogue program: ``concviz watch NAME`` by another name."""
    add_options(parser)
    for option, constant in FORMER_OPTIONS.get(name, {}).items():
        parser.add_argument(option, metavar="N", dest="knobs", action=SetConstant,
                            const=constant, help=f"--set {constant}=N")
    if name in NO_LOCK:
        parser.add_argument("--no-lock", dest="program", action="store_const",
                            const=NO_LOCK[name], default=name,
                            help=f"run {NO_LOCK[name]} instead")
    parser.set_defaults(program=name, args=[], module=None)


def add_options(parser: argparse.ArgumentParser) -> None:
    """Every option of ``concviz watch`` (all but the program and its arguments)."""
    parser.add_argument("--plain", action="store_true",
                        help="no TUI: the program's output goes through unchanged, and what "
                             "its threads do is told on stderr")
    parser.add_argument("--events", metavar="FILE", type=Path,
                        help="with --plain: write the probe's events to FILE as they come "
                             "(JSON lines, header first: a trace file) instead of the "
                             "transcript")
    parser.add_argument("--python", metavar="PATH", default=sys.executable,
                        help="the Python that runs the program (default: concviz's own)")
    parser.add_argument("--seed", metavar="N", type=seed, default=None,
                        help="call random.seed(N) before the program's first line")
    parser.add_argument("--show", metavar="NAME", action="append", default=[],
                        help="report this global's value whenever it changes (repeatable; "
                             "a '# concviz: show NAME' line in the program does the same)")
    parser.add_argument("--set", metavar="NAME=VALUE", dest="knobs", type=assignment,
                        action="append", default=[],
                        help="run a copy of the program with this top-level constant changed "
                             "(repeatable; the file itself is not touched)")
    parser.add_argument("--speed", metavar="X", type=float_range(0.1, 10), default=1.0,
                        help="time.sleep(s) sleeps s / X: 0.1 to 10 (default 1)")
    parser.add_argument("--deadlock-grace", metavar="S", type=seconds, default=2.0,
                        help="with --plain: once concviz finds a deadlock, wait S seconds in "
                             "case something wakes, then end the program (default 2)")
    add_theme(parser)


class Watched(NamedTuple):  # see catalogue.Card: why not a dataclass
    """What ``concviz watch`` runs, checked: ``args.watched`` once :func:`prepared`."""

    program: Program
    runs: Path  # the program's file, or its copy with the --set constants
    shown_as: Path | None  # the original, when a copy runs
    python: str


@contextlib.contextmanager
def prepared(args: argparse.Namespace) -> Iterator[None]:
    """Check the command line (:class:`ProgramError` for bad input) and set
    ``args.watched``; the copy made for ``--set`` and the ``--events`` file last as long
    as the block."""
    program = resolve(args.program)
    python = python_path(args.python)
    if args.events is not None and not args.plain:
        raise ProgramError("--events writes a trace of a --plain run: add --plain")
    with contextlib.ExitStack() as stack:
        runs, shown_as = program.path, None
        if args.knobs:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="concviz-")))
            runs, shown_as = with_constants(program.path, dict(args.knobs), folder), program.path
        args.trace = None
        if args.events is not None:
            try:
                args.trace = stack.enter_context(open(args.events, "wb"))  # noqa: SIM115
            except OSError as error:
                raise ProgramError(f"cannot write {args.events}: {error.strerror}") from None
        args.watched = Watched(program, runs, shown_as, python)
        yield


def python_path(text: str) -> str:
    """The interpreter ``--python`` names, as an absolute path."""
    found = shutil.which(text) if os.sep not in text else text
    if found is None:
        raise ProgramError(f"--python: no program named {text} on the PATH")
    path = Path(found)
    if not path.exists():
        raise ProgramError(f"--python: no such file: {text}")
    if path.is_dir() or not os.access(path, os.X_OK):
        raise ProgramError(f"--python: {text} is not an executable file")
    return str(path.absolute())


def session_for(args: argparse.Namespace, output: Output = "events",
                trace: BinaryIO | None = None) -> Session:
    """The session that runs what ``args`` (once :func:`prepared`) says."""
    watched: Watched = args.watched
    return Session(watched.runs, args.args, python=watched.python, seed=args.seed,
                   show=[*dict.fromkeys([*watched.program.show, *args.show])],
                   speed=args.speed, output=output,
                   shown_as=watched.shown_as, trace=trace)


def run_plain(args: argparse.Namespace) -> int:
    """Run the program with its output going through, the transcript (or trace) beside it;
    returns concviz's exit status."""
    watched: Watched = args.watched
    if watched.program.processes:
        say(f"{watched.program.name} starts processes: {PROCESSES_NOTE}")
    session = session_for(args, "pass", args.trace)
    transcript = None if args.trace is not None else sys.stderr
    try:
        try:
            session.start()
        except OSError as error:  # --python is a file the system cannot run
            say(f"error: cannot run {watched.python}: {error.strerror}")
            return 2
        return follow(session, transcript, args.deadlock_grace)
    except KeyboardInterrupt as interrupt:
        with signals_ignored():
            session.stop()
        name = str(interrupt) if str(interrupt) in signal.Signals.__members__ else "SIGINT"
        say(f"interrupted ({name}): ended the program")
        return 128 + signal.Signals[name].value
    finally:
        with signals_ignored():
            session.stop()
            read_the_rest(session)


def follow(session: Session, transcript: TextIO | None, grace: float) -> int:
    """Tell what happens until the program ends, or concviz ends it for a deadlock."""
    from concviz.watch.state import NOT_MOVES, ProgramState

    state = ProgramState()
    deadlock: Finding | None = None
    deadline = 0.0
    while not session.finished:
        wait = min(POLL, max(0.0, deadline - time.monotonic())) if deadlock else POLL
        if not session.wait_for_events(wait):
            events = []
        elif not (events := session.drain()):  # all is read: only the exit is left
            with contextlib.suppress(subprocess.TimeoutExpired):
                session.wait(wait)
        if session.error is not None:
            say(f"error: {session.error}")
            return 2
        if session.header is not None and not state.header:
            state.header = session.header
            for line in what_concviz_changed(session.header, session):
                say(line)
        for event in events:
            findings = state.apply(event)
            if transcript is not None:
                tell(event, state, transcript)
            if deadlock is not None and event.get("tid") in deadlock.threads \
                    and event.get("kind") not in NOT_MOVES:
                say(f"{event.get('thread')} went on after all: it was not a deadlock")
                deadlock = None
            for finding in findings:
                say(finding.text)  # it says it is concviz's check
                if finding.kind == "deadlock" and deadlock is None:
                    deadlock, deadline = finding, time.monotonic() + grace
        if deadlock is not None and time.monotonic() >= deadline:
            session.stop()
            say(f"ended the program: no thread of the deadlock moved in {grace:g} s. Plain "
                "Python ends none of these waits; only a release by another thread could")
            return DEADLOCKED
    if session.header is None:
        say(f"error: {session.python} did not start concviz's probe ({session.exit_text()})")
        return 2
    code = session.returncode or 0
    if code < 0:
        say(f"the program died: {signal_name(-code)}")
        return 128 - code
    return code


def what_concviz_changed(header: dict, session: Session) -> list[str]:
    """What concviz does to the run that the program did not ask for, said once at the
    start: the class should know that Python itself did none of it."""
    said = []
    if header.get("seed") is not None:
        said.append(f"called random.seed({header['seed']}) before the program's first line")
    if header.get("speed", 1.0) != 1.0:
        said.append(f"time.sleep(s) sleeps s / {header['speed']:g} (--speed)")
    if session.shown_as is not None:
        said.append(f"runs a copy of {session.shown_as} with the constants --set changed "
                    f"({header.get('program')}); the file itself is unchanged")
    return said


def tell(event: dict, state: ProgramState, out: TextIO) -> None:
    """One transcript line, if the event needs one. The program's own output is not
    repeated: it already went through."""
    if event.get("kind") == "out":
        return
    from concviz.watch.words import describe

    text = describe(event, state)
    if text is not None:
        t = event.get("t", 0.0)
        print(f"{t:7.3f}  {event.get('thread', '')}  {text}", file=out, flush=True)


def say(text: str) -> None:
    print(f"concviz: {text}", file=sys.stderr, flush=True)


def read_the_rest(session: Session) -> None:
    """Read what an ended program had sent, so a trace file gets all of it."""
    deadline = time.monotonic() + AFTER_STOP
    while session.poll() is not None and not session.finished \
            and time.monotonic() < deadline:
        session.wait_for_events(POLL)
        session.drain(100_000)


@contextlib.contextmanager
def signals_ignored() -> Iterator[None]:
    """Ctrl+C, SIGTERM and SIGHUP while the program is being ended would cut its ending
    short (and leave its processes): they are ignored until it is done."""
    quits = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in quits}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)
