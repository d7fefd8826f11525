"""``concviz run process --plain``: seed ques.3's Process, as a transcript."""

from __future__ import annotations

import argparse

from concviz.commands.args import add_common
from concviz.commands.plain import stream
from concviz.engine.events import Event, ThreadFailed
from concviz.engine.seed_process import ChildPrinted, ProcessCreated, ProcessJoined, SeedProcess

NAMES = {SeedProcess.name: SeedProcess.summary}


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    add_common(parser)


def transcript_line(event: Event) -> str | None:
    match event:
        case ProcessCreated(name=name):
            return f"p = Process(target=task): {name} created, not running yet"
        case ChildPrinted(text=text):
            return text  # the seed's own output, printed by the child
        case ThreadFailed(thread=who, error=error):
            return f"{who} failed: {error}"
        case ProcessJoined(name=name, pid=pid, exitcode=code, parent_pid=parent):
            return (f"p.join() returned: {name} (pid {pid}, started by pid {parent}) "
                    f"exit code {code}")
    return None


def run_plain(args: argparse.Namespace) -> int:
    events = stream(SeedProcess(seed=args.seed, speed=args.speed), transcript_line)
    done = [e for e in events if isinstance(e, ProcessJoined)]
    return 0 if done and done[0].exitcode == 0 else 1
