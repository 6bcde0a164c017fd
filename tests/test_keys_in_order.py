"""Keys typed at machine speed right after a key that opens a form or a picker land in it, whole and in order."""

from __future__ import annotations

from pathlib import Path

from pilot_waits import press_and_wait, type_at_once
from textual.widgets import Input

from gtm_tui.app import GtmApp
from gtm_tui.data.model import Person, Question
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.dialogs.forms import FormScreen


async def test_a_name_typed_right_after_a_lands_whole_in_the_new_form(empty_file: Path):
    workspace = Workspace.open(empty_file)
    workspace.add(Person(name="Ann"))
    app = GtmApp(empty_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "7")
        await type_at_once(pilot, "a", *"Typeahead")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-name", Input).value == "Typeahead"


async def test_keys_typed_on_after_saving_a_form_go_to_the_screen_below_in_order(empty_file: Path):
    workspace = Workspace.open(empty_file)
    app = GtmApp(empty_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "7")
        await type_at_once(pilot, "a", *"Lena", "enter", "ctrl+s", "a", *"Omar", "ctrl+s")
        assert sorted(p.name for p in app.workspace.all(Person)) == ["Lena", "Omar"]
        assert not isinstance(app.screen, FormScreen)


async def test_a_question_typed_right_after_a_never_reaches_the_screen_below(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "6")
        before = [q.text for q in app.workspace.all(Question)]
        # "e" and "d" are the question table's edit and delete keys: typed into the form, they stay text.
        await type_at_once(pilot, "a", *"Lena edits", "ctrl+s")
        assert [q.text for q in app.workspace.all(Question)] == [*before, "Lena edits"]
