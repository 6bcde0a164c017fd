"""The iCalendar export: parsed back with icalendar, recurring check-in, stable UIDs."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from icalendar import Calendar

from gtm_tui.data.model import ActionItem, ChecklistItem, Pilot, WorkItem
from gtm_tui.io import ics


def events(workspace) -> dict[str, object]:
    calendar = Calendar.from_ical(ics.render(workspace))
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_the_demo_calendar_parses_with_every_deadline(demo):
    found = events(demo)
    dated = (
        [i for i in demo.all(ChecklistItem) if i.due]
        + [w for w in demo.all(WorkItem) if w.due]
        + [a for a in demo.all(ActionItem) if a.due]
    )
    assert {f"{r.id}@gtm-tui" for r in dated} <= set(found)
    assert len(found) == len(dated) + 2  # + the check-in and the follow-up check
    item = next(i for i in demo.all(ChecklistItem) if i.due and not i.done)
    event = found[f"{item.id}@gtm-tui"]
    assert event.decoded("dtstart") == date.fromisoformat(item.due)
    assert str(event["summary"]).startswith(f"Due: {item.text}")


def test_the_weekly_checkin_recurs_from_start_to_end(demo):
    pilot = demo.pilot()
    event = events(demo)[f"checkin-{pilot.id}@gtm-tui"]
    start = event.decoded("dtstart")
    assert isinstance(start, datetime) and start.tzinfo is None  # the team's local time
    assert start.weekday() == pilot.checkin_weekday
    assert start.strftime("%H:%M") == pilot.checkin_time
    first_day = date.fromisoformat(pilot.start_date)
    assert first_day <= start.date() < first_day + timedelta(days=7)
    rule = event["rrule"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["BYDAY"] == [ics.BYDAY[pilot.checkin_weekday]]
    assert rule["UNTIL"][0].date() == date.fromisoformat(pilot.end_date)


def test_follow_up_check_is_an_all_day_event(demo):
    pilot = demo.pilot()
    event = events(demo)[f"follow-up-{pilot.id}@gtm-tui"]
    assert event.decoded("dtstart") == date.fromisoformat(pilot.follow_up_date)


def test_uids_are_stable_between_exports(demo):
    first = set(events(demo))
    item = next(i for i in demo.all(ChecklistItem) if i.due)
    demo.update(item, text="Renamed line")
    second = events(demo)
    assert set(second) == first
    assert "Renamed line" in str(second[f"{item.id}@gtm-tui"]["summary"])


def test_first_checkin_is_the_weekday_on_or_after_the_start():
    pilot = Pilot(name="P", start_date="2026-11-05", end_date="2026-12-01", checkin_weekday=0, checkin_time="09:30")
    assert ics.first_checkin(pilot) == datetime(2026, 11, 9, 9, 30)  # 5 Nov 2026 is a Thursday
    assert ics.first_checkin(Pilot(name="P")) is None


def test_an_empty_pilot_is_a_valid_empty_calendar(workspace):
    calendar = Calendar.from_ical(ics.render(workspace))
    assert calendar.walk("VEVENT") == []
