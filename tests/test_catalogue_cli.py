"""The command line reads the catalogue: ``concviz list`` names every entry, ``concviz
show`` prints a program's file as concviz runs it, ``concviz run NAME`` watches a
catalogue program; and an entry added in a test appears in all three."""

from __future__ import annotations

import re
import textwrap

import pytest

from concviz.cli import build_parser, main
from concviz.commands.show import ENGINE
from concviz.programs import catalogue
from concviz.programs.catalogue import PROGRAMS, Entry
from concviz.watch.programs import ProgramError, resolve

SEED_QUES4 = PROGRAMS / "seed" / "ques4_producer_consumer.py"
MINE = """\
    \"\"\"A program added in a test.\"\"\"
    ITEMS = 3  # how many
    NAME = "mine"

    for i in range(ITEMS):
        print(NAME, i)
    """


@pytest.fixture
def mine(tmp_path, monkeypatch):
    """A new catalogue entry, its file an absolute path: what adding a program takes."""
    path = tmp_path / "mine.py"
    path.write_text(textwrap.dedent(MINE))
    entry = Entry("mine", "A program added in a test prints ITEMS lines (ques.0).", str(path))
    monkeypatch.setattr(catalogue, "CATALOGUE", {**catalogue.CATALOGUE, entry.name: entry})
    return entry


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert "error:" in lines[0] and "Traceback" not in err
    return lines[0]


# concviz list

