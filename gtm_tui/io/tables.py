"""The pilot as tables of rows: what the CSV folder and the Excel workbook both hold.

One ``Table`` a record kind, one ``Column`` a field. A person reads names
(the stage, the owner), a round trip needs ids, so a reference has both: a
``name`` column for reading and an ``… id`` column the import trusts (when
the id is left empty the import looks the name up instead, so a team can add
rows by hand). Dates are real dates, numbers numbers, yes/no booleans; the
lists a work item keeps (stage history, time log …) ride along as JSON.

Every table of the file has its sheet, the pilot's set-up too (one row: an
import updates the file's pilot, never adds one), so an export imported into
a new file is a full copy; ``tests/test_io_full_copy.py`` says what differs.

The RACI matrix is a ``RaciTable``: one row a stage (and activity), one
column a person, the role in the cell — as the team draws it on a whiteboard.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from gtm_tui.data.model import (
    WEEKDAYS,
    ActionItem,
    BaselineItem,
    CheckIn,
    ChecklistItem,
    ChecklistTemplate,
    Conflict,
    Feedback,
    Handoff,
    Person,
    Pilot,
    Question,
    RaciAssignment,
    Recommendation,
    Record,
    Run,
    Stage,
    Step,
    Theme,
    ValidationError,
    WorkItem,
    parse_date,
    parse_number,
    parse_time,
)
from gtm_tui.data.workspace import Workspace
from gtm_tui.io.cells import restore
from gtm_tui.work.working_time import parse_working_week, week_text

# kinds: id, text, long, int, number, bool, date, stamp, json, ref (an id), name (shows a ref), count (len of a list),
# minutes (sum of a time log), weekday (its name), week (working days in words), time (HH:MM), any (JSON of any value)
READ_ONLY_KINDS = ("name", "count", "minutes")


@dataclass(frozen=True)
class Column:
    """One column: its header, the record field behind it and how its cells are typed."""

    header: str
    field: str
    kind: str = "text"
    ref: type[Record] | None = None
    width: int = 14


@dataclass(frozen=True)
class Table:
    """One sheet / one CSV file: a record kind as rows."""

    key: str  # file name without .csv
    title: str  # sheet title
    kind: type[Record]
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class RaciTable:
    """One layer of the RACI matrix: stages (and activities) down, people across."""

    key: str
    title: str
    layer: str


def _stamps() -> tuple[Column, ...]:
    return (Column("created at", "created_at", "stamp", width=18),
            Column("updated at", "updated_at", "stamp", width=18))


def _ref(header: str, field: str, kind: type[Record], width: int = 18) -> tuple[Column, ...]:
    return (Column(header, field, "name", kind, width), Column(f"{header} id", field, "ref", kind, 13))


ID = Column("id", "id", "id", width=13)

PEOPLE = Table("people", "People", Person, (
    ID, Column("name", "name", width=22), Column("role", "role", width=26), Column("team", "team"),
    Column("contact", "contact", width=30), Column("external", "external", "bool", width=9),
    Column("source", "source"), *_stamps(),
))
STAGES = Table("stages", "Stages", Stage, (
    ID, Column("position", "position", "int", width=9), Column("name", "name", width=22),
    *_ref("owner", "owner_id", Person), Column("expected days", "expected_days", "number", width=9),
    Column("prerequisites", "prerequisites", "long", width=40), Column("bottleneck", "bottleneck", "long", width=40),
    Column("how it works today", "today_note", "long", width=40), Column("source", "source"),
    Column("links (JSON)", "links", "json", width=30), *_stamps(),
))
HANDOFFS = Table("handoffs", "Handoffs", Handoff, (
    ID, *_ref("from", "from_stage_id", Stage), *_ref("to", "to_stage_id", Stage),
    Column("what is handed over", "what", "long", width=40),
    Column("expected days", "expected_days", "number", width=9), Column("note", "note", "long", width=30), *_stamps(),
))
STEPS = Table("steps", "Stage steps", Step, (
    ID, *_ref("stage", "stage_id", Stage), Column("position", "position", "int", width=9),
    Column("text", "text", "long", width=44), *_ref("owner", "owner_id", Person),
    Column("owner role", "owner_role", width=8), Column("approval", "approval", "bool", width=9),
    Column("due after (working days)", "offset_days", "number", width=9),
    Column("source", "source", width=18), Column("links (JSON)", "links", "json", width=30), *_stamps(),
))
RUNS = Table("runs", "Runs", Run, (
    ID, *_ref("work item", "work_item_id", WorkItem, 30), *_ref("stage", "stage_id", Stage),
    Column("started at", "started_at", "stamp", width=18), Column("ended at", "ended_at", "stamp", width=18),
    Column("rework", "rework", "bool", width=8), Column("note", "note", "long", width=24), *_stamps(),
))
CHECKLIST_ITEMS = Table("checklist_items", "Checklist items", ChecklistItem, (  # the runs' steps
    ID, *_ref("stage", "stage_id", Stage), *_ref("work item", "work_item_id", WorkItem, 30),
    Column("run id", "run_id", "ref", Run, 13), Column("stage step id", "step_id", "ref", Step, 13),
    Column("position", "position", "int", width=9),
    Column("text", "text", "long", width=44), *_ref("owner", "owner_id", Person),
    Column("due", "due", "date", width=11),
    Column("done", "done", "bool", width=7), *_ref("done by", "done_by", Person),
    Column("done at", "done_at", "stamp", width=18), Column("approval", "approval", "bool", width=9),
    Column("blocked", "blocked", "long", width=24), Column("note", "note", "long", width=24),
    Column("source", "source", width=18), Column("links (JSON)", "links", "json", width=30), *_stamps(),
))
def _work_columns() -> tuple[Column, ...]:
    """A piece of work's columns: the pilot's work items and the past campaign's baseline items alike."""
    return (
        ID, Column("title", "title", width=36), *_ref("stage", "stage_id", Stage),
        *_ref("assignee", "assignee_id", Person),
        Column("status", "status", width=12), Column("due", "due", "date", width=11),  # the live date
        Column("start", "start_date", "date", width=11),
        Column("done at", "done_at", "stamp", width=18), Column("rework", "rework", "bool", width=8),
        Column("delayed", "delayed", "bool", width=8), Column("fixed owner", "fixed_owner", "bool", width=8),
        Column("feedback cycles", "feedback_cycles", "count", width=9),
        Column("clarifications", "clarifications", "count", width=9),
        Column("minutes logged", "time_log", "minutes", width=9), Column("description", "note", "long", width=40),
        Column("tags (JSON)", "tags", "json", width=24),
        Column("source", "source", width=18), Column("stage history (JSON)", "stage_history", "json", width=30),
        Column("time log (JSON)", "time_log", "json", width=30),
        Column("feedback cycles (JSON)", "feedback_cycles", "json", width=30),
        Column("clarifications (JSON)", "clarifications", "json", width=30),
        Column("comments (JSON)", "comments", "json", width=30),
        Column("timer started at", "timer_started_at", "stamp", width=18), *_stamps(),
    )


