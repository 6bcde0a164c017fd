"""The board drawn on screen: columns side by side, cards stacked, only what fits is drawn.

``BoardView`` holds a ``work.board.Board`` and a cursor (column, card). It
draws the columns that fit the width, starting so that the cursor's column is
in view (at 80 columns three stages show; the rest scroll in as the cursor
moves), and in each column the cards that fit the height around the cursor,
with "↑ 3 more" / "↓ 5 more" where cards are cut off. So drawing costs the
same for 20 pieces or 2,000. A click selects the card under the mouse.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import RenderableType
from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from gtm_tui.checklists.runs import progress_text
from gtm_tui.work.board import Board, Card, Column, age_text

MIN_COLUMN = 24  # characters a column needs to be readable
CARD_LINES = 3  # title, details, a blank line
HEADER_LINES = 2


@dataclass(frozen=True)
class Layout:
    """Which columns and cards are drawn for a size and a cursor."""

    first_column: int
    columns: int
    width: int  # of one column, separator included
    cards: int  # cards that fit in a column


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


class BoardView(Widget, can_focus=True):
    """Columns of cards with a cursor; the screen owns the keys and what they do."""

    DEFAULT_CSS = """
    BoardView { height: 1fr; padding: 0 1; }
    """

    cursor_x: reactive[int] = reactive(0)
    cursor_y: reactive[int] = reactive(0)

    class Selected(Message):
        """The cursor moved to another card (or to an empty column: ``card`` None)."""

        def __init__(self, card: Card | None) -> None:
            super().__init__()
            self.card = card

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.board = Board()
        self.people: dict[str, str] = {}
        self._first_column = 0
        self._offsets: dict[int, int] = {}  # per column: the first card drawn

    # -- what is shown --------------------------------------------------------------
    def show(self, board: Board, people: dict[str, str], keep: str | None = None) -> None:
        """Draw ``board``; keep the cursor on the piece ``keep`` when it is still there."""
        self.board = board
        self.people = people
        found = board.find(keep) if keep else None
        if found is not None:
            self.cursor_x, self.cursor_y = found
        else:
            self.cursor_x = min(self.cursor_x, max(0, len(board.columns) - 1))
            self.cursor_y = min(self.cursor_y, max(0, len(self._column().cards) - 1) if board.columns else 0)
        self.refresh()
        self.post_message(self.Selected(self.selected_card()))

    def _column(self, x: int | None = None) -> Column:
        return self.board.columns[self.cursor_x if x is None else x]

    def selected_card(self) -> Card | None:
        if not self.board.columns:
            return None
        cards = self._column().cards
        return cards[self.cursor_y] if 0 <= self.cursor_y < len(cards) else None

    def selected_column(self) -> Column | None:
        return self._column() if self.board.columns else None

    # -- moving the cursor ------------------------------------------------------------
    def move_cursor(self, dx: int = 0, dy: int = 0) -> None:
        if not self.board.columns:
            return
        x = max(0, min(len(self.board.columns) - 1, self.cursor_x + dx))
        cards = len(self.board.columns[x].cards)
        y = self.cursor_y if dx == 0 else min(self.cursor_y, max(0, cards - 1))
        y = max(0, min(max(0, cards - 1), y + dy))
        self.cursor_x, self.cursor_y = x, y
        self.refresh()
        self.post_message(self.Selected(self.selected_card()))

    def layout_for(self, width: int, height: int) -> Layout:
        """The columns and cards that fit, keeping the cursor's column in view."""
        count = len(self.board.columns)
        shown = max(1, min(count, width // MIN_COLUMN)) if count else 1
        column_width = max(MIN_COLUMN, width // shown) if count else width
        if self.cursor_x < self._first_column:
            self._first_column = self.cursor_x
        elif self.cursor_x >= self._first_column + shown:
            self._first_column = self.cursor_x - shown + 1
        self._first_column = max(0, min(self._first_column, max(0, count - shown)))
        cards = max(1, (height - HEADER_LINES - 2) // CARD_LINES)
        return Layout(self._first_column, shown, column_width, cards)

    def _card_window(self, x: int, total: int, fits: int) -> tuple[int, int]:
        """The first card drawn in column ``x`` and how many, keeping the cursor's card in view."""
        first = self._offsets.get(x, 0)
        if x == self.cursor_x:
            if self.cursor_y < first:
                first = self.cursor_y
            elif self.cursor_y >= first + fits:
                first = self.cursor_y - fits + 1
        first = max(0, min(first, max(0, total - fits)))
        self._offsets[x] = first
        return first, min(fits, total - first)

    # -- drawing ------------------------------------------------------------------------
    def render(self) -> RenderableType:
        width, height = self.content_size.width, self.content_size.height
        if not self.board.columns:
            return Text("No stages yet: add them on the Process screen (key 2).", style="dim")
        layout = self.layout_for(width, height)
        blocks = [
            self._column_lines(x, layout, height)
            for x in range(layout.first_column, min(len(self.board.columns), layout.first_column + layout.columns))
        ]
        lines = []
        for row in range(height):
            line = Text(no_wrap=True, overflow="crop")
            for block in blocks:
                line.append_text(block[row] if row < len(block) else Text(" " * layout.width))
            lines.append(line)
        return Text("\n").join(lines)

    def _column_lines(self, x: int, layout: Layout, height: int) -> list[Text]:
        column = self.board.columns[x]
        inner = layout.width - 2
        current = x == self.cursor_x
        lines: list[Text] = []
        left = "◀ " if x == layout.first_column and x > 0 else ""
        right = " ▶" if x == layout.first_column + layout.columns - 1 and x < len(self.board.columns) - 1 else ""
        title = _fit(f"{left}{column.title}{right}", inner)
        lines.append(self._pad(Text(title, style="bold reverse" if current else "bold"), layout.width))
        expected = f" · expects {column.expected_days:g} d" if column.expected_days is not None else ""
        lines.append(self._pad(Text(_fit(f"WIP {column.wip}{expected}", inner), style="dim"), layout.width))
        first, count = self._card_window(x, len(column.cards), layout.cards)
        if first:
            lines.append(self._pad(Text(f"  ↑ {first} more", style="dim"), layout.width))
        for y in range(first, first + count):
            for line in self._card_lines(column.cards[y], inner, current and y == self.cursor_y):
                lines.append(self._pad(line, layout.width))
        below = len(column.cards) - first - count
        if below > 0:
            lines.append(self._pad(Text(f"  ↓ {below} more", style="dim"), layout.width))
        if not column.cards:
            lines.append(self._pad(Text("  (empty)", style="dim"), layout.width))
        return lines[:height]

    def _card_lines(self, card: Card, width: int, selected: bool) -> list[Text]:
        style = "reverse" if selected else ""
        done = card.item.status == "done"
        badges = card.badges
        head = Text(style=style)
        head.append(_fit(card.item.title, width - len(badges) - (1 if badges else 0)),
                    style="dim" if done else "bold")
        if badges:
            head.append(" ")
            head.append(badges, style="bold red")
        owner = self.people.get(card.item.assignee_id or "", "—").split(" ")[0]
        progress = progress_text(card.progress) if card.progress is not None else "no run"
        details = "✓ live" if done else f"{progress} · {age_text(card.days_in_stage) or '—'}"
        body = Text(_fit(f"{owner} · {details}", width), style=f"{style} dim" if not selected else style)
        return [head, body, Text("")]

    @staticmethod
    def _pad(text: Text, width: int) -> Text:
        text.truncate(width - 1, overflow="crop", pad=True)
        text.append(" ")
        return text

    # -- the mouse ------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        """Select the card under the mouse."""
        if not self.board.columns:
            return
        layout = self.layout_for(self.content_size.width, self.content_size.height)
        x = layout.first_column + (event.x - 1) // layout.width
        if x >= len(self.board.columns):
            return
        first = self._offsets.get(x, 0)
        row = event.y - HEADER_LINES - (1 if first else 0)
        y = first + max(0, row) // CARD_LINES
        cards = len(self.board.columns[x].cards)
        self.cursor_x, self.cursor_y = x, max(0, min(cards - 1, y))
        self.focus()
        self.refresh()
        self.post_message(self.Selected(self.selected_card()))
