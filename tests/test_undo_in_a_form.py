"""ctrl+z and ctrl+y inside a form or a question never change a saved record behind it.

Undo acts on saved changes. While a form is being filled in, a saved change
undone behind it (the person just added, the stage the form is about) is a
surprise the user does not see happen; so a one-line field refuses in the form's
own words, a long field undoes its own typing, and a question does nothing.
"""

from __future__ import annotations

from pathlib import Path

import orjson
from pilot_waits import press_and_wait, run_command, type_at_once, until
from textual.widgets import Input, Static, TextArea

from gtm_tui.app import GtmApp
from gtm_tui.data.model import Person
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormScreen


def names_in_file(path: Path) -> list[str]:
    return sorted(person["name"] for person in orjson.loads(path.read_bytes())["people"].values())


async def test_ctrl_z_and_ctrl_y_in_a_one_line_field_leave_the_file_and_say_why(empty_file: Path):
    workspace = Workspace.open(empty_file)
    app = GtmApp(empty_file, workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await press_and_wait(pilot, "7")
        await type_at_once(pilot, "a", *"Ann", "ctrl+s")
        await until(pilot, lambda: names_in_file(empty_file) == ["Ann"], "Ann saved")
        await type_at_once(pilot, "a", *"Bo", "ctrl+z")
        form = app.screen
        assert isinstance(form, FormScreen)
        notice = form.query_one("#form-notice", Static)
        await until(pilot, lambda: "ctrl+z undoes saved changes" in str(notice.render()), "the form to say why")
        await pilot.press("ctrl+y")
        await until(pilot, lambda: "ctrl+y redoes saved changes" in str(notice.render()), "the same for redo")
        assert names_in_file(empty_file) == ["Ann"]  # Ann was not undone behind the form
        assert form.query_one("#field-name", Input).value == "Bo"  # and the typing is all there
        assert app.screen is form
        await pilot.press("ctrl+s")
        await until(pilot, lambda: names_in_file(empty_file) == ["Ann", "Bo"], "Bo saved")
        await pilot.press("ctrl+z")  # on the screen again: undo works as before
        await until(pilot, lambda: names_in_file(empty_file) == ["Ann"], "the undo of Bo")


async def test_ctrl_z_in_a_long_field_undoes_the_typing_not_a_saved_change(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "2")
        before = demo_file.read_bytes()
        form = await press_and_wait(pilot, "e")
        assert isinstance(form, FormScreen)
        area = form.query_one("#field-today_note", TextArea)
        area.focus()
        await pilot.pause()
        opened_with = area.text
        await type_at_once(pilot, *"xyz")
        await until(pilot, lambda: area.text != opened_with, "the typing")
        await pilot.press("ctrl+z")
        await until(pilot, lambda: area.text == opened_with, "the field's own undo")
        assert app.screen is form
        assert demo_file.read_bytes() == before


async def test_ctrl_z_while_a_question_is_asked_changes_nothing(empty_file: Path):
    workspace = Workspace.open(empty_file)
    workspace.add(Person(name="Ann"))
    app = GtmApp(empty_file, workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await press_and_wait(pilot, "7")
        question = await press_and_wait(pilot, "d")
        assert isinstance(question, ConfirmScreen)
        for key in ("ctrl+z", "ctrl+y"):  # one at a time: a redo right after an undo would hide it
            await pilot.press(key)
            await pilot.pause()
            assert names_in_file(empty_file) == ["Ann"], key
        assert app.screen is question
        await press_and_wait(pilot, "y")
        await until(pilot, lambda: names_in_file(empty_file) == [], "the delete")


async def test_undo_from_the_palette_over_a_form_leaves_the_file_and_says_why(empty_file: Path):
    workspace = Workspace.open(empty_file)
    workspace.add(Person(name="Ann"))
    app = GtmApp(empty_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "7")
        form = await press_and_wait(pilot, "a")
        assert isinstance(form, FormScreen)
        await run_command(pilot, "Undo", "Undo", FormScreen)
        notice = form.query_one("#form-notice", Static)
        await until(pilot, lambda: "ctrl+z undoes saved changes" in str(notice.render()), "the form to say why")
        assert names_in_file(empty_file) == ["Ann"]
