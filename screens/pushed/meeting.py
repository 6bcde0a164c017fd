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
from textual.widgets import Input, Static

from gtm_tui.data.model import Feedback, Person, Question, Theme, ValidationError
from gtm_tui.data.workspace import ChangeSet
from gtm_tui.review import retro
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormField, FormScreen
from gtm_tui.screens.main.base import choices_of, row_key
from gtm_tui.screens.widgets.line_table import LineTable
from gtm_tui.screens.widgets.retro_themes import ThemeActions, ThemesTable, fill_table, short, theme_rows

# Said wherever named feedback is entered: the file is shared, so a name on a note is never private.
NAMED_FEEDBACK_NOTICE = ("Named feedback is visible to everyone who has this file. "
                         "Choose 'anonymous' to leave your name out entirely.")
ANONYMOUS = "anonymous"  # the "From" choice that stores a note with no author at all


class NotesTable(LineTable):
    """The current question's notes; space marks notes for grouping."""

    BINDINGS = [
        Binding("space", "screen.toggle_note", "Select note"),
        Binding("x", "screen.split_notes", "Split off"),
        Binding("e", "screen.edit_note", "Edit note"),
        Binding("d,delete", "screen.delete_note", "Delete note", key_display="d"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.add_columns(" ", "Who", "Theme", "Note")


class MeetingScreen(ThemeActions):
    """Full-screen note-taking for the review meeting."""

    SCREEN_NAME = "Meeting"
    HELP_INTRO = ("Live notes in the review: type and press enter to save a note on the current question. "
                  "Tab to the notes to select them (space) and group them (ctrl+t); tab to the themes to vote.")
    DEFAULT_CSS = """
    MeetingScreen #question { padding: 0 1; text-style: bold; background: $boost; height: auto; }
    MeetingScreen #meeting-body { height: 1fr; }
    MeetingScreen #notes { width: 3fr; }
    MeetingScreen #themes-pane { width: 2fr; }
    MeetingScreen #meeting-status { padding: 0 1; color: $text-muted; height: 1; }
    MeetingScreen #meeting-privacy { padding: 0 1; color: $warning; height: auto; }
    MeetingScreen #note { margin: 0 0; }
    """
    BINDINGS = [
        Binding("ctrl+n,pagedown", "next_question(1)", "Next question", key_display="^n", priority=True),
        Binding("ctrl+b,pageup", "next_question(-1)", "Previous question", key_display="^b", priority=True),
        Binding("ctrl+t", "theme_from_selection", "Theme from selected", key_display="^t", priority=True),
        Binding("ctrl+o", "next_speaker", "Next speaker", key_display="^o", priority=True),
        Binding("ctrl+f", "follow_up", "Follow-up date", key_display="^f", priority=True),
        Binding("escape", "back", "Back / leave"),
    ]

    def __init__(self, question_id: str | None = None) -> None:
        super().__init__()
        self.question_id = question_id
        self.selected_notes: set[str] = set()
        self.speaker_index = 0  # 0 = anonymous, then the people in order

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static("", id="question")
        with Horizontal(id="meeting-body"):
            yield NotesTable(id="notes")
            with Vertical(id="themes-pane"):
                yield ThemesTable(id="themes")
        yield Static("", id="meeting-status")
        yield Static(Text(f"{NAMED_FEEDBACK_NOTICE} (^o picks the speaker)"), id="meeting-privacy")
        yield Input(placeholder="Type a note and press enter — it is saved on this question", id="note")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#note", Input).focus()

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
        people = self.workspace.all(Person)
        self.speaker_index %= len(people) + 1
        return people[self.speaker_index - 1] if self.speaker_index else None

    def notes(self) -> list[Feedback]:
        question = self.question()
        if question is None:
            return []
        return list(retro.feedback_by_question([question], self.workspace.all(Feedback))[0][1])

    def _note_cells(self, note: Feedback) -> tuple[Text, Text, Text, Text]:
        return (Text("●" if note.id in self.selected_notes else " ", style="bold green"),
                short(self.workspace.name_of(Person, note.person_id, "anonymous"), 16),
                short(self.workspace.name_of(Theme, note.theme_id, ""), 20), Text(note.text))

    def workspace_changed(self, change_set: ChangeSet) -> None:
        if not self._patch(change_set):
            super().workspace_changed(change_set)

    def _patch(self, change_set: ChangeSet) -> bool:
        """A note added without a theme (typed here, or a teammate's): add its row, if it is on this question.

        Nothing else the meeting shows counts ungrouped notes, so the rest stays as drawn;
        False for any other change (the whole view is drawn again).
        """
        if len(change_set.changes) != 1:
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
        questions, question = self.questions(), self.question()
        title = self.query_one("#question", Static)
        if question is None:
            title.update("No review questions yet. Leave with escape and add one on the Retro screen (a).")
        else:
            number = [q.id for q in questions].index(question.id) + 1
            title.update(Text.assemble((f"Question {number} of {len(questions)} · ", "dim"), question.text,
                                       ("   ^n next · ^b previous", "dim")))
        notes = self.notes()
        live_ids = {n.id for n in self.workspace.all(Feedback)}
        self.selected_notes &= live_ids
        fill_table(self.query_one("#notes", NotesTable), [(n.id, self._note_cells(n)) for n in notes])
        fill_table(self.query_one("#themes", ThemesTable), theme_rows(self.workspace))
        speaker = self.speaker()
        parts = [
            f"Speaker: {speaker.name if speaker else 'anonymous'} (^o)",
            f"{len(self.selected_notes)} selected" if self.selected_notes else "space selects notes",
            self.voter_line(),
            f"Follow-up: {self.workspace.pilot().follow_up_date or 'not set'} (^f)",
        ]
        self.query_one("#meeting-status", Static).update(Text(" · ".join(parts)))

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
            return self.workspace.add(Feedback(question_id=question.id, person_id=speaker.id if speaker else None,
                                               text=text, phase="live"))

        note = self.attempt(change)
        if note is not None:
            event.input.value = ""
            table = self.query_one("#notes", NotesTable)
            table.move_cursor(row=table.get_row_index(note.id))

    def action_next_question(self, delta: int) -> None:
        """Move to the next (or previous) question; notes you type attach to it."""
        questions = self.questions()
        question = self.question()
        if question is None:
            return
        index = [q.id for q in questions].index(question.id) + delta
        if not 0 <= index < len(questions):
            self.notify("That was the last question." if delta > 0 else "This is the first question.")
            return
        self.question_id = questions[index].id
        self.selected_notes.clear()
        self.refresh_view()

    def action_next_speaker(self) -> None:
        """Whose note you type next: anonymous, then each person in turn."""
        self.speaker_index += 1
        self.refresh_view()

    def action_back(self) -> None:
        """Back to the note input; from the input, leave meeting mode."""
        note = self.query_one("#note", Input)
        if self.focused is not note:
            note.focus()
        else:
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
        """Mark or unmark the note under the cursor for grouping."""
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
        self.app.push_screen(FormScreen(f"Group {len(notes)} note(s)", fields, submit), done)

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
        self.app.push_screen(FormScreen(f"Split {len(notes)} note(s) off", fields, submit), done)

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
