"""Every table: Home/End and g/G go to the first and last row, and a long text ends in "…" at the edge, also
once more rows than fit bring a scrollbar."""

from __future__ import annotations

from pathlib import Path

from pilot_waits import press_and_wait, until, wait_for_screen
from test_conflicts_screen import make_conflicts
from textual.app import App, ComposeResult

from gtm_tui.app import GtmApp
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.pushed.conflicts import ConflictsScreen
from gtm_tui.screens.widgets.line_table import LineTable
from gtm_tui.screens.widgets.row_table import RowTable


async def test_home_end_g_and_G_go_to_the_first_and_last_row_of_a_table(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "7")
        table = app.screen.query_one(LineTable)
        last = table.row_count - 1
        assert last > 2 and table.has_focus
        for key, row in (("G", last), ("g", 0), ("end", last), ("home", 0)):
            await pilot.press(key)
            await until(pilot, lambda row=row: table.cursor_row == row, f"{key} to reach row {row}")


async def test_home_and_end_in_the_raci_grid_go_along_the_row(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "4")
        grid = app.screen.query_one(LineTable)
        row = grid.cursor_row
        await pilot.press("end")
        await until(pilot, lambda: grid.cursor_column == len(grid.columns) - 1, "end to reach the last person")
        await pilot.press("home")
        await until(pilot, lambda: grid.cursor_column == 0, "home to reach the first column")
        assert grid.cursor_row == row


async def test_the_conflicts_table_moves_the_same_way(demo_file: Path):
    make_conflicts(demo_file)  # two conflicts
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_conflicts()
        screen = await wait_for_screen(pilot, ConflictsScreen)
        table = screen.query_one("#conflicts", RowTable)
        table.focus()
        assert table.row_count == 2
        for key, row in (("G", 1), ("g", 0), ("end", 1), ("home", 0)):
            await pilot.press(key)
            await until(pilot, lambda row=row: table.cursor_row == row, f"{key} to reach row {row}")


class OneTable(App):
    CSS = "LineTable { height: 6; }"

    def compose(self) -> ComposeResult:
        table = LineTable(cursor_type="row")
        table.add_column("Who", width=10)
        table.add_column("Note", flex=True)
        yield table


async def test_a_flexible_column_narrows_when_a_scrollbar_comes_so_long_text_still_ends_in_an_ellipsis():
    app = OneTable()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(LineTable)
        note = "the brief arrived complete and nobody had to chase it " * 2
        for index in range(3):
            table.add_row("Priya", note, key=str(index))
        await until(pilot, lambda: table.row_count == 3, "three rows")
        assert not table.show_vertical_scrollbar
        for index in range(3, 12):
            table.add_row("Priya", note, key=str(index))
        await until(pilot, lambda: table.show_vertical_scrollbar, "the scrollbar for twelve rows")
        await until(pilot, lambda: sum(table._column_widths()) == table.scrollable_content_region.width,
                    "the columns to fit beside the scrollbar")
        assert table.max_scroll_x == 0  # nothing hides past the edge behind a sideways scroll
        await pilot.pause()
        assert table.render_line(1).text.rstrip().endswith("…")
