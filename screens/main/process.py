"""Process (key 2): the stages from decision to live, the handoffs between them, the flowchart and the timeline."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static, TabbedContent, TabPane

from gtm_tui.data import clock
from gtm_tui.data.model import Handoff, Person, Stage
from gtm_tui.process import stages as stage_rules
from gtm_tui.process.flowchart import edge_kind
from gtm_tui.raci import raci_work
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormField, FormScreen
from gtm_tui.screens.dialogs.pilot_setup import open_pilot_setup
from gtm_tui.screens.main.base import MainScreen, choices_of, row_key
from gtm_tui.screens.widgets.line_table import LineTable
from gtm_tui.screens.widgets.links import follow, links_field, links_text
from gtm_tui.screens.widgets.process_views import flowchart_renderable, timeline_renderable
from gtm_tui.work import metrics

KIND_WORDS = {"next": "next", "skip": "skips ahead", "back": "loops back"}


def _cut(text: str, width: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _days(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def stage_fields(stage: Stage | None, people: list[Person]) -> list[FormField]:
    stage = stage or Stage()
    return [
        FormField("name", "Name", stage.name, required=True, hint="e.g. Creative review"),
        FormField("owner_id", "Owner", stage.owner_id, kind="choice", choices=choices_of(people)),
        FormField("expected_days", "Expected days", _days(stage.expected_days), hint="e.g. 2 or 0.5"),
        FormField("prerequisites", "Ready beforehand", stage.prerequisites, kind="long"),
        FormField("bottleneck", "Bottleneck", stage.bottleneck, hint="where work piles up here (empty: none)"),
        FormField("today_note", "How it works today", stage.today_note, kind="long"),
        links_field(stage.links),
    ]


def handoff_fields(handoff: Handoff | None, stages: list[Stage], source: str | None = None) -> list[FormField]:
    handoff = handoff or Handoff(from_stage_id=source or "")
    choices = choices_of(stages)
    return [
        FormField(
            "from_stage_id", "From stage", handoff.from_stage_id or None, kind="choice", choices=choices, required=True
        ),
        FormField(
            "to_stage_id", "To stage", handoff.to_stage_id or None, kind="choice", choices=choices, required=True
        ),
        FormField("what", "What is handed over", handoff.what, hint="e.g. Figma file with copy and visuals"),
        FormField("expected_days", "Expected days", _days(handoff.expected_days), hint="how long the handover takes"),
        FormField("note", "Note", handoff.note, hint="e.g. rework loop; counted as a feedback cycle"),
    ]


class ProcessScreen(MainScreen):
    SCREEN_NAME = "Process"
    SCREEN_KEY = "2"
    HELP_INTRO = (
        "The process map from deciding on a piece of content to it being live: stages (owner, expected days, what "
        "must be ready, bottlenecks), the handoffs between them (forward, skipping ahead or looping back), the "
        "flowchart and the timeline. Where the pilot RACI's R changes between two consecutive stages and no "
        "handoff joins them, a hint suggests the missing handoff; m adds it. A stage's links (where to find "
        "it: the Figma file, the drive folder) are edited with e; g opens one, y copies it."
    )
    # The footer shows adding, editing, the flowchart and the timeline (the views' tabs are on the screen);
    # the rest is in help (?) and the palette, and the hint under the stages says "m adds it".
    BINDINGS = [
        Binding("a", "add_stage", "Add stage"),
        Binding("n", "add_handoff", "Add handoff"),
        Binding("e", "edit", "Edit"),
        Binding("f", "view('flowchart')", "Flowchart"),
        Binding("t", "view('timeline')", "Timeline"),
        Binding("d,delete", "delete", "Delete", key_display="d"),
        Binding("l", "view('stages')", "Stages list", show=False),
        Binding("h", "view('handoffs')", "Handoffs", show=False),
        Binding("shift+up", "move(-1)", "Move stage up", key_display="shift+↑", show=False),
        Binding("shift+down", "move(1)", "Move stage down", key_display="shift+↓", show=False),
        Binding("p", "pilot_setup", "Pilot setup", show=False),
        Binding("m", "add_missing_handoff", "Add suggested handoff", show=False),
        Binding("g", "open_link", "Open link", show=False),
        Binding("y", "copy_link", "Copy link", show=False),
    ]
    DEFAULT_CSS = """
    ProcessScreen TabbedContent { height: 1fr; }
    ProcessScreen TabPane { padding: 0; }
    ProcessScreen #stage-detail { height: auto; max-height: 7; padding: 0 1; color: $text-muted; }
    ProcessScreen #flowchart, ProcessScreen #timeline { width: auto; padding: 0 1; }
    ProcessScreen VerticalScroll { height: 1fr; }
    ProcessScreen #handoff-hint { display: none; height: auto; padding: 0 1; color: $warning; }
    ProcessScreen #handoff-hint.-shown { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._views_drawn: dict[str, tuple[Any, ...]] = {}  # view -> (revision, width, selected stage) it shows

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static("", id="handoff-hint")
        with TabbedContent(id="views", initial="stages"):
            with TabPane("Stages (l)", id="stages"):
                table = LineTable(id="stage-table", cursor_type="row", zebra_stripes=True)
                table.add_columns("#", "Stage", "Owner", "Days", "Ready beforehand", "Bottleneck", "Today")
                yield table
                yield Static("", id="stage-detail")
            with TabPane("Handoffs (h)", id="handoffs"):
                table = LineTable(id="handoff-table", cursor_type="row", zebra_stripes=True)
                table.add_columns("From", "To", "Kind", "Days", "What is handed over", "Note")
                yield table
            with TabPane("Flowchart (f)", id="flowchart-pane"), VerticalScroll(id="flowchart-scroll"):
                yield Static(id="flowchart")
            with TabPane("Timeline (t)", id="timeline-pane"), VerticalScroll(id="timeline-scroll"):
                yield Static(id="timeline")
        yield from self.compose_footer()

    # -- showing -----------------------------------------------------------------
    @property
    def view(self) -> str:
        active = self.query_one("#views", TabbedContent).active
        return {"flowchart-pane": "flowchart", "timeline-pane": "timeline"}.get(active, active)

    def refresh_view(self) -> None:
        self._fill_stages()
        self._fill_handoffs()
        self._show_suggestions()
        self._draw()

    def _show_suggestions(self) -> None:
        """The missing handoffs, where the R changes between consecutive stages (hidden when none)."""
        hint = self.query_one("#handoff-hint", Static)
        found = raci_work.missing_handoffs(self.workspace)
        hint.set_class(bool(found), "-shown")
        if not found:
            hint.update("")
            return
        text = Text("Missing handoff: ", style="bold")
        text.append(found[0].words(self.workspace))
        more = f" (+{len(found) - 1} more)" if len(found) > 1 else ""
        text.append(f"{more} · m adds it", style="dim")
        hint.update(text)

    def _fill_stages(self) -> None:
        table = self.query_one("#stage-table", LineTable)
        selected = row_key(table)
        table.clear()
        stages = self.workspace.all(Stage)
        for number, stage in enumerate(stages, start=1):
            table.add_row(
                str(number),
                Text(stage.name),
                Text(self.workspace.name_of(Person, stage.owner_id)),
                _days(stage.expected_days),
                Text(_cut(stage.prerequisites)),
                Text(("⚠ " + _cut(stage.bottleneck)) if stage.bottleneck else "", style="red"),
                Text(_cut(stage.today_note)),
                key=stage.id,
            )
        ids = [s.id for s in stages]
        if selected in ids:
            table.move_cursor(row=ids.index(selected))
        self._show_detail()

    def _fill_handoffs(self) -> None:
        table = self.query_one("#handoff-table", LineTable)
        selected = row_key(table)
        table.clear()
        index = {stage.id: i for i, stage in enumerate(self.workspace.all(Stage))}
        pilot = self.workspace.pilot()
        focus = (pilot.focus_from_stage_id, pilot.focus_to_stage_id)
        handoffs = sorted(
            self.workspace.all(Handoff), key=lambda h: (index.get(h.from_stage_id, 0), index.get(h.to_stage_id, 0))
        )
        for h in handoffs:
            kind = edge_kind(index.get(h.from_stage_id, 0), index.get(h.to_stage_id, 0))
            is_focus = (h.from_stage_id, h.to_stage_id) == focus
            table.add_row(
                Text(self.workspace.name_of(Stage, h.from_stage_id), style="bold yellow" if is_focus else ""),
                Text(self.workspace.name_of(Stage, h.to_stage_id), style="bold yellow" if is_focus else ""),
                Text(
                    KIND_WORDS[kind] + (" ★ focus" if is_focus else ""),
                    style={"skip": "cyan", "back": "magenta"}.get(kind, ""),
                ),
                _days(h.expected_days),
                Text(_cut(h.what, 40)),
                Text(_cut(h.note, 40)),
                key=h.id,
            )
        ids = [h.id for h in handoffs]
        if selected in ids:
            table.move_cursor(row=ids.index(selected))

    def _draw(self) -> None:
        """Draw the flowchart or the timeline when it is the view shown and what it shows changed.

        Both read every work item's figures: neither is drawn while hidden,
        nor twice for the same data, width and selected stage.
        """
        view = self.view
        if view not in ("flowchart", "timeline"):
            return
        width = max(40, self.size.width - 4)
        selected = self.selected_stage_id() if view == "flowchart" else None
        state = (self._drawn, width, selected)
        if self._views_drawn.get(view) == state:
            return
        self._views_drawn[view] = state
        now = metrics.this_minute(clock.now())
        if view == "flowchart":
            self.query_one("#flowchart", Static).update(flowchart_renderable(self.workspace, width, selected, now))
        else:
            self.query_one("#timeline", Static).update(timeline_renderable(self.workspace, width, now))

    def on_resize(self) -> None:
        if self.is_mounted:
            self._draw()

    def _show_detail(self) -> None:
        stage = self.selected_stage()
        detail = self.query_one("#stage-detail", Static)
        if stage is None:
            detail.update(
                Text(
                    "No stages yet. Press a to add the first stage, "
                    "from deciding on a piece of content to it being live."
                )
            )
            return
        text = Text()
        for label, value in (
            ("Ready beforehand", stage.prerequisites),
            ("Bottleneck", stage.bottleneck),
            ("Today", stage.today_note),
        ):
            if value:
                text.append(f"{label}: ", style="bold")
                text.append(value + "\n")
        links = stage_rules.handoffs_of(self.workspace, stage)
        if links:
            text.append("Handoffs: ", style="bold")
            text.append(", ".join(self.workspace.describe(h).removeprefix("handoff ") for h in links))
        if stage.links:
            text.append("\n")
            text.append_text(links_text(stage.links))
        text.rstrip()
        detail.update(text if text.plain else Text("Nothing noted yet; e edits the stage."))

    @on(LineTable.RowHighlighted, "#stage-table")
    def _stage_highlighted(self) -> None:
        self._show_detail()

    @on(LineTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_edit()

    @on(TabbedContent.TabActivated)
    def _tab_activated(self) -> None:
        self._draw()
        table_id = {"stages": "#stage-table", "handoffs": "#handoff-table"}.get(self.view)
        if table_id:
            self.query_one(table_id, LineTable).focus()
        else:
            self.query_one(f"#{self.view}-scroll").focus()

    # -- selection -----------------------------------------------------------------

    def selected_stage_id(self) -> str | None:
        return row_key(self.query_one("#stage-table", LineTable))

    def selected_stage(self) -> Stage | None:
        return self.workspace.find(Stage, self.selected_stage_id())

    def selected_handoff(self) -> Handoff | None:
        return self.workspace.find(Handoff, row_key(self.query_one("#handoff-table", LineTable)))

    def _select(self, table_id: str, record_id: str) -> None:
        table = self.query_one(table_id, LineTable)
        table.move_cursor(row=table.get_row_index(record_id))

    # -- actions -------------------------------------------------------------------
    def action_view(self, view: str) -> None:
        """Show the stages list, the handoffs, the flowchart or the timeline."""
        pane = {"flowchart": "flowchart-pane", "timeline": "timeline-pane"}.get(view, view)
        self.query_one("#views", TabbedContent).active = pane

    def action_pilot_setup(self) -> None:
        open_pilot_setup(self)

    def action_open_link(self) -> None:
        """Open the selected stage's web link with the system's opener; a path is copied."""
        stage = self.selected_stage()
        if stage is not None:
            follow(self, stage.links, copy=False, where=stage.name)

    def action_copy_link(self) -> None:
        """Copy the selected stage's link or path to the clipboard."""
        stage = self.selected_stage()
        if stage is not None:
            follow(self, stage.links, copy=True, where=stage.name)

    def action_add_stage(self) -> None:
        people = self.workspace.all(Person)

        def submit(values: dict[str, Any]) -> Stage:
            return stage_rules.add_stage(self.workspace, values)

        def done(stage: Stage | None) -> None:
            if stage:
                self._select("#stage-table", stage.id)
                self._draw()
                self.notify(f"Added stage {stage.name}.")

        self.app.push_screen(
            FormScreen("Add a stage (it goes to the end; shift+↑ moves it)", stage_fields(None, people), submit), done
        )

    def action_add_handoff(self) -> None:
        stages = self.workspace.all(Stage)
        if len(stages) < 2:
            self.notify("A handoff joins two stages; add at least two stages first (a).")
            return
        source = self.selected_stage_id() if self.view != "handoffs" else None

        def submit(values: dict[str, Any]) -> Handoff:
            return self.workspace.add(Handoff(**stage_rules.handoff_values(values)))

        def done(handoff: Handoff | None) -> None:
            if handoff:
                self._select("#handoff-table", handoff.id)
                self.notify(f"Added the {self.workspace.describe(handoff)}.")

        self.app.push_screen(FormScreen("Add a handoff", handoff_fields(None, stages, source), submit), done)

    def action_add_missing_handoff(self) -> None:
        """Add the first suggested handoff: where the R changes between two stages and nothing joins them."""
        found = raci_work.missing_handoffs(self.workspace)
        if not found:
            self.notify("No missing handoffs: every change of R between consecutive stages has one.")
            return
        handoff = self.attempt(lambda: self.workspace.add(found[0].handoff(self.workspace)))
        if handoff is not None:
            self.action_view("handoffs")
            self.call_after_refresh(self._select, "#handoff-table", handoff.id)
            self.notify(f"Added the {self.workspace.describe(handoff)}; e says what is handed over.")

    def action_edit(self) -> None:
        if self.view == "handoffs":
            handoff = self.selected_handoff()
            if handoff is None:
                self.notify("No handoff selected. Press n to add one.")
                return

            def submit_handoff(values: dict[str, Any]) -> Handoff:
                return self.workspace.update(handoff, **stage_rules.handoff_values(values))

            title = f"Edit the {self.workspace.describe(handoff)}"
            self.app.push_screen(FormScreen(title, handoff_fields(handoff, self.workspace.all(Stage)), submit_handoff))
            return
        stage = self.selected_stage()
        if stage is None:
            self.notify("No stage selected. Press a to add one.")
            return

        def submit(values: dict[str, Any]) -> Stage:
            return self.workspace.update(stage, **stage_rules.stage_values(values))

        self.app.push_screen(
            FormScreen(f"Edit stage {stage.name}", stage_fields(stage, self.workspace.all(Person)), submit)
        )

    def action_delete(self) -> None:
        record: Stage | Handoff | None = self.selected_handoff() if self.view == "handoffs" else self.selected_stage()
        if record is None:
            self.notify("Nothing selected to delete.")
            return
        described = self.workspace.describe(record)
        effects = [effect.text for effect in self.workspace.consequences(record)]
        if record.id in (self.workspace.pilot().focus_from_stage_id, self.workspace.pilot().focus_to_stage_id):
            effects.insert(0, "it is a focus stage of the pilot: the pilot loses its focus handoff")

        def answer(confirmed: bool | None) -> None:
            if confirmed and self.attempt(lambda: self.workspace.delete(record)) is not None:
                self.notify(f"Deleted {described}. ctrl+z undoes it.")

        self.app.push_screen(
            ConfirmScreen(f"Delete {described}?", effects or ["nothing else refers to it"], yes="Delete"), answer
        )

    def action_move(self, offset: int) -> None:
        """Move the selected stage up or down the process."""
        stage = self.selected_stage()
        if stage is None:
            self.notify("No stage selected.")
            return
        moved = self.attempt(lambda: stage_rules.move_stage(self.workspace, stage, offset))
        if moved is False:
            self.notify(f"{stage.name} is already {'first' if offset < 0 else 'last'}.")
        elif moved:
            self._select("#stage-table", stage.id)
            self._draw()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Pilot setup",
            "Campaign, baseline, goal, focus stages, lead, channel, check-ins, dates",
            self.action_pilot_setup,
        )
