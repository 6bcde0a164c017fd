"""Checklists (key 3): every piece's runs of the stage steps, my open steps, and the steps themselves.

Three views of the same steps, switched with ``v`` (see
``checklists.run_views``): the runs under way per stage (or all the runs of
a piece picked with ``p``), one person's open steps across every piece, and
the stage steps every run is copied from. Ticking a step updates that row,
its run's and its stage's progress in place (the rest of the table is left
alone), so a pilot with thousands of steps ticks as fast as a small one. The
rules live in ``gtm_tui.checklists`` and ``gtm_tui.work.moving``; this screen
only shows them and asks.
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
from textual.widgets import Input, Static

from gtm_tui.checklists import steps as stage_steps_rules
from gtm_tui.checklists import templates
from gtm_tui.checklists.checklist_items import (
    ChecklistFilter,
    Progress,
    is_due_today,
    is_overdue,
    item_values,
    progress_bar,
)
from gtm_tui.checklists.run_views import (
    LOOSE_ROW,
    NO_RUN_ROW,
    RUN_ROW,
    STAGE_ROW,
    VIEW_NAMES,
    VIEWS,
    ViewRow,
    my_open_rows,
    runs_rows,
    stage_step_rows,
)
from gtm_tui.checklists.runs import RunIndex, stage_steps
from gtm_tui.data import clock
from gtm_tui.data.model import (
    ChecklistItem,
    ChecklistTemplate,
    Person,
    Run,
    Stage,
    Step,
    ValidationError,
    WorkItem,
)
from gtm_tui.data.workspace import ChangeSet
from gtm_tui.overview.sections import counted
from gtm_tui.raci import raci_work
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormField, FormScreen
from gtm_tui.screens.dialogs.whoami import ask_who, session_person, ticking_as
from gtm_tui.screens.main.base import MainScreen, choices_of, row_key
from gtm_tui.screens.widgets.checklist_rows import (
    FIXED_WIDTHS,
    RowPainter,
    run_step_fields,
    stage_step_detail,
    stage_step_fields,
    step_detail,
)
from gtm_tui.screens.widgets.line_table import LineTable
from gtm_tui.screens.widgets.links import follow
from gtm_tui.screens.widgets.moves import move_by
from gtm_tui.work import moving

SEARCH_PAUSE = 0.15  # seconds without a key before the search applies


class ChecklistsScreen(MainScreen):
    SCREEN_NAME = "Checklists"
    SCREEN_KEY = "3"
    HELP_INTRO = (
        "Every piece of work carries its own checklist through the stages: entering a stage starts its run, "
        "a copy of the stage's steps with owners and due dates. v switches between the runs under way, your "
        "open steps and the stage steps themselves; p picks one piece (all its runs) or one stage. Space ticks "
        "a step for you (or, until you say who you are with w, for its owner); only the stage's A ticks an "
        "approval step. ] moves the piece on (open steps ask first, an open approval refuses), [ sends it back "
        "for rework along the map's loop back; the piece goes to the R of the stage it enters unless its owner is "
        "fixed. s opens the stand-up mode. g opens the step's link (or its stage's: Where to find it) with "
        "the system's opener, a path is copied; y copies the link."
    )
    # The footer shows ticking, the stand-up, adding, editing and the views, in this order (80 columns show the
    # first four); the rest is in help (?) and the palette.
    BINDINGS = [
        Binding("space", "tick", "Tick / untick"),
        Binding("s", "standup", "Stand-up mode"),
        Binding("a", "add", "Add step"),
        Binding("e", "edit", "Edit"),
        Binding("v", "next_view", "Runs / mine / steps"),
        Binding("p", "pick", "Pick piece or stage", show=False),
        Binding("right_square_bracket", "move_item(1)", "Move piece on", key_display="]", show=False),
        Binding("left_square_bracket", "move_item(-1)", "Send piece back", key_display="[", show=False),
        Binding("d,delete", "delete", "Delete", key_display="d", show=False),
        Binding("r", "start_run", "Start run", show=False),
        Binding("m", "mine", "My open steps", show=False),
        Binding("shift+up,K", "move(-1)", "Move up", key_display="K", show=False),
        Binding("shift+down,J", "move(1)", "Move down", key_display="J", show=False),
        Binding("slash", "search", "Search", key_display="/", show=False),
        Binding("f", "filter", "Filter", show=False),
        Binding("o", "open_only", "Open only", show=False),
        Binding("x", "clear_filter", "Clear filter and pick", show=False),
        Binding("t", "apply_template", "Apply template to stage steps", show=False),
        Binding("T", "save_template", "Save stage steps as template", show=False),
        Binding("w", "who_am_i", "Who am I", show=False),
        Binding("A", "toggle_approval", "Approval step on/off", key_display="A", show=False),
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
        self.view = "runs"
        self.item_filter = ChecklistFilter()
        self.picked_item: str | None = None
        self._rows: dict[str, ViewRow] = {}
        self._row_painter: RowPainter | None = None  # how the rows of the last listing are drawn
        self._index = RunIndex()
        self._stage_progress: dict[str, Progress] = {}
        self._overall = Progress()
        self._late = 0
        self._today_count = 0
        self._width = 0
        self._search_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static("", id="checklist-status")
        yield Input(placeholder="Search steps (words in text, note or blocker) — enter keeps it, esc clears",
                    id="checklist-search")
        yield LineTable(id="checklist", cursor_type="row", zebra_stripes=False)
        yield Static("", id="checklist-detail")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.watch(self.app, "session_person", self._session_person_changed, init=False)  # "ticking as …", mine
        self.watch(self.app, "looking", self._session_person_changed, init=False)  # "just looking", person unchanged
        self.table.focus()

    def _session_person_changed(self) -> None:
        if self.view == "mine":
            self.refresh_view()
        else:
            self._update_status()

    # -- rendering -----------------------------------------------------------------
    @property
    def table(self) -> LineTable:
        return self.query_one("#checklist", LineTable)

    @property
    def narrow(self) -> bool:
        """Below 100 columns owners show by first name and "done by" only in the detail pane."""
        return self._width < 100

    def _columns(self) -> None:
        table = self.table
        table.clear(columns=True)
        self._width = self.size.width
        widths = dict(FIXED_WIDTHS, owner=9, doneby=0) if self.narrow else dict(FIXED_WIDTHS)
        shown = [width for width in widths.values() if width]
        item_width = max(20, self._width - sum(shown) - 2 * (len(shown) + 1) - 2)
        table.add_column("✓", width=widths["done"], key="done")
        table.add_column("Step", width=item_width, key="item")
        table.add_column("Owner", width=widths["owner"], key="owner")
        table.add_column("Due", width=widths["due"], key="due")
        if widths["doneby"]:
            table.add_column("Done by", width=widths["doneby"], key="doneby")

    def _painter(self) -> RowPainter:
        return RowPainter(self.workspace, clock.today(), narrow=self.narrow, view=self.view,
                          by_item=self.picked_item is not None or self.view != "runs")

    def _view_rows(self) -> list[ViewRow]:
        today = clock.today()
        stages = self.workspace.all(Stage)
        if self.view == "steps":
            return stage_step_rows(stages, self.workspace.all(Step), self.item_filter.stage_id)
        items = self.workspace.all(WorkItem)
        if self.view == "mine":
            return my_open_rows(session_person(self.app), items, self._index, self.item_filter, today)
        return runs_rows(stages, items, self._index, self.item_filter, today, picked_item=self.picked_item)

    def _cells(self, key: str) -> tuple[Any, ...]:
        """A row's cells, asked for by the table when the row comes into view."""
        row = self._rows.get(key)
        return self._row_painter.cells(row) if row is not None and self._row_painter is not None else ()

    def refresh_view(self) -> None:
        """List every row again (after anything but a tick); the cursor stays on its row.

        Only the rows in view are drawn (``LineTable``), so listing thousands
        of items costs their order and counts, not their cells.
        """
        table = self.table
        selected = self.selected_key()
        if self._width != self.size.width or not table.columns:
            self._columns()
        if self.picked_item and self.workspace.find(WorkItem, self.picked_item) is None:
            self.picked_item = None  # deleted meanwhile
        self._index = moving.index_of(self.workspace)
        self._count_steps()
        self._row_painter = self._painter()
        self._rows = {row.key: row for row in self._view_rows()}
        table.set_rows(self._rows, self._cells)
        if selected is not None and selected in self._rows:
            table.move_cursor(row=table.get_row_index(selected))
        elif table.row_count:
            table.move_cursor(row=min(table.cursor_row, table.row_count - 1))
        self._update_status()
        self._update_detail()

    def _count_steps(self) -> None:
        """Progress per stage and overall, and the overdue / due-today counts, over the steps still to work."""
        today = clock.today()
        per_stage: dict[str, list[int]] = {}
        late = due_today = 0
        live = [steps for run_id, steps in self._index.steps.items() if self._index.runs[run_id].open]
        for steps in [*live, self._index.loose]:
            for step in steps:
                pair = per_stage.setdefault(step.stage_id, [0, 0])
                pair[0] += step.done
                pair[1] += 1
                late += is_overdue(step, today)
                due_today += is_due_today(step, today)
        self._stage_progress = {stage_id: Progress(done, total) for stage_id, (done, total) in per_stage.items()}
        self._overall = Progress(sum(p.done for p in self._stage_progress.values()),
                                 sum(p.total for p in self._stage_progress.values()))
        self._late, self._today_count = late, due_today

    def _update_status(self) -> None:
        overall = self._overall
        status = Text.assemble((f"{VIEW_NAMES[self.view]} ", "bold reverse"), " ")
        if self.view == "steps":
            count = self.workspace.count(Step)
            status.append(f"{counted(count, 'stage step')}: every run is copied from them "
                          "(a adds, e edits, t applies a template)")
        else:
            status.append_text(Text.assemble(
                ("Runs under way ", "bold"),
                (progress_bar(overall, 20), "green" if overall.total and overall.done == overall.total else "cyan"),
                f" {overall.label()}"))
            if self._late:
                status.append(f" · {self._late} overdue", style="bold red")
            if self._today_count:
                status.append(f" · {self._today_count} due today", style="yellow")
        people = {p.id: p for p in self.workspace.all(Person)}
        stages = {s.id: s for s in self.workspace.all(Stage)}
        described = self.item_filter.describe(people, stages)
        if self.picked_item:
            picked = f"piece {self.workspace.name_of(WorkItem, self.picked_item)}"
            described = f"{picked}, {described}" if described else picked
        status.append("\nShowing: ", style="bold")
        status.append(described or "everything", style="magenta" if described else "dim")
        status.append(f"  · {ticking_as(self.app, self.workspace)} (w)", style="dim")
        if self.view == "mine" and session_person(self.app) is None:
            status.append("\nSay who you are (w) to see your open steps.", style="yellow")
        if not stages:
            status.append("\nNo stages yet: add them on the Process screen (key 2), then their steps here.")
        self.query_one("#checklist-status", Static).update(status)

    def _update_detail(self) -> None:
        detail = self.query_one("#checklist-detail", Static)
        row = self._rows.get(self.selected_key() or "")
        today = clock.today()
        if row is None:
            hint = {"runs": "Pieces enter a stage on the Board (8) or Metrics (5): their run starts there.",
                    "mine": "Nothing open for you: well done, or say who you are with w.",
                    "steps": "Select a stage and press a to add a step."}[self.view]
            detail.update(Text(hint, style="dim"))
        elif row.kind == "step":
            step = row.record
            assert isinstance(step, ChecklistItem)
            detail.update(step_detail(self.workspace, step, row.item, raci_work.approver(self.workspace, step), today,
                                      self._stage_links(step.stage_id)))
        elif row.kind == "stage-step":
            assert isinstance(row.record, Step)
            detail.update(stage_step_detail(self.workspace, row.record))
        elif row.kind == "loose":
            detail.update(Text("Steps in no run: a piece's own check items (an import brought them), or a stage's "
                               "one-off lines. They are ticked like any step.", style="dim"))
        elif row.kind == "norun":
            detail.update(Text(f"{row.record.describe()} is in this stage without a run (from before runs, "
                               "or the stage had no steps then): r starts its run now.", style="dim"))
        elif row.kind == "run":
            run = row.record
            assert isinstance(run, Run)
            words = "still under way" if run.open else f"ended {run.ended_at}"
            who = row.item.title if row.item else "the stage's own checklist, carried over from before runs"
            detail.update(Text(f"{who}: run of {self.workspace.name_of(Stage, run.stage_id)} started "
                               f"{run.started_at}, {words}" + (" (rework)" if run.rework else "") +
                               ". ] moves the piece on, [ sends it back, p shows all its runs.", style="dim"))
        else:
            stage = row.record
            detail.update(Text(f"{stage.describe()}: a adds a stage step (offered to the runs under way), "
                               "t applies a template, T saves its steps as one.", style="dim"))

    def _stage_links(self, stage_id: str) -> list[dict[str, Any]]:
        stage = self.workspace.find(Stage, stage_id)
        return stage.links if stage else []

    def _selected_links(self) -> tuple[list[dict[str, Any]], str]:
        """The selected step's links (its stage's when it has none of its own), and what they belong to."""
        record: ChecklistItem | Step | None = self.selected_item() or self.selected_stage_step()
        if record is not None and record.links:
            return record.links, f"“{record.text}”"
        stage = self.selected_stage()
        return (stage.links, stage.name) if stage else ([], "This checklist")

    def action_open_link(self) -> None:
        """Open the selected step's (or its stage's) web link with the system's opener; a path is copied."""
        links, where = self._selected_links()
        follow(self, links, copy=False, where=where)

    def action_copy_link(self) -> None:
        """Copy the selected step's (or its stage's) link or path to the clipboard."""
        links, where = self._selected_links()
        follow(self, links, copy=True, where=where)

    @on(LineTable.RowHighlighted, "#checklist")
    def _highlighted(self) -> None:
        self._update_detail()

    @on(LineTable.RowSelected, "#checklist")
    def _selected(self) -> None:
        row = self._rows.get(self.selected_key() or "")
        if row is not None and row.kind in ("step", "stage-step"):
            self.action_edit()

    def on_resize(self, event: Resize) -> None:
        if self.is_mounted and self._width and event.size.width != self._width:
            self.refresh_view()

    # -- in-place updates after a tick -------------------------------------------------
    def workspace_changed(self, change_set: ChangeSet) -> None:
        if not self._patch(change_set):
            super().workspace_changed(change_set)

    def _patch(self, change_set: ChangeSet) -> bool:
        """Update only the rows a tick touched; False when the whole table must be rebuilt."""
        if change_set.external or not change_set.changes or len(change_set.changes) > 20 or self.view == "steps":
            return False
        today = clock.today()
        pairs = []
        for change in change_set.changes:
            if change.table != ChecklistItem.TABLE or change.before is None or change.after is None:
                return False
            before, after = ChecklistItem.from_dict(change.before), ChecklistItem.from_dict(change.after)
            if (before.stage_id, before.position, before.run_id) != (after.stage_id, after.position, after.run_id):
                return False
            if not after.run_id:
                return False  # a step in no run: its group's header is redrawn with the table
            if self.item_filter.matches(before, today) != self.item_filter.matches(after, today):
                return False  # it enters or leaves the filtered list
            if self.view == "mine" and before.done != after.done:
                return False  # a done step leaves "my open steps"
            pairs.append((before, after))
        self._row_painter = self._painter()
        changed: set[str] = set()
        for before, after in pairs:
            current = self.workspace.find(ChecklistItem, after.id) or after
            if current.run_id in self._index.steps:
                run_steps = self._index.steps[current.run_id]
                self._index.steps[current.run_id] = [current if s.id == current.id else s for s in run_steps]
            live = self._index.is_live(current)
            done_delta = int(after.done) - int(before.done)
            if live and done_delta:
                stage = self._stage_progress.get(after.stage_id, Progress())
                self._stage_progress[after.stage_id] = stage.plus(done_delta, 0)
                self._overall = self._overall.plus(done_delta, 0)
            if live:
                self._late += int(is_overdue(after, today)) - int(is_overdue(before, today))
                self._today_count += int(is_due_today(after, today)) - int(is_due_today(before, today))
            row = self._rows.get(current.id)
            if row is not None:
                self._rows[current.id] = replace(row, record=current)
                changed.add(current.id)
            run_row = self._rows.get(RUN_ROW + (current.run_id or ""))
            if run_row is not None:
                self._rows[run_row.key] = replace(run_row, progress=self._index.progress(current.run_id))
                changed.add(run_row.key)
            stage_row = self._rows.get(STAGE_ROW + current.stage_id)
            if stage_row is not None and current.stage_id in self._stage_progress:
                self._rows[stage_row.key] = replace(stage_row, progress=self._stage_progress[current.stage_id])
                changed.add(stage_row.key)
        self.table.refresh_rows(changed)  # redrawn from ``_rows`` when in view
        self._update_status()
        self._update_detail()
        return True

    # -- what is selected --------------------------------------------------------------
    def selected_key(self) -> str | None:
        return row_key(self.table)

    def selected_row(self) -> ViewRow | None:
        return self._rows.get(self.selected_key() or "")

    def selected_item(self) -> ChecklistItem | None:
        """The run step under the cursor (None on any other row)."""
        row = self.selected_row()
        if row is None or row.kind != "step":
            return None
        return self.workspace.find(ChecklistItem, row.record.id)

    def selected_stage_step(self) -> Step | None:
        row = self.selected_row()
        if row is None or row.kind != "stage-step":
            return None
        return self.workspace.find(Step, row.record.id)

    def selected_run(self) -> Run | None:
        """The run of the selected run row or step."""
        row = self.selected_row()
        if row is None:
            return None
        if row.kind == "run":
            return self.workspace.find(Run, row.record.id)
        if row.kind == "step" and isinstance(row.record, ChecklistItem):
            return self.workspace.find(Run, row.record.run_id)
        return None

    def selected_work_item(self) -> WorkItem | None:
        """The piece of the selected run, step or run-less row (or the piece picked)."""
        row = self.selected_row()
        item = row.item if row is not None else None
        if row is not None and row.kind == "norun":
            item = row.record  # type: ignore[assignment]
        if item is None and self.picked_item:
            return self.workspace.find(WorkItem, self.picked_item)
        return self.workspace.find(WorkItem, item.id) if item is not None else None

    def selected_stage(self) -> Stage | None:
        """The stage of the selected row (a stage header, a run, a step, a stage step)."""
        row = self.selected_row()
        if row is None:
            return None
        if row.kind == "stage":
            return self.workspace.find(Stage, row.record.id)
        if row.kind == "norun":
            return self.workspace.find(Stage, row.record.stage_id)  # type: ignore[union-attr]
        return self.workspace.find(Stage, getattr(row.record, "stage_id", None))

    def select(self, key: str) -> None:
        if key in self._rows:
            self.table.move_cursor(row=self.table.get_row_index(key))

    # -- views and picks -------------------------------------------------------------------
    def show_view(self, view: str) -> None:
        self.view = view
        self.refresh_view()

    def action_next_view(self) -> None:
        """Switch between the runs under way, my open steps and the stage steps."""
        view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        if view == "mine" and session_person(self.app) is None:
            ask_who(self.app, self.workspace, lambda chosen: self.show_view("mine" if chosen else "steps"))
            return
        self.show_view(view)

    def action_mine(self) -> None:
        """Show my open steps across every piece (asks who I am first)."""
        if session_person(self.app) is None:
            ask_who(self.app, self.workspace, lambda chosen: self.show_view("mine") if chosen else None)
            return
        self.show_view("mine")

    def show_item(self, item_id: str) -> None:
        self.pick_item(item_id)

    def pick_item(self, item_id: str | None) -> None:
        """Show all the runs of one piece (None: every piece again)."""
        self.picked_item = item_id
        self.view = "runs"
        self.refresh_view()

    def action_pick(self) -> None:
        """Pick one piece (all its runs) or one stage (its runs under way)."""
        items = sorted(self.workspace.all(WorkItem), key=lambda i: i.title.casefold())
        fields = [
            FormField("work_item_id", "Piece", self.picked_item, kind="choice", choices=choices_of(items),
                      hint="all its runs, ended ones too"),
            FormField("stage_id", "… or stage", self.item_filter.stage_id, kind="choice",
                      choices=choices_of(self.workspace.all(Stage))),
        ]

        def submit(values: dict[str, Any]) -> tuple[str | None, str | None]:
            return values.get("work_item_id"), values.get("stage_id")

        def done(chosen: tuple[str | None, str | None] | None) -> None:
            if chosen is None:
                return
            self.item_filter = replace(self.item_filter, stage_id=chosen[1] if not chosen[0] else None)
            self.pick_item(chosen[0])

        self.app.push_screen(FormScreen("Show the runs of", fields, submit), done)

    # -- ticking -----------------------------------------------------------------------
    def action_tick(self) -> None:
        """Tick the selected step for whoever is at the keyboard, or untick it."""
        item = self.selected_item()
        if item is None:
            self.notify("Select a step of a run to tick it" + (": stage steps are ticked in each run."
                                                               if self.view == "steps" else "."))
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

    def action_toggle_approval(self) -> None:
        """Make the selected step an approval (only the stage's A may tick it), or an ordinary step again."""
        record: ChecklistItem | Step | None = self.selected_item() or self.selected_stage_step()
        if record is None:
            self.notify("Select a step to make it an approval.")
            return
        if self.attempt(lambda: self.workspace.update(record, approval=not record.approval)) is not None:
            self.notify("Approval step: only the stage's A can tick it." if not record.approval
                        else "No longer an approval step.")
            if isinstance(record, Step):
                self._offer(self.workspace.get(Step, record.id))

    def action_who_am_i(self) -> None:
        """Say who you are, so your ticks are recorded with your name."""
        ask_who(self.app, self.workspace)

    # -- moving pieces ----------------------------------------------------------------------
    def action_move_item(self, direction: int) -> None:
        """Move the selected piece on to the next stage (1) or send it back for rework (-1)."""
        item = self.selected_work_item()
        if item is None:
            self.notify("Select a piece's run or step to move the piece.")
            return
        move_by(self, self.workspace, item, direction)

    def action_start_run(self) -> None:
        """Start the run of a piece that sits in a stage without one."""
        item = self.selected_work_item()
        if item is None:
            self.notify("Select a piece marked 'no run in this stage yet'.")
            return
        try:
            self.attempt(lambda: moving.start_run(self.workspace, item, clock.now()))
        except moving.MoveRefused as refusal:
            self.notify(f"{refusal}.", severity="warning")

    # -- adding, editing, deleting, ordering ------------------------------------------------
    def action_add(self) -> None:
        """Add a stage step (steps view, or a stage row), or a step to the selected run only."""
        run = self.selected_run() if self.view != "steps" else None
        if run is not None:
            self._add_run_step(run)
            return
        stages = self.workspace.all(Stage)
        if not stages:
            self.notify("Add stages on the Process screen (key 2) first.", severity="warning")
            return
        stage = self.selected_stage() or stages[0]

        def submit(values: dict[str, Any]) -> Step:
            fields = stage_steps_rules.step_values(values)
            return stage_steps_rules.add_step(self.workspace, values.get("stage_id") or stage.id, **fields)

        def done(step: Step | None) -> None:
            if step:
                self.select(step.id)
                self.notify(f"Added to {self.workspace.name_of(Stage, step.stage_id)}'s steps.")
                self._offer(step)

        fields = stage_step_fields(Step(stage_id=stage.id), stages, self.workspace.all(Person))
        self.app.push_screen(FormScreen(f"Add a step every piece goes through in {stage.name}", fields, submit), done)

    def _add_run_step(self, run: Run) -> None:
        item = self.workspace.find(WorkItem, run.work_item_id)
        where = item.title if item else self.workspace.name_of(Stage, run.stage_id)

        def submit(values: dict[str, Any]) -> ChecklistItem:
            position = max((s.position for s in self._index.steps_of(run.id)), default=-1) + 1
            return raci_work.add_checklist_item(self.workspace, stage_id=run.stage_id, run_id=run.id,
                                                work_item_id=run.work_item_id, position=position,
                                                **item_values(values))

        def done(step: ChecklistItem | None) -> None:
            if step:
                self.select(step.id)
                self.notify(f"Added to this run of {where} only; stage steps are added in the steps view (v).")

        blank = ChecklistItem(stage_id=run.stage_id, owner_id=raci_work.default_owner(self.workspace, run.stage_id))
        self.app.push_screen(FormScreen(f"Add a step to this run of {where}",
                                        run_step_fields(blank, self.workspace.all(Person)), submit), done)

    def _offer(self, step: Step) -> None:
        """Offer a new or changed stage step to the runs under way (never forced)."""
        found = self.attempt(lambda: stage_steps_rules.pending_offers(self.workspace, step))
        if not found:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                count = self.attempt(lambda: stage_steps_rules.apply_offers(self.workspace, step, found))
                if count:
                    self.notify(f"Applied to {count} run{'s' if count != 1 else ''} under way.")

        question = f"'{step.text}': {stage_steps_rules.offer_words(found)}"
        self.app.push_screen(ConfirmScreen(question, yes="Apply"), answer)

    def action_edit(self) -> None:
        """Edit the selected run step (text, owner, due, note) or stage step."""
        step = self.selected_stage_step()
        if step is not None:
            self._edit_stage_step(step)
            return
        item = self.selected_item()
        if item is None:
            self.notify("Select a step to edit; a adds one.")
            return

        def submit(values: dict[str, Any]) -> ChecklistItem:
            current = self.workspace.get(ChecklistItem, item.id)
            return self.workspace.update(current, **item_values(values))

        self.app.push_screen(
            FormScreen("Edit this run's step", run_step_fields(item, self.workspace.all(Person)), submit)
        )

    def _edit_stage_step(self, step: Step) -> None:
        def submit(values: dict[str, Any]) -> Step:
            current = self.workspace.get(Step, step.id)
            changes = stage_steps_rules.step_values(values)
            stage_id = values.get("stage_id") or current.stage_id
            if stage_id != current.stage_id:
                changes.update(stage_id=stage_id,
                               position=max((s.position for s in stage_steps(self.workspace.all(Step), stage_id)),
                                            default=-1) + 1)
            return self.workspace.update(current, **changes)

        fields = stage_step_fields(step, self.workspace.all(Stage), self.workspace.all(Person))
        self.app.push_screen(FormScreen("Edit stage step", fields, submit),
                             lambda saved: self._offer(saved) if saved else None)

    def action_delete(self) -> None:
        """Delete the selected step after a confirmation (ctrl+z brings it back)."""
        record: ChecklistItem | Step | None = self.selected_item() or self.selected_stage_step()
        if record is None:
            self.notify("Select a step to delete. Stages are deleted on the Process screen.")
            return
        where = ("from the stage's steps: runs started from now on leave it out; runs under way keep their copy"
                 if isinstance(record, Step) else "from this run only")

        def answer(confirmed: bool | None) -> None:
            if confirmed and self.attempt(lambda: self.workspace.delete(record)) is not None:
                self.notify("Deleted. ctrl+z undoes it.")

        self.app.push_screen(ConfirmScreen(f"Delete “{record.text}”?", [where], yes="Delete"), answer)

    def action_move(self, delta: int) -> None:
        """Move the selected step up or down (within its run, or within its stage's steps)."""
        item = self.selected_item()
        stage_step = self.selected_stage_step()
        if item is not None:
            siblings: list[Any] = self._index.steps_of(item.run_id) if item.run_id else [
                s for s in self._index.loose if s.stage_id == item.stage_id]
            record: Any = item
        elif stage_step is not None:
            siblings = stage_steps(self.workspace.all(Step), stage_step.stage_id)
            record = stage_step
        else:
            self.notify("Select a step to move.")
            return
        siblings = [self.workspace.get(type(record), s.id) for s in siblings]
        moved = self.attempt(lambda: self.workspace.move(record, delta, siblings))
        if moved is False:
            self.notify("Already at the " + ("top" if delta < 0 else "bottom") + ".")
            return
        self.select(record.id)

    # -- filters and search ---------------------------------------------------------------
    def _set_filter(self, item_filter: ChecklistFilter) -> None:
        self.item_filter = item_filter
        self.refresh_view()

    def action_search(self) -> None:
        """Search step text, notes and blockers as you type."""
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
            FormField(
                "owner_id", "Owner", current.owner_id, kind="choice", choices=choices_of(self.workspace.all(Person))
            ),
            FormField(
                "stage_id", "Stage", current.stage_id, kind="choice", choices=choices_of(self.workspace.all(Stage))
            ),
            FormField("open_only", "Open steps only", current.open_only, kind="yesno"),
            FormField("overdue_only", "Overdue steps only", current.overdue_only, kind="yesno"),
        ]

        def submit(values: dict[str, Any]) -> ChecklistFilter:
            return ChecklistFilter(values["owner_id"], values["stage_id"], bool(values["open_only"]),
                                   bool(values["overdue_only"]), current.search)

        self.app.push_screen(FormScreen("Show steps", fields, submit),
                             lambda chosen: self._set_filter(chosen) if isinstance(chosen, ChecklistFilter) else None)

    def action_open_only(self) -> None:
        """Show only open steps, or everything again."""
        self._set_filter(replace(self.item_filter, open_only=not self.item_filter.open_only))

    def action_clear_filter(self) -> None:
        """Show every step of every piece again."""
        search = self.query_one("#checklist-search", Input)
        with search.prevent(Input.Changed):
            search.value = ""
        search.remove_class("-shown")
        if self._search_timer is not None:
            self._search_timer.stop()
        self.picked_item = None
        self._set_filter(ChecklistFilter())

    # -- templates -----------------------------------------------------------------------
    def action_apply_template(self) -> None:
        """Add a template's lines to the selected stage's steps (lines it already has are skipped)."""
        stage = self.selected_stage()
        if stage is None:
            self.notify("Select a stage (or a step in it) to apply a template to.")
            return
        offered = templates.available(self.workspace.all(ChecklistTemplate))
        choices = [(f"{t.name} ({counted(len(t.lines), 'line')}{', built in' if t.built_in else ''})", index)
                   for index, t in enumerate(offered)]

        def submit(values: dict[str, Any]) -> list[Step]:
            if values["template"] is None:
                raise ValidationError("template", "choose a template")
            return templates.apply(self.workspace, offered[values["template"]], stage)

        def done(added: Any) -> None:
            if added is None:
                return
            if added:
                self.notify(f"Added {len(added)} step{'s' if len(added) != 1 else ''} to {stage.name}: every run "
                            "started from now on carries them.")
                runs = stage_steps_rules.open_runs(self.workspace, stage.id)
                if runs:
                    self._offer_many(added)
            else:
                self.notify(f"{stage.name} already has every line of that template; nothing added.")

        field = FormField("template", "Template", 0, kind="choice", choices=choices, required=True)
        self.app.push_screen(FormScreen(f"Apply a template to {stage.name}'s steps", [field], submit), done)

    def _offer_many(self, added: list[Step]) -> None:
        found = [offer for step in added for offer in stage_steps_rules.pending_offers(self.workspace, step)]
        runs = len({offer.run.id for offer in found})
        if not found:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                def apply_all() -> None:
                    with self.workspace.batch(f"apply {counted(len(added), 'new step')} to the runs under way"):
                        for step in added:
                            stage_steps_rules.apply_offers(self.workspace, step,
                                                           [o for o in found if o.add and o.add.step_id == step.id])

                self.attempt(apply_all)

        self.app.push_screen(ConfirmScreen(f"Add the {counted(len(added), 'new step')} to the {runs} run"
                                           f"{'s' if runs != 1 else ''} under way too?", yes="Add"), answer)

    def action_save_template(self) -> None:
        """Save the selected stage's steps as a template to reuse."""
        stage = self.selected_stage()
        if stage is None:
            self.notify("Select a stage (or a step in it) whose steps to save.")
            return

        def submit(values: dict[str, Any]) -> ChecklistTemplate:
            return templates.save_stage(self.workspace, stage, values["name"])

        field = FormField("name", "Template name", f"{stage.name} checklist", required=True)
        self.app.push_screen(FormScreen(f"Save {stage.name}'s steps as a template", [field], submit),
                             lambda saved: self.notify(f"Saved template '{saved.name}'.") if saved else None)

    # -- stand-up -------------------------------------------------------------------------
    def action_standup(self) -> None:
        """Go round the team: their open and overdue steps, pieces just arrived, blockers; tick as you go."""
        # Imported on use, not for a cycle: the stand-up and the rules behind it cost
        # the first visit to this screen about 15 ms (python -X importtime).
        from gtm_tui.screens.pushed.standup import StandupScreen

        self.app.push_screen(StandupScreen())


__all__ = ["LOOSE_ROW", "NO_RUN_ROW", "RUN_ROW", "STAGE_ROW", "ChecklistsScreen"]
