"""Textual's DataTable for the few small tables that keep it (merge conflicts, an import's preview).

Every table of the app moves the same way: Home/End and g/G go to the first and
last row (``LineTable`` for the big ones); a DataTable's Home and End only scroll
sideways in a table with a row cursor.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from textual.binding import Binding, BindingType
from textual.widgets import DataTable


class RowTable(DataTable[RenderableType]):
    """A DataTable with a row cursor whose Home/End and g/G go to the first and last row."""

    MOVING_AROUND = True  # its keys move the cursor: help lists them under "Moving around"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home,g", "first_row", "First row", show=False),
        Binding("end,G", "last_row", "Last row", show=False),
    ]

    def action_first_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=0)

    def action_last_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1)
