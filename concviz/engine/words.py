"""Numbers in sentences: ``1 time``, ``2 times``."""

from __future__ import annotations


def plural(count: int, word: str, many: str = "") -> str:
    """``count`` and ``word``, or its plural (``many``, else ``word`` + s) unless it is 1."""
    return f"{count} {word if count == 1 else many or word + 's'}"