WORK_ITEMS = Table("work_items", "Work items", WorkItem, _work_columns())
# The past campaign's pieces the baseline was measured from; their stages are soft links (see BaselineItem).
BASELINE_ITEMS = Table("baseline_items", "Baseline items", BaselineItem, _work_columns())
QUESTIONS = Table("questions", "Questions", Question, (
    ID, Column("position", "position", "int", width=9), Column("question", "text", "long", width=60), *_stamps(),
))
THEMES = Table("themes", "Themes", Theme, (
    ID, Column("name", "name", width=44), Column("dots counted", "tally", "int", width=9),
    Column("votes (JSON)", "votes", "json", width=30), *_stamps(),
))
FEEDBACK = Table("feedback", "Feedback", Feedback, (
    ID, *_ref("question", "question_id", Question, 36), *_ref("person", "person_id", Person),
    Column("phase", "phase", width=8), Column("answer", "text", "long", width=60),
    *_ref("theme", "theme_id", Theme, 30), Column("position", "position", "int", width=9), *_stamps(),
))
ACTION_ITEMS = Table("action_items", "Action items", ActionItem, (
    ID, Column("title", "title", "long", width=44), *_ref("owner", "owner_id", Person),
    Column("due", "due", "date", width=11),
    Column("status", "status", width=12), Column("priority", "priority", "bool", width=9),
    *_ref("theme", "theme_id", Theme, 30), Column("note", "note", "long", width=30),
    Column("links (JSON)", "links", "json", width=30), *_stamps(),
))
RECOMMENDATIONS = Table("recommendations", "Recommendations", Recommendation, (
    ID, Column("kind", "kind", width=14), *_ref("stage", "stage_id", Stage),
    Column("recommendation", "text", "long", width=60), *_stamps(),
))
CHECKINS = Table("checkins", "Check-ins", CheckIn, (
    ID, Column("date", "date", "date", width=11), Column("notes", "notes", "long", width=50),
    Column("attendees (JSON)", "attendee_ids", "json", width=30),
    Column("blockers (JSON)", "blockers", "json", width=40),
    Column("ticked (JSON)", "ticked", "json", width=40), *_stamps(),
))
TEMPLATES = Table("templates", "Templates", ChecklistTemplate, (
    ID, Column("name", "name", width=30), Column("lines (JSON)", "items", "json", width=60), *_stamps(),
))
PILOT = Table("pilot", "Pilot set-up", Pilot, (  # one row: the file's pilot, in the words of the set-up form
    ID, Column("name", "name", width=30), Column("campaign", "campaign", width=30),
    Column("campaign start", "campaign_start", "date", width=11),
    Column("campaign end", "campaign_end", "date", width=11),
    Column("baseline figures (JSON)", "baseline", "json", width=40), Column("goal", "goal", "long", width=50),
    *_ref("focus from stage", "focus_from_stage_id", Stage), *_ref("focus to stage", "focus_to_stage_id", Stage),
    *_ref("pilot lead", "lead_id", Person), Column("channel", "channel"),
    Column("check-in weekday", "checkin_weekday", "weekday", width=11),
    Column("check-in time", "checkin_time", "time", width=9), Column("time zone", "time_zone", width=16),
    Column("pilot start", "start_date", "date", width=11), Column("pilot end", "end_date", "date", width=11),
    Column("status", "status", width=10), Column("follow-up check", "follow_up_date", "date", width=11),
    Column("dots each person may give", "dot_limit", "int", width=9),
    Column("lead's conclusion", "conclusion", width=16),
    Column("conclusion (words)", "conclusion_note", "long", width=50),
    Column("working week", "working_days", "week", width=14),
    Column("delay grace (%)", "delay_grace_percent", "number", width=9),
    Column("delay grace at least (days)", "delay_grace_days", "number", width=9),
    Column("days off (JSON)", "days_off", "json", width=30), *_ref("live at the end of", "live_stage_id", Stage),
    Column("baseline taken from (JSON)", "baseline_source", "json", width=40),
    Column("review phase", "review_phase", width=10), Column("phase ends at", "phase_ends_at", "stamp", width=18),
    *_stamps(),
))
CONFLICTS = Table("conflicts", "Merge conflicts", Conflict, (  # what a merge chose, until someone resolves it
    ID, Column("table", "table", width=16), Column("record id", "record_id", "ref", width=13),
    Column("field", "field", width=16), Column("kept (JSON)", "kept", "any", width=30),
    Column("losing (JSON)", "losing", "any", width=30), Column("sides", "sides", width=18),
    Column("when", "when", "stamp", width=18), *_stamps(),
))
RACI_PILOT = RaciTable("raci_pilot", "RACI (pilot)", "pilot")
RACI_TODAY = RaciTable("raci_today", "RACI (today)", "today")

