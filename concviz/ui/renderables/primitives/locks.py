"""Pictures of the lock-like primitives: Lock, RLock, Semaphore and BoundedSemaphore."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from concviz.engine.events import Event
from concviz.engine.failures.events import PhaseStarted
from concviz.engine.primitives.lock import DEPOSITS, TELLERS, Deposited, LockDemoFinished
from concviz.engine.primitives.rlock import LABEL, ReleaseRefused, RLockCount, SelfBlocked
from concviz.engine.primitives.semaphore import SLOTS, ExtraRelease, Probed
from concviz.engine.traced_lock import LockAcquired, LockReleased
from concviz.engine.words import plural
from concviz.ui.renderables.counters import Counters
from concviz.ui.renderables.lock_box import LockBox
from concviz.ui.renderables.primitives.draw import (
    DIM,
    ERROR,
    HOLD,
    WAIT,
    Holders,
    Picture,
    chip,
    names,
)


class LockView:
    """The lock's owner and its line of waiters, and the balance it protects. Each
    counter reads as a sentence, value first; the last line tells the latest deposit
    in the past tense (the lock it held may be free now), then the outcome."""

    def __init__(self) -> None:
        self.lock = Holders("lock")
        self.balance = 0
        self.deposits = 0
        self.last = ""
        self.finished: LockDemoFinished | None = None

    def apply(self, event: Event) -> None:
        self.lock.apply(event)
        match event:
            case Deposited(thread=who, before=before, after=after):
                self.balance = after
                self.deposits += 1
                self.last = f"last deposit: {who} read {before}, wrote {after}, holding the lock"
            case LockDemoFinished():
                self.finished = event

    def render(self, now: float) -> RenderableType:
        owner = self.lock.owner
        held = Text(f"held {now - self.lock.holders[owner]:.1f} s", style=DIM) if owner else Text()
        blocks = self.lock.blocks
        return Picture([
            Text.assemble("threading.Lock  ", held),
            LockBox(owner, self.lock.blocked),
            Text(""),
            Counters([("deposits made", f"{self.deposits} of {TELLERS * DEPOSITS}"),
                      ("in the balance", str(self.balance)),
                      (f"acquire{'' if blocks == 1 else 's'} blocked", str(blocks))]),
            Group(Text(self.last or "no deposit yet", style=DIM)),  # wraps, never cut
            *([Group(self._outcome(self.finished))] if self.finished else []),
        ])

    @staticmethod
    def _outcome(done: LockDemoFinished) -> Text:
        lost = done.expected - done.balance
        if lost:
            return Text.assemble(chip(f"✗ {plural(lost, 'deposit')} lost", ERROR),
                                 f" balance {done.balance}, not {done.expected}")
        return Text.assemble(chip("✓ nothing lost", HOLD),
                             f" balance {done.balance} = {plural(done.expected, 'deposit')}")


class RLockView:
    """The RLock's owner, its count and the calls that took it; the errors shown."""

    def __init__(self) -> None:
        self.lock = Holders(LABEL)
        self.plain = Holders("plain Lock")
        self.count = 0
        self.stack: list[str] = []
        self.deepest = 0
        self.refused: tuple[str, str] | None = None
        self.self_blocked: float | None = None

    def apply(self, event: Event) -> None:
        self.lock.apply(event)
        self.plain.apply(event)
        match event:
            case RLockCount(count=count, method=method, entered=entered):
                self.count = count
                self.deepest = max(self.deepest, count)
                if entered:
                    self.stack.append(method)
                elif self.stack:
                    self.stack.pop()
            case ReleaseRefused(thread=who, error=error, owner=owner):
                whose = f"owned by {owner}" if owner else "free"
                self.refused = (who, f"it is {whose}: {error}")
            case SelfBlocked(waited=waited):
                self.self_blocked = waited

    def render(self, now: float) -> RenderableType:
        owner = self.lock.owner
        head = Text("threading.RLock ")
        head.append_text(chip(f"◆ owned by {owner}", HOLD) if owner
                         else chip("○ free", "bold reverse"))
        count = Text("count ")
        count.append_text(chip(f"{'▮' * self.count} {self.count}".strip(), "bold reverse"))
        count.append(f"  deepest {self.deepest}", style=DIM)
        lines: list[RenderableType | list[Text]] = [
            head,
            count,
            Text.assemble("calls holding it: ", (" › ".join(self.stack) or "none", "bold")),
            names("waiting:", self.lock.blocked),
        ]
        if self.refused:
            who, why = self.refused
            lines.append(chip(f"✗ {who} calls release(): refused", ERROR))
            lines.append(Text(f"  {why}"))
        if self.plain.holders or self.self_blocked is not None:
            lines.append(self._plain_line())
        return Picture(lines)

    def _plain_line(self) -> Text:
        line = Text("plain Lock taken twice: ")
        if self.self_blocked is not None:
            line.append_text(chip(f"✗ waits for itself: gave up after {self.self_blocked:.2f} s",
                                  ERROR))
        elif self.plain.blocked:
            line.append_text(chip(f"■ {self.plain.blocked[0]} waits for itself", WAIT))
        else:
            line.append_text(chip(f"◆ held by {self.plain.owner}", HOLD))
        return line


