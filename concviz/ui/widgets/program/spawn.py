"""``F``: start another thread running one of the program's top-level functions. The
probe calls it with no arguments, so a function that needs some is listed, not offered."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option


@dataclass(frozen=True)
class Function:
    name: str
    line: int
    signature: str  # "(n, delay=0.1)"
    callable_bare: bool  # every parameter has a default: spawn can call it


def top_level_functions(source: str) -> list[Function]:
    """The ``def``s at the top of ``source`` (not async ones: a thread running one would
    only make a coroutine), in file order. A file that does not parse has none."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    found = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        args = node.args
        positional = [*args.posonlyargs, *args.args]
        required = len(positional) - len(args.defaults) + sum(
            default is None for default in args.kw_defaults)
        found.append(Function(node.name, node.lineno, f"({ast.unparse(args)})", required == 0))
    return found


class SpawnPicker(ModalScreen[str | None]):
    """Picks a function; dismissed with its name, or None (escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,F", "dismiss(None)", "Close"),
    ]
    DEFAULT_CSS = """
    SpawnPicker { align: center middle; }
    SpawnPicker OptionList {
        width: 70; max-width: 100%; height: auto; max-height: 80%;
        border: heavy $accent; border-title-style: bold; padding: 0 1;
    }
    SpawnPicker OptionList > .option-list--option-disabled { color: $text-muted; }
    """

    def __init__(self, functions: list[Function]) -> None:
        super().__init__()
        self.functions = functions

    def compose(self) -> ComposeResult:
        options = [Option(Text.assemble((f.name, "bold"), f.signature, f"  line {f.line}",
                                        "" if f.callable_bare else "  (needs arguments)"),
                          id=f.name, disabled=not f.callable_bare) for f in self.functions]
        if not options:
            options = [Option("The program has no top-level function.", disabled=True)]
        yield OptionList(*options)

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        picker.border_title = Content("Start a thread running… (concviz's spawn)")
        picker.border_subtitle = Content("enter starts it · escape closes")
        picker.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
