"""The iCalendar export: parsed back with icalendar, recurring check-in, stable UIDs."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar

from gtm_tui.data import clock
from gtm_tui.data.model import ActionItem, ChecklistItem, Person, Pilot, ValidationError, WorkItem
from gtm_tui.io import ics


def events(workspace) -> dict[str, object]:
    calendar = Calendar.from_ical(ics.render(workspace))
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_the_demo_calendar_parses_with_every_deadline_and_every_due_step(demo):
    from gtm_tui.checklists.runs import steps_to_work

    found = events(demo)
    live = {s.id for s in steps_to_work(demo)}
    steps = [i for i in demo.all(ChecklistItem) if i.due and (i.done or i.id in live)]
    dated = steps + [w for w in demo.all(WorkItem) if w.due] + [a for a in demo.all(ActionItem) if a.due]
    assert {f"{r.id}@gtm-tui" for r in dated} <= set(found)
    assert len(found) == len(dated) + 4  # + the check-in, the pilot's start and end, and the follow-up check
    left_open = [i for i in demo.all(ChecklistItem) if i.due and not i.done and i.id not in live]
    assert left_open and not any(f"{i.id}@gtm-tui" in found for i in left_open)  # an ended run's leftovers
    item = next(i for i in steps if not i.done and i.work_item_id)
    event = found[f"{item.id}@gtm-tui"]
    piece = demo.get(WorkItem, item.work_item_id)
    assert event.decoded("dtstart") == date.fromisoformat(item.due)
    assert str(event["summary"]).startswith(f"Due: {item.text} ({piece.title} — ")


def test_the_weekly_checkin_recurs_from_start_to_end(demo):
    pilot = demo.pilot()
    event = events(demo)[f"checkin-{pilot.id}@gtm-tui"]
    start = event.decoded("dtstart")
    assert isinstance(start, datetime) and str(start.tzinfo) == pilot.time_zone == "Europe/Berlin"
    assert start.weekday() == pilot.checkin_weekday
    assert start.strftime("%H:%M") == pilot.checkin_time
    first_day = date.fromisoformat(pilot.start_date)
    assert first_day <= start.date() < first_day + timedelta(days=7)
    rule = event["rrule"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["BYDAY"] == [ics.BYDAY[pilot.checkin_weekday]]
    until = rule["UNTIL"][0]
    assert until.utcoffset() == timedelta(0)  # a TZID start wants UNTIL in UTC (RFC 5545)
    assert until.astimezone(start.tzinfo).date() == date.fromisoformat(pilot.end_date)


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


def test_a_pilot_with_nothing_dated_is_refused_clearly(workspace):
    with pytest.raises(ValidationError, match="nothing in this pilot has a date yet"):
        ics.render(workspace)


def test_a_pilot_with_only_its_dates_gets_its_start_and_end(workspace):
    workspace.update(workspace.pilot(), start_date="2026-12-01", end_date="2026-12-20")
    calendar = Calendar.from_ical(ics.render(workspace))
    days = sorted(event.decoded("dtstart") for event in calendar.walk("VEVENT"))
    assert days == [date(2026, 12, 1), date(2026, 12, 20)]
    assert calendar.walk("VTIMEZONE") == [] and calendar["version"] == "2.0"


def test_open_deadlines_and_fixes_ring_on_the_morning_of_the_due_day(demo):
    open_item = next(i for i in demo.all(ChecklistItem) if i.due and not i.done)
    done_item = demo.update(next(i for i in demo.all(ChecklistItem) if i.due and i.done is False and i != open_item),
                            done=True)
    found = events(demo)
    fix = next(a for a in demo.all(ActionItem) if a.due and a.status in ("open", "in progress"))
    for record in (open_item, fix):
        alarms = found[f"{record.id}@gtm-tui"].walk("VALARM")
        assert len(alarms) == 1
        assert alarms[0]["action"] == "DISPLAY" and alarms[0].decoded("trigger") == timedelta(hours=9)
    assert found[f"{done_item.id}@gtm-tui"].walk("VALARM") == []  # nothing to remind of


def test_the_checkin_rings_15_minutes_before_in_the_pilots_time_zone(demo):
    text = ics.render(demo)
    calendar = Calendar.from_ical(text)
    checkin = events(demo)[f"checkin-{demo.pilot().id}@gtm-tui"]
    assert [a.decoded("trigger") for a in checkin.walk("VALARM")] == [timedelta(minutes=-15)]
    assert "DTSTART;TZID=Europe/Berlin:" in text
    zones = calendar.walk("VTIMEZONE")
    assert [str(z["tzid"]) for z in zones] == ["Europe/Berlin"]
    assert zones[0].walk("STANDARD") and zones[0].walk("DAYLIGHT")


def test_the_machines_zone_when_the_pilot_names_none(demo, monkeypatch: pytest.MonkeyPatch):
    demo.update(demo.pilot(), time_zone="")
    monkeypatch.setattr(clock, "machine_time_zone", lambda: "America/New_York")
    assert "DTSTART;TZID=America/New_York:" in ics.render(demo)


def test_an_unknown_time_zone_is_refused_on_the_pilot(demo):
    with pytest.raises(ValidationError, match="not a time zone"):
        demo.update(demo.pilot(), time_zone="Mars/Olympus")


def test_one_persons_calendar(demo):
    priya = next(p for p in demo.all(Person) if p.name == "Priya Raman")
    calendar = Calendar.from_ical(ics.render(demo, person=priya.id))
    uids = {str(e["uid"]) for e in calendar.walk("VEVENT")}
    theirs = {f"{i.id}@gtm-tui" for i in demo.all(ChecklistItem) if i.due and i.owner_id == priya.id}
    others = {f"{i.id}@gtm-tui" for i in demo.all(ChecklistItem) if i.due and i.owner_id != priya.id}
    assert theirs and theirs <= uids and not (others & uids)
    assert f"checkin-{demo.pilot().id}@gtm-tui" in uids  # the team's dates stay
    assert "Priya Raman" in str(calendar["x-wr-calname"])


def test_export_for_one_person_from_the_command_line(demo_file, tmp_path, capsys):
    from gtm_tui.cli.main import main

    out = tmp_path / "priya.ics"
    assert main(["export", str(demo_file), "--format", "ics", "--for", "priya raman", "-o", str(out)]) == 0
    assert "Priya Raman" in str(Calendar.from_ical(out.read_text(encoding="utf-8"))["x-wr-calname"])
    capsys.readouterr()
    assert main(["export", str(demo_file), "--format", "ics", "--for", "Nobody"]) == 1
    assert capsys.readouterr().err.startswith("gtm-tui: nobody called 'Nobody'")


def test_export_of_a_pilot_with_no_dates_is_refused_on_one_line(empty_file, tmp_path, capsys):
    from gtm_tui.cli.main import main

    out = tmp_path / "empty.ics"
    assert main(["export", str(empty_file), "--format", "ics", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "nothing in this pilot has a date yet" in err and err.count("\n") == 1 and not out.exists()
