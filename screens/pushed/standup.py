"""Stand-up mode: go round the team one person at a time, screen-shared, keyboard only.

For each person, across every piece of work: their steps waiting too long,
due today or overdue, the pieces that just arrived in a stage where they are
R ("your turn"), the blockers on their pieces, their other open steps in the
focus stages, and what they finished since the last stand-up. Space ticks a
step for the person shown (saved at once, with who and when), b flags a
blocker. Ending the stand-up saves a check-in: the date, the people visited,
the notes and the blockers. What to show comes from ``gtm_tui.checklists.standup``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.widgets import DataTable, Static, TextArea

from gtm_tui.checklists import standup
from gtm_tui.checklists.checklist_items import due_tone, due_words
from gtm_tui.checklists.runs import steps_to_work
from gtm_tui.data import clock
from gtm_tui.data.model import CheckIn, ChecklistItem, Person, Stage, ValidationError, WorkItem
from gtm_tui.overview import your_turn
from gtm_tui.overview.sections import counted
from gtm_tui.raci import raci_work
from gtm_tui.review import fix_loop
from gtm_tui.screens.app_state import app_state
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormField, FormScreen
from gtm_tui.screens.main.base import MainScreen, row_key

SECTION_ROW = "section:"
WORK_ROW = "work:"  # a work item's row (aging, your turn): shown, not ticked here
BLOCKED_ROW = "blocked:"  # a step listed again under its piece's blockers
TONE_STYLES = {"bad": "bold red", "warning": "yellow", "": ""}


class StandupScreen(MainScreen):
    SCREEN_NAME = "Stand-up"
    HELP_INTRO = (
        "One person at a time (tab / shift+tab), their steps across every piece. Space ticks a step for the "
        "person shown, b flags a blocker, n types notes, t sets a timebox, e ends the stand-up and saves the "
        "check-in. Steps and pieces older than their stage's expected days come first, then what is due, the "
        "pieces that just arrived where the person is R (your turn) and the blockers per piece."
    )
    BINDINGS = [
        Binding("tab", "person(1)", "Next person"),
        Binding("shift+tab", "person(-1)", "Previous person"),
        Binding("space", "tick", "Tick / untick"),
        Binding("b", "blocker", "Flag blocker"),
        Binding("n", "notes", "Notes"),
        Binding("t", "timebox", "Timebox"),
        Binding("p", "past", "Past check-ins"),
        Binding("e", "end", "End stand-up"),
        Binding("escape", "leave", "Leave"),
    ]
    DEFAULT_CSS = """
    StandupScreen #standup-title { padding: 0 1; text-style: bold; color: $accent; }
    StandupScreen #standup-people { padding: 0 1; height: auto; }
    StandupScreen #standup-person { padding: 0 1; text-style: bold; height: auto; }
    StandupScreen #standup-body { height: 1fr; }
    StandupScreen #standup-fixes {
        padding: 0 1; height: auto; max-height: 4; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis;
    }
    StandupScreen #standup-past { width: 44; border-left: solid $accent; padding: 0 1; display: none; }
    StandupScreen #standup-past.-shown { display: block; }
    StandupScreen #standup-notes { height: 4; border: round $accent; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.person_ids: list[str] = []
        self.index = 0
        self.visited: list[str] = []
        self.blockers: list[dict[str, Any]] = []
        self.timebox: int | None = None
        self._titles: dict[str, str] = {}  # piece id -> title, for the step rows
        self.seconds_left = 0
        self._width = 0

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static("", id="standup-title")
        yield Static("", id="standup-people")
        yield Static("", id="standup-person")
        yield Static("", id="standup-fixes")
        with Horizontal(id="standup-body"):
            yield DataTable(id="standup-items", cursor_type="row")
            with VerticalScroll(id="standup-past"):
                yield Static("", id="standup-past-list")
        notes = TextArea("", id="standup-notes", soft_wrap=True)
        notes.border_title = "Notes (n to type, esc to leave the notes)"
        yield notes
        yield from self.compose_footer()

    def on_mount(self) -> None:
        table = self.query_one("#standup-items", DataTable)
        self._columns()
        self.person_ids = [p.id for p in standup.people_to_visit(self.workspace.all(Person))]
        self._visit(0)
        self.set_interval(1.0, self._tick_clock)
        table.focus()

    def _columns(self) -> None:
        """Fit the item column to the screen so stage and due stay in view."""
        table = self.query_one("#standup-items", DataTable)
        table.clear(columns=True)
        self._width = self.size.width
        stage_width = 18 if self._width >= 100 else 12
        past = 45 if self.query_one("#standup-past").has_class("-shown") else 0
        item_width = max(20, self._width - past - 3 - stage_width - 14 - 2 * 5 - 2)
        table.add_column("✓", width=3, key="done")
        table.add_column("Item", width=item_width, key="item")
        table.add_column("Stage", width=stage_width, key="stage")
        table.add_column("Due", width=14, key="due")

    def on_resize(self, event: Resize) -> None:
        if self.is_mounted and self._width and event.size.width != self._width:
            self._relayout()

    def _relayout(self) -> None:
        """New column widths, same rows, the cursor on the same item."""
        selected = self._selected_key()
        self._columns()
        self.refresh_view()
        table = self.query_one("#standup-items", DataTable)
        if selected and selected in {str(k.value) for k in table.rows}:
            table.move_cursor(row=table.get_row_index(selected))
        else:
            self._first_item()

    # -- who is shown -------------------------------------------------------------------
    @property
    def person(self) -> Person | None:
        if not self.person_ids:
            return None
        return self.workspace.find(Person, self.person_ids[self.index])

    def _visit(self, index: int) -> None:
        self.index = index
        if self.person_ids:
            self.visited.append(self.person_ids[index])
        self.seconds_left = self.timebox or 0
        self.refresh_view()
        self._first_item()

    def action_person(self, step: int) -> None:
        """Show the next (or previous) person."""
        if self.person_ids:
            self._visit((self.index + step) % len(self.person_ids))

    def _first_item(self) -> None:
        """Put the cursor on the person's first step (a piece's row when they have no step to talk about)."""
        table = self.query_one("#standup-items", DataTable)
        keys = [str(key.value) for key in table.rows]
        for prefixes in ((SECTION_ROW, WORK_ROW), (SECTION_ROW,)):
            for row, key in enumerate(keys):
                if not key.startswith(prefixes):
                    table.move_cursor(row=row)
                    return

    # -- rendering ----------------------------------------------------------------------
    def refresh_view(self) -> None:
        self.person_ids = [pid for pid in self.person_ids if self.workspace.find(Person, pid)] or [
            p.id for p in self.workspace.all(Person)]
        self.index = min(self.index, max(0, len(self.person_ids) - 1))
        now = clock.now()
        since = standup.since_moment(self.workspace.all(CheckIn), now)
        since_words = f"since the check-in of {since:%a %Y-%m-%d %H:%M}" if since else "no check-in yet"
        self.query_one("#standup-title", Static).update(Text(
            f"Stand-up · {clock.today():%A %Y-%m-%d} · {since_words}"))
        self._render_people()
        self._render_fixes()
        self._render_items(since)
        self._render_past()

    def _render_fixes(self) -> None:
        """The open priority fixes and the follow-up date, shown at every stand-up until the fixes are done."""
        panel = fix_loop.fixes_panel(self.workspace, clock.today())
        widget = self.query_one("#standup-fixes", Static)
        widget.display = not panel.empty
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"Open fixes · follow-up check {panel.follow_up or 'not set'}:", style="bold")
        for row in panel.fixes:
            text.append(f"\n • due {row.fix.due or '—'}", style="bold red" if row.overdue else "")
            text.append(f" · {row.owner}: ")
            text.append(row.fix.title)
        if not panel.fixes:
            text.append(" all fixes done", style="green")
        widget.update(text)

    def _render_people(self) -> None:
        line = Text()
        for index, person_id in enumerate(self.person_ids):
            name = self.workspace.name_of(Person, person_id)
            mark = "✓ " if person_id in self.visited else "· "
            style = "reverse bold" if index == self.index else ("" if person_id in self.visited else "dim")
            line.append(f" {mark}{name} ", style=style)
        self.query_one("#standup-people", Static).update(line)
        person = self.person
        header = Text()
        if person is not None:
            header.append(f"{self.index + 1}/{len(self.person_ids)}  {person.name}")
            if person.role:
                header.append(f" — {person.role}", style="dim")
            if self.timebox:
                over = self.seconds_left < 0
                header.append(f"   timebox {standup.countdown_text(self.seconds_left)}",
                              style="bold red" if over else "bold green")
        else:
            header.append("No people on the team yet: add them on the People screen (key 7).")
        self.query_one("#standup-person", Static).update(header)

    def _render_items(self, since: Any) -> None:
        table = self.query_one("#standup-items", DataTable)
        selected = self._selected_key()
        table.clear()
        person = self.person
        if person is None:
            return
        pilot = self.workspace.pilot()
        focus = standup.focus_stage_ids(pilot)
        steps = steps_to_work(self.workspace)
        work_items = self.workspace.all(WorkItem)
        self._titles = {item.id: item.title for item in work_items}
        agenda = standup.agenda_for(person, steps, today=clock.today(), since=since, focus_stages=focus)
        focus_names = " → ".join(self.workspace.name_of(Stage, s) for s in focus) or "no focus stages set"
        waiting = standup.aging_for(person.id, steps, work_items, self.workspace.all(Stage), clock.now())
        aged = {w.record.id for w in waiting}
        table.add_row("", Text(f"Waiting too long, oldest first ({len(waiting)})",
                               style="bold underline"), "", "", key=SECTION_ROW + "waiting")
        for entry in waiting:
            table.add_row(*self._waiting_cells(entry),
                          key=(WORK_ROW if entry.kind == "work" else "") + entry.record.id)
        if not waiting:
            table.add_row("", Text("  nothing", style="dim"), "", "", key=SECTION_ROW + "waiting:none")
        self._section(table, "due", "Due today or overdue", [i for i in agenda.due if i.id not in aged])
        self._render_turn(table, person, since)
        self._render_blockers(table, person, steps, work_items)
        sections = (
            ("focus", f"Open in the focus stages ({focus_names})", [i for i in agenda.focus if i.id not in aged]),
            ("finished", "Finished since the last stand-up", agenda.finished),
        )
        for key, title, items in sections:
            table.add_row("", Text(f"{title} ({len(items)})", style="bold underline"), "", "",
                          key=SECTION_ROW + key)
            for item in items:
                table.add_row(*self._cells(item), key=item.id)
            if not items:
                table.add_row("", Text("  nothing", style="dim"), "", "", key=SECTION_ROW + key + ":none")
        if selected and selected in {str(k.value) for k in table.rows}:
            table.move_cursor(row=table.get_row_index(selected))

    def _section(self, table: DataTable, key: str, title: str, items: list[ChecklistItem]) -> None:
        table.add_row("", Text(f"{title} ({len(items)})", style="bold underline"), "", "", key=SECTION_ROW + key)
        for item in items:
            table.add_row(*self._cells(item), key=item.id)
        if not items:
            table.add_row("", Text("  nothing", style="dim"), "", "", key=SECTION_ROW + key + ":none")

    def _render_turn(self, table: DataTable, person: Person, since: Any) -> None:
        """The pieces that arrived where the person is R since the last stand-up (the last day without one)."""
        now = clock.now()
        cutoff = since or now - timedelta(days=1)
        arrivals = [turn for turn in your_turn.turns_for(self.workspace, person.id)
                    if turn.kind == "work" and cutoff < turn.since <= now]
        arrivals.sort(key=lambda turn: turn.since, reverse=True)
        table.add_row("", Text(f"Your turn: just arrived where you are R ({len(arrivals)})", style="bold underline"),
                      "", "", key=SECTION_ROW + "turn")
        for turn in arrivals:
            title = self.workspace.name_of(WorkItem, turn.record_id)
            table.add_row(Text(" ▸ ", style="cyan"), Text(title, style="bold"),
                          Text(self.workspace.name_of(Stage, turn.stage_id)),
                          Text(f"arrived {turn.since:%a %d %H:%M}", style="cyan"),
                          key=WORK_ROW + "turn:" + turn.record_id)
        if not arrivals:
            table.add_row("", Text("  nothing new", style="dim"), "", "", key=SECTION_ROW + "turn:none")

    def _render_blockers(self, table: DataTable, person: Person, steps: list[ChecklistItem],
                         work_items: list[WorkItem]) -> None:
        """The blocked steps on the person's pieces (or theirs), piece by piece."""
        groups = standup.blockers_by_item(person.id, steps, work_items)
        count = sum(len(blocked) for _, blocked in groups)
        table.add_row("", Text(f"Blockers, per piece ({count})", style="bold underline"), "", "",
                      key=SECTION_ROW + "blockers")
        for item, blocked in groups:
            key = item.id if item else "stage"
            table.add_row("", Text(item.title if item else "Stage checklists", style="bold"), "", "",
                          key=SECTION_ROW + "blocked:" + key)
            for step in blocked:  # keyed apart: the same step may be listed as due too
                table.add_row(*self._cells(step, with_piece=False), key=BLOCKED_ROW + step.id)
        if not groups:
            table.add_row("", Text("  nothing blocked", style="dim"), "", "", key=SECTION_ROW + "blockers:none")

    def _cells(self, item: ChecklistItem, *, with_piece: bool = True) -> tuple[Any, ...]:
        today = clock.today()
        mark = Text("[x]", style="green") if item.done else Text("[ ]")
        text = Text(item.text, style="dim" if item.done else "")
        piece = self._titles.get(item.work_item_id or "")
        if with_piece and piece:
            text.append(f" — {piece}", style="dim")
        if item.blocked:
            text = Text.assemble(("⚑ ", "bold red"), text, (f"  ({item.blocked})", "red"))
        if item.done:
            due = Text(f"done {(item.done_at or '')[:10]}", style="green")
        else:
            due = Text(due_words(item, today) if item.due else "", style=TONE_STYLES[due_tone(item, today)])
        return mark, text, Text(self.workspace.name_of(Stage, item.stage_id)), due

    def _waiting_cells(self, entry: standup.Waiting) -> tuple[Any, ...]:
        """An aged item: its text (work items marked as such), stage, and how long it has waited."""
        if isinstance(entry.record, ChecklistItem):
            mark, text = self._cells(entry.record)[:2]
        else:
            mark, text = Text(" ▸ ", style="cyan"), Text.assemble(("work item: ", "dim"), entry.record.title)
        waited = Text(entry.words, style="bold red" if entry.days > 2 * entry.expected else "yellow")
        return mark, text, Text(self.workspace.name_of(Stage, entry.stage_id)), waited

    def _render_past(self) -> None:
        checkins = sorted(self.workspace.all(CheckIn), key=lambda c: (c.date, c.created_at), reverse=True)
        text = Text("Past check-ins (p hides)\n", style="bold")
        if not checkins:
            text.append("none yet", style="dim")
        for checkin in checkins:
            names = ", ".join(self.workspace.name_of(Person, pid).split(" ")[0] for pid in checkin.attendee_ids)
            text.append(f"\n{checkin.date}", style="bold")
            text.append(f"  {len(checkin.attendee_ids)} present: {names}\n", style="dim")
            if checkin.notes:
                text.append(checkin.notes + "\n")
            for blocker in checkin.blockers:
                who = self.workspace.name_of(Person, blocker.get("person_id"), "?")
                text.append(f"⚑ {who}: {blocker.get('note', '')}\n", style="red")
        self.query_one("#standup-past-list", Static).update(text)

    # -- selection ----------------------------------------------------------------------
    def _selected_key(self) -> str | None:
        key = row_key(self.query_one("#standup-items", DataTable))
        return None if key is None else str(key)

    def selected_item(self) -> ChecklistItem | None:
        key = self._selected_key()
        if not key or key.startswith((SECTION_ROW, WORK_ROW)):
            return None
        return self.workspace.find(ChecklistItem, key.removeprefix(BLOCKED_ROW))

    # -- actions ------------------------------------------------------------------------
    def action_tick(self) -> None:
        """Tick the selected item for the person shown (or untick it); saved at once.

        An approval is the exception: it is ticked by the person at this
        keyboard (who this machine says it is), who must be the stage's A.
        """
        item = self.selected_item()
        if item is None:
            self.notify("Move to an item to tick it.")
            return
        table = self.query_one("#standup-items", DataTable)
        row = table.cursor_row
        try:
            ticker = app_state(self).session_person if item.approval else self.person_ids[self.index]
            self.attempt(lambda: raci_work.toggle_tick(self.workspace, item, ticker))
        except raci_work.ApprovalRefused as refusal:
            self.notify(f"{refusal}.", severity="warning")
            return
        # Stay on the same line, which now holds the next item to talk about.
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def action_blocker(self) -> None:
        """Flag what blocks the selected item; it goes on the item and into this stand-up's check-in."""
        item = self.selected_item()
        if item is None:
            self.notify("Move to an item to flag a blocker on it.")
            return
        person_id = self.person_ids[self.index]

        def submit(values: dict[str, Any]) -> ChecklistItem:
            note = (values.get("note") or "").strip()
            if not note:
                raise ValidationError("note", "say what blocks it (esc to cancel)")
            updated = self.workspace.update(item, blocked=note)
            self.blockers.append(standup.blocker_entry(person_id, item.id, note))
            return updated

        field = FormField("note", "What blocks it", item.blocked, required=True, hint="e.g. waiting for legal")
        self.app.push_screen(FormScreen(f"Blocker on “{item.text}”", [field], submit),
                             lambda done: self.notify("Blocker flagged.") if done else None)

    def action_notes(self) -> None:
        """Type notes for this stand-up's check-in."""
        self.query_one("#standup-notes", TextArea).focus()

    def action_timebox(self) -> None:
        """Cycle the per-person timebox: off, 1, 2, 3 minutes."""
        self.timebox = standup.next_timebox(self.timebox)
        self.seconds_left = self.timebox or 0
        self.notify(f"Timebox {self.timebox // 60} min per person." if self.timebox else "Timebox off.")
        self._render_people()

    def _tick_clock(self) -> None:
        if self.timebox:
            self.seconds_left -= 1
            self._render_people()

    def action_past(self) -> None:
        """Show or hide the past check-ins."""
        self.query_one("#standup-past").toggle_class("-shown")
        self._relayout()

    def action_end(self) -> None:
        """End the stand-up: save a check-in with the people visited, the notes and the blockers."""
        notes = self.query_one("#standup-notes", TextArea).text
        checkin = standup.build_checkin(clock.today(), self.visited, notes, self.blockers)
        saved = self.attempt(lambda: self.workspace.add(checkin))
        if saved is None:
            return
        self.app.notify(f"Check-in saved: {counted(len(saved.attendee_ids), 'person', 'people')}, "
                        f"{counted(len(saved.blockers), 'blocker')}.", title="Stand-up ended")
        self.app.pop_screen()

    def action_leave(self) -> None:
        """Leave the notes, or leave the stand-up (asks first when there are notes or blockers to lose)."""
        notes = self.query_one("#standup-notes", TextArea)
        if notes.has_focus:
            self.query_one("#standup-items", DataTable).focus()
            return
        if not notes.text.strip() and not self.blockers:
            self.app.pop_screen()
            return

        def answer(confirmed: bool | None) -> None:
            if confirmed:
                self.app.pop_screen()

        self.app.push_screen(ConfirmScreen(
            "Leave the stand-up without saving a check-in?",
            ["ticks and blockers on items are already saved", "the notes and the check-in record are not",
             "press e instead to end the stand-up and save them"], yes="Leave"), answer)

    @on(DataTable.RowSelected, "#standup-items")
    def _row_selected(self) -> None:
        self.action_tick()
