"""The user's remembered choices (the theme), kept as JSON in the XDG config folder."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

THEMES = ("projector", "light", "textual-dark")
DEFAULT_THEME = "projector"
# Set for each tab of ``concviz serve``: a tab's choices are its own, not the next tab's.
NO_SAVE = "CONCVIZ_NO_SAVE"


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "concviz" / "config.json"


def load() -> dict[str, Any]:
    """The saved settings; a missing or damaged file gives the defaults."""
    try:
        data = json.loads(config_path().read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(**settings: Any) -> None:
    """Merge ``settings`` into the file; a read-only home is not worth a crash."""
    if os.environ.get(NO_SAVE):
        return
    path = config_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({**load(), **settings}, indent=2) + "\n")
    except OSError:
        pass


def saved_theme() -> str:
    theme = load().get("theme")
    return theme if theme in THEMES else DEFAULT_THEME
