"""The preview of a RACI matrix or retro notes import: the file as understood, before anything is written.

It shows what will be added and updated, how the file was read (the layout
found), the grid or the notes as understood (``*`` marks a cell that had to
be interpreted, ``?`` one that could not be read), what was interpreted, what
could not be read with its cell, what was skipped, the RACI problems the
result would have, and where each row or section goes. ``m`` (or enter on
the mapping) changes where the selected one goes and reads the file again;
``y`` imports (one save, one undo step), ``n`` / escape leaves it.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static

from gtm_tui.data.model import ValidationError
from gtm_tui.io.import_report import MappingLine, ReviewedPlan, mapping_pairs
from gtm_tui.screens.dialogs.forms import FormField, FormScreen
from gtm_tui.screens.widgets.row_table import RowTable

ROLE_STYLES = {"*": "bold yellow", "?": "bold red"}


class ImportPreviewScreen(ModalScreen[ReviewedPlan | None]):
    """Dismisses with the plan to apply (as last re-read), or None when the user leaves it."""

    DEFAULT_CSS = """
    ImportPreviewScreen { align: center middle; }
    ImportPreviewScreen > #preview { width: 120; max-width: 100%; height: 94%; border: thick $warning;
        background: $surface; padding: 0 1; }
    ImportPreviewScreen #preview-title { text-style: bold; height: auto; }
    ImportPreviewScreen #preview-summary { height: auto; max-height: 8; }
    ImportPreviewScreen #preview-body { height: 1fr; }
    ImportPreviewScreen .preview-text { height: auto; }
    ImportPreviewScreen .preview-heading { text-style: bold; color: $accent; height: auto; padding: 1 0 0 0; }
    ImportPreviewScreen #preview-buttons { height: auto; align-horizontal: right; }
    ImportPreviewScreen #preview-buttons Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("y", "import", "Import"),
        Binding("n,escape", "leave", "Don't import"),
        Binding("m", "change_mapping", "Change where it goes"),
    ]

    def __init__(self, plan: ReviewedPlan, replan: Callable[[dict[str, str]], ReviewedPlan]) -> None:
        super().__init__()
        self.plan = plan
        self._replan = replan

    def compose(self) -> ComposeResult:
        plan = self.plan
        with Vertical(id="preview"):
            yield Static(Text(f"Import {plan.source}?"), id="preview-title")
            yield Static(Text("\n".join([*plan.summary(), *(f"Read as {line}" for line in plan.read_as)])),
                         classes="preview-text", id="preview-summary")
            with VerticalScroll(id="preview-body"):
                if plan.grid is not None:
                    yield Static(Text("As understood (* interpreted, ? cannot be read)"), classes="preview-heading")
                    yield self._grid_table()
                if plan.mapping:
                    yield Static(Text(f"{plan.mapping_title[0].upper()}{plan.mapping_title[1:]} "
                                      "(m or enter changes the selected one)"), classes="preview-heading")
                    yield self._mapping_table()
                for title, lines in plan.sections():
                    if title.startswith((plan.mapping_title, "read as")):
                        continue
                    yield Static(Text(title[0].upper() + title[1:]), classes="preview-heading")
                    yield Static(Text("\n".join(f"• {line}" for line in lines)), classes="preview-text")
            with Horizontal(id="preview-buttons"):
                if plan.mapping:
                    yield Button("Change where it goes (m)", id="change")
                yield Button("Import (y)", variant="error", id="yes")
                yield Button("Don't import (n)", id="no")

    def _grid_table(self) -> DataTable:
        assert self.plan.grid is not None
        header, rows = self.plan.grid
        table = RowTable(id="preview-grid", cursor_type="row", zebra_stripes=True)
        table.add_columns(*(Text(name) for name in header))
        for row in rows:
            table.add_row(*(Text(cell[:60], style=ROLE_STYLES.get(cell[-1:], "")) for cell in row))
        table.styles.height = min(len(rows), 12) + 2  # the app's tables fill the screen; these fit their rows
        return table

    def _mapping_table(self) -> DataTable:
        table = RowTable(id="preview-mapping", cursor_type="row", zebra_stripes=True)
        table.add_columns("In the file", "Becomes", "Where")
        for line in self.plan.mapping:
            table.add_row(Text(line.source), Text(line.becomes), Text(line.where))
        table.styles.height = min(len(self.plan.mapping), 8) + 2
        return table

    def on_mount(self) -> None:
        if self.plan.mapping:
            self.query_one("#preview-mapping", DataTable).focus()
        else:
            self.query_one("#no", Button).focus()

    # -- actions ----------------------------------------------------------------------
    def action_import(self) -> None:
        self.dismiss(self.plan)

    def action_leave(self) -> None:
        self.dismiss(None)

    def selected_line(self) -> MappingLine | None:
        if not self.plan.mapping:
            return None
        table = self.query_one("#preview-mapping", DataTable)
        return self.plan.mapping[min(max(table.cursor_row, 0), len(self.plan.mapping) - 1)]

    def action_change_mapping(self) -> None:
        """Pick where the selected row or section goes; the file is read again with it."""
        line = self.selected_line()
        if line is None:
            self.notify("Nothing here to map: every row went where it belongs.", title="Import")
            return
        current = mapping_pairs(self.plan.options.mapping)

        def submit(values: dict[str, str | None]) -> ReviewedPlan:
            chosen = values.get("target")
            if not chosen:
                raise ValidationError("target", "pick where it goes")
            return self._replan({**current, line.source: chosen})

        fields = [FormField("target", f"'{line.source}' goes to", None, kind="choice", choices=line.choices,
                            required=True, hint=f"now: {line.becomes}")]
        self.app.push_screen(FormScreen(f"Where does '{line.source}' go?", fields, submit), self._replanned)

    async def _replanned(self, plan: ReviewedPlan | None) -> None:
        if not isinstance(plan, ReviewedPlan):
            return
        row = self.query_one("#preview-mapping", DataTable).cursor_row if self.plan.mapping else 0
        self.plan = plan
        await self.recompose()
        if plan.mapping:
            table = self.query_one("#preview-mapping", DataTable)
            table.move_cursor(row=min(row, len(plan.mapping) - 1))
            table.focus()

    @on(DataTable.RowSelected, "#preview-mapping")
    def _mapping_chosen(self) -> None:
        self.action_change_mapping()

    @on(Button.Pressed, "#change")
    def _change(self) -> None:
        self.action_change_mapping()

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.action_import()

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.action_leave()
