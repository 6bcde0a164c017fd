"""Fixes close the loop: what a fix changes, which fixes are still open, and whether it helped.

A fix (``ActionItem``) names what it changes in ``links``, a list of
``{"table": T, "id": record id}`` where T is one of ``LINK_TABLES``: a stage
(``stages``), a handoff (``handoffs``), a checklist item (``checklist_items``)
or a RACI row (``raci``, the id of one ``RaciAssignment``). The first link is
the one the picker sets and the one shown; others are kept.

A fix's *linked stage* is the stage it links to, or else the stage of its
linked checklist item or RACI row, or else the stage a linked handoff enters.
Before/after: the median time in that stage (``metrics.visits_of``) over the
visits entered before the fix was made (its ``created_at`` day) against those
entered on that day or after — so a later review sees whether the fix helped.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from gtm_tui.data.model import (
    ActionItem,
    ChecklistItem,
    Handoff,
    Person,
    Pilot,
    RaciAssignment,
    Stage,
    ValidationError,
    WorkItem,
    as_date,
)
from gtm_tui.data.workspace import Workspace
from gtm_tui.work import metrics
from gtm_tui.work.metrics import days_text

LINK_TABLES: dict[str, type[Stage | Handoff | ChecklistItem | RaciAssignment]] = {
    "stages": Stage, "handoffs": Handoff, "checklist_items": ChecklistItem, "raci": RaciAssignment,
}
LINK_WORDS = {"stages": "stage", "handoffs": "handoff", "checklist_items": "checklist item", "raci": "RACI row"}
OPEN_STATUSES = ("open", "in progress")


# --------------------------------------------------------------------------
# Links


def link_value(table: str, record_id: str) -> str:
    """One link as a choice value: "table:id"."""
    return f"{table}:{record_id}"


def parse_link(value: str | None) -> dict[str, str] | None:
    """A picked choice value back into ``{"table", "id"}``; None for "(none)"."""
    if not value:
        return None
    table, _, record_id = value.partition(":")
    if table not in LINK_TABLES or not record_id:
        raise ValidationError("link", f"'{value}' is not a stage, handoff, checklist item or RACI row")
    return {"table": table, "id": record_id}


def check_link(workspace: Workspace, link: dict[str, str]) -> None:
    """Raise ``ValidationError`` unless ``link`` names an existing stage, handoff, checklist item or RACI row."""
    kind = LINK_TABLES.get(link.get("table", ""))
    if kind is None:
        raise ValidationError(
            "link", f"a fix links to a stage, handoff, checklist item or RACI row, not '{link.get('table')}'"
        )
    if workspace.find(kind, link.get("id", "")) is None:
        raise ValidationError("link", f"that {LINK_WORDS[link['table']]} no longer exists")


def with_link(
    links: list[dict[str, str]], link: dict[str, str] | None, keep_others: bool = True
) -> list[dict[str, str]]:
    """The links after picking ``link``: it goes first; the others stay (without a duplicate) unless told not to."""
    others = [dict(old) for old in links if old != link] if keep_others else []
    return ([dict(link)] if link else []) + others


def set_link(workspace: Workspace, fix: ActionItem, value: str | None, keep_others: bool = True) -> ActionItem:
    """Store the picked link on ``fix`` (validated); "(none)" without keeping others clears them."""
    link = parse_link(value)
    if link is not None:
        check_link(workspace, link)
    return workspace.update(fix, links=with_link(fix.links, link, keep_others))


def link_text(workspace: Workspace, link: dict[str, str]) -> str:
    """"stage Copywriting", "handoff Creative review → Launch approval", "RACI row Copywriting: Priya R"."""
    table, record_id = link.get("table", ""), link.get("id", "")
    kind = LINK_TABLES.get(table)
    record = workspace.find(kind, record_id) if kind else None
    if record is None:
        return f"{LINK_WORDS.get(table, table)} (deleted)"
    return f"{LINK_WORDS[table]} {_describe(workspace, record)}"


def _describe(workspace: Workspace, record: object) -> str:
    if isinstance(record, Handoff):
        return f"{workspace.name_of(Stage, record.from_stage_id)} → {workspace.name_of(Stage, record.to_stage_id)}"
    if isinstance(record, ChecklistItem):
        return f"{workspace.name_of(Stage, record.stage_id)}: {record.text}"
    if isinstance(record, RaciAssignment):
        activity = f" / {record.activity}" if record.activity else ""
        return (f"{workspace.name_of(Stage, record.stage_id)}{activity}: "
                f"{record.role} {workspace.name_of(Person, record.person_id)} ({record.layer})")
    return getattr(record, "name", "") or str(getattr(record, "id", ""))


def link_choices(workspace: Workspace) -> list[tuple[str, str]]:
    """Everything a fix can link to, for the picker: stages, handoffs, checklist items, RACI rows."""
    choices: list[tuple[str, str]] = []
    for table, kind in LINK_TABLES.items():
        for record in workspace.all(kind):
            choices.append(
                (
                    f"{LINK_WORDS[table][0].upper()}{LINK_WORDS[table][1:]}: {_describe(workspace, record)}",
                    link_value(table, record.id),
                )
            )
    return choices


def linked_stage_id(workspace: Workspace, fix: ActionItem) -> str | None:
    """The stage whose figure tells whether the fix helped (see the module docstring), or None."""
    found: dict[str, str] = {}
    for link in fix.links:
        kind = LINK_TABLES.get(link.get("table", ""))
        record = workspace.find(kind, link.get("id", "")) if kind else None
        if record is None:
            continue
        stage_id = (
            record.id
            if isinstance(record, Stage)
            else record.to_stage_id
            if isinstance(record, Handoff)
            else record.stage_id
        )
        found.setdefault(link["table"], stage_id)
    for table in ("stages", "checklist_items", "raci", "handoffs"):
        if found.get(table):
            return found[table]
    return None


# --------------------------------------------------------------------------
# Open fixes in stand-up mode


@dataclass(frozen=True)
class OpenFix:
    fix: ActionItem
    owner: str
    links: str  # what it changes, in words
    overdue: bool


@dataclass(frozen=True)
class FixesPanel:
    """What stand-up mode shows until the fixes are done: the open fixes and the follow-up check."""

    fixes: list[OpenFix]
    follow_up: str | None

    @property
    def empty(self) -> bool:
        return not self.fixes and not self.follow_up


def fixes_panel(workspace: Workspace, today: date) -> FixesPanel:
    """Open (or in progress) priority fixes, soonest deadline first, and the pilot's follow-up date."""
    fixes = [a for a in workspace.all(ActionItem) if a.priority and a.status in OPEN_STATUSES]
    fixes.sort(key=lambda a: (a.due or "9999", a.title.casefold()))
    rows = []
    for fix in fixes:
        due = as_date(fix.due)
        rows.append(OpenFix(fix, workspace.name_of(Person, fix.owner_id, "no owner"),
                            "; ".join(link_text(workspace, link) for link in fix.links), bool(due and due < today)))
    pilot: Pilot = workspace.pilot()
    return FixesPanel(rows, pilot.follow_up_date)


