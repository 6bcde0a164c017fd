"""Retro (key 6): the review meeting — questions and feedback, themes and votes, decisions and the report.

Three panes ([ and ] switch): Feedback (the questions with who answered what,
and every note grouped by question), Themes & votes, and Decisions (the
priority fixes, the follow-up date and the recommendations: R goes straight to
them). m opens meeting mode for live notes; w shows the report for leadership.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static, TabbedContent, TabPane

from gtm_tui.data import clock
from gtm_tui.data.model import (
    RECOMMENDATION_KINDS,
    ActionItem,
    Feedback,
    Person,
    Question,
    Recommendation,
    Stage,
    Theme,
    ValidationError,
)
from gtm_tui.overview.sections import counted
from gtm_tui.review import answers, fix_loop, retro
from gtm_tui.screens.app_state import app_state
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormField, FormScreen
from gtm_tui.screens.main.base import choices_of, row_key
from gtm_tui.screens.pushed.meeting import ANONYMOUS, NAMED_FEEDBACK_NOTICE, MeetingScreen
from gtm_tui.screens.widgets.retro_tables import ActionsTable, FeedbackTable, QuestionsTable, RecommendationsTable
from gtm_tui.screens.widgets.retro_themes import ThemeActions, ThemesTable, action_fields, fill_table, short, theme_rows
from gtm_tui.work import metrics

PANES = ("tab-feedback", "tab-themes", "tab-decisions")


def _initials(name: str) -> str:
    return "".join(part[0] for part in name.split()[:2]).upper() or "?"


class RetroScreen(ThemeActions):
    SCREEN_NAME = "Retro"
    SCREEN_KEY = "6"
    HELP_INTRO = ("The review meeting: collect feedback on the questions beforehand, take notes live (m), "
                  "group them into themes, vote with dots, agree 2-3 priority fixes with owners and deadlines, "
                  "set the follow-up check and share the report (w).")
    DEFAULT_CSS = """
    RetroScreen .pane-note { color: $text-muted; padding: 0 1; height: auto; }
    RetroScreen #actions { height: 1fr; }
    RetroScreen #recommendations { height: 1fr; }
    RetroScreen #fix-loop { padding: 0 1; height: auto; max-height: 5; text-wrap: nowrap; text-overflow: ellipsis; }
    """
    # After the focused pane's keys the footer shows the meeting, My answers and the next pane; the report,
    # recommendations, follow-up, dots and links are in help (?) and the palette.
    BINDINGS = [
        Binding("m", "meeting", "Meeting mode"),
        Binding("A", "my_answers", "My answers"),
        Binding("right_square_bracket", "pane(1)", "Next pane", key_display="]"),
        Binding("left_square_bracket", "pane(-1)", "Previous pane", key_display="[", show=False),
        Binding("w", "report", "Report", show=False),
        Binding("R", "recommendations", "Recommendations", key_display="R", show=False),
        Binding("u", "follow_up", "Follow-up date", show=False),
        Binding("l", "dot_limit", "Dots per person", show=False),
        Binding("k", "link_fix", "Link fix to…", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        with TabbedContent(id="retro-tabs"):
            with TabPane("Feedback", id="tab-feedback"):
                yield Static("", id="answer-status", classes="pane-note")
                yield QuestionsTable(id="questions")
                yield FeedbackTable(id="feedback")
            with TabPane("Themes & votes", id="tab-themes"):
                yield Static("", id="voter", classes="pane-note")
                yield ThemesTable(id="themes")
            with TabPane("Decisions", id="tab-decisions"):
                yield Static("", id="decisions-note", classes="pane-note")
                yield Static("", id="fix-loop")
                yield ActionsTable(id="actions")
                yield RecommendationsTable(id="recommendations")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#questions", QuestionsTable).focus()

    # -- showing ---------------------------------------------------------------------------
    def refresh_view(self) -> None:
        ws = self.workspace
        questions, people, feedback = ws.all(Question), ws.all(Person), ws.all(Feedback)
        grid = retro.answer_grid(questions, people, feedback)
        table = self.query_one("#questions", QuestionsTable)
        keep = row_key(table)
        table.clear(columns=True)
        table.add_columns("#", "Question", *(_initials(p.name) for p in people), "Anon", "Live")
        live = [sum(1 for f in feedback if f.question_id == q.id and f.phase == "live") for q in questions]
        fill_table(table, [
            (q.id, (str(i + 1), Text(q.text), *(("✓" if row.counts[i] else "·") for row in grid[:-1]),
                    str(grid[-1].counts[i] or ""), str(live[i] or "")))
            for i, q in enumerate(questions)
        ], keep)
        table.styles.height = min(len(questions), 8) + 2
        answered = sum(1 for row in grid[:-1] if row.answered == len(questions) and questions)
        missing = [row.person.name for row in grid[:-1] if row.person and not row.answered]
        self.query_one("#answer-status", Static).update(Text(
            f"{answered} of {len(people)} people answered every question"
            + (f" · no answer yet from {', '.join(missing)}" if missing else "")
            + " · b adds feedback · m meeting mode"))
        number = {q.id: str(i + 1) for i, q in enumerate(questions)}

        def note_cells(note_id: str) -> tuple[Any, ...]:  # asked for when the row comes into view
            f = ws.find(Feedback, note_id)
            if f is None:
                return ()
            who = ws.name_of(Person, f.person_id, "anonymous") + (" · live" if f.phase == "live" else "")
            return (number.get(f.question_id, "?"), Text(who), short(ws.name_of(Theme, f.theme_id, "")), Text(f.text))

        notes_table = self.query_one("#feedback", FeedbackTable)
        keep = row_key(notes_table)
        note_ids = [f.id for _question, notes in retro.feedback_by_question(questions, feedback) for f in notes]
        notes_table.set_rows(note_ids, note_cells)
        if keep in note_ids:
            notes_table.move_cursor(row=notes_table.get_row_index(keep))
        fill_table(self.query_one("#themes", ThemesTable), theme_rows(ws))
        self.query_one("#voter", Static).update(
            Text(self.voter_line() + " · p next voter · + / - dots · f makes a fix · l dots per person")
        )
        actions = sorted(
            ws.all(ActionItem), key=lambda a: (not a.priority, a.status in ("done", "dropped"), a.due or "9999")
        )
        fill_table(
            self.query_one("#actions", ActionsTable),
            [
                (
                    a.id,
                    (
                        Text(a.due or "—", style="bold red" if retro.is_overdue(a) else ""),
                        short(ws.name_of(Person, a.owner_id), 18),
                        a.status,
                        "yes" if a.priority else "",
                        Text(a.title),
                    ),
                )
                for a in actions
            ],
        )
        fill_table(self.query_one("#recommendations", RecommendationsTable), [
            (r.id, (r.kind, Text(ws.name_of(Stage, r.stage_id, "")), Text(r.text))) for r in ws.all(Recommendation)
        ])
        self._render_fix_loop()
        open_fixes = len(retro.active_priority_fixes(ws.all(ActionItem)))
        self.query_one("#decisions-note", Static).update(
            Text(
                f"{counted(open_fixes, 'open priority fix', 'open priority fixes')} (2-3 is the aim) · "
                f"follow-up check: {ws.pilot().follow_up_date or 'not set'} (u)"
            )
        )

    def _render_fix_loop(self) -> None:
        """The previous fixes with their linked stage's median time in stage before and after the fix's date."""
        rows = fix_loop.before_after(self.workspace, metrics.this_minute(clock.now()))
        widget = self.query_one("#fix-loop", Static)
        widget.display = bool(rows)
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("Previous fixes · median days in the linked stage (visits) before → after the fix:", style="bold")
        for row in rows:
            text.append(f"\n {row.fix.status:<11} ")
            better = row.after_days is not None and row.before_days is not None and row.after_days < row.before_days
            worse = row.after_days is not None and row.before_days is not None and row.after_days > row.before_days
            text.append(row.text(), style="green" if better else "red" if worse else "")
            text.append(" · ")
            text.append(row.fix.title, style="dim")
        widget.update(text)

    def action_link_fix(self) -> None:
        """Link the selected fix to what it changes: a stage, a handoff, a checklist item or a RACI row."""
        item = self._action()
        if item is None:
            return
        current = fix_loop.link_value(item.links[0]["table"], item.links[0]["id"]) if item.links else None
        fields = [
            FormField("link", "Changes", current, kind="choice", choices=fix_loop.link_choices(self.workspace),
                      hint="the stage, handoff, checklist item or RACI row this fix changes"),
            FormField("keep", "Keep its other links", True, kind="yesno"),
        ]

        def submit(values: dict[str, Any]) -> ActionItem:
            return fix_loop.set_link(self.workspace, item, values["link"], bool(values["keep"]))

        self.app.push_screen(FormScreen(f"Link '{short(item.title, 40)}' to…", fields, submit))

    # -- panes, meeting, report ---------------------------------------------------------------
    def action_pane(self, delta: int) -> None:
        """Show the next (or previous) pane: Feedback, Themes & votes, Decisions."""
        tabs = self.query_one("#retro-tabs", TabbedContent)
        index = (PANES.index(tabs.active) + delta) % len(PANES) if tabs.active in PANES else 0
        tabs.active = PANES[index]
        table_id = {"tab-feedback": "#questions", "tab-themes": "#themes", "tab-decisions": "#actions"}[PANES[index]]
        self.query_one(table_id).focus()

    def action_recommendations(self) -> None:
        """Show the recommendations (on the Decisions pane) with the cursor in them: a adds, e edits, d deletes."""
        self.query_one("#retro-tabs", TabbedContent).active = "tab-decisions"
        self.query_one("#recommendations", RecommendationsTable).focus()

    def action_meeting(self) -> None:
        """Full-screen live note-taking, starting at the selected question."""
        self.app.push_screen(MeetingScreen(row_key(self.query_one("#questions", QuestionsTable))))

    def action_report(self) -> None:
        """The report for leadership: read it, save it next to the file, or copy it."""
        # Imported here: the report's Markdown widget pulls in markdown-it, which
        # costs every start-up tens of milliseconds (benchmarks/bench.py).
        from gtm_tui.screens.pushed.report import ReportScreen

        self.app.push_screen(ReportScreen())

    # -- questions ---------------------------------------------------------------------------
    def _question(self) -> Question | None:
        question = self.workspace.find(Question, row_key(self.query_one("#questions", QuestionsTable)))
        if question is None:
            self.notify("No question selected. Press a to add one.")
        return question

    def action_add_question(self) -> None:
        """Add a review question at the end."""
        def submit(values: dict[str, Any]) -> Question:
            return retro.add_question(self.workspace, values["text"])

        self.app.push_screen(
            FormScreen("Add a review question", [FormField("text", "Question", "", required=True)], submit)
        )

    def action_edit_question(self) -> None:
        """Reword the selected question."""
        question = self._question()
        if question is None:
            return

        def submit(values: dict[str, Any]) -> Question:
            return self.workspace.update(question, text=retro.question_text(values["text"]))

        self.app.push_screen(
            FormScreen("Edit question", [FormField("text", "Question", question.text, required=True)], submit)
        )

    def action_delete_question(self) -> None:
        """Delete the selected question (and the notes that answer it)."""
        question = self._question()
        if question is None:
            return
        effects = [effect.text for effect in self.workspace.consequences(question)]

        def answer(confirmed: bool | None) -> None:
            if confirmed:
                self.attempt(lambda: self.workspace.delete(question))

        self.app.push_screen(
            ConfirmScreen("Delete this question?", effects or ["no notes answer it yet"], yes="Delete"), answer
        )

    def action_move_question(self, delta: int) -> None:
        """Move the selected question up or down."""
        question = self._question()
        if question is not None:
            self.attempt(lambda: retro.move_question(self.workspace, question, delta))

    # -- feedback ----------------------------------------------------------------------------
    def _feedback_fields(self, note: Feedback) -> list[FormField]:
        return [
            FormField(
                "question",
                "Question",
                note.question_id or None,
                kind="choice",
                choices=choices_of(self.workspace.all(Question)),
                required=True,
            ),
            FormField(
                "person",
                "From",
                note.person_id or (app_state(self).session_person if not note.text else None) or ANONYMOUS,
                kind="choice",
                required=True,
                choices=[(ANONYMOUS, ANONYMOUS), *choices_of(self.workspace.all(Person))],
                hint=NAMED_FEEDBACK_NOTICE,
            ),
            FormField("text", "Answer", note.text, kind="long", required=True),
        ]

    def _feedback_values(self, values: dict[str, Any]) -> dict[str, Any]:
        if not values["question"]:
            raise ValidationError("question", "pick the question this answers")
        person = values["person"] if values["person"] not in (None, ANONYMOUS) else None  # anonymous: no author at all
        return {"question_id": values["question"], "person_id": person, "text": retro.note_text(values["text"])}

    def action_add_feedback(self) -> None:
        """Enter an answer given before the meeting (from a person, or anonymous)."""
        if not self.workspace.count(Question):
            self.notify("Add a review question first (a).")
            return
        question_id = row_key(self.query_one("#questions", QuestionsTable))
        if self.focused is self.query_one("#feedback", FeedbackTable):
            current = self.workspace.find(Feedback, row_key(self.query_one("#feedback", FeedbackTable)))
            question_id = current.question_id if current else question_id

        def submit(values: dict[str, Any]) -> Feedback:
            return self.workspace.add(Feedback(phase="before", **self._feedback_values(values)))

        self.app.push_screen(
            FormScreen("Add feedback", self._feedback_fields(Feedback(question_id=question_id or "")), submit)
        )

    def action_my_answers(self) -> None:
        """Answer every question in one form, before the meeting (your answers so far are filled in)."""
        workspace = self.workspace
        me = app_state(self).session_person
        given = answers.answers_of(workspace, me)
        if not given:
            self.notify("Add a review question first (a).")
            return
        people = [(ANONYMOUS, ANONYMOUS), *choices_of(workspace.all(Person))]
        fields = [FormField("from", "From", me or ANONYMOUS, kind="choice", choices=people, required=True,
                            hint=NAMED_FEEDBACK_NOTICE)]
        fields += [FormField(f"answer-{answer.question.id}", f"{number}. {answer.question.text}",
                             answer.given.text if answer.given else "", hint="your answer (empty: none)")
                   for number, answer in enumerate(given, start=1)]

        def submit(values: dict[str, Any]) -> answers.Saved:
            person = workspace.find(Person, values["from"])
            typed = {answer.question.id: values[f"answer-{answer.question.id}"] or "" for answer in given}
            return answers.save_answers(workspace, person, typed)

        def done(saved: answers.Saved | None) -> None:
            if isinstance(saved, answers.Saved):
                self.notify(saved.describe(workspace.name_of(Person, me, "Anonymous")), title="My answers")

        self.app.push_screen(FormScreen("My answers before the review", fields, submit), done)

    def _selected_feedback(self) -> Feedback | None:
        return self.workspace.find(Feedback, row_key(self.query_one("#feedback", FeedbackTable)))

    def action_edit_feedback(self) -> None:
        """Correct the selected feedback note."""
        note = self._selected_feedback()
        if note is None:
            return

        def submit(values: dict[str, Any]) -> Feedback:
            return self.workspace.update(note, **self._feedback_values(values))

        self.app.push_screen(FormScreen("Edit feedback", self._feedback_fields(note), submit))

    def action_delete_feedback(self) -> None:
        """Delete the selected feedback note."""
        note = self._selected_feedback()
        if note is not None:
            self.app.push_screen(ConfirmScreen("Delete this feedback note?", [note.text], yes="Delete"),
                                 lambda ok: ok and self.attempt(lambda: self.workspace.delete(note)))

    # -- action items ------------------------------------------------------------------------
    def _action(self) -> ActionItem | None:
        item = self.workspace.find(ActionItem, row_key(self.query_one("#actions", ActionsTable)))
        if item is None:
            self.notify("No action item selected. Press a to add one, or f on a theme.")
        return item

    def action_add_action(self) -> None:
        """Add a fix that is not tied to a theme."""
        self.add_fix(None)

    def action_edit_action(self) -> None:
        """Change the fix, its owner or its deadline."""
        item = self._action()
        if item is None:
            return

        def submit(values: dict[str, Any]) -> ActionItem:
            return self.workspace.update(item, **retro.action_item_values(values))

        self.app.push_screen(FormScreen("Edit action item", action_fields(self.workspace, item), submit))

    def action_cycle_status(self) -> None:
        """open → in progress → done → dropped → open."""
        item = self._action()
        if item is not None:
            self.attempt(lambda: self.workspace.update(item, status=retro.next_status(item.status)))

    def action_toggle_priority(self) -> None:
        """Count this item among the 2-3 priority fixes, or not."""
        item = self._action()
        if item is None:
            return
        if (
            not item.priority
            and item.status in retro.ACTIVE_STATUSES
            and (warning := retro.priority_warning(self.workspace.all(ActionItem)))
        ):
            self.app.push_screen(ConfirmScreen(warning, yes="Make it priority"),
                                 lambda ok: ok and self.attempt(lambda: self.workspace.update(item, priority=True)))
            return
        self.attempt(lambda: self.workspace.update(item, priority=not item.priority))

    def action_delete_action(self) -> None:
        """Delete the selected action item."""
        item = self._action()
        if item is not None:
            self.app.push_screen(ConfirmScreen(f"Delete '{item.title}'?", ["ctrl+z undoes it"], yes="Delete"),
                                 lambda ok: ok and self.attempt(lambda: self.workspace.delete(item)))

    # -- recommendations ---------------------------------------------------------------------
    def _recommendation_fields(self, rec: Recommendation) -> list[FormField]:
        return [
            FormField(
                "kind", "Kind", rec.kind, kind="choice", choices=[(k, k) for k in RECOMMENDATION_KINDS], required=True
            ),
            FormField(
                "stage",
                "Stage",
                rec.stage_id,
                kind="choice",
                choices=choices_of(self.workspace.all(Stage)),
                hint="where it applies",
            ),
            FormField("text", "Recommendation", rec.text, kind="long", required=True),
        ]

    def _recommendation(self) -> Recommendation | None:
        return self.workspace.find(Recommendation, row_key(self.query_one("#recommendations", RecommendationsTable)))

    def action_add_recommendation(self) -> None:
        """Propose a change: simplify a stage, better coordination, an automation."""
        def submit(values: dict[str, Any]) -> Recommendation:
            return self.workspace.add(Recommendation(**retro.recommendation_values(values)))

        self.app.push_screen(FormScreen("Add a recommendation", self._recommendation_fields(Recommendation()), submit))

    def action_edit_recommendation(self) -> None:
        """Change the selected recommendation."""
        rec = self._recommendation()
        if rec is None:
            return

        def submit(values: dict[str, Any]) -> Recommendation:
            return self.workspace.update(rec, **retro.recommendation_values(values))

        self.app.push_screen(FormScreen("Edit recommendation", self._recommendation_fields(rec), submit))

    def action_delete_recommendation(self) -> None:
        """Delete the selected recommendation."""
        rec = self._recommendation()
        if rec is not None:
            self.app.push_screen(ConfirmScreen("Delete this recommendation?", [rec.text], yes="Delete"),
                                 lambda ok: ok and self.attempt(lambda: self.workspace.delete(rec)))
