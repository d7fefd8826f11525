"""``concviz watch --plain`` when the program or concviz itself fails: bad input is one line
and status 2; a program's own failure is shown as the program's, with its own status; and
however the run ends, no process it started is left alive.

Every run is tagged with an environment variable that each descendant inherits, so "none
is left" is checked over all of them, even those that left the process group."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import psutil
import pytest

from concviz.watch.session import Session
from tests.test_watch_cli import first_event

ROOT = Path(__file__).resolve().parent.parent
TAG = "CONCVIZ_TEST_WATCH_FAMILY"
RUNS_WITHIN = 30.0  # seconds, on a loaded 2-core machine


def program(tmp_path: Path, source: str, name: str = "prog.py") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return path


def family(tag: str) -> list[psutil.Process]:
    """Every live process carrying ``tag`` in its environment (zombies are dead)."""
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get(TAG) == tag and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
        except psutil.Error:
            continue
    return found


def watch(*argv: str | Path, tag: str = "", **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "concviz", "watch", "--plain", *map(str, argv)],
                          cwd=ROOT, capture_output=True, text=True, timeout=RUNS_WITHIN,
                          env={**os.environ, TAG: tag}, **options)


def started(*argv: str | Path, tag: str) -> subprocess.Popen:
    """concviz watching a program that prints "ready" once it has started everything;
    returns once it has."""
    proc = subprocess.Popen([sys.executable, "-m", "concviz", "watch", "--plain",
                             *map(str, argv)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, TAG: tag})
    assert proc.stdout.readline() == "ready\n", proc.stderr.read()
    return proc


# Bad input to concviz

@pytest.mark.parametrize(("argv", "said"), [
    (["nowhere.py"], "no such file: nowhere.py"),
    (["tests"], "tests is a directory, not a Python file"),
    (["seed:ques99"], "there is no seed program 'seed:ques99'; the seed programs are"),
    (["--python", "/no/such/python", "x.py"], "no such file"),
    (["--speed", "50", "x.py"], "must be from 0.1 to 10"),
    (["--set", "ITEMS", "x.py"], "expected NAME=VALUE"),
])
def test_bad_input_is_one_line_and_status_2(argv, said):
    done = watch(*argv)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert said in done.stderr
    assert "Traceback" not in done.stderr


def test_a_python_that_cannot_run_is_bad_input(tmp_path):
    prog = program(tmp_path, "print('hi')\n")
    not_a_program = program(tmp_path, "just text\n", "python")
    not_a_program.chmod(0o755)
    done = watch("--python", not_a_program, prog)
    assert done.returncode == 2
    assert done.stderr.startswith("concviz: error: cannot run"), done.stderr
    assert "Traceback" not in done.stderr


def test_a_python_that_does_not_run_the_probe_is_bad_input(tmp_path):
    done = watch("--python", "/bin/true", program(tmp_path, "print('hi')\n"))
    assert done.returncode == 2
    assert "/bin/true did not start concviz's probe" in done.stderr


# The program's own failures, as the program's

def test_a_syntax_error_is_the_programs_as_python_shows_it(tmp_path):
    prog = program(tmp_path, "x = 1\ndef f(:\n    pass\n")
    done = watch(prog)
    assert done.returncode == 1
    assert f'File "{prog}", line 2' in done.stderr
    assert "SyntaxError" in done.stderr


def test_an_error_at_import_shows_the_programs_traceback_and_no_concviz_frame(tmp_path):
    prog = program(tmp_path, """\
        def fail():
            raise ValueError("boom")

        fail()
        """)
    done = watch(prog)
    assert done.returncode == 1
    assert "Traceback (most recent call last):" in done.stderr
    assert f'File "{prog}", line 2, in fail' in done.stderr
    assert "ValueError: boom" in done.stderr
    assert "concviz/probe" not in done.stderr


@pytest.mark.parametrize(("source", "status"), [
    ("import sys\nsys.exit(3)\n", 3),
    ("import os\nos._exit(4)\n", 4),
    ("print('fine')\n", 0),
])
def test_concviz_exits_with_the_programs_status(tmp_path, source, status):
    assert watch(program(tmp_path, source)).returncode == status


def test_a_segfault_is_the_programs_death_by_signal(tmp_path):
    done = watch(program(tmp_path, "import ctypes\nctypes.string_at(0)\n"))
    assert done.returncode == 128 + signal.SIGSEGV
    assert "concviz: the program died: SIGSEGV" in done.stderr


def test_the_program_reads_its_piped_input_and_end_of_file(tmp_path):
    prog = program(tmp_path, "import sys\nprint(sys.stdin.read().upper(), end='')\n")
    assert watch(prog, input="piped in\n").stdout == "PIPED IN\n"
    assert watch(prog, stdin=subprocess.DEVNULL).stdout == ""


def test_arguments_after_the_program_are_the_programs_even_options(tmp_path):
    prog = program(tmp_path, "import sys\nprint(sys.argv[1:])\n")
    done = watch(prog, "--help", "-x", "--seed", "3")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "['--help', '-x', '--seed', '3']\n"


def test_a_hundred_thousand_lines_all_arrive_in_order(tmp_path):
    prog = program(tmp_path, "for i in range(100_000):\n    print(i)\n")
    done = watch("--events", tmp_path / "trace.jsonl", prog)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "".join(f"{i}\n" for i in range(100_000))


def test_a_program_that_runs_its_own_subprocesses(tmp_path):
    prog = program(tmp_path, """\
        import subprocess
        import sys

        subprocess.run([sys.executable, "-c", "print('the child says hi')"], check=True)
        print(subprocess.run(["echo", "echoed"], capture_output=True, text=True).stdout, end="")
        """)
    done = watch(prog)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "the child says hi\nechoed\n"


# Ending it: nothing is left

FOREVER = """\
    import multiprocessing
    import subprocess
    import time

    def spin():
        while True:
            time.sleep(0.05)

    if __name__ == "__main__":
        sleeper = subprocess.Popen(["sleep", "1000"])
        worker = multiprocessing.Process(target=spin)
        worker.start()
        print("ready", flush=True)
        while True:
            time.sleep(0.05)
    """


@pytest.mark.parametrize(("signum", "status"), [
    (signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGHUP, 129)])
def test_a_signal_to_concviz_ends_the_program_and_all_it_started(tmp_path, signum, status):
    tag = uuid.uuid4().hex
    proc = started(program(tmp_path, FOREVER), tag=tag)
    assert len(family(tag)) >= 4  # concviz, the program, sleep, the Process
    proc.send_signal(signum)
    assert proc.wait(RUNS_WITHIN) == status
    assert f"concviz: interrupted ({signum.name}): ended the program" in proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    assert family(tag) == []


def test_a_process_that_left_the_group_is_ended_too(tmp_path):
    """A daemon in its own session, still running when the program that started it ends:
    plain Python would leave it behind; concviz ends it."""
    tag = uuid.uuid4().hex
    prog = program(tmp_path, """\
        import subprocess

        subprocess.Popen(["sleep", "1000"], start_new_session=True)
        print("ready", flush=True)
        """)
    done = watch(prog, tag=tag)
    assert done.returncode == 0, done.stderr
    assert family(tag) == []


def test_a_program_that_ignores_sigterm_is_killed_after_the_grace(tmp_path):
    prog = program(tmp_path, """\
        import signal
        import time

        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("ready", flush=True)
        while True:
            time.sleep(0.05)
        """)
    session = Session(prog, output="events")
    session.start()
    try:
        first_event(session, lambda e: e["kind"] == "out" and "ready" in e["text"])
    finally:
        session.stop(grace=0.3)
    assert session.returncode == -signal.SIGKILL
    assert session.exit_text() == "ended by concviz (SIGKILL)"


def test_stop_leaves_no_process_and_no_zombie(tmp_path):
    prog = program(tmp_path, """\
        import subprocess
        import time

        subprocess.Popen(["sleep", "1000"])
        subprocess.Popen(["sleep", "1000"], start_new_session=True)
        print("ready", flush=True)
        while True:
            time.sleep(0.05)
        """)
    session = Session(prog, output="events")
    session.start()
    try:
        first_event(session, lambda e: e["kind"] == "out" and "ready" in e["text"])
        started = psutil.Process(session.pid).children(recursive=True)
        assert len(started) == 2
    finally:
        session.stop()
    assert session.exit_text() == "ended by concviz (SIGTERM)"
    for pid in (session.pid, *(p.pid for p in started)):
        assert not psutil.pid_exists(pid)  # a zombie would still be there


def test_a_deadlock_is_named_and_ended_by_concviz(tmp_path):
    prog = program(tmp_path, """\
        import threading

        first = threading.Lock()
        second = threading.Lock()
        alpha_has_first = threading.Event()
        beta_has_second = threading.Event()

        def one():
            with first:
                alpha_has_first.set()
                beta_has_second.wait()
                with second:
                    pass

        def two():
            with second:
                beta_has_second.set()
                alpha_has_first.wait()
                with first:
                    pass

        alpha = threading.Thread(target=one, name="alpha")
        beta = threading.Thread(target=two, name="beta")
        alpha.start()
        beta.start()
        alpha.join()
        """)
    done = watch("--deadlock-grace", "0.2", prog)
    assert done.returncode == 124, done.stderr
    found = [line for line in done.stderr.splitlines()
             if line.startswith("concviz: ") and "deadlock" in line and "lock-order" not in line]
    assert found, done.stderr
    for name in ("alpha", "beta", "first", "second", "line 12", "line 19"):
        assert name in found[0], found[0]
    assert ("concviz: ended the program: no thread of the deadlock moved in 0.2 s. Plain "
            "Python ends none of these waits") in done.stderr


def test_a_program_writing_nonsense_into_the_probes_pipe_gets_no_traceback(tmp_path):
    program = tmp_path / "inject.py"
    program.write_text(textwrap.dedent("""\
        import os
        for fd in range(3, 12):  # whichever is the probe's pipe
            try:
                os.write(fd, b'{"kind":"acquired","t":0.1,"tid":1,"thread":"x"}\\n'
                             b'{"kind":"block","t":0.1,"tid":1,"thread":"x","obj":"no"}\\n[1]\\n')
            except OSError:
                pass
        print("wrote")
        """))
    done = watch(program)
    assert (done.returncode, done.stdout) == (0, "wrote\n")
    assert "Traceback" not in done.stderr and "could not read a line" in done.stderr
