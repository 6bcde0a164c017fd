"""Stand-up rules: who is visited, everything open each person covers, the timebox and the check-in record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from gtm_tui.checklists import standup
from gtm_tui.data.model import CheckIn, ChecklistItem, Person, Stage, WorkItem
from gtm_tui.data.workspace import Workspace

TODAY = date(2026, 11, 18)


@dataclass(frozen=True)
class Turn:
    """What the stand-up reads of a your-turn entry."""

    kind: str
    record_id: str

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


def test_their_work_lists_everything_open_once_due_first_then_turns_then_the_rest():
    me, other = Person(name="Me"), Person(name="Other")
    stage = Stage(name="Review", expected_days=2)
    since = datetime(2026, 11, 17, 10, 45, tzinfo=UTC)
    finished = ChecklistItem(stage_id=stage.id, text="done after", owner_id=me.id, done=True, done_by=me.id,
                             done_at="2026-11-17T15:00:00+00:00")
    finished_before = ChecklistItem(stage_id=stage.id, text="done before", owner_id=me.id, done=True,
                                    done_by=me.id, done_at="2026-11-16T15:00:00+00:00")
    done_for_other = ChecklistItem(stage_id=stage.id, text="helped", owner_id=other.id, done=True,
                                   done_by=me.id, done_at="2026-11-18T09:00:00+00:00")
    overdue = ChecklistItem(stage_id=stage.id, text="late", owner_id=me.id, due="2026-11-10")
    due_today = ChecklistItem(stage_id=stage.id, text="today", owner_id=me.id, due="2026-11-18")
    later = ChecklistItem(stage_id=stage.id, text="later", owner_id=me.id, due="2026-11-30")
    no_date = ChecklistItem(stage_id=stage.id, text="no date", owner_id=me.id)
    old = ChecklistItem(stage_id=stage.id, text="old", owner_id=me.id, created_at="2026-11-08T09:00:00+00:00")
    approval = ChecklistItem(stage_id=stage.id, text="sign off", owner_id=other.id, approval=True)
    others = ChecklistItem(stage_id=stage.id, text="theirs", owner_id=other.id, due="2026-11-01")
    late_piece = WorkItem(title="late piece", assignee_id=me.id, stage_id=stage.id, due="2026-11-12")
    arrived = WorkItem(title="arrived", assignee_id=other.id, stage_id=stage.id)
    my_piece = WorkItem(title="my piece", assignee_id=me.id, stage_id=stage.id, due="2026-12-01")
    done_piece = WorkItem(title="done piece", assignee_id=me.id, stage_id=stage.id, status="done")
    steps = [finished, finished_before, done_for_other, overdue, due_today, later, no_date, old, approval, others]
    pieces = [late_piece, arrived, my_piece, done_piece]
    turns = [Turn("work", arrived.id), Turn("approval", approval.id), Turn("work", late_piece.id),
             Turn("item", later.id)]
    waiting = standup.aging_for(me.id, steps, pieces, [stage], NOW)
    work = standup.their_work(me.id, steps, pieces, turns, waiting, today=TODAY, since=since)

    def titles(key: str) -> list[str]:
        return [getattr(line.record, "text", None) or line.record.title for line in work[key]]

    assert titles("due") == ["late", "late piece", "today"]  # the oldest due first, steps and pieces
    assert titles("turn") == ["arrived", "sign off"]  # the late piece is listed once, under due
    assert [line.reason for line in work["turn"]] == ["your turn", "to approve"]
    assert titles("open") == ["old", "later", "my piece", "no date"]  # waited too long first, then by date
    assert titles("finished") == ["done after", "helped"]
    assert work["open"][0].waiting is not None and standup.waited_words(work["open"][0]) == "10 d"
    every = [line.record.id for key in ("due", "turn", "open") for line in work[key]]
    assert len(every) == len(set(every))
    # Before the first stand-up everything done counts.
    first = standup.their_work(me.id, steps, pieces, [], [], today=TODAY, since=None)
    assert len(first["finished"]) == 3
    summary = standup.summary_line("Me", work, ticked=2, blockers=1)
    assert summary == "Me — ticked 2 · 3 due · 2 your turn · 4 open · 1 blocker"
    assert standup.summary_line("Me", {}, 0, 0) == "Me — nothing open"


def test_each_row_says_when_in_a_column_that_never_cuts_a_date():
    stage = Stage(name="Review")
    overdue = standup.Line("step", ChecklistItem(stage_id=stage.id, text="late", due="2026-11-16"))
    today = standup.Line("step", ChecklistItem(stage_id=stage.id, text="now", due="2026-11-18"))
    turn = standup.Line("work", WorkItem(title="arrived", due="2026-11-30"), reason="your turn")
    later = standup.Line("work", WorkItem(title="later", due="2026-11-30"))
    done = standup.Line("step", ChecklistItem(stage_id=stage.id, text="x", done=True,
                                              done_at="2026-11-17T15:00:00+00:00"))
    assert standup.when_words(overdue, TODAY) == ("2 days overdue", "bad")
    assert standup.when_words(today, TODAY) == ("due today", "warning")
    assert standup.when_words(turn, TODAY) == ("your turn", "turn")
    assert standup.when_words(later, TODAY) == ("due in 12 days", "")
    assert standup.when_words(done, TODAY) == ("done 2026-11-17", "done")
    assert max(len(standup.when_words(line, TODAY)[0]) for line in (overdue, today, turn, later, done)) <= 15
    detail = standup.line_detail(turn, TODAY, stage="Review")
    assert detail == "Piece of work: arrived · Review · moved on the Board, its steps ticked here · your turn · " \
                     "due in 12 days (2026-11-30)"
    blocked = standup.Line("step", ChecklistItem(stage_id=stage.id, text="late", due="2026-11-16", blocked="legal"))
    assert standup.line_detail(blocked, TODAY, stage="Review", piece="Newsletter") == (
        "late — Newsletter · Review · 2 days overdue (2026-11-16) · ⚑ blocked: legal")


def test_short_names_keep_people_apart():
    assert standup.short_names(["Ann Lee", "Ann Berg", "Bob Stone", "Cher"]) == ["Ann L.", "Ann B.", "Bob", "Cher"]


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


def test_demo_work_of_the_campaign_manager(demo: Workspace):
    from gtm_tui.checklists.runs import steps_to_work
    from gtm_tui.overview import your_turn

    daniel = next(p for p in demo.all(Person) if p.name == "Daniel Okafor")
    steps, pieces = steps_to_work(demo), demo.all(WorkItem)
    waiting = standup.aging_for(daniel.id, steps, pieces, demo.all(Stage), NOW)
    work = standup.their_work(daniel.id, steps, pieces, your_turn.turns_for(demo, daniel.id), waiting, today=TODAY,
                              since=standup.since_moment(demo.all(CheckIn), NOW))
    assert all(line.record.done_at > "2026-11-17T10:45" for line in work["finished"])  # since Tuesday's check-in
    assert all(line.record.due <= "2026-11-18" and not line.done for line in work["due"])
    assert any("consolidated list" in getattr(line.record, "text", "") for line in work["due"])
    listed = {line.record.id for key in ("due", "turn", "open") for line in work[key]}
    assert {s.id for s in steps if s.owner_id == daniel.id and not s.done} <= listed
    assert {p.id for p in pieces if p.assignee_id == daniel.id and p.status != "done"} <= listed
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
    step = ChecklistItem(stage_id="s", text="Brief approved")
    ticked = standup.build_checkin(TODAY, ["p1"], "", [], [standup.tick_entry("p1", step)] * 2).ticked
    assert ticked == [{"person_id": "p1", "item_id": step.id, "text": "Brief approved"}]  # listed once


def test_timebox_cycles_off_one_two_three_minutes_and_counts_down():
    steps = [None]
    for _ in range(4):
        steps.append(standup.next_timebox(steps[-1]))
    assert steps == [None, 60, 120, 180, None]
    assert standup.countdown_text(65) == "1:05 left"
    assert standup.countdown_text(0) == "0:00 left"
    assert standup.countdown_text(-12) == "0:12 over"


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
