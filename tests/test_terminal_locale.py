"""An ASCII locale (LC_ALL=C, no UTF-8 mode) still draws boxes, not ``\\u250f`` escapes."""

from __future__ import annotations

from tests.test_signals import start_tui, wait_for


def test_an_ascii_locale_still_draws_the_screen(tmp_path, monkeypatch):
    monkeypatch.setenv("LC_ALL", "C")  # start_tui copies the environment
    monkeypatch.setenv("PYTHONUTF8", "0")
    proc, seen = start_tui("run", "producer-consumer", config=str(tmp_path))
    try:
        wait_for(seen, b"Producer / Consumer")
        wait_for(seen, "━━━".encode())
        assert b"\\u25" not in b"".join(seen)
    finally:
        proc.terminate()
        proc.wait(10)
