"""Enter in a form: the last field's enter saves (a one-line form saves at once), an earlier field's moves on."""

from __future__ import annotations

from pathlib import Path

import orjson
from pilot_waits import press_and_wait, type_at_once, wait_for_screen
from textual.widgets import Input

from gtm_tui.app import GtmApp
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.dialogs.forms import FormScreen
from gtm_tui.screens.pushed.standup import StandupScreen


async def test_enter_saves_a_one_line_form_at_once(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(80, 24)) as pilot:
        await press_and_wait(pilot, "3", "s")
        screen = await wait_for_screen(pilot, StandupScreen)
        item = screen.selected_item()
        await type_at_once(pilot, "b", *"Waiting for legal", "enter")
        assert isinstance(app.screen, StandupScreen)
        stored = orjson.loads(demo_file.read_bytes())["checklist_items"][item.id]
        assert stored["blocked"] == "Waiting for legal"


async def test_enter_in_an_earlier_field_moves_to_the_next_and_saves_nothing(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(80, 24)) as pilot:
        await press_and_wait(pilot, "7")
        await type_at_once(pilot, "a", *"Dana", "enter", *"Writer")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-name", Input).value == "Dana"
        assert form.query_one("#field-role", Input).value == "Writer"
        assert orjson.loads(empty_file.read_bytes())["people"] == {}
