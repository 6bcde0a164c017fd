"""The work items list of the Metrics screen: its rows, the selected item's details, and its forms.

The Metrics screen owns the keys; this module only says how an item looks and
which fields its forms have, and turns what was typed into calls of
``gtm_tui.work`` (pure) whose result the screen saves.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from gtm_tui.data.model import WORK_STATUSES, Person, Stage, ValidationError, WorkItem, parse_date
from gtm_tui.data.workspace import Workspace
from gtm_tui.process import planning
from gtm_tui.screens.dialogs.forms import FormField
from gtm_tui.screens.main.base import choices_of
from gtm_tui.screens.widgets.charts import minutes_text
from gtm_tui.work import moving
from gtm_tui.work import work_items as work
from gtm_tui.work.metrics import Flags, duration_text, visits_of

COLUMNS = ("⚑", "Title", "Stage", "Status", "Due", "Assignee", "Fb", "Cl", "Time")
# Content widths of the columns (None: the title takes the room the others leave): the list draws
# only the rows in view, so it cannot fit its columns to every row.
COLUMN_WIDTHS = (2, None, 18, 11, 10, 16, 2, 2, 14)
STATUS_STYLE = {"done": "green", "blocked": "bold red", "in progress": "", "not started": "dim"}


def flag_badge(flags: Flags) -> Text:
    badge = Text()
    badge.append("D" if flags.delayed else " ", style="bold red")
    badge.append("R" if flags.rework else " ", style="bold magenta")
    return badge


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def item_row(workspace: Workspace, item: WorkItem, flags: Flags, now: datetime, title_width: int = 60) -> list[Any]:
    """The cells of one item in the list; flagged items are drawn bold red so they stand out."""
    time = minutes_text(work.logged_minutes(item)) if item.time_log else ""
    if work.timer_running(item):
        time = f"⏱ {work.timer_minutes(item, now)} min" + (f" + {time}" if time else "")
    return [
        flag_badge(flags),
        Text(_short(item.title, title_width), style="bold red" if flags.flagged else ""),
        Text(workspace.name_of(Stage, item.stage_id)),
        Text(item.status, style=STATUS_STYLE.get(item.status, "")),
        Text(
            item.due or "—",
            style="red" if item.status != "done" and item.due and item.due < now.date().isoformat() else "",
        ),
        Text(workspace.name_of(Person, item.assignee_id)),
        str(len(item.feedback_cycles)),
        str(len(item.clarifications)),
        Text(time, style="bold cyan" if work.timer_running(item) else ""),
    ]


def item_detail(workspace: Workspace, item: WorkItem | None, flags: Flags | None, now: datetime) -> Group | Text:
    """The selected item: why it is flagged, its visits, and its latest notes."""
    if item is None or flags is None:
        return Text("No work item selected. Press a to add one.", style="dim")
    parts: list[Any] = []
    head = Text(item.title, style="bold")
    if flags.reasons:
        head.append("  ⚑ " + "; ".join(flags.reasons), style="red")
    parts.append(head)
    if item.tags:
        parts.append(Text("Tags: " + ", ".join(item.tags), style="cyan"))
    if item.note.strip():
        lines = item.note.strip().splitlines()
        parts.append(Text("\n".join(lines[:3]) + (" …" if len(lines) > 3 else ""), style="dim"))
    visits = Table.grid(padding=(0, 2))
    for _ in range(4):
        visits.add_column()
    for visit in visits_of(item, now):
        left = visit.left.strftime("%d %b %H:%M") if visit.left else ("done" if item.status == "done" else "now")
        visits.add_row(Text(workspace.name_of(Stage, visit.stage_id)), visit.entered.strftime("%d %b %H:%M"),
                       f"→ {left}", duration_text(visit.days) + (" (inferred)" if visit.inferred else ""))
    parts.append(
        visits if item.stage_history else Text("Not in a stage yet: ] moves it into the first one.", style="dim")
    )
    parts.append(plan_lines(workspace, item, now))
    if item.comments:
        last = item.comments[-1]
        who = f" {last['author']}" if last.get("author") else ""
        parts.append(Text(f"Comments ×{len(item.comments)}, last{who} {(last.get('at') or '')[:10]}: "
                          + " ".join(str(last.get("text", "")).split())[:120], style="dim"))
    for label, entries in (("Feedback", item.feedback_cycles), ("Clarification", item.clarifications)):
        if entries:
            last = entries[-1]
            note = f": {last['note']}" if last.get("note") else ""
            parts.append(Text(f"{label} ×{len(entries)}, last {last['at'][:10]}{note}", style="dim"))
    return Group(*parts)


def plan_lines(workspace: Workspace, item: WorkItem, now: datetime) -> Text:
    """The piece's plan against what happened: planned and actual dates per stage, its live date and the risk."""
    pilot = workspace.pilot()
    stages = work.ordered_stages(workspace.all(Stage))
    calendar = planning.calendar_of(pilot)
    today = now.date()
    text = Text()
    projected = planning.projected_live(item, stages, calendar, today, pilot.live_stage_id)
    plan = planning.plan_for(item, stages, calendar, pilot.live_stage_id)
    facts = []
    if item.due:
        facts.append(f"live date {item.due}")
    if plan is not None and plan.live is not None:
        facts.append(
            f"planned live {plan.live.isoformat()} "
            f"({'from the start' if plan.direction == 'forward' else 'back from the live date'})"
        )
    if projected is not None and item.status != "done":
        facts.append(f"heading for {projected.isoformat()}")
    text.append(" · ".join(facts) or "No live date or start: e sets them, and the plan follows.", style="dim")
    risk = planning.at_risk(item, stages, calendar, today, pilot.live_stage_id)
    if risk:
        text.append(f"\n⚑ {risk}", style="bold red")
    if plan is None:
        return text
    for row in planning.planned_against_actual(item, stages, calendar, pilot.live_stage_id):
        if row.planned is None:
            continue
        name = workspace.name_of(Stage, row.stage_id)
        span = f"{row.planned.start:%d %b}" + (
            f"–{row.planned.end:%d %b}" if row.planned.end != row.planned.start else ""
        )
        text.append(f"\n  {name[:22]:<22} planned {span:<14}")
        if row.entered is not None:
            late = row.days_late or 0
            actual = f"in {row.entered:%d %b}" + (f"–{row.left:%d %b}" if row.left else "")
            text.append(f" actual {actual}", style="bold red" if late > 0 else "green")
    return text


