"""``concviz watch``: the session under it (events, raw output, control, a stream it cannot
read, back-pressure), the programs it can name and the knobs their constants make, and
its command line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from concviz.cli import main
from concviz.programs import catalogue
from concviz.programs.catalogue import PROGRAMS, SEED_PREFIX
from concviz.watch import session as session_module
from concviz.watch.programs import (
    ProgramError,
    constants,
    resolve,
    with_constants,
)
from concviz.watch.session import Session

ROOT = Path(__file__).resolve().parent.parent
WITHIN = 30.0  # seconds, on a loaded 2-core machine


def program(tmp_path: Path, source: str, name: str = "prog.py") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return path


def run_to_the_end(session: Session) -> list[dict]:
    events: list[dict] = []
    session.start()
    try:
        while not session.finished:
            session.wait_for_events(0.1)
            events += session.drain()
    finally:
        session.stop()
    return events


def first_event(session: Session, wanted: Callable[[dict], bool]) -> dict:
    """The first event drained that is ``wanted``."""
    deadline = time.monotonic() + WITHIN
    while True:
        for event in session.drain():
            if wanted(event):
                return event
        assert time.monotonic() < deadline, "no such event"
        session.wait_for_events(0.1)


def fake_probe(tmp_path: Path) -> str:
    """A stand-in for the interpreter that writes the program file's bytes to the events
    pipe as they are, so a test says exactly what the stream holds."""
    fake = tmp_path / "fake-python"
    fake.write_text(f"#!{sys.executable}\n" + textwrap.dedent("""\
        import os, sys
        events_fd, program = int(sys.argv[4]), sys.argv[7]
        with open(program, "rb") as source:
            os.write(events_fd, source.read())
        """))
    fake.chmod(0o755)
    return str(fake)


HEADER = json.dumps({"kind": "header", "wire": "concviz-probe", "schema": 1, "t0": 0.0})


# The session

def test_events_mode_tells_the_programs_writes_and_its_raw_output_apart(tmp_path):
    prog = program(tmp_path, """\
        import os
        import sys

        print("through sys.stdout")
        os.write(1, b"straight to fd 1\\n")
        os.write(2, "to fd 2, caf\\u00e9\\n".encode())
        """)
    session = Session(prog, output="events")
    events = run_to_the_end(session)
    assert session.header["wire"] == "concviz-probe"
    assert session.header["program"] == str(prog)
    outs = [e for e in events if e["kind"] == "out"]
    assert "".join(e["text"] for e in outs if not e.get("raw")) == "through sys.stdout\n"
    raw = {e["stream"]: e["text"] for e in outs if e.get("raw")}
    assert raw == {"stdout": "straight to fd 1\n", "stderr": "to fd 2, café\n"}
    assert all(e["tid"] == -1 and e["t"] >= 0 for e in outs if e.get("raw"))
    assert session.exit_text() == "exited normally (status 0)"


@pytest.mark.parametrize(("source", "text"), [
    ("raise SystemExit(3)\n", "exited with status 3"),
    ("import ctypes\nctypes.string_at(0)\n", "died: SIGSEGV (signal 11)"),
])
def test_exit_text_says_how_the_program_ended(tmp_path, source, text):
    session = Session(program(tmp_path, source))
    run_to_the_end(session)
    assert session.exit_text() == text


def test_a_control_message_is_echoed_and_stop_says_concviz_ended_it(tmp_path):
    prog = program(tmp_path, """\
        import time

        while True:
            time.sleep(0.05)
        """)
    with Session(prog) as session:
        assert session.send("speed", factor=2.0)
        echo = first_event(session, lambda e: e["kind"] == "control")
        assert echo["cmd"] == "speed"
    assert session.exit_text() == "ended by concviz (SIGTERM)"
    assert not session.send("resume")  # it is gone


def test_a_line_that_is_not_json_is_reported_not_fatal(tmp_path):
    stream = program(tmp_path, HEADER + "\n{not json at all" + "x" * 500 + "\n"
                     + json.dumps({"kind": "main-end", "t": 1, "thread": "M", "tid": 1}))
    session = Session(stream, python=fake_probe(tmp_path))
    events = run_to_the_end(session)
    assert [e["kind"] for e in events] == ["probe-garbage", "main-end"]
    assert events[0]["text"] == ("{not json at all" + "x" * 500)[:200]
    assert session.error is None


@pytest.mark.parametrize("first", [
    '{"kind": "header", "wire": "something-else", "schema": 1}',
    '{"kind": "header", "wire": "concviz-probe", "schema": 2}',
    "not even json",
])
def test_a_stream_without_a_known_header_is_unreadable(tmp_path, first):
    stream = program(tmp_path, first + "\n" + json.dumps({"kind": "main-end"}) + "\n")
    session = Session(stream, python=fake_probe(tmp_path))
    assert run_to_the_end(session) == []
    assert session.header is None
    assert session.error


def test_a_reader_that_falls_behind_holds_the_program_back(tmp_path, monkeypatch):
    """No more than MAX_BUFFERED events wait in memory: the rest wait in the pipe, and the
    probe's writes with them. None is lost and the order holds."""
    monkeypatch.setattr(session_module, "MAX_BUFFERED", 10)
    count = 10_000  # ~300 KB: more than a pipe holds
    lines = [HEADER] + [json.dumps({"kind": "x", "n": n, "t": 0.0, "tid": 1, "thread": "T"})
                        for n in range(count)]
    session = Session(program(tmp_path, "\n".join(lines) + "\n"), python=fake_probe(tmp_path))
    session.start()
    got: list[int] = []
    try:
        while not session.finished:
            assert len(session._events) <= 10
            session.wait_for_events(0.1)
            got += [e["n"] for e in session.drain(max_items=3)]
    finally:
        session.stop()
    assert got == list(range(count))