# --------------------------------------------------------------------------
# Before and after a fix


@dataclass(frozen=True)
class BeforeAfter:
    """A fix with its linked stage's median time in stage before and after the fix's date."""

    fix: ActionItem
    stage_id: str
    stage_name: str
    since: str  # the fix's date, YYYY-MM-DD
    expected_days: float | None
    before_days: float | None
    before_visits: int
    after_days: float | None
    after_visits: int

    def text(self) -> str:
        """"Creative review: 3.1 d (5) before 2026-11-17 → 1.2 d (2) after": median days in stage (visits)."""
        return (f"{self.stage_name}: {days_text(self.before_days)} ({self.before_visits}) before {self.since} "
                f"→ {days_text(self.after_days)} ({self.after_visits}) after")


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def fix_date(fix: ActionItem) -> date | None:
    """The day the fix was agreed: its ``created_at`` day."""
    return as_date(fix.created_at[:10]) if fix.created_at else None


def split_at(visits: Iterable[metrics.Visit], since: date) -> tuple[list[float], list[float]]:
    """Lengths (days) of ``visits`` entered before ``since``, and entered on or after it."""
    before: list[float] = []
    after: list[float] = []
    for visit in visits:
        (before if visit.entered.date() < since else after).append(visit.days)
    return before, after


def stage_before_after(work_items: Iterable[WorkItem], stage_id: str, since: date,
                       now: datetime) -> tuple[list[float], list[float]]:
    """Lengths (days) of visits to ``stage_id`` entered before ``since``, and entered on or after it."""
    by_stage = metrics.PilotRecords(work_items=list(work_items)).visits_by_stage(now)
    return split_at(by_stage.get(stage_id, ()), since)


def before_after(workspace: Workspace, now: datetime) -> list[BeforeAfter]:
    """Every priority fix with a linked stage and a date, with that stage's figure before and after the date.

    The visits are grouped by stage once (from the workspace's index), so
    each fix is a look-up, not a walk over every item.
    """
    out = []
    by_stage = metrics.records_of(workspace).visits_by_stage(now)
    for fix in workspace.all(ActionItem):
        if not fix.priority:
            continue
        stage_id, since = linked_stage_id(workspace, fix), fix_date(fix)
        if stage_id is None or since is None:
            continue
        stage = workspace.get(Stage, stage_id)
        before, after = split_at(by_stage.get(stage_id, ()), since)
        out.append(BeforeAfter(fix, stage_id, stage.name, since.isoformat(), stage.expected_days,
                               median(before), len(before), median(after), len(after)))
    out.sort(key=lambda row: (row.fix.status not in OPEN_STATUSES, row.fix.due or "9999", row.fix.title.casefold()))
    return out
