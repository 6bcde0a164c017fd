"""Stand-up mode, driven by the keyboard alone, checked against the saved file."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
from pilot_waits import press_and_wait
from textual.widgets import Input, TextArea

from gtm_tui.app import GtmApp
from gtm_tui.data.model import ChecklistItem, Person, WorkItem
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormScreen
from gtm_tui.screens.main.checklists import ChecklistsScreen
from gtm_tui.screens.pushed.standup import SECTION_ROW, StandupScreen
from gtm_tui.screens.widgets.line_table import LineTable

NOW = "2026-11-18T10:00:00+00:00"


def tables(path: Path) -> dict:
    return orjson.loads(path.read_bytes())


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


async def open_standup(pilot) -> StandupScreen:
    await press_and_wait(pilot, "3")
    await pilot.press("s")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, StandupScreen)
    return screen


def item_rows(screen: StandupScreen) -> list[str]:
    table = screen.query_one("#standup-items", LineTable)
    return [str(key.value) for key in table.rows if not str(key.value).startswith(SECTION_ROW)]


async def test_go_round_every_person_tick_by_keyboard_and_save_the_checkin(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_standup(pilot)
        people = app.workspace.all(Person)
        ticked: dict[str, str] = {}
        for person in people:
            assert screen.person.id == person.id
            # the cursor starts on this person's first item; space ticks it for them
            selected = screen.selected_item()
            if selected is not None and not selected.done:
                await pilot.press("space")
                await pilot.pause()
                saved = tables(demo_file)["checklist_items"][selected.id]
                assert saved["done"] is True and saved["done_by"] == person.id and saved["done_at"] == NOW
                ticked[selected.id] = person.id
                assert selected.id in item_rows(screen)  # now under "finished since the last stand-up"
            await pilot.press("tab")
            await pilot.pause()
        assert len(ticked) >= 5
        # Past the last person: the round-up, one line a person, saying what each ticked.
        assert screen.on_round_up and screen.person is None
        round_up = screen.query_one("#standup-items", LineTable)
        rows = [[str(cell) for cell in round_up.get_row_at(row)] for row in range(round_up.row_count)]
        assert [row[1] for row in rows] == [p.name for p in people]
        assert [row[2] for row in rows] == ["1" if p.id in ticked.values() else "–" for p in people]  # Ticked
        await pilot.press("tab")
        await pilot.pause()
        assert screen.person.id == people[0].id  # round and back to the first
        await pilot.press("n")
        await type_text(pilot, "Legal is the bottleneck")
        await press_and_wait(pilot, "escape", "e")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistsScreen)
        checkins = sorted(tables(demo_file)["checkins"].values(), key=lambda c: (c["date"], c["created_at"]))
        latest = checkins[-1]
        assert latest["date"] == "2026-11-18"
        assert latest["attendee_ids"] == [p.id for p in people]
        assert latest["notes"] == "Legal is the bottleneck"


async def test_flag_a_blocker_and_find_it_on_the_item_and_in_the_checkin(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_standup(pilot)
        await pilot.press("tab")  # Daniel Okafor
        await pilot.pause()
        item = screen.selected_item()
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        app.screen.query_one("#field-note", Input).value = "Waiting for the designer's files"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert tables(demo_file)["checklist_items"][item.id]["blocked"] == "Waiting for the designer's files"
        await pilot.press("e")
        await pilot.pause()
        latest = max(tables(demo_file)["checkins"].values(), key=lambda c: (c["date"], c["created_at"]))
        assert latest["blockers"] == [{"person_id": screen.person_ids[1], "item_id": item.id,
                                       "note": "Waiting for the designer's files"}]
        assert latest["attendee_ids"] == screen.person_ids[:2]


async def test_shift_tab_goes_back_enter_unticks_and_the_timebox_cycles(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_standup(pilot)
        await pilot.press("shift+tab")
        await pilot.pause()
        assert screen.on_round_up  # back from the first person: the round-up
        await pilot.press("shift+tab")
        await pilot.pause()
        assert screen.index == len(screen.person_ids) - 1  # Tom Becker: nothing due, two items waiting too long
        assert screen.selected_item() is not None  # the oldest waiting item comes first
        table = screen.query_one("#standup-items", LineTable)
        table.move_cursor(row=0)  # a section's title: the cursor moves on to the item under it
        await pilot.pause()
        assert table.cursor_row == 1 and not table.row_keys()[1].startswith(SECTION_ROW)
        await pilot.press("shift+tab")
        await pilot.pause()
        assert screen.person.name == "Sofia Alvarez"
        steps = {step.id for step in app.workspace.all(ChecklistItem)}
        table.move_cursor(row=next(row for row, key in enumerate(table.row_keys()) if key in steps))
        item = screen.selected_item()
        await pilot.press("space")
        await pilot.pause()
        assert tables(demo_file)["checklist_items"][item.id]["done"] is True
        table = screen.query_one("#standup-items", LineTable)
        table.move_cursor(row=table.get_row_index(item.id))
        await pilot.press("enter")
        await pilot.pause()
        saved = tables(demo_file)["checklist_items"][item.id]
        assert (saved["done"], saved["done_by"], saved["done_at"]) == (False, None, None)
        await pilot.press("t")
        assert screen.timebox == 60
        assert re.search(r"timebox 0:[0-5]\d left|timebox 1:00 left", str(screen.query_one("#standup-person").render()))
        await pilot.press("t", "t", "t")
        assert screen.timebox is None


async def test_past_checkins_toggle_and_leaving_with_notes_asks_first(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_standup(pilot)
        past = screen.query_one("#standup-past")
        assert not past.display
        await pilot.press("p")
        await pilot.pause()
        assert past.display
        assert "Mid-pilot retro" in str(screen.query_one("#standup-past-list").render())
        await pilot.press("n")
        await type_text(pilot, "hello")
        assert screen.query_one("#standup-notes", TextArea).text == "hello"
        await press_and_wait(pilot, "escape", "escape")  # leave the notes, then ask to leave
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        count = len(tables(demo_file)["checkins"])
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistsScreen)
        assert len(tables(demo_file)["checkins"]) == count


async def test_palette_offers_stand_up_mode_on_the_checklists_screen(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "3")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Stand-up mode" in titles


async def test_each_person_sees_steps_across_every_piece_their_turn_and_blockers_per_piece(demo_file: Path):
    from gtm_tui.screens.pushed.standup import BLOCKED_ROW, WORK_ROW

    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_standup(pilot)
        assert screen.person.name == "Aisha Karimi"
        keys = [str(key.value) for key in screen.query_one("#standup-items", LineTable).rows]
        news3 = next(i for i in app.workspace.all(WorkItem) if i.title.startswith("Newsletter #3"))
        turn = keys[keys.index("section:turn"):]
        assert WORK_ROW + news3.id in turn  # in Creative review, where she is R: her turn
        legal = next(s for s in app.workspace.all(ChecklistItem) if s.blocked.startswith("Waiting for legal"))
        assert BLOCKED_ROW + legal.id in keys
        # Her steps come from several pieces, each named beside the step.
        table = screen.query_one("#standup-items", LineTable)
        pieces = {s.work_item_id for s in app.workspace.all(ChecklistItem) if s.id in keys}
        assert len(pieces) >= 2
        assert " — " in str(
            table.get_row(next(k for k in keys if k in {s.id for s in app.workspace.all(ChecklistItem)}))[1]
        )
        table.move_cursor(row=table.get_row_index(BLOCKED_ROW + legal.id))
        await pilot.press("space")  # ticked from its blocker row, for the person shown
        await pilot.pause()
        saved = tables(demo_file)["checklist_items"][legal.id]
        assert saved["done"] is True and saved["done_by"] == screen.person.id