def test_a_trace_gets_every_line_as_it_came(tmp_path):
    prog = program(tmp_path, "print('hello')\n")
    trace = tmp_path / "trace.jsonl"
    with open(trace, "wb") as file:
        events = run_to_the_end(Session(prog, output="events", trace=file))
    lines = [json.loads(line) for line in trace.read_text().splitlines()]
    assert lines[0]["kind"] == "header"
    assert lines[1:] == events


# Programs and knobs

def test_a_seed_program_is_found_by_name():
    found = resolve("seed:ques4")
    assert found.path == PROGRAMS / "seed" / "ques4_producer_consumer.py"
    assert (found.name, found.show) == ("seed:ques4", ("shared_list",))
    assert found.summary == catalogue.CATALOGUE["seed:ques4"].summary
    assert not found.processes
    assert resolve("seed:ques8").processes


def test_the_seed_programs_are_the_courses_byte_for_byte():
    course = Path("/work/shared/seed/programs")
    if not course.is_dir():
        pytest.skip("the course's own copies are not on this machine")
    seeds = [entry for entry in catalogue.programs() if entry.name.startswith(SEED_PREFIX)]
    assert len(seeds) == 6
    for seed in seeds:
        assert seed.path.read_bytes() == (course / seed.path.name).read_bytes()


KNOBS = """\
    # -*- coding: utf-8 -*-
    ITEMS = 10  # how many
    NAME = "caf\u00e9"
    RATE: float = 0.5
    DEBUG = False
    OFFSET = -3
    TWICE = 1
    TWICE = 2
    ITEMS_LIST = [1, 2]
    """


def test_constants_are_the_top_level_literals_bound_once(tmp_path):
    assert constants(program(tmp_path, KNOBS)) == {
        "ITEMS": (10, 2), "NAME": ("café", 3), "RATE": (0.5, 4), "DEBUG": (False, 5),
        "OFFSET": (-3, 6)}
    assert constants(program(tmp_path, "def f(:\n", "broken.py")) == {}


def test_a_global_a_function_rebinds_is_no_constant(tmp_path):
    """producer_consumer.py's `added = 0` counts the items; setting it broke the run."""
    source = "ITEMS = 3\nadded = 0\n\n\ndef producer():\n    global added\n    added += 1\n"
    assert constants(program(tmp_path, source)) == {"ITEMS": (3, 1)}


def test_with_constants_changes_only_the_literals(tmp_path):
    original = program(tmp_path, KNOBS)
    out = tmp_path / "out"
    out.mkdir()
    copy = with_constants(original, {"ITEMS": "20", "NAME": "tea", "RATE": "2", "DEBUG": "true",
                                     "OFFSET": "-7"}, out)
    assert copy == out / "prog.py"
    expected = (original.read_bytes().replace(b"= 10", b"= 20")
                .replace("\"café\"".encode(), b"'tea'").replace(b"0.5", b"2.0")
                .replace(b"False", b"True").replace(b"-3", b"-7"))
    assert copy.read_bytes() == expected
    assert original.read_text() == textwrap.dedent(KNOBS)


