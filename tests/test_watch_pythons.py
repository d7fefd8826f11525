"""The probe on every CPython from 3.11 this machine has (3.13 made threading.Lock a
class): the same program prints the same under the probe as bare."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_probe import EVERY_PRIMITIVE

VERSIONS = ("3.11", "3.12", "3.13", "3.14")
PYENV = Path.home() / ".pyenv" / "versions"


def interpreter(version: str) -> str | None:
    """``pythonX.Y`` on the PATH, or one pyenv installed (its shims may not be enabled)."""
    candidates = [shutil.which(f"python{version}"),
                  *map(str, sorted(PYENV.glob(f"{version}.*/bin/python{version}")))]
    for found in filter(None, candidates):
        works = subprocess.run([found, "-c", "pass"], capture_output=True, timeout=30)
        if works.returncode == 0:
            return found
    return None


@pytest.mark.parametrize("version", VERSIONS)
def test_every_primitive_under_the_probe_on_each_python(version: str, tmp_path: Path) -> None:
    python = interpreter(version)
    if python is None:
        pytest.skip(f"no python{version} here")
    program = tmp_path / "every.py"
    program.write_text(EVERY_PRIMITIVE)
    bare = subprocess.run([python, str(program)], capture_output=True, text=True, timeout=60)
    events = tmp_path / "events.jsonl"
    watched = subprocess.run(
        [sys.executable, "-m", "concviz", "watch", "--plain", "--events", str(events),
         "--python", python, str(program)], capture_output=True, text=True, timeout=60)
    assert (watched.returncode, watched.stdout) == (bare.returncode, bare.stdout)
    header = events.read_text().splitlines()[0]
    assert f'"python_version": "{version}.' in header