# The order a reader meets them (sheets, files).
EXPORT_ORDER: tuple[Table | RaciTable, ...] = (
    PILOT, STAGES, HANDOFFS, STEPS, RACI_PILOT, RACI_TODAY, WORK_ITEMS, RUNS, CHECKLIST_ITEMS, FEEDBACK, ACTION_ITEMS,
    RECOMMENDATIONS, CHECKINS, PEOPLE, QUESTIONS, THEMES, TEMPLATES, BASELINE_ITEMS, CONFLICTS,
)
# The order an import needs them: what is referred to comes first (a conflict names any record: last).
IMPORT_ORDER: tuple[Table | RaciTable, ...] = (
    PEOPLE, STAGES, PILOT, HANDOFFS, STEPS, TEMPLATES, WORK_ITEMS, BASELINE_ITEMS, RUNS, CHECKLIST_ITEMS, QUESTIONS,
    THEMES, FEEDBACK, ACTION_ITEMS, RECOMMENDATIONS, CHECKINS, RACI_PILOT, RACI_TODAY, CONFLICTS,
)
BY_KEY: dict[str, Table | RaciTable] = {table.key: table for table in EXPORT_ORDER}
BY_TITLE: dict[str, Table | RaciTable] = {table.title.casefold(): table for table in EXPORT_ORDER}
RACI_FIXED_HEADERS = ("stage id", "stage", "activity")