@pytest.mark.parametrize(("values", "said"), [
    ({"NOPE": "1"}, "has no top-level constant NOPE"),
    ({"TWICE": "3"}, "has no top-level constant TWICE"),
    ({"ITEMS_LIST": "3"}, "has no top-level constant ITEMS_LIST"),
    ({"ITEMS": "many"}, "ITEMS is an int (10 on line 2), and 'many' is not one"),
    ({"ITEMS": "2.5"}, "is not one"),
    ({"DEBUG": "1"}, "DEBUG is a bool"),
    ({"RATE": "inf"}, "RATE is a float"),
])
def test_with_constants_refuses_an_unknown_name_or_another_type(tmp_path, values, said):
    with pytest.raises(ProgramError, match=re.escape(said)):
        with_constants(program(tmp_path, KNOBS), values, tmp_path)


# The command line

def test_list_names_the_seed_programs(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for entry in catalogue.programs():
        assert entry.name in out


def test_bad_input_is_refused_before_any_tui(capsys, tmp_path):
    """Without --plain too: the app never starts for a program that is not there."""
    assert main(["watch", str(tmp_path / "gone.py")]) == 2
    assert capsys.readouterr().err == f"concviz: error: no such file: {tmp_path / 'gone.py'}\n"
    assert main(["watch", "--events", str(tmp_path / "t"), str(program(tmp_path, ""))]) == 2
    assert "add --plain" in capsys.readouterr().err


def test_set_runs_a_copy_with_the_constant_changed(tmp_path):
    prog = program(tmp_path, "ITEMS = 10\nprint(ITEMS * 2)\n")
    done = subprocess.run([sys.executable, "-m", "concviz", "watch", "--plain",
                           "--set", "ITEMS=21", str(prog)], cwd=ROOT, capture_output=True,
                          text=True, timeout=WITHIN)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "42\n"
    assert prog.read_text() == "ITEMS = 10\nprint(ITEMS * 2)\n"


def test_set_refuses_a_constant_the_program_does_not_have(tmp_path, capsys):
    assert main(["watch", "--plain", "--set", "NOPE=1",
                 str(program(tmp_path, "ITEMS = 10\n"))]) == 2
    err = capsys.readouterr().err
    assert err == "concviz: error: prog.py has no top-level constant NOPE to set " \
                  "(its constants: ITEMS)\n"


def test_events_file_holds_the_wire_format_and_the_transcript_is_not_printed(tmp_path):
    prog = program(tmp_path, """\
        import threading

        shared = []
        lock = threading.Lock()
        with lock:
            shared.append(1)
        print("done")
        """)
    trace = tmp_path / "trace.jsonl"
    done = subprocess.run([sys.executable, "-m", "concviz", "watch", "--plain", "--events",
                           str(trace), "--show", "shared", "--seed", "5", str(prog)],
                          cwd=ROOT, capture_output=True, text=True, timeout=WITHIN)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "done\n"
    # only what concviz did, said once: no transcript
    assert done.stderr == "concviz: called random.seed(5) before the program's first line\n"
    events = [json.loads(line) for line in trace.read_text().splitlines()]
    assert events[0]["kind"] == "header"
    assert events[0]["seed"] == 5 and events[0]["show"] == ["shared"]
    assert {"acquired", "release"} <= {e["kind"] for e in events}
    assert [e["value"] for e in events if e["kind"] == "data"][-1] == [1]


TRANSCRIPT_LINE = re.compile(r" *(?P<t>\d+\.\d{3})  (?P<thread>\S.*?)  (?P<text>\S.*)")


def test_the_transcript_names_threads_and_lines(tmp_path):
    prog = program(tmp_path, """\
        import threading

        def work():
            pass

        worker = threading.Thread(target=work, name="worker")
        worker.start()
        worker.join()
        """)
    done = subprocess.run([sys.executable, "-m", "concviz", "watch", "--plain", str(prog)],
                          cwd=ROOT, capture_output=True, text=True, timeout=WITHIN)
    assert done.returncode == 0, done.stderr
    lines = [TRANSCRIPT_LINE.match(line) for line in done.stderr.splitlines()]
    assert lines and all(lines), done.stderr
    assert "worker" in {line["thread"] for line in lines}
    assert any("line 7" in line["text"] for line in lines if line["thread"] == "MainThread")
