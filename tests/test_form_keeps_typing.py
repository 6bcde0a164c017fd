"""A form keeps what was typed when its record or the shared file changes under it, and says what to do."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from pilot_waits import press_and_wait
from textual.widgets import Input, Static

from gtm_tui.app import GtmApp
from gtm_tui.data.model import Person, Theme, WorkItem
from gtm_tui.data.storage import SCHEMA
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormScreen


def people_in_file(path: Path) -> dict[str, dict]:
    return orjson.loads(path.read_bytes())["people"]


async def open_edit_form(app: GtmApp, pilot, new_name: str) -> FormScreen:
    await press_and_wait(pilot, "7")
    await pilot.press("e")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, FormScreen)
    form.query_one("#field-name", Input).value = new_name
    return form


def form_message(form: FormScreen) -> str:
    return str(form.query_one("#form-error", Static).content)


async def test_a_record_deleted_while_its_form_is_open_can_be_re_created_with_what_was_typed(empty_file: Path):
    workspace = Workspace.open(empty_file)
    ann = workspace.add(Person(name="Ann", role="Writer"))
    app = GtmApp(empty_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_edit_form(app, pilot, "Ann Lee")
        teammate = Workspace.open(empty_file)
        teammate.delete(teammate.get(Person, ann.id))
        app.workspace.reload_if_changed()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # still open, nothing lost
        assert form.query_one("#field-name", Input).value == "Ann Lee"
        assert "no longer exists" in form_message(form) and "ctrl+r re-creates it" in form_message(form)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.screen is not form
        assert [(p["id"], p["name"], p["role"]) for p in people_in_file(empty_file).values()] == [
            (ann.id, "Ann Lee", "Writer")
        ]


async def test_a_shared_file_deleted_while_a_form_is_open_keeps_the_text_and_offers_a_side_file(empty_file: Path):
    workspace = Workspace.open(empty_file)
    workspace.add(Person(name="Ann"))
    app = GtmApp(empty_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_edit_form(app, pilot, "Ann Lee")
        form.query_one("#field-role", Input).value = "Writes the launch copy"
        empty_file.unlink()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "does not exist" in form_message(form) and "ctrl+o saves it to a side file" in form_message(form)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.screen is not form
        side_files = list(empty_file.parent.glob("pilot.unsaved-*.txt"))
        assert len(side_files) == 1
        text = side_files[0].read_text()
        assert "Ann Lee" in text and "Writes the launch copy" in text and "does not exist" in text


@pytest.mark.parametrize("damage", ["truncated", "newer version"])
async def test_any_change_after_the_file_was_damaged_is_refused_in_one_line(empty_file: Path, damage: str):
    workspace = Workspace.open(empty_file)
    ann = workspace.add(Person(name="Ann"))
    theme = workspace.add(Theme(name="Handoffs"))
    app = GtmApp(empty_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "6")
        if damage == "truncated":
            empty_file.write_bytes(b"")
        else:
            tables = orjson.loads(empty_file.read_bytes())
            tables["meta"]["workspace"]["schema"] = SCHEMA + 1
            empty_file.write_bytes(orjson.dumps(tables))
        before = empty_file.read_bytes()
        app.screen.query_one("#themes").focus()
        await pilot.press("plus")  # a dot for Ann on the theme
        await pilot.pause()
        assert empty_file.read_bytes() == before  # never written over
        messages = [str(n.message) for n in app._notifications]
        assert any("your change was not saved" in m for m in messages), messages
        assert "NOT SAVED" in app.sub_title
        # The screens keep showing the last good version.
        assert [t.name for t in app.workspace.all(Theme)] == ["Handoffs"] and app.workspace.find(Person, ann.id)
        assert theme.id in {t.id for t in app.workspace.all(Theme)}


async def test_a_form_asks_before_saving_over_a_teammates_newer_value(empty_file: Path):
    workspace = Workspace.open(empty_file)
    ann = workspace.add(Person(name="Ann", team="Content"))
    app = GtmApp(empty_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_edit_form(app, pilot, "Ann Lee")
        teammate = Workspace.open(empty_file)
        teammate.update(teammate.get(Person, ann.id), name="Annie", team="Brand")
        app.workspace.reload_if_changed()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "a teammate changed name" in app.screen.question.lower()
        assert any("'Annie'" in line and "'Ann Lee'" in line for line in app.screen.details)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form and people_in_file(empty_file)[ann.id]["name"] == "Annie"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is not form
        saved = people_in_file(empty_file)[ann.id]
        assert (saved["name"], saved["team"]) == ("Ann Lee", "Brand")  # mine where I changed it; theirs elsewhere


async def test_logging_time_on_an_item_a_teammate_deleted_offers_to_re_create_it(empty_file: Path):
    workspace = Workspace.open(empty_file)
    item = workspace.add(WorkItem(title="Launch post"))
    app = GtmApp(empty_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "5")
        await pilot.press("f")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-note", Input).value = "Legal wants it shorter"
        teammate = Workspace.open(empty_file)
        teammate.delete(teammate.get(WorkItem, item.id))
        app.workspace.reload_if_changed()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and "no longer exists" in form_message(form)
        await pilot.press("ctrl+r")
        await pilot.pause()
        saved = orjson.loads(empty_file.read_bytes())["work_items"][item.id]
        assert [entry["note"] for entry in saved["feedback_cycles"]] == ["Legal wants it shorter"]
