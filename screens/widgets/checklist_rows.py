"""How the Checklists screen draws its rows, its detail pane and its forms.

The screen owns the keys and the table; this module says how a stage, a run,
a step and a stage step look (always as ``rich.text.Text``: what the file
holds is never read as markup) and which fields the forms have.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text

from gtm_tui.checklists.checklist_items import (
    Progress,
    due_tone,
    due_words,
    progress_bar,
)
from gtm_tui.checklists.run_views import ViewRow
from gtm_tui.checklists.runs import progress_text
from gtm_tui.data.model import ChecklistItem, Person, Run, Stage, Step, WorkItem
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.dialogs.forms import FormField
from gtm_tui.screens.main.base import choices_of
from gtm_tui.screens.widgets.links import links_field, links_text

TONE_STYLES = {"bad": "bold red", "warning": "yellow", "": ""}
COLUMNS = ("done", "item", "owner", "due", "doneby")
FIXED_WIDTHS = {"done": 3, "owner": 14, "due": 10, "doneby": 16}
BAR_WIDTH = 12
INDENT = "  "


def _bar(progress: Progress, narrow: bool) -> Text:
    style = "green" if progress.total and progress.done == progress.total else "cyan"
    return Text(progress_bar(progress, 9 if narrow else BAR_WIDTH), style=style)


def _first_name(name: str) -> str:
    return name.split(" ")[0]


class RowPainter:
    """Turns ``ViewRow`` into table cells for one drawing of the table (names looked up once)."""

    def __init__(self, workspace: Workspace, today: date, *, narrow: bool, view: str, by_item: bool = False) -> None:
        self.workspace = workspace
        self.today = today
        self.narrow = narrow
        self.view = view
        self.by_item = by_item  # one piece's runs: each run says its stage
        self.people = {person.id: person.name for person in workspace.all(Person)}
        self.stages = {stage.id: stage.name for stage in workspace.all(Stage)}

    def _cells(self, *cells: Any) -> tuple[Any, ...]:
        return cells[:4] if self.narrow else cells

    def person(self, person_id: str | None, default: str = "") -> str:
        name = self.people.get(person_id or "", default)
        return _first_name(name) if self.narrow else name

    def cells(self, row: ViewRow) -> tuple[Any, ...]:
        painter = getattr(self, "_" + row.kind.replace("-", "_"))
        return painter(row)

    def _stage(self, row: ViewRow) -> tuple[Any, ...]:
        stage = row.record
        assert isinstance(stage, Stage) and row.progress is not None
        if self.view == "steps":
            count = row.progress.total
            return self._cells("", Text(stage.name, style="bold"), Text(""),
                               Text(f"{count} step{'s' if count != 1 else ''}", style="dim"), Text(""))
        progress = row.progress
        if not progress.total:
            return self._cells("", Text(stage.name, style="bold"), Text(""), Text("—", style="dim"),
                               Text("no runs under way", style="dim"))
        return self._cells("", Text(stage.name, style="bold"), _bar(progress, self.narrow),
                           Text(f"{progress.done}/{progress.total}"), Text(f"{progress.percent}%", style="dim"))

    def _run(self, row: ViewRow) -> tuple[Any, ...]:
        run = row.record
        assert isinstance(run, Run) and row.progress is not None
        title = Text("▸ ", style="cyan")
        if row.item is not None:
            title.append(row.item.title, style="bold")
        else:
            title.append("The stage's own checklist", style="bold")
        extra = [self.stages.get(run.stage_id, "?")] if self.by_item else []
        if run.rework:
            extra.append("rework")
        if not run.open:
            extra.append(f"ended {(run.ended_at or '')[:10]}")
        if extra:
            title.append(" · " + " · ".join(extra), style="dim")
        since = Text(f"since {run.started_at[5:10]}" if run.open else "", style="dim")
        return self._cells("", title, _bar(row.progress, self.narrow), Text(progress_text(row.progress)), since)

    def _loose(self, row: ViewRow) -> tuple[Any, ...]:
        assert row.progress is not None
        title = Text("▸ ", style="cyan")
        title.append(row.item.title if row.item else "The stage's own steps", style="bold")
        title.append(" · steps in no run" + (f" · {row.record.describe()}" if self.by_item else ""), style="dim")
        return self._cells("", title, _bar(row.progress, self.narrow), Text(progress_text(row.progress)), Text(""))

    def _norun(self, row: ViewRow) -> tuple[Any, ...]:
        item = row.record
        assert isinstance(item, WorkItem)
        title = Text("▸ ", style="dim")
        title.append(item.title)
        title.append(" · no run in this stage yet: r starts it", style="dim")
        return self._cells("", title, Text(""), Text(""), Text(""))

    def _step(self, row: ViewRow) -> tuple[Any, ...]:
        step = row.record
        assert isinstance(step, ChecklistItem)
        mark = Text("[x]", style="green") if step.done else Text("[ ]")
        text = Text(INDENT if self.view != "mine" else "")
        if step.blocked:
            text.append("⚑ ", style="bold red")
        if step.approval:
            text.append("[A] ", style="bold magenta")
        text.append(step.text, style="dim" if step.done else "")
        if step.links:
            text.append(" ↗", style="cyan")
        if step.note:
            text.append(" ✎", style="dim")
        if self.view == "mine":
            where = row.item.title if row.item else "stage checklist"
            text.append(f" — {where} ({self.stages.get(step.stage_id, '?')})", style="dim")
        due = Text(step.due or "", style=TONE_STYLES[due_tone(step, self.today)])
        done_by = ""
        if step.done:
            done_by = f"{_first_name(self.people.get(step.done_by or '', '?'))} {(step.done_at or '')[5:10]}"
        return self._cells(mark, text, Text(self.person(step.owner_id)), due, Text(done_by, style="dim"))

    def _stage_step(self, row: ViewRow) -> tuple[Any, ...]:
        step = row.record
        assert isinstance(step, Step)
        text = Text(INDENT)
        if step.approval:
            text.append("[A] ", style="bold magenta")
        text.append(step.text)
        if step.links:
            text.append(" ↗", style="cyan")
        owner = self.person(step.owner_id) if step.owner_id else f"stage's {step.owner_role}"
        due = f"+{step.offset_days:g} d" if step.offset_days is not None else "stage days"
        return self._cells("", text, Text(owner), Text(due, style="dim"), Text(step.source, style="dim"))


def step_detail(workspace: Workspace, step: ChecklistItem, item: WorkItem | None, approver: str | None,
                today: date, stage_links: list[dict[str, Any]] | None = None) -> Text:
    """The selected run step in full: whose run, owner, when due, who ticked it, approval, where, blocker, note."""
    lines = Text(step.text)
    facts = [f"{item.title if item else 'stage checklist'} · {workspace.name_of(Stage, step.stage_id)}",
             f"Owner: {workspace.name_of(Person, step.owner_id, 'nobody')}", due_words(step, today)]
    if step.done:
        facts.append(f"done by {workspace.name_of(Person, step.done_by, '?')} at {step.done_at}")
    if step.approval:
        facts.append(f"approval: only {workspace.name_of(Person, approver, 'the stage A')} can tick it")
    lines.append("\n" + " · ".join(facts), style="dim")
    if step.blocked:
        lines.append(f"\n⚑ Blocked: {step.blocked}", style="red")
    if step.note:
        lines.append(f"\nNote: {step.note}")
    links = step.links or stage_links or []
    if links:
        lines.append("\n")
        lines.append_text(links_text(links))
    return lines


def stage_step_detail(workspace: Workspace, step: Step) -> Text:
    """The selected stage step: what every piece's run gets from it."""
    lines = Text(step.text)
    owner = (
        workspace.name_of(Person, step.owner_id)
        if step.owner_id
        else f"the stage's {step.owner_role} when a run starts"
    )
    due = (f"{step.offset_days:g} working day{'s' if step.offset_days != 1 else ''} after entering the stage"
           if step.offset_days is not None
           else "at the end of the stage's expected days")
    facts = [f"Owner: {owner}", f"due {due}"]
    if step.approval:
        facts.append("approval: only the stage's A can tick it")
    if step.source:
        facts.append(f"from {step.source}")
    lines.append("\n" + " · ".join(facts), style="dim")
    if step.links:
        lines.append("\n")
        lines.append_text(links_text(step.links))
    return lines


