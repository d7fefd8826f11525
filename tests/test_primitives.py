"""The primitive demos, run for real at high speed and judged by their event streams;
their transcripts, and their pictures rendered to text."""

from __future__ import annotations

import functools
import threading
import time
from collections import Counter

import pytest
from rich.console import Console

from concviz.cli import main
from concviz.commands.primitives import NAMES, summary_line, transcript_line
from concviz.engine.card import Card
from concviz.engine.demo import Demo
from concviz.engine.events import Event, Sleeping, ThreadFailed, ThreadFinished, ThreadStarted
from concviz.engine.failures.events import PhaseStarted
from concviz.engine.primitives import GALLERY
from concviz.engine.primitives.barrier import PARTIES, Arrived, BarrierDemoFinished, Broken, Passed
from concviz.engine.primitives.condition import (
    CAPACITY,
    CONSUMERS,
    ITEMS,
    ConditionFinished,
    Conditions,
    EveryoneAsleep,
    Notified,
    Put,
    Rechecked,
    Taken,
    WokenByConcviz,
)
from concviz.engine.primitives.event_flag import FLAG, FlagCleared, FlagSet, PassedThrough
from concviz.engine.primitives.events import Waiting, Woken
from concviz.engine.primitives.lock import Deposited, LockDemoFinished
from concviz.engine.primitives.rlock import (
    ReleaseRefused,
    RLockCount,
    RLockDemoFinished,
    SelfBlocked,
)
from concviz.engine.primitives.semaphore import SLOTS, ExtraRelease, Probed, SemaphoreFinished
from concviz.engine.primitives.work_queue import (
    JOBS,
    MAXSIZE,
    AllDone,
    Got,
    Queued,
    QueueDemoFinished,
    TaskDone,
)
from concviz.engine.traced_lock import LockAcquired, LockBlocked, LockReleased, LockRequested
from concviz.ui.models.lanes import Lanes, LaneState
from concviz.ui.renderables.primitives import VIEWS, fold_lanes

ORDER = ["lock", "rlock", "semaphore", "bounded-semaphore", "condition", "event", "queue",
         "barrier"]
DEMOS: dict[str, type[Demo]] = {demo.name: demo for demo in GALLERY}
SEEDS = (0, 1)


def run(name: str, seed: int = 0) -> tuple[Event, ...]:
    """One full run at top speed; every test reading the same run shares it."""
    return _run(name, seed)


@functools.cache
def _run(name: str, seed: int) -> tuple[Event, ...]:
    demo = DEMOS[name](seed=seed, speed=10)
    demo.run_blocking()
    assert demo.alive_threads() == []
    return tuple(demo.channel)


def of(events, cls) -> list:
    return [e for e in events if isinstance(e, cls)]


def in_some_run(name: str, happened, seeds: int = 6) -> tuple[Event, ...]:
    """A lesson that hangs on timing (a queue filling up, a notify_all finding several
    waiters) must show within a bounded number of seeds; returns that run."""
    for seed in range(seeds):
        events = run(name, seed)
        if happened(events):
            return events
    raise AssertionError(f"{name}: not seen in {seeds} runs")


# -- the gallery ---------------------------------------------------------------------


def test_gallery_order_cards_cli_names_and_views():
    assert [demo.name for demo in GALLERY] == ORDER
    assert list(NAMES) == ORDER
    assert list(VIEWS) == ORDER
    for demo in GALLERY:
        assert demo.summary and isinstance(demo.card, Card)
        card = demo.card
        assert all([card.title, card.purpose, card.use_when, card.trade_off, card.say_in_class])
    assert len({demo.card.say_in_class for demo in GALLERY}) == len(GALLERY)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", ORDER)
def test_every_demo_ends_by_itself_and_leaves_no_thread(name, seed):
    events = run(name, seed)
    assert type(events[-1]).__name__.endswith("Finished")
    assert of(events, ThreadFailed) == []
    started = Counter(e.thread for e in of(events, ThreadStarted))
    finished = Counter(e.thread for e in of(events, ThreadFinished))
    assert started and started == finished  # every spawned thread told its end
    mine = set(started)
    assert not [t for t in threading.enumerate() if t.name in mine and t.is_alive()]