def test_list_shows_every_entry_by_section_in_80_columns(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert all(len(line) <= 80 for line in out.splitlines())
    words = " ".join(out.split())
    sections = [line for line in out.splitlines() if line and not line.startswith(" ")]
    assert sections == list(catalogue.SECTIONS)
    for entry in catalogue.CATALOGUE.values():
        row = re.search(rf"^  {re.escape(entry.name)} +(.+)$", out, re.M)
        assert row is not None, entry.name
        assert row.group(1) == (entry.file or ENGINE)
        assert " ".join(entry.summary.split()) in words
        # under its own section's heading
        assert out.rindex(entry.section + "\n", 0, row.start()) == max(
            out.rfind(s + "\n", 0, row.start()) for s in catalogue.SECTIONS)


def test_list_loads_no_demo():
    """Fast: the catalogue and the command line, never an engine demo or Textual."""
    import subprocess
    import sys

    code = ("import sys; from concviz.cli import main; main(['list']); "
            "print(sorted(m for m in sys.modules if m.startswith(('concviz.engine.', "
            "'textual'))), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=30, check=True)
    assert done.stderr.strip() == "['concviz.engine.reaper']"


# concviz show

@pytest.mark.parametrize("name", [entry.name for entry in catalogue.programs()])
def test_show_prints_the_file_byte_for_byte(name, capsysbinary):
    path = catalogue.CATALOGUE[name].path
    if not path.is_file():
        pytest.skip(f"{path.name} is not written yet")
    assert main(["show", name]) == 0
    assert capsysbinary.readouterr().out == path.read_bytes()


def test_show_seed_ques4_is_the_courses_text(capsysbinary):
    assert main(["show", "seed:ques4"]) == 0
    assert capsysbinary.readouterr().out == SEED_QUES4.read_bytes()


def test_show_takes_a_path_too(tmp_path, capsysbinary):
    path = tmp_path / "any.py"
    path.write_bytes(b"# caf\xc3\xa9\r\nprint(1)\n")  # a CRLF and UTF-8: kept as they are
    assert main(["show", str(path)]) == 0
    assert capsysbinary.readouterr().out == path.read_bytes()


def test_show_set_changes_exactly_that_constant(mine, capsysbinary):
    assert main(["show", "--set", "ITEMS=7", "mine"]) == 0
    source = mine.path.read_bytes()
    assert capsysbinary.readouterr().out == source.replace(b"ITEMS = 3", b"ITEMS = 7", 1)
    assert mine.path.read_bytes() == source  # the file itself is untouched


@pytest.mark.parametrize(("argv", "said"), [
    (["show", "no-such-program"], "there is no program 'no-such-program'; the catalogue's "
                                  "programs are producer-consumer,"),
    (["show", "seed:ques9"], "there is no seed program 'seed:ques9'; the seed programs are "
                             "seed:ques2-executor,"),
    (["show", "gone.py"], "no such file: gone.py"),
    (["show", "pool"], "pool is a process demo that is not a program file yet: "
                       "`concviz run pool` runs it"),
    (["watch", "--plain", "mp-counter"], "mp-counter is a process demo that is not a "
                                         "program file yet"),
    (["show", "--set", "NOPE=1", "seed:ques4"], "has no top-level constant NOPE"),
])
def test_bad_names_say_so_in_one_line_with_status_2(argv, said, capsys):
    assert main(argv) == 2
    line = one_error_line(capsys.readouterr().err)
    assert said in line


@pytest.mark.parametrize("argv", [["show", "--set", "ITEMS", "seed:ques4"], ["show"],
                                  ["run", "no-such-program"]])
def test_bad_arguments_say_so_in_one_line_with_status_2(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    one_error_line(capsys.readouterr().err)


def test_an_unknown_name_lists_the_program_files_not_the_engine_demos():
    with pytest.raises(ProgramError) as error:
        resolve("lokc")
    named = str(error.value).split("are ", 1)[1].removesuffix(" (or give a Python file)")
    assert named.split(", ") == [entry.name for entry in catalogue.programs()]


# concviz run NAME: concviz watch NAME

def test_run_name_is_watch_name():
    def parsed(*argv: str) -> dict:
        found = vars(build_parser().parse_args(argv))
        return {k: v for k, v in found.items() if k not in ("command", "demo", "module")}

    run = build_parser().parse_args(["run", "seed:ques4", "--seed", "2", "--set", "A=1"])
    assert run.module is None  # not an engine demo: main watches it
    assert parsed("run", "seed:ques4", "--seed", "2", "--set", "A=1") == \
        parsed("watch", "--seed", "2", "--set", "A=1", "seed:ques4")


@pytest.mark.parametrize("name", ["lock", "producer-consumer", "futures", "dead-lock-holder"])
def test_a_catalogue_program_wins_over_the_old_demo_of_its_name(name):
    args = build_parser().parse_args(["run", name, "--plain"])
    assert args.module is None and args.program == name


@pytest.mark.parametrize("name", ["pool", "process", "mp-counter", "mp-queue",
                                  "process-exception"])
def test_the_process_demos_still_run_on_the_engine(name):
    args = build_parser().parse_args(["run", name, "--plain"])
    assert args.module is not None and name in args.module.NAMES


def test_the_old_producer_consumer_options_set_the_programs_constants():
    args = build_parser().parse_args(["run", "producer-consumer", "--items", "5",
                                      "--producers", "2", "--consumers", "3", "--no-lock"])
    assert args.program == "producer-consumer-no-lock"
    assert args.knobs == [("ITEMS", "5"), ("PRODUCERS", "2"), ("CONSUMERS", "3")]
    args = build_parser().parse_args(["run", "futures", "--n-max", "100", "--set", "FAIL=3"])
    assert (args.program, args.knobs) == ("futures", [("N", "100"), ("FAIL", "3")])


def test_the_old_options_run_the_lock_free_program_with_its_constants_set(capfd):
    path = catalogue.CATALOGUE["producer-consumer-no-lock"].path
    if not path.is_file():
        pytest.skip(f"{path.name} is not written yet")
    assert main(["run", "producer-consumer", "--plain", "--speed", "10", "--items", "3",
                 "--no-lock"]) == 0
    out, err = capfd.readouterr()
    assert sum(" added " in line for line in out.splitlines()) == 3
    assert f"runs a copy of {path} with the constants --set changed" in err


def test_run_plain_runs_the_seeds_program_under_the_probe(capfd):
    assert main(["run", "seed:ques4", "--plain", "--speed", "10", "--seed", "1"]) == 0
    out, err = capfd.readouterr()
    assert out.splitlines()[-1].startswith("Final list: [")
    assert sum(line.startswith("Producer added ") for line in out.splitlines()) == 10
    assert "MainThread  finished the program's top-level code" in err  # concviz's transcript


def test_run_lock_plain_runs_the_program_file(capfd):
    path = catalogue.CATALOGUE["lock"].path
    if not path.is_file():
        pytest.skip(f"{path.name} is not written yet")
    assert main(["run", "lock", "--plain", "--speed", "10"]) == 0
    assert "concviz: error" not in capfd.readouterr().err


# Adding an entry

def test_an_added_entry_is_listed_shown_and_run(mine, capfd):
    assert main(["list"]) == 0
    out = capfd.readouterr().out
    assert re.search(rf"^  mine +{re.escape(mine.file)}$", out, re.M)
    assert mine.summary in " ".join(out.split())
    assert main(["show", "mine"]) == 0
    assert capfd.readouterr().out == mine.path.read_text()
    assert main(["run", "mine", "--plain", "--set", "ITEMS=2"]) == 0
    assert capfd.readouterr().out == "mine 0\nmine 1\n"


def test_an_added_entry_in_a_new_section_gets_its_heading(tmp_path, monkeypatch, capsys):
    path = tmp_path / "extra.py"
    path.write_text("print('extra')\n")
    entry = Entry("extra", "One more.", str(path), section="Extra programs")
    monkeypatch.setattr(catalogue, "CATALOGUE", {**catalogue.CATALOGUE, "extra": entry})
    assert main(["list"]) == 0
    assert re.search(rf"\n\nExtra programs\n  extra +{re.escape(str(path))}\n    One more\.\n$",
                     capsys.readouterr().out)
