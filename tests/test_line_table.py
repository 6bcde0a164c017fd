"""LineTable's flexible column fills the room the rows leave: no sideways scrollbar, no gap at the right edge.

The room is the table's width less the vertical scrollbar when the rows need one. It used to be read off
the scrollbars showing at that moment, which follow the rows: a table whose rows came after its widths
were measured drew a sideways scrollbar, and one whose rows shrank kept a blank strip where the
scrollbar had been — which of the two a screen showed depended on how busy the machine was.
"""

from __future__ import annotations

from pilot_waits import until
from textual.app import App, ComposeResult

from gtm_tui.screens.widgets.line_table import LineTable

WIDTH, HEIGHT = 60, 10  # the table's own size: a header and 9 rows fit without a scrollbar


class OneTable(App):
    CSS = f"LineTable {{ width: {WIDTH}; height: {HEIGHT}; }}"

    def compose(self) -> ComposeResult:
        table = LineTable()
        table.add_column("Who", width=10)
        table.add_column("Note", flex=True)
        yield table


def fill(table: LineTable, count: int) -> None:
    table.clear()
    for number in range(count):
        table.add_row(f"person {number}", f"note {number}", key=str(number))


def drawn_width(table: LineTable) -> int:
    return sum(table._column_widths())


async def settled(pilot, table: LineTable, rows: int) -> None:
    await until(pilot, lambda: table.virtual_size.height == rows + 1, f"{rows} rows to be laid out")
    await pilot.pause()


async def test_rows_that_come_after_the_first_layout_leave_no_sideways_scrollbar():
    app = OneTable()
    async with app.run_test() as pilot:
        table = app.query_one(LineTable)
        await pilot.pause()  # laid out, widths measured with no rows: no scrollbar needed then
        fill(table, 30)
        await settled(pilot, table, 30)
        assert table.show_vertical_scrollbar
        assert not table.show_horizontal_scrollbar
        assert drawn_width(table) == WIDTH - table.styles.scrollbar_size_vertical


async def test_rows_that_shrink_give_the_scrollbar_s_room_back():
    app = OneTable()
    async with app.run_test() as pilot:
        table = app.query_one(LineTable)
        fill(table, 30)
        await settled(pilot, table, 30)
        fill(table, 3)
        await settled(pilot, table, 3)
        assert not table.show_vertical_scrollbar
        assert not table.show_horizontal_scrollbar
        assert drawn_width(table) == WIDTH