@pytest.mark.parametrize("name", ORDER)
def test_stop_ends_a_run_within_a_second(name):
    demo = DEMOS[name](seed=3, speed=1).start()
    time.sleep(0.25)
    started = time.monotonic()
    demo.stop()
    assert time.monotonic() - started < 1.0
    assert demo.alive_threads() == []
    assert demo.finished.is_set()


@pytest.mark.parametrize("name", ["condition", "event", "barrier"])
def test_stop_while_paused_frees_untimed_waits(name):
    """These demos wait with no timeout: stop() must still free every waiter."""
    demo = DEMOS[name](seed=0, speed=1).start()
    time.sleep(0.2)
    demo.pause()
    time.sleep(0.05)
    started = time.monotonic()
    demo.stop()
    assert time.monotonic() - started < 1.0
    assert demo.alive_threads() == []


def test_transcript_has_a_line_for_every_event_but_the_routine_ones():
    quiet = (Sleeping, LockRequested)
    for name in ORDER:
        *body, last = run(name)
        for event in body:
            assert (transcript_line(event) is None) == isinstance(event, quiet), event
        assert summary_line(last) is not None


# -- Lock and RLock ------------------------------------------------------------------


def _owners(events, lock: str):
    """Replay one lock: never two owners; every release by the owner."""
    owner = None
    for event in events:
        if isinstance(event, LockAcquired) and event.lock == lock:
            assert owner is None, f"{event.thread} acquired while {owner} held {lock}"
            owner = event.thread
        elif isinstance(event, LockReleased) and event.lock == lock:
            assert owner == event.thread
            owner = None
        yield event, owner


@pytest.mark.parametrize("seed", SEEDS)
def test_lock_has_one_owner_and_loses_no_deposit(seed):
    events = run("lock", seed)
    for event, owner in _owners(events, "lock"):
        if isinstance(event, Deposited):
            assert owner == event.thread  # the read and the write happen under the lock
    done = events[-1]
    assert isinstance(done, LockDemoFinished)
    assert done.balance == done.expected == len(of(events, Deposited))
    assert [e.after for e in of(events, Deposited)] == list(range(1, done.expected + 1))
    assert done.waits == len(of(events, LockBlocked))  # blocked means really blocked


@pytest.mark.parametrize("seed", SEEDS)
def test_rlock_count_goes_up_and_back_to_zero(seed):
    events = run("rlock", seed)
    for _ in _owners(events, "rlock"):
        pass
    counts: dict[str, list[int]] = {}
    for event in of(events, RLockCount):
        seen = counts.setdefault(event.thread, [0])
        assert event.count == seen[-1] + (1 if event.entered else -1)  # the lock's own count
        seen.append(event.count)
    assert max(counts["account"]) == 2
    assert all(seen[-1] == 0 for seen in counts.values())
    done = events[-1]
    assert isinstance(done, RLockDemoFinished)
    assert done.free and done.deepest == 2


def test_another_threads_release_raises_runtime_error_and_a_plain_lock_waits_for_itself():
    events = run("rlock")
    refused = of(events, ReleaseRefused)
    assert [e.thread for e in refused] == ["clerk"]
    assert refused[0].error == "RuntimeError: cannot release un-acquired lock"
    assert refused[0].owner != "clerk"
    self_blocked = of(events, SelfBlocked)
    assert len(self_blocked) == 1 and events[-1].self_blocked
    plain = [e for e in events if isinstance(e, LockBlocked) and e.lock == "plain Lock"]
    assert plain[0].owner == plain[0].thread == "account"


# -- Semaphore and BoundedSemaphore ----------------------------------------------------


def _holders(events, label: str):
    inside: set[str] = set()
    for event in events:
        if isinstance(event, LockAcquired) and event.lock == label:
            inside.add(event.thread)
        elif isinstance(event, LockReleased) and event.lock == label:
            inside.discard(event.thread)
        yield event, len(inside)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", ["semaphore", "bounded-semaphore"])
