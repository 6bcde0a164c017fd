"""Stand-up rules: who is visited, what each person covers, the timebox and the check-in record."""

from __future__ import annotations

from datetime import UTC, date, datetime

from gtm_tui.checklists import standup
from gtm_tui.data.model import CheckIn, ChecklistItem, Person, Pilot, Stage, WorkItem
from gtm_tui.data.workspace import Workspace

TODAY = date(2026, 11, 18)
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


def test_agenda_splits_finished_due_and_focus_items():
    me, other = Person(name="Me"), Person(name="Other")
    focus, elsewhere = Stage(name="Review"), Stage(name="Copy")
    since = datetime(2026, 11, 17, 10, 45, tzinfo=UTC)
    finished = ChecklistItem(stage_id=elsewhere.id, text="done after", owner_id=me.id, done=True, done_by=me.id,
                             done_at="2026-11-17T15:00:00+00:00")
    finished_before = ChecklistItem(stage_id=elsewhere.id, text="done before", owner_id=me.id, done=True,
                                    done_by=me.id, done_at="2026-11-16T15:00:00+00:00")
    done_for_other = ChecklistItem(stage_id=elsewhere.id, text="helped", owner_id=other.id, done=True,
                                   done_by=me.id, done_at="2026-11-18T09:00:00+00:00")
    overdue = ChecklistItem(stage_id=focus.id, text="late", owner_id=me.id, due="2026-11-10")
    due_today = ChecklistItem(stage_id=elsewhere.id, text="today", owner_id=me.id, due="2026-11-18")
    later_in_focus = ChecklistItem(stage_id=focus.id, text="focus", owner_id=me.id, due="2026-11-30")
    later_elsewhere = ChecklistItem(stage_id=elsewhere.id, text="not now", owner_id=me.id, due="2026-11-30")
    others = ChecklistItem(stage_id=focus.id, text="theirs", owner_id=other.id, due="2026-11-01")
    items = [finished, finished_before, done_for_other, overdue, due_today, later_in_focus, later_elsewhere, others]
    agenda = standup.agenda_for(me, items, today=TODAY, since=since, focus_stages=[focus.id])
    assert [i.text for i in agenda.finished] == ["done after", "helped"]
    assert [i.text for i in agenda.due] == ["late", "today"]
    assert [i.text for i in agenda.focus] == ["focus"]
    assert not agenda.empty
    # Before the first stand-up everything done counts.
    first = standup.agenda_for(me, items, today=TODAY, since=None, focus_stages=[])
    assert len(first.finished) == 3 and first.focus == []


def test_since_is_the_moment_the_last_checkin_was_saved():
    old = CheckIn(date="2026-11-10", created_at="2026-11-10T10:45:00+00:00")
    last = CheckIn(date="2026-11-17", created_at="2026-11-17T10:45:00+00:00")
    future = CheckIn(date="2026-11-24")
    assert standup.last_checkin([old, future, last], NOW) is last
    assert standup.since_moment([old, last], NOW) == datetime(2026, 11, 17, 10, 45, tzinfo=UTC)
    # entered later by hand: counts from the start of its date
    late_entry = CheckIn(date="2026-11-17", created_at="2026-11-18T08:00:00+00:00")
    assert standup.since_moment([late_entry], NOW) == datetime(2026, 11, 17, tzinfo=UTC)
    assert standup.since_moment([], NOW) is None


def test_demo_agenda_for_the_campaign_manager(demo: Workspace):
    pilot = demo.pilot()
    daniel = next(p for p in demo.all(Person) if p.name == "Daniel Okafor")
    agenda = standup.agenda_for(daniel, demo.all(ChecklistItem), today=TODAY,
                                since=standup.since_moment(demo.all(CheckIn), NOW),
                                focus_stages=standup.focus_stage_ids(pilot))
    assert all(i.done_at > "2026-11-17T10:45" for i in agenda.finished)  # ticked since last Tuesday's check-in
    assert all(i.due <= "2026-11-18" and not i.done for i in agenda.due)
    assert any("consolidated list" in i.text for i in agenda.due)
    assert {i.stage_id for i in agenda.focus} <= set(standup.focus_stage_ids(pilot))
    assert [p.name for p in standup.people_to_visit(demo.all(Person))] == [p.name for p in demo.all(Person)]


def test_build_checkin_keeps_visit_order_and_the_latest_blocker_per_item():
    blockers = [standup.blocker_entry("p1", "i1", " first "), standup.blocker_entry("p2", "i2", "x"),
                standup.blocker_entry("p1", "i1", "second")]
    checkin = standup.build_checkin(TODAY, ["p2", "p1", "p2"], "  notes  ", blockers)
    assert checkin.date == "2026-11-18"
    assert checkin.attendee_ids == ["p2", "p1"]
    assert checkin.notes == "notes"
    assert checkin.blockers == [{"person_id": "p1", "item_id": "i1", "note": "second"},
                                {"person_id": "p2", "item_id": "i2", "note": "x"}]


def test_timebox_cycles_off_one_two_three_minutes_and_counts_down():
    steps = [None]
    for _ in range(4):
        steps.append(standup.next_timebox(steps[-1]))
    assert steps == [None, 60, 120, 180, None]
    assert standup.countdown_text(65) == "1:05 left"
    assert standup.countdown_text(0) == "0:00 left"
    assert standup.countdown_text(-12) == "0:12 over"


def test_focus_stage_ids():
    assert standup.focus_stage_ids(Pilot(focus_from_stage_id="a", focus_to_stage_id="b")) == ["a", "b"]
    assert standup.focus_stage_ids(Pilot()) == []


def test_blockers_are_grouped_per_piece_for_whoever_owns_the_step_or_the_piece(demo: Workspace):
    from gtm_tui.checklists.runs import steps_to_work

    people = {p.name: p for p in demo.all(Person)}
    steps = steps_to_work(demo)

    def blocked(name: str) -> list[tuple[str, list[str]]]:
        return [(item.title if item else "", [s.text[:20] for s in group])
                for item, group in standup.blockers_by_item(people[name].id, steps, demo.all(WorkItem))]

    assert blocked("Aisha Karimi") == [("Demo video thumbnail and YouTube copy", ["Claims such as '3x f"]),
                                       ("Sales one-pager", ["Source files saved t"])]  # hers, and on her piece
    assert blocked("Lukas Brenner") == [("Demo video thumbnail and YouTube copy", ["Claims such as '3x f"]),
                                        ("Sales one-pager", ["Source files saved t"])]  # his piece, and his step
    assert blocked("Tom Becker") == []
