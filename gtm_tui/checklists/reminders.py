"""Reminders: what is due today, what is overdue, and when the next check-in is — no UI.

The seeds ask for reminders that fit how the team already works, without
adding work: the Overview lists them, and opening the app with overdue items
says so once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from gtm_tui.checklists.checklist_items import days_late, is_due_today, is_overdue
from gtm_tui.checklists.runs import steps_to_work
from gtm_tui.data import clock
from gtm_tui.data.model import WEEKDAYS, ChecklistItem, Person, Pilot, WorkItem
from gtm_tui.data.order import order_key
from gtm_tui.data.workspace import Workspace
from gtm_tui.overview.sections import Row, Section

SHOWN_PER_LIST = 6


def overdue(items: Iterable[ChecklistItem], today: date) -> list[ChecklistItem]:
    """Open items due before today, the longest overdue first."""
    return sorted((i for i in items if is_overdue(i, today)), key=lambda i: (i.due or "", order_key(i)))


def due_today(items: Iterable[ChecklistItem], today: date) -> list[ChecklistItem]:
    return sorted((i for i in items if is_due_today(i, today)), key=order_key)


def next_checkin(pilot: Pilot, now: datetime) -> datetime | None:
    """The next check-in from the pilot's weekday and time (09:00 when no time is set); None when no weekday.

    ``now`` is wall-clock time (naive, or aware and taken as is). A check-in
    today whose time has not come yet is the next one.
    """
    if pilot.checkin_weekday is None:
        return None
    at = time.fromisoformat(pilot.checkin_time) if pilot.checkin_time else time(9, 0)
    wall = now.replace(tzinfo=None)
    days_ahead = (pilot.checkin_weekday - wall.weekday()) % 7
    candidate = datetime.combine(wall.date() + timedelta(days=days_ahead), at)
    if candidate < wall:
        candidate += timedelta(days=7)
    return candidate


def checkin_words(moment: datetime, today: date) -> str:
    """"Tuesday 2026-11-24 at 10:00 (in 6 days)"."""
    days = (moment.date() - today).days
    when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
    return f"{WEEKDAYS[moment.weekday()]} {moment.date().isoformat()} at {moment:%H:%M} ({when})"


def _item_row(workspace: Workspace, item: ChecklistItem, today: date, tone: str) -> Row:

    owner = workspace.name_of(Person, item.owner_id, "no owner")
    late = days_late(item, today)
    when = f"{late} day{'s' if late != 1 else ''} late" if late else "today"
    piece = workspace.name_of(WorkItem, item.work_item_id, "")
    return Row(f"  {item.text}" + (f" — {piece}" if piece else ""), f"{owner} · {when}", tone)


def _list_rows(workspace: Workspace, title: str, items: list[ChecklistItem], today: date, tone: str) -> list[Row]:

    rows = [Row(f"{title}: {len(items)}", "", tone if items else "good")]
    rows += [_item_row(workspace, item, today, tone) for item in items[:SHOWN_PER_LIST]]
    if len(items) > SHOWN_PER_LIST:
        rows.append(Row(f"  … and {len(items) - SHOWN_PER_LIST} more (Checklists, key 3)", "", "muted"))
    return rows


def reminders_section(workspace: Workspace) -> Section:
    """The Overview's "Reminders": overdue and due-today steps of the runs under way, and the next check-in."""

    today = clock.today()
    items = steps_to_work(workspace)
    rows = _list_rows(workspace, "Overdue", overdue(items, today), today, "bad")
    rows += _list_rows(workspace, "Due today", due_today(items, today), today, "warning")
    moment = next_checkin(workspace.pilot(), _wall_now())
    rows.append(Row("Next check-in", checkin_words(moment, today) if moment else "— no check-in day set",
                    "" if moment else "muted"))
    return Section("Reminders", rows)


def _wall_now() -> datetime:
    """Now as the user's wall clock shows it (check-in times are local times)."""
    return clock.now().astimezone().replace(tzinfo=None)


def startup_notice(workspace: Workspace) -> str | None:
    """The message shown when the app opens with overdue steps, or None when nothing is late."""
    today = clock.today()
    steps = steps_to_work(workspace)
    late = overdue(steps, today)
    if not late:
        return None
    due_now = len(due_today(steps, today))
    extra = f" and {due_now} due today" if due_now else ""
    return f"{len(late)} step{'s are' if len(late) != 1 else ' is'} overdue{extra}. See Checklists (key 3)."
