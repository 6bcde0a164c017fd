"""Checklists (key 3): a precise checklist for every stage, ticked off as work gets done.

Items are grouped under their stage, with a progress bar per stage and one
for the whole pilot. Ticking one item updates that row and its stage's bar in
place (the rest of the table is left alone), so a pilot with thousands of
items ticks as fast as a small one. The rules live in ``gtm_tui.checklists``
and ``gtm_tui.templates``; this screen only shows them and asks.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from gtm_tui.data import clock
from gtm_tui.raci import raci_work
from gtm_tui.checklists import templates
from gtm_tui.checklists.checklist_items import (
    ChecklistFilter,
    Progress,
    due_tone,
    due_words,
    grouped,
    is_due_today,
    is_overdue,
    item_values,
    move_item,
    progress_bar,
    stage_progress,
    update_item,
)
from gtm_tui.data.model import ChecklistItem, ChecklistTemplate, Person, Stage, ValidationError
from gtm_tui.screens.main.base import MainScreen, choices_of, row_key
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormField, FormScreen
from gtm_tui.screens.dialogs.whoami import ask_who, session_person, ticking_as
from gtm_tui.screens.widgets.links import follow, links_field, links_text
from gtm_tui.data.workspace import ChangeSet

STAGE_ROW = "stage:"
TONE_STYLES = {"bad": "bold red", "warning": "yellow", "": ""}
FIXED_WIDTHS = {"done": 3, "owner": 14, "due": 10, "doneby": 16}
BAR_WIDTH = 12
SEARCH_PAUSE = 0.15  # seconds without a key before the search applies
COLUMNS = ("done", "item", "owner", "due", "doneby")


def item_fields(item: ChecklistItem, stages: list[Stage], people: list[Person]) -> list[FormField]:
    return [
        FormField("text", "What must be done", item.text, required=True,
                  hint="precise: where, who approves, format, which days …"),
        FormField("stage_id", "Stage", item.stage_id, kind="choice", choices=choices_of(stages), required=True),
        FormField("owner_id", "Owner", item.owner_id, kind="choice", choices=choices_of(people),
                  hint="default: the stage's R"),
        FormField("due", "Due", item.due or "", hint="YYYY-MM-DD, or 'today'; empty = no date"),
        FormField("note", "Note", item.note, kind="long"),
        links_field(item.links),
    ]


class ChecklistsScreen(MainScreen):
    SCREEN_NAME = "Checklists"
    SCREEN_KEY = "3"
    HELP_INTRO = (
        "A precise checklist for every stage. Space ticks an item for you (or, until you say who you are "
        "with w, for the item's owner); un-ticking clears who and when. A new item's owner defaults to its "
        "stage's R. A marks an item as an approval: only the stage's A (pilot RACI) can tick it. "
        "s opens the stand-up mode. g opens the item's link (or its stage's: Where to find it) with the "
        "system's opener, a path is copied; y copies the link."
    )
    BINDINGS = [
        Binding("space", "toggle", "Tick / untick"),
        Binding("a", "add", "Add item"),
        Binding("e", "edit", "Edit"),
        Binding("d,delete", "delete", "Delete", key_display="d"),
        Binding("shift+up,K", "move(-1)", "Move up", key_display="K", show=False),
        Binding("shift+down,J", "move(1)", "Move down", key_display="J", show=False),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("f", "filter", "Filter"),
        Binding("o", "open_only", "Open only", show=False),
        Binding("x", "clear_filter", "Clear filter", show=False),
        Binding("t", "apply_template", "Apply template", show=False),
        Binding("T", "save_template", "Save stage as template", show=False),
        Binding("w", "who_am_i", "Who am I", show=False),
        Binding("A", "toggle_approval", "Approval item on/off", key_display="A", show=False),
        Binding("s", "standup", "Stand-up mode"),
        Binding("g", "open_link", "Open link", show=False),
        Binding("y", "copy_link", "Copy link", show=False),
    ]
    DEFAULT_CSS = """
    ChecklistsScreen #checklist-status { padding: 0 1; height: auto; }
    ChecklistsScreen #checklist-search { display: none; margin: 0 1; }
    ChecklistsScreen #checklist-search.-shown { display: block; }
    ChecklistsScreen #checklist-detail { height: 5; padding: 0 1; border-top: solid $accent; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.item_filter = ChecklistFilter()
        self._progress: dict[str, Progress] = {}
        self._overall = Progress()
        self._late = 0
        self._today_count = 0
        self._shown: set[str] = set()  # item ids with a row
        self._width = 0
        self._search_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static("", id="checklist-status")
        yield Input(placeholder="Search items (words in text, note or blocker) — enter keeps it, esc clears",
                    id="checklist-search")
        yield DataTable(id="checklist", cursor_type="row", zebra_stripes=False)
        yield Static("", id="checklist-detail")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(self.app, "session_person", self._update_status, init=False)  # "ticking as …" follows "w"
        self.table.focus()

    # -- rendering -----------------------------------------------------------------
    @property
    def table(self) -> DataTable:
        return self.query_one("#checklist", DataTable)

    @property
    def narrow(self) -> bool:
        """Below 100 columns the owner shows by first name and "done by" only in the detail pane."""
        return self._width < 100

    def _columns(self) -> None:
        table = self.table
        table.clear(columns=True)
        self._width = self.size.width
        widths = dict(FIXED_WIDTHS, owner=9, doneby=0) if self.narrow else dict(FIXED_WIDTHS)
        shown = [width for width in widths.values() if width]
        item_width = max(20, self._width - sum(shown) - 2 * (len(shown) + 1) - 2)
        table.add_column("✓", width=widths["done"], key="done")
        table.add_column("Item", width=item_width, key="item")
        table.add_column("Owner", width=widths["owner"], key="owner")
        table.add_column("Due", width=widths["due"], key="due")
        if widths["doneby"]:
            table.add_column("Done by", width=widths["doneby"], key="doneby")

    def _item_cells(self, item: ChecklistItem) -> tuple[Any, ...]:
        today = clock.today()
        mark = Text("[x]", style="green") if item.done else Text("[ ]")
        text = Text(item.text, style="dim" if item.done else "")
        if item.approval:
            text = Text.assemble(("[A] ", "bold magenta"), text)
        if item.blocked:
            text = Text.assemble(("⚑ ", "bold red"), text)
        if item.note:
            text.append(" ✎", style="dim")
        due = Text(item.due or "", style=TONE_STYLES[due_tone(item, today)])
        done_by = ""
        if item.done:
            who = self.workspace.name_of(Person, item.done_by, "?").split(" ")[0]
            done_by = f"{who} {(item.done_at or '')[5:10]}"
        owner = self.workspace.name_of(Person, item.owner_id, "")
        if self.narrow:
            return mark, text, Text(owner.split(" ")[0]), due
        return mark, text, Text(owner), due, Text(done_by, style="dim")

    def _stage_cells(self, stage: Stage) -> tuple[Any, ...]:
        progress = self._progress.get(stage.id, Progress())
        style = "green" if progress.total and progress.done == progress.total else "cyan"
        cells = (
            "",
            Text(stage.name, style="bold"),
            Text(progress_bar(progress, 9 if self.narrow else BAR_WIDTH), style=style),
            Text(f"{progress.done}/{progress.total}"),
            Text(f"{progress.percent}%" if progress.total else "no items", style="dim"),
        )
        return cells[:4] if self.narrow else cells

    def refresh_view(self) -> None:
        """Rebuild the whole table (after anything but a tick); the cursor stays on its row."""
        table = self.table
        selected = self.selected_key()
        if self._width != self.size.width or not table.columns:
            self._columns()
        else:
            table.clear()
        today = clock.today()
        items = self.workspace.all(ChecklistItem)
        stages = self.workspace.all(Stage)
        self._progress = stage_progress(items)
        self._overall = Progress(sum(p.done for p in self._progress.values()),
                                 sum(p.total for p in self._progress.values()))
        self._late = sum(1 for item in items if is_overdue(item, today))
        self._today_count = sum(1 for item in items if is_due_today(item, today))
        self._shown = set()
        for stage, stage_items in grouped(stages, items, self.item_filter, today):
            table.add_row(*self._stage_cells(stage), key=STAGE_ROW + stage.id)
            for item in stage_items:
                table.add_row(*self._item_cells(item), key=item.id)
                self._shown.add(item.id)
        if selected is not None and self._has_row(selected):
            table.move_cursor(row=table.get_row_index(selected))
        elif table.row_count:
            table.move_cursor(row=min(table.cursor_row, table.row_count - 1))
        self._update_status()
        self._update_detail()

    def _has_row(self, key: str) -> bool:
        try:
            self.table.get_row_index(key)
        except Exception:
            return False
        return True

    def _update_status(self) -> None:
        overall = self._overall
        status = Text.assemble(
            ("Overall ", "bold"),
            (progress_bar(overall, 20), "green" if overall.total and overall.done == overall.total else "cyan"),
            f" {overall.label()}",
        )
        if self._late:
            status.append(f" · {self._late} overdue", style="bold red")
        if self._today_count:
            status.append(f" · {self._today_count} due today", style="yellow")
        people = {p.id: p for p in self.workspace.all(Person)}
        stages = {s.id: s for s in self.workspace.all(Stage)}
        described = self.item_filter.describe(people, stages)
        status.append("\nFilter: ", style="bold")
        status.append(described or "none", style="magenta" if described else "dim")
        status.append(f"  · ticking as {ticking_as(self.app, self.workspace)} (w)", style="dim")
        if not stages:
            status.append("\nNo stages yet: add them on the Process screen (key 2), then their checklists here.")
        self.query_one("#checklist-status", Static).update(status)

    def _update_detail(self) -> None:
        detail = self.query_one("#checklist-detail", Static)
        item = self.selected_item()
        if item is None:
            stage = self.selected_stage()
            detail.update(Text(f"{stage.name}: a adds an item, t applies a template, T saves this checklist as one."
                               if stage else "Press a to add an item.", style="dim"))
            return
        lines = Text(item.text)
        facts = [f"Owner: {self.workspace.name_of(Person, item.owner_id, 'nobody')}", due_words(item, clock.today())]
        if item.done:
            facts.append(f"done by {self.workspace.name_of(Person, item.done_by, '?')} at {item.done_at}")
        if item.approval:
            approver = raci_work.approver(self.workspace, item)
            facts.append(f"approval: only {self.workspace.name_of(Person, approver, 'the stage A')} can tick it")
        if item.source:
            facts.append(f"from {item.source}")
        lines.append("\n" + " · ".join(facts), style="dim")
        if item.blocked:
            lines.append(f"\n⚑ Blocked: {item.blocked}", style="red")
        if item.note:
            lines.append(f"\nNote: {item.note}")
        links = item.links or self._stage_links(item.stage_id)
        if links:
            lines.append("\n")
            lines.append_text(links_text(links))
        detail.update(lines)

    def _stage_links(self, stage_id: str) -> list[dict[str, Any]]:
        stage = self.workspace.find(Stage, stage_id)
        return stage.links if stage else []

    @on(DataTable.RowHighlighted, "#checklist")
    def _highlighted(self) -> None:
        self._update_detail()

    @on(DataTable.RowSelected, "#checklist")
    def _selected(self) -> None:
        self.action_edit()

    def on_resize(self, event: Resize) -> None:
        if self.is_mounted and self._width and event.size.width != self._width:
            self.refresh_view()

    # -- in-place updates after a tick -------------------------------------------------
    def workspace_changed(self, change_set: ChangeSet) -> None:
        if not self._patch(change_set):
            super().workspace_changed(change_set)

    def _patch(self, change_set: ChangeSet) -> bool:
        """Update only the rows a change touched; False when the whole table must be rebuilt."""
        if change_set.external or not change_set.changes or len(change_set.changes) > 20:
            return False
        today = clock.today()
        pairs = []
        for change in change_set.changes:
            if change.table != ChecklistItem.TABLE or change.before is None or change.after is None:
                return False
            before, after = ChecklistItem.from_dict(change.before), ChecklistItem.from_dict(change.after)
            if (before.stage_id, before.position) != (after.stage_id, after.position):
                return False
            if self.item_filter.matches(before, today) != self.item_filter.matches(after, today):
                return False  # it enters or leaves the filtered list
            pairs.append((before, after))
        table = self.table
        for before, after in pairs:
            current = self.workspace.find(ChecklistItem, after.id) or after
            done_delta = int(after.done) - int(before.done)
            if done_delta:
                stage = self._progress.get(after.stage_id, Progress())
                self._progress[after.stage_id] = stage.plus(done_delta, 0)
                self._overall = self._overall.plus(done_delta, 0)
                if self._has_row(STAGE_ROW + after.stage_id):
                    stage_record = self.workspace.find(Stage, after.stage_id)
                    if stage_record is not None:
                        for key, value in zip(COLUMNS, self._stage_cells(stage_record), strict=False):  # narrow: 4 cells
                            table.update_cell(STAGE_ROW + after.stage_id, key, value)
            self._late += int(is_overdue(after, today)) - int(is_overdue(before, today))
            self._today_count += int(is_due_today(after, today)) - int(is_due_today(before, today))
            if current.id in self._shown:
                for key, value in zip(COLUMNS, self._item_cells(current), strict=False):  # narrow: 4 cells
                    table.update_cell(current.id, key, value)
        self._update_status()
        self._update_detail()
        return True

    # -- what is selected --------------------------------------------------------------
    def selected_key(self) -> str | None:
        return row_key(self.table)

    def selected_item(self) -> ChecklistItem | None:
        key = self.selected_key()
        if not key or key.startswith(STAGE_ROW):
            return None
        return self.workspace.find(ChecklistItem, key)

    def selected_stage(self) -> Stage | None:
        """The stage of the selected row (a stage header or an item under it)."""
        key = self.selected_key()
        if not key:
            return None
        if key.startswith(STAGE_ROW):
            return self.workspace.find(Stage, key[len(STAGE_ROW):])
        item = self.workspace.find(ChecklistItem, key)
        return self.workspace.find(Stage, item.stage_id) if item else None

    def select(self, key: str) -> None:
        if self._has_row(key):
            self.table.move_cursor(row=self.table.get_row_index(key))

    # -- ticking -----------------------------------------------------------------------
    def action_toggle(self) -> None:
        """Tick the selected item for whoever is at the keyboard, or untick it."""
        item = self.selected_item()
        if item is None:
            self.notify("Select an item to tick (a stage row has none).")
            return
        person = session_person(self.app)
        if raci_work.asks_who_ticks(item, person):
            ask_who(self.app, self.workspace, lambda chosen: self._tick(item.id, chosen))
            return
        self._tick(item.id, person)

    def _tick(self, item_id: str, person_id: str | None) -> None:
        item = self.workspace.find(ChecklistItem, item_id)
        if item is None:
            return
        try:
            self.attempt(lambda: raci_work.toggle_tick(self.workspace, item, person_id))
        except raci_work.ApprovalRefused as refusal:
            self.notify(f"{refusal}.", severity="warning")

    def _selected_links(self) -> tuple[list[dict[str, Any]], str]:
        """The selected item's links (its stage's when it has none of its own), and what they belong to."""
        item = self.selected_item()
        if item is not None and item.links:
            return item.links, f"“{item.text}”"
        stage = self.selected_stage()
        return (stage.links, stage.name) if stage else ([], "This checklist")

    def action_open_link(self) -> None:
        """Open the selected item's (or its stage's) web link with the system's opener; a path is copied."""
        links, where = self._selected_links()
        follow(self, links, copy=False, where=where)

    def action_copy_link(self) -> None:
        """Copy the selected item's (or its stage's) link or path to the clipboard."""
        links, where = self._selected_links()
        follow(self, links, copy=True, where=where)

    def action_toggle_approval(self) -> None:
        """Make the selected item an approval (only the stage's A may tick it), or an ordinary item again."""
        item = self.selected_item()
        if item is None:
            self.notify("Select an item to make it an approval.")
            return
        if self.attempt(lambda: self.workspace.update(item, approval=not item.approval)) is not None:
            self.notify("Approval item: only the stage's A can tick it." if not item.approval
                        else "No longer an approval item.")

    def action_who_am_i(self) -> None:
        """Say who you are, so your ticks are recorded with your name."""
        ask_who(self.app, self.workspace)

    # -- adding, editing, deleting, moving ------------------------------------------------
    def _form_values(self, values: dict[str, Any]) -> dict[str, Any]:
        changes = item_values(values)
        if not values.get("stage_id"):
            raise ValidationError("stage_id", "choose the stage this item belongs to")
        changes["stage_id"] = values["stage_id"]
        return changes

    def action_add(self) -> None:
        """Add an item at the end of the selected stage's checklist."""
        stages = self.workspace.all(Stage)
        if not stages:
            self.notify("Add stages on the Process screen (key 2) first.", severity="warning")
            return
        stage = self.selected_stage() or stages[0]

        def submit(values: dict[str, Any]) -> ChecklistItem:
            return raci_work.add_checklist_item(self.workspace, **self._form_values(values))

        def done(item: ChecklistItem | None) -> None:
            if item:
                self.select(item.id)
                self.notify(f"Added to {self.workspace.name_of(Stage, item.stage_id)}.")

        blank = ChecklistItem(stage_id=stage.id, owner_id=raci_work.default_owner(self.workspace, stage.id))
        fields = item_fields(blank, stages, self.workspace.all(Person))
        self.app.push_screen(FormScreen(f"Add an item to {stage.name}", fields, submit), done)

    def action_edit(self) -> None:
        """Edit the selected item's text, stage, owner, due date and note."""
        item = self.selected_item()
        if item is None:
            self.notify("Select an item to edit; a adds one.")
            return

        def submit(values: dict[str, Any]) -> ChecklistItem:
            return update_item(self.workspace, item, self._form_values(values))

        fields = item_fields(item, self.workspace.all(Stage), self.workspace.all(Person))
        self.app.push_screen(FormScreen("Edit checklist item", fields, submit))

    def action_delete(self) -> None:
        """Delete the selected item after a confirmation (ctrl+z brings it back)."""
        item = self.selected_item()
        if item is None:
            self.notify("Select an item to delete. Stages are deleted on the Process screen.")
            return

        def answer(confirmed: bool | None) -> None:
            if confirmed and self.attempt(lambda: self.workspace.delete(item)) is not None:
                self.notify("Deleted. ctrl+z undoes it.")

        self.app.push_screen(ConfirmScreen(f"Delete “{item.text}”?", ["from " + self.workspace.name_of(
            Stage, item.stage_id)], yes="Delete"), answer)

    def action_move(self, delta: int) -> None:
        """Move the selected item up or down within its stage."""
        item = self.selected_item()
        if item is None:
            self.notify("Select an item to move.")
            return
        moved = self.attempt(lambda: move_item(self.workspace, item, delta))
        if moved is False:
            self.notify("Already at the " + ("top" if delta < 0 else "bottom") + " of its stage.")
            return
        self.select(item.id)

    # -- filters and search ---------------------------------------------------------------
    def _set_filter(self, item_filter: ChecklistFilter) -> None:
        self.item_filter = item_filter
        self.refresh_view()

    def action_search(self) -> None:
        """Search item text, notes and blockers as you type."""
        search = self.query_one("#checklist-search", Input)
        search.add_class("-shown")
        search.focus()

    @on(Input.Changed, "#checklist-search")
    def _search_changed(self, event: Input.Changed) -> None:
        # Wait for a pause in typing: a long checklist is rebuilt once, not at every key.
        if self._search_timer is not None:
            self._search_timer.stop()
        value = event.value
        self._search_timer = self.set_timer(
            SEARCH_PAUSE, lambda: self._set_filter(replace(self.item_filter, search=value)))

    @on(Input.Submitted, "#checklist-search")
    def _search_done(self, event: Input.Submitted) -> None:
        self._apply_search(event.value)
        self.table.focus()

    def _apply_search(self, value: str) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        if value != self.item_filter.search:
            self._set_filter(replace(self.item_filter, search=value))

    def key_escape(self) -> None:
        search = self.query_one("#checklist-search", Input)
        if search.has_focus or search.value:
            with search.prevent(Input.Changed):
                search.value = ""
            search.remove_class("-shown")
            self.table.focus()
            self._apply_search("")

    def action_filter(self) -> None:
        """Filter by owner, stage, open only and overdue only."""
        current = self.item_filter
        fields = [
            FormField("owner_id", "Owner", current.owner_id, kind="choice", choices=choices_of(self.workspace.all(Person))),
            FormField("stage_id", "Stage", current.stage_id, kind="choice", choices=choices_of(self.workspace.all(Stage))),
            FormField("open_only", "Open items only", current.open_only, kind="yesno"),
            FormField("overdue_only", "Overdue items only", current.overdue_only, kind="yesno"),
        ]

        def submit(values: dict[str, Any]) -> ChecklistFilter:
            return ChecklistFilter(values["owner_id"], values["stage_id"], bool(values["open_only"]),
                                   bool(values["overdue_only"]), current.search)

        self.app.push_screen(FormScreen("Show checklist items", fields, submit),
                             lambda chosen: self._set_filter(chosen) if isinstance(chosen, ChecklistFilter) else None)

    def action_open_only(self) -> None:
        """Show only open items, or everything again."""
        self._set_filter(replace(self.item_filter, open_only=not self.item_filter.open_only))

    def action_clear_filter(self) -> None:
        """Show every item again."""
        search = self.query_one("#checklist-search", Input)
        with search.prevent(Input.Changed):
            search.value = ""
        search.remove_class("-shown")
        if self._search_timer is not None:
            self._search_timer.stop()
        self._set_filter(ChecklistFilter())

    # -- templates -----------------------------------------------------------------------
    def action_apply_template(self) -> None:
        """Add a template's lines to the selected stage (lines it already has are skipped)."""
        stage = self.selected_stage()
        if stage is None:
            self.notify("Select a stage (or an item in it) to apply a template to.")
            return
        offered = templates.available(self.workspace.all(ChecklistTemplate))
        choices = [(f"{t.name} ({len(t.lines)} lines{', built in' if t.built_in else ''})", index)
                   for index, t in enumerate(offered)]

        def submit(values: dict[str, Any]) -> list[ChecklistItem]:
            if values["template"] is None:
                raise ValidationError("template", "choose a template")
            return templates.apply(self.workspace, offered[values["template"]], stage)

        def done(added: Any) -> None:
            if added is None:
                return
            if added:
                self.notify(f"Added {len(added)} item{'s' if len(added) != 1 else ''} to {stage.name}.")
            else:
                self.notify(f"{stage.name} already has every line of that template; nothing added.")

        field = FormField("template", "Template", 0, kind="choice", choices=choices, required=True)
        self.app.push_screen(FormScreen(f"Apply a template to {stage.name}", [field], submit), done)

    def action_save_template(self) -> None:
        """Save the selected stage's checklist as a template to reuse."""
        stage = self.selected_stage()
        if stage is None:
            self.notify("Select a stage (or an item in it) whose checklist to save.")
            return

        def submit(values: dict[str, Any]) -> ChecklistTemplate:
            return templates.save_stage(self.workspace, stage, values["name"])

        field = FormField("name", "Template name", f"{stage.name} checklist", required=True)
        self.app.push_screen(FormScreen(f"Save {stage.name}'s checklist as a template", [field], submit),
                             lambda saved: self.notify(f"Saved template '{saved.name}'.") if saved else None)

    # -- stand-up -------------------------------------------------------------------------
    def action_standup(self) -> None:
        """Go round the team: finished, due, focus items; tick, flag blockers, save the check-in."""
        # Imported on use, not for a cycle: the stand-up and the rules behind it cost
        # the first visit to this screen about 15 ms (python -X importtime).
        from gtm_tui.screens.pushed.standup import StandupScreen

        self.app.push_screen(StandupScreen())
