"""A team member's page: everything that is theirs, gathered from the whole pilot.

The method ends when "everyone knows what they are responsible for and where
to find it". This module collects, for one person, their RACI roles by stage
(today and in the pilot), the checklist lines and action items they own with
due dates, and the work items assigned to them. Plain data; the screen draws it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gtm_tui.checklists.runs import steps_to_work
from gtm_tui.data import clock
from gtm_tui.data.model import ActionItem, Person, Stage, WorkItem
from gtm_tui.data.safe_text import visible
from gtm_tui.data.workspace import Workspace
from gtm_tui.raci.matrix import Matrix, has_a, has_r, md_cell
from gtm_tui.raci.raci_work import handoff_counts


@dataclass(frozen=True)
class RoleLine:
    """A person's role on one RACI row in each layer ("" = none)."""

    row: str
    today: str
    pilot: str
    focus: bool = False


@dataclass(frozen=True)
class DueLine:
    """Something the person owns with an optional due date: a checklist line, action item or work item."""

    where: str  # the stage, or "review" for action items
    text: str
    due: str | None
    status: str  # "done", "open", "in progress", "blocked" ...
    overdue: bool = False


@dataclass
class PersonPage:
    person: Person
    roles: list[RoleLine] = field(default_factory=list)
    checklist: list[DueLine] = field(default_factory=list)
    actions: list[DueLine] = field(default_factory=list)
    work: list[DueLine] = field(default_factory=list)
    handoffs_in: int = 0  # handoffs whose to-stage's pilot R is this person (see raci_work.handoff_counts)
    handoffs_out: int = 0  # handoffs whose from-stage's pilot R is this person

    def handoffs_line(self) -> str:
        """"Handoffs: receives 2, passes on 1" — how often work crosses into and out of this person's hands."""
        return f"Handoffs (by the pilot R): receives {self.handoffs_in}, passes on {self.handoffs_out}"

    def summary(self) -> str:
        """One sentence: what the person answers for and does in the pilot, and what is open."""
        accountable = sum(1 for line in self.roles if has_a(line.pilot))
        responsible = sum(1 for line in self.roles if has_r(line.pilot))
        open_items = sum(
            1 for line in self.checklist + self.actions + self.work if line.status not in ("done", "dropped")
        )
        overdue = sum(1 for line in self.checklist + self.actions + self.work if line.overdue)
        text = f"In the pilot: Accountable on {accountable} row{'s' if accountable != 1 else ''}, "
        text += f"Responsible on {responsible}; {open_items} open item{'s' if open_items != 1 else ''}"
        return text + (f", {overdue} overdue" if overdue else "")


def _overdue(due: str | None, finished: bool) -> bool:
    return bool(due) and not finished and due < clock.today().isoformat()  # type: ignore[operator]


def _by_due(line: DueLine) -> tuple:
    # Open work first, soonest due first; undated after dated; finished last.
    return (line.status in ("done", "dropped"), line.due is None, line.due or "", line.where, line.text)


def person_page(workspace: Workspace, person_id: str) -> PersonPage:
    """Everything that belongs to one person (``RecordNotFound`` when they were deleted)."""
    person = workspace.get(Person, person_id)
    page = PersonPage(person)
    matrix = Matrix.of(workspace)
    for row in matrix.rows:
        before = matrix.role("today", row.key, person_id) or ""
        after = matrix.role("pilot", row.key, person_id) or ""
        if before or after:
            page.roles.append(RoleLine(row.label, before, after, row.focus))

    stage_order = {stage.id: stage.position for stage in workspace.all(Stage)}
    # Their steps in the runs under way, across every piece (what an ended run left open is history).
    items = [item for item in steps_to_work(workspace) if item.owner_id == person_id]
    items.sort(key=lambda item: (stage_order.get(item.stage_id, 0), item.position))
    titles = {work.id: work.title for work in workspace.all(WorkItem)}
    for item in items:
        status = "done" if item.done else "blocked" if item.blocked else "open"
        where = workspace.name_of(Stage, item.stage_id)
        if item.work_item_id in titles:
            where = f"{where} · {titles[item.work_item_id]}"
        page.checklist.append(DueLine(where, item.text, item.due, status, _overdue(item.due, item.done)))
    page.checklist.sort(key=_by_due)

    for action in workspace.all(ActionItem):
        if action.owner_id == person_id:
            finished = action.status in ("done", "dropped")
            page.actions.append(
                DueLine("review", action.title, action.due, action.status, _overdue(action.due, finished))
            )
    page.actions.sort(key=_by_due)

    for work in workspace.all(WorkItem):
        if work.assignee_id == person_id:
            page.work.append(DueLine(workspace.name_of(Stage, work.stage_id), work.title, work.due, work.status,
                                     _overdue(work.due, work.status == "done")))
    page.work.sort(key=_by_due)
    counts = handoff_counts(workspace, person_id)
    page.handoffs_in, page.handoffs_out = counts.handed_in, counts.handed_out
    return page


def person_markdown(page: PersonPage) -> str:
    """The page as Markdown, so a team member can keep it beside their work (control characters made visible)."""
    lines = [
        f"# {page.person.name}" + (f" — {page.person.role}" if page.person.role else ""),
        "",
        page.summary(),
        "",
        page.handoffs_line(),
        "",
    ]
    if page.roles:
        lines += ["## RACI roles", "", "| row | today | pilot |", "|---|:-:|:-:|"]
        lines += [f"| {md_cell(line.row)} | {line.today} | {line.pilot} |" for line in page.roles]
        lines.append("")
    for title, entries in (
        ("Checklist items", page.checklist),
        ("Action items", page.actions),
        ("Work items", page.work),
    ):
        if entries:
            lines += [f"## {title}", ""]
            for line in entries:
                tick = "x" if line.status in ("done", "dropped") else " "
                due = f" (due {line.due}{', OVERDUE' if line.overdue else ''})" if line.due else ""
                lines.append(f"- [{tick}] {line.where}: {line.text}{due}")
            lines.append("")
    return visible("\n".join(lines), allow_newlines=True)
