"""An Asana project exported as CSV (project menu → Export/Print → CSV), brought in.

Sections become stages (in the order they first appear), tasks become work
items in their section's stage (assignee, due date; a completed date means
done), subtasks — rows whose "Parent task" is set — become checklist items of
their parent's stage, and assignees become people (their e-mail as contact).

Every record remembers its origin in ``source`` ("asana:<task id>"), so
importing the export again updates instead of duplicating. A row that cannot
be read (no name, an impossible date, a parent that is not in the file) stops
the import with its line number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from gtm_tui.io.importing import BadRow, ImportPlan, PlanBuilder, read_csv_rows
from gtm_tui.data.model import ChecklistItem, Person, Stage, ValidationError, WorkItem, parse_date
from gtm_tui.data import order
from gtm_tui.data.workspace import Workspace

PREFIX = "asana:"
COLUMNS = ("Task ID", "Completed At", "Name", "Section/Column", "Assignee", "Assignee Email", "Due Date", "Parent task", "Notes")


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
    completed: str | None
    parent: str
    notes: str


def _date(text: str, column: str) -> str | None:
    """Asana writes ``YYYY-MM-DD`` (newer exports may add a time, which is dropped)."""
    text = text.strip()
    if len(text) > 10 and text[10] in "T ":
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            pass
    return parse_date(text, column)


def read_rows(path: Path) -> list[Row]:
    """Every row of the export, checked; ``BadRow`` with the line of the first that cannot be read."""
    headers, raw_rows = read_csv_rows(path)
    index = {name.casefold(): i for i, name in enumerate(headers)}
    if "name" not in index:
        raise BadRow(f"{path.name} line 1", "has no 'Name' column; is this an Asana CSV export?")
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
            rows.append(Row(
                where=where, task_id=cell("Task ID"), name=name, section=cell("Section/Column"),
                assignee=cell("Assignee"), email=cell("Assignee Email"), due=_date(cell("Due Date"), "Due Date"),
                completed=_date(cell("Completed At"), "Completed At"), parent=cell("Parent task"), notes=cell("Notes"),
            ))
        except ValidationError as error:
            raise BadRow(where, str(error)) from None
    return rows


def plan(workspace: Workspace, path: Path) -> ImportPlan:
    """Plan the import of an Asana project CSV (nothing is written)."""
    rows = read_rows(path)
    builder = PlanBuilder(workspace, f"Asana export {path.name}")
    tasks = [row for row in rows if not row.parent]
    by_name = {row.name.casefold(): row for row in tasks}
    by_id = {row.task_id: row for row in tasks if row.task_id}
    for row in rows:
        if row.parent and row.parent not in by_id and row.parent.casefold() not in by_name:
            raise BadRow(row.where, f"Parent task: '{row.parent}' is not a task in this file")
    people = _plan_people(builder, rows)
    stages = _plan_sections(builder, tasks)
    for row in tasks:
        _plan_task(builder, row, stages, people)
    next_position: dict[str, int] = {}
    for row in rows:
        if row.parent:
            parent = by_id.get(row.parent) or by_name[row.parent.casefold()]
            _plan_subtask(builder, row, parent, stages, people, next_position)
    return builder.plan


def _source(row: Row) -> str:
    return PREFIX + (row.task_id or row.name.casefold())


def _plan_people(builder: PlanBuilder, rows: list[Row]) -> dict[str, str]:
    """Assignee name -> person id; an assignee already on the team (same name) is that person."""
    found: dict[str, str] = {}
    for row in rows:
        if not row.assignee or row.assignee.casefold() in found:
            continue
        source = PREFIX + (row.email or row.assignee).casefold()
        person = builder.by_source(Person, source) or builder.by_name(Person, row.assignee)
        if person is None:
            person = Person(name=row.assignee, contact=row.email, source=source)
        elif not person.source:
            person = person.replace(source=source, contact=person.contact or row.email)
        found[row.assignee.casefold()] = builder.put(person, row.where).id
    return found


def _plan_sections(builder: PlanBuilder, tasks: list[Row]) -> dict[str, str]:
    """Section name -> stage id, new stages after the existing ones in the order the export lists them."""
    found: dict[str, str] = {}
    next_position = order.next_position(builder.all(Stage))
    for row in tasks:
        if not row.section or row.section.casefold() in found:
            continue
        source = PREFIX + "section:" + row.section.casefold()
        stage = builder.by_source(Stage, source) or builder.by_name(Stage, row.section)
        if stage is None:
            stage = Stage(name=row.section, position=next_position, source=source)
            next_position += 1
        elif not stage.source:
            stage = stage.replace(source=source)
        found[row.section.casefold()] = builder.put(stage, row.where).id
    return found


def _plan_task(builder: PlanBuilder, row: Row, stages: dict[str, str], people: dict[str, str]) -> None:
    values: dict[str, Any] = {
        "title": row.name,
        "due": row.due,
        "stage_id": stages.get(row.section.casefold()),
        "assignee_id": people.get(row.assignee.casefold()),
    }
    if row.completed:
        values.update(status="done", done_at=f"{row.completed}T00:00:00+00:00")
    item = builder.by_source(WorkItem, _source(row))
    if item is None:
        item = WorkItem(**values, source=_source(row))
    else:
        if not row.completed and item.status == "done":
            values.update(status="in progress", done_at=None)
        item = item.replace(**values)
    builder.put(item, row.where)


def _plan_subtask(
    builder: PlanBuilder, row: Row, parent: Row, stages: dict[str, str], people: dict[str, str], next_position: dict[str, int]
) -> None:
    stage_id = stages.get((row.section or parent.section).casefold())
    if stage_id is None:
        raise BadRow(row.where, f"its parent task '{parent.name}' has no section, so there is no stage for this checklist item")
    note = f"Subtask of '{parent.name}' in Asana" + (f"\n{row.notes}" if row.notes else "")
    values: dict[str, Any] = {
        "stage_id": stage_id,
        "text": row.name,
        "owner_id": people.get(row.assignee.casefold()),
        "due": row.due,
        "done": bool(row.completed),
        "done_at": f"{row.completed}T00:00:00+00:00" if row.completed else None,
        "note": note,
    }
    item = builder.by_source(ChecklistItem, _source(row))
    if item is None:
        if stage_id not in next_position:
            stage_items = (i for i in builder.all(ChecklistItem) if i.stage_id == stage_id)
            next_position[stage_id] = order.next_position(stage_items)
        item = ChecklistItem(**values, position=next_position[stage_id], source=_source(row))
        next_position[stage_id] += 1
    else:
        item = item.replace(**values)
    builder.put(item, row.where)
