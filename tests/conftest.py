"""Every test gets its own config folder: the app remembers the theme there. And the
tests' children get SIGINT as a user's Ctrl+C gives it."""

from __future__ import annotations

import signal

import pytest

# A shell without job control (a script, `bash -c`) starts a background job such as
# `make test &` with SIGINT ignored (POSIX), and a child inherits an ignored signal:
# concviz then never saw the SIGINT the tests send it, and those tests hung. A handler
# is reset to the default in a child, so this process's children start as they would
# from a terminal.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def own_config_folder(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
