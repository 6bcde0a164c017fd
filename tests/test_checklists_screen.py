"""The Checklists screen, driven by the keyboard, checked against the saved file."""

from __future__ import annotations

from pathlib import Path

import orjson
from pilot_waits import press_and_wait, until
from textual.widgets import DataTable, Input, Select

from gtm_tui.app import GtmApp
from gtm_tui.checklists import templates
from gtm_tui.data.model import ChecklistItem, Person, Stage
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormScreen
from gtm_tui.screens.main.checklists import STAGE_ROW, ChecklistsScreen

NOW = "2026-11-18T10:00:00+00:00"


def items_in_file(path: Path) -> dict[str, dict]:
    return orjson.loads(path.read_bytes())["checklist_items"]


def stage_texts(path: Path, stage_id: str) -> list[str]:
    items = [i for i in items_in_file(path).values() if i["stage_id"] == stage_id]
    return [i["text"] for i in sorted(items, key=lambda i: (i["position"], i["created_at"], i["id"]))]


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


async def open_checklists(pilot) -> ChecklistsScreen:
    await press_and_wait(pilot, "3")
    screen = pilot.app.screen
    assert isinstance(screen, ChecklistsScreen)
    return screen


def go_to(screen: ChecklistsScreen, key: str) -> None:
    table = screen.query_one("#checklist", DataTable)
    table.move_cursor(row=table.get_row_index(key))


def find(workspace: Workspace, text: str) -> ChecklistItem:
    return next(i for i in workspace.all(ChecklistItem) if i.text.startswith(text))


