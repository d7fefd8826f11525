"""Argument types that turn bad input into one clear sentence."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable

SHOWN = 40  # characters of a bad value repeated in an error message


def shorten(text: str) -> str:
    """A bad value as the message repeats it: a 10 KB paste is cut, its length said."""
    if len(text) <= SHOWN:
        return repr(text)
    return f"{text[:SHOWN]!r}... ({len(text)} characters)"


def shorten_quoted(message: str) -> str:
    """Cut every long quoted value in one of argparse's own messages."""
    return re.sub(f"'([^']{{{SHOWN + 1},}})'", lambda m: shorten(m.group(1)), message)


def int_range(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected a whole number from {low} to {high}, got {shorten(text)}"
            ) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}, got {shorten(text)}")
        return value

    parse.__name__ = "number"
    return parse


def float_range(low: float, high: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = float(text.rstrip("x"))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected a number from {low:g} to {high:g}, got {shorten(text)}"
            ) from None
        if not low <= value <= high:  # also rejects nan
            raise argparse.ArgumentTypeError(
                f"must be from {low:g} to {high:g}, got {shorten(text)}")
        return value

    parse.__name__ = "number"
    return parse


def seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {shorten(text)}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def add_common(parser: argparse.ArgumentParser) -> None:
    """Options every demo takes."""
    from concviz.engine.demo import MAX_SPEED, MIN_SPEED

    parser.add_argument("--plain", action="store_true", help="print a text transcript (no TUI)")
    add_theme(parser)
    parser.add_argument("--seed", type=seed, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--speed",
        type=float_range(MIN_SPEED, MAX_SPEED),
        default=1.0,
        help=f"speed factor applied to every sleep, {MIN_SPEED:g} to {MAX_SPEED:g} (default 1)",
    )


def add_theme(parser: argparse.ArgumentParser) -> None:
    """``--theme``, absent unless given (so a subcommand never hides the top level's)."""
    from concviz.config import THEMES

    parser.add_argument("--theme", choices=THEMES, default=argparse.SUPPRESS,
                        help="colours: projector (high contrast), light or textual-dark; "
                             "remembered for next time")
