"""concviz's own checks on a watched program's locks; CPython has neither.

- Deadlock: threads blocked on locks form a waits-for graph (a thread waits for the owner
  of the lock it is blocked on, and a thread in ``join()`` for the thread it joins). A
  cycle, of any length, is a deadlock; a thread blocked on a plain Lock it holds itself
  is a cycle of one.
- Lock order, as the Linux kernel's lockdep: a thread that takes (or asks for) lock B
  while it holds lock A records the order A, B; once B, A has also been seen, two threads
  running those paths at once can deadlock, even if this run did not.

:class:`~concviz.watch.state.ProgramState` calls these from ``apply``, so every front end
gets the same findings. Only Lock and RLock count (a Condition through its lock).
"""

from __future__ import annotations

from typing import NamedTuple

from concviz.watch.state import (
    BLOCKED,
    OWNED,
    WAITING,
    Finding,
    PrimitiveView,
    ProgramState,
    ThreadView,
)

Edge = tuple[ThreadView, PrimitiveView | None]  # a thread and the lock it waits for (None: a join)


class _Order(NamedTuple):  # see catalogue.Card: why not a dataclass
    """One thread took ``first`` (at ``first_line``), then took or asked for another."""

    tid: int
    first_line: int | None
    then_line: int | None
    took: bool  # False: it asked for the second lock and had to wait


def _at(line: int | None) -> str:
    return f" at line {line}" if line is not None else ""


def _lines(a: int | None, b: int | None) -> str:
    return f" (lines {a}, {b})" if a is not None and b is not None else ""


class LockChecks:
    """The locks each thread holds, the orders seen, and what was already reported."""

    def __init__(self) -> None:
        self._held: dict[int, dict[int, int | None]] = {}  # tid -> {lock obj: line taken}
        self._orders: dict[tuple[int, int], _Order] = {}
        self._warned: set[frozenset[int]] = set()  # lock pairs
        self._cycles: set[frozenset[tuple[int, int]]] = set()  # (tid, lock obj) edges

    def took(self, state: ProgramState, tid: int, lock: PrimitiveView,
             line: int | None) -> list[Finding] | None:
        """``tid`` now owns ``lock`` (not a re-entry)."""
        found = self._order(state, tid, lock, line, took=True)
        self._held.setdefault(tid, {})[lock.obj] = line
        return found

    def blocked(self, state: ProgramState, th: ThreadView, lock: PrimitiveView,
                line: int | None) -> list[Finding] | None:
        """``th`` is blocked on ``lock``: a lock-order warning comes before a deadlock."""
        found = self._order(state, th.tid, lock, line, took=False)
        cycle = self._deadlock(state, th)
        if cycle is not None:
            found = [*(found or ()), cycle]
        return found

    def joining(self, state: ProgramState, th: ThreadView) -> list[Finding] | None:
        """``th`` is in ``join()``: waiting for a thread that waits for it is a deadlock."""
        cycle = self._deadlock(state, th)
        return [cycle] if cycle is not None else None

    def released(self, owner: int, obj: int) -> None:
        held = self._held.get(owner)
        if held:
            held.pop(obj, None)

    def _order(self, state: ProgramState, tid: int, lock: PrimitiveView, line: int | None,
               took: bool) -> list[Finding] | None:
        held = self._held.get(tid)
        if not held:
            return None
        found = None
        for first, first_line in held.items():
            if first == lock.obj:
                continue  # re-entry, or a Lock asked for twice: the deadlock check's case
            pair = (first, lock.obj)
            if pair not in self._orders:
                self._orders[pair] = _Order(tid, first_line, line, took)
            reverse = self._orders.get((lock.obj, first))
            both = frozenset(pair)
            if reverse is None or both in self._warned:
                continue
            self._warned.add(both)
            text = _order_text(state, first, lock.obj, self._orders[pair], reverse)
            found = found or []
            found.append(Finding("lock-order", state.t, text,
                                 threads=sorted({reverse.tid, tid}), objs=[first, lock.obj]))
        return found

    def _deadlock(self, state: ProgramState, th: ThreadView) -> Finding | None:
        """The cycle through ``th`` in the waits-for graph, reported once; each thread
        waits for one lock and a lock has one owner, so the path from ``th`` is a chain."""
        chain: list[Edge] = []
        seen: set[int] = set()
        cur: ThreadView | None = th
        while cur is not None:
            edge = _waits_for(state, cur)
            if edge is None:
                return None
            lock, then = edge
            chain.append((cur, lock))
            seen.add(cur.tid)
            if then == th.tid:
                break
            if then in seen:
                return None  # a cycle that th only waits on: reported when it closed
            cur = state.threads.get(then)
        else:
            return None
        edges = frozenset((who.tid, lock.obj if lock else -1) for who, lock in chain)
        if edges in self._cycles:
            return None
        self._cycles.add(edges)
        return Finding("deadlock", state.t, _deadlock_text(chain),
                       threads=[who.tid for who, _ in chain],
                       objs=[lock.obj for _, lock in chain if lock is not None])


