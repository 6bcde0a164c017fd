"""The Retro screen's tables: questions with who answered, feedback, action items, recommendations.

Each table carries the keys that act on its rows; the keys call the screen
(``screen.<action>``), which makes the change through the Workspace.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from gtm_tui.screens.widgets.line_table import LineTable


class _Table(LineTable):  # the footer shows each table's add and edit; the rest is in help (?) and the palette
    COLUMNS: tuple[str, ...] = ()
    # Content widths when the rows come in lazily (None: the column takes the room left); else fitted to the cells.
    WIDTHS: tuple[int | None, ...] = ()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        if self.WIDTHS:
            for label, width in zip(self.COLUMNS, self.WIDTHS, strict=True):
                self.add_column(label, width=width or 30, flex=width is None)
        elif self.COLUMNS:
            self.add_columns(*self.COLUMNS)


class QuestionsTable(_Table):
    """The review questions, with a column per person: how many answers they gave (the status grid)."""

    HELP_TITLE = "In the questions"

    BINDINGS = [
        Binding("a", "screen.add_question", "Add question"),
        Binding("e", "screen.edit_question", "Edit question"),
        Binding("d,delete", "screen.delete_question", "Delete question", key_display="d", show=False),
        Binding("ctrl+up", "screen.move_question(-1)", "Move up", key_display="^↑", show=False),
        Binding("ctrl+down", "screen.move_question(1)", "Move down", key_display="^↓", show=False),
        Binding("b", "screen.add_feedback", "Add feedback", show=False),
    ]


class FeedbackTable(_Table):
    """Every feedback note, grouped by question."""

    HELP_TITLE = "In the feedback"

    COLUMNS = ("Q", "Who", "Theme", "Note")
    WIDTHS = (2, 24, 22, None)  # thousands of notes: drawn as they come into view
    BINDINGS = [
        Binding("a,b", "screen.add_feedback", "Add feedback", key_display="a"),
        Binding("e", "screen.edit_feedback", "Edit feedback"),
        Binding("d,delete", "screen.delete_feedback", "Delete feedback", key_display="d", show=False),
    ]


class ActionsTable(_Table):
    """The action items: the priority fixes first."""

    HELP_TITLE = "In the fixes"

    COLUMNS = ("Deadline", "Owner", "Status", "Priority", "Fix")
    BINDINGS = [
        Binding("a", "screen.add_action", "Add fix"),
        Binding("e", "screen.edit_action", "Edit fix"),
        Binding("s", "screen.cycle_status", "Next status"),
        Binding("y", "screen.toggle_priority", "Priority yes/no", show=False),
        Binding("d,delete", "screen.delete_action", "Delete fix", key_display="d", show=False),
    ]


class RecommendationsTable(_Table):
    """What the wrap-up proposes, each linked to the stage it applies to."""

    HELP_TITLE = "In the recommendations"

    COLUMNS = ("Kind", "Stage", "Recommendation")
    BINDINGS = [
        Binding("a", "screen.add_recommendation", "Add recommendation"),
        Binding("e", "screen.edit_recommendation", "Edit recommendation"),
        Binding("d,delete", "screen.delete_recommendation", "Delete recommendation", key_display="d", show=False),
    ]