# --------------------------------------------------------------------------
# Forms


def run_step_fields(step: ChecklistItem, people: list[Person]) -> list[FormField]:
    """A run's own step: what it says, who owns it, when it is due, a note."""
    return [
        FormField("text", "What must be done", step.text, required=True,
                  hint="precise: where, who approves, format, which days …"),
        FormField("owner_id", "Owner", step.owner_id, kind="choice", choices=choices_of(people),
                  hint="default: the stage's R"),
        FormField("due", "Due", step.due or "", hint="YYYY-MM-DD, or 'today'; empty = no date"),
        FormField("note", "Note", step.note, kind="long"),
        links_field(step.links),
    ]


def stage_step_fields(step: Step, stages: list[Stage], people: list[Person]) -> list[FormField]:
    """A stage step: what every piece goes through, whose it is, approval, where to find it, when due."""
    return [
        FormField("text", "What every piece must go through", step.text, required=True,
                  hint="precise: where, who approves, format, which days …"),
        FormField("stage_id", "Stage", step.stage_id, kind="choice", choices=choices_of(stages), required=True),
        FormField("owner_id", "Owner (a person)", step.owner_id, kind="choice", choices=choices_of(people),
                  hint="empty: the stage's R or A below, when each run starts"),
        FormField("owner_role", "… else the stage's", step.owner_role, kind="choice",
                  choices=[("R (does the work)", "R"), ("A (approves)", "A")], required=True),
        FormField("approval", "Approval step (only the stage's A ticks it)", step.approval, kind="yesno"),
        links_field(step.links),
        FormField("offset_days", "Due after (working days)",
                  "" if step.offset_days is None else f"{step.offset_days:g}",
                  hint="days after entering the stage; empty: the stage's expected days"),
    ]