def _waits_for(state: ProgramState, th: ThreadView) -> tuple[PrimitiveView | None, int] | None:
    """The lock ``th`` is blocked on (None in a join) and the thread it waits for; none
    for a wait with a timeout, which ends by itself."""
    if th.until is not None:
        return None
    if th.state == WAITING and th.joins is not None:
        return None, th.joins
    if th.state != BLOCKED or th.on is None:
        return None
    p = state.prims.get(th.on)
    if p is None or p.type not in OWNED:
        return None
    lock = state.lock_of(p)
    return (lock, lock.owner) if lock.owner is not None else None


def _order_text(state: ProgramState, a: int, b: int, ab: _Order, ba: _Order) -> str:
    names = {obj: state.prims[obj].name for obj in (a, b)}

    def did(order: _Order, first: int, then: int) -> str:
        verb = "then" if order.took else "then asked for"
        return (f"took {names[first]} {verb} {names[then]}"
                f"{_lines(order.first_line, order.then_line)}")

    def who(order: _Order) -> str:
        view = state.threads.get(order.tid)
        return view.name if view is not None else f"thread {order.tid}"

    if ab.tid == ba.tid:
        story = (f"{who(ba)} {did(ba, b, a)}, and later {did(ab, a, b)}. If two threads "
                 "run these at the same time they can deadlock.")
    else:
        story = (f"{who(ba)} {did(ba, b, a)}; {who(ab)} {did(ab, a, b)}. If they run at "
                 "the same time they can deadlock.")
    return f"concviz's lock-order check: {story} Python does not check this; concviz does."


def _deadlock_text(chain: list[Edge]) -> str:
    if len(chain) == 1 and chain[0][1] is not None:
        who, lock = chain[0]
        return (f"concviz's check: deadlock. {who.name} holds {lock.name} and asks for it "
                f"again{_at(who.line)}. A Lock is not re-entrant (an RLock is): the thread "
                "waits for itself, unless another thread releases it (any thread may release "
                "a Lock). Python has no such check.")
    parts = []
    for i, (who, lock) in enumerate(chain):
        held = chain[i - 1][1]  # what the one before waits for, this one holds
        holds = f"holds {held.name} and " if held is not None else ""
        then = chain[(i + 1) % len(chain)][0].name
        waits = f"waits for {lock.name}" if lock is not None else f"waits for {then} to end"
        join = " (join())" if lock is None else ""
        parts.append(f"{who.name} {holds}{waits}{_at(who.line)}{join}")
    if all(lock is not None for _, lock in chain):
        why = "Each waits for a lock another of them holds, and a waiting thread releases nothing."
    else:
        why = "Each waits for another of them, and a waiting thread neither releases nor ends."
    return f"concviz's check: deadlock. {'; '.join(parts)}. {why} Python has no such check."