def test_never_more_holders_than_slots(name, seed):
    events = run(name, seed)
    bounded = name == "bounded-semaphore"
    label = f"{'BoundedSemaphore' if bounded else 'Semaphore'}({SLOTS})"
    limit = SLOTS
    for event, inside in _holders(events, label):
        if isinstance(event, Probed):
            limit = event.capacity
        assert inside <= limit


def test_the_slots_really_fill_up():
    in_some_run("semaphore", lambda events: max(n for _, n in _holders(events, "Semaphore(3)"))
                >= SLOTS and any(isinstance(e, LockBlocked) for e in events))


def test_extra_release_silently_grows_a_semaphore():
    events = run("semaphore")
    assert [(e.ok, e.error) for e in of(events, ExtraRelease)] == [(True, "")]
    assert [e.capacity for e in of(events, Probed)] == [SLOTS + 1]
    assert events[-1] == of(events, SemaphoreFinished)[0]
    assert events[-1].capacity_after == SLOTS + 1


def test_extra_release_of_a_bounded_semaphore_raises_value_error():
    events = run("bounded-semaphore")
    extra = of(events, ExtraRelease)
    assert [(e.ok, e.error) for e in extra] == [
        (False, "ValueError: Semaphore released too many times")
    ]
    assert [e.capacity for e in of(events, Probed)] == [SLOTS]


# -- Condition -------------------------------------------------------------------------


def condition_phases(events) -> dict[int, list[Event]]:
    out: dict[int, list[Event]] = {}
    phase = 0
    for event in events:
        phase = event.phase if isinstance(event, PhaseStarted) else phase
        out.setdefault(phase, []).append(event)
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_condition_buffer_stays_bounded_and_items_leave_in_order(seed):
    for phase, events in condition_phases(run("condition", seed)).items():
        assert all(len(e.contents) <= CAPACITY for e in of(events, Put) + of(events, Taken))
        taken = [e.item for e in of(events, Taken)]
        assert taken == [e.item for e in of(events, Put)][:len(taken)], phase
        owner = None  # of the lock: taken by `with`, given up by wait() until it returns
        for event in events:
            match event:
                case LockAcquired(thread=who) | Rechecked(thread=who) | WokenByConcviz(
                        thread=who):
                    assert owner is None, f"{who} has the lock while {owner} holds it"
                    owner = who
                case LockReleased(thread=who):
                    assert owner == who
                    owner = None
                case Put() | Taken() | Notified() | Waiting():
                    assert owner == event.thread  # all under the Condition's lock
                    if isinstance(event, Waiting):
                        owner = None
        assert owner is None


@pytest.mark.parametrize("seed", SEEDS)
def test_notify_wakes_the_longest_waiters_and_each_rechecks(seed):
    """Replay each Condition's waiters, first come first served as CPython wakes them:
    every notify names the threads it really woke, each of them re-checks, no wake
    is lost; only concviz's own wake-up (phase 1's end) frees the rest."""
    for events in condition_phases(run("condition", seed)).values():
        queue: dict[str, list[str]] = {}
        woken: set[str] = set()
        for event in events:
            match event:
                case Waiting(on=on, thread=who):
                    queue.setdefault(on, []).append(who)
                case Notified(on=on, how=how, waiting=waiting, woke=woke, woken=names):
                    assert waiting == len(queue.get(on, []))
                    assert woke == (waiting if how == "notify_all" else min(1, waiting))
                    assert names == tuple(queue[on][:woke]) if woke else names == ()
                    woken.update(names)
                    del queue[on][:woke]
                case Rechecked(thread=who):
                    woken.remove(who)  # KeyError: woken without a notify
                case WokenByConcviz(on=on, thread=who):
                    queue[on].remove(who)  # ValueError: it was not waiting
        assert woken == set() and all(q == [] for q in queue.values())


