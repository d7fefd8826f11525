"""What ``concviz watch``, ``run`` and ``show`` run: a catalogue program's name
(``lock``, ``seed:ques4``: concviz/programs/catalogue.py) or a path, and the knobs a
program's top-level constants make (``--set ITEMS=20``)."""

from __future__ import annotations

import ast
import math
import os
import stat
import tempfile
import tokenize
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from concviz.programs import catalogue
from concviz.programs.catalogue import SEED_PREFIX, Entry

PROCESSES_NOTE = ("processes are not yet probed: only their output and this process's "
                  "threads are shown")


class ProgramError(Exception):
    """Bad input naming a program or a knob; the message is one sentence for the user."""


class Program(NamedTuple):  # see catalogue.Card: why not a dataclass
    path: Path  # absolute: the file that runs
    name: str  # as the user named it: "seed:ques4", "lock" or the path given
    summary: str = ""
    processes: bool = False
    show: tuple[str, ...] = ()  # globals shown unless the command line says others too


def resolve(spec: str) -> Program:
    """The program ``spec`` names, or :class:`ProgramError` saying why there is none. A
    catalogue name comes first: ``./lock`` names a file called lock."""
    entry = catalogue.CATALOGUE.get(spec)
    if entry is not None:
        return _from_entry(entry)
    if spec.startswith(SEED_PREFIX):
        raise ProgramError(f"there is no seed program {spec!r}; the seed programs are "
                           + ", ".join(_names(seed=True)))
    path = Path(spec)
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        if os.sep not in spec and not spec.endswith(".py"):  # meant as a name, not a path
            raise ProgramError(f"there is no program {spec!r}; the catalogue's programs are "
                               + ", ".join(_names()) + " (or give a Python file)") from None
        raise ProgramError(f"no such file: {spec}") from None
    except OSError as error:
        raise ProgramError(f"cannot read {spec}: {error.strerror}") from None
    if stat.S_ISDIR(mode):
        raise ProgramError(f"{spec} is a directory, not a Python file")
    if not stat.S_ISREG(mode):
        raise ProgramError(f"{spec} is not a regular file, so not a Python program")
    if not os.access(path, os.R_OK):
        raise ProgramError(f"cannot read {spec}: permission denied")
    return Program(path.resolve(), spec)


def _from_entry(entry: Entry) -> Program:
    if entry.path is None:
        raise ProgramError(f"{entry.name} is a process demo that is not a program file yet: "
                           f"`concviz run {entry.name}` runs it")
    if not entry.path.is_file():
        raise ProgramError(f"the catalogue's {entry.name} is {entry.path}, which is not there")
    return Program(entry.path.resolve(), entry.name, entry.summary, entry.processes, entry.show)


def _names(seed: bool = False) -> list[str]:
    """The names of the catalogue's program files (or only the seed's)."""
    return [entry.name for entry in catalogue.programs()
            if not seed or entry.name.startswith(SEED_PREFIX)]


# Knobs: top-level constants

Literal = int | float | str | bool


class Knob(NamedTuple):
    name: str
    value: Literal
    line: int
    start: int  # byte offsets of the literal's source text in the file
    end: int


def constants(path: Path) -> dict[str, tuple[Literal, int]]:
    """Every top-level ``NAME = literal`` (int, float, str, bool) bound once, with its
    value and line; none for a file that does not parse (running it says why)."""
    try:
        return {name: (knob.value, knob.line) for name, knob in _knobs(path).items()}
    except (SyntaxError, ValueError):  # ValueError: a null byte in the source
        return {}


def with_constants(program: Path, values: Mapping[str, str],
                   directory: Path | None = None) -> Path:
    """A copy of ``program`` with the constants changed (see :func:`changed_source`), in
    ``directory`` (a new temporary one by default) under the same file name."""
    raw = changed_source(program, values)
    directory = directory or Path(tempfile.mkdtemp(prefix="concviz-"))
    copy = directory / program.name
    copy.write_bytes(raw)
    return copy