# --------------------------------------------------------------------------
# Forms


def item_fields(workspace: Workspace, item: WorkItem | None = None) -> list[FormField]:
    item = item or WorkItem()
    return [
        FormField("title", "Title", item.title, required=True, hint="e.g. Launch blog post"),
        FormField(
            "assignee_id",
            "Assignee",
            item.assignee_id,
            kind="choice",
            choices=choices_of(workspace.all(Person)),
            hint="default: the stage's R",
        ),
        FormField(
            "due", "Live date", item.due or "", hint="YYYY-MM-DD: when it must be live (its plan runs back from it)"
        ),
        FormField(
            "start_date", "Start", item.start_date or "", hint="YYYY-MM-DD: when work starts (its plan runs forward)"
        ),
        FormField(
            "stage_id",
            "Stage",
            item.stage_id,
            kind="choice",
            choices=choices_of(work.ordered_stages(workspace.all(Stage))),
        ),
        FormField(
            "status", "Status", item.status, kind="choice", choices=[(s, s) for s in WORK_STATUSES], required=True
        ),
        FormField("fixed_owner", "Fixed owner: the assignee keeps it at every stage (] and [ hand it to no one else)",
                  item.fixed_owner, kind="yesno"),
    ]


def apply_item_form(item: WorkItem, values: dict[str, Any], now: datetime) -> WorkItem:
    """The item as the form describes it: a new stage is a move (a visit), a new status may stamp done."""
    changed = item.replace(
        title=(values.get("title") or "").strip(),
        assignee_id=values.get("assignee_id"),
        due=parse_date(values.get("due"), "due"),
        start_date=parse_date(values.get("start_date"), "start_date"),
        fixed_owner=bool(values.get("fixed_owner", item.fixed_owner)),
    )
    if values.get("stage_id") != item.stage_id:
        changed = work.move_to_stage(changed, values.get("stage_id"), now)
    status = values.get("status") or item.status
    if status != item.status:
        changed = work.set_status(changed, status, now)
    return changed


def save_item_form(workspace: Workspace, item: WorkItem, values: dict[str, Any], now: datetime) -> WorkItem:
    """Save what the edit form says; a new stage is a move with its runs (an open approval step refuses it).

    Choosing another stage in the form is taken as meant: open steps do not ask.
    """
    target = values.get("stage_id")
    edited = apply_item_form(item, {**values, "stage_id": item.stage_id}, now)
    with workspace.batch(f"edit work item '{item.title}'"):
        saved = workspace.update(item, **work.changes(item, edited))
        if target != item.stage_id:
            try:
                saved = moving.move(workspace, saved, target, now, confirmed=True)
            except moving.MoveRefused as refusal:
                raise ValidationError("stage_id", str(refusal)) from None
    return saved


def minutes_fields(workspace: Workspace, item: WorkItem) -> list[FormField]:
    return [
        FormField("minutes", "Minutes", "", required=True, hint="e.g. 45"),
        FormField("person_id", "Who", item.assignee_id, kind="choice", choices=choices_of(workspace.all(Person))),
        FormField("note", "Note", "", hint="what the time went on (optional)"),
    ]


def note_fields(hint: str) -> list[FormField]:
    return [FormField("note", "Note", "", hint=hint)]


def status_fields(item: WorkItem) -> list[FormField]:
    return [
        FormField(
            "status", "Status", item.status, kind="choice", choices=[(s, s) for s in WORK_STATUSES], required=True
        )
    ]
