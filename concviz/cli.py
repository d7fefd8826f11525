"""Command line: ``concviz`` opens the TUI; ``concviz watch PROGRAM`` runs a real program
under the probe (``concviz run NAME`` does the same for a catalogue program, and runs the
process demos still on the engine); ``concviz list`` and ``show`` read the catalogue."""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from concviz.commands import show, watch
from concviz.commands.args import add_theme, int_range, shorten_quoted
from concviz.engine.reaper import (
    exit_without_stragglers,
    interrupt_on_signals,
    quit_on_signals,
    reap_children,
)
from concviz.programs import catalogue
from concviz.serve import add_arguments as add_serve_arguments
from concviz.serve import serve
from concviz.watch.programs import ProgramError

# The engine's demos (they start processes, which the probe does not follow yet)
COMMAND_MODULES = [
    "concviz.commands.seed_process",
    "concviz.commands.failures",
    "concviz.commands.pool",
]


class Parser(argparse.ArgumentParser):
    """Bad input: one clear line on stderr and exit status 2, never a traceback."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {shorten_quoted(message)}\n")


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("concviz")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "(not installed)"


class VersionAction(argparse.Action):
    """``--version``, looked up only when asked: reading the package metadata costs
    ~40 ms, and every start builds the parser."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        print(f"concviz {version()}")  # on stdout, as argparse's own version action does
        parser.exit(0)


def no_terminal(plain: str = "concviz run DEMO --plain") -> str | None:
    """Why the TUI cannot run here, or None. Without a terminal on stdin Textual's
    input thread spins a whole core and no key can quit it. textual-serve runs each
    browser tab's app on pipes with its own driver, which is fine."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return None
    # Textual reads keys from stdin and draws on stderr (stdout may go to a file)
    for name, stream in (("input", sys.stdin), ("error", sys.__stderr__)):
        if stream is None or not stream.isatty():
            return (f"standard {name} is not a terminal: the app needs one; "
                    f"for text, use `{plain}`")
    return None


def utf8_output() -> None:
    """Box drawing on a terminal whose locale says ASCII (LC_ALL=C): Textual draws in
    UTF-8, and an ASCII stream turned every line into ``\u250f`` escapes."""
    for stream in (sys.stdout, sys.stderr):  # Textual writes the screen to stderr
        if (stream.encoding or "").lower().replace("-", "") != "utf8":
            stream.reconfigure(encoding="utf-8")


def command_modules() -> list[ModuleType]:
    return [importlib.import_module(name) for name in COMMAND_MODULES]


def build_parser(with_demos: bool = True) -> Parser:
    """The whole CLI; ``with_demos=False`` skips importing every demo (a faster TUI start)."""
    parser = Parser(prog="concviz", description="Show Python concurrency happening.")
    parser.add_argument("--version", action=VersionAction, nargs=0,
                        help="show the version and exit")
    add_theme(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser("run", help="run one program or demo (add --plain for a text "
                                     "transcript)")
    add_demos(run, with_demos)
    watch.add_arguments(sub.add_parser("watch", help=watch.SUMMARY, description=watch.SUMMARY,
                                       epilog=watch.EPILOG))
    sub.add_parser("list", help=show.LIST_SUMMARY, description=show.LIST_SUMMARY)
    show.add_arguments(sub.add_parser("show", help=show.SHOW_SUMMARY,
                                      description=show.SHOW_SUMMARY))
    lesson = sub.add_parser("lesson", help="teach the seed's questions 1 to 8, a screen each")
    lesson.add_argument("--page", type=int_range(1, 8), default=1,
                        help="the question to open at, 1 to 8 (default 1)")
    add_serve_arguments(sub.add_parser("serve", help="serve the app to web browsers"))
    return parser


def add_demos(run: argparse.ArgumentParser, with_demos: bool) -> None:
    """``concviz run NAME``: each catalogue program is watched; the engine's command
    modules run the process demos."""
    demos = run.add_subparsers(dest="demo", metavar="NAME", required=True)
    if not with_demos:
        return
    for entry in catalogue.programs():
        program = demos.add_parser(entry.name, help=entry.summary, description=entry.summary,
                                   epilog=watch.EPILOG)
        watch.add_run_arguments(program, entry.name)
    for module in command_modules():
        for name, summary in module.NAMES.items():
            demo = demos.add_parser(name, help=summary, description=summary)
            module.add_arguments(demo, name)
            demo.set_defaults(module=module)


def plain_command(args: argparse.Namespace) -> str:
    """The command that prints text instead of starting the app."""
    if args.command == "run":
        return f"concviz run {args.demo} --plain"
    if args.command == "watch":
        return "concviz watch --plain PROGRAM"
    return "concviz run NAME --plain"


def run_tui(args: argparse.Namespace, plain: str) -> int:
    """The app, as ``args`` asks; its exit status. ``plain``: the command that gives text
    instead, said when there is no terminal."""
    if problem := no_terminal(plain):
        print(f"concviz: error: {problem}", file=sys.stderr)
        return 2
    utf8_output()
    # The app's imports, and its start up to the first frame, make ~64,000 objects that
    # live as long as it does and no garbage: collecting during them, and later over
    # them, cost ~20 ms before the first frame. The collector stays off until that
    # frame is out; the app then freezes them and turns it on (see collect_from_now).
    gc.disable()
    import asyncio  # here: Textual imports it anyway, a transcript need not

    from concviz.ui.app import ConcvizApp

    app = ConcvizApp(args)
    with asyncio.Runner() as runner:  # asyncio.run(), with the loop in hand first
        loop = runner.get_loop()
        with quit_on_signals(loop, lambda signum: app.exit(return_code=128 + signum)):
            app.run(loop=loop)
    return exit_without_stragglers(app.return_code or 0)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(with_demos="run" in argv).parse_args(argv)
    try:
        with interrupt_on_signals():
            if args.command == "list":
                return show.run_list()
            if args.command == "show":
                return show.run_show(args)
            if args.command == "serve":
                return serve(args)
            plain = plain_command(args)
            if args.command == "run" and args.module is None:  # a catalogue program:
                # watched, but a dashboard program opens in its dashboard pane
                if args.plain or catalogue.CATALOGUE[args.demo].section != catalogue.DASHBOARD:
                    args.command = "watch"
                else:
                    with watch.prepared(args):  # its --set and --seed, checked
                        return run_tui(args, plain)
            if args.command == "watch":
                with watch.prepared(args):
                    return watch.run_plain(args) if args.plain else run_tui(args, plain)
            if args.command == "run" and args.plain:
                return args.module.run_plain(args)
            return run_tui(args, plain)
    except ProgramError as error:
        print(f"concviz: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("concviz: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `concviz run ... --plain | head`: the reader left
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        reap_children()
