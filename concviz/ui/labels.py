"""Border labels that fit their border: a pane a third of the screen wide once cut its
title and its speed with "…"."""

from __future__ import annotations

import re

LABEL_MARGIN = 6  # a border's corners, and a rule and a blank either side of its label
QUESTION = re.compile(r" \(ques\.\d+\)$")  # a lesson page says which question


def shortest_needed(label: str, room: int) -> str:
    """``label`` as it fits ``room`` cells: whole if it can; else without its question
    number and the words after each ":" ("finished: space runs again" reads
    "finished"); else the longest run of its " · " parts from the first, or single
    part, that fits ("ThreadPoolExecutor" of "Thread pool · ThreadPoolExecutor")."""
    if len(label) <= room:
        return label
    parts = [QUESTION.sub("", part).split(": ")[0] for part in label.split(" · ")]
    if len(brief := " · ".join(parts)) <= room:
        return brief
    runs = [" · ".join(parts[:n]) for n in range(1, len(parts))] + parts
    return max((run for run in runs if len(run) <= room), key=len, default=brief)
