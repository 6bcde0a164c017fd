"""Backups beside the file: at the first save of each day, before migrations, when folding copies; the last 10 kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from gtm_tui.cli.main import main
from gtm_tui.data import backups, clock
from gtm_tui.data.model import Person
from gtm_tui.data.storage import WorkspaceFileError, read_file
from gtm_tui.data.workspace import Workspace
from gtm_tui.sharing.copies import conflict_copies


def test_the_first_save_of_a_day_backs_up_the_file_as_it_was(empty_file: Path):
    before = empty_file.read_bytes()
    workspace = Workspace.open(empty_file)
    workspace.add(Person(name="Ann"))
    workspace.add(Person(name="Bo"))
    made = backups.list_backups(empty_file)
    assert [p.name for p in made] == ["pilot.2026-11-18.100000.daily.json"]
    assert made[0].parent.name == "pilot-backups"
    assert made[0].read_bytes() == before  # the state before the day's first change

    clock.freeze(datetime(2026, 11, 19, 9, 0, tzinfo=UTC))
    workspace.add(Person(name="Cy"))
    assert len(backups.list_backups(empty_file)) == 2
    assert [p["name"] for p in read_file(backups.list_backups(empty_file)[-1])["people"].values()] != []


def test_only_the_last_ten_backups_are_kept(empty_file: Path):
    start = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    workspace = Workspace.open(empty_file)
    for day in range(14):
        clock.freeze(start + timedelta(days=day))
        workspace.add(Person(name=f"Person {day}"))
    kept = backups.list_backups(empty_file)
    assert len(kept) == backups.KEEP == 10
    assert kept[0].name.startswith("pilot.2026-11-05.")  # the four oldest went
    assert kept[-1].name.startswith("pilot.2026-11-14.")


def test_a_failed_backup_never_blocks_a_save(empty_file: Path):
    (empty_file.parent / "pilot-backups").write_text("a file where the folder should be")
    workspace = Workspace.open(empty_file)
    workspace.add(Person(name="Ann"))
    assert "could not back up" in workspace.backup_error
    assert [p.name for p in Workspace.open(empty_file).all(Person)] == ["Ann"]


def test_folding_a_conflict_copy_merges_it_and_moves_it_into_the_backups(demo_file: Path, capsys):
    tables = orjson.loads(demo_file.read_bytes())
    person = sorted(tables["people"])[0]
    tables["people"][person].update(role="Set in the copy", updated_at="2026-11-18T12:00:00+00:00")
    copy_path = demo_file.parent / "demo-pilot (Dana's conflicted copy 2026-11-18).json"
    copy_path.write_bytes(orjson.dumps(tables))
    workspace = Workspace.open(demo_file)
    assert conflict_copies(workspace) == [copy_path]
    assert main(["merge", "--into", str(demo_file)]) == 0
    assert not copy_path.exists()
    assert Workspace.open(demo_file).get(Person, person).role == "Set in the copy"
    names = [p.name for p in backups.list_backups(demo_file)]
    assert any(name.endswith(".folded-copy.json") for name in names)
    assert any(name.endswith(".before-fold.json") for name in names)
    assert "folded in 1 copy" in capsys.readouterr().err
    workspace.reload_if_changed()
    assert conflict_copies(workspace) == []


def test_an_unreadable_conflict_copy_is_left_alone_and_reported(demo_file: Path):
    copy_path = demo_file.parent / "demo-pilot (1).json"
    copy_path.write_text("{ half a file")
    assert main(["merge", "--into", str(demo_file), str(copy_path)]) == 2
    assert copy_path.read_text() == "{ half a file"


def test_a_file_refused_at_every_open_is_backed_up_once_and_the_good_backups_stay(empty_file: Path):
    start = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    workspace = Workspace.open(empty_file)
    for day in range(3):
        clock.freeze(start + timedelta(days=day))
        workspace.add(Person(name=f"Person {day}"))
    good = backups.list_backups(empty_file)
    tables = orjson.loads(empty_file.read_bytes())
    tables["meta"]["workspace"]["schema"] = -1  # an old schema with no way up: refused at every open
    empty_file.write_bytes(orjson.dumps(tables))
    for attempt in range(12):
        clock.freeze(start + timedelta(days=5, seconds=attempt))
        with pytest.raises(WorkspaceFileError, match="no way to upgrade"):
            Workspace.open(empty_file)
    kept = backups.list_backups(empty_file)
    assert kept[: len(good)] == good  # nothing good was pushed out
    assert len(kept) == len(good) + 1  # the refused file itself, once
    assert kept[-1].read_bytes() == empty_file.read_bytes()


def test_the_same_content_is_backed_up_once(empty_file: Path):
    first = backups.backup(empty_file, "manual")
    clock.freeze(datetime(2026, 11, 18, 11, 0, tzinfo=UTC))
    assert backups.backup(empty_file, "before-fold") == first
    Workspace.open(empty_file).add(Person(name="Ann"))  # the daily backup is of the same content too
    assert backups.list_backups(empty_file) == [first]