@pytest.mark.parametrize("seed", SEEDS)
def test_one_condition_and_notify_put_everyone_to_sleep_every_time(seed):
    """Phase 1, whatever the timing: the consumer that took the item notifies, and
    wakes the other consumer, not the producer; everyone ends in wait() and only
    concviz's own notify_all() ends it. Phases 2 and 3 never sleep like that."""
    phases = condition_phases(run("condition", seed))
    one, every, two = phases[1], phases[2], phases[3]
    assert of(one, Conditions)[0].names == ("cond",)
    missed = [e for e in of(one, Notified) if e.missed]
    assert len(missed) == 1 and missed[0].thread.startswith("consumer")
    assert missed[0].woken[0].startswith("consumer")  # the wrong kind
    wrong = missed[0].woken[0]
    recheck = next(e for e in one[one.index(missed[0]):] if isinstance(e, Rechecked))
    assert recheck.thread == wrong and not recheck.ok  # it finds nothing, waits again
    (asleep,) = of(one, EveryoneAsleep)
    assert sorted(asleep.asleep) == ["consumer-1", "consumer-2", "producer"]
    assert [e.item for e in of(one, Taken)] == [1]
    after = one[one.index(asleep):]
    assert sorted(e.thread for e in of(after, WokenByConcviz)) == sorted(asleep.asleep)
    assert not of(after, Rechecked) and not of(after, Put)  # nothing moved until concviz
    for later in (every, two):
        assert not of(later, EveryoneAsleep) and not of(later, WokenByConcviz)
        assert [e.item for e in of(later, Taken)] == list(range(1, ITEMS + 1))
    assert of(two, Conditions)[0].names == ("not_empty", "not_full")
    assert not any(e.missed for e in of(every, Notified) + of(two, Notified))
    first_all = of(every, Notified)[0]
    assert first_all.how == "notify_all" and first_all.woke == CONSUMERS
    for event in of(two, Notified):  # two Conditions: each notify reaches the right kind
        meant = "consumer" if event.on == "not_empty" else "producer"
        assert all(name.startswith(meant) for name in event.woken)
    done = run("condition", seed)[-1]
    assert isinstance(done, ConditionFinished) and done.asleep
    assert done.taken == (1, ITEMS, ITEMS)


# -- Event -----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_event_set_releases_every_waiter(seed):
    events = run("event", seed)
    flag, waiting, released = False, [], []
    for event in events:
        match event:
            case Waiting(on=on, thread=who) if on == FLAG:
                assert not flag  # only a lowered flag makes wait() block
                waiting.append(who)
            case PassedThrough():
                assert flag
            case FlagSet(waiting=names):
                assert sorted(names) == sorted(waiting)  # set() saw exactly these waiting
                released, waiting, flag = list(names), [], True
            case FlagCleared():
                flag = False
            case Woken(thread=who):
                released.remove(who)  # only a set() ends a wait
    assert waiting == released == []
    sets = of(events, FlagSet)
    assert len(sets) == 2 and len(of(events, FlagCleared)) == 1
    assert sum(len(s.waiting) for s in sets) == events[-1].released


# -- Queue -----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_queue_never_exceeds_maxsize_and_join_waits_for_every_task(seed):
    events = run("queue", seed)
    reads = of(events, Queued) + of(events, Got)
    assert all(len(e.contents) <= MAXSIZE for e in reads)
    assert sorted(e.seq for e in reads) == list(range(1, len(reads) + 1))
    order = [e.item for e in of(events, Queued)]  # one producer, then the manager's None
    assert sorted(e.item for e in of(events, Got)) == sorted(order)  # each got exactly once
    for read in reads:  # FIFO: what the queue holds is always a run of the put order
        n = len(read.contents)
        assert any(tuple(order[i:i + n]) == read.contents for i in range(len(order)))
    done_jobs = [e.item for e in of(events, TaskDone) if e.item]
    assert sorted(done_jobs) == list(range(1, JOBS + 1))
    joined = events.index(of(events, AllDone)[0])
    last_job_done = max(i for i, e in enumerate(events) if isinstance(e, TaskDone) and e.item)
    assert last_job_done < joined
    finished = events[-1]
    assert isinstance(finished, QueueDemoFinished)
    assert finished.done == JOBS and finished.longest <= MAXSIZE
    blocked = [e.why for e in of(events, Waiting) if e.on == "queue"]
    assert finished.put_blocks == sum(why.startswith("full") for why in blocked)
    assert finished.get_blocks == blocked.count("empty")


