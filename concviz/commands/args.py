"""Argument types that turn bad input into one clear sentence."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def int_range(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected a whole number from {low} to {high}, got {text!r}"
            ) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}, got {value}")
        return value

    parse.__name__ = "number"
    return parse


def float_range(low: float, high: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = float(text.rstrip("x"))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected a number from {low:g} to {high:g}, got {text!r}"
            ) from None
        if not low <= value <= high:  # also rejects nan
            raise argparse.ArgumentTypeError(f"must be from {low:g} to {high:g}, got {text}")
        return value

    parse.__name__ = "number"
    return parse


def seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
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
