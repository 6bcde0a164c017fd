"""A Jira Cloud CSV export (Filters → Export → CSV, all or current fields), brought in.

Issues become work items (summary, assignee → person, due date, labels →
tags, comments with their dates, description → note); statuses become stages,
ordered as Jira orders their status categories (To Do, then In Progress, then
Done; statuses of one category in the order the file first shows them);
sub-tasks become checklist items of their parent, tied to it; epics are not
work: each becomes a tag ("epic: Spring launch") on the issues under it.

The CSV has no transition history. What it does tell — when an issue was
created, when its status category last changed, when it was resolved — gives
its visits: from creation in the workflow's first To Do status, then in its
status today from the last category change. The time before the current
status counts for the item's span (brief to live) but, being inferred, not
for time in a stage; the summary says so.

The export is read as Jira writes it: columns repeated once per value (Labels,
Comment, Watchers …), multi-line cells, CRLF, a comma or — re-saved by a
spreadsheet in some locales — a semicolon, hundreds of columns, and headers,
month names and AM/PM in the exporting person's language (see
``jira_columns`` and ``jira_dates``). Times are that person's local time and
are read in the team's zone (``--tz``, else this machine's).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path

from gtm_tui.data.workspace import Workspace
from gtm_tui.io.history import (
    Check,
    Comment,
    History,
    Item,
    Member,
    Place,
    Visit,
    from_local,
    is_done_name,
    loose,
    zone_of,
)
from gtm_tui.io.history_import import plan_history
from gtm_tui.io.importing import BadRow, ImportPlan, ReadOptions, read_csv_rows
from gtm_tui.io.jira_columns import find_columns, plain
from gtm_tui.io.jira_dates import JiraDateError, JiraDates

PREFIX = "jira:"
OPTIONS = ("tz", "done_list")  # the ReadOptions this importer honours
TODO, PROGRESS, DONE = "to do", "in progress", "done"
CATEGORY_NAMES: dict[str, str] = {
    **dict.fromkeys(
        (
            "to do",
            "todo",
            "new",
            "por hacer",
            "pendiente",
            "nuevo",
            "a faire",
            "zu erledigen",
            "a fazer",
            "itens pendentes",
            "da fare",
            "nuova",
            "к выполнению",
        ),
        TODO,
    ),
    **dict.fromkeys(
        (
            "in progress",
            "indeterminate",
            "en curso",
            "en progreso",
            "en cours",
            "in arbeit",
            "em andamento",
            "in corso",
            "в работе",
        ),
        PROGRESS,
    ),
    **dict.fromkeys(
        (
            "done",
            "complete",
            "listo",
            "hecho",
            "finalizado",
            "terminado",
            "termine",
            "fertig",
            "erledigt",
            "concluido",
            "completato",
            "completado",
            "готово",
        ),
        DONE,
    ),
}
TODO_STATUS_WORDS = (
    "to do",
    "todo",
    "open",
    "backlog",
    "new",
    "selected for development",
    "por hacer",
    "abierto",
    "abierta",
    "pendiente",
    "nuevo",
    "a faire",
    "ouvert",
    "offen",
    "aberto",
    "aperto",
    "к выполнению",
)
SUBTASK_TYPES = (
    "sub-task",
    "subtask",
    "sub task",
    "subtarea",
    "sub-tarea",
    "sous-tache",
    "unteraufgabe",
    "subtarefa",
    "sub-tarefa",
    "sotto-task",
    "sottoattivita",
    "подзадача",
)
EPIC_TYPES = ("epic", "epica", "epique", "epos", "epico", "эпик")
CATEGORY_ORDER = (TODO, PROGRESS, DONE)


@dataclass
class Issue:
    """One row of the export, read and checked."""

    where: str
    key: str
    issue_id: str
    summary: str
    issue_type: str
    status: str
    category: str
    created: datetime
    changed: datetime | None
    resolved: datetime | None
    updated: datetime | None
    due: str | None
    assignee: str
    labels: list[str] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    description: str = ""
    parent: list[str] = field(default_factory=list)  # the parent's id and/or key, as the file gives them
    parent_summary: str = ""
    epic_link: str = ""

    @property
    def is_subtask(self) -> bool:
        return plain(self.issue_type) in SUBTASK_TYPES

    @property
    def is_epic(self) -> bool:
        return plain(self.issue_type) in EPIC_TYPES


def plan(workspace: Workspace, path: Path, options: ReadOptions | None = None) -> ImportPlan:
    """Plan the import of a Jira CSV export (nothing is written)."""
    return plan_history(workspace, read(path, options or ReadOptions()))


def _category(text: str, status: str, resolved: datetime | None, done_status: str | None) -> str:
    if done_status and loose(status) == loose(done_status):
        return DONE
    named = CATEGORY_NAMES.get(plain(text))
    if named:
        return named
    if resolved is not None or is_done_name(status) or plain(status) in ("resolved", "closed", "cerrado", "resuelto"):
        return DONE
    return TODO if plain(status) in TODO_STATUS_WORDS else PROGRESS


def read_issues(path: Path, options: ReadOptions) -> tuple[list[Issue], list[str]]:
    """Every row of the export as an ``Issue``; ``BadRow`` with the line of the first that cannot be read."""
    headers, rows = read_csv_rows(path)
    columns = find_columns(headers)
    if "key" not in columns or "summary" not in columns:
        raise BadRow(f"{path.name} line 1", "has no 'Issue key' and 'Summary' columns; is this a Jira CSV export?")
    if "status" not in columns or "created" not in columns:
        raise BadRow(f"{path.name} line 1", "has no 'Status' or 'Created' column: export all fields from Jira")
    zone = zone_of(options)
    date_columns = [
        columns[name][0] for name in ("created", "category_changed", "resolved", "updated", "due") if name in columns
    ]
    dates = JiraDates([cells[i] for _, cells in rows[:200] for i in date_columns if i < len(cells)])
    issues = []
    notes: list[str] = []
    for line, cells in rows:
        where = f"{path.name} line {line}"

        def cell(name: str, cells: list[str] = cells) -> str:
            positions = columns.get(name) or []
            return cells[positions[0]].strip() if positions and positions[0] < len(cells) else ""

        def every(name: str, cells: list[str] = cells) -> list[str]:
            return [cells[i].strip() for i in columns.get(name) or [] if i < len(cells) and cells[i].strip()]

        def moment(name: str, where: str = where, cell: Callable[[str], str] = cell) -> datetime | None:
            try:
                local = dates.moment(cell(name))
            except JiraDateError as error:
                raise BadRow(where, f"{headers[columns[name][0]]}: {error}") from None
            return from_local(local, zone) if local is not None else None

        summary, key = cell("summary"), cell("key")
        if not key:
            raise BadRow(where, f"{headers[columns['key'][0]]}: is empty; every issue has a key")
        created = moment("created")
        if created is None:
            raise BadRow(where, f"{headers[columns['created'][0]]}: is empty; every Jira issue has its creation date")
        resolved = moment("resolved")
        status = cell("status") or "(no status)"
        try:
            due_day = dates.day(cell("due"))
        except JiraDateError as error:
            raise BadRow(where, f"{headers[columns['due'][0]]}: {error}") from None
        issues.append(
            Issue(
                where=where,
                key=key,
                issue_id=cell("id"),
                summary=summary or key,
                issue_type=cell("type"),
                status=status,
                category=_category(cell("category"), status, resolved, options.done_list),
                created=created,
                changed=moment("category_changed"),
                resolved=resolved,
                updated=moment("updated"),
                due=due_day.isoformat() if due_day else None,
                assignee=cell("assignee"),
                labels=list(dict.fromkeys(label for value in every("labels") for label in value.split())),
                comments=[_comment(text, dates, zone) for text in every("comment")],
                description=cell("description"),
                parent=[value for value in (cell("parent_id"), cell("parent_key")) if value],
                parent_summary=cell("parent_summary"),
                epic_link=cell("epic_link"),
            )
        )
    if "category" not in columns:
        notes.append(
            "The export has no 'Status Category' column: each status's category (to do, in progress, done) "
            "was guessed from its name and the resolution date."
        )
    return issues, notes


def _comment(text: str, dates: JiraDates, zone: tzinfo | None) -> Comment:
    """ "25/Feb/26 4:38 PM;712020:…;The text" — the date, the author's account id (not kept) and the text."""
    parts = text.split(";", 2)
    if len(parts) == 3:
        try:
            local = dates.moment(parts[0])
        except JiraDateError:
            local = None
        if local is not None:
            return Comment(from_local(local, zone), "", parts[2].strip())
    return Comment(None, "", text)


