"""RACI (key 4): who is Responsible, Accountable, Consulted and Informed on each stage, today and in the pilot.

The grid is a ``LineTable`` (stages and activities as rows, people as
columns, the row labels and the header fixed while scrolling): it draws only
the rows in view, each once. A change redraws only the rows whose cells
changed, so a large matrix stays quick; the rows are listed again only when
rows or people change.
The rules live in ``gtm_tui.raci``; this screen turns keys into its calls.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from gtm_tui.data.model import Person, Stage, ValidationError
from gtm_tui.overview.sections import counted
from gtm_tui.raci import matrix as raci
from gtm_tui.screens.dialogs.following import FollowingForm, Follows
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormField, FormScreen
from gtm_tui.screens.main.base import MainScreen, choices_of
from gtm_tui.screens.pushed.person_page import PersonPageScreen
from gtm_tui.screens.widgets.line_table import LineTable

LABEL_COLUMN = "__row__"
ROLE_STYLES = {"A": "bold magenta", "R": "bold green", "A/R": "bold yellow", "C": "cyan", "I": "dim"}
CHANGE_STYLES = {"added": "bold green", "removed": "bold red", "changed": "bold yellow"}
FOCUS_ROW = "on #2b2745"
FLAGGED = {"error": "on #6b0000", "warning": "on #5a4500"}
ROLE_KEYS = Binding.Group("Set role", compact=True)  # r a c i: one footer entry; help names each role

Cell = tuple[str, str]  # (text, style): what a grid cell shows


def _text(cell: Cell, column: str) -> Text:
    # Centred text is padded to the column's width, so a cell's background fills it.
    return Text(cell[0], style=cell[1], justify="left" if column == LABEL_COLUMN else "center")


def _row_id(key: raci.RowKey) -> str:
    return f"{key.stage_id}:{key.activity}"


def column_names(people: list[Person]) -> list[str]:
    """Short column headers: first names, with the last name's initial where two share one.

    Narrow columns keep a 25-person matrix readable; the full name is on the person page.
    """
    firsts = [person.name.split()[0] if person.name.split() else person.name for person in people]
    shown = []
    for person, first in zip(people, firsts, strict=True):
        parts = person.name.split()
        if firsts.count(first) > 1 and len(parts) > 1:
            first = f"{first} {parts[-1][0]}."
        shown.append(first)
    return shown


class RaciScreen(MainScreen):
    SCREEN_NAME = "RACI"
    SCREEN_KEY = "4"
    HELP_INTRO = (
        "Who is Responsible, Accountable, Consulted and Informed on each stage, today and in the pilot. "
        "r a c i set the cell (a on an R cell, or r on an A cell, makes A/R; the same letter again takes it away); "
        "t switches between today's RACI and the pilot's, o overlays the two, T starts the pilot's as a copy of "
        "today's. Problems are listed on the right: tab to them, enter jumps to the cell."
    )
    # The four role keys show as one group in the footer ("raci Set role"), so the layer keys fit beside them;
    # the rest is in help (?) and the palette.
    BINDINGS = [
        Binding("r", "role('R')", "Responsible", group=ROLE_KEYS),
        Binding("a", "role('A')", "Accountable", group=ROLE_KEYS),
        Binding("c", "role('C')", "Consulted", group=ROLE_KEYS),
        Binding("i", "role('I')", "Informed", group=ROLE_KEYS),
        Binding("backspace,delete", "clear", "Clear cell", show=False),
        Binding("t", "switch_layer", "Today/pilot"),
        Binding("T", "copy_today", "Pilot RACI from today's", key_display="T"),
        Binding("o", "overlay", "Overlay"),
        Binding("n", "add_activity", "New activity", show=False),
        Binding("e", "rename_activity", "Rename activity", show=False),
        Binding("D", "remove_activity", "Remove activity", key_display="D", show=False),
        Binding("p", "person_page", "Person page", show=False),
        Binding("m", "copy_markdown", "Copy as Markdown", show=False),
        Binding("h", "move('left')", "Left", show=False),
        Binding("j", "move('down')", "Down", show=False),
        Binding("k", "move('up')", "Up", show=False),
        Binding("l", "move('right')", "Right", show=False),
    ]
    DEFAULT_CSS = """
    RaciScreen #raci-status { padding: 0 1; height: auto; }
    RaciScreen #raci-body { height: 1fr; }
    RaciScreen #raci-grid { width: 1fr; height: 1fr; }
    RaciScreen #raci-side { width: 32%; min-width: 26; max-width: 48; height: 1fr; border-left: solid $panel; }
    RaciScreen #raci-side-title { padding: 0 1; text-style: bold; }
    RaciScreen #raci-problems { height: 1fr; border: none; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.shown_layer = "pilot"
        self.overlay_on = False
        self._rows: list[raci.MatrixRow] = []
        self._people: list[Person] = []
        self._columns: list[str] = []  # the grid's column keys: the label column, then each person's id
        self._shape: tuple = ()
        self._shown: dict[tuple[str, str], Cell] = {}
        self._empty: dict[str, Cell] = {}  # row id -> how an empty cell of that row looks
        self._matrix: raci.Matrix | None = None
        self._side: list[str] = []  # the problem list as last shown, to skip redrawing it unchanged
        self._targets: list[tuple[raci.RowKey | None, str | None]] = []

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static(id="raci-status")
        with Horizontal(id="raci-body"):
            # The cursor shows over coloured cells (focus rows, flagged cells) instead of under them.
            yield LineTable(id="raci-grid", cursor_type="cell", fixed_columns=1)
            with Vertical(id="raci-side"):
                yield Static(id="raci-side-title")
                yield OptionList(id="raci-problems")
        yield from self.compose_footer()

    # -- reading the grid ---------------------------------------------------------------
    @property
    def grid(self) -> LineTable:
        return self.query_one("#raci-grid", LineTable)

    def current_row(self) -> raci.MatrixRow | None:
        row = self.grid.cursor_row
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def current_person(self) -> Person | None:
        column = self.grid.cursor_column - 1
        return self._people[column] if 0 <= column < len(self._people) else None

    # -- rendering ------------------------------------------------------------------------
    def refresh_view(self) -> None:
        workspace = self.workspace
        matrix = raci.Matrix.of(workspace)  # read once; everything below works from it
        rows, people = matrix.rows, matrix.people
        found = [] if self.overlay_on else raci.problems(workspace, self.shown_layer, matrix)
        changes = raci.layer_diff(workspace, matrix) if self.overlay_on else []
        wanted = self._cells(matrix, found, changes)
        shape = (
            self.overlay_on,
            tuple(r.key for r in rows),
            tuple(r.label for r in rows),
            tuple(r.focus for r in rows),
            tuple((p.id, p.name) for p in people),
        )
        if shape != self._shape:
            self._rebuild(rows, people, wanted)
            self._shape = shape
        else:
            # Only cells that show something now or showed something before can differ: redraw their rows.
            changed = {cell_key[0] for cell_key in wanted.keys() | self._shown.keys()
                       if (wanted.get(cell_key) or self._empty[cell_key[0]])
                       != (self._shown.get(cell_key) or self._empty[cell_key[0]])}
            self._shown = wanted
            if changed:
                self.grid.refresh_rows(changed)
        self._matrix, self._rows, self._people = matrix, rows, people
        self._show_status(found, changes)
        self._show_side(found, changes)

    def _cells(self, matrix: raci.Matrix, found: list[raci.Problem],
               changes: list[raci.CellChange]) -> dict[tuple[str, str], Cell]:
        """What the cells that are not plain empty should show, keyed by (row id, column id).

        Sparse on purpose: a 40 x 25 matrix is mostly empty, and a cell missing
        here shows its row's empty look (``self._empty``).
        """
        layer_cells = matrix.layers.get("pilot" if self.overlay_on else self.shown_layer, {})
        row_errors = {p.key for p in found if p.key is not None and p.person_id is None and p.severity == "error"}
        self._empty = {_row_id(row.key): (" ", FOCUS_ROW if row.focus else "") for row in matrix.rows}
        wanted: dict[tuple[str, str], Cell] = {}
        for row in matrix.rows:
            row_id = _row_id(row.key)
            label = f"  ↳ {row.activity}" if row.activity else row.stage.name
            label_style = "bold yellow" if row.focus else ""
            if row.key in row_errors:
                label_style += f" {FLAGGED['error']}"
            wanted[(row_id, LABEL_COLUMN)] = ("◆ " + label if row.focus else label, label_style.strip())
            backdrop = self._empty[row_id][1]
            for person_id, role in layer_cells.get(row.key, {}).items():
                style = "dim" if self.overlay_on else ROLE_STYLES.get(role, "")
                wanted[(row_id, person_id)] = (role, f"{style} {backdrop}".strip())
        if self.overlay_on:
            for change in changes:
                row_id = _row_id(change.key)
                style = f"{CHANGE_STYLES[change.kind]} {self._empty[row_id][1]}".strip()
                wanted[(row_id, change.person_id)] = (raci.overlay_text(change, None), style)
        for problem in found:
            if problem.key is not None and problem.person_id:
                row_id = _row_id(problem.key)
                text = wanted.get((row_id, problem.person_id), (" ", ""))[0]
                role = text.strip()
                wanted[(row_id, problem.person_id)] = (
                    text,
                    f"{ROLE_STYLES.get(role, '')} {FLAGGED[problem.severity]}".strip(),
                )
        return wanted

    def _rebuild(self, rows: list[raci.MatrixRow], people: list[Person], wanted: dict[tuple[str, str], Cell]) -> None:
        grid = self.grid
        row_key = self._rows[grid.cursor_row].key if self._rows and grid.row_count else None
        person = self.current_person()
        person_id = person.id if person else None
        column = grid.cursor_column
        grid.clear(columns=True)
        # Widths from the labels and names (a role is at most 3 cells: "A/R", "C→A"): the grid draws
        # only the rows in view, so it does not measure every cell.
        label_width = max((cell_len(wanted[(_row_id(row.key), LABEL_COLUMN)][0]) for row in rows), default=0)
        grid.add_column(Text("stage / activity", style="bold"), key=LABEL_COLUMN, width=max(label_width, 16))
        for person, name in zip(people, column_names(people), strict=True):
            grid.add_column(Text(name, style="bold"), key=person.id, width=max(cell_len(name), 3))
        self._columns = [LABEL_COLUMN, *(person.id for person in people)]
        self._shown = wanted
        grid.set_rows([_row_id(row.key) for row in rows], self._row_cells)
        self._rows, self._people = rows, people
        if row_key is not None:
            self._move_to(row_key, person_id, fallback_column=column)
        elif people:
            grid.move_cursor(row=0, column=1)  # the first person's cell: r a c i work at once

    def _row_cells(self, row_id: str) -> list[Text]:
        """A row's cells as the grid draws them, asked for when the row comes into view."""
        empty = self._empty[row_id]
        return [_text(self._shown.get((row_id, column), empty), column) for column in self._columns]

    def _show_status(self, found: list[raci.Problem], changes: list[raci.CellChange]) -> None:
        status = Text()
        if self.overlay_on:
            status.append("Overlay: today → pilot  ", style="bold reverse")
            status.append(f"  {counted(len(changes), 'cell')} {'differs' if len(changes) == 1 else 'differ'}   ")
            for kind, sample in (("added", "+R added"), ("removed", "−C removed"), ("changed", "A→R changed")):
                status.append(sample, style=CHANGE_STYLES[kind])
                status.append("   ")
            status.append("o: back to editing", style="dim")
        else:
            status.append(
                f" {self.shown_layer.upper()} ",
                style="bold reverse" + (" magenta" if self.shown_layer == "today" else " green"),
            )
            status.append(" RACI   ")
            for role, meaning in (
                ("R", "responsible"),
                ("A", "accountable"),
                ("C", "consulted"),
                ("I", "informed"),
                ("A/R", "both"),
            ):
                status.append(role, style=ROLE_STYLES[role])
                status.append(f" {meaning}  ", style="dim")
            status.append("◆ focus stage", style="bold yellow")
        missing = [what for what, there in (("stages: add them on Process (key 2)", self._rows),
                                            ("people: add them on People (key 7)", self._people)) if not there]
        if missing:
            status.append("\nThe matrix needs " + " and ".join(missing) + ".", style="italic")
        self.query_one("#raci-status", Static).update(status)

    def _show_side(self, found: list[raci.Problem], changes: list[raci.CellChange]) -> None:
        shown = [f"{self.overlay_on}", *(str(c) for c in changes), *(str(p) for p in found)]
        if shown == self._side:
            return  # most key presses leave the list as it was: skip rebuilding it
        self._side = shown
        side = self.query_one("#raci-problems", OptionList)
        highlighted = side.highlighted
        side.clear_options()
        title = self.query_one("#raci-side-title", Static)
        if self.overlay_on:
            title.update(Text(f"What the pilot changes ({len(changes)})"))
            labels = {row.key: row.label for row in self._rows}
            names = {person.id: person.name for person in self._people}
            options = [
                Option(Text.assemble((raci.overlay_text(c, None).ljust(6), CHANGE_STYLES[c.kind]),
                                     f"{labels.get(c.key, '?')} × {names.get(c.person_id, '?')}"))
                for c in changes
            ]
            self._targets = [(c.key, c.person_id) for c in changes]
        else:
            errors = sum(1 for p in found if p.severity == "error")
            title.update(Text(f"Problems ({counted(errors, 'error')}, {counted(len(found) - errors, 'warning')})"
                              if found else "No problems",
                              style="" if found else "green"))
            options = [
                Option(
                    Text.assemble(
                        ("✖ " if p.severity == "error" else "▲ ", "bold red" if p.severity == "error" else "yellow"),
                        p.message,
                    )
                )
                for p in found
            ]
            self._targets = [(p.key, p.person_id) for p in found]
        side.add_options(options)
        if options:  # always a line highlighted: tab then enter jumps to the first problem
            side.highlighted = min(highlighted or 0, len(options) - 1)

    # -- moving ----------------------------------------------------------------------------
    def _move_to(self, key: raci.RowKey | None, person_id: str | None, fallback_column: int = 0) -> None:
        grid = self.grid
        keys = [row.key for row in self._rows]
        row = keys.index(key) if key in keys else grid.cursor_row
        ids = [person.id for person in self._people]
        column = ids.index(person_id) + 1 if person_id in ids else min(fallback_column, len(ids))
        grid.move_cursor(row=row, column=column)

    def action_move(self, direction: str) -> None:
        """hjkl move like the arrows, in the grid or in the problem list."""
        focused = self.focused
        if isinstance(focused, OptionList):
            if direction in ("up", "down"):
                getattr(focused, f"action_cursor_{direction}")()
            return
        getattr(self.grid, f"action_cursor_{direction}")()

    @on(OptionList.OptionSelected, "#raci-problems")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        """Enter on a problem (or a change in the overlay) puts the grid cursor on its cell."""
        if 0 <= event.option_index < len(self._targets):
            key, person_id = self._targets[event.option_index]
            self._move_to(key, person_id, fallback_column=self.grid.cursor_column)
            self.grid.focus()

    # -- changing cells ----------------------------------------------------------------------
    def _editable_cell(self) -> tuple[raci.MatrixRow, Person] | None:
        if self.overlay_on:
            self.notify("The overlay only compares the layers; press o to edit again.")
            return None
        row, person = self.current_row(), self.current_person()
        if row is None or person is None:
            self.notify("Move to a person's column first (→ or l)." if row else "Add stages and people first.")
            return None
        return row, person

    def action_role(self, letter: str) -> None:
        """Set, combine (A/R) or take away a role in the focused cell; saved at once."""
        target = self._editable_cell()
        if target:
            row, person = target
            self.attempt(
                lambda: raci.press_letter(self.workspace, self.shown_layer, row, person.id, letter, self._matrix)
            )

    def action_clear(self) -> None:
        """Empty the focused cell."""
        target = self._editable_cell()
        if target:
            row, person = target
            self.attempt(lambda: raci.set_cell(self.workspace, self.shown_layer, row, person.id, None, self._matrix))

    def action_switch_layer(self) -> None:
        """Show and edit the other layer: today's RACI or the pilot's."""
        self.shown_layer = "today" if self.shown_layer == "pilot" else "pilot"
        self.overlay_on = False
        self.refresh_view()

    def action_overlay(self) -> None:
        """Overlay the pilot's RACI on today's: added, removed and changed roles in colour."""
        self.overlay_on = not self.overlay_on
        self.refresh_view()

    def action_copy_today(self) -> None:
        """Start the pilot's RACI as a copy of today's, then change what the pilot changes (asks before replacing)."""
        matrix = raci.Matrix.of(self.workspace)
        today = sum(len(row) for row in matrix.layers.get("today", {}).values())
        if not today:
            self.notify("Today's RACI is empty: fill it in first (t shows it), then copy it to the pilot.")
            return
        pilot = sum(len(row) for row in matrix.layers.get("pilot", {}).values())

        def copy() -> None:
            copied = self.attempt(lambda: raci.copy_layer(self.workspace, "today", "pilot"))
            if copied is None:
                return
            self.shown_layer, self.overlay_on = "pilot", False
            self.refresh_view()
            self.notify(f"The pilot RACI is now a copy of today's ({counted(copied, 'role')}); change what the pilot "
                        "changes. ctrl+z undoes it.", title="Pilot RACI from today's")

        if raci.layer_is_empty(self.workspace, "pilot", matrix):
            copy()
            return
        self.app.push_screen(
            ConfirmScreen("Replace the pilot RACI with a copy of today's?",
                          [f"the pilot's {counted(pilot, 'role')} go (ctrl+z brings them back)",
                           f"today's {counted(today, 'role')} are copied in their place"], yes="Replace"),
            lambda yes: copy() if yes else None,
        )

    # -- activity rows -----------------------------------------------------------------------
    def action_add_activity(self) -> None:
        """Add a named activity inside a stage (e.g. "approve copy"), with who is Accountable for it."""
        stages, people = self.workspace.all(Stage), self.workspace.all(Person)
        if not stages or not people:
            self.notify("Add stages (Process screen) and people (People screen) first.")
            return
        row, person = self.current_row(), self.current_person()
        stage_id = row.stage.id if row else stages[0].id
        layer, matrix = self.shown_layer, self._matrix

        def stage_a(stage: str | None) -> str | None:
            return raci.default_accountable(self.workspace, layer, stage, matrix)

        fields = [
            FormField("stage", "Stage", stage_id, kind="choice", choices=choices_of(stages), required=True),
            FormField("activity", "Activity", "", required=True, hint="e.g. approve copy"),
            FormField(
                "accountable",
                "Accountable (A)",
                stage_a(stage_id) or (person.id if person else None),
                kind="choice",
                choices=choices_of(people),
                required=True,
                hint="at first the stage's A",
            ),
        ]
        # Another stage picked: its A, unless the user picked someone else than the old stage's A.
        follows = [Follows("accountable", "stage",
                           lambda new, old, current: stage_a(new) if current in (None, stage_a(old)) else None)]

        def submit(values: dict[str, Any]) -> raci.RowKey:
            if not values["stage"]:
                raise ValidationError("stage", "pick the stage the activity belongs to")
            return raci.add_activity(
                self.workspace, self.shown_layer, values["stage"], values["activity"], values["accountable"]
            )

        def done(key: raci.RowKey | None) -> None:
            if key:
                self._move_to(key, None, fallback_column=self.grid.cursor_column)

        self.app.push_screen(FollowingForm(f"New activity ({self.shown_layer} RACI)", fields, submit, follows), done)

    def _activity_row(self) -> raci.MatrixRow | None:
        row = self.current_row()
        if row is None or not row.activity:
            self.notify("Move to an activity row (↳) first; stages are renamed on the Process screen.")
            return None
        return row

    def action_rename_activity(self) -> None:
        """Rename the activity under the cursor (in both layers)."""
        row = self._activity_row()
        if row is None:
            return

        def submit(values: dict[str, Any]) -> raci.RowKey:
            return raci.rename_activity(self.workspace, row.key, values["activity"])

        def done(key: raci.RowKey | None) -> None:
            if key:
                self._move_to(key, None, fallback_column=self.grid.cursor_column)

        fields = [FormField("activity", "Activity", row.activity, required=True)]
        self.app.push_screen(FormScreen(f"Rename activity of {row.stage.name}", fields, submit), done)

    def action_remove_activity(self) -> None:
        """Remove the activity under the cursor and its roles in both layers."""
        row = self._activity_row()
        if row is None:
            return

        def answer(confirmed: bool | None) -> None:
            if confirmed and self.attempt(lambda: raci.remove_activity(self.workspace, row.key)) is not None:
                self.notify(f"Removed {row.label}. ctrl+z undoes it.")

        self.app.push_screen(
            ConfirmScreen(f"Remove the activity {row.label}?", ["its roles in both layers (today and pilot) go too"],
                          yes="Remove"),
            answer,
        )

    # -- elsewhere ---------------------------------------------------------------------------
    def action_person_page(self) -> None:
        """Open the page of the person whose column the cursor is in."""
        person = self.current_person() or (self._people[0] if self._people else None)
        if person is None:
            self.notify("No one on the team yet: add people on the People screen (7).")
            return
        self.app.push_screen(PersonPageScreen(person.id))

    def action_copy_markdown(self) -> None:
        """Copy the shown layer as a Markdown table (for a document or a chat)."""
        self.app.copy_to_clipboard(raci.raci_markdown(self.workspace, self.shown_layer))
        self.notify(f"The {self.shown_layer} RACI was copied as Markdown.")

    def palette_commands(self) -> Iterable[SystemCommand]:
        """A "Page of <name>" command for every person."""
        for person in self.workspace.all(Person):
            yield SystemCommand(
                f"Page of {person.name}",
                "Their RACI roles, checklist items, action items and work items",
                lambda person_id=person.id: self.app.push_screen(PersonPageScreen(person_id)),
            )