async def test_stage_rows_with_progress_and_the_overall_bar(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklists(pilot)
        table = screen.query_one("#checklist", DataTable)
        stages = app.workspace.all(Stage)
        assert table.row_count == len(stages) + app.workspace.count(ChecklistItem)
        first = stages[0]
        row = table.get_row(STAGE_ROW + first.id)
        assert str(row[1]) == "Idea & brief" and str(row[3]) == "3/4" and "█" in str(row[2])
        status = str(screen.query_one("#checklist-status").render())
        assert "16/37 done" in status and "6 overdue" in status


async def test_space_ticks_for_the_owner_and_unticks_clearing_who_and_when(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklists(pilot)
        item = find(app.workspace, "Deadline checked against the content calendar")
        go_to(screen, item.id)
        await pilot.press("space")
        await pilot.pause()
        saved = items_in_file(demo_file)[item.id]
        assert saved["done"] is True and saved["done_by"] == item.owner_id and saved["done_at"] == NOW
        table = screen.query_one("#checklist", DataTable)
        assert str(table.get_row(item.id)[0]) == "[x]"
        assert str(table.get_row(STAGE_ROW + item.stage_id)[3]) == "4/4"
        assert "17/37 done" in str(screen.query_one("#checklist-status").render())
        await pilot.press("space")
        await pilot.pause()
        saved = items_in_file(demo_file)[item.id]
        assert (saved["done"], saved["done_by"], saved["done_at"]) == (False, None, None)
        assert str(table.get_row(STAGE_ROW + item.stage_id)[3]) == "3/4"


async def test_who_am_i_is_recorded_on_ticks(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklists(pilot)
        maya = next(p for p in app.workspace.all(Person) if p.name == "Maya Thornton")
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        app.screen.query_one("#field-person", Select).value = maya.id
        await pilot.press("ctrl+s")
        await pilot.pause()
        item = find(app.workspace, "Deadline checked against the content calendar")  # owned by Daniel
        go_to(screen, item.id)
        await pilot.press("space")
        await pilot.pause()
        assert items_in_file(demo_file)[item.id]["done_by"] == maya.id
        assert "ticking as Maya Thornton" in str(screen.query_one("#checklist-status").render())


async def test_an_item_without_owner_asks_who_is_ticking(demo_file: Path):
    workspace = Workspace.open(demo_file)
    stage = workspace.all(Stage)[0]
    lonely = workspace.add(ChecklistItem(stage_id=stage.id, text="Nobody's item", position=99))
    app = GtmApp(demo_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklists(pilot)
        go_to(screen, lonely.id)
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        priya = next(p for p in workspace.all(Person) if p.name == "Priya Raman")
        app.screen.query_one("#field-person", Select).value = priya.id
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert items_in_file(demo_file)[lonely.id]["done_by"] == priya.id


async def test_add_an_item_and_an_impossible_due_date_is_refused_with_the_text_kept(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklists(pilot)
        copy = next(s for s in app.workspace.all(Stage) if s.name == "Copywriting")
        go_to(screen, STAGE_ROW + copy.id)
        before = len(items_in_file(demo_file))
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await type_text(pilot, "Hashtags agreed")
        app.screen.query_one("#field-due", Input).value = "2026-02-30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)  # still open
        assert "not a real date" in str(form.query_one("#error-due").render())
        assert form.query_one("#field-text", Input).value == "Hashtags agreed"
        assert form.query_one("#field-due", Input).value == "2026-02-30"
        assert len(items_in_file(demo_file)) == before
        form.query_one("#field-due", Input).value = "2026-11-25"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        assert stage_texts(demo_file, copy.id)[-1] == "Hashtags agreed"
        added = next(i for i in items_in_file(demo_file).values() if i["text"] == "Hashtags agreed")
        assert added["due"] == "2026-11-25"
        assert screen.selected_item().text == "Hashtags agreed"


async def test_edit_and_delete_an_item(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklists(pilot)
        item = find(app.workspace, "Alt text written for every image")
        go_to(screen, item.id)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#field-text", Input).value = "Alt text written for every image and GIF"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert items_in_file(demo_file)[item.id]["text"] == "Alt text written for every image and GIF"
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert item.id not in items_in_file(demo_file)


async def test_reorder_with_shift_arrows_and_capital_j_k(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklists(pilot)
        stage = next(s for s in app.workspace.all(Stage) if s.name == "Measure")
        original = stage_texts(demo_file, stage.id)
        last = find(app.workspace, original[-1])
        go_to(screen, last.id)
        await pilot.press("shift+up")
        await pilot.pause()
        assert stage_texts(demo_file, stage.id) == [original[0], original[2], original[1]]
        assert screen.selected_item().id == last.id  # the cursor follows the item
        await pilot.press("K")
        await pilot.pause()
        assert stage_texts(demo_file, stage.id) == [original[2], original[0], original[1]]
        await pilot.press("J", "shift+down")
        await pilot.pause()
        assert stage_texts(demo_file, stage.id) == original


async def test_filters_and_search(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklists(pilot)
        table = screen.query_one("#checklist", DataTable)
        await pilot.press("o")  # open only
        await pilot.pause()
        item_rows = [k.value for k in table.rows if not k.value.startswith(STAGE_ROW)]
        assert len(item_rows) == 21 and all(not app.workspace.get(ChecklistItem, k).done for k in item_rows)
        await pilot.press("x", "f")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-overdue_only").value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        item_rows = [k.value for k in table.rows if not k.value.startswith(STAGE_ROW)]
        assert len(item_rows) == 6
        assert "overdue only" in str(screen.query_one("#checklist-status").render())
        await pilot.press("x", "slash")
        await type_text(pilot, "legal")
        # the search applies after a pause in typing
        await until(pilot, lambda: screen.item_filter.search == "legal", "the search to apply")
        item_rows = [k.value for k in table.rows if not k.value.startswith(STAGE_ROW)]
        assert [app.workspace.get(ChecklistItem, k).text for k in item_rows] == [
            "Claims such as '3x faster dashboards' cleared with legal"]
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == app.workspace.count(Stage) + app.workspace.count(ChecklistItem)


async def test_apply_social_post_twice_adds_its_items_once(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklists(pilot)
        publish = next(s for s in app.workspace.all(Stage) if s.name == "Publish")
        before = stage_texts(demo_file, publish.id)
        social = [t.name for t in templates.available([])].index("Social post")
        for _ in range(2):
            go_to(screen, STAGE_ROW + publish.id)
            await pilot.press("t")
            await pilot.pause()
            app.screen.query_one("#field-template", Select).value = social
            await pilot.press("ctrl+s")
            await pilot.pause()
        assert stage_texts(demo_file, publish.id) == before + list(templates.BUILT_IN["Social post"])


async def test_save_a_stage_as_a_template(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklists(pilot)
        design = next(s for s in app.workspace.all(Stage) if s.name == "Creative design")
        go_to(screen, STAGE_ROW + design.id)
        await pilot.press("T")
        await pilot.pause()
        app.screen.query_one("#field-name", Input).value = "Design handover"
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = [t for t in orjson.loads(demo_file.read_bytes())["templates"].values() if t["name"] == "Design handover"]
        assert saved and saved[0]["items"] == stage_texts(demo_file, design.id)


async def test_opening_a_file_with_overdue_items_shows_a_reminder(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("6 checklist items are overdue" in m for m in messages)


async def test_ticking_one_of_2000_items_updates_one_row_not_the_table(demo_file: Path):
    workspace = Workspace.open(demo_file)
    stage = workspace.all(Stage)[0]
    with workspace.batch("many items"):
        for n in range(2000 - workspace.count(ChecklistItem)):
            workspace.add(ChecklistItem(stage_id=stage.id, text=f"Item {n}", position=100 + n,
                                            owner_id=stage.owner_id))
    app = GtmApp(demo_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklists(pilot)
        rebuilds = []
        original = screen.refresh_view
        screen.refresh_view = lambda: (rebuilds.append(1), original())[1]  # type: ignore[method-assign]
        item = find(workspace, "Item 1500")
        go_to(screen, item.id)
        await pilot.press("space")
        await pilot.pause()
        assert items_in_file(demo_file)[item.id]["done"] is True
        assert rebuilds == []  # patched in place
        assert str(screen.query_one("#checklist", DataTable).get_row(item.id)[0]) == "[x]"
