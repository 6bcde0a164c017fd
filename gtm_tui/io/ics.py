"""The pilot's dates as an iCalendar file, for the calendars the team already uses.

What lands in the calendar: every step of the runs under way with a due date
(named with its piece and stage; steps done stay in, marked done), every
work item with a due (live) date, every action item's deadline, the pilot's start and end, the follow-up
check, and the weekly check-in as one recurring event (the pilot's weekday
and time, from its start to its end date). Deadlines are all-day events with
an alarm on the morning of the due day (open ones only); the check-in is in
the pilot's time zone (``TZID`` with its ``VTIMEZONE``; the machine's zone
when the pilot names none), with an alarm 15 minutes before. ``person`` (the
CLI's ``--for NAME``) keeps one person's calendar: what they own or are
assigned, plus the team's dates. A pilot with no date at all is refused with
a clear message: RFC 5545 allows no empty calendar.
Text from the file is written with its control characters made visible
(``safe_text.visible``): a calendar shows it, a terminal never obeys it.

Every event's UID comes from the record's id (``<id>@gtm-tui``), so importing
a newer export into the calendar updates the events instead of adding
copies; finished items stay in, marked done, so they are updated too.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from icalendar import Alarm, Calendar, Event

from gtm_tui.checklists.runs import steps_to_work
from gtm_tui.data import clock
from gtm_tui.data.model import (
    WEEKDAYS,
    ActionItem,
    ChecklistItem,
    Person,
    Pilot,
    Stage,
    ValidationError,
    WorkItem,
    as_date,
    as_datetime,
)
from gtm_tui.data.safe_text import visible
from gtm_tui.data.workspace import Workspace
from gtm_tui.io.stopping import STOP_EVERY, stop_point

SUFFIX = ".ics"
CHECKIN_MINUTES = 30
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DUE_ALARM = timedelta(hours=9)  # after the start of an all-day deadline: 09:00 on the due day
CHECKIN_ALARM = timedelta(minutes=-15)  # before the check-in starts


def uid(record_id: str, kind: str = "") -> str:
    """A UID that stays the same for a record across exports."""
    return f"{kind + '-' if kind else ''}{record_id}@gtm-tui"


def time_zone(pilot: Pilot) -> zoneinfo.ZoneInfo:
    """The pilot's time zone (its setting, else this machine's)."""
    return zoneinfo.ZoneInfo(pilot.time_zone or clock.machine_time_zone())


def _alarm(trigger: timedelta, description: str) -> Alarm:
    """A display alarm ``trigger`` from the event's start (negative: before it)."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", trigger)
    alarm.add("description", visible(description))
    return alarm


def _all_day(record_uid: str, day: date, summary: str, description: str, modified: str | None,
             *, remind: bool = False) -> Event:
    """An all-day event; ``remind`` adds an alarm on the morning of that day (for what is still open)."""
    event = Event()
    event.add("uid", record_uid)
    event.add("dtstamp", clock.now().astimezone(UTC))
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", visible(summary))
    if description:
        event.add("description", visible(description, allow_newlines=True))
    if modified:
        event.add("last-modified", as_datetime(modified))
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    if remind:
        event.add_component(_alarm(DUE_ALARM, summary))
    return event


def first_checkin(pilot: Pilot) -> datetime | None:
    """The first check-in: the pilot's weekday on or after its start date, at its time (wall time, no zone)."""
    if pilot.checkin_weekday is None or not pilot.start_date:
        return None
    start = as_date(pilot.start_date)
    assert start is not None
    day = start + timedelta(days=(pilot.checkin_weekday - start.weekday()) % 7)
    hour, minute = map(int, (pilot.checkin_time or "09:00").split(":"))
    return datetime.combine(day, time(hour, minute))


def checkin_event(pilot: Pilot, workspace: Workspace) -> Event | None:
    """The weekly check-in as one recurring event (RRULE FREQ=WEEKLY;BYDAY=..;UNTIL=end date)."""
    wall = first_checkin(pilot)
    if wall is None:
        return None
    zone = time_zone(pilot)
    start = wall.replace(tzinfo=zone)  # DTSTART;TZID=<zone>, its VTIMEZONE added with the calendar
    event = Event()
    event.add("uid", uid(pilot.id, "checkin"))
    event.add("dtstamp", clock.now().astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=CHECKIN_MINUTES))
    rule: dict[str, Any] = {"freq": "weekly", "byday": BYDAY[pilot.checkin_weekday or 0]}
    end = as_date(pilot.end_date)
    if end is not None:
        # With a TZID start, RFC 5545 wants UNTIL in UTC: the end day's last second there, converted.
        rule["until"] = datetime.combine(end, time(23, 59, 59), zone).astimezone(UTC)
    event.add("rrule", rule)
    event.add("summary", visible(f"Weekly check-in: {pilot.name}"))
    lines = [f"Every {WEEKDAYS[pilot.checkin_weekday or 0]} at {start:%H:%M} ({zone.key}), pilot {pilot.name}."]
    if pilot.channel:
        lines.append(f"Channel: {pilot.channel}")
    lead = workspace.name_of(Person, pilot.lead_id, "")
    if lead:
        lines.append(f"Pilot lead: {lead}")
    event.add("description", visible("\n".join(lines), allow_newlines=True))
    if pilot.channel:
        event.add("location", visible(pilot.channel))
    event.add_component(_alarm(CHECKIN_ALARM, f"Check-in in 15 minutes: {pilot.name}"))
    return event


