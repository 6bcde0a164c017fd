"""A table drawn on Textual's line API: only the rows in view are rendered, and each of them once until it changes.

Textual's ``DataTable`` measures every cell of every row when rows are added
and drops all of its render caches when one cell changes: 2,600 checklist
items cost half a second to show, and a tick redraws every visible cell.
``LineTable`` keeps the same ways in (``add_row``, ``update_cell``,
``move_cursor``, ``get_row_index``, ``RowHighlighted`` …) so a screen's code
reads the same, and adds what a big pilot needs:

* ``set_rows(keys, cells_of)``: rows given by key, their cells asked for only
  when a row comes into view (and kept until ``refresh_rows`` says it changed);
* a row drawn once and kept as a line (per cursor and focus state): moving the
  cursor or ticking an item redraws one or two lines, not the table;
* ``insert_row`` / ``remove_row`` / ``update_row``, so a new note or a moved
  item changes its own row.

Column widths are given (``width``), fill what is left (``flex``), or, for a
table whose rows are all added with their cells, fit the widest cell.
Every row is one line high; text longer than its column ends in an ellipsis.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets.data_table import CellDoesNotExist, CellKey, ColumnKey, RowDoesNotExist, RowKey

CellsOf = Callable[[str], Sequence[RenderableType]]
PADDING = 1  # cells of space on each side of a cell, as DataTable draws them
MAX_KEPT_LINES = 4000  # drawn rows kept; past this the oldest half is dropped


@dataclass
class Column:
    """One column: its key, its header, and how wide its content is drawn."""

    key: ColumnKey
    label: Text
    width: int  # content width in cells (the padding comes on top)
    auto: bool = False  # widened to fit the widest cell added with ``add_row``
    flex: bool = False  # takes the width the other columns leave


def _as_text(value: RenderableType | None) -> Text:
    if isinstance(value, Text):
        return value
    return Text("" if value is None else str(value))


class LineTable(ScrollView, can_focus=True):
    """A table of one-line rows drawn on the line API (see the module docstring)."""

    MOVING_AROUND = True  # its keys move the cursor, as a DataTable's do: help lists them under "Moving around"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("right", "cursor_right", "Cursor right", show=False),
        Binding("left", "cursor_left", "Cursor left", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("ctrl+home", "scroll_top", "Top", show=False),
        Binding("ctrl+end", "scroll_bottom", "Bottom", show=False),
        Binding("home", "scroll_home", "Home", show=False),
        Binding("end", "scroll_end", "End", show=False),
        Binding("g", "first_row", "First row", show=False),
        Binding("G", "last_row", "Last row", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "line-table--cursor",
        "line-table--fixed",
        "line-table--header",
        "line-table--even-row",
    }
    DEFAULT_CSS = """
    LineTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus {
            background-tint: $foreground 5%;
            & > .line-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .line-table--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .line-table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .line-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .line-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .line-table--fixed {
            background: $secondary-muted;
            color: $foreground;
        }
        & > .line-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .line-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    class RowHighlighted(Message):
        """The cursor moved to another row (or the row under it is another record)."""

        def __init__(self, data_table: LineTable, cursor_row: int, row_key: RowKey) -> None:
            super().__init__()
            self.data_table = data_table
            self.cursor_row = cursor_row
            self.row_key = row_key

        @property
        def control(self) -> LineTable:
            return self.data_table

    class RowSelected(RowHighlighted):
        """Enter (or a click on the row under the cursor) chose the row."""

    def __init__(
        self,
        *,
        cursor_type: str = "row",
        zebra_stripes: bool = False,
        fixed_columns: int = 0,
        show_header: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.cursor_type = cursor_type  # "row" or "cell"
        self.zebra_stripes = zebra_stripes
        self.fixed_columns = fixed_columns
        self.show_header = show_header
        self._columns: list[Column] = []
        self._keys: list[str] = []
        self._index: dict[str, int] | None = {}
        self._cells: dict[str, Sequence[RenderableType]] = {}
        self._cells_of: CellsOf | None = None
        self._lines: dict[tuple[Any, ...], Strip] = {}
        self._header: Strip | None = None
        self._widths: list[int] = []
        self._widths_room: int | None = None  # the room the flexible columns were shared out of
        self._row = 0
        self._column = 0
        self._announced: tuple[int, str] | None = None
        self._size_stale = False  # rows were added or removed since the scrollable size was last set
        self._styles: tuple[Style, ...] = ()  # the styles the kept lines were drawn with
        self._settling = False  # a call to settle after this batch of changes is scheduled

    # -- columns ---------------------------------------------------------------------------
    def add_column(self, label: RenderableType, *, width: int | None = None, key: str | None = None,
                   flex: bool = False) -> ColumnKey:
        """Add a column; ``width`` None fits the widest cell added with ``add_row``; ``flex`` fills the rest."""
        text = _as_text(label)
        column_key = ColumnKey(key if key is not None else f"column-{len(self._columns)}")
        auto = width is None and not flex
        self._columns.append(Column(column_key, text, width if width is not None else text.cell_len, auto, flex))
        self._changed_shape()
        return column_key

    def set_column_width(self, key: str, width: int) -> None:
        """Give a column a new width (a screen fitting its columns to a narrow terminal)."""
        for column in self._columns:
            if column.key.value == key and column.width != width:
                column.width = width
                self._changed_shape()

    def add_columns(self, *labels: RenderableType) -> list[ColumnKey]:
        return [self.add_column(label) for label in labels]

    @property
    def columns(self) -> dict[ColumnKey, Column]:
        return {column.key: column for column in self._columns}

    @property
    def ordered_columns(self) -> list[Column]:
        return list(self._columns)

    def _column_index(self, column_key: ColumnKey | str) -> int:
        value = column_key.value if isinstance(column_key, ColumnKey) else column_key
        for index, column in enumerate(self._columns):
            if column.key.value == value:
                return index
        raise CellDoesNotExist(f"no column {value!r}")

    # -- rows ------------------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self._keys)

    @property
    def rows(self) -> dict[RowKey, int]:
        """Every row's key (``RowKey``, as DataTable's ``rows``), in order."""
        return {RowKey(key): index for index, key in enumerate(self._keys)}

    def row_keys(self) -> list[str]:
        """The rows' keys, in order."""
        return list(self._keys)

    def clear(self, columns: bool = False) -> LineTable:
        """Remove every row (and the columns too)."""
        self._keys, self._index, self._cells, self._cells_of = [], {}, {}, None
        if columns:
            self._columns = []
        self._row = 0
        self._changed_shape()
        return self

    def add_row(self, *cells: RenderableType, key: str | None = None, label: Any = None) -> RowKey:
        """Add a row at the end with its cells."""
        key = key if key is not None else f"row-{len(self._keys)}"
        if key in self._key_index():
            raise ValueError(f"a row with key {key!r} is already in the table")
        self._keys.append(key)
        if self._index is not None:
            self._index[key] = len(self._keys) - 1
        self._cells[key] = cells
        self._widen(cells)
        self._changed_rows()
        return RowKey(key)

    def set_rows(self, keys: Iterable[str], cells_of: CellsOf) -> None:
        """Show these rows, in this order; ``cells_of(key)`` gives a row's cells when it comes into view."""
        self._keys = list(keys)
        self._index = None  # built when first asked for
        self._cells = {}
        self._cells_of = cells_of
        self._changed_rows(all_lines=True)

    def insert_row(self, key: str, cells: Sequence[RenderableType] | None = None, index: int | None = None) -> None:
        """Add one row at ``index`` (the end by default); its cells as given, or from ``cells_of`` when in view."""
        if key in self._key_index():
            raise ValueError(f"a row with key {key!r} is already in the table")
        position = len(self._keys) if index is None else max(0, min(index, len(self._keys)))
        self._keys.insert(position, key)
        self._index = None if position < len(self._keys) - 1 else self._index
        if self._index is not None:
            self._index[key] = position
        if cells is not None:
            self._cells[key] = cells
            self._widen(cells)
        if position <= self._row < len(self._keys) - 1:
            self._row += 1  # the cursor stays on its row
        self._changed_rows(all_lines=position < len(self._keys) - 1)

    def remove_row(self, row_key: RowKey | str) -> None:
        key = self._value(row_key)
        index = self.get_row_index(key)
        del self._keys[index]
        self._cells.pop(key, None)
        self._index = None
        if self._row > index or self._row >= len(self._keys):
            self._row = max(0, self._row - 1)
        self._changed_rows(all_lines=True)

    def update_row(self, row_key: RowKey | str, cells: Sequence[RenderableType] | None = None) -> None:
        """Redraw one row: with these cells, or with what ``cells_of`` says now."""
        key = self._value(row_key)
        self.get_row_index(key)
        if cells is None:
            self._cells.pop(key, None)
        else:
            self._cells[key] = cells
            self._widen(cells)
        self._forget_lines({key})
        self.refresh()

    def refresh_rows(self, keys: Iterable[str]) -> None:
        """These rows changed: ask ``cells_of`` for them again when they are in view."""
        keys = set(keys)
        for key in keys:
            self._cells.pop(key, None)
        self._forget_lines(keys)
        self.refresh()

    def update_cell(self, row_key: RowKey | str, column_key: ColumnKey | str, value: RenderableType,
                    *, update_width: bool = False) -> None:
        key = self._value(row_key)
        if key not in self._key_index():
            raise CellDoesNotExist(f"no row {key!r}")
        column = self._column_index(column_key)
        cells = list(self._row_cells(key))
        cells += [""] * (len(self._columns) - len(cells))
        cells[column] = value
        self._cells[key] = cells
        if update_width:
            self._widen(cells)
        self._forget_lines({key})
        self.refresh()

    def get_row_index(self, row_key: RowKey | str) -> int:
        key = self._value(row_key)
        index = self._key_index().get(key)
        if index is None:
            raise RowDoesNotExist(f"no row {key!r}")
        return index

    def get_row(self, row_key: RowKey | str) -> list[RenderableType]:
        key = self._value(row_key)
        self.get_row_index(key)
        return list(self._row_cells(key))

    def get_row_at(self, row_index: int) -> list[RenderableType]:
        if not 0 <= row_index < len(self._keys):
            raise RowDoesNotExist(f"no row at {row_index}")
        return list(self._row_cells(self._keys[row_index]))

    def get_cell(self, row_key: RowKey | str, column_key: ColumnKey | str) -> RenderableType:
        cells = self.get_row(row_key)
        column = self._column_index(column_key)
        return cells[column] if column < len(cells) else ""

    def get_cell_at(self, coordinate: Coordinate | tuple[int, int]) -> RenderableType:
        coordinate = Coordinate(*coordinate)
        cells = self.get_row_at(coordinate.row)
        if not 0 <= coordinate.column < len(self._columns):
            raise CellDoesNotExist(f"no cell at {coordinate}")
        return cells[coordinate.column] if coordinate.column < len(cells) else ""

    def coordinate_to_cell_key(self, coordinate: Coordinate | tuple[int, int]) -> CellKey:
        coordinate = Coordinate(*coordinate)
        if not 0 <= coordinate.row < len(self._keys) or not 0 <= coordinate.column < max(1, len(self._columns)):
            raise CellDoesNotExist(f"no cell at {coordinate}")
        column = self._columns[coordinate.column].key if self._columns else ColumnKey("")
        return CellKey(RowKey(self._keys[coordinate.row]), column)

    def is_valid_row_index(self, row_index: int) -> bool:
        return 0 <= row_index < len(self._keys)

    @staticmethod
    def _value(row_key: RowKey | str) -> str:
        return row_key.value if isinstance(row_key, RowKey) else row_key  # type: ignore[return-value]

    def _key_index(self) -> dict[str, int]:
        if self._index is None:
            self._index = {key: index for index, key in enumerate(self._keys)}
        return self._index

    def _row_cells(self, key: str) -> Sequence[RenderableType]:
        cells = self._cells.get(key)
        if cells is None:
            cells = self._cells_of(key) if self._cells_of is not None else ()
            self._cells[key] = cells
        return cells

    def _widen(self, cells: Sequence[RenderableType]) -> None:
        for column, value in zip(self._columns, cells, strict=False):
            if column.auto:
                width = value.cell_len if isinstance(value, Text) else cell_len(str(value))
                if width > column.width:
                    column.width = width
                    self._widths, self._header, self._size_stale = [], None, True
                    self._lines.clear()

    # -- the cursor ------------------------------------------------------------------------
    @property
    def cursor_row(self) -> int:
        return self._row

    @property
    def cursor_column(self) -> int:
        return self._column

    @property
    def cursor_coordinate(self) -> Coordinate:
        return Coordinate(self._row, self._column)

    def move_cursor(self, *, row: int | None = None, column: int | None = None, animate: bool = False,
                    scroll: bool = True) -> None:
        """Put the cursor on ``row`` / ``column`` (each kept when None), scrolled into view."""
        old = (self._row, self._column)
        if row is not None:
            self._row = max(0, min(row, len(self._keys) - 1))
        if column is not None and self.cursor_type == "cell":
            self._column = max(0, min(column, len(self._columns) - 1))
        if (self._row, self._column) != old:
            self.refresh()
        self._sync_size()
        if scroll:
            self._scroll_cursor_into_view()
        self._announce()

    def _announce(self) -> None:
        """Post ``RowHighlighted`` when the row under the cursor is another one than last said."""
        if not self._keys:
            self._announced = None
            return
        now = (self._row, self._keys[self._row])
        if now != self._announced:
            self._announced = now
            self.post_message(self.RowHighlighted(self, self._row, RowKey(now[1])))

    def _scroll_cursor_into_view(self) -> None:
        if not self.is_mounted or not self._keys:
            return
        visible = max(1, self.scrollable_content_region.height - self._header_height)
        top = round(self.scroll_y)
        if self._row < top:
            self.scroll_to(y=self._row, animate=False, immediate=True)
        elif self._row >= top + visible:
            self.scroll_to(y=self._row - visible + 1, animate=False, immediate=True)
        if self.cursor_type == "cell" and self._column >= self.fixed_columns:
            widths = self._column_widths()
            fixed = sum(widths[: self.fixed_columns])
            start = sum(widths[: self._column]) - fixed
            end = start + widths[self._column]
            room = max(1, self.scrollable_content_region.width - fixed)
            left = round(self.scroll_x)
            if start < left:
                self.scroll_to(x=start, animate=False, immediate=True)
            elif end > left + room:
                self.scroll_to(x=end - room, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self._row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self._row + 1)

    def action_cursor_left(self) -> None:
        if self.cursor_type == "cell":
            self.move_cursor(column=self._column - 1)
        else:
            self.scroll_left(animate=False)

    def action_cursor_right(self) -> None:
        if self.cursor_type == "cell":
            self.move_cursor(column=self._column + 1)
        else:
            self.scroll_right(animate=False)

    def action_page_up(self) -> None:
        self.move_cursor(row=self._row - max(1, self.scrollable_content_region.height - self._header_height))

    def action_page_down(self) -> None:
        self.move_cursor(row=self._row + max(1, self.scrollable_content_region.height - self._header_height))

    def action_scroll_top(self) -> None:
        self.move_cursor(row=0)

    def action_scroll_bottom(self) -> None:
        self.move_cursor(row=len(self._keys) - 1)

    ROW_KEYS: ClassVar[dict[str, str]] = {"first_row": "g", "last_row": "G"}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """g and G go to the first and last row, unless the screen gives the key a meaning of its own (g opens
        a link on some screens): then the screen's key wins."""
        key = self.ROW_KEYS.get(action)
        return not (key is not None and self.is_attached and self.screen._bindings.key_to_bindings.get(key))

    def action_first_row(self) -> None:
        self.move_cursor(row=0)

    def action_last_row(self) -> None:
        if self._keys:
            self.move_cursor(row=len(self._keys) - 1)

    def action_scroll_home(self) -> None:
        """The first row (a table of cells: the first cell of the row)."""
        if self.cursor_type == "cell":
            self.move_cursor(column=0)
        else:
            self.move_cursor(row=0)
        self.scroll_to(x=0, animate=False)

    def action_scroll_end(self) -> None:
        """The last row (a table of cells: the last cell of the row)."""
        if self.cursor_type == "cell":
            self.move_cursor(column=len(self._columns) - 1)
        elif self._keys:
            self.move_cursor(row=len(self._keys) - 1)
        self.scroll_to(x=self.max_scroll_x, animate=False)

    def action_select_cursor(self) -> None:
        if self._keys:
            self.post_message(self.RowSelected(self, self._row, RowKey(self._keys[self._row])))

    async def _on_click(self, event: events.Click) -> None:
        row = round(self.scroll_y) + event.y - self._header_height
        if event.y < self._header_height or not 0 <= row < len(self._keys):
            return
        again = row == self._row
        column = self._column
        if self.cursor_type == "cell":
            column = self._column_at(event.x)
            again = again and column == self._column
        self.move_cursor(row=row, column=column)
        if again:
            self.action_select_cursor()

    def _column_at(self, x: int) -> int:
        widths = self._column_widths()
        fixed = sum(widths[: self.fixed_columns])
        position = x if x < fixed else x + round(self.scroll_x)
        edge = 0
        for index, width in enumerate(widths):
            edge += width
            if position < edge:
                return index
        return len(widths) - 1

    # -- drawing ---------------------------------------------------------------------------
    @property
    def _header_height(self) -> int:
        return 1 if self.show_header and self._columns else 0

    def _column_widths(self) -> list[int]:
        """Each column's drawn width (padding included); flexible columns share what the others leave."""
        if not self._widths:
            fixed = [column.width + 2 * PADDING for column in self._columns]
            flexible = [index for index, column in enumerate(self._columns) if column.flex]
            self._widths_room = None
            if flexible:
                self._widths_room = room = self._room()
                spare = room - sum(width for index, width in enumerate(fixed) if index not in flexible)
                share = max(spare // len(flexible), 0)
                for index in flexible:
                    fixed[index] = max(fixed[index], share)
            self._widths = fixed
        return self._widths

    def _room(self) -> int:
        """The width the columns share: the content's, less the vertical scrollbar when the rows need one.

        Worked out from the size and the rows, not read off the scrollbars showing now: those follow
        the virtual size that this width sets, and rows come before the first layout or after it, so a
        width read off them was a scrollbar too wide (a sideways scrollbar) or too narrow by chance.
        """
        if not self.is_mounted:
            return 0
        width, height = self.container_size
        overflow = self.styles.overflow_y
        needs_bar = overflow == "scroll" or (overflow == "auto" and len(self._keys) + self._header_height > height)
        return max(0, width - (self.styles.scrollbar_size_vertical if needs_bar else 0))

    def _forget_widths(self) -> None:
        """The room changed: share it out again and draw the lines anew."""
        self._widths = []
        self._lines.clear()
        self._header = None
        self._size_stale = True
        self.refresh()

    def _changed_shape(self) -> None:
        self._widths = []
        self._lines.clear()
        self._header = None
        self._changed_rows(all_lines=True)

    def _changed_rows(self, all_lines: bool = False) -> None:
        """Rows were added, removed or replaced: settle the size and say which row is under the cursor, once."""
        if all_lines:
            self._lines.clear()
        if self._row >= len(self._keys):
            self._row = max(0, len(self._keys) - 1)
        self._size_stale = True
        if not self._settling:
            self._settling = True
            self.call_later(self._settle)

    def _settle(self) -> None:
        self._settling = False
        self._sync_size()
        self.refresh()
        self._announce()

    def _sync_size(self) -> None:
        if self._widths_room is not None and self._widths and self._room() != self._widths_room:
            self._forget_widths()  # the rows now need a scrollbar, or no longer do
        if self._size_stale:
            self._size_stale = False
            self.virtual_size = Size(sum(self._column_widths()), len(self._keys) + self._header_height)

    def _forget_lines(self, keys: set[str]) -> None:
        for line_key in [line_key for line_key in self._lines if line_key[0] in keys]:
            del self._lines[line_key]

    def on_resize(self, event: events.Resize) -> None:
        self._fit_width()

    def _fit_width(self) -> None:
        """The room for the rows changed: flexible columns are measured again, the rows drawn again."""
        if any(column.flex for column in self._columns):
            self._forget_widths()
        self._size_stale = True
        self._sync_size()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # Textual re-styles every widget of a screen when, say, focus moves within it: drop the drawn
        # lines only when what they are drawn with changed.
        try:
            styles = (self.rich_style, *(self.get_component_rich_style(name, partial=True)
                                         for name in sorted(self.COMPONENT_CLASSES)))
        except KeyError:  # not styled yet: its component classes come with its first styling
            styles = ()
        if not styles or styles != self._styles:
            self._styles = styles
            self._lines.clear()
            self._header = None
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y < self._header_height:
            return self._crop(self._header_line(), width)
        row = round(self.scroll_y) + y - self._header_height
        if not 0 <= row < len(self._keys):
            return Strip.blank(width, self.rich_style)
        return self._crop(self._row_line(row), width)

    def _crop(self, line: Strip, width: int) -> Strip:
        scroll_x = round(self.scroll_x)
        fixed = sum(self._column_widths()[: self.fixed_columns])
        if fixed:
            moving = line.crop(fixed + scroll_x, fixed + scroll_x + max(0, width - fixed))
            line = Strip.join([line.crop(0, fixed), moving])
        else:
            line = line.crop(scroll_x, scroll_x + width)
        return line.extend_cell_length(width, self.rich_style)

    def _header_line(self) -> Strip:
        if self._header is None:
            style = self.rich_style + self.get_component_rich_style("line-table--header")
            self._header = self._draw([column.label for column in self._columns], style, None, None)
        return self._header

    def _row_line(self, row: int) -> Strip:
        key = self._keys[row]
        cursor = row == self._row and self.show_cursor
        cell = self._column if cursor and self.cursor_type == "cell" else -1
        state = (key, row % 2 if self.zebra_stripes else 0, cursor, cell, self.has_focus if cursor else False)
        line = self._lines.get(state)
        if line is None:
            if len(self._lines) > MAX_KEPT_LINES:
                for old in list(self._lines)[: MAX_KEPT_LINES // 2]:
                    del self._lines[old]
            base = self.rich_style
            if self.zebra_stripes and row % 2 == 1:
                base += self.get_component_rich_style("line-table--even-row")
            cursor_style = self.get_component_rich_style("line-table--cursor") if cursor else None
            line = self._lines[state] = self._draw(self._row_cells(key), base, cursor_style,
                                                   self._column if cursor and self.cursor_type == "cell" else None)
        return line

    @property
    def show_cursor(self) -> bool:
        return self.cursor_type in ("row", "cell")

    def _draw(self, cells: Sequence[RenderableType], base: Style, cursor: Style | None,
              cursor_column: int | None) -> Strip:
        """One full-width line of cells (before scrolling): padded, cut to width, styled."""
        widths = self._column_widths()
        fixed_style = self.get_component_rich_style("line-table--fixed") if self.fixed_columns else None
        segments: list[Segment] = []
        console = self.app.console
        for index, width in enumerate(widths):
            value = cells[index] if index < len(cells) else ""
            text = _as_text(value).copy()
            text.end = ""
            inner = width - 2 * PADDING
            if text.cell_len > inner:
                text.truncate(inner, overflow="ellipsis")
            gap = inner - text.cell_len
            left = gap // 2 if text.justify == "center" else gap if text.justify == "right" else 0
            cell = Text(" " * (PADDING + left), end="")
            cell.append_text(text)
            cell.append(" " * (gap - left + PADDING))
            style = base
            if fixed_style is not None and index < self.fixed_columns:
                style = style + fixed_style
            cell.stylize_before(style)
            if cursor is not None and (cursor_column is None or cursor_column == index):
                cell.stylize(cursor)
            segments.extend(cell.render(console))
        return Strip(segments, sum(widths))
