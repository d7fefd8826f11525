"""The program's names for its threads, and where in its files they are, as every watch
widget writes them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from concviz.watch.state import ProgramState


def thread_name(state: ProgramState, tid: int | None) -> str:
    """A thread's name (``threading.current_thread().name``), or ``thread <tid>``."""
    if tid is None:
        return "nobody"
    thread = state.threads.get(tid)
    return thread.name if thread is not None else f"thread {tid}"


def thread_names(state: ProgramState, tids: Iterable[int]) -> list[str]:
    return [thread_name(state, tid) for tid in tids]


def where(state: ProgramState, file: str | None, line: int | None) -> str:
    """``line 12`` in the program's own file, ``helper.py:12`` in another of its files."""
    if line is None:
        return ""
    if file is None or file == state.header.get("program"):
        return f"line {line}"
    return f"{Path(file).name}:{line}"