def changed_source(program: Path, values: Mapping[str, str]) -> bytes:
    """The bytes of ``program`` with each named constant's literal replaced by the new
    value, every other byte as it was."""
    try:
        knobs = _knobs(program)
    except (SyntaxError, ValueError):
        raise ProgramError(f"cannot set constants in {program.name}: it does not parse "
                           "(run it without --set to see why)") from None
    raw = program.read_bytes()
    changes = []
    for name, text in values.items():
        knob = knobs.get(name)
        if knob is None:
            known = ", ".join(knobs) or "none"
            raise ProgramError(f"{program.name} has no top-level constant {name} to set "
                               f"(its constants: {known})")
        changes.append((knob.start, knob.end, _source_for(knob, text, _encoding(raw))))
    for start, end, new in sorted(changes, reverse=True):
        raw = raw[:start] + new + raw[end:]
    return raw


def _encoding(raw: bytes) -> str:
    encoding, _ = tokenize.detect_encoding(iter(raw.splitlines(keepends=True)).__next__)
    return encoding


def _is_literal(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
        return (isinstance(node, ast.Constant) and isinstance(node.value, int | float)
                and not isinstance(node.value, bool))
    return isinstance(node, ast.Constant) and isinstance(node.value, int | float | str | bool)


def _knobs(path: Path) -> dict[str, Knob]:
    raw = path.read_bytes()
    tree = ast.parse(raw, filename=str(path))
    encoding = _encoding(raw)
    offsets = _Offsets(raw, encoding)
    bound: dict[str, int] = {}
    found: dict[str, Knob] = {}
    for statement in tree.body:
        match statement:
            case ast.Assign(targets=targets, value=value):
                pass
            case ast.AnnAssign(target=target, value=value) if value is not None:
                targets = [target]
            case ast.AugAssign(target=target, value=value):
                targets = [target, target]  # rebinding: never a knob
            case _:
                continue
        names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
        for name in names:
            bound[name] = bound.get(name, 0) + 1
        if len(targets) == 1 and isinstance(targets[0], ast.Name) and _is_literal(value):
            found[targets[0].id] = Knob(
                targets[0].id, ast.literal_eval(value), value.lineno,
                offsets.at(value.lineno, value.col_offset),
                offsets.at(value.end_lineno, value.end_col_offset))
    # a global a function rebinds (`global added; added += 1`) is the program's state
    rebound = {name for node in ast.walk(tree) if isinstance(node, ast.Global)
               for name in node.names}
    return {name: knob for name, knob in found.items()
            if bound[name] == 1 and name not in rebound}


class _Offsets:
    """File byte offsets from the parser's (line, UTF-8 column) positions."""

    def __init__(self, raw: bytes, encoding: str) -> None:
        self.encoding = "utf-8" if encoding == "utf-8-sig" else encoding
        skip = 3 if encoding == "utf-8-sig" else 0  # the BOM, before line 1's first column
        self.lines = raw.splitlines(keepends=True)
        self.starts = []
        total = 0
        for line in self.lines:
            self.starts.append(total + skip)
            total += len(line)
            skip = 0
        if self.lines and encoding == "utf-8-sig":
            self.lines[0] = self.lines[0][3:]

    def at(self, line: int, utf8_column: int) -> int:
        text = self.lines[line - 1].decode(self.encoding)
        chars = len(text.encode("utf-8")[:utf8_column].decode("utf-8"))
        return self.starts[line - 1] + len(text[:chars].encode(self.encoding))


def _source_for(knob: Knob, text: str, encoding: str) -> bytes:
    """The new literal's source text, or :class:`ProgramError` if ``text`` is not a value
    of the constant's type."""
    kind = type(knob.value).__name__
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        value = None
    if isinstance(knob.value, bool):
        value = {"true": True, "false": False}.get(text.strip().lower(), value)
        ok = isinstance(value, bool)
    elif isinstance(knob.value, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(knob.value, float):
        ok = (isinstance(value, int | float) and not isinstance(value, bool)
              and math.isfinite(value))
        value = float(value) if ok else value
    else:  # a str: quoted or not
        value = value if isinstance(value, str) else text
        ok = True
    if not ok:
        raise ProgramError(f"{knob.name} is {'an' if kind == 'int' else 'a'} {kind} "
                           f"({knob.value!r} on line {knob.line}), and {text!r} is not one")
    try:
        return repr(value).encode("utf-8" if encoding == "utf-8-sig" else encoding)
    except UnicodeEncodeError:
        return ascii(value).encode("ascii")
