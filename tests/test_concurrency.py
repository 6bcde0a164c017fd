"""Many writers on one file: no lost update, no torn file, no stuck lock."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gtm_tui.data.model import ChecklistItem, Person, Stage
from gtm_tui.data.storage import SaveError, read_file
from gtm_tui.data.workspace import Workspace

# Four processes each making CHANGES_PER_PROCESS changes at once (the 4 x 250);
# about 20 s on two cores, so it runs with the soaks (python -m pytest -m slow; see test_soak.py).
PROCESSES = 4
CHANGES_PER_PROCESS = 250


def _writer(path: str, stage_id: str, number: int, changes: int) -> None:
    workspace = Workspace.open(path)
    stage = workspace.get(Stage, stage_id)
    for n in range(changes):
        item = workspace.add(ChecklistItem(stage_id=stage.id, text=f"writer {number} item {n}", position=n))
        if n % 5 == 4:  # an edit now and then, on top of whatever the others saved
            workspace.update(item, note=f"edited by {number}")


@pytest.mark.slow
def test_four_processes_saving_at_once_lose_nothing(empty_file: Path):
    workspace = Workspace.open(empty_file)
    stage = workspace.add(Stage(name="Draft"))
    context = multiprocessing.get_context("fork")
    writers = [
        context.Process(target=_writer, args=(str(empty_file), stage.id, number, CHANGES_PER_PROCESS))
        for number in range(PROCESSES)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=600)
        assert writer.exitcode == 0
    items = read_file(empty_file)["checklist_items"].values()
    texts = {item["text"] for item in items}
    assert len(items) == PROCESSES * CHANGES_PER_PROCESS
    assert texts == {f"writer {w} item {n}" for w in range(PROCESSES) for n in range(CHANGES_PER_PROCESS)}
    edited = [item for item in items if item["note"]]
    assert len(edited) == PROCESSES * (CHANGES_PER_PROCESS // 5)


SAVER = textwrap.dedent(
    """
    import sys
    from gtm_tui.data.model import Person
    from gtm_tui.data.workspace import Workspace

    workspace = Workspace.open(sys.argv[1])
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        person = workspace.add(Person(name=f"Person {n}", role="x" * (n % 300)))
        workspace.update(person, team="t" * (n % 50))
        if n % 3 == 0:
            workspace.delete(person)
    """
)


def test_a_process_killed_while_saving_never_leaves_an_unreadable_file(empty_file: Path):
    rng = random.Random(8)
    for _ in range(5):
        process = subprocess.Popen([sys.executable, "-c", SAVER, str(empty_file)], stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        # Let it save for a random while, then kill it without warning.
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=rng.uniform(0.05, 0.4))
        process.send_signal(signal.SIGKILL)
        process.wait()
        tables = read_file(empty_file)  # parses and is a workspace: the old or the new file, never half
        assert tables["pilot"]
    assert Workspace.open(empty_file).add(Person(name="After the crashes"))
    leftovers = [name for name in os.listdir(empty_file.parent) if name.endswith(".tmp")]
    assert leftovers == []  # what a killed save left was removed when the file was opened again


HOLDER = textwrap.dedent(
    """
    import sys, time
    from filelock import FileLock

    lock = FileLock(sys.argv[1])
    lock.acquire()
    print("locked", flush=True)
    time.sleep(120)
    """
)


def _hold_lock(lock_path: Path) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(lock_path)], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "locked"
    return process


def test_a_lock_left_by_a_dead_process_is_taken_over(workspace: Workspace):
    holder = _hold_lock(workspace.storage.lock_path)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert workspace.storage.lock_path.exists()  # the lock file is still there...
    workspace.storage.lock_timeout = 5
    workspace.add(Person(name="Ann"))  # ...but the OS released the lock with the process
    assert [p["name"] for p in read_file(workspace.path)["people"].values()] == ["Ann"]


def test_a_lock_held_too_long_gives_a_clear_message_and_changes_nothing(workspace: Workspace):
    before = workspace.path.read_bytes()
    holder = _hold_lock(workspace.storage.lock_path)
    try:
        workspace.storage.lock_timeout = 0.3
        with pytest.raises(SaveError, match=r"locked by another gtm-tui .* more than 0.3 s; your change was not saved"):
            workspace.add(Person(name="Ann"))
    finally:
        holder.kill()
        holder.wait()
    assert workspace.path.read_bytes() == before
    assert workspace.all(Person) == []
    workspace.add(Person(name="Ann"))  # once the lock is free, saving works again
    assert [p.name for p in workspace.all(Person)] == ["Ann"]



def test_two_sessions_ticking_different_steps_of_one_run_both_keep_their_tick(demo_file):
    from gtm_tui.checklists.checklist_items import tick_changes
    from gtm_tui.data.model import Run, WorkItem
    from gtm_tui.work import moving

    first, second = Workspace.open(demo_file), Workspace.open(demo_file)
    run = next(r for r in first.all(Run) if r.open and r.work_item_id
               and sum(not s.done for s in moving.steps_of(first, r.id)) >= 2)
    item = first.get(WorkItem, run.work_item_id)
    open_steps = [s for s in moving.steps_of(first, run.id) if not s.done]
    mine = open_steps[0]
    theirs = second.get(ChecklistItem, open_steps[1].id)  # read before the first tick was saved
    first.update(mine, **tick_changes(item.assignee_id, "2026-11-18T10:00:00+00:00"))
    second.update(theirs, **tick_changes(None, "2026-11-18T10:01:00+00:00"))
    reread = Workspace.open(demo_file)
    assert reread.get(ChecklistItem, mine.id).done and reread.get(ChecklistItem, theirs.id).done
