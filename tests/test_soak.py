"""Soaks of the shared file (slow: ``python -m pytest -m slow``; CI runs them as a step of their own).

Four writers appending at once to one work item's feedback cycles and one
theme's dots must end with every entry; a writer killed mid-save, over and
over, must never leave an unreadable file, nor a temp file once the file is
opened again.
"""

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

from gtm_tui.data import clock
from gtm_tui.data.model import Person, Theme, WorkItem
from gtm_tui.data.storage import read_file
from gtm_tui.data.workspace import Workspace
from gtm_tui.review import retro
from gtm_tui.work import work_items as work

pytestmark = pytest.mark.slow

WRITERS = 4
APPENDS = 250  # per writer: the 4 x 250
KILLS = 200


def _append_and_vote(path: str, item_id: str, theme_id: str, person_id: str, number: int) -> None:
    workspace = Workspace.open(path)
    person = workspace.get(Person, person_id)
    for n in range(APPENDS):
        item = workspace.get(WorkItem, item_id)  # this process's copy: stale as soon as another writer saves
        workspace.apply(work.add_feedback_cycle(item, clock.now(), f"writer {number} cycle {n}"))
        theme = workspace.get(Theme, theme_id)
        retro.apply(workspace, "vote", [retro.vote(workspace.all(Theme), theme, person, +1, APPENDS)])


def test_four_writers_appending_at_once_end_with_every_entry(empty_file: Path):
    workspace = Workspace.open(empty_file)
    item = workspace.add(WorkItem(title="Launch post"))
    theme = workspace.add(Theme(name="Handoffs"))
    people = [workspace.add(Person(name=f"Writer {n}")) for n in range(WRITERS)]
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_append_and_vote, args=(str(empty_file), item.id, theme.id, people[n].id, n))
               for n in range(WRITERS)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=900)
        assert writer.exitcode == 0
    tables = read_file(empty_file)
    cycles = tables["work_items"][item.id]["feedback_cycles"]
    assert len(cycles) == WRITERS * APPENDS == 1000
    assert {c["note"] for c in cycles} == {f"writer {w} cycle {n}" for w in range(WRITERS) for n in range(APPENDS)}
    votes = tables["themes"][theme.id]["votes"]
    assert sum(votes.values()) == 1000 and votes == {person.id: APPENDS for person in people}


SAVER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timezone
    from gtm_tui.data.model import Person, WorkItem
    from gtm_tui.data.workspace import Workspace
    from gtm_tui.work import work_items as work

    workspace = Workspace.open(sys.argv[1])
    item = workspace.all(WorkItem)[0]
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        person = workspace.add(Person(name=f"Person {sys.argv[2]}-{n}", role="x" * (n % 300)))
        cycle = work.add_feedback_cycle(workspace.get(WorkItem, item.id), datetime.now(timezone.utc), "x" * (n % 90))
        workspace.apply(cycle)
        if n % 3 == 0:
            workspace.delete(person)
    """
)


def test_kills_mid_save_never_leave_an_unreadable_file_nor_a_temp_file_after_the_next_open(empty_file: Path):
    Workspace.open(empty_file).add(WorkItem(title="Launch post"))
    rng = random.Random(19)
    folder = empty_file.parent
    for kill in range(KILLS):
        process = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(empty_file), str(kill)], stdout=subprocess.PIPE, text=True
        )
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=rng.uniform(0.0, 0.15))
        process.send_signal(signal.SIGKILL)
        process.wait()
        tables = read_file(empty_file)  # parses and is a workspace: the old or the new file, never half
        assert tables["pilot"] and tables["work_items"]
        Workspace.open(empty_file)  # the next open clears what the killed save left
        leftovers = [name for name in os.listdir(folder) if name.endswith(".tmp")]
        assert leftovers == [], f"after kill {kill}: {leftovers}"
    backups = folder / "pilot-backups"
    assert not [name for name in os.listdir(backups) if name.endswith(".tmp")] if backups.exists() else True
