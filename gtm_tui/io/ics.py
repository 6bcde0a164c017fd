"""The pilot's dates as an iCalendar file, for the calendars the team already uses.

What lands in the calendar: every checklist item and work item with a due
date, every action item's deadline, the follow-up check, and the weekly
check-in as one recurring event (the pilot's weekday and time, from its start
to its end date). Deadlines are all-day events; the check-in is at the
team's local time (a "floating" time, so it shows at 10:00 wherever the
calendar is). Text from the file is written with its control characters made
visible (``safe_text.visible``): a calendar shows it, a terminal never obeys it.

Every event's UID comes from the record's id (``<id>@gtm-tui``), so importing
a newer export into the calendar updates the events instead of adding
copies; finished items stay in, marked done, so they are updated too.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Iterable

from icalendar import Calendar, Event

from gtm_tui.data import clock
from gtm_tui.data.safe_text import visible
from gtm_tui.data.model import WEEKDAYS, ActionItem, ChecklistItem, Person, Pilot, Stage, WorkItem, as_date, as_datetime
from gtm_tui.data.workspace import Workspace

SUFFIX = ".ics"
CHECKIN_MINUTES = 30
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def uid(record_id: str, kind: str = "") -> str:
    """A UID that stays the same for a record across exports."""
    return f"{kind + '-' if kind else ''}{record_id}@gtm-tui"


def _all_day(record_uid: str, day: date, summary: str, description: str, modified: str | None) -> Event:
    event = Event()
    event.add("uid", record_uid)
    event.add("dtstamp", clock.now().astimezone(timezone.utc))
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", visible(summary))
    if description:
        event.add("description", visible(description, allow_newlines=True))
    if modified:
        event.add("last-modified", as_datetime(modified))
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    return event


def first_checkin(pilot: Pilot) -> datetime | None:
    """The first check-in: the pilot's weekday on or after its start date, at its time (floating local time)."""
    if pilot.checkin_weekday is None or not pilot.start_date:
        return None
    start = as_date(pilot.start_date)
    assert start is not None
    day = start + timedelta(days=(pilot.checkin_weekday - start.weekday()) % 7)
    hour, minute = map(int, (pilot.checkin_time or "09:00").split(":"))
    return datetime.combine(day, time(hour, minute))


def checkin_event(pilot: Pilot, workspace: Workspace) -> Event | None:
    """The weekly check-in as one recurring event (RRULE FREQ=WEEKLY;BYDAY=..;UNTIL=end date)."""
    start = first_checkin(pilot)
    if start is None:
        return None
    event = Event()
    event.add("uid", uid(pilot.id, "checkin"))
    event.add("dtstamp", clock.now().astimezone(timezone.utc))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=CHECKIN_MINUTES))
    rule: dict[str, Any] = {"freq": "weekly", "byday": BYDAY[pilot.checkin_weekday or 0]}
    end = as_date(pilot.end_date)
    if end is not None:
        rule["until"] = datetime.combine(end, time(23, 59, 59))  # floating, like DTSTART
    event.add("rrule", rule)
    event.add("summary", visible(f"Weekly check-in: {pilot.name}"))
    lines = [f"Every {WEEKDAYS[pilot.checkin_weekday or 0]} at {start:%H:%M}, pilot {pilot.name}."]
    if pilot.channel:
        lines.append(f"Channel: {pilot.channel}")
    lead = workspace.name_of(Person, pilot.lead_id, "")
    if lead:
        lines.append(f"Pilot lead: {lead}")
    event.add("description", visible("\n".join(lines), allow_newlines=True))
    if pilot.channel:
        event.add("location", visible(pilot.channel))
    return event


def _events(workspace: Workspace) -> Iterable[Event]:
    pilot = workspace.pilot()
    checkin = checkin_event(pilot, workspace)
    if checkin is not None:
        yield checkin
    follow_up = as_date(pilot.follow_up_date)
    if follow_up is not None:
        yield _all_day(uid(pilot.id, "follow-up"), follow_up, f"Follow-up check: {pilot.name}",
                       "Check that the fixes agreed in the review are in place and working.", pilot.updated_at)
    for item in workspace.all(ChecklistItem):
        if item.due:
            stage = workspace.name_of(Stage, item.stage_id, "")
            owner = workspace.name_of(Person, item.owner_id, "")
            mark = "Done" if item.done else "Due"
            details = [f"Checklist of stage {stage}"] + ([f"Owner: {owner}"] if owner else []) + ([item.note] if item.note else [])
            yield _all_day(uid(item.id), as_date(item.due), f"{mark}: {item.text} ({stage})", "\n".join(details), item.updated_at)  # type: ignore[arg-type]
    for work in workspace.all(WorkItem):
        if work.due:
            assignee = workspace.name_of(Person, work.assignee_id, "")
            stage = workspace.name_of(Stage, work.stage_id, "")
            mark = "Done" if work.status == "done" else "Due"
            details = [f"Status: {work.status}"] + ([f"Stage: {stage}"] if stage else []) + ([f"Assignee: {assignee}"] if assignee else [])
            yield _all_day(uid(work.id), as_date(work.due), f"{mark}: {work.title}", "\n".join(details), work.updated_at)  # type: ignore[arg-type]
    for action in workspace.all(ActionItem):
        if action.due:
            owner = workspace.name_of(Person, action.owner_id, "")
            details = [f"Action item from the review · status: {action.status}"] + ([f"Owner: {owner}"] if owner else [])
            if action.note:
                details.append(action.note)
            title = f"Action{' (done)' if action.status == 'done' else ''}: {action.title}"
            yield _all_day(uid(action.id), as_date(action.due), title, "\n".join(details), action.updated_at)  # type: ignore[arg-type]


def build_calendar(workspace: Workspace) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//gtm-tui//pilot calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", visible(f"{workspace.pilot().name} (gtm-tui)"))
    for event in _events(workspace):
        calendar.add_component(event)
    return calendar


def render(workspace: Workspace, **_options: Any) -> str:
    """The iCalendar text (CRLF line ends, as RFC 5545 wants)."""
    return build_calendar(workspace).to_ical().decode("utf-8")
