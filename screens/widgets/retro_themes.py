"""Themes, votes and decisions, shared by the Retro screen and meeting mode.

``ThemesTable`` lists the themes ranked by votes; its keys call the screen's
``ThemeActions`` (the screens' shared base), which turns them into changes through
``gtm_tui.review.retro`` and the Workspace. Forms and confirmations are the
shared ones from ``screens/dialogs/forms.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.text import Text
from textual.binding import Binding

from gtm_tui.data.model import ActionItem, Feedback, Person, Theme, ValidationError
from gtm_tui.data.workspace import Workspace
from gtm_tui.overview.sections import counted
from gtm_tui.review import retro
from gtm_tui.screens.app_state import app_state
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormField, FormScreen
from gtm_tui.screens.main.base import MainScreen, choices_of, row_key
from gtm_tui.screens.widgets.line_table import LineTable


def fill_table(table: LineTable, rows: Iterable[tuple[str, Sequence[Any]]], keep: str | None = None) -> None:
    """Replace a table's rows (key, cells) and keep the cursor on the row with key ``keep`` when it is still there."""
    keep = keep if keep is not None else row_key(table)
    cursor = table.cursor_row
    table.clear()
    keys = []
    for key, cells in rows:
        table.add_row(*cells, key=key)
        keys.append(key)
    if keep in keys:
        table.move_cursor(row=keys.index(keep))
    elif keys:
        table.move_cursor(row=min(cursor, len(keys) - 1))