def test_put_blocks_when_full_and_get_when_empty():
    events = in_some_run("queue", lambda events: events[-1].put_blocks and events[-1].get_blocks)
    assert events[-1].longest == MAXSIZE


# -- Barrier ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_barrier_releases_only_when_all_parties_arrived(seed):
    events = run("barrier", seed)
    arrived: Counter = Counter()
    indexes: dict[tuple[int, int], set[int]] = {}
    for event in events:
        if isinstance(event, Arrived):
            arrived[event.barrier, event.meeting] += 1
        elif isinstance(event, Passed):
            key = (event.barrier, event.meeting)
            assert arrived[key] == PARTIES
            indexes.setdefault(key, set()).add(event.index)
    assert indexes == {(1, 1): set(range(PARTIES)), (1, 2): set(range(PARTIES))}


@pytest.mark.parametrize("seed", SEEDS)
def test_a_party_timing_out_breaks_the_barrier_for_everyone(seed):
    events = run("barrier", seed)
    phase_2 = events[events.index(of(events, PhaseStarted)[1]):]
    broken = of(phase_2, Broken)
    timed_out = [e for e in broken if e.timed_out]
    limits = {e.thread: e.timeout for e in of(phase_2, Arrived)}
    assert all(e.waited >= limits[e.thread] for e in timed_out)
    done = events[-1]
    assert isinstance(done, BarrierDemoFinished) and done.meetings == 2
    assert list(done.timed_out) == [e.thread for e in timed_out]
    assert done.broken == bool(broken)
    if broken:  # everyone gets the error, nobody passes
        assert sorted(e.thread for e in broken) == [f"party-{i}" for i in range(1, PARTIES + 1)]
        assert of(phase_2, Passed) == [] and timed_out


def test_the_late_party_breaks_the_barrier():
    in_some_run("barrier", lambda events: events[-1].broken)


# -- the command line ------------------------------------------------------------------

SAYS = {
    "lock": "read balance 0, wrote 1",
    "rlock": "RuntimeError: cannot release un-acquired lock",
    "semaphore": "calls release() once more: accepted without a word",
    "bounded-semaphore": "calls release() once more: ValueError: Semaphore released too many",
    "condition": "the wrong kind, a consumer like itself; the producer sleeps on",
    "event": "set(): releases",
    "queue": "queue.join() returned: every item put is done",
    "barrier": "passes meeting 2",
}


MEASURED = {
    "semaphore": "Summary: Semaphore(3), one release() too many: no error; it now admits 4",
    "bounded-semaphore": "Summary: BoundedSemaphore(3), one release() too many: ValueError: "
    "Semaphore released too many times; it now admits 3",
}


@pytest.mark.parametrize("name", ORDER)
def test_plain_run_prints_a_transcript_and_a_summary(name, capsys):
    assert main(["run", name, "--plain", "--speed", "10", "--seed", "2"]) == 0
    *transcript, summary = capsys.readouterr().out.splitlines()
    assert summary.startswith("Summary: ")
    assert summary == MEASURED.get(name, summary)
    assert len(transcript) > 10 and "None" not in transcript
    assert any(SAYS[name] in line for line in transcript), "\n".join(transcript)


def test_bad_speed_is_one_line():
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "barrier", "--plain", "--speed", "0"])
    assert exit_info.value.code == 2


# -- pictures ------------------------------------------------------------------------------


def text_of(renderable, width: int) -> str:
    console = Console(width=width, color_system=None, force_terminal=False, record=True)
    console.print(renderable)
    return console.export_text()


@pytest.mark.parametrize("name", ORDER)
def test_every_picture_draws_at_every_step_and_fits_the_width(name):
    events = run(name)
    view, lanes = VIEWS[name](), Lanes()
    for event in events:
        view.apply(event)
        fold_lanes(lanes, event)
        for width in (24, 46):
            drawn = text_of(view.render(event.t), width)
            assert drawn.strip()
            assert max(map(len, drawn.splitlines())) <= width
    assert {lane.state for lane in lanes.lanes.values()} == {LaneState.FINISHED}


