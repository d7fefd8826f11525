"""The command line: the seed's program run as text, and one clear line for bad input."""

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
    r"|Final list: \[[\d, ]*\])$"
)


def test_plain_output_is_the_seeds_own(capfd):
    """`concviz run seed:ques4 --plain`: the seed's program runs, its output unchanged."""
    assert main(["run", "seed:ques4", "--plain", "--speed", "10", "--seed", "1"]) == 0
    transcript = capfd.readouterr().out.splitlines()
    assert all(TRANSCRIPT.match(line) for line in transcript), transcript
    assert transcript[-1].startswith("Final list: ")
    assert sum(line.startswith("Producer added") for line in transcript) == 10
    assert sum(line.startswith("Consumer") for line in transcript) == 10


@pytest.mark.parametrize(
    "bad",
    [
        ["--speed", "0"],
        ["--speed", "11"],
        ["--speed", "fast"],
        ["--speed", "nan"],
        ["--seed", "-1"],
        ["--set", "ITEMS"],
        ["--bogus"],
    ],
)
@pytest.mark.parametrize("name", ["seed:ques4", "process"])
def test_bad_values_give_one_line_and_status_2(name, bad, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["run", name, "--plain", *bad])
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
        f"{sys.executable} -m concviz run process --plain --speed 10 | head -1",
        shell=True, capture_output=True, text=True, timeout=60,
    )
    assert proc.stdout.startswith("p = Process(target=task)")
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("argv", [
    ["run", "seed:ques4", "--plain", "--set", "9" * 10_000],
    ["run", "seed:ques4", "--plain", "--speed", "x" * 10_000],
    ["run", "x" * 10_000],
    ["--theme", "y" * 10_000],
])
def test_a_huge_bad_value_is_cut_in_the_message(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert len(err) < 1000 and "characters" in err  # the names of the choices, not 10 KB


def test_version(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"concviz {version('concviz')}"


@pytest.mark.parametrize("argv", [[], ["run", "seed:ques4"], ["run", "process"],
                                  ["watch", "seed:ques7"], ["lesson"]])
def test_without_a_terminal_the_tui_says_so_and_exits_2(argv):
    """`concviz </dev/null` once spun a core in Textual's input thread with no way out."""
    done = subprocess.run([sys.executable, "-m", "concviz", *argv], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    err = done.stderr.strip().splitlines()
    assert len(err) == 1 and "not a terminal" in err[0] and "--plain" in err[0], err
    if argv[:1] == ["run"]:
        assert f"`concviz run {argv[1]} --plain`" in err[0]


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
