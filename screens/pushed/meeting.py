"""Meeting mode: live note-taking in the review, full screen and fast.

The note input is always ready: type, enter, and the note is saved on the
current question; ctrl+n / ctrl+b (or page down / page up) move between the
questions. Tab reaches the notes (space selects, ctrl+t makes a theme of the
selection or joins one) and the themes (vote, rename, merge, make a fix).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.widgets import Input, Static

from gtm_tui.checklists import standup
from gtm_tui.data import clock
from gtm_tui.data.model import Feedback, Person, Question, Theme, ValidationError
from gtm_tui.data.workspace import ChangeSet
from gtm_tui.overview.sections import counted
from gtm_tui.review import meeting, retro
from gtm_tui.screens.app_state import app_state
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormField, FormScreen
from gtm_tui.screens.main.base import choices_of, row_key
from gtm_tui.screens.user_text import clamped, shown
from gtm_tui.screens.widgets.line_table import LineTable
from gtm_tui.screens.widgets.retro_themes import ThemeActions, ThemesTable, fill_table, theme_rows
from gtm_tui.sharing import identity

# Said wherever named feedback is entered: the file is shared, so a name on a note is never private.
NAMED_FEEDBACK_NOTICE = ("Named feedback is visible to everyone who has this file. "
                         "Choose 'anonymous' to leave your name out entirely.")
ANONYMOUS = "anonymous"
QUESTION_KEYS = Binding.Group("Next / prev question")  # ^n ^b: one footer entry, 80 columns show ^t beside it
NOTE_DRAFT = "meeting note"  # the "From" choice that stores a note with no author at all


class NotesTable(LineTable):
    """The current question's notes; space marks notes for grouping (the marks stay on other questions)."""

    HELP_TITLE = "In the notes"

    BINDINGS = [
        Binding("space", "screen.toggle_note", "Select note"),
        Binding("e", "screen.edit_note", "Edit note"),
        Binding("x", "screen.split_notes", "Split off", show=False),
        Binding("d,delete", "screen.delete_note", "Delete note", key_display="d", show=False),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.add_column(" ", width=1, key="mark")
        self.add_column("Who", width=12, key="who")
        self.add_column("Theme", width=14, key="theme")
        self.add_column("Note", flex=True, key="note")


class MeetingScreen(ThemeActions):
    """Full-screen note-taking for the review meeting."""

    SCREEN_NAME = "Meeting"
    HELP_INTRO = ("Live notes in the review, phase by phase: write → group → vote → decide (^g moves on, ^r sets "
                  "a timer). Type and press enter to save a note on the current question; ^o picks who speaks by "
                  "name or initials. Tab to the notes to select them (space; the marks stay when you change "
                  "question) and group them (^t); tab to the themes to give your dots.")
    DEFAULT_CSS = """
    MeetingScreen #phase { padding: 0 1; height: 1; background: $boost; text-wrap: nowrap; text-overflow: ellipsis; }
    MeetingScreen #question { padding: 0 1; text-style: bold; height: auto; }
    MeetingScreen #meeting-body { height: 1fr; layout: horizontal; }
    MeetingScreen #meeting-body.-narrow { layout: vertical; }
    MeetingScreen #notes-pane { width: 3fr; height: 1fr; border: round $primary; }
    MeetingScreen #themes-pane { width: 2fr; height: 1fr; border: round $accent; }
    MeetingScreen #meeting-body.-narrow #notes-pane { width: 1fr; height: 3fr; }
    MeetingScreen #meeting-body.-narrow #themes-pane { width: 1fr; height: 2fr; }
    MeetingScreen #notes { height: 1fr; }
    MeetingScreen #note-full { height: auto; max-height: 7; padding: 0 1; border-top: dashed $primary-darken-2; }
    MeetingScreen.-short #note-full { max-height: 3; }
    MeetingScreen #note-full.-empty { display: none; }
    MeetingScreen #meeting-status { padding: 0 1; color: $text-muted; height: auto; }
    MeetingScreen #meeting-privacy { padding: 0 1; color: $warning; height: auto; }
    MeetingScreen #note { margin: 0 0; border: none; height: 1; padding: 0 1; background: $boost; }
    MeetingScreen #note:focus { background: $primary 30%; }
    """
    # In the footer in this order, what 80 columns show first matters most; page down / up, the timer, the
    # follow-up date and esc are in help. Page down / up are bindings of their own: sharing one with ctrl+n
    # would show the pair first, where the notes table has its paging keys.
    BINDINGS = [
        Binding("ctrl+g", "phase(1)", "Next phase", key_display="^g", priority=True),
        # No key_display of their own: help lists them beside page down / up ("pgdn ^n  Next question").
        Binding("ctrl+n", "next_question(1)", "Next question", priority=True, group=QUESTION_KEYS),
        Binding("ctrl+b", "next_question(-1)", "Previous question", priority=True, group=QUESTION_KEYS),
        Binding("ctrl+t", "theme_from_selection", "Theme from selected", key_display="^t", priority=True),
        Binding("ctrl+o", "pick_speaker", "Who speaks", key_display="^o", priority=True),
        Binding("pagedown", "next_question(1)", "Next question", show=False, priority=True),
        Binding("pageup", "next_question(-1)", "Previous question", show=False, priority=True),
        Binding("ctrl+r", "phase_timer", "Phase timer", key_display="^r", priority=True, show=False),
        Binding("ctrl+f", "follow_up", "Follow-up date", key_display="^f", priority=True, show=False),
        Binding("escape", "back", "Back / leave", show=False),
    ]
    NARROW = 140  # below this width the themes go under the notes, each in its own box
    SHORT = 30  # below this height the privacy notice shows only while a named person speaks
    WIDE = 140  # from this width the notes' Who and Theme columns widen

    def __init__(self, question_id: str | None = None) -> None:
        super().__init__()
        self.question_id = question_id
        self.selected_notes: set[str] = set()
        self.speaker_id: str | None = None  # who the next note is from; None = anonymous
        self._hidden = meeting.Shown([], 0, 0)

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static("", id="phase")
        yield Static("", id="question")
        with Horizontal(id="meeting-body"):
            with Vertical(id="notes-pane"):
                yield NotesTable(id="notes")
                yield Static("", id="note-full", classes="-empty")
            with Vertical(id="themes-pane"):
                yield ThemesTable(id="themes")
        yield Static("", id="meeting-status")
        yield Static(Text(f"{NAMED_FEEDBACK_NOTICE} (^o picks the speaker)"), id="meeting-privacy")
        yield Input(placeholder="Type a note and press enter — it is saved on this question", id="note")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        note = self.query_one("#note", Input)
        note.focus()
        draft = app_state(self).drafts.get(NOTE_DRAFT)
        if draft:
            note.value = draft["text"]
            app_state(self).drafts.drop(NOTE_DRAFT)
        self._fit(self.app.size.width, self.app.size.height)
        self.set_interval(1.0, self._show_phase)

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.width, event.size.height)
        self.call_after_refresh(self._show_full_note)  # cut to the lines the new size gives it

    def _fit(self, width: int, height: int) -> None:
        """Notes and themes side by side on a wide screen, the themes under the notes on a narrow one;
        on a short one the privacy notice shows while it matters (a named speaker), so the notes keep the room."""
        self.query_one("#meeting-body").set_class(width < self.NARROW, "-narrow")
        self.set_class(height < self.SHORT, "-short")
        notes = self.query_one("#notes", NotesTable)
        notes.set_column_width("who", 16 if width >= self.WIDE else 12)
        notes.set_column_width("theme", 24 if width >= self.WIDE else 14)
        self._show_question()
        self._show_status()

    def unsaved_work(self) -> str | None:
        """What quitting now would lose: a note typed and not yet saved with enter."""
        return "a note typed in meeting mode (enter saves it)" if self.query_one("#note", Input).value.strip() else None

    # -- what is shown ---------------------------------------------------------------------
    def questions(self) -> list[Question]:
        return self.workspace.all(Question)

    def question(self) -> Question | None:
        questions = self.questions()
        found = self.workspace.find(Question, self.question_id)
        if found is None and questions:
            found = questions[0]
            self.question_id = found.id
        return found

    def speaker(self) -> Person | None:
        return self.workspace.find(Person, self.speaker_id)

    def phase(self) -> str:
        return meeting.phase_of(self.workspace.pilot())

    def notes(self) -> list[Feedback]:
        """The current question's notes this screen may show (in the private write phase: its own)."""
        question = self.question()
        if question is None:
            return []
        notes = retro.feedback_by_question([question], self.workspace.all(Feedback))[0][1]
        state = app_state(self)
        self._hidden = meeting.notes_shown(notes, self.phase(), state.session_person, state.drafts.written_here)
        return self._hidden.notes

    def _note_cells(self, note: Feedback) -> tuple[Text, Text, Text, Text]:
        return (Text("●" if note.id in self.selected_notes else " ", style="bold green"),
                Text(self.workspace.name_of(Person, note.person_id, "anonymous")),
                Text(self.workspace.name_of(Theme, note.theme_id, "")), Text(note.text))

    def workspace_changed(self, change_set: ChangeSet) -> None:
        if not self._patch(change_set):
            super().workspace_changed(change_set)

    def _patch(self, change_set: ChangeSet) -> bool:
        """A note added without a theme (typed here, or a teammate's): add its row, if it is on this question.

        Nothing else the meeting shows counts ungrouped notes, so the rest stays as drawn;
        False for any other change (the whole view is drawn again), and in the private write
        phase (the line of hidden notes counts a teammate's note).
        """
        if len(change_set.changes) != 1 or meeting.is_private(self.phase()):
            return False
        change = change_set.changes[0]
        if change.table != Feedback.TABLE or change.before is not None or change.after is None:
            return False
        note = self.workspace.find(Feedback, change.id)
        if note is None or note.theme_id:
            return False
        if note.question_id != self.question_id:
            return True  # another question's note: not in this list
        table = self.query_one("#notes", NotesTable)
        last = self.workspace.find(Feedback, table.row_keys()[-1]) if table.row_count else None
        if last is not None and retro.note_order(note) < retro.note_order(last):
            return False  # it sorts among the notes listed (a back-dated note): list them again
        table.insert_row(note.id, self._note_cells(note))
        return True

    def refresh_view(self) -> None:
        self._show_question()
        notes = self.notes()
        live = self.workspace.all(Feedback)
        self.selected_notes &= {n.id for n in live}
        fill_table(self.query_one("#notes", NotesTable), [(n.id, self._note_cells(n)) for n in notes])
        themes = self.query_one("#themes", ThemesTable)
        fill_table(themes, theme_rows(self.workspace))
        self._show_phase()
        self._show_full_note()
        self._show_pane_titles(notes, live)
        self._show_status()

    def _show_question(self) -> None:
        """The question notes go to; the keys to the others when the line has room for them."""
        questions, question = self.questions(), self.question()
        title = self.query_one("#question", Static)
        if question is None:
            title.update("No review questions yet. Leave with escape and add one on the Retro screen (a).")
            return
        number = [q.id for q in questions].index(question.id) + 1
        line = Text.assemble((f"Question {number} of {len(questions)} · ", "dim"), question.text)
        hint = "   ^n next · ^b previous"
        if line.cell_len + len(hint) <= self.app.size.width - 2:
            line.append(hint, style="dim")
        title.update(line)

    def _show_pane_titles(self, notes: list[Feedback], live: list[Feedback]) -> None:
        pane = self.query_one("#notes-pane")
        pane.border_title = f"Notes on this question ({len(notes)})"
        if self._hidden.hidden:
            pane.border_title += (f" · {counted(self._hidden.hidden, 'note')} from "
                                  f"{counted(self._hidden.hidden_writers, 'writer')} hidden until ^g reveals them")
        if self.selected_notes:
            elsewhere = {n.question_id for n in live if n.id in self.selected_notes}
            pane.border_subtitle = (f"{len(self.selected_notes)} selected"
                                    + (f" on {len(elsewhere)} questions" if len(elsewhere) > 1 else "")
                                    + " · ^t groups them")
        else:
            pane.border_subtitle = "space selects · ^t groups"
        themes_pane = self.query_one("#themes-pane")
        themes_pane.border_title = f"Themes ({self.query_one('#themes', ThemesTable).row_count})"
        themes_pane.border_subtitle = self.voter_line()

    def _show_phase(self) -> None:
        """The phases with the current one marked, and its timer."""
        pilot = self.workspace.pilot()
        phase = meeting.phase_of(pilot)
        line = Text(no_wrap=True, overflow="ellipsis")
        for index, name in enumerate(meeting.PHASES):
            if index:
                line.append(" → ", style="dim")
            line.append(f" {name.capitalize()} ", style="reverse bold" if name == phase else "dim")
        left = meeting.seconds_left(pilot, clock.now())
        if left is not None:
            line.append(f"  {standup.countdown_text(left)}", style="bold red" if left < 0 else "bold green")
        line.append("  ·  " + (meeting.PHASE_WORDS[phase] if phase else "^g starts the write phase"), style="dim")
        self.query_one("#phase", Static).update(line)

    def _show_full_note(self) -> None:
        """The whole text of the note under the cursor, wrapped (the table cuts long notes with "…")."""
        note = self.workspace.find(Feedback, row_key(self.query_one("#notes", NotesTable)))
        full = self.query_one("#note-full", Static)
        full.set_class(note is None, "-empty")
        if note is not None:
            full.update(clamped(shown(note.text, multiline=True), full))  # a longer note: "…", e shows it all

    @on(LineTable.RowHighlighted, "#notes")
    def _note_highlighted(self) -> None:
        self._show_full_note()

    def _show_status(self) -> None:
        speaker = self.speaker()
        parts = [
            f"Speaker: {speaker.name if speaker else 'anonymous'} (^o)",
            self.dots_line(),
            f"Follow-up: {self.workspace.pilot().follow_up_date or 'not set'} (^f)",
        ]
        self.query_one("#meeting-status", Static).update(Text(" · ".join(p for p in parts if p)))
        # The notice matters while a name goes on the notes; a tall screen shows it all the time.
        self.query_one("#meeting-privacy", Static).display = speaker is not None or not self.has_class("-short")

    def dots_line(self) -> str:
        """How many of the team's dots are given, and whose are still to come (the facilitator's count)."""
        if self.phase() != "vote":
            return ""
        workspace = self.workspace
        return retro.dots_progress(workspace.all(Theme), workspace.all(Person), workspace.pilot().dot_limit)

    # -- taking notes -----------------------------------------------------------------------
    @on(Input.Submitted, "#note")
    def save_note(self, event: Input.Submitted) -> None:
        question = self.question()
        if question is None:
            self.notify("Add a review question first (Retro screen, key a).", severity="warning")
            return
        speaker = self.speaker()

        def change() -> Feedback:
            text = retro.note_text(event.value)
            position = retro.next_note_position(n for n in self.workspace.all(Feedback)
                                                if n.question_id == question.id)
            return self.workspace.add(Feedback(question_id=question.id, person_id=speaker.id if speaker else None,
                                               text=text, phase="live", position=position))

        note = self.attempt(change)
        if note is not None:
            app_state(self).drafts.written_here.add(note.id)
            event.input.value = ""
            table = self.query_one("#notes", NotesTable)
            if note.id not in table.row_keys():
                self.refresh_view()
            table.move_cursor(row=table.get_row_index(note.id))

    def action_next_question(self, delta: int) -> None:
        """Move to the next (or previous) question; notes you type attach to it. Selected notes stay selected."""
        questions = self.questions()
        question = self.question()
        if question is None:
            return
        index = [q.id for q in questions].index(question.id) + delta
        if not 0 <= index < len(questions):
            self.notify("That was the last question." if delta > 0 else "This is the first question.")
            return
        self.question_id = questions[index].id
        self.refresh_view()

    def action_pick_speaker(self) -> None:
        """Say who the next notes are from: type a name, a first name or initials (empty: anonymous)."""
        people = self.workspace.all(Person)

        def submit(values: dict[str, Any]) -> object:
            person = identity.match_person(people, values["who"])
            self.speaker_id = person.id if person else None
            return True

        def done(result: object) -> None:
            if result:
                self._show_status()
                self.query_one("#note", Input).focus()

        field = FormField("who", "Who speaks", "", hint="a name or initials; empty = anonymous")
        self.app.push_screen(FormScreen("Who speaks?", [field], submit), done)

    def action_phase(self, step: int) -> None:
        """Move the meeting to its next phase (write → group: the notes are revealed on every screen)."""
        pilot = self.workspace.pilot()
        changes = meeting.phase_changes(meeting.phase_of(pilot), step)
        if changes["review_phase"] == meeting.phase_of(pilot):
            self.notify("The meeting is in its last phase: decide.")
            return
        updated = self.attempt(lambda: self.workspace.update(pilot, **changes))
        if updated is not None:
            phase = updated.review_phase
            revealed = " — every note is shown now" if phase == "group" else ""
            self.notify(f"{phase.capitalize()}: {meeting.PHASE_WORDS[phase]}{revealed}.", title="Phase")

    def action_phase_timer(self) -> None:
        """Time the current phase: minutes from now (0 stops the timer)."""
        pilot = self.workspace.pilot()

        def submit(values: dict[str, Any]) -> object:
            changes = meeting.timer_changes(values["minutes"], clock.now())
            return self.workspace.update(self.workspace.pilot(), **changes)

        field = FormField("minutes", "Minutes", "", hint="e.g. 5 (0 stops the timer)", required=True)
        self.app.push_screen(FormScreen(f"Timer for the {meeting.phase_of(pilot) or 'write'} phase", [field], submit))

    def action_back(self) -> None:
        """Back to the note input; from the input, leave meeting mode."""
        note = self.query_one("#note", Input)
        if self.focused is not note:
            note.focus()
        else:
            if note.value.strip():  # back on the next open of meeting mode
                app_state(self).drafts.keep(NOTE_DRAFT, "a note typed in meeting mode", {"text": note.value})
            self.dismiss()

    # -- grouping ---------------------------------------------------------------------------
    def _chosen_notes(self) -> list[Feedback]:
        """The selected notes, or the one under the cursor when none are selected."""
        ids = set(self.selected_notes)
        if not ids:
            key = row_key(self.query_one("#notes", NotesTable))
            ids = {key} if key else set()
        return [f for f in self.workspace.all(Feedback) if f.id in ids]

    def action_toggle_note(self) -> None:
        """Mark or unmark the note under the cursor for grouping (marks on other questions stay)."""
        table = self.query_one("#notes", NotesTable)
        key = row_key(table)
        if key is None:
            return
        self.selected_notes ^= {key}
        self.refresh_view()
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def action_theme_from_selection(self) -> None:
        """Make a new theme of the selected notes, or put them into an existing theme."""
        notes = self._chosen_notes()
        if not notes:
            self.notify("Select notes first: tab to the notes and press space on each.")
            return
        workspace = self.workspace

        def submit(values: dict[str, Any]) -> object:
            theme = workspace.find(Theme, values["join"])
            current = [workspace.get(Feedback, n.id) for n in notes]
            if theme is not None:
                return retro.apply(workspace, f"group notes into '{theme.name}'", retro.join_theme(current, theme))
            if not (values["name"] or "").strip():
                raise ValidationError("name", "type a name for a new theme, or pick a theme to join")
            return retro.apply(workspace, "group notes into a new theme", retro.group_notes(current, values["name"]))

        def done(result: object) -> None:
            if result:
                self.selected_notes.clear()
                self.refresh_view()

        fields = [
            FormField("name", "New theme", "", hint="name a new theme…"),
            FormField("join", "…or join", None, kind="choice", choices=choices_of(workspace.all(Theme))),
        ]
        self.app.push_screen(FormScreen(f"Group {counted(len(notes), 'note')}", fields, submit), done)

    def action_split_notes(self) -> None:
        """Take the selected notes out of their themes (into a new theme when you name one)."""
        notes = self._chosen_notes()
        if not notes:
            return
        workspace = self.workspace

        def submit(values: dict[str, Any]) -> object:
            current = [workspace.get(Feedback, n.id) for n in notes]
            return retro.apply(workspace, "split notes off", retro.split_notes(current, values["name"] or "")) or True

        def done(result: object) -> None:
            if result:
                self.selected_notes.clear()
                self.refresh_view()

        fields = [FormField("name", "Into new theme", "", hint="leave empty to ungroup")]
        self.app.push_screen(FormScreen(f"Split {counted(len(notes), 'note')} off", fields, submit), done)

    def action_edit_note(self) -> None:
        """Correct the note under the cursor."""
        note = self.workspace.find(Feedback, row_key(self.query_one("#notes", NotesTable)))
        if note is None:
            return

        def submit(values: dict[str, Any]) -> object:
            return self.workspace.update(note, text=retro.note_text(values["text"]))

        self.app.push_screen(
            FormScreen("Edit note", [FormField("text", "Note", note.text, kind="long", required=True)], submit)
        )

    def action_delete_note(self) -> None:
        """Delete the note under the cursor (ctrl+z brings it back)."""
        note = self.workspace.find(Feedback, row_key(self.query_one("#notes", NotesTable)))
        if note is None:
            return

        def answer(confirmed: bool | None) -> None:
            if confirmed:
                self.attempt(lambda: self.workspace.delete(note))

        self.app.push_screen(ConfirmScreen("Delete this note?", [note.text], yes="Delete"), answer)
