"""Nothing typed is thrown away: esc keeps a form's draft, leaving a stand-up keeps its notes, quitting asks."""

from __future__ import annotations

from pathlib import Path

from pilot_waits import press_and_wait, type_at_once, wait_for_screen
from textual.widgets import Input, TextArea

from gtm_tui.app import GtmApp
from gtm_tui.data.model import Person
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormScreen
from gtm_tui.screens.pushed.standup import StandupScreen


async def test_esc_in_a_form_keeps_a_draft_that_comes_back_on_the_next_open(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "7")
        await type_at_once(pilot, "a", *"Dana", "tab", *"Writer", "escape")
        assert not isinstance(app.screen, FormScreen) and app.workspace.all(Person) == []
        await type_at_once(pilot, "a")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert (form.query_one("#field-name", Input).value, form.query_one("#field-role", Input).value) == (
            "Dana", "Writer")
        await type_at_once(pilot, *" Levi", "ctrl+s")
        assert [(p.name, p.role) for p in app.workspace.all(Person)] == [("Dana Levi", "Writer")]
        await type_at_once(pilot, "a")  # saved: the next form opens empty
        assert app.screen.query_one("#field-name", Input).value == ""


async def test_ctrl_l_starts_over_without_the_draft(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "7")
        await type_at_once(pilot, "a", *"Dana", "escape", "a", "ctrl+l", *"Omar", "ctrl+s")
        assert [p.name for p in app.workspace.all(Person)] == ["Omar"]
        assert not app.drafts.describe()


async def test_save_and_add_another_opens_the_next_empty_form(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "7")
        await type_at_once(pilot, "a", *"Dana", "ctrl+n", *"Omar", "ctrl+s")
        assert [p.name for p in app.workspace.all(Person)] == ["Dana", "Omar"]
        assert not isinstance(app.screen, FormScreen)


async def test_quitting_with_a_draft_asks_first_and_no_keeps_it(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "7")
        await type_at_once(pilot, "a", *"Dana", "ctrl+q")
        question = app.screen
        assert isinstance(question, ConfirmScreen) and any("Add a person" in line for line in question.details)
        await type_at_once(pilot, "n")
        assert isinstance(app.screen, FormScreen) and app.screen.query_one("#field-name", Input).value == "Dana"
        await type_at_once(pilot, "ctrl+q", "y")
        assert app.return_code is not None or not app.is_running


async def test_ctrl_q_in_the_stand_up_with_notes_asks_and_leaving_keeps_them(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(140, 44)) as pilot:
        await press_and_wait(pilot, "3")
        await type_at_once(pilot, "s")
        screen = await wait_for_screen(pilot, StandupScreen)
        await type_at_once(pilot, "n", *"Legal is slow", "ctrl+q")
        assert isinstance(app.screen, ConfirmScreen) and any("stand-up notes" in line for line in app.screen.details)
        await type_at_once(pilot, "n", "escape", "escape")
        assert isinstance(app.screen, ConfirmScreen)  # leaving without a check-in asks
        await type_at_once(pilot, "y")
        assert not isinstance(app.screen, StandupScreen)
        await type_at_once(pilot, "s")
        screen = await wait_for_screen(pilot, StandupScreen)
        assert screen.query_one("#standup-notes", TextArea).text == "Legal is slow"
