"""Calendar (key 9): the content calendar — pieces by planned live date and steps falling due, by week or month.

Left and right move a day, [ and ] a week (a month in the month view), m
switches between the week and the month, t comes back to today. The selected
day's entries are listed below the grid; up and down (j / k) pick one and
enter opens its piece with all its runs. What a day holds comes from
``gtm_tui.work.content_calendar``; the drawing from ``screens.widgets.calendar``.
"""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from gtm_tui.checklists.runs import steps_to_work
from gtm_tui.data import clock
from gtm_tui.data.model import Person, Stage, WorkItem
from gtm_tui.overview.sections import counted
from gtm_tui.process.planning import calendar_of
from gtm_tui.screens.main.base import MainScreen
from gtm_tui.screens.widgets.calendar import CalendarGrid, entry_text
from gtm_tui.work.content_calendar import Entry, entries, month_weeks, week_days
from gtm_tui.work.work_items import ordered_stages

KIND_WORDS = {"live": "went live", "planned": "planned live", "step": "step due"}


class CalendarScreen(MainScreen):
    SCREEN_NAME = "Calendar"
    SCREEN_KEY = "9"
    HELP_INTRO = (
        "The content calendar: each piece on its planned live date (● planned, ✓ live, red when it is about to "
        "miss it) and the open steps of the runs under way on their due dates (· , red when overdue). ← → move "
        "a day, [ ] a week (a month in the month view), m switches week and month, t goes to today; ↑ ↓ pick an "
        "entry of the day and enter opens its piece."
    )
    BINDINGS = [
        Binding("left,h", "day(-1)", "Day ←", key_display="←", show=False),
        Binding("right,l", "day(1)", "Day →", key_display="→", show=False),
        Binding("left_square_bracket,pageup", "page(-1)", "Earlier", key_display="["),
        Binding("right_square_bracket,pagedown", "page(1)", "Later", key_display="]"),
        Binding("up,k", "entry(-1)", "Entry ↑", key_display="↑", show=False),
        Binding("down,j", "entry(1)", "Entry ↓", key_display="↓", show=False),
        Binding("m", "toggle_span", "Week / month"),
        Binding("t", "today", "Today"),
        Binding("enter", "open_entry", "Open piece"),
    ]
    DEFAULT_CSS = """
    CalendarScreen #calendar-title { padding: 0 1; height: 1; }
    CalendarScreen #calendar-day {
        height: 7; padding: 0 1; border-top: solid $accent; text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.span = "week"
        self.selected = clock.today()
        self.entry_index = 0
        self._days: dict[date, list[Entry]] = {}

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static("", id="calendar-title")
        yield CalendarGrid(id="calendar")
        yield Static("", id="calendar-day")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.grid.focus()

    @property
    def grid(self) -> CalendarGrid:
        return self.query_one("#calendar", CalendarGrid)

    def _span_days(self) -> tuple[date, date]:
        shown = week_days(self.selected) if self.span == "week" else [d for w in month_weeks(self.selected) for d in w]
        return shown[0], shown[-1]

    def refresh_view(self) -> None:
        workspace = self.workspace
        pilot = workspace.pilot()
        today = clock.today()
        self._days = entries(workspace.all(WorkItem), steps_to_work(workspace), ordered_stages(workspace.all(Stage)),
                             calendar_of(pilot), today, pilot.live_stage_id, days=self._span_days())
        self.entry_index = min(self.entry_index, max(0, len(self.day_entries()) - 1))
        self.grid.show(self.span, self.selected, today, self._days)
        self._update_title()
        self._update_day()

    def day_entries(self) -> list[Entry]:
        return self._days.get(self.selected, [])

    def selected_entry(self) -> Entry | None:
        found = self.day_entries()
        return found[self.entry_index] if 0 <= self.entry_index < len(found) else None

    def _update_title(self) -> None:
        first, last = self._span_days()
        if self.span == "week":
            span = f"Week {self.selected.isocalendar().week} · {first:%d %b} – {last:%d %b %Y}"
        else:
            span = f"{self.selected:%B %Y}"
        planned = sum(1 for day in self._days.values() for e in day if e.kind == "planned")
        steps = sum(1 for day in self._days.values() for e in day if e.kind == "step")
        late = sum(1 for day in self._days.values() for e in day if e.late)
        text = Text.assemble((f" {span} ", "bold reverse"),
                             f"  {counted(planned, 'piece')} planned live · {counted(steps, 'step')} due")
        if late:
            text.append(f" · {late} late or at risk", style="bold red")
        self.query_one("#calendar-title", Static).update(text)

    def _update_day(self) -> None:
        found = self.day_entries()
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{self.selected:%A %d %B %Y}", style="bold")
        if not found:
            text.append("  nothing planned or due", style="dim")
        width = max(20, self.size.width - 30)
        first = max(0, self.entry_index - 4)
        for index in range(first, min(len(found), first + 5)):
            entry = found[index]
            line = Text("\n")
            line.append("▶ " if index == self.entry_index else "  ", style="bold cyan")
            line.append_text(entry_text(entry, width))
            where = KIND_WORDS[entry.kind]
            if entry.kind == "step" and entry.item is not None:
                where += f" · {entry.item.title}"
            if entry.step is not None:
                where += f" · {self.workspace.name_of(Person, entry.step.owner_id, 'no owner')}"
            line.append(f"  ({where})", style="dim")
            text.append_text(line)
        if len(found) > first + 5:
            text.append(f"\n  … {len(found) - first - 5} more (↓)", style="dim")
        self.query_one("#calendar-day", Static).update(text)

    # -- keys ---------------------------------------------------------------------------
    def _select(self, day: date) -> None:
        before = self.selected
        self.selected = day
        self.entry_index = 0
        if self.span == "week":
            moved = week_days(before)[0] != week_days(day)[0]
        else:
            moved = (before.year, before.month) != (day.year, day.month)
        if moved:
            self.refresh_view()  # another week or month: what it holds is worked out again
            return
        self.grid.show(self.span, self.selected, clock.today(), self._days)
        self._update_title()
        self._update_day()

    def action_day(self, delta: int) -> None:
        """Select the day before or after."""
        self._select(self.selected + timedelta(days=delta))

    def action_page(self, delta: int) -> None:
        """Go a week (a month in the month view) earlier or later."""
        if self.span == "week":
            self._select(self.selected + timedelta(days=7 * delta))
            return
        month = self.selected.month - 1 + delta
        year = self.selected.year + month // 12
        first = date(year, month % 12 + 1, 1)
        self._select(first)

    def action_entry(self, delta: int) -> None:
        """Pick the entry above or below among the selected day's."""
        found = self.day_entries()
        if found:
            self.entry_index = max(0, min(len(found) - 1, self.entry_index + delta))
            self._update_day()

    def action_toggle_span(self) -> None:
        """Show the month, or the week."""
        self.span = "month" if self.span == "week" else "week"
        self.refresh_view()

    def action_today(self) -> None:
        """Go back to today."""
        self._select(clock.today())

    def action_open_entry(self) -> None:
        """Open the piece of the selected entry with all its runs."""
        entry = self.selected_entry()
        if entry is None or entry.item_id is None:
            self.notify("Pick a piece or a piece's step on the selected day (↑ ↓).")
            return
        self.app.call_later(self.app.run_action, f"open_item('{entry.item_id}')")

    @on(CalendarGrid.DayClicked)
    def _clicked(self, event: CalendarGrid.DayClicked) -> None:
        self._select(event.day)
