"""``concviz list`` and ``concviz show NAME``: what the catalogue holds, and a program's
file exactly as concviz runs it (the text a teacher hands out). Neither loads a demo."""

from __future__ import annotations

import argparse
import sys
import textwrap

from concviz.commands.watch import assignment
from concviz.programs import catalogue
from concviz.watch.programs import changed_source, resolve

LIST_SUMMARY = "list every program of the catalogue: its name, its file, what it teaches"
SHOW_SUMMARY = "print a program's file exactly as concviz runs it"
WIDTH = 80  # columns of a listing
INDENT = "    "  # a summary's, under its name
ENGINE = "(engine demo: starts processes)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``concviz show``'s."""
    parser.add_argument("--set", metavar="NAME=VALUE", dest="knobs", type=assignment,
                        action="append", default=[],
                        help="print the copy that --set runs: this top-level constant "
                             "changed (repeatable)")
    parser.add_argument("program", metavar="PROGRAM",
                        help="a catalogue program's name (lock, seed:ques4) or a Python file")


def listing() -> str:
    """Every entry, section by section: name and file on a line, the summary under them."""
    entries = list(catalogue.CATALOGUE.values())
    width = max((len(entry.name) for entry in entries), default=0)
    blocks = []
    for section in dict.fromkeys([*catalogue.SECTIONS, *(e.section for e in entries)]):
        rows = [section]
        for entry in (e for e in entries if e.section == section):
            rows.append(f"  {entry.name:<{width}}  {entry.file or ENGINE}")
            rows.append(textwrap.fill(entry.summary, WIDTH, initial_indent=INDENT,
                                      subsequent_indent=INDENT, break_on_hyphens=False))
        if len(rows) > 1:
            blocks.append("\n".join(rows))
    return "\n\n".join(blocks)


def run_list() -> int:
    print(listing())
    return 0


def run_show(args: argparse.Namespace) -> int:
    """The file's bytes to stdout, untouched (with --set: the copy's)."""
    path = resolve(args.program).path
    raw = changed_source(path, dict(args.knobs)) if args.knobs else path.read_bytes()
    sys.stdout.flush()
    sys.stdout.buffer.write(raw)
    sys.stdout.buffer.flush()
    return 0
