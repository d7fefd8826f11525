"""An ASCII locale (LC_ALL=C, no UTF-8 mode) still draws boxes, not ``\\u250f`` escapes."""

from __future__ import annotations

from tests.test_signals import tui  # noqa: F401 (the fixture)


def test_an_ascii_locale_still_draws_the_screen(tui, monkeypatch):  # noqa: F811
    monkeypatch.setenv("LC_ALL", "C")  # the app's environment is a copy of ours
    monkeypatch.setenv("PYTHONUTF8", "0")
    app = tui()  # the dashboard
    app.wait_for(b"producer-consumer")  # its first pane's title
    app.wait_for("━━━".encode())
    assert b"\\u25" not in b"".join(app.seen)
