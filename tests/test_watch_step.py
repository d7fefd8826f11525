"""Stepping the seed's ques.4 one probed operation at a time, the views agree after every
event: the lanes, the lock box, the code marks and the list shown are one story."""

from __future__ import annotations

from concviz.watch.state import BLOCKED, DIED, FINISHED, HELD, ProgramState
from tests.probed import Probed
from tests.test_probe import SEED

STEPS = 40
SETTLED = ("hold", "block", "join", "thread-end", "main-end")  # where a stepped thread stops


def check(state: ProgramState, kind: str, lines: dict[int, int], holds: dict[int, bool],
          released: dict[int, bool]) -> None:
    for lock in (p for p in state.prims.values() if p.type == "Lock"):
        if lock.owner is not None:
            owner = state.threads[lock.owner]
            assert owner.state not in (FINISHED, DIED)
            assert not (owner.state == BLOCKED and owner.on == lock.obj)
        for tid in lock.waiters:
            assert state.threads[tid].state == BLOCKED and state.threads[tid].on == lock.obj
            assert lock.owner != tid
            # free with a waiter only between a release and the waiter's wake-up
            assert lock.owner is not None or released.get(lock.obj)
    for th in state.threads.values():
        if th.state == BLOCKED:
            assert th.tid in state.prims[th.on].waiters
        if th.tid in lines:  # the code mark is the line of its latest event
            assert th.line == lines[th.tid], th
        assert (th.state == HELD) == holds.get(th.tid, False), th


def stepped(run: Probed, steps: int) -> tuple[int, str]:
    """Pause ``run`` at once, let ``steps`` probed operations through one at a time (each
    once the last one's thread settled), then resume it to its end: its status, stdout.
    A program whose operations run out first has ended: no step is sent after its end
    (one was, once, and its echo never came)."""
    run.send("pause")
    paused = run.wait_for(lambda e: e["kind"] == "control")
    run.wait_for(lambda e: e["kind"] == "hold", paused)
    for _ in range(steps):
        if run.kinds("main-end"):
            break
        before = len(run.events)
        run.send("step")
        echo = run.wait_for(lambda e: e["kind"] == "control", before)
        run.wait_for(lambda e: e["kind"] in SETTLED, echo + 1)
    if not run.kinds("main-end"):  # ended: its control pipe may be closed already
        run.send("resume")
    status, stdout, _ = run.finish()
    return status, stdout


class Views:
    """The fold and what the views must agree with, event by event: each thread's line
    (its code mark), whether it is held, and whether each lock was last let go."""

    def __init__(self) -> None:
        self.state = ProgramState()
        self.lines: dict[int, int] = {}
        self.holds: dict[int, bool] = {}
        self.released: dict[int, bool] = {}

    def apply(self, event: dict) -> None:
        self.state.apply(event)
        kind, tid = event["kind"], event.get("tid")
        if event.get("line") is not None and kind not in ("new", "main-error"):
            self.lines[tid] = event["line"]
        if kind in ("thread-end", "thread-error"):
            self.lines.pop(tid, None)  # an ended thread's mark stays where it was
        if kind == "control" and event["cmd"] == "resume":
            self.holds.clear()  # every held thread goes on
        if tid is not None and tid > 0 and kind not in ("line", "data", "name"):
            self.holds[tid] = kind == "hold"  # a sample or a shown value moves nobody
        if kind in ("acquired", "release", "coalesced"):  # a block changes nothing: the
            # holder may have let go just before the waiter's block was told
            self.released[event["obj"]] = kind != "acquired"
        check(self.state, kind, self.lines, self.holds, self.released)


def test_stepping_keeps_every_view_in_agreement() -> None:
    run = Probed(SEED / "ques4_producer_consumer.py", seed=4, show=("shared_list",),
                 speed=10)
    status, stdout = stepped(run, STEPS)
    assert status == 0
    views, replay = Views(), []
    states: list[list[int]] = [[]]  # the list after each print, replayed from the prints
    shown: list[list[int]] = []  # the list shown, after each operation that changed it
    printed = iter(line for line in stdout.splitlines() if not line.startswith("Final"))
    steps = 0
    for event in run.lines:
        # the probe's own threads stay invisible (threading would name them Dummy-N)
        assert not event.get("thread", "").startswith("Dummy")
        views.apply(event)
        if event["kind"] == "out" and event["text"].startswith(("Producer", "Consumer")):
            line = event["text"]  # print() writes its text in one write, then the "\n"
            assert line == next(printed)
            if line.startswith("Producer added"):
                replay.append(int(line.split()[2]))
            elif line.startswith("Consumer removed"):
                replay.pop(0)
            states.append(list(replay))
        steps += event["kind"] == "control" and event["cmd"] == "step"
        if event["kind"] == "data":
            shown.append(event["value"])
    assert steps == STEPS
    # each list shown is one the prints say the list was, in the same order (a shown
    # value may come just before the print that tells it: another thread's event
    # showed the change first)
    remaining = iter(states)
    assert all(any(value == past for past in remaining) for value in shown)
    assert shown[-1] == states[-1]