FINAL = {
    "lock": ["○ free", "9  in the balance", "read 8, wrote 9", "✓ nothing lost"],
    "rlock": ["○ free", "count  0   deepest 2", "✗ clerk calls release(): refused",
              "RuntimeError: cannot release un-acquired lock", "✗ waits for itself"],
    "semaphore": ["0 of 4 inside, at most 4 at once", "4+ · free",
                  "extra release() accepted silently",
                  "probe: 4 could enter at once, not 3: the limit grew"],
    "bounded-semaphore": ["0 of 3 inside", "ValueError: Semaphore released too many times",
                          "probe: 3 could enter at once"],
    "condition": ["phase 1: ✗ everyone asleep after 1 of 4 items; concviz woke everyone: "
                  "plain Python would wait forever", "buffer (capacity 1):",
                  "not_empty.wait(): nobody", "not_full.wait():  nobody", "○ free"],
    "event": ["● SET", "set() called 2×, clear() 1×", "set() #2 released"],
    "queue": ["queue.Queue(maxsize=3)", "put 11 (9 jobs + 2 None), task_done 11: 0 unfinished",
              "✓ join() returned"],
    "barrier": ["✗ BROKEN", "it broke the barrier", "came after the break"],
}
LUCK = {"barrier": lambda events: events[-1].broken}  # a late party, whose lateness is timing


@pytest.mark.parametrize("name", ORDER)
def test_finished_picture_tells_the_outcome(name):
    view = VIEWS[name]()
    events = in_some_run(name, LUCK.get(name, lambda events: True))
    for event in events:
        view.apply(event)
    drawn = text_of(view.render(events[-1].t), 120)
    for words in FINAL[name]:
        assert words in drawn, drawn


def test_pictures_show_waiters_while_they_wait():
    """Mid-run: the picture and the lanes agree with the stream on who waits."""
    events = run("event")
    first_wait = next(e for e in events if isinstance(e, Waiting))
    view, lanes = VIEWS["event"](), Lanes()
    for event in events[: events.index(first_wait) + 1]:
        view.apply(event)
        fold_lanes(lanes, event)
    assert f"in wait():  {first_wait.thread}" in text_of(view.render(first_wait.t), 80)
    assert lanes.lanes[first_wait.thread].state is LaneState.BLOCKED

    events = run("semaphore")
    view = VIEWS["semaphore"]()
    for event, inside in _holders(events, f"Semaphore({SLOTS})"):
        view.apply(event)
        assert len(view.slots) == inside
        if isinstance(event, LockBlocked):
            assert event.thread in text_of(view.render(event.t), 120).split("waiting:")[1]


def test_the_condition_picture_shows_the_wrong_wake_and_everyone_asleep():
    events = run("condition")
    asleep = next(e for e in events if isinstance(e, EveryoneAsleep))
    view = VIEWS["condition"]()
    for event in events[: events.index(asleep) + 1]:
        view.apply(event)
    drawn = text_of(view.render(asleep.t), 120)
    assert "last: cond.notify() by consumer-" in drawn
    assert "✗ wrong kind: the producer sleeps on" in drawn
    assert "✗ EVERYONE ASLEEP" in drawn and "nobody is left to notify (concviz's check)" in drawn
    assert "cond.wait(): " in drawn and "not_full" not in drawn  # one Condition in phase 1


def test_the_barrier_title_shows_the_timeout_wait_really_gets():
    """At --speed 3 the title said wait(timeout=0.6) while each party waited 0.20 s."""
    demo = DEMOS["barrier"](seed=0, speed=3)
    demo.run_blocking()
    events = list(demo.channel)
    title = next(e.title for e in of(events, PhaseStarted) if e.phase == 2)
    limits = {e.timeout for e in of(events, Arrived) if e.barrier == 2}
    assert len(limits) == 1 and title.startswith(f"wait(timeout={limits.pop():.2f})")
    assert title.startswith("wait(timeout=0.20)")
    lines = [transcript_line(e) for e in of(events, Arrived) if e.barrier == 2]
    assert all(line.endswith("waits up to 0.20 s") for line in lines)


