"""The RACI screen driven by keys on the demo pilot: every change is checked in the saved file."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
from pilot_waits import press_and_wait
from rich.console import Console
from textual.widgets import Input, OptionList, Static

from gtm_tui.app import GtmApp
from gtm_tui.data.model import RaciAssignment
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormScreen
from gtm_tui.screens.main.raci import RaciScreen
from gtm_tui.screens.pushed.person_page import PersonPageScreen, page_renderable
from gtm_tui.screens.widgets.line_table import LineTable

# Demo rows: 0 Idea & brief, 1 Strategy sign-off, 2 Copywriting, 3 Creative design, 4 Creative review,
# 5 Creative review / approve copy, 6 Launch approval, 7 Build & upload, 8 Publish, 9 Measure.
# Columns: 0 the row label, then 1 Aisha, 2 Daniel, 3 Lukas, 4 Maya, 5 Priya, 6 Sofia, 7 Tom.


def roles_in_file(path: Path) -> dict[tuple[str, str, str, str], str]:
    """(layer, stage name, activity, person name) -> role, as saved."""
    data = orjson.loads(path.read_bytes())
    stages = {s["id"]: s["name"] for s in data["stages"].values()}
    people = {p["id"]: p["name"] for p in data["people"].values()}
    return {
        (a["layer"], stages[a["stage_id"]], a["activity"], people[a["person_id"]]): a["role"]
        for a in data["raci"].values()
    }


async def open_raci(pilot) -> tuple[RaciScreen, LineTable]:
    await press_and_wait(pilot, "4")
    screen = pilot.app.screen
    assert isinstance(screen, RaciScreen)
    return screen, screen.query_one("#raci-grid", LineTable)


def page_text(screen: PersonPageScreen) -> str:
    """The person page as plain text, the way it is drawn."""
    assert screen.page is not None
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(page_renderable(screen.page))
    return console.export_text()


async def test_set_combine_and_clear_roles_by_key_saves_each_change(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen, grid = await open_raci(pilot)
        cell = ("pilot", "Creative design", "", "Tom Becker")
        assert cell not in roles_in_file(demo_file)
        grid.move_cursor(row=3, column=7)
        await pilot.press("r")
        assert roles_in_file(demo_file)[cell] == "R"
        assert grid.get_cell_at(grid.cursor_coordinate).plain == "R"
        await pilot.press("a")
        assert roles_in_file(demo_file)[cell] == "A/R"
        await pilot.press("r")  # the same letter again takes R away
        assert roles_in_file(demo_file)[cell] == "A"
        await pilot.press("r")
        assert roles_in_file(demo_file)[cell] == "A/R"
        await pilot.press("c")  # C replaces
        assert roles_in_file(demo_file)[cell] == "C"
        await pilot.press("c")
        assert cell not in roles_in_file(demo_file)
        await pilot.press("i", "backspace")
        assert cell not in roles_in_file(demo_file)
        await pilot.press("i", "delete")
        assert cell not in roles_in_file(demo_file)
        assert grid.get_cell_at(grid.cursor_coordinate).plain.strip() == ""


async def test_a_cell_change_updates_the_cell_without_rebuilding_the_table(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen, grid = await open_raci(pilot)
        rebuilt = []
        original_clear = grid.clear
        grid.clear = lambda *args, **kwargs: rebuilt.append(1) or original_clear(*args, **kwargs)  # type: ignore[method-assign]
        grid.move_cursor(row=0, column=3)
        await pilot.press("i")
        assert grid.get_cell_at(grid.cursor_coordinate).plain == "I"
        assert rebuilt == []
        assert grid.cursor_coordinate == (0, 3)


async def test_vim_keys_and_arrows_move_the_cursor(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen, grid = await open_raci(pilot)
        grid.move_cursor(row=0, column=0)
        await pilot.press("l", "l", "j", "j", "j")
        assert tuple(grid.cursor_coordinate) == (3, 2)
        await pilot.press("h", "k", "right", "down")
        assert tuple(grid.cursor_coordinate) == (3, 2)


async def test_switching_layers_edits_today_and_the_problems_follow(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen, grid = await open_raci(pilot)
        side = screen.query_one("#raci-problems", OptionList)
        assert screen.shown_layer == "pilot"
        assert side.option_count == 2  # the demo's pilot layer: two warnings
        await pilot.press("t")
        assert screen.shown_layer == "today"
        assert "TODAY" in str(screen.query_one("#raci-status", Static).render())
        messages = [str(side.get_option_at_index(i).prompt) for i in range(side.option_count)]
        assert any("Strategy sign-off: 2 people are Accountable" in m for m in messages)
        # Maya is one of the two A on strategy sign-off today: taking her A away fixes the row.
        grid.move_cursor(row=1, column=4)
        await pilot.press("a")
        saved = roles_in_file(demo_file)
        assert ("today", "Strategy sign-off", "", "Maya Thornton") not in saved
        assert saved[("pilot", "Strategy sign-off", "", "Maya Thornton")] == "A"
        messages = [str(side.get_option_at_index(i).prompt) for i in range(side.option_count)]
        assert not any("Strategy sign-off" in m for m in messages)
        await pilot.press("t")
        assert screen.shown_layer == "pilot"


async def test_enter_on_a_problem_jumps_to_its_cell(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen, grid = await open_raci(pilot)
        await pilot.press("t")
        grid.move_cursor(row=9, column=1)
        side = screen.query_one("#raci-problems", OptionList)
        side.focus()
        await pilot.pause()
        side.highlighted = 0  # "Strategy sign-off: 2 people are Accountable (Aisha Karimi and Maya Thornton)"
        await pilot.press("enter")
        await pilot.pause()
        assert tuple(grid.cursor_coordinate) == (1, 4)  # Strategy sign-off × Maya Thornton
        assert screen.focused is grid
        side.focus()
        await pilot.press("j", "enter")  # "Creative review: nobody is Accountable": the row, column kept
        await pilot.pause()
        assert grid.cursor_row == 4


async def test_overlay_shows_the_demo_differences_and_refuses_edits(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen, grid = await open_raci(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert grid.get_cell_at((4, 2)).plain == "C→A"  # Daniel on Creative review
        assert grid.get_cell_at((4, 4)).plain == "R→I"  # Maya
        assert grid.get_cell_at((5, 1)).plain == "+A"  # Aisha on approve copy, only in the pilot
        assert grid.get_cell_at((2, 4)).plain == "−A"  # Maya no longer A on copywriting
        side = screen.query_one("#raci-problems", OptionList)
        assert side.option_count == 32
        before = demo_file.read_bytes()
        grid.move_cursor(row=4, column=2)
        await pilot.press("r")
        assert demo_file.read_bytes() == before
        await pilot.press("o")
        assert grid.get_cell_at((4, 2)).plain == "A"


async def test_add_rename_and_remove_an_activity_row(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen, grid = await open_raci(pilot)
        grid.move_cursor(row=6, column=4)  # Launch approval × Maya
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        app.screen.query_one("#field-activity", Input).value = "final yes"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert roles_in_file(demo_file)[("pilot", "Launch approval", "final yes", "Maya Thornton")] == "A"
        assert grid.cursor_row == 7 and "final yes" in grid.get_cell_at((7, 0)).plain

        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#field-activity", Input).value = "approve copy"  # taken in Creative review only
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert roles_in_file(demo_file)[("pilot", "Launch approval", "approve copy", "Maya Thornton")] == "A"

        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#field-activity", Input).value = "Approve copy"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)  # refused, the form stays with what was typed
        assert "already an activity" in str(app.screen.query_one("#error-activity", Static).render())
        await pilot.press("escape")

        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert not any(key[1] == "Launch approval" and key[2] for key in roles_in_file(demo_file))

        grid.move_cursor(row=1)
        await pilot.press("D")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)  # a stage's own row is not removed here


async def test_person_page_from_raci_people_and_palette(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen, grid = await open_raci(pilot)
        titles = [command.title for command in app.get_system_commands(screen)]
        assert "Page of Daniel Okafor" in titles and "Person page" in titles
        grid.move_cursor(row=0, column=2)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PersonPageScreen)
        text = page_text(app.screen)
        assert "Daniel Okafor" in text and "Creative review" in text and "Accountable on 7 rows" in text
        await pilot.press("right")
        assert "Lukas Brenner" in page_text(app.screen)
        await pilot.press("escape")
        assert isinstance(app.screen, RaciScreen)

        await press_and_wait(pilot, "7")
        people = app.screen.query_one("#people", LineTable)
        people.move_cursor(row=0)  # Aisha Karimi
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PersonPageScreen)
        assert "Aisha Karimi" in page_text(app.screen)


async def test_an_empty_pilot_explains_instead_of_failing(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen, grid = await open_raci(pilot)
        assert grid.row_count == 0
        status = str(screen.query_one("#raci-status").render())
        assert "needs stages: add them on Process (key 2) and people: add them on People (key 7)" in status
        for key in ("r", "backspace", "t", "o", "o", "e", "D", "p", "j", "l", "m"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen  # no stage or person yet: a message, not a form
        assert Workspace.open(empty_file).count(RaciAssignment) == 0