def read(path: Path, options: ReadOptions) -> History:
    """The export's statuses and issues as a ``History`` (epics as tags, sub-tasks as check items)."""
    issues, notes = read_issues(path, options)
    history = History(
        f"Jira export {path.name}",
        path.name,
        "jira",
        missing=["feedback cycles per item", "clarification requests per item"],
    )
    by_ref = {ref: issue for issue in issues for ref in (issue.key, issue.issue_id) if ref}
    statuses: dict[str, dict[str, str]] = {category: {} for category in CATEGORY_ORDER}
    for issue in issues:
        if not issue.is_epic:
            statuses[issue.category].setdefault(loose(issue.status), issue.status)
    history.places = [
        Place(PREFIX + "status:" + key, name) for category in CATEGORY_ORDER for key, name in statuses[category].items()
    ]
    todo_places = [PREFIX + "status:" + key for key in statuses[TODO]]
    members: dict[str, Member] = {}
    items: dict[str, Item] = {}
    epics = subtasks = orphans = inferred = 0
    for issue in issues:
        if issue.is_epic:
            epics += 1
            continue
        if issue.assignee and issue.assignee.casefold() not in members:
            members[issue.assignee.casefold()] = Member(PREFIX + "user:" + issue.assignee.casefold(), issue.assignee)
        parent = next((by_ref[ref] for ref in issue.parent if ref in by_ref), None)
        if issue.is_subtask and parent is not None and not parent.is_epic:
            continue  # a check item of its parent, below
        item = Item(
            PREFIX + issue.key,
            f"{issue.key} {issue.summary}",
            f"Jira issue {issue.key}",
            place=PREFIX + "status:" + loose(issue.status),
            due=issue.due,
            description=issue.description,
            comments=issue.comments,
            tags=list(issue.labels),
        )
        if issue.assignee:
            item.assignees = [members[issue.assignee.casefold()].key]
        epic = _epic_of(issue, parent, by_ref)
        if epic:
            item.tags.append(f"epic: {epic}")
        if issue.is_subtask:
            orphans += 1
            item.description = (
                f"Sub-task of {issue.parent_summary or ', '.join(issue.parent)} (not in this export)\n\n"
                + item.description
            ).strip()
        item.visits, item.done_at = _visits(issue, item.place or "", todo_places)
        inferred += any(visit.inferred for visit in item.visits)
        items[issue.key] = item
        history.items.append(item)
    for issue in issues:
        parent = next((by_ref[ref] for ref in issue.parent if ref in by_ref), None)
        if not issue.is_subtask or parent is None or parent.is_epic or parent.key not in items:
            continue
        subtasks += 1
        if issue.assignee and issue.assignee.casefold() not in members:
            members[issue.assignee.casefold()] = Member(PREFIX + "user:" + issue.assignee.casefold(), issue.assignee)
        done = issue.category == DONE
        items[parent.key].checks.append(
            Check(
                PREFIX + issue.key,
                f"{issue.key} {issue.summary}",
                done=done,
                done_at=(issue.resolved or issue.changed or issue.updated) if done else None,
                owner=members[issue.assignee.casefold()].key if issue.assignee else None,
                due=issue.due,
                note=f"Sub-task {issue.key} of {parent.key} in Jira ({issue.status})"
                + (f"\n{issue.description}" if issue.description else ""),
            )
        )
    history.members = list(members.values())
    history.notes = notes + [
        "Jira's CSV export has no transition history: each issue's visits come from its creation, its last "
        f"status-category change and its resolution; the time before its current status counts for brief to live "
        f"but not for time in a stage ({inferred} issue{'s' if inferred != 1 else ''} with such inferred time).",
    ]
    if subtasks or orphans:
        history.notes.append(
            f"{subtasks} sub-task{'s' if subtasks != 1 else ''} became checklist items of their parent"
            + (f"; {orphans} whose parent is not in the export came in as work items" if orphans else "")
            + "."
        )
    if epics:
        history.notes.append(
            f"{epics} epic{'s' if epics != 1 else ''} became {'tags' if epics != 1 else 'a tag'} "
            "on the issues under them (not work items)."
        )
    return history