# -- export -------------------------------------------------------------------------


def export_value(workspace: Workspace, record: Record, column: Column) -> Any:
    """The cell for ``column`` of ``record``: date, naive-UTC datetime, bool, number, or text."""
    value = getattr(record, column.field)
    if column.kind == "name":
        return workspace.name_of(column.ref, value, "") if value else ""  # type: ignore[arg-type]
    if column.kind == "count":
        return len(value)
    if column.kind == "minutes":
        return sum(entry.get("minutes") or 0 for entry in value)
    if column.kind == "date":
        return date.fromisoformat(value) if value else None
    if column.kind == "stamp":
        if not value:
            return None
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        return moment
    if column.kind == "json":
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    if column.kind == "any":  # None, 0 and "" are values here too
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if column.kind == "weekday":
        return None if value is None else WEEKDAYS[value]
    if column.kind == "week":
        return week_text(value)
    if value is None:
        return None
    return value


def table_rows(workspace: Workspace, table: Table | RaciTable) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of ``table`` for this workspace."""
    if isinstance(table, RaciTable):
        return raci_rows(workspace, table)
    headers = [column.header for column in table.columns]
    records = workspace.all(table.kind)
    rows = [[export_value(workspace, record, column) for column in table.columns] for record in records]
    return headers, rows


def raci_rows(workspace: Workspace, table: RaciTable) -> tuple[list[str], list[list[Any]]]:
    """The matrix of one layer: every stage (so gaps show), and every activity that has a role."""
    people = workspace.all(Person)
    cells: dict[tuple[str, str], dict[str, str]] = {}
    activities: dict[str, dict[str, str]] = {}
    for assignment in workspace.all(RaciAssignment):
        if assignment.layer != table.layer:
            continue
        key = assignment.activity.strip().casefold()
        activities.setdefault(assignment.stage_id, {}).setdefault(key, assignment.activity.strip())
        cells.setdefault((assignment.stage_id, key), {})[assignment.person_id] = assignment.role
    headers = [*RACI_FIXED_HEADERS, *(person.name for person in people)]
    rows = []
    for stage in workspace.all(Stage):
        names = activities.get(stage.id, {})
        keys = [""] + sorted(k for k in names if k)
        for key in keys:
            roles = cells.get((stage.id, key), {})
            rows.append([stage.id, stage.name, names.get(key, ""), *(roles.get(person.id, "") for person in people)])
    return headers, rows


# -- import -------------------------------------------------------------------------

KEEP = object()  # an empty cell leaves the field as it is (a new record: its default)


def empty_value(kind: type[Record], name: str) -> Any:
    """What an empty cell means for field ``name``: "" for text, None where a field may be unset, else ``KEEP``.

    A list, a count or a setting with a default (the working week, the delay grace) cannot be
    emptied from a cell: a spreadsheet app drops empty cells, and the record must stay valid.
    """
    default = next(f.default for f in dataclasses.fields(kind) if f.name == name)
    return default if default is None or default == "" else KEEP


def _weekday(raw: Any, header: str) -> int:
    """A weekday by its name or first letters ("Tuesday", "tue"), or its number (0 = Monday)."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and raw in range(7):
        return int(raw)
    word = str(raw).strip().casefold()
    if word.isdigit() and int(word) in range(7):
        return int(word)
    for number, name in enumerate(WEEKDAYS):
        if len(word) >= 2 and name.casefold().startswith(word):
            return number
    raise ValidationError(header, f"'{raw}' is not a weekday (Monday … Sunday)")