def test_the_broken_barrier_counts_who_was_there_and_numbers_the_meeting_as_the_summary():
    """It said 'meeting 1: 4 of 4 arrived ✗ BROKEN' (the fourth came after the break)
    beside a summary of '2 meetings passed together, then broken'."""
    events = in_some_run("barrier", lambda events: events[-1].broken)
    view = VIEWS["barrier"]()
    for event in events:
        view.apply(event)
    drawn = text_of(view.render(events[-1].t), 120)
    first_break = next(e for e in events if isinstance(e, Broken))
    phase_2 = events[events.index(of(events, PhaseStarted)[1]):]
    came_late = {e.thread for e in of(phase_2, Broken) if e.already}
    there = [e.thread for e in of(events[:events.index(first_break)], Arrived)
             if e.barrier == 2 and e.thread not in came_late]
    done = events[-1]
    assert summary_line(done).startswith(f"Summary: {done.meetings} meetings passed together, "
                                         "then broken")
    assert (f"Barrier({PARTIES}) meeting {done.meetings + 1}: {len(there)} of {PARTIES} there "
            "when it broke") in drawn, drawn
    assert len(there) < PARTIES and came_late
    for who in came_late:
        assert f"{who}: came after the break: BrokenBarrierError at once" in drawn
    assert f"passed together: {done.meetings} meetings (1, 2)" in drawn
    assert {transcript_line(e) for e in of(phase_2, Arrived)} == {
        f"{e.thread} arrives at meeting {done.meetings + 1}, waits up to {e.timeout:.2f} s"
        for e in of(phase_2, Arrived)}


@pytest.mark.parametrize("seed", SEEDS)
def test_the_finished_condition_picture_shows_the_last_notify_and_nobody_going_on(seed):
    """After the run it still said 'not_full.notify() by consumer-2 woke producer' and
    '✓ producer goes on', though the producer had finished and the last notify in the
    log woke nobody."""
    events = run("condition", seed)
    view = VIEWS["condition"]()
    for event in events:
        view.apply(event)
    drawn = text_of(view.render(events[-1].t), 120)
    last = of(events, Notified)[-1]
    woke = ", ".join(last.woken) or f"nobody ({last.waiting} waiting)"
    assert f"last: {last.on}.{last.how}() by {last.thread} woke {woke}" in drawn, drawn
    assert "goes on" not in drawn and "needs the lock" not in drawn, drawn
    assert transcript_line(last).endswith(f"woke {', '.join(last.woken) or 'nobody'}")


@pytest.mark.parametrize("seed", SEEDS)
def test_the_lock_counters_read_as_sentences_and_the_last_line_is_past(seed):
    """They read '0 balance', '9 deposits in all', '0 blocked acquires', and the last
    deposit '(lock held)' beside a lock shown free."""
    events = run("lock", seed)
    view = VIEWS["lock"]()
    start = text_of(view.render(0.0), 120)
    assert "0 of 9  deposits made    0  in the balance    0  acquires blocked" in start, start
    assert "no deposit yet" in start
    for event in events:
        view.apply(event)
    drawn = text_of(view.render(events[-1].t), 120)
    done, last = events[-1], of(events, Deposited)[-1]
    blocked = f"{done.waits}  acquire{'' if done.waits == 1 else 's'} blocked"
    assert f"9 of 9  deposits made    {done.balance}  in the balance    {blocked}" in drawn, drawn
    assert (f"last deposit: {last.thread} read {last.before}, wrote {last.after}, holding "
            "the lock") in drawn
    assert "(lock held)" not in drawn and "○ free" in drawn
    assert "✓ nothing lost  balance 9 = 9 deposits" in drawn
    assert summary_line(done).startswith(f"Summary: 9 deposits, balance {done.balance}; "
                                         f"{done.waits} acquire")


def test_the_lock_pictures_last_lines_wrap_in_a_narrow_pane():
    """On lesson page 5 (three panes) the last deposit and the outcome were cut with …"""
    events = run("lock")
    view = VIEWS["lock"]()
    for event in events:
        view.apply(event)
    drawn = text_of(view.render(events[-1].t), 30)
    assert "…" not in drawn, drawn
    said = " ".join(drawn.split())
    assert "holding the lock" in said and "balance 9 = 9 deposits" in said