def _events(workspace: Workspace, person: str | None = None) -> Iterable[Event]:
    """Every dated thing of the pilot; with ``person``, what is theirs (and the team's dates)."""
    pilot = workspace.pilot()
    mine = (lambda owner: owner == person) if person else (lambda owner: True)
    checkin = checkin_event(pilot, workspace)
    if checkin is not None:
        yield checkin
    for day, what, kind in ((pilot.start_date, "starts", "start"), (pilot.end_date, "ends", "end")):
        if day:
            yield _all_day(uid(pilot.id, kind), as_date(day), f"Pilot {what}: {pilot.name}",  # type: ignore[arg-type]
                           f"The pilot {pilot.name} {what}.", pilot.updated_at)
    follow_up = as_date(pilot.follow_up_date)
    if follow_up is not None:
        yield _all_day(uid(pilot.id, "follow-up"), follow_up, f"Follow-up check: {pilot.name}",
                       "Check that the fixes agreed in the review are in place and working.", pilot.updated_at,
                       remind=True)
    titles = {work.id: work.title for work in workspace.all(WorkItem)}
    live = {step.id for step in steps_to_work(workspace)}
    for item in workspace.all(ChecklistItem):
        # Due steps of the runs under way, and every step done; what an ended run left open is history.
        if item.due and mine(item.owner_id) and (item.done or item.id in live):
            stage = workspace.name_of(Stage, item.stage_id, "")
            owner = workspace.name_of(Person, item.owner_id, "")
            piece = titles.get(item.work_item_id or "")
            mark = "Done" if item.done else "Due"
            where = f"{piece} — {stage}" if piece else stage
            details = ([f"Step of {piece} in stage {stage}"] if piece else [f"Checklist of stage {stage}"])
            details += ([f"Owner: {owner}"] if owner else []) + ([item.note] if item.note else [])
            details += [f"{link.get('label') or 'Link'}: {link['target']}" for link in item.links]
            yield _all_day(uid(item.id), as_date(item.due), f"{mark}: {item.text} ({where})",  # type: ignore[arg-type]
                           "\n".join(details), item.updated_at, remind=not item.done)
    for work in workspace.all(WorkItem):
        if work.due and mine(work.assignee_id):
            assignee = workspace.name_of(Person, work.assignee_id, "")
            stage = workspace.name_of(Stage, work.stage_id, "")
            mark = "Done" if work.status == "done" else "Due"
            details = (
                [f"Status: {work.status}"]
                + ([f"Stage: {stage}"] if stage else [])
                + ([f"Assignee: {assignee}"] if assignee else [])
            )
            yield _all_day(uid(work.id), as_date(work.due), f"{mark}: {work.title}", "\n".join(details),  # type: ignore[arg-type]
                           work.updated_at, remind=work.status != "done")
    for action in workspace.all(ActionItem):
        if action.due and mine(action.owner_id):
            owner = workspace.name_of(Person, action.owner_id, "")
            details = [f"Action item from the review · status: {action.status}"] + (
                [f"Owner: {owner}"] if owner else []
            )
            if action.note:
                details.append(action.note)
            title = f"Action{' (done)' if action.status == 'done' else ''}: {action.title}"
            yield _all_day(uid(action.id), as_date(action.due), title, "\n".join(details), action.updated_at,  # type: ignore[arg-type]
                           remind=action.status in ("open", "in progress"))


def has_events(workspace: Workspace, person: str | None = None) -> bool:
    """Whether the calendar would hold anything (else ``build_calendar`` refuses it), without building it."""
    return next(iter(_events(workspace, person)), None) is not None


def build_calendar(workspace: Workspace, person: str | None = None) -> Calendar:
    """The calendar (one person's with ``person``); ``ValidationError`` when nothing in it has a date."""
    pilot = workspace.pilot()
    calendar = Calendar()
    calendar.add("prodid", "-//gtm-tui//pilot calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    whose = f" — {workspace.name_of(Person, person)}" if person else ""
    calendar.add("x-wr-calname", visible(f"{pilot.name}{whose} (gtm-tui)"))
    for number, event in enumerate(_events(workspace, person)):
        if number % STOP_EVERY == 0:
            stop_point()
        calendar.add_component(event)
    if not calendar.walk("VEVENT"):
        raise ValidationError(
            "format", "nothing in this pilot has a date yet, and a calendar cannot be empty: set the pilot's "
                      "start and end dates (Overview, s) or a due date, then export the calendar")
    calendar.add_missing_timezones()  # the check-in's VTIMEZONE, from zoneinfo
    stop_point()
    return calendar


def render(workspace: Workspace, person: str | None = None, **_options: Any) -> str:
    """The iCalendar text (CRLF line ends, as RFC 5545 wants)."""
    return build_calendar(workspace, person).to_ical().decode("utf-8")
