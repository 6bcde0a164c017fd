"""Conflicts (ctrl+p → Conflicts): the values a merge had to choose between, for a person to settle.

Each row is a field both copies changed: the record now holds the later
change; ``o`` takes the other value instead, ``k`` keeps the current one.
Both end the conflict; ctrl+z undoes it. The rules live in gtm_tui/sharing/conflicts.py,
folding in a synced folder's conflict copies (f) in gtm_tui/sharing/copies.py.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from gtm_tui.data.model import Conflict
from gtm_tui.data.workspace import SaveError
from gtm_tui.screens.main.base import MainScreen, row_key
from gtm_tui.screens.widgets.row_table import RowTable
from gtm_tui.sharing import conflicts
from gtm_tui.sharing.copies import conflict_copies, fold_in


class ConflictsScreen(MainScreen):
    SCREEN_NAME = "Conflicts"
    HELP_INTRO = (
        "Fields that two copies of the file changed differently (a git merge or a synced folder's conflict copy). "
        "The later change was kept; take the other value or keep the current one."
    )
    BINDINGS = [
        Binding("o", "take_other", "Take other value"),
        Binding("k", "keep_current", "Keep current value"),
        Binding("f", "fold_copies", "Fold in conflict copies", show=False),
        Binding("escape", "back", "Back"),
    ]
    DEFAULT_CSS = """
    ConflictsScreen #conflicts { height: 1fr; }
    ConflictsScreen #conflict-detail { height: auto; max-height: 12; padding: 0 1; border-top: solid $accent; }
    """

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static("Merge conflicts", classes="screen-title")
        table = RowTable(id="conflicts", cursor_type="row", zebra_stripes=True)
        table.add_columns("Record", "Field", "Now", "Other value", "Kept")
        yield table
        yield Static("", id="conflicts-hint", classes="empty-hint")
        yield Static("", id="conflict-detail")
        yield from self.compose_footer()

    def refresh_view(self) -> None:
        table = self.query_one("#conflicts", DataTable)
        selected = self.selected_id()
        table.clear()
        found = conflicts.open_conflicts(self.workspace)
        for conflict in found:
            table.add_row(
                Text(_short(conflicts.subject(self.workspace, conflict), 34)),
                Text(conflict.field.replace("_", " ") or "(record)"),
                Text(conflicts.show_value(conflicts.current_value(self.workspace, conflict), limit=20)),
                Text(_short(conflicts.other_value_text(conflict), 20)),
                Text(conflict.sides),
                key=conflict.id,
            )
        ids = [c.id for c in found]
        if selected in ids:
            table.move_cursor(row=ids.index(selected))
        hint = self.query_one("#conflicts-hint", Static)
        copies = conflict_copies(self.workspace)
        if found:
            hint.update("")
        elif copies:
            hint.update(
                Text(
                    f"No conflicts yet. {len(copies)} conflict cop{'ies' if len(copies) != 1 else 'y'} "
                    "beside the file: press f to fold in."
                )
            )
        else:
            hint.update("No merge conflicts: every merged change fitted together.")
        hint.display = not found
        self._show_detail()

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#conflict-detail", Static)
        conflict = self.selected()
        detail.display = conflict is not None
        if conflict is None:
            return
        now = conflicts.show_value(conflicts.current_value(self.workspace, conflict), limit=400)
        lines = Text()
        lines.append(conflicts.subject(self.workspace, conflict), style="bold")
        if conflict.field:
            lines.append(f"\n{conflict.field.replace('_', ' ')} — now: ", style="dim")
            lines.append(now)
            lines.append("\nother value: ", style="dim")
            lines.append(conflicts.show_value(conflict.losing, limit=400))
            lines.append(
                f"\nkept {conflict.sides} (merged {conflict.when[:16].replace('T', ' ')}); "
                "o takes the other value, k keeps the current one",
                style="dim",
            )
        else:
            lines.append(
                "\ndeleted in one copy and changed in the other, so it was kept; o deletes it, k keeps it", style="dim"
            )
        detail.update(lines)

    def selected_id(self) -> str | None:
        return row_key(self.query_one("#conflicts", DataTable))

    def selected(self) -> Conflict | None:
        return self.workspace.find(Conflict, self.selected_id())

    def action_take_other(self) -> None:
        conflict = self.selected()
        if conflict is None:
            self.notify("No conflict selected.")
            return
        message = self.attempt(lambda: conflicts.take_other(self.workspace, conflict))
        if message:
            self.notify(message + " ctrl+z undoes it.", title="Conflict resolved")

    def action_keep_current(self) -> None:
        conflict = self.selected()
        if conflict is None:
            self.notify("No conflict selected.")
            return
        message = self.attempt(lambda: conflicts.keep_current(self.workspace, conflict))
        if message:
            self.notify(message, title="Conflict resolved")

    def action_fold_copies(self) -> None:
        fold_copies(self.app)

    def action_back(self) -> None:
        self.dismiss()


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fold_copies(app: App) -> None:
    """Fold every conflict copy beside the open file into it, and say what happened (used by the palette too)."""
    screen = app
    workspace = app.workspace  # type: ignore[attr-defined]
    copies = conflict_copies(workspace)
    if not copies:
        screen.notify("No conflict copies beside the file.")
        return
    try:
        report = fold_in(workspace, copies)
    except SaveError as error:
        screen.notify(str(error), title="Not folded in", severity="error", timeout=10)
        return
    for problem in report.unreadable:
        screen.notify(problem, title="Skipped a copy", severity="warning", timeout=10)
    for reason in report.skipped:
        screen.notify(reason, title="Skipped a file", severity="warning", timeout=10)
    if report.folded:
        text = f"Folded in {', '.join(report.folded)}."
        if report.conflicts:
            text += (
                f" {report.conflicts} conflict{'s' if report.conflicts != 1 else ''} to review (ctrl+p → Conflicts)."
            )
        screen.notify(
            text, title="Conflict copies", severity="warning" if report.conflicts else "information", timeout=8
        )
