"""The teaching card every gallery demo carries, in the project's own words."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Card:
    title: str
    purpose: str  # what the primitive or situation is for
    use_when: str  # when to reach for it (the seed's "Use when")
    trade_off: str
    say_in_class: str  # one detail worth saying out loud
