"""Quitting at any moment ends everything: SIGTERM, a closed terminal (SIGHUP), a dead
worker or a SIGKILLed concviz end the real TUI in a real pseudo-terminal (or the
workers it leaves), with every descendant process gone.

Each run is tagged with an environment variable that every descendant inherits, so
"nothing is left" is checked over all of them, even those started after a look."""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import signal
import subprocess
import sys
import termios
import threading
import uuid
from pathlib import Path

import psutil
import pytest

from tests.helpers import wait_until

ROOT = Path(__file__).resolve().parent.parent
TAG = "CONCVIZ_TEST_FAMILY"
ENDS_WITHIN = 10.0  # seconds: "within a few seconds", on a loaded 2-core machine
POOL_PRIMES = ("run", "pool", "--workload", "primes", "--n", "10000000")  # minutes of work
# a ProcessPoolExecutor's workers: minutes of work
PROCESS_EXECUTOR = ("run", "pool", "--executor", "process-executor", "--sizes", "4",
                   "--workload", "primes", "--n", "10000000")
THREADS = ("run", "producer-consumer", "--items", "1000")  # its dashboard pane: minutes


def own_terminal() -> None:
    """In the child, before exec: the pseudo-terminal on stdin becomes its controlling
    terminal (as a terminal window's is), so closing the other end hangs it up."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Tui:
    """The app in a pseudo-terminal, as its own session and process group (as a shell's
    foreground job is); its output is drained so it never blocks."""

    def __init__(self, *argv: str, config: Path) -> None:
        self.tag = uuid.uuid4().hex
        master, slave = os.openpty()
        env = {**os.environ, "XDG_CONFIG_HOME": str(config), "TERM": "xterm-256color",
               "COLUMNS": "120", "LINES": "40", TAG: self.tag}
        self.proc = subprocess.Popen([sys.executable, "-m", "concviz", *argv], cwd=ROOT,
                                     stdin=slave, stdout=slave, stderr=slave, env=env,
                                     start_new_session=True, preexec_fn=own_terminal)
        os.close(slave)
        self.master: int | None = master
        self.seen: list[bytes] = []
        self._closing = threading.Event()
        self._drainer = threading.Thread(target=self._drain, args=(master,), daemon=True)
        self._drainer.start()

    def _drain(self, master: int) -> None:
        while not self._closing.is_set():
            if not select.select([master], [], [], 0.05)[0]:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.seen.append(chunk)

    def close_terminal(self) -> None:
        """What closing the window does: the terminal's other end goes away, and the
        kernel hangs it up (SIGHUP, then SIGCONT, to the app; its writes now fail)."""
        self._closing.set()
        self._drainer.join()  # not reading it any more: the close really releases it
        os.close(self.master)
        self.master = None

    def wait_for(self, text: bytes, timeout: float = 30.0) -> None:
        wait_until(lambda: text in b"".join(self.seen), f"{text!r} on screen", timeout)

    def press(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def family(self) -> list[psutil.Process]:
        """Every live process started by this run (concviz and all it started)."""
        found = []
        for proc in psutil.process_iter():
            with contextlib.suppress(psutil.Error):
                if proc.environ().get(TAG) == self.tag and proc.status() != psutil.STATUS_ZOMBIE:
                    found.append(proc)
        return found

    def workers(self) -> list[psutil.Process]:
        """concviz's worker processes (not multiprocessing's resource tracker)."""
        found = []
        for proc in self.family():
            with contextlib.suppress(psutil.Error):  # gone (or a zombie) meanwhile
                if "--multiprocessing-fork" in proc.cmdline():
                    found.append(proc)
        return found

    def end(self) -> None:
        """Whatever a failed test left: killed, so that no run outlives its test."""
        for proc in self.family():
            with contextlib.suppress(psutil.Error):
                proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(5)
        if self.master is not None:
            self.close_terminal()


@pytest.fixture
def tui(tmp_path):
    started: list[Tui] = []

    def start(*argv: str) -> Tui:
        started.append(Tui(*argv, config=tmp_path))
        return started[-1]

    yield start
    for each in started:
        each.end()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_mid_run_ends_the_app_and_its_children(signum, tui):
    app = tui(*THREADS)
    app.wait_for(b"took lock")  # the program's threads are running
    app.proc.send_signal(signum)
    assert app.proc.wait(ENDS_WITHIN) == 128 + signum
    wait_until(lambda: not app.family(), "every descendant ended", 5)


@pytest.mark.parametrize("argv", [POOL_PRIMES, PROCESS_EXECUTOR], ids=["pool", "executor"])
def test_a_hangup_of_the_process_group_ends_concviz_and_its_workers(argv, tui):
    """A closed terminal sends SIGHUP to its whole foreground process group: concviz,
    its workers and multiprocessing's resource tracker. The workers must not die of it
    behind the pool's back (a Pool then restarts them and hangs in terminate(); an
    executor's stop flag waits forever for them): concviz alone ends them."""
    app = tui(*argv)
    wait_until(lambda: len(app.workers()) >= 2, "the workers started", 30)
    app.wait_for(b"pid ")  # and the pane shows them
    os.killpg(app.proc.pid, signal.SIGHUP)
    assert app.proc.wait(ENDS_WITHIN) == 128 + signal.SIGHUP
    wait_until(lambda: not app.family(), "every descendant ended", 5)


