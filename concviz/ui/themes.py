"""The classroom themes: high contrast for a projector, and a light one for bright rooms."""

from __future__ import annotations

from textual.theme import Theme

PROJECTOR = Theme(
    name="projector",
    primary="#FFD700",  # bright yellow borders and titles on black: survives a washed-out beamer
    secondary="#00E5FF",
    accent="#FF5FFF",
    warning="#FFAF00",
    error="#FF4040",
    success="#40FF40",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    dark=True,
)

LIGHT = Theme(
    name="light",
    primary="#0033AA",
    secondary="#006060",
    accent="#A00060",
    warning="#9A5B00",
    error="#B00000",
    success="#006000",
    foreground="#000000",
    background="#FFFFFF",
    surface="#FFFFFF",
    panel="#E8E8E8",
    dark=False,
)

THEMES = (PROJECTOR, LIGHT)
