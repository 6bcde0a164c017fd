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

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.widgets import Static, TextArea

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
from gtm_tui.screens.widgets.line_table import LineTable
from gtm_tui.sharing import identity

NOTES_DRAFT = "stand-up notes"
SECTION_ROW = "section:"
WORK_ROW = "work:"  # a piece of work's row: shown to talk about, not ticked here
BLOCKED_ROW = "blocked:"  # a step listed again under its piece's blockers
TONE_STYLES = {"bad": "bold red", "warning": "yellow", "": ""}


class StandupItems(LineTable):
    """A person's stand-up rows; the cursor rests on items only, never on a section's title."""


class StandupScreen(MainScreen):
    SCREEN_NAME = "Stand-up"
    HELP_INTRO = (
        "One person at a time (tab / shift+tab, or j and their initials), everything open that is theirs: "
        "what is due or overdue, the pieces where it is their turn and the approvals waiting on them, the "
        "blockers, then everything else open (what waits longer than its stage expects first). Space ticks a "
        "step for the person shown, b flags a blocker, n types notes, t sets a timebox, e ends the stand-up "
        "and saves the check-in with what was ticked."
    )
    BINDINGS = [
        Binding("tab", "person(1)", "Next person"),
        Binding("shift+tab", "person(-1)", "Previous person"),
        Binding("j", "jump", "Jump to a person"),
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
        self.ticked: list[dict[str, Any]] = []  # steps ticked during this stand-up (standup.tick_entry)
        self.timebox: int | None = None
        self._titles: dict[str, str] = {}  # piece id -> title, for the step rows
        self._sections: dict[str, list[standup.Line]] = {}
        self.seconds_left = 0
        self._row = 0  # where the cursor was, to follow the direction it moves in
        self._after_tick: int | None = None  # the row ticked on, while the tick is saved

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static("", id="standup-title")
        yield Static("", id="standup-people")
        yield Static("", id="standup-person")
        yield Static("", id="standup-fixes")
        with Horizontal(id="standup-body"):
            table = StandupItems(id="standup-items", cursor_type="row")
            table.add_column("✓", width=3, key="done")
            table.add_column("Item", flex=True, key="item")
            table.add_column("Stage", width=16, key="stage")
            table.add_column("Due / waiting", width=18, key="due")
            yield table
            with VerticalScroll(id="standup-past"):
                yield Static("", id="standup-past-list")
        notes = TextArea("", id="standup-notes", soft_wrap=True)
        notes.border_title = "Notes (n to type, esc to leave the notes)"
        yield notes
        yield from self.compose_footer()

    def on_resize(self, event: Resize) -> None:
        """Stage and date narrower on a laptop's 80 columns, so the item keeps the room; a date is never cut."""
        table = self.query_one("#standup-items", StandupItems)
        narrow = event.size.width < 110
        table.set_column_width("stage", 12 if narrow else 16)
        table.set_column_width("due", 15 if narrow else 22)

    def on_mount(self) -> None:
        table = self.query_one("#standup-items", StandupItems)
        self.person_ids = [p.id for p in standup.people_to_visit(self.workspace.all(Person))]
        self._visit(0)
        self.set_interval(1.0, self._tick_clock)
        table.focus()
        draft = app_state(self).drafts.get(NOTES_DRAFT)
        if draft:
            self.query_one("#standup-notes", TextArea).load_text(draft["notes"])
            self.notify("The notes you typed last time are back.", title="Stand-up notes")

    def unsaved_work(self) -> str | None:
        """What quitting now would lose: the notes and blockers not yet saved as a check-in."""
        notes = self.query_one("#standup-notes", TextArea).text.strip()
        if not notes and not self.blockers:
            return None
        parts = (["the stand-up notes"] if notes else []) + ([counted(len(self.blockers), "blocker")]
                                                              if self.blockers else [])
        return f"{' and '.join(parts)} (no check-in saved yet: e ends the stand-up)"

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

    def action_jump(self) -> None:
        """Go to a person by typing their initials or the start of their name."""
        people = [person for person in self.workspace.all(Person) if person.id in self.person_ids]

        def submit(values: dict[str, Any]) -> object:
            person = identity.match_person(people, values["who"])
            if person is None:
                raise ValidationError("who", "type a name or initials")
            return person.id

        def done(person_id: object) -> None:
            if isinstance(person_id, str) and person_id in self.person_ids:
                self._visit(self.person_ids.index(person_id))

        field = FormField("who", "Jump to", "", hint="initials or the start of a name, e.g. dl", required=True)
        self.app.push_screen(FormScreen("Jump to a person", [field], submit), done)

    def _item_rows(self, steps_only: bool = False) -> list[int]:
        table = self.query_one("#standup-items", StandupItems)
        skip = (SECTION_ROW, WORK_ROW) if steps_only else (SECTION_ROW,)
        return [row for row, key in enumerate(table.row_keys()) if not key.startswith(skip)]

    def _first_item(self) -> None:
        """Put the cursor on the person's first row to talk about."""
        rows = self._item_rows()
        if rows:
            self._row = rows[0]
            self.query_one("#standup-items", StandupItems).move_cursor(row=rows[0])

    def _put_cursor(self, row: int, down: bool = True, steps_only: bool = False) -> None:
        """The cursor on ``row`` when it is an item, else on the nearest item in the direction of travel
        (``steps_only``: the nearest step to tick, when there is one)."""
        rows = (self._item_rows(steps_only) if steps_only else []) or self._item_rows()
        if not rows:
            return
        after = [r for r in rows if r >= row]
        before = [r for r in rows if r <= row]
        target = (after[0] if after else rows[-1]) if down else (before[-1] if before else rows[0])
        self._row = target
        table = self.query_one("#standup-items", StandupItems)
        if table.cursor_row != target:
            table.move_cursor(row=target)

    @on(LineTable.RowHighlighted, "#standup-items")
    def _skip_titles(self, event: LineTable.RowHighlighted) -> None:
        """A section's title is never where the cursor rests: it moves on to the next item that way."""
        row = event.cursor_row
        if str(event.row_key.value).startswith(SECTION_ROW):
            self._put_cursor(row, down=row >= self._row)
        else:
            self._row = row

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
        self._render_items(since)
        self._render_people()
        self._render_fixes()
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
            ticked = sum(1 for entry in self.ticked if entry["person_id"] == person.id)
            header.append(f"   {self._summary(person, ticked)}", style="dim")
            if self.timebox:
                over = self.seconds_left < 0
                header.append(f"   timebox {standup.countdown_text(self.seconds_left)}",
                              style="bold red" if over else "bold green")
        else:
            header.append("No people on the team yet: add them on the People screen (key 7).")
        self.query_one("#standup-person", Static).update(header)

    def _summary(self, person: Person, ticked: int) -> str:
        blockers = sum(len(blocked) for _, blocked in self._blocker_groups(person.id))
        return standup.summary_line(person.name, self._sections, ticked, blockers).split(" — ", 1)[1]

    def _blocker_groups(self, person_id: str) -> list[tuple[WorkItem | None, list[ChecklistItem]]]:
        return standup.blockers_by_item(person_id, steps_to_work(self.workspace), self.workspace.all(WorkItem))

    def _sections_for(self, person: Person, since: Any) -> dict[str, list[standup.Line]]:
        steps = steps_to_work(self.workspace)
        work_items = self.workspace.all(WorkItem)
        now = clock.now()
        waiting = standup.aging_for(person.id, steps, work_items, self.workspace.all(Stage), now)
        turns = your_turn.turns_for(self.workspace, person.id)
        return standup.open_work(person.id, steps, work_items, turns, waiting, today=clock.today(), since=since)

    def _render_items(self, since: Any) -> None:
        table = self.query_one("#standup-items", StandupItems)
        selected, row = self._selected_key(), table.cursor_row
        table.clear()
        person = self.person
        self._sections = {}
        if person is None:
            return
        self._titles = {item.id: item.title for item in self.workspace.all(WorkItem)}
        self._sections = self._sections_for(person, since)
        for key, title in standup.SECTIONS[:2]:
            self._section(table, key, title)
        self._render_blockers(table, person)
        for key, title in standup.SECTIONS[2:]:
            self._section(table, key, title)
        if self._after_tick is None and selected and selected in table.row_keys():
            table.move_cursor(row=table.get_row_index(selected))
        else:
            ticked = self._after_tick is not None
            self._put_cursor(row if self._after_tick is None else self._after_tick, steps_only=ticked)

    def _section(self, table: LineTable, key: str, title: str) -> None:
        """A section's title and its rows; an empty section is left out (the person's line counts it)."""
        lines = self._sections.get(key, [])
        if not lines:
            return
        table.add_row("", Text(f"{title} ({len(lines)})", style="bold underline"), "", "", key=SECTION_ROW + key)
        for entry in lines:
            if isinstance(entry.record, ChecklistItem):
                table.add_row(*self._cells(entry.record, why=entry.why, aged=entry.aged), key=entry.record.id)
            else:
                table.add_row(*self._work_cells(entry), key=WORK_ROW + entry.record.id)

    def _render_blockers(self, table: LineTable, person: Person) -> None:
        """The blocked steps on the person's pieces (or theirs), piece by piece."""
        groups = self._blocker_groups(person.id)
        if not groups:
            return
        count = sum(len(blocked) for _, blocked in groups)
        table.add_row("", Text(f"Blockers, per piece ({count})", style="bold underline"), "", "",
                      key=SECTION_ROW + "blockers")
        for item, blocked in groups:
            key = item.id if item else "stage"
            table.add_row("", Text(item.title if item else "Stage checklists", style="bold"), "", "",
                          key=SECTION_ROW + "blocked:" + key)
            for step in blocked:  # keyed apart: the same step may be listed as due too
                table.add_row(*self._cells(step, with_piece=False), key=BLOCKED_ROW + step.id)

    def _cells(self, item: ChecklistItem, *, with_piece: bool = True, why: str = "",
               aged: bool = False) -> tuple[Any, ...]:
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
        elif why:
            due = Text(why, style="bold red" if aged else "cyan")
        else:
            due = Text(due_words(item, today) if item.due else "", style=TONE_STYLES[due_tone(item, today)])
        return mark, text, Text(self.workspace.name_of(Stage, item.stage_id)), due

    def _work_cells(self, entry: standup.Line) -> tuple[Any, ...]:
        """A piece of work assigned to the person: talked about here, moved on the Board."""
        item = entry.record
        assert isinstance(item, WorkItem)
        today = clock.today().isoformat()
        if entry.why:
            when = Text(entry.why, style="bold red" if entry.aged else "cyan")
        elif item.due:
            when = Text(f"due {item.due}", style="bold red" if item.due < today else "")
        else:
            when = Text("")
        return (Text(" ▸ ", style="cyan"), Text.assemble(("piece: ", "dim"), (item.title, "bold")),
                Text(self.workspace.name_of(Stage, item.stage_id)), when)

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
            for tick in checkin.ticked:
                who = self.workspace.name_of(Person, tick.get("person_id"), "?").split(" ")[0]
                text.append(f"✓ {who}: {tick.get('text', '')}\n", style="green")
            for blocker in checkin.blockers:
                who = self.workspace.name_of(Person, blocker.get("person_id"), "?")
                text.append(f"⚑ {who}: {blocker.get('note', '')}\n", style="red")
        self.query_one("#standup-past-list", Static).update(text)

    # -- selection ----------------------------------------------------------------------
    def _selected_key(self) -> str | None:
        key = row_key(self.query_one("#standup-items", StandupItems))
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
        row = self.query_one("#standup-items", StandupItems).cursor_row
        person_id = self.person_ids[self.index]
        try:
            ticker = app_state(self).session_person if item.approval else person_id
            self._after_tick = row  # the list is drawn again: the cursor stays on this line, now the next item
            changed = self.attempt(lambda: raci_work.toggle_tick(self.workspace, item, ticker))
        except raci_work.ApprovalRefused as refusal:
            self.notify(f"{refusal}.", severity="warning")
            return
        finally:
            self._after_tick = None
        if changed is None:
            return
        if item.done:  # it was done: untick
            self.ticked = [entry for entry in self.ticked if entry["item_id"] != item.id]
        else:
            self.ticked.append(standup.tick_entry(person_id, item))
        self.refresh_view()
        self._put_cursor(row, steps_only=True)  # the next step to tick comes up under the cursor

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

    def action_end(self) -> None:
        """End the stand-up: save a check-in with the people visited, the notes and the blockers."""
        notes = self.query_one("#standup-notes", TextArea).text
        checkin = standup.build_checkin(clock.today(), self.visited, notes, self.blockers, self.ticked)
        summary = self._summaries()
        saved = self.attempt(lambda: self.workspace.add(checkin))
        if saved is None:
            return
        app_state(self).drafts.drop(NOTES_DRAFT)
        self.app.notify(f"Check-in saved: {counted(len(saved.attendee_ids), 'person', 'people')}, "
                        f"{len(saved.ticked)} ticked, {counted(len(saved.blockers), 'blocker')}.\n"
                        + "\n".join(summary), title="Stand-up ended", timeout=15)
        self.app.pop_screen()

    def _summaries(self) -> list[str]:
        """One line per person visited: what they ticked, and what is still due, their turn and open."""
        since = standup.since_moment(self.workspace.all(CheckIn), clock.now())
        lines = []
        for person_id in dict.fromkeys(self.visited):
            person = self.workspace.find(Person, person_id)
            if person is None:
                continue
            sections = self._sections_for(person, since)
            ticked = sum(1 for entry in self.ticked if entry["person_id"] == person_id)
            blockers = sum(len(blocked) for _, blocked in self._blocker_groups(person_id))
            lines.append(standup.summary_line(person.name, sections, ticked, blockers))
        return lines

    def action_leave(self) -> None:
        """Leave the notes, or leave the stand-up (asks first when there are notes or blockers to lose)."""
        notes = self.query_one("#standup-notes", TextArea)
        if notes.has_focus:
            self.query_one("#standup-items", StandupItems).focus()
            return
        if not notes.text.strip() and not self.blockers:
            self.app.pop_screen()
            return

        def answer(confirmed: bool | None) -> None:
            if confirmed:
                if notes.text.strip():
                    app_state(self).drafts.keep(NOTES_DRAFT, "the stand-up notes", {"notes": notes.text})
                self.app.pop_screen()

        self.app.push_screen(ConfirmScreen(
            "Leave the stand-up without saving a check-in?",
            ["ticks and blockers on items are already saved", "the notes come back at the next stand-up",
             "press e instead to end the stand-up and save them"], yes="Leave"), answer)

    @on(LineTable.RowSelected, "#standup-items")
    def _row_selected(self) -> None:
        self.action_tick()
