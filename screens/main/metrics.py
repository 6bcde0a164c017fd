"""Metrics (key 5): how work moves — the work items and the figures, in two tabs under one headline.

The work items live on this screen (tab "Work items") rather than on a screen
of their own: moving an item, logging time or adding a feedback cycle changes
the figures, and the headline line above both tabs shows the change at once.
Every change goes through ``gtm_tui.work`` (pure) and ``Workspace.update``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from gtm_tui.data import clock
from gtm_tui.data.model import ChecklistItem, Person, Run, Stage, WorkItem
from gtm_tui.data.operations import Edit
from gtm_tui.data.workspace import ChangeSet
from gtm_tui.overview.sections import counted
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormScreen
from gtm_tui.screens.main.base import MainScreen, row_key
from gtm_tui.screens.widgets import charts
from gtm_tui.screens.widgets.line_table import LineTable
from gtm_tui.screens.widgets.moves import move_by
from gtm_tui.screens.widgets.work_items import (
    COLUMN_WIDTHS,
    COLUMNS,
    apply_item_form,
    item_detail,
    item_fields,
    item_row,
    minutes_fields,
    note_fields,
    save_item_form,
    status_fields,
)
from gtm_tui.work import baseline, metrics, moving
from gtm_tui.work import work_items as work

# What a move changes beside the item (its runs and their steps): nothing the list or the figures show.
RUN_TABLES = (Run.TABLE, ChecklistItem.TABLE)

# Actions on the selected work item: only offered while the Work items tab shows.
ITEM_ACTIONS = {"edit", "delete", "next_stage", "previous_stage", "timer", "log_minutes", "feedback",
                "clarification", "mark_rework", "mark_delay", "set_status", "flagged_only"}


class MetricsScreen(MainScreen):
    SCREEN_NAME = "Metrics"
    SCREEN_KEY = "5"
    HELP_INTRO = ("How work moves: the work items of the pilot (move them through the stages, time them, count "
                  "feedback cycles and clarification requests) and the figures — time in stage against expected, "
                  "waits at handoffs, rework, delays and the pilot against the campaign's baseline. ] moves an item on "
                  "and [ sends it back along the process map's loop back; it goes to the R of the stage it enters "
                  "unless the item's form says its owner is fixed.")
    BINDINGS = [
        Binding("v", "switch_tab", "Figures / items", key_display="v"),
        Binding("a", "add", "Add work item"),
        Binding("e", "edit", "Edit"),
        Binding("right_square_bracket,greater_than_sign", "next_stage", "Next stage", key_display="]"),
        Binding("left_square_bracket,less_than_sign", "previous_stage", "Back a stage", key_display="["),
        # The footer shows the keys above; these are in help (?) and the palette.
        Binding("d,delete", "delete", "Delete", key_display="d", show=False),
        Binding("t", "timer", "Timer start/stop", show=False),
        Binding("m", "log_minutes", "Log minutes", show=False),
        Binding("f", "feedback", "+ Feedback cycle", show=False),
        Binding("c", "clarification", "+ Clarification", show=False),
        Binding("w", "mark_rework", "Mark rework", show=False),
        Binding("x", "mark_delay", "Mark delay", show=False),
        Binding("s", "set_status", "Set status", show=False),
        Binding("o", "flagged_only", "Flagged only", show=False),
    ]
    DEFAULT_CSS = """
    MetricsScreen #metrics-headline { padding: 0 1; height: auto; }
    MetricsScreen TabbedContent { height: 1fr; }
    MetricsScreen TabPane { padding: 0; }
    MetricsScreen #work-items { height: 1fr; }
    MetricsScreen #item-detail-box { height: 40%; min-height: 6; border-top: solid $primary; padding: 0 1; }
    MetricsScreen #figures-scroll { padding: 0 1; }
    MetricsScreen #figures-scroll > Static { height: auto; }
    MetricsScreen #figures-scroll > .chart-title { text-style: bold; color: $accent; margin-top: 1; }
    MetricsScreen #focus-wait { margin-top: 1; }
    MetricsScreen #time-logged { margin-top: 1; }
    MetricsScreen #flagged { height: auto; max-height: 12; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.flagged_only = False
        self._figures: metrics.Figures | None = None
        self._figures_drawn = False  # the Figures tab shows self._figures

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static("", id="metrics-headline")
        with TabbedContent(initial="items-tab"):
            with TabPane("Work items", id="items-tab"):
                table = LineTable(id="work-items", cursor_type="row", zebra_stripes=True)
                for label, width in zip(COLUMNS, COLUMN_WIDTHS, strict=True):
                    table.add_column(label, width=width or 24, flex=width is None)
                yield table
                with VerticalScroll(id="item-detail-box"):
                    yield Static("", id="item-detail")
            with TabPane("Figures", id="figures-tab"), VerticalScroll(id="figures-scroll"):
                yield Static("", id="baseline")
                yield Static("", id="delay-rule")
                yield Static("Time in stage: median against expected days", classes="chart-title")
                yield Static("", id="stage-bars")
                yield Static("", id="focus-wait")
                yield Static("Flagged items (enter opens the item)", classes="chart-title")
                yield OptionList(id="flagged")
                yield Static("Items done per week", classes="chart-title")
                yield Static("", id="done-per-week")
                yield Static("Waits at handoffs (left one stage, entered the next)", classes="chart-title")
                yield Static("", id="handoff-waits")
                yield Static("Time in stage", classes="chart-title")
                yield Static("", id="stage-table")
                yield Static("", id="time-logged")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#work-items", LineTable).focus()

    # -- showing -----------------------------------------------------------------
    def refresh_view(self) -> None:
        fig = metrics.figures(self.workspace, metrics.this_minute(clock.now()))
        self._figures = fig
        self.query_one("#metrics-headline", Static).update(self._headline(fig))
        self._refresh_items(fig)
        self._figures_drawn = False
        self._draw_figures()

    def workspace_changed(self, change_set: ChangeSet) -> None:
        if not self._patch(change_set):
            super().workspace_changed(change_set)

    def _patch(self, change_set: ChangeSet) -> bool:
        """After a change to work items already listed (a move, a timer, a mark): redraw their rows and the figures.

        A move also starts and ends runs and copies their steps: those tables
        are not listed here, so they leave the list as it is. False when the
        list itself must be built again (an item added or deleted, another
        table changed, a flagged-only list gaining or losing one).
        """
        if change_set.external or not change_set.changes or self._figures is None:
            return False
        for c in change_set.changes:
            if c.table in RUN_TABLES:
                continue
            if c.table != WorkItem.TABLE or c.before is None or c.after is None:
                return False
        before = self._figures
        fig = metrics.figures(self.workspace, metrics.this_minute(clock.now()))
        ids = {change.id for change in change_set.changes if change.table == WorkItem.TABLE}
        if self.flagged_only and any(before.flags[i].flagged != fig.flags[i].flagged for i in ids if i in before.flags):
            return False
        self._figures = fig
        self.query_one("#metrics-headline", Static).update(self._headline(fig))
        self.query_one("#work-items", LineTable).refresh_rows(ids)
        self._show_detail()
        self._figures_drawn = False
        self._draw_figures()
        return True

    def _draw_figures(self) -> None:
        """Draw the Figures tab when it is shown and out of date: its charts read every item."""
        if self._figures is None or self._figures_drawn or self.query_one(TabbedContent).active != "figures-tab":
            return
        self._figures_drawn = True
        self._refresh_figures(self._figures)

    def _headline(self, fig: metrics.Figures) -> Text:
        text = Text()
        text.append("Metrics  ", style="bold")
        text.append(f"{counted(fig.items, 'item')}, {fig.done} done · ")
        text.append(f"⚑ {fig.flagged} flagged", style="bold red" if fig.flagged else "green")
        text.append(f" ({fig.delayed} delayed) · rework rate {metrics.number_text(fig.rework_rate, 0, ' %')}")
        text.append(f" · feedback {metrics.number_text(fig.feedback_per_item)}/item")
        text.append(f" · clarifications {metrics.number_text(fig.clarifications_per_item)}/item")
        if fig.focus is not None and fig.focus.waits:
            text.append(" · focus wait ")
            text.append(metrics.days_text(fig.focus.median_days), style="bold red" if fig.focus.over_expected else "")
        if self.flagged_only:
            text.append("  [flagged only]", style="bold yellow")
        return text

    def _item_cells(self, item_id: str) -> list[Any]:
        """A work item's row, asked for by the list when it comes into view."""
        item = self.workspace.find(WorkItem, item_id)
        if item is None or self._figures is None:
            return []
        flags = self._figures.flags.get(item_id) or metrics.Flags()
        return item_row(self.workspace, item, flags, clock.now(), title_width=500)  # the list cuts it to its column

    def _refresh_items(self, fig: metrics.Figures) -> None:
        table = self.query_one("#work-items", LineTable)
        selected = self.selected_id()
        ids = [i.id for i in self.workspace.all(WorkItem) if not self.flagged_only or fig.flags[i.id].flagged]
        table.set_rows(ids, self._item_cells)
        if selected in ids:
            table.move_cursor(row=table.get_row_index(selected))
        self._show_detail()

    def _show_detail(self) -> None:
        item = self.selected()
        flags = self._figures.flags.get(item.id) if item is not None and self._figures else None
        detail = item_detail(self.workspace, item, flags, clock.now())
        if item is None and self.flagged_only:
            detail = Text("No flagged items. Press o to show every item.", style="dim")
        self.query_one("#item-detail", Static).update(detail)

    def _refresh_figures(self, fig: metrics.Figures) -> None:
        def name(stage_id: str) -> str:
            return self.workspace.name_of(Stage, stage_id)

        against = baseline.compare(self.workspace, clock.now(), fig)
        self.query_one("#baseline", Static).update(self._baseline_table(fig, against))
        self.query_one("#delay-rule", Static).update(Text(fig.rule.text(), style="dim"))
        self.query_one("#stage-bars", Static).update(charts.StageBars(fig.stages.values()))
        self.query_one("#focus-wait", Static).update(charts.focus_line(fig.focus, name))
        past_waits = {(w.from_stage_id, w.to_stage_id): w.baseline for w in against.waits} if against.measured else None
        self.query_one("#handoff-waits", Static).update(
            charts.waits_table([w for w in fig.waits.values() if w.waits or w.focus], name, past_waits))
        self.query_one("#done-per-week", Static).update(charts.week_bars(fig.done_per_week))
        people = [
            (self.workspace.name_of(Person, pid, "(nobody named)"), m) for pid, m in fig.minutes_per_person.items()
        ]
        order = {stage_id: index for index, stage_id in enumerate(fig.stages)}
        stages = sorted(fig.minutes_per_stage.items(), key=lambda kv: order.get(kv[0] or "", len(order)))
        grid = Table.grid(padding=(0, 4))
        grid.add_row(
            charts.minutes_table("Time logged per person", people),
            charts.minutes_table("Time logged per stage", [(name(s) if s else "(no stage)", m) for s, m in stages]),
        )
        self.query_one("#time-logged", Static).update(grid)
        past_stages = {s.stage_id: s.baseline for s in against.stages} if against.measured else None
        self.query_one("#stage-table", Static).update(charts.stages_table(fig.stages.values(), past_stages))
        flagged = self.query_one("#flagged", OptionList)
        highlighted = flagged.highlighted
        flagged.clear_options()
        items = {item.id: item for item in self.workspace.all(WorkItem)}
        for item_id, flags in fig.flags.items():
            if flags.flagged and item_id in items:
                prompt = Text(items[item_id].title, style="bold")
                prompt.append(" — " + "; ".join(flags.reasons), style="red")
                flagged.add_option(Option(prompt, id=item_id))
        if not flagged.option_count:
            flagged.add_option(Option(Text("Nothing flagged.", style="dim"), id="", disabled=True))
        elif highlighted is not None:
            flagged.highlighted = min(highlighted, flagged.option_count - 1)

    def _baseline_table(self, fig: metrics.Figures, against: baseline.Against) -> Group:
        table = Table(box=None, header_style="bold", pad_edge=False, title_justify="left")
        for column, justify in (("The pilot against the campaign's baseline", "left"), ("Baseline", "right"),
                                ("From", "left"), ("Pilot", "right"), ("Change", "right")):
            table.add_column(column, justify=justify)  # type: ignore[arg-type]
        for comparison in against.measures:
            change = baseline.change_text(comparison)
            style = "dim" if not comparison.measured else ""
            if comparison.change_percent is not None:
                style = "green" if comparison.change_percent < 0 else "red"  # every known measure: lower is better
            table.add_row(Text(comparison.measure), metrics.number_text(comparison.baseline),
                          Text(comparison.origin, style="dim"), metrics.number_text(comparison.pilot),
                          Text(change, style=style))
        extra = Text(f"Rework rate {metrics.number_text(fig.rework_rate, 0, ' %')} · items delayed {fig.delayed} of "
                     f"{fig.items} · items done {fig.done} of {fig.items} · days from brief to live "
                     f"{metrics.days_text(fig.brief_to_live)}", style="dim")
        parts: list[Any] = [table] if against.measures else [
            Text("No baseline figures for the campaign yet: type them in Pilot setup, or measure them from its board "
                 "(Import…, 'measure the baseline'; gtm-tui baseline).", style="dim")]
        if against.source is not None:
            line = Text("Baseline measured from ", style="dim")
            line.append(against.source.text(), style="bold")
            if against.source.unmapped:
                line.append(f" · not mapped: {', '.join(against.source.unmapped)}", style="dim")
            parts.append(line)
        return Group(*parts, extra)

    # -- selection -----------------------------------------------------------------
    def selected_id(self) -> str | None:
        return row_key(self.query_one("#work-items", LineTable))

    def selected(self) -> WorkItem | None:
        return self.workspace.find(WorkItem, self.selected_id())

    def select_item(self, item_id: str) -> None:
        """Show the Work items tab with ``item_id`` selected (its details below the list)."""
        self.query_one(TabbedContent).active = "items-tab"
        table = self.query_one("#work-items", LineTable)
        try:
            index = table.get_row_index(item_id)
        except Exception:  # hidden by the flagged-only filter or gone: show everything
            self.flagged_only = False
            self.refresh_view()
            index = table.get_row_index(item_id)
        table.move_cursor(row=index)
        table.focus()
        self._show_detail()

    @on(LineTable.RowHighlighted, "#work-items")
    def _row_highlighted(self) -> None:
        self._show_detail()

    @on(OptionList.OptionSelected, "#flagged")
    def _open_flagged(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.select_item(event.option.id)

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()
        if event.pane.id == "items-tab":
            self.query_one("#work-items", LineTable).focus()
        else:
            self._draw_figures()
            self.query_one("#flagged", OptionList).focus(scroll_visible=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ITEM_ACTIONS and self.is_mounted:
            try:
                if self.query_one(TabbedContent).active != "items-tab":
                    return None  # shown dimmed: switch to the Work items tab (v) first
            except Exception:
                return True
        return True

    # -- actions -----------------------------------------------------------------
    def action_switch_tab(self) -> None:
        """Show the figures, or the work items."""
        tabs = self.query_one(TabbedContent)
        tabs.active = "figures-tab" if tabs.active == "items-tab" else "items-tab"

    def _with_item(self, change: Callable[[WorkItem], WorkItem | Edit[WorkItem]], done: str = "") -> None:
        """Apply a pure change to the selected item and save it; say what happened."""
        item = self.selected()
        if item is None:
            self.notify("No work item selected. Press a to add one.")
            return
        result = self.attempt(lambda: self.workspace.apply(work.as_edit(item, change(item))))
        if result is not None and done:
            self.notify(done.format(item=result))

    def action_next_stage(self) -> None:
        """Hand the selected item on to the next stage: its run there starts (open steps ask, open approvals refuse)."""
        item = self.selected()
        if item is None:
            self.notify("No work item selected. Press a to add one.")
            return
        move_by(self, self.workspace, item, 1)

    def action_previous_stage(self) -> None:
        """Send the selected item back along the map's loop back (rework): a new run there, the one it leaves kept."""
        item = self.selected()
        if item is None:
            self.notify("No work item selected. Press a to add one.")
            return
        move_by(self, self.workspace, item, -1)

    def action_timer(self) -> None:
        item = self.selected()
        if item is None:
            self.notify("No work item selected. Press a to add one.")
            return
        result = self.attempt(lambda: self.workspace.apply(work.as_edit(item, work.toggle_timer(item, clock.now()))))
        if result is not None:
            self.notify(work.timer_words(item, result))

    def action_mark_rework(self) -> None:
        """Mark the item as needing rework by hand, or take the mark off."""
        item = self.selected()
        self._with_item(work.toggle_rework, "Rework mark taken off '{item.title}'." if item is not None and item.rework
                        else "'{item.title}' marked as needing rework.")

    def action_mark_delay(self) -> None:
        """Mark the item as delayed by hand, or take the mark off."""
        item = self.selected()
        self._with_item(work.toggle_delay, "Delay mark taken off '{item.title}'." if item is not None and item.delayed
                        else "'{item.title}' marked as delayed.")

    def action_flagged_only(self) -> None:
        """Show only delayed or rework items, or every item again."""
        self.flagged_only = not self.flagged_only
        self.refresh_view()

    def _form(self, title: str, fields: list, submit: Callable[[dict[str, Any]], Any]) -> None:
        self.app.push_screen(FormScreen(title, fields, submit))

    def action_add(self) -> None:
        def submit(values: dict[str, Any]) -> WorkItem:
            draft = apply_item_form(
                WorkItem(title="new"), {**values, "status": values.get("status") or "not started"}, clock.now()
            )
            return moving.add_item(self.workspace, draft, clock.now())  # no assignee: the stage's R; its run starts

        def done(item: WorkItem | None) -> None:
            if item:
                self.select_item(item.id)
                self.notify(f"Added '{item.title}'.")

        self.query_one(TabbedContent).active = "items-tab"
        self.app.push_screen(FormScreen("Add a work item", item_fields(self.workspace), submit), done)

    def action_edit(self) -> None:
        item = self.selected()
        if item is None:
            self.notify("No work item selected. Press a to add one.")
            return

        def submit(values: dict[str, Any]) -> WorkItem:
            current = self.workspace.get(WorkItem, item.id)
            return save_item_form(self.workspace, current, values, clock.now())

        self._form(f"Edit — {item.title}", item_fields(self.workspace, item), submit)

    def action_delete(self) -> None:
        item = self.selected()
        if item is None:
            self.notify("No work item selected.")
            return
        effects = [effect.text for effect in self.workspace.consequences(item)]

        def answer(confirmed: bool | None) -> None:
            if confirmed and self.attempt(lambda: self.workspace.delete(item)) is not None:
                self.notify(f"Deleted '{item.title}'. ctrl+z undoes it.")

        self.app.push_screen(
            ConfirmScreen(f"Delete '{item.title}'?", effects or ["nothing else refers to it"], yes="Delete"), answer
        )

    def _item_form(
        self, title: str, fields: list, change: Callable[[WorkItem, dict[str, Any]], WorkItem | Edit[WorkItem]]
    ) -> None:
        item = self.selected()
        if item is None:
            self.notify("No work item selected. Press a to add one.")
            return

        def submit(values: dict[str, Any]) -> WorkItem:
            # Worked out on the item as the form showed it: a field left as it was keeps a
            # teammate's newer value, and entries (time, feedback) add to the newest list.
            return self.workspace.apply(work.as_edit(item, change(item, values)))

        self._form(f"{title} — {item.title}", fields, submit)

    def action_log_minutes(self) -> None:
        item = self.selected()
        self._item_form("Log time", minutes_fields(self.workspace, item) if item else [],
                        lambda i, v: work.log_minutes(i, v["minutes"], v["person_id"], clock.now(), v["note"]))

    def action_feedback(self) -> None:
        self._item_form("+ Feedback cycle", note_fields("who asked for what (optional); enter saves"),
                        lambda i, v: work.add_feedback_cycle(i, clock.now(), v["note"]))

    def action_clarification(self) -> None:
        self._item_form("+ Clarification request", note_fields("the question asked (optional); enter saves"),
                        lambda i, v: work.add_clarification(i, clock.now(), v["note"]))

    def action_set_status(self) -> None:
        item = self.selected()
        self._item_form("Set status", status_fields(item) if item else [],
                        lambda i, v: work.set_status(i, v["status"] or i.status, clock.now()))
