"""Stand-up mode: go round the team one person at a time, screen-shared, keyboard only.

For each person, everything open that is theirs, each once: due today or overdue,
the pieces where it is their turn and the approvals waiting on them, the blockers
on their pieces, everything else open, and what they finished since the last
stand-up (what to list and in which order: ``gtm_tui.checklists.standup``). The
cursor rests on real rows only and, after a tick, on the next step to tick; the
line under the table says everything about the row under it. Tab past the last
person shows the round-up, one line a person. Ending the stand-up saves a
check-in: the date, the people visited, the notes, the blockers and what was ticked.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.widgets import Static, TextArea

from gtm_tui.checklists import standup
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
from gtm_tui.screens.user_text import clamped, shown
from gtm_tui.screens.widgets.line_table import LineTable
from gtm_tui.sharing import identity

NOTES_DRAFT = "stand-up notes"
SECTION_ROW = "section:"  # a section's title: the cursor never rests on it
WORK_ROW = "work:"  # a piece of work's row: shown to talk about, not ticked here
BLOCKED_ROW = "blocked:"  # a step listed again under its piece's blockers
PERSON_ROW = "person:"  # a person's line in the round-up
TONE_STYLES = {"bad": "bold red", "warning": "yellow", "turn": "cyan", "done": "green", "": ""}
NARROW = 110  # below this width the stage and date columns narrow, so the item keeps the room
SHORT = 32  # below this height the open fixes take one line and the notes box one line of text


class StandupItems(LineTable):
    """A person's stand-up rows; the cursor rests on real rows only, never on a section's title."""


class StandupScreen(MainScreen):
    SCREEN_NAME = "Stand-up"
    HELP_INTRO = (
        "One person at a time (tab / shift+tab, or j and their initials), everything open that is theirs: "
        "what is due or overdue, the pieces where it is their turn and the approvals waiting on them, the "
        "blockers, then everything else open (what waits longer than its stage expects first). Space ticks a "
        "step for the person shown and the cursor moves on to the next step; b flags a blocker, n types "
        "notes, t sets a timebox. Tab past the last person shows the round-up; e ends the stand-up and saves "
        "the check-in with what was ticked."
    )
    # In the footer in this order (tab first: it stands in for the screen's own tab): what a laptop's 80 columns
    # show matters most; help and undo fit beside them at 120. The notes (their box says n), the timebox, past
    # check-ins, shift+tab and esc are in help (?) and the palette.
    BINDINGS = [
        Binding("tab", "person(1)", "Next person"),
        Binding("space", "tick", "Tick / untick"),
        Binding("b", "blocker", "Blocker"),
        Binding("e", "end", "End stand-up"),
        Binding("j", "jump", "Jump to a person"),
        Binding("n", "notes", "Notes", show=False),  # the notes box says "n to type"
        Binding("t", "timebox", "Timebox", show=False),
        Binding("p", "past", "Past check-ins", show=False),
        Binding("shift+tab", "person(-1)", "Previous person", show=False),
        Binding("escape", "leave", "Leave", show=False),
    ]
    DEFAULT_CSS = """
    StandupScreen #standup-title { padding: 0 1; text-style: bold; color: $accent; }
    StandupScreen #standup-people { padding: 0 1; height: auto; }
    StandupScreen #standup-person { padding: 0 1; text-style: bold; height: auto; }
    StandupScreen #standup-body { height: 1fr; }
    StandupScreen #standup-fixes {
        padding: 0 1; height: auto; max-height: 4; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis;
    }
    StandupScreen.-short #standup-fixes { max-height: 1; }
    StandupScreen #standup-past { width: 44; border-left: solid $accent; padding: 0 1; display: none; }
    StandupScreen #standup-past.-shown { display: block; }
    StandupScreen #standup-detail { padding: 0 1; height: auto; max-height: 3; background: $boost; }
    StandupScreen #standup-notes { height: 4; border: round $accent; }
    StandupScreen.-short #standup-notes { height: 3; }
    StandupScreen #standup-notes:focus { height: 6; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.person_ids: list[str] = []
        self.index = 0  # len(person_ids): the round-up
        self.visited: list[str] = []
        self.blockers: list[dict[str, Any]] = []
        self.ticked: list[dict[str, Any]] = []  # steps ticked during this stand-up (standup.tick_entry)
        self.timebox: int | None = None
        self.seconds_left = 0
        self._lines: dict[str, standup.Line] = {}  # row key -> what the row shows (titles have none)
        self._sections: dict[str, list[standup.Line]] = {}
        self._blocked = 0  # blocked steps listed for the person shown
        self._row = 0  # where the cursor was, to follow the direction it moves in
        self._after_tick: int | None = None  # the row ticked on, while the tick is saved
        self._round_up_columns: bool | None = None  # which columns the table has (None: none yet)

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static("", id="standup-title")
        yield Static("", id="standup-people")
        yield Static("", id="standup-person")
        yield Static("", id="standup-fixes")
        with Horizontal(id="standup-body"):
            yield StandupItems(id="standup-items", cursor_type="row")
            with VerticalScroll(id="standup-past"):
                yield Static("", id="standup-past-list")
        yield Static("", id="standup-detail")
        notes = TextArea("", id="standup-notes", soft_wrap=True)
        notes.border_title = "Notes (n to type, esc to leave the notes)"
        yield notes
        yield from self.compose_footer()

    def _columns(self, round_up: bool) -> None:
        """A person's rows (item, stage, when, how long it waited) or the round-up's (a count a column)."""
        table = self.query_one("#standup-items", StandupItems)
        if self._round_up_columns is round_up:
            return
        self._round_up_columns = round_up
        table.clear(columns=True)
        table.add_column("✓", width=3, key="done")
        if round_up:
            table.add_column("Person", flex=True, key="person")
            for label in ("Ticked", "Due", "Your turn", "Open", "Blockers"):
                table.add_column(Text(label, justify="right"), width=len(label), key=f"count-{label.lower()}")
            return
        narrow = self.app.size.width < NARROW
        table.add_column("Item", flex=True, key="item")
        table.add_column("Stage", width=11 if narrow else 16, key="stage")
        table.add_column("Due", width=15 if narrow else 22, key="due")
        table.add_column("Waited", width=6, key="waited")

    def on_resize(self, event: Resize) -> None:
        """Fit a laptop's 80x24: narrower stage and date (a date is never cut), fixes on one line, short names."""
        table = self.query_one("#standup-items", StandupItems)
        narrow = event.size.width < NARROW
        table.set_column_width("stage", 11 if narrow else 16)
        table.set_column_width("due", 15 if narrow else 22)
        self.set_class(event.size.height < SHORT, "-short")
        if self.person_ids:
            self._render_people()
            self._render_fixes()
        self.call_after_refresh(self._show_detail)  # cut to the lines the new size gives it

    def on_mount(self) -> None:
        table = self.query_one("#standup-items", StandupItems)
        self.person_ids = [p.id for p in standup.people_to_visit(self.workspace.all(Person))]
        self.set_class(self.app.size.height < SHORT, "-short")
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
        """The person shown; None on the round-up (or with nobody on the team)."""
        if self.index >= len(self.person_ids):
            return None
        return self.workspace.find(Person, self.person_ids[self.index])

    @property
    def on_round_up(self) -> bool:
        return bool(self.person_ids) and self.index == len(self.person_ids)

    def _visit(self, index: int) -> None:
        self.index = index
        if index < len(self.person_ids):
            self.visited.append(self.person_ids[index])
        self.seconds_left = self.timebox or 0
        self.refresh_view()
        self._first_item()

    def action_person(self, step: int) -> None:
        """Show the next (or previous) person; past the last one, the round-up."""
        if self.person_ids:
            self._visit((self.index + step) % (len(self.person_ids) + 1))

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

    # -- where the cursor rests ---------------------------------------------------------
    def _real_rows(self, open_steps: bool = False) -> list[int]:
        """Rows the cursor may rest on (``open_steps``: only the steps still to tick)."""
        table = self.query_one("#standup-items", StandupItems)
        if not open_steps:
            return [row for row, key in enumerate(table.row_keys()) if not key.startswith(SECTION_ROW)]
        return [row for row, key in enumerate(table.row_keys())
                if key in self._lines and self._lines[key].tickable and not self._lines[key].done]

    def _first_item(self) -> None:
        """Put the cursor on the person's first row to talk about."""
        rows = self._real_rows()
        if rows:
            self._row = rows[0]
            self.query_one("#standup-items", StandupItems).move_cursor(row=rows[0])
        self._show_detail()

    def _put_cursor(self, row: int, down: bool = True, open_steps: bool = False) -> None:
        """The cursor on ``row`` when it is a real row, else on the nearest one in the direction of travel
        (``open_steps``: the nearest step still to tick, when there is one)."""
        rows = (self._real_rows(open_steps=True) if open_steps else []) or self._real_rows()
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
        """A section's title is never where the cursor rests: it moves on to the next row that way."""
        row = event.cursor_row
        if str(event.row_key.value).startswith(SECTION_ROW):
            self._put_cursor(row, down=row >= self._row)
        else:
            self._row = row
            self._show_detail()

    # -- rendering ----------------------------------------------------------------------
    def refresh_view(self) -> None:
        self.person_ids = [pid for pid in self.person_ids if self.workspace.find(Person, pid)] or [
            p.id for p in self.workspace.all(Person)]
        self.index = min(self.index, len(self.person_ids))
        now = clock.now()
        since = standup.since_moment(self.workspace.all(CheckIn), now)
        since_words = f"since the check-in of {since:%a %Y-%m-%d %H:%M}" if since else "no check-in yet"
        self.query_one("#standup-title", Static).update(Text(
            f"Stand-up · {clock.today():%A %Y-%m-%d} · {since_words}"))
        if self.on_round_up:
            self._render_round_up(since)
        else:
            self._render_items(since)
        self._render_people()
        self._render_fixes()
        self._render_past()
        self._show_detail()

    def _render_fixes(self) -> None:
        """The open priority fixes and the follow-up date, shown at every stand-up until the fixes are done
        (on a short screen all on one line, cut with "…")."""
        panel = fix_loop.fixes_panel(self.workspace, clock.today())
        widget = self.query_one("#standup-fixes", Static)
        widget.display = not panel.empty
        one_line = self.has_class("-short")
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"Open fixes · follow-up check {panel.follow_up or 'not set'}:", style="bold")
        for row in panel.fixes:
            text.append(" " if one_line else "\n")
            text.append(f"• due {row.fix.due or '—'}", style="bold red" if row.overdue else "")
            text.append(f" · {row.owner}: ")
            text.append(row.fix.title)
        if not panel.fixes:
            text.append(" all fixes done", style="green")
        widget.update(text)

    def _render_people(self) -> None:
        names = [self.workspace.name_of(Person, person_id) for person_id in self.person_ids]
        marks = ["✓ " if person_id in self.visited else "· " for person_id in self.person_ids]
        full = sum(len(name) + 4 for name in names) + 12
        if full > self.size.width - 2:
            names = standup.short_names(names)
        line = Text()
        for index, (person_id, mark, name) in enumerate(zip(self.person_ids, marks, names, strict=True)):
            style = "reverse bold" if index == self.index else ("" if person_id in self.visited else "dim")
            line.append(f" {mark}{name} ", style=style)
        if self.person_ids:
            line.append(" ▸ Round-up ", style="reverse bold" if self.on_round_up else "dim")
        self.query_one("#standup-people", Static).update(line)
        person = self.person
        header = Text()
        if person is not None:
            header.append(f"{self.index + 1}/{len(self.person_ids)}  {person.name}")
            if person.role:
                header.append(f" — {person.role}", style="dim")
            ticked = sum(1 for entry in self.ticked if entry["person_id"] == person.id)
            summary = standup.summary_line(person.name, self._sections, ticked, self._blocked)
            header.append(f"   {summary.split(' — ', 1)[1]}", style="dim")
            if self.timebox:
                over = self.seconds_left < 0
                header.append(f"   timebox {standup.countdown_text(self.seconds_left)}",
                              style="bold red" if over else "bold green")
        elif self.on_round_up:
            header.append(f"Round-up · {len(set(self.visited))} of {len(self.person_ids)} visited · "
                          f"{len(self.ticked)} ticked · {counted(len(self.blockers), 'blocker')} flagged today")
        else:
            header.append("No people on the team yet: add them on the People screen (key 7).")
        self.query_one("#standup-person", Static).update(header)

    def _everyone(self) -> tuple[list[ChecklistItem], list[WorkItem], list[your_turn.Turn]]:
        """What every person's list is made of, read once per drawing."""
        return steps_to_work(self.workspace), self.workspace.all(WorkItem), your_turn.all_turns(self.workspace)

    def _work_of(self, person_id: str, since: datetime | None,
                 everyone: tuple[list[ChecklistItem], list[WorkItem], list[your_turn.Turn]],
                 ) -> tuple[dict[str, list[standup.Line]], list[standup.Waiting]]:
        steps, work_items, turns = everyone
        waiting = standup.aging_for(person_id, steps, work_items, self.workspace.all(Stage), clock.now())
        mine = your_turn.turns_for(self.workspace, person_id, turns)
        sections = standup.their_work(person_id, steps, work_items, mine, waiting, today=clock.today(), since=since)
        return sections, waiting

    def _render_items(self, since: datetime | None) -> None:
        table = self.query_one("#standup-items", StandupItems)
        selected, row = self._selected_key(), table.cursor_row
        self._columns(round_up=False)
        table.clear()
        self._lines, self._sections, self._blocked = {}, {}, 0
        person = self.person
        if person is None:
            return
        everyone = self._everyone()
        self._sections, waiting = self._work_of(person.id, since, everyone)
        titles = {item.id: item.title for item in everyone[1]}
        for key, title in standup.SECTIONS[:2]:
            self._section(table, key, title, titles)
        self._render_blockers(table, person, everyone, waiting)
        for key, title in standup.SECTIONS[2:]:
            self._section(table, key, title, titles)
        if self._after_tick is None and selected and selected in table.row_keys():
            table.move_cursor(row=table.get_row_index(selected))
        else:
            ticked = self._after_tick is not None
            self._put_cursor(row if self._after_tick is None else self._after_tick, open_steps=ticked)

    def _section(self, table: LineTable, key: str, title: str, titles: dict[str, str]) -> None:
        """A section's title and its rows; an empty section is left out (the person's line counts it)."""
        lines = self._sections.get(key, [])
        if not lines:
            return
        table.add_row("", Text(f"{title} ({len(lines)})", style="bold underline"), "", "", "",
                      key=SECTION_ROW + key)
        for entry in lines:
            row = entry.record.id if entry.tickable else WORK_ROW + entry.record.id
            self._add(table, row, entry, titles)

    def _render_blockers(self, table: LineTable, person: Person,
                         everyone: tuple[list[ChecklistItem], list[WorkItem], list[your_turn.Turn]],
                         waiting: list[standup.Waiting]) -> None:
        """The blocked steps on the person's pieces (or theirs), piece by piece."""
        groups = standup.blockers_by_item(person.id, everyone[0], everyone[1])
        if not groups:
            return
        aged = {entry.record.id: entry for entry in waiting}
        self._blocked = sum(len(blocked) for _, blocked in groups)
        table.add_row("", Text(f"Blockers, per piece ({self._blocked})", style="bold underline"), "", "", "",
                      key=SECTION_ROW + "blockers")
        for item, blocked in groups:
            key = item.id if item else "stage"
            table.add_row("", Text(item.title if item else "Stage checklists", style="bold"), "", "", "",
                          key=SECTION_ROW + "blocked:" + key)
            for step in blocked:  # keyed apart: the same step may be listed as due too
                self._add(table, BLOCKED_ROW + step.id, standup.Line("step", step, waiting=aged.get(step.id)),
                          {}, with_piece=False)

    def _add(self, table: LineTable, key: str, entry: standup.Line, titles: dict[str, str],
             with_piece: bool = True) -> None:
        self._lines[key] = entry
        today = clock.today()
        record = entry.record
        when, tone = standup.when_words(entry, today)
        stage = Text(self.workspace.name_of(Stage, record.stage_id))
        due, waited = Text(when, style=TONE_STYLES[tone]), Text(standup.waited_words(entry), style="bold red")
        if isinstance(record, WorkItem):
            table.add_row(Text(" ▸ ", style="cyan"), Text.assemble(("piece: ", "dim"), (record.title, "bold")),
                          stage, due, waited, key=key)
            return
        mark = Text("[x]", style="green") if record.done else Text("[ ]")
        text = Text(record.text, style="dim" if record.done else "")
        piece = titles.get(record.work_item_id or "") if with_piece else None
        if piece:
            text.append(f" — {piece}", style="dim")
        if record.blocked and not record.done:
            text = Text.assemble(("⚑ ", "bold red"), text)
        table.add_row(mark, text, stage, due, waited, key=key)

    def _render_round_up(self, since: datetime | None) -> None:
        """One line a person: what they ticked, and what is still due, their turn and open."""
        table = self.query_one("#standup-items", StandupItems)
        selected = self._selected_key()
        self._columns(round_up=True)
        table.clear()
        self._lines, self._sections, self._blocked = {}, {}, 0

        def count(number: int, style: str = "") -> Text:
            return Text(str(number), style=style, justify="right") if number else Text("–", "dim", justify="right")

        for person_id, person in self._summaries(self.person_ids, since):
            mark = Text("✓", style="green") if person_id in self.visited else Text("·", style="dim")
            table.add_row(mark, Text(person.name), count(person.ticked, "green"), count(person.due, "bold red"),
                          count(person.turn, "cyan"), count(person.open), count(person.blockers, "red"),
                          key=PERSON_ROW + person_id)
        if selected and selected in table.row_keys():
            table.move_cursor(row=table.get_row_index(selected))

    def _summaries(self, person_ids: list[str], since: datetime | None) -> list[tuple[str, standup.RoundUp]]:
        everyone = self._everyone()
        lines = []
        for person_id in person_ids:
            person = self.workspace.find(Person, person_id)
            if person is None:
                continue
            sections, _ = self._work_of(person_id, since, everyone)
            ticked = sum(1 for entry in self.ticked if entry["person_id"] == person_id)
            blockers = sum(len(blocked) for _, blocked in standup.blockers_by_item(person_id, *everyone[:2]))
            lines.append((person_id, standup.round_up(person.name, sections, ticked, blockers)))
        return lines

    def _show_detail(self) -> None:
        """Everything about the row under the cursor, wrapped: the table cuts long text with "…"."""
        key = self._selected_key()
        entry = self._lines.get(key or "")
        widget = self.query_one("#standup-detail", Static)
        widget.display = entry is not None or self.on_round_up
        if self.on_round_up:
            widget.update(Text("Enter goes back to the person under the cursor; e ends the stand-up and saves the "
                               "check-in with the people visited, the notes, the blockers and what was ticked."))
        if entry is None:
            return
        record = entry.record
        piece = ""
        if isinstance(record, ChecklistItem) and record.work_item_id:
            piece = self.workspace.name_of(WorkItem, record.work_item_id, "")
        stage = self.workspace.name_of(Stage, record.stage_id, "")
        widget.update(clamped(shown(standup.line_detail(entry, clock.today(), stage=stage, piece=piece)), widget))

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
        """The step under the cursor (None on a piece of work, a title or the round-up)."""
        entry = self._lines.get(self._selected_key() or "")
        if entry is None or not isinstance(entry.record, ChecklistItem):
            return None
        return self.workspace.find(ChecklistItem, entry.record.id)

    # -- actions ------------------------------------------------------------------------
    def action_tick(self) -> None:
        """Tick the selected step for the person shown (or untick it); saved at once. The cursor moves on
        to the next step to tick.

        An approval is the exception: it is ticked by the person at this
        keyboard (who this machine says it is), who must be the stage's A.
        """
        item = self.selected_item()
        if item is None:
            key = self._selected_key() or ""
            self.notify("A piece of work moves on the Board (key 8); space ticks its steps."
                        if key.startswith(WORK_ROW) else "Move to a step to tick it.")
            return
        row = self.query_one("#standup-items", StandupItems).cursor_row
        person_id = self.person_ids[self.index]
        try:
            ticker = app_state(self).session_person if item.approval else person_id
            self._after_tick = row  # the list is drawn again: the cursor stays on this line, now the next step
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
        self._put_cursor(row, open_steps=True)  # the next step to tick comes up under the cursor
        self._show_detail()

    def action_blocker(self) -> None:
        """Flag what blocks the selected item; it goes on the item and into this stand-up's check-in."""
        item = self.selected_item()
        if item is None:
            self.notify("Move to a step to flag a blocker on it.")
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
        """End the stand-up: save a check-in with the people visited, the notes, the blockers and the ticks."""
        notes = self.query_one("#standup-notes", TextArea).text
        checkin = standup.build_checkin(clock.today(), self.visited, notes, self.blockers, self.ticked)
        since = standup.since_moment(self.workspace.all(CheckIn), clock.now())
        summary = [person.line() for _, person in self._summaries(list(dict.fromkeys(self.visited)), since)]
        saved = self.attempt(lambda: self.workspace.add(checkin))
        if saved is None:
            return
        app_state(self).drafts.drop(NOTES_DRAFT)
        self.app.notify(f"Check-in saved: {counted(len(saved.attendee_ids), 'person', 'people')}, "
                        f"{len(saved.ticked)} ticked, {counted(len(saved.blockers), 'blocker')}.\n"
                        + "\n".join(summary), title="Stand-up ended", timeout=15)
        self.app.pop_screen()

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
        """Enter ticks a step; on the round-up it goes back to that person."""
        key = self._selected_key() or ""
        if key.startswith(PERSON_ROW) and key.removeprefix(PERSON_ROW) in self.person_ids:
            self._visit(self.person_ids.index(key.removeprefix(PERSON_ROW)))
        else:
            self.action_tick()
