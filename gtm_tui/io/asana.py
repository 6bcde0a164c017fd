"""An Asana project exported as CSV (project menu → Export/Print → CSV), brought in.

Sections become stages in the order the export lists them (Asana writes a
project's tasks section by section, so the first task of each section gives
the order), tasks become work items in their section's stage, and subtasks —
rows whose "Parent task" is set — become checklist items of their parent,
in the parent's stage. Assignees become people (their e-mail as contact).

A task's "Created At" opens its one visit (the export has no history of moves
between sections, and the summary says so), "Completed At" makes it done;
"Notes" are kept as its note; "Tags" and every custom field the export adds
(a column beyond Asana's own, "Priority: High") are kept as tags.

Every record remembers its origin in ``source`` ("asana:<task id>"), so
importing the export again updates instead of duplicating. A row that cannot
be read (no name, an impossible date, a parent that is not in the file) stops
the import with its line number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

from gtm_tui.data.model import ValidationError, parse_date
from gtm_tui.data.workspace import Workspace
from gtm_tui.io.history import Check, History, Item, Member, Place, Visit, loose, parse_instant
from gtm_tui.io.history_import import plan_history
from gtm_tui.io.importing import BadRow, ImportPlan, ReadOptions, read_csv_rows

PREFIX = "asana:"
OPTIONS: tuple[str, ...] = ()  # dates only, one list of sections: nothing to say about reading it
# Asana's own columns; any other column of the export is a custom field.
OWN_COLUMNS = (
    "Task ID",
    "Created At",
    "Completed At",
    "Last Modified",
    "Name",
    "Section/Column",
    "Assignee",
    "Assignee Email",
    "Start Date",
    "Due Date",
    "Tags",
    "Notes",
    "Projects",
    "Parent task",
    "Parent Task",
    "Blocked By (Dependencies)",
    "Blocking (Dependencies)",
    "Parent task ID",
    "Type",
    "Approval Status",
)


@dataclass
class Row:
    """One task of the export, read and checked."""

    where: str
    task_id: str
    name: str
    section: str
    assignee: str
    email: str
    due: str | None
    created: datetime | None
    completed: datetime | None
    parent: str
    notes: str
    tags: list[str] = field(default_factory=list)


def _date(text: str, column: str) -> str | None:
    """Asana writes ``YYYY-MM-DD`` (newer exports may add a time, which is dropped)."""
    text = text.strip()
    if len(text) > 10 and text[10] in "T ":
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            pass
    return parse_date(text, column)


def _moment(text: str, column: str) -> datetime | None:
    """A date (midnight UTC) or, in newer exports, an instant."""
    instant = parse_instant(text) if len(text.strip()) > 10 else None
    if instant is not None:
        return instant
    day = _date(text, column)
    return datetime.combine(date.fromisoformat(day), time(0), UTC) if day else None


def read_rows(path: Path) -> list[Row]:
    """Every row of the export, checked; ``BadRow`` with the line of the first that cannot be read."""
    headers, raw_rows = read_csv_rows(path)
    index = {name.casefold(): i for i, name in enumerate(headers)}
    if "name" not in index:
        raise BadRow(f"{path.name} line 1", "has no 'Name' column; is this an Asana CSV export?")
    own = {name.casefold() for name in OWN_COLUMNS}
    custom = [(i, name) for i, name in enumerate(headers) if name and name.casefold() not in own]
    rows = []
    for line, cells in raw_rows:

        def cell(column: str, cells: list[str] = cells) -> str:
            position = index.get(column.casefold())
            return cells[position].strip() if position is not None and position < len(cells) else ""

        where = f"{path.name} line {line}"
        try:
            name = cell("Name")
            if not name:
                raise ValidationError("Name", "is empty; every task needs a name")
            tags = [tag.strip() for tag in cell("Tags").split(",") if tag.strip()]
            tags += [f"{column}: {cells[i].strip()}" for i, column in custom if i < len(cells) and cells[i].strip()]
            rows.append(
                Row(
                    where=where,
                    task_id=cell("Task ID"),
                    name=name,
                    section=cell("Section/Column"),
                    assignee=cell("Assignee"),
                    email=cell("Assignee Email"),
                    due=_date(cell("Due Date"), "Due Date"),
                    created=_moment(cell("Created At"), "Created At"),
                    completed=_moment(cell("Completed At"), "Completed At"),
                    parent=cell("Parent task"),
                    notes=cell("Notes"),
                    tags=list(dict.fromkeys(tags)),
                )
            )
        except ValidationError as error:
            raise BadRow(where, str(error)) from None
    return rows


def plan(workspace: Workspace, path: Path, options: ReadOptions | None = None) -> ImportPlan:
    """Plan the import of an Asana project CSV (nothing is written)."""
    return plan_history(workspace, read(path, options or ReadOptions()))


def _key(row: Row) -> str:
    return PREFIX + (row.task_id or row.name.casefold())


def read(path: Path, options: ReadOptions) -> History:
    """The project's sections, tasks and subtasks as a ``History``."""
    rows = read_rows(path)
    history = History(
        f"Asana export {path.name}",
        path.name,
        "asana",
        missing=["feedback cycles per item", "clarification requests per item"],
    )
    tasks = [row for row in rows if not row.parent]
    by_name = {row.name.casefold(): row for row in tasks}
    by_id = {row.task_id: row for row in tasks if row.task_id}
    for row in rows:
        if row.parent and row.parent not in by_id and row.parent.casefold() not in by_name:
            raise BadRow(row.where, f"Parent task: '{row.parent}' is not a task in this file")
    sections: dict[str, Place] = {}
    for row in tasks:  # the order the export lists them: Asana writes a project section by section
        if row.section and loose(row.section) not in sections:
            sections[loose(row.section)] = Place(PREFIX + "section:" + row.section.casefold(), row.section)
    history.places = list(sections.values())
    members: dict[str, Member] = {}
    for row in rows:
        if row.assignee and row.assignee.casefold() not in members:
            members[row.assignee.casefold()] = Member(
                PREFIX + (row.email or row.assignee).casefold(), row.assignee, row.email
            )
    history.members = list(members.values())
    items: dict[str, Item] = {}
    for row in tasks:
        place = sections[loose(row.section)].key if row.section else None
        item = Item(
            _key(row),
            row.name,
            row.where,
            place=place,
            due=row.due,
            description=row.notes,
            tags=row.tags,
            done_at=row.completed,
        )
        if row.assignee:
            item.assignees = [members[row.assignee.casefold()].key]
        if place and row.created:
            item.visits = [Visit(place, row.created)]
        items[_key(row)] = item
        history.items.append(item)
    for row in rows:
        if not row.parent:
            continue
        parent = by_id.get(row.parent) or by_name[row.parent.casefold()]
        if not parent.section and not row.section:
            raise BadRow(
                row.where,
                f"its parent task '{parent.name}' has no section, so there is no stage for this checklist item",
            )
        items[_key(parent)].checks.append(
            Check(
                _key(row),
                row.name,
                done=row.completed is not None,
                done_at=row.completed,
                owner=members[row.assignee.casefold()].key if row.assignee else None,
                due=row.due,
                note=f"Subtask of '{parent.name}' in Asana" + (f"\n{row.notes}" if row.notes else ""),
            )
        )
    history.notes.append(
        "Asana's CSV export has no history of moves between sections: each task has one visit, "
        "in its section today, from its creation."
    )
    return history
