"""The parent's side of starting a program under the probe: the child's command line."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent  # the folder holding ``concviz/``

# Put concviz's folder first on the path only long enough to import the probe: another
# interpreter (--python) need not have concviz installed.
BOOT = ("import sys; sys.path.insert(0, sys.argv[1]); "
        "from concviz.probe.runner import main; main(sys.argv[2:])")


def command(program: Path, args: Sequence[str], *, python: str, events_fd: int,
            control_fd: int, output: str = "pass", seed: int | None = None,
            show: Sequence[str] = (), speed: float = 1.0, shown_as: Path | None = None,
            argv0: str | None = None) -> list[str]:
    """The argv that runs ``program`` with ``args`` under the probe in ``python``.

    The child writes the wire format to ``events_fd`` and reads control lines from
    ``control_fd`` (both must be passed to it). ``output`` is ``pass`` (the program's
    writes also reach its real stdout/stderr) or ``events`` (only ``out`` events).
    ``argv0`` is ``sys.argv[0]`` as the program sees it (default: the file shown).
    """
    shown = shown_as or program
    options = {"output": output, "seed": seed, "show": list(show), "speed": speed,
               "shown_as": str(shown), "argv0": argv0 or str(shown)}
    return [python, "-c", BOOT, str(ROOT), str(events_fd), str(control_fd),
            json.dumps(options), str(program), *args]
