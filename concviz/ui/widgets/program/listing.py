"""The file a program pane shows in the code panel: its text, and each thread's line in
it. Apart from the panel itself (code.py): a pane needs these from its first frame, the
panel only once the code is opened."""

from __future__ import annotations

from pathlib import Path

from concviz.watch import state as st
from concviz.watch.state import ProgramState

ENDED = (st.FINISHED, st.DIED)


def read_code(path: str) -> str | None:
    """The program's text, or None if it cannot be read (gone, not UTF-8)."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def marks(state: ProgramState) -> tuple[dict[str, int], frozenset[str]]:
    """Each program thread's line in the file that runs; the ones that ended (their mark
    stays, with a tick). Threads in the program's other files have no mark here."""
    program = state.header.get("program")
    at: dict[str, int] = {}
    done: set[str] = set()
    for thread in state.threads.values():
        if thread.internal or thread.line is None or thread.file != program:
            continue
        at[thread.name] = thread.line
        if thread.state in ENDED:
            done.add(thread.name)
    return at, frozenset(done)
