"""The command line: the seed's transcript, and one clear line for bad input."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from concviz.cli import main

TRANSCRIPT = re.compile(
    r"^(Producer added \d+ \| List: \[[\d, ]*\]"
    r"|Consumer removed \d+ \| List: \[[\d, ]*\]"
    r"|Consumer found list empty"
    r"|Final list: \[\])$"
)


def test_plain_transcript_is_the_seeds_format(capsys):
    assert main(["run", "producer-consumer", "--plain", "--speed", "10", "--seed", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    *transcript, summary = lines
    assert all(TRANSCRIPT.match(line) for line in transcript), transcript
    assert transcript[-1] == "Final list: []"
    assert sum(line.startswith("Producer added") for line in transcript) == 10
    assert sum(line.startswith("Consumer removed") for line in transcript) == 10
    assert summary.startswith("Summary: 10 items, 10 produced, 10 consumed, lock ON,")
    assert "races detected" in summary


def test_several_threads_are_named_in_the_transcript(capsys):
    main(["run", "producer-consumer", "--plain", "--speed", "10", "--items", "6",
          "--producers", "2", "--consumers", "2"])
    out = capsys.readouterr().out
    assert re.search(r"^Producer-[12] added \d+ \| List: ", out, re.M)
    assert re.search(r"^Consumer-[12] (removed|found)", out, re.M)


def test_no_lock_is_reported(capsys):
    main(["run", "producer-consumer", "--plain", "--speed", "10", "--items", "5", "--no-lock"])
    assert "lock OFF" in capsys.readouterr().out


@pytest.mark.parametrize(
    "bad",
    [
        ["--items", "0"],
        ["--items", "-3"],
        ["--items", "1001"],
        ["--items", "ten"],
        ["--producers", "9"],
        ["--consumers", "0"],
        ["--speed", "0"],
        ["--speed", "11"],
        ["--speed", "fast"],
        ["--speed", "nan"],
        ["--seed", "-1"],
        ["--bogus"],
    ],
)
def test_bad_values_give_one_line_and_status_2(bad, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "producer-consumer", "--plain", *bad])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "error:" in err and "Traceback" not in err


def test_unknown_demo_is_one_line():
    done = subprocess.run(
        [sys.executable, "-m", "concviz", "run", "no-such-demo"],
        capture_output=True, text=True, timeout=30,
    )
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "invalid choice" in done.stderr


def test_list_names_every_demo(capsys):
    assert main(["list"]) == 0
    assert "producer-consumer" in capsys.readouterr().out


def test_a_reader_that_leaves_early_is_no_error():
    """`concviz run ... --plain | head -1`: no BrokenPipeError traceback."""
    proc = subprocess.run(
        f"{sys.executable} -m concviz run producer-consumer --plain --speed 10 | head -1",
        shell=True, capture_output=True, text=True, timeout=60,
    )
    assert proc.stdout.startswith("Producer added 0")
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("option", ["--producer-sleep", "--consumer-sleep"])
def test_a_sleep_range_with_low_above_high_is_refused(option, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "producer-consumer", "--plain", option, "10", "0"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "LOW (10) is above HIGH (0)" in err[0]


@pytest.mark.parametrize("argv", [
    ["run", "producer-consumer", "--plain", "--items", "9" * 10_000],
    ["run", "producer-consumer", "--plain", "--speed", "x" * 10_000],
    ["run", "x" * 10_000],
    ["--theme", "y" * 10_000],
])
def test_a_huge_bad_value_is_cut_in_the_message(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert len(err) < 400 and "characters" in err


def test_version(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"concviz {version('concviz')}"


@pytest.mark.parametrize("argv", [[], ["run", "lock"], ["lesson"]])
def test_without_a_terminal_the_tui_says_so_and_exits_2(argv):
    """`concviz </dev/null` once spun a core in Textual's input thread with no way out."""
    done = subprocess.run([sys.executable, "-m", "concviz", *argv], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    err = done.stderr.strip().splitlines()
    assert len(err) == 1 and "not a terminal" in err[0] and "--plain" in err[0], err


def test_stdout_to_a_file_is_no_reason_to_refuse_the_app():
    """Textual draws on stderr: `concviz > out.txt` in a terminal is fine, while
    stderr away from a terminal is not."""
    import io
    from unittest import mock

    from concviz import cli

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    with mock.patch.object(cli.sys, "stdin", Tty()), mock.patch.object(cli.sys, "__stderr__",
                                                                       Tty()):
        with mock.patch.object(cli.sys, "stdout", io.StringIO()):
            assert cli.no_terminal() is None
        with mock.patch.object(cli.sys, "__stderr__", io.StringIO()):
            assert "standard error is not a terminal" in cli.no_terminal()
