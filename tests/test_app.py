"""The app shell and the People screen, driven through the keyboard."""

from __future__ import annotations

from pathlib import Path

import orjson
from pilot_waits import press_and_wait, wait_for_screen
from textual.widgets import Input

from gtm_tui.app import MAIN_SCREENS, GtmApp
from gtm_tui.data.model import Person
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormScreen
from gtm_tui.screens.pushed.help import HelpScreen
from gtm_tui.screens.widgets.line_table import LineTable


def people_in_file(path: Path) -> list[dict]:
    return sorted(orjson.loads(path.read_bytes())["people"].values(), key=lambda p: p["name"])


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


async def test_number_keys_reach_every_main_screen(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        for entry in MAIN_SCREENS:
            await pilot.press(entry.key)
            await pilot.pause()
            assert type(app.screen) is entry.load()


async def test_help_lists_the_screen_keys_and_closes(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "7", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        sections = dict(app.screen.sections)
        assert ("a", "Add person") in sections["People"]
        assert ("ctrl+z", "Undo") in [(k.lower().replace("^", "ctrl+"), d) for k, d in sections["Everywhere"]]
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


async def test_palette_offers_every_screen_and_the_current_screens_actions(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "7")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for entry in MAIN_SCREENS:
            assert f"Go to {entry.name}" in titles
        assert {"Add person", "Edit", "Delete", "Help", "Undo"} <= set(titles)


async def test_add_edit_delete_a_person_by_keyboard_and_find_it_in_the_file(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "7", "a")
        assert isinstance(app.screen, FormScreen)
        await type_text(pilot, "Dana Levi")
        await pilot.press("enter")
        await type_text(pilot, "Content writer")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [p["name"] for p in people_in_file(empty_file)] == ["Dana Levi"]
        assert people_in_file(empty_file)[0]["role"] == "Content writer"
        table = app.screen.query_one("#people", LineTable)
        assert table.row_count == 1

        await pilot.press("e")
        await pilot.pause()
        name = app.screen.query_one("#field-role", Input)
        name.value = "Senior writer"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert people_in_file(empty_file)[0]["role"] == "Senior writer"

        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert people_in_file(empty_file) == []

        await pilot.press("ctrl+z")
        await pilot.pause()
        assert [p["name"] for p in people_in_file(empty_file)] == ["Dana Levi"]


async def test_a_refused_person_keeps_the_form_open_with_what_was_typed(empty_file: Path):
    workspace = Workspace.open(empty_file)
    workspace.add(Person(name="Dana Levi"))
    app = GtmApp(empty_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "7", "a")
        await type_text(pilot, "dana levi")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert app.screen.query_one("#field-name", Input).value == "dana levi"
        error = str(app.screen.query_one("#error-name").render())
        assert "already on the team" in error
        await pilot.press("escape")
        assert len(people_in_file(empty_file)) == 1


async def test_title_shows_the_pilot_the_file_and_the_saved_state(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)):
        assert app.title == "Test pilot"
        assert app.sub_title == f"{empty_file.name} · ✓ saved"


async def test_first_run_writes_nothing_until_the_user_chooses(tmp_path: Path):
    path = tmp_path / "new-pilot.json"
    app = GtmApp(path, None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not path.exists()
        shown = {binding.description for _, binding, _, _ in app.screen.active_bindings.values()}
        assert "Empty pilot" in shown and not shown & {"Overview", "People", "Undo"}  # nothing to show yet
        await press_and_wait(pilot, "2", "ctrl+z")  # and pressing them does nothing
        assert not path.exists()
        await pilot.press("e")
        await pilot.pause()
        await type_text(pilot, "Spring pilot")
        await pilot.press("enter")
        await pilot.pause()
        assert path.exists()
        assert app.workspace is not None and app.workspace.pilot().name == "Spring pilot"
        assert app.screen.SCREEN_NAME == "Overview"


async def test_first_run_choice_picked_in_the_list_opens_its_form(tmp_path: Path):
    """Enter (or a click) on a line of the list runs that line's action, as its key would."""
    from textual.widgets import OptionList

    app = GtmApp(tmp_path / "new-pilot.json", None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        options.focus()
        options.highlighted = 0  # "An empty pilot"
        await pilot.press("enter")
        form = await wait_for_screen(pilot, FormScreen)
        assert "Pilot name" in {field.label for field in form.fields}


async def test_first_run_quit_leaves_no_file(tmp_path: Path):
    path = tmp_path / "new-pilot.json"
    app = GtmApp(path, None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert not path.exists()


def test_each_main_screen_entry_names_its_class_truly():
    for entry in MAIN_SCREENS:
        screen = entry.load()
        assert (screen.SCREEN_KEY, screen.SCREEN_NAME) == (entry.key, entry.name)


async def test_palette_reaches_another_screens_actions_from_anywhere(demo_file: Path):
    from gtm_tui.screens.pushed.standup import StandupScreen

    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "1")
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        assert {"Stand-up mode", "Meeting mode", "Report for leadership", "Pilot setup", "Flowchart"} <= set(commands)
        commands["Stand-up mode"].callback()
        await wait_for_screen(pilot, StandupScreen)
        assert isinstance(app.screen, StandupScreen)


async def test_help_puts_the_screens_keys_before_moving_around(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "3", "question_mark")
        names = [name for name, _ in app.screen.sections]
        assert names == ["Checklists", "Moving around", "Everywhere"]
        own = {description: key for key, description in app.screen.sections[0][1]}
        assert own.get("Tick / untick") == "space" and "Focus Next" not in own
        await press_and_wait(pilot, "escape", "3")
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert "Tick / untick" in titles and "Cursor up" not in titles


async def test_palette_keeps_actions_bound_on_our_widgets(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "6")
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert "Add question" in titles  # bound on the Retro screen's questions table
