"""The stand-up as a facilitator runs it: every open item of each person, the cursor on real rows only, ticks
that follow on to the next step, a jump by initials, and a check-in that lists what was ticked."""

from __future__ import annotations

from pathlib import Path

import orjson
from pilot_waits import press_and_wait, type_at_once, wait_for_screen

from gtm_tui.app import GtmApp
from gtm_tui.checklists.runs import steps_to_work
from gtm_tui.data.model import Person, WorkItem
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.pushed.standup import PERSON_ROW, SECTION_ROW, WORK_ROW, StandupScreen


async def open_standup(app: GtmApp, pilot) -> StandupScreen:
    await press_and_wait(pilot, "3")
    await type_at_once(pilot, "s")
    screen = await wait_for_screen(pilot, StandupScreen)
    assert isinstance(screen, StandupScreen)
    return screen


async def test_every_open_item_of_each_person_is_listed_with_no_placeholder_stop(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_standup(app, pilot)
        steps = steps_to_work(app.workspace)
        for person in app.workspace.all(Person):
            if screen.person.id != person.id:
                await type_at_once(pilot, "j", *person.name, "enter")
            assert screen.person.id == person.id
            table = screen.query_one("#standup-items")
            keys = table.row_keys()
            mine = {step.id for step in steps if step.owner_id == person.id and not step.done}
            mine |= {WORK_ROW + item.id for item in app.workspace.all(WorkItem)
                     if item.assignee_id == person.id and item.status != "done"}
            assert mine <= set(keys), (person.name, mine - set(keys))
            # Down from the first row to the last: every stop is a real row, and every real row is a stop.
            stops = [keys[table.cursor_row]]
            while table.cursor_row < len(keys) - 1:
                await type_at_once(pilot, "down")
                stops.append(keys[table.cursor_row])
            assert not [key for key in stops if key.startswith(SECTION_ROW)], person.name
            assert stops == [key for key in keys if not key.startswith(SECTION_ROW)], person.name


async def test_tick_five_steps_for_two_people_in_eight_keys(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "3")
        keys = ["s", "space", "space", "space", "tab", "space", "space"]  # with "3": eight keys
        await type_at_once(pilot, keys[0])
        screen = await wait_for_screen(pilot, StandupScreen)
        first = screen.person
        await type_at_once(pilot, *keys[1:])
        second = screen.person
        assert first.id != second.id
        ticked = screen.ticked
        assert [entry["person_id"] for entry in ticked] == [first.id] * 3 + [second.id] * 2
        assert len({entry["item_id"] for entry in ticked}) == 5
        stored = orjson.loads(demo_file.read_bytes())["checklist_items"]
        assert all(stored[entry["item_id"]]["done"] for entry in ticked)
        # The cursor never rests on a section's title.
        table = screen.query_one("#standup-items")
        assert not table.row_keys()[table.cursor_row].startswith(SECTION_ROW)
        await type_at_once(pilot, "e")
        checkin = max(orjson.loads(demo_file.read_bytes())["checkins"].values(), key=lambda c: c["created_at"])
        assert [(t["person_id"], t["item_id"]) for t in checkin["ticked"]] == [
            (entry["person_id"], entry["item_id"]) for entry in ticked]
        summary = [str(n.message) for n in app._notifications if "Check-in saved" in str(n.message)]
        assert summary and f"{first.name} — ticked 3" in summary[0] and f"{second.name} — ticked 2" in summary[0]


async def test_jump_to_a_person_by_initials(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_standup(app, pilot)
        await type_at_once(pilot, "j", "t", "b", "enter")
        assert screen.person.name == "Tom Becker"
        await type_at_once(pilot, "j", *"pri", "enter")
        assert screen.person.name == "Priya Raman"


async def test_the_round_up_has_a_line_a_person_and_enter_goes_back_to_one(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_standup(app, pilot)
        first = screen.person
        await type_at_once(pilot, "space", "shift+tab")  # one tick, then back past the first: the round-up
        assert screen.on_round_up
        table = screen.query_one("#standup-items")
        people = app.workspace.all(Person)
        assert table.row_keys() == [PERSON_ROW + person.id for person in people]
        assert [str(cell) for cell in table.get_row_at(0)[:3]] == ["✓", first.name, "1"]  # ticked 1
        await type_at_once(pilot, "space")  # nothing to tick here: a word, no change
        assert screen.on_round_up and len(screen.ticked) == 1
        await type_at_once(pilot, "G", "enter")
        assert screen.person.id == people[-1].id