def _time(raw: Any, header: str) -> str | None:
    """HH:MM typed as text, or a time a spreadsheet app made of it (a time, a date and time, a fraction of a day)."""
    if isinstance(raw, datetime):
        raw = raw.time()
    if isinstance(raw, time):
        return raw.strftime("%H:%M")
    if isinstance(raw, float) and 0 <= raw < 1:
        minutes = min(round(raw * 24 * 60), 24 * 60 - 1)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    return parse_time(str(raw), header)


TRUE_WORDS = ("yes", "y", "true", "1", "x", "✓")
FALSE_WORDS = ("no", "n", "false", "0", "")


def import_value(raw: Any, column: Column) -> Any:
    """A cell as read (text from CSV, typed from Excel) turned into the stored value.

    ``ValidationError`` when it cannot be.
    """
    if isinstance(raw, str):
        raw = restore(raw)
    empty = raw is None or (isinstance(raw, str) and not raw.strip())
    kind, header = column.kind, column.header
    if kind in ("text", "long"):
        if empty:
            return ""
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        return str(raw) if kind == "long" else str(raw).strip()
    if kind in ("id", "ref"):
        if isinstance(raw, (int, float)) and not isinstance(raw, bool) and float(raw).is_integer():
            return f"{int(raw):012d}"  # an all-digit id a spreadsheet took for a number (and dropped its zeros)
        return None if empty else str(raw).strip()
    if kind == "int":
        number = parse_number(raw if not isinstance(raw, str) else raw.strip(), header, minimum=None)
        if number is None:
            return 0
        if not isinstance(number, int):
            raise ValidationError(header, f"{raw!r} is not a whole number")
        return number
    if kind == "number":
        return parse_number(raw, header)
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        word = "" if raw is None else str(raw).strip().casefold()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValidationError(header, f"'{raw}' is not yes or no")
    if kind == "date":
        if isinstance(raw, datetime):
            return raw.date().isoformat()
        if isinstance(raw, date):
            return raw.isoformat()
        return parse_date(None if empty else str(raw), header)
    if kind == "stamp":
        if empty:
            return "" if column.field in ("created_at", "updated_at") else None
        if isinstance(raw, datetime):
            moment = raw
        else:
            try:
                moment = datetime.fromisoformat(str(raw).strip().replace("Z", "+00:00"))
            except ValueError:
                raise ValidationError(header, f"'{raw}' is not a date and time (YYYY-MM-DDTHH:MM)") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat()
    if kind in ("json", "any"):
        if empty:
            return None
        try:
            return json.loads(str(raw))
        except ValueError:
            raise ValidationError(header, "is not valid JSON (leave it as exported, or empty)") from None
    if kind == "weekday":
        return None if empty else _weekday(raw, header)
    if kind == "week":
        return None if empty else parse_working_week(str(raw))
    if kind == "time":
        return None if empty else _time(raw, header)
    raise AssertionError(f"unknown column kind {kind}")