def _epic_of(issue: Issue, parent: Issue | None, by_ref: dict[str, Issue]) -> str:
    """The epic an issue belongs to, by name: its parent when that is an epic, or its Epic Link."""
    if parent is not None and parent.is_epic:
        return parent.summary
    if issue.epic_link:
        linked = by_ref.get(issue.epic_link)
        return linked.summary if linked is not None else issue.epic_link
    if parent is None and issue.parent and not issue.is_subtask:
        return issue.parent_summary or issue.parent[-1]  # above a story or task there is only an epic
    return ""


def _visits(issue: Issue, place: str, todo_places: list[str]) -> tuple[list[Visit], datetime | None]:
    """The visits the CSV tells of, and when the issue was done (None while it is not)."""
    done_at = (issue.resolved or issue.changed or issue.updated or issue.created) if issue.category == DONE else None
    since = done_at if issue.category == DONE else (issue.changed if issue.category == PROGRESS else None)
    if since is not None:
        since = max(since, issue.created)
    first = todo_places[0] if todo_places else None
    if issue.category == TODO or since is None or first is None or first == place or since <= issue.created:
        # all we know is that it has been here since its creation (inferred when it surely was elsewhere first)
        return [Visit(place, issue.created, inferred=issue.category != TODO)], done_at
    guessed = len(todo_places) != 1 or issue.category == DONE
    return [Visit(first, issue.created, since, inferred=guessed), Visit(place, since)], done_at
