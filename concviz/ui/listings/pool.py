"""Seed ques.8 as concviz runs it: the seed's program with a spawn context, the
executor picked in the pane, and the workload's real source from workloads.py."""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable
from functools import cache

from concviz.engine.events import Event
from concviz.engine.pool_runs import (
    NAP,
    PRIME_CHUNKS,
    RunFailed,
    RunFinished,
    RunStarting,
    TaskFailed,
    TaskFinished,
    TaskStarted,
    WorkerStarted,
)
from concviz.engine.workloads import WORKLOADS
from concviz.ui.listings import Listing

IMPORTS = {
    "pool": ("import multiprocessing as mp",),
    "process-executor": ("import multiprocessing as mp",
                         "from concurrent.futures import ProcessPoolExecutor"),
    "threads": ("from concurrent.futures import ThreadPoolExecutor",),
}

MAPS = {
    "pool": '''    with mp.get_context("spawn").Pool(processes=pool_size) as pool:
        results = pool.map(FN, inputs)''',
    "process-executor": '''    with ProcessPoolExecutor(max_workers=pool_size,
                             mp_context=mp.get_context("spawn")) as executor:
        results = list(executor.map(FN, inputs))''',
    "threads": '''    with ThreadPoolExecutor(max_workers=pool_size) as executor:
        results = list(executor.map(FN, inputs))''',
}

PROGRAM = '''IMPORTS

SOURCE

def run_pool(pool_size, inputs):
    start_time = time.perf_counter()

MAP

    elapsed_time = time.perf_counter() - start_time
    print(f"Pool size: {pool_size}")
    print(f"Results: {results}")
    print(f"Time taken: {elapsed_time:.6f} seconds\\n")

if __name__ == "__main__":
    for pool_size in SIZES:
        run_pool(pool_size, INPUTS)
'''


@cache
def uses(fn: Callable[..., object]) -> tuple[str, tuple[str, ...]]:
    """What ``fn`` needs from its own module to run as shown: the source of the
    module-level names it uses (and those they use), in the module's order, and the
    import lines they need."""
    module = inspect.getmodule(fn)
    text = inspect.getsource(module)
    lines = text.splitlines()
    defined: dict[str, ast.stmt] = {}
    imports: dict[str, str] = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                imports[alias.asname or alias.name] = ast.unparse(node)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            defined[node.name] = node
        elif isinstance(node, ast.Assign):
            defined.update((t.id, node) for t in node.targets if isinstance(t, ast.Name))
    needed: dict[str, ast.stmt] = {}
    heads: set[str] = set()
    todo = [ast.parse(textwrap.dedent(inspect.getsource(fn)))]
    while todo:
        for name in {n.id for n in ast.walk(todo.pop()) if isinstance(n, ast.Name)}:
            if name in imports:
                heads.add(imports[name])
            elif name in defined and name != fn.__name__ and name not in needed:
                needed[name] = defined[name]
                todo.append(defined[name])
    nodes = sorted({id(n): n for n in needed.values()}.values(), key=lambda n: n.lineno)
    source = "\n\n".join("\n".join(lines[n.lineno - 1:n.end_lineno]) for n in nodes)
    return source, tuple(heads)


def inputs(workload: str, n: int) -> str:
    """The inputs as a Python expression (what pool_runs.make_inputs builds)."""
    if workload == "primes":
        return f"[({n:_} * i // {PRIME_CHUNKS}, {n:_} * (i + 1) // {PRIME_CHUNKS}) " \
               f"for i in range({PRIME_CHUNKS})]"
    if workload == "sleep":
        return f"[{NAP:g}] * {n}"
    return f"list(range(1, {n + 1}))"


def first_statement(source: str) -> int:
    """The line of a function's first statement after its docstring (1 = the def)."""
    body = ast.parse(source).body[0].body
    has_doc = isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
    return body[1 if has_doc and len(body) > 1 else 0].lineno


@cache
def listing(workload: str, executor: str, n: int, sizes: tuple[int, ...]) -> Listing:
    fn = WORKLOADS[workload]
    source = textwrap.dedent(inspect.getsource(fn)).rstrip()
    helpers, heads = uses(fn)
    if helpers:  # so that the listing runs as shown
        source += f"\n\n# what {fn.__name__} uses, from the same module\n{helpers}"
    head = sorted({*IMPORTS[executor], "import time", *heads},
                  key=lambda line: (line.startswith("from"), line))
    code = (PROGRAM.replace("IMPORTS", "\n".join(head)).replace("SOURCE", source)
            .replace("MAP", MAPS[executor].replace("FN", fn.__name__))
            .replace("INPUTS", inputs(workload, n)).replace("SIZES", str(list(sizes))))
    lines = code.splitlines()

    def find(marker: str, after: int = 0) -> int:
        return next(i for i, line in enumerate(lines[after:], after + 1) if marker in line)

    define = find(f"def {fn.__name__}")
    raises = next((i for i, line in enumerate(lines, 1) if "raise ValueError" in line), define)
    where = {
        RunStarting: find("with ", find("def run_pool")),
        RunFinished: find('print(f"Time taken'),
        RunFailed: find("results = "),  # map() re-raised the worker's exception there
        WorkerStarted: define,
        TaskStarted: define + first_statement(source) - 1,
        TaskFinished: find("return", define),
        TaskFailed: raises,
    }

    def line_for(event: Event, role: str) -> int | None:
        return where.get(type(event))

    return Listing(f"ques.8 · {fn.__name__} · {executor}", code, line_for)