@pytest.mark.parametrize("argv", [POOL_PRIMES, PROCESS_EXECUTOR, THREADS],
                         ids=["pool", "executor", "threads"])
def test_closing_the_terminal_ends_concviz_and_everything_it_started(argv, tui):
    """The real thing: the terminal goes away under a running app. Textual's output
    then fails, and its own SIGCONT handler restarts it from the signal handler."""
    app = tui(*argv)
    app.wait_for(b"took lock" if argv is THREADS else b"pid ")
    app.close_terminal()
    app.proc.wait(ENDS_WITHIN)
    wait_until(lambda: not app.family(), "every descendant ended", 5)


def test_a_dead_worker_breaks_the_process_executor_and_q_still_quits(tui):
    app = tui(*PROCESS_EXECUTOR)
    wait_until(lambda: len(app.workers()) == 4, "the four workers started", 30)
    app.wait_for(b"pid ")
    app.workers()[0].kill()
    # The executor finds the pool broken and ends its other workers (as the engine's
    # futures demo reports it: tests/test_broken_pool.py).
    wait_until(lambda: not app.workers(), "the broken pool ended its workers", 10)
    app.press(b"q")
    assert app.proc.wait(ENDS_WITHIN) == 0
    wait_until(lambda: not app.family(), "every descendant ended", 5)


def test_sigkill_of_concviz_leaves_no_executor_worker(tui):
    """SIGKILL runs no clean-up at all, and a ProcessPoolExecutor's idle worker would
    wait for work forever: the workers must see their parent go."""
    app = tui(*PROCESS_EXECUTOR)
    wait_until(lambda: len(app.workers()) >= 2, "the workers started", 30)
    app.proc.kill()
    app.proc.wait(ENDS_WITHIN)
    # a worker still starting when concviz is killed ends once its start reaches
    # end_with_parent: on a loaded machine that once took more than 5 s
    wait_until(lambda: not app.family(), "every worker ended with its parent", 30)


def test_a_stuck_worker_thread_does_not_keep_concviz_alive():
    """A non-daemon thread that never ends (an executor worker gone wrong) must not
    make Python's shutdown wait forever once the app has quit."""
    code = (
        "import threading, sys\n"
        "from concviz.engine.reaper import exit_without_stragglers\n"
        "threading.Thread(target=threading.Event().wait).start()\n"
        "sys.exit(exit_without_stragglers(7, timeout=0.2))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], timeout=20, cwd=ROOT)
    assert proc.returncode == 7


def test_a_signal_after_the_app_quit_still_ends_a_stuck_clean_up(monkeypatch):
    """After q the loop is gone; SIGTERM during a clean-up that hangs once did nothing
    at all (it was ignored). Now it sets the same deadline a signal mid-run does."""
    import asyncio

    from concviz.engine import reaper

    ended: list[int] = []
    monkeypatch.setattr(reaper, "GRACE", 0.01)
    monkeypatch.setattr(reaper, "exit_now", ended.append)
    before = {sig: signal.getsignal(sig) for sig in reaper.QUIT_SIGNALS}
    loop = asyncio.new_event_loop()
    try:
        with reaper.quit_on_signals(loop, lambda signum: None):
            pass  # the app ran and quit
        os.kill(os.getpid(), signal.SIGTERM)
        wait_until(lambda: ended == [128 + signal.SIGTERM], "the deadline never came")
    finally:
        loop.close()
        for sig, handler in before.items():
            signal.signal(sig, handler)
