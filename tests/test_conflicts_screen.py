"""The Conflicts screen, its palette commands, the Overview reminder and the conflict-copy offer."""

from __future__ import annotations

import copy
from pathlib import Path

import orjson
from textual.widgets import DataTable, Static

from gtm_tui.app import GtmApp
from gtm_tui.data.model import ChecklistItem, Conflict, Person
from gtm_tui.data.storage import dump
from gtm_tui.data.workspace import Workspace
from gtm_tui.overview import summary as overview
from gtm_tui.screens.pushed.conflicts import ConflictsScreen
from gtm_tui.sharing.merge import merge

LATER = "2026-11-18T12:00:00+00:00"


def make_conflicts(path: Path) -> tuple[str, str]:
    """Write into ``path`` a merge with a field conflict (a person's role) and a kept deleted checklist item."""
    base = orjson.loads(path.read_bytes())
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    person, item = sorted(base["people"])[0], sorted(base["checklist_items"])[0]
    ours["people"][person].update(role="Our role", updated_at=LATER)
    theirs["people"][person].update(role="Their role")
    del ours["checklist_items"][item]
    theirs["checklist_items"][item].update(note="changed on their side")
    path.write_bytes(dump(merge(base, ours, theirs).tables))
    return person, item


def titles(app: GtmApp) -> list[str]:
    return [command.title for command in app.get_system_commands(app.screen)]


async def test_conflicts_are_listed_and_settled_by_keys(demo_file: Path):
    person, item = make_conflicts(demo_file)
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        assert "Conflicts" in titles(app)
        app.action_conflicts()
        await pilot.pause()
        assert isinstance(app.screen, ConflictsScreen)
        table = app.screen.query_one("#conflicts", DataTable)
        assert table.row_count == 2
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(2)]
        role_row = next(i for i, row in enumerate(rows) if row[1] == "role")
        assert rows[role_row][2:4] == ["Our role", "Their role"]
        assert {"Take other value", "Keep current value"} <= set(titles(app))

        table.move_cursor(row=role_row)
        await pilot.press("k")  # keep "Our role"
        await pilot.pause()
        assert table.row_count == 1
        assert Workspace.open(demo_file).get(Person, person).role == "Our role"

        await pilot.press("o")  # the other side deleted the checklist item: delete it
        await pilot.pause()
        assert table.row_count == 0
        assert Workspace.open(demo_file).find(ChecklistItem, item) is None
        assert "No merge conflicts" in str(app.screen.query_one("#conflicts-hint", Static).render())

        await pilot.press("ctrl+z")  # one step brings the item and its conflict back
        await pilot.pause()
        assert table.row_count == 1
        assert Workspace.open(demo_file).find(ChecklistItem, item) is not None
        await pilot.press("escape")
        assert not isinstance(app.screen, ConflictsScreen)


async def test_taking_the_other_value_applies_it_through_the_workspace(demo_file: Path):
    person, _ = make_conflicts(demo_file)
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_conflicts()
        await pilot.pause()
        table = app.screen.query_one("#conflicts", DataTable)
        role_row = next(i for i in range(table.row_count) if str(table.get_row_at(i)[1]) == "role")
        table.move_cursor(row=role_row)
        await pilot.press("o")
        await pilot.pause()
    stored = Workspace.open(demo_file)
    assert stored.get(Person, person).role == "Their role"
    assert [c.field for c in stored.all(Conflict)] == [""]


def test_the_overview_shows_conflicts_only_when_there_are_some(demo_file: Path):
    assert "Merge conflicts" not in [s.title for s in overview.sections(Workspace.open(demo_file))]
    make_conflicts(demo_file)
    section = next(s for s in overview.sections(Workspace.open(demo_file)) if s.title == "Merge conflicts")
    assert section.rows[0].label == "2 to review"
    assert any("role: now Our role, other Their role" in row.value for row in section.rows)


async def test_the_app_offers_to_fold_in_conflict_copies_it_sees(demo_file: Path):
    tables = orjson.loads(demo_file.read_bytes())
    person = sorted(tables["people"])[0]
    tables["people"][person].update(role="From the copy", updated_at=LATER)
    copy_path = demo_file.parent / "demo-pilot.sync-conflict-20261118-101500-ABCDEFG.json"
    copy_path.write_bytes(orjson.dumps(tables))
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert any(copy_path.name in n.message for n in app._notifications)
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Fold in conflict copies")
        command.callback()
        await pilot.pause()
        assert not copy_path.exists()
        assert app.workspace.get(Person, person).role == "From the copy"
        assert "Fold in conflict copies" not in titles(app)
