"""The content calendar drawn on screen: a week of columns, or a month of day cells.

``CalendarGrid`` draws what ``work.content_calendar`` says each day holds,
for the span it shows (a week or a month), the selected day highlighted and
today marked. It draws only the span on screen, whatever the file holds. A
click selects the day under the mouse.
"""

from __future__ import annotations

from datetime import date

from rich.console import RenderableType
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget

from gtm_tui.work.content_calendar import Entry, month_weeks, week_days

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MARKS = {"live": ("✓ ", "green"), "planned": ("● ", "cyan"), "step": ("· ", "")}


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def entry_text(entry: Entry, width: int) -> Text:
    """One entry in a cell: a mark for its kind, red when late."""
    mark, style = MARKS[entry.kind]
    line = Text(mark, style=style)
    body = entry.text()
    line.append(_fit(body, max(1, width - len(mark))),
                style="bold red" if entry.late else ("bold" if entry.kind == "planned" else style or "dim"))
    return line


class CalendarGrid(Widget, can_focus=True):
    """A week or a month of days; the screen owns the keys."""

    DEFAULT_CSS = """
    CalendarGrid { height: 1fr; padding: 0 1; }
    """

    class DayClicked(Message):
        def __init__(self, day: date) -> None:
            super().__init__()
            self.day = day

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.span = "week"
        self.selected = date.today()
        self.today = date.today()
        self.days: dict[date, list[Entry]] = {}

    def show(self, span: str, selected: date, today: date, days: dict[date, list[Entry]]) -> None:
        self.span, self.selected, self.today, self.days = span, selected, today, days
        self.refresh()

    def rows(self) -> list[list[date]]:
        """The days drawn, a row a week."""
        return [week_days(self.selected)] if self.span == "week" else month_weeks(self.selected)

    def render(self) -> RenderableType:
        width, height = self.content_size.width, self.content_size.height
        cell = max(6, width // 7)
        weeks = self.rows()
        row_height = max(2, (height - 1) // len(weeks)) if self.span == "month" else max(2, height - 1)
        lines = [self._header(cell)]
        for week in weeks:
            for line in range(row_height):
                text = Text(no_wrap=True, overflow="crop")
                for day in week:
                    text.append_text(self._cell_line(day, line, row_height, cell))
                lines.append(text)
        return Text("\n").join(lines[:height])

    def _header(self, cell: int) -> Text:
        text = Text(no_wrap=True)
        for name in DAY_NAMES:
            text.append(_fit(name, cell - 1).ljust(cell), style="bold")
        return text

    def _cell_line(self, day: date, line: int, row_height: int, cell: int) -> Text:
        inner = cell - 1
        selected, today = day == self.selected, day == self.today
        outside = self.span == "month" and day.month != self.selected.month
        if line == 0:
            label = f"{day.day}" if self.span == "month" else f"{day:%d %b}"
            if today:
                label += " today"
            style = "bold reverse" if selected else ("bold yellow" if today else ("dim" if outside else "bold"))
            return Text(_fit(label, inner).ljust(inner), style=style) + Text(" ")
        found = self.days.get(day, [])
        slots = row_height - 1
        index = line - 1
        if len(found) > 1 and slots == 1:
            return self._counts(found, inner) + Text(" ")
        if len(found) > slots and index == slots - 1:
            more = Text(_fit(f"+{len(found) - slots + 1} more", inner).ljust(inner), style="dim")
            return more + Text(" ")
        if index < len(found):
            text = entry_text(found[index], inner)
            text.truncate(inner, pad=True)
            return text + Text(" ")
        return Text(" " * cell)

    @staticmethod
    def _counts(found: list[Entry], width: int) -> Text:
        """A day too small for its entries: how many of each kind ("● 2 · 3"), red when one is late."""
        text = Text()
        for kind in ("live", "planned", "step"):
            count = sum(1 for entry in found if entry.kind == kind)
            if count:
                mark, style = MARKS[kind]
                text.append(f"{mark}{count} ", style=style)
        if any(entry.late for entry in found):
            text.stylize("bold red")
        text.truncate(width, pad=True)
        return text

    def on_click(self, event: events.Click) -> None:
        """Select the day under the mouse."""
        width, height = self.content_size.width, self.content_size.height
        cell = max(6, width // 7)
        weeks = self.rows()
        column = max(0, min(6, (event.x - 1) // cell))
        row_height = max(2, (height - 1) // len(weeks)) if self.span == "month" else max(2, height - 1)
        week = max(0, min(len(weeks) - 1, (event.y - 1) // row_height))
        self.focus()
        self.post_message(self.DayClicked(weeks[week][column]))