class SemaphoreView:
    """N slots with their holders, the waiting line, and what the extra release did."""

    def __init__(self, bounded: bool = False) -> None:
        self.kind = "BoundedSemaphore" if bounded else "Semaphore"
        self.label = f"{self.kind}({SLOTS})"
        self.sem = Holders(self.label)
        self.capacity = SLOTS
        self.slots: dict[int, str] = {}  # slot number -> holder, drawn where it sat down
        self.most = 0
        self.extra = ""
        self.extra_ok = True
        self.probed: int | None = None
        self.phase = ""

    def apply(self, event: Event) -> None:
        self.sem.apply(event)
        match event:
            case LockAcquired(lock=self.label, thread=who):
                free = next(n for n in range(1, len(self.slots) + 2) if n not in self.slots)
                self.slots[free] = who
                self.most = max(self.most, len(self.slots))
            case LockReleased(lock=self.label, thread=who):
                self.slots = {n: h for n, h in self.slots.items() if h != who}
            case ExtraRelease(ok=ok, error=error, thread=who):
                self.extra_ok = ok
                if ok:
                    self.capacity += 1  # the counter really went up: one slot more
                    self.extra = f"{who}: extra release() accepted silently"
                else:
                    self.extra = f"{who}: extra release() → {error}"
            case Probed(capacity=capacity):
                self.capacity = self.probed = capacity
            case PhaseStarted(title=title):
                self.phase = title

    def render(self, now: float) -> RenderableType:
        cells = []
        for n in range(1, max(self.capacity, max(self.slots, default=0)) + 1):
            extra = n > SLOTS
            if n in self.slots:
                style = ERROR if extra else HOLD
                cells.append(chip(f"{n}{'+' if extra else ''} ◆ {self.slots[n]}", style))
            else:
                cells.append(chip(f"{n}{'+' if extra else ''} · free", "reverse" if extra
                                  else "bold reverse"))
        lines: list[RenderableType | list[Text]] = [
            Text.assemble(f"{self.label}: ", (f"{len(self.slots)} of {self.capacity} inside",
                                              "bold"), f", at most {self.most} at once"),
            cells,
            names("waiting:", self.sem.blocked),
        ]
        if self.extra:
            symbol = "⚠" if self.extra_ok else "✗"
            style = ERROR if not self.extra_ok or self.capacity > SLOTS else HOLD
            lines.append(Text.assemble(chip(symbol, style), f" {self.extra}"))
        if self.probed is not None:
            lines.append(Text(f"probe: {self.probed} could enter at once"
                              + (f", not {SLOTS}: the limit grew" if self.probed > SLOTS else ""),
                              style="bold" if self.probed > SLOTS else DIM))
        return Picture([Text(self.phase or "not started", style="italic"), *lines])