class ThemesTable(LineTable):
    """Themes by votes: rename, merge, delete, vote, and make a priority fix from one."""

    HELP_TITLE = "In the themes"

    # The footer shows voting and the fix; the rest is in help (?) and the palette, so 80 columns show the
    # meeting's own keys beside them.
    BINDINGS = [
        Binding("plus,equals_sign", "screen.vote(1)", "Give a dot", key_display="+"),
        Binding("minus", "screen.vote(-1)", "Take a dot back", key_display="-", show=False),
        Binding("p", "screen.next_voter", "Next voter"),
        Binding("f", "screen.make_fix", "Make priority fix"),
        Binding("r", "screen.rename_theme", "Rename theme", show=False),
        Binding("M", "screen.merge_theme", "Merge into…", show=False),
        Binding("d,delete", "screen.delete_theme", "Delete theme", key_display="d", show=False),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.add_columns("Votes", "Notes", "Fixes")
        self.add_column("Theme", flex=True, key="theme")  # a long name ends in "…" rather than scrolling sideways


def short(text: str, width: int = 22) -> Text:
    """Text cut to ``width`` characters with an ellipsis, so the long column after it stays in view."""
    return Text(text if len(text) <= width else text[: width - 1] + "…")


def theme_rows(workspace: Workspace) -> list[tuple[str, Sequence[Any]]]:
    ranked = retro.ranked_themes(workspace.all(Theme), workspace.all(Feedback), workspace.all(ActionItem))
    return [
        (
            r.theme.id,
            (
                Text(f"{r.votes:>2} " + "●" * min(r.votes, 10), style="yellow"),
                str(r.notes),
                str(r.fixes or ""),
                Text(r.theme.name),
            ),
        )
        for r in ranked
    ]


def action_fields(workspace: Workspace, item: ActionItem | None = None, title: str = "") -> list[FormField]:
    item = item or ActionItem()
    return [
        FormField("title", "Fix", title or item.title, required=True, hint="what will change"),
        # Shown as required, yet offered with a blank so nobody becomes the owner by default.
        FormField("owner", "Owner *", item.owner_id, kind="choice", choices=choices_of(workspace.all(Person))),
        FormField("deadline", "Deadline *", item.due or "", hint="YYYY-MM-DD"),
        FormField("note", "Note", item.note),
        FormField("priority", "One of the 2-3 priority fixes", item.priority, kind="yesno"),
    ]


class ThemeActions(MainScreen):
    """Theme, voting and decision actions for a main screen that has a ``ThemesTable`` with id ``themes``."""

    voter_index: int | None = None  # None until p is pressed: the person at this keyboard votes

    # -- what is selected --------------------------------------------------------------
    def selected_theme(self) -> Theme | None:
        table = self.query_one("#themes", ThemesTable)
        return self.workspace.find(Theme, row_key(table))

    def _need_theme(self) -> Theme | None:
        theme = self.selected_theme()
        if theme is None:
            self.notify("No theme selected. Select notes with space and press ctrl+t to make one.")
        return theme

    def voter(self) -> Person | None:
        """Who the next dot is for; None = the tally (dots counted without names)."""
        people = self.workspace.all(Person)
        if self.voter_index is None:
            me = app_state(self).session_person
            self.voter_index = next((index for index, person in enumerate(people) if person.id == me), 0)
        self.voter_index %= len(people) + 1
        return people[self.voter_index] if self.voter_index < len(people) else None

    def voter_line(self) -> str:
        person, limit = self.voter(), self.workspace.pilot().dot_limit
        if person is None:
            return "Voting: tally (dots counted without names)"
        left = limit - retro.dots_used(self.workspace.all(Theme), person.id)
        return f"Voting as {person.name}: {left} of {counted(limit, 'dot')} left"

    # -- voting ------------------------------------------------------------------------
    def action_next_voter(self) -> None:
        """Move the dots to the next person (then the nameless tally)."""
        self.voter()  # starts from the person at this keyboard
        self.voter_index = (self.voter_index or 0) + 1
        self.refresh_view()
        self.notify(self.voter_line())

    def action_vote(self, delta: int) -> None:
        """Give (or take back) one dot of the current voter on the selected theme."""
        theme = self._need_theme()
        if theme is None:
            return
        person = self.voter()
        workspace = self.workspace

        def change() -> object:
            if person is None:
                step = retro.change_tally(theme, delta)
            else:
                step = retro.vote(
                    workspace.all(Theme), workspace.get(Theme, theme.id), person, delta, workspace.pilot().dot_limit
                )
            return retro.apply(workspace, f"vote on '{theme.name}'", [step])

        self.attempt(change)

    def action_dot_limit(self) -> None:
        """Set how many dots each person may give."""
        pilot = self.workspace.pilot()

        def submit(values: dict[str, Any]) -> object:
            return self.workspace.update(pilot, dot_limit=retro.dot_limit_value(values["dot_limit"]))

        self.app.push_screen(
            FormScreen(
                "Dots per person",
                [FormField("dot_limit", "Dots per person", str(pilot.dot_limit), required=True)],
                submit,
            )
        )

    # -- themes ------------------------------------------------------------------------
    def action_rename_theme(self) -> None:
        """Give the selected theme a new name."""
        theme = self._need_theme()
        if theme is None:
            return

        def submit(values: dict[str, Any]) -> object:
            return self.workspace.update(theme, name=retro.theme_name(values["name"]))

        self.app.push_screen(FormScreen("Rename theme", [FormField("name", "Name", theme.name, required=True)], submit))

    def action_merge_theme(self) -> None:
        """Fold the selected theme into another: notes, dots and fixes move over."""
        theme = self._need_theme()
        if theme is None:
            return
        others = [t for t in self.workspace.all(Theme) if t.id != theme.id]
        if not others:
            self.notify("There is no other theme to merge with.")
            return
        workspace = self.workspace

        def submit(values: dict[str, Any]) -> object:
            keep = workspace.find(Theme, values["into"])
            if keep is None:
                raise ValidationError("into", "pick the theme to merge into")
            steps = retro.merge_themes(
                keep, workspace.get(Theme, theme.id), workspace.all(Feedback), workspace.all(ActionItem)
            )
            return retro.apply(workspace, f"merge '{theme.name}' into '{keep.name}'", steps)

        fields = [FormField("into", "Merge into", None, kind="choice", choices=choices_of(others))]
        self.app.push_screen(FormScreen(f"Merge '{theme.name}' into…", fields, submit))

    def action_delete_theme(self) -> None:
        """Delete the selected theme; its notes become ungrouped."""
        theme = self._need_theme()
        if theme is None:
            return
        effects = [effect.text for effect in self.workspace.consequences(theme)]

        def answer(confirmed: bool | None) -> None:
            if confirmed:
                self.attempt(lambda: self.workspace.delete(theme))

        self.app.push_screen(
            ConfirmScreen(f"Delete theme '{theme.name}'?", effects or ["nothing else refers to it"], yes="Delete"),
            answer,
        )

    # -- decisions ---------------------------------------------------------------------
    def action_make_fix(self) -> None:
        """Turn the selected theme into an action item with an owner and a deadline."""
        theme = self._need_theme()
        if theme is None:
            return
        self.add_fix(theme)

    def add_fix(self, theme: Theme | None = None) -> None:
        """Open the fix form; it warns when there are already three open priority fixes."""
        workspace = self.workspace

        def submit(values: dict[str, Any]) -> ActionItem:
            return workspace.add(ActionItem(theme_id=theme.id if theme else None, **retro.action_item_values(values)))

        def done(item: ActionItem | None) -> None:
            if item:
                self.notify(f"Priority fix for {workspace.name_of(Person, item.owner_id)} by {item.due}.")

        def form() -> FormScreen:
            # The warning is said in the form, not asked before it: nothing typed waits on a "No".
            warning = retro.priority_warning(workspace.all(ActionItem))
            return FormScreen("New action item", action_fields(workspace, title=theme.name if theme else ""), submit,
                              notice=warning.removesuffix(" Add another anyway?") if warning else "",
                              add_another=form)

        self.app.push_screen(form(), done)

    def action_follow_up(self) -> None:
        """Set the date of the pilot's quick follow-up check."""
        pilot = self.workspace.pilot()

        def submit(values: dict[str, Any]) -> object:
            return self.workspace.update(pilot, follow_up_date=retro.follow_up_value(values["follow_up_date"]))

        def done(result: object) -> None:
            if result:
                self.notify(f"Follow-up check on {self.workspace.pilot().follow_up_date}.")

        fields = [
            FormField("follow_up_date", "Follow-up check", pilot.follow_up_date or "", hint="YYYY-MM-DD", required=True)
        ]
        self.app.push_screen(FormScreen("Follow-up check", fields, submit), done)
