"""concviz's UI uses Textual's public API only (issue 13): a private module or name of
Textual's may change in any release, and nothing would say so until the app broke."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from collections.abc import Iterator
from pathlib import Path

from textual.app import App
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.widget import Widget

import concviz.ui

UI = Path(concviz.ui.__file__).parent
ROOT = UI.parent.parent
# the private names concviz once used: the breakpoint rule, the theme's ANSI colours,
# the flags of a widget on its way out
ONCE_USED = re.compile(r"\._(get_breakpoint_classes|refresh_truecolor_filter|watch_theme|"
                       r"pruning|closing|closed)\b")


def sources() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(UI.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node).splitlines()[0]}"


def private(dotted: str) -> bool:
    return any(part.startswith("_") for part in dotted.split("."))


def test_no_import_from_a_private_textual_module() -> None:
    found = []
    for path, tree in sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "textual":
                if private(node.module) or any(private(alias.name) for alias in node.names):
                    found.append(where(path, node))
            elif isinstance(node, ast.Import):
                found += [where(path, node) for alias in node.names
                          if alias.name.split(".")[0] == "textual" and private(alias.name)]
    assert found == []


def test_none_of_the_private_names_once_used() -> None:
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path, _ in sources()
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if ONCE_USED.search(line)]
    assert found == []


def textual_private_names() -> set[str]:
    """What Textual's App, Screen and widgets keep to themselves: their private methods
    and class attributes, and what an instance sets in ``__init__``."""
    names = set()
    for cls in (App, Screen, Widget, *textual_bases()):
        names |= {name for name in dir(cls) if name.startswith("_")}
    for instance in (App(), Screen(), Widget()):
        names |= {name for name in vars(instance) if name.startswith("_")}
    return {name for name in names if not name.startswith("__")}


def textual_bases() -> set[type]:
    """The Textual classes concviz's UI classes derive from."""
    return {base for cls in ui_classes().values() for base in cls.__mro__
            if base.__module__.split(".")[0] == "textual"}


def ui_classes() -> dict[tuple[Path, str], type]:
    """Every class concviz/ui defines, by file and name."""
    classes = {}
    for path in sorted(UI.rglob("*.py")):
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts)
                                         .removesuffix(".__init__"))
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                classes[path, name] = cls
    return classes


def test_no_private_attribute_of_a_textual_object() -> None:
    """``x._name`` where Textual has a private ``_name`` on its App, screens or widgets:
    anywhere but on ``self`` in a class of concviz's own that is no Textual class (those
    may name their own private members as they like)."""
    names = textual_private_names()
    classes = ui_classes()
    found = []

    def visit(path: Path, node: ast.AST, textual: bool | None) -> None:
        if isinstance(node, ast.ClassDef):
            cls = classes.get((path, node.name))
            textual = cls is None or issubclass(cls, MessagePump)
        elif isinstance(node, ast.Attribute) and node.attr in names:
            own = isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
            if not own or textual is not False:
                found.append(where(path, node))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and textual \
                and node.name in names:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: def {node.name}")
        for child in ast.iter_child_nodes(node):
            visit(path, child, textual)

    for path, tree in sources():
        visit(path, tree, None)
    assert found == []
