"""Work item actions: pure functions that return the updated item or an Edit (saving is the caller's job)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gtm_tui.data.model import Person, Stage, ValidationError, WorkItem
from gtm_tui.data.workspace import Workspace
from gtm_tui.work import work_items as work

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
BRIEF = Stage(id="aaaaaaaaaaa1", name="Brief", position=0, expected_days=2)
COPY = Stage(id="aaaaaaaaaaa2", name="Copy", position=1, expected_days=3)
REVIEW = Stage(id="aaaaaaaaaaa3", name="Review", position=2, expected_days=1)
STAGES = [REVIEW, BRIEF, COPY]  # out of order on purpose: position decides


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def s(hours: float) -> str:
    return work.stamp(at(hours))


def without_ids(entries: list[dict]) -> list[dict]:
    return [{key: value for key, value in entry.items() if key != "id"} for entry in entries]


def test_moving_into_the_first_stage_opens_a_visit_and_starts_the_work():
    item = WorkItem(title="Blog post")
    moved = work.move_next(item, STAGES, at(0))
    assert moved.stage_id == BRIEF.id
    assert moved.stage_history == [{"stage_id": BRIEF.id, "entered_at": s(0), "left_at": None}]
    assert moved.status == "in progress"
    assert item.stage_history == []  # the original is untouched


def test_moving_next_closes_the_current_visit_and_opens_the_next():
    item = work.move_next(WorkItem(title="Blog post"), STAGES, at(0))
    item = work.move_next(item, STAGES, at(5))
    assert item.stage_id == COPY.id
    assert item.stage_history == [
        {"stage_id": BRIEF.id, "entered_at": s(0), "left_at": s(5)},
        {"stage_id": COPY.id, "entered_at": s(5), "left_at": None},
    ]


def test_moving_back_is_a_new_visit_to_the_earlier_stage():
    item = WorkItem(title="Blog post")
    for hours in (0, 1, 2):
        item = work.move_next(item, STAGES, at(hours))
    assert item.stage_id == REVIEW.id
    back = work.move_previous(item, STAGES, at(3))
    assert back.stage_id == COPY.id
    assert [v["stage_id"] for v in back.stage_history] == [BRIEF.id, COPY.id, REVIEW.id, COPY.id]
    assert back.stage_history[2]["left_at"] == s(3)
    assert back.stage_history[3] == {"stage_id": COPY.id, "entered_at": s(3), "left_at": None}


def test_moving_past_either_end_is_refused_with_a_reason():
    first = work.move_next(WorkItem(title="Post"), STAGES, at(0))
    with pytest.raises(ValidationError, match="first stage"):
        work.move_previous(first, STAGES, at(1))
    last = first.replace(stage_id=REVIEW.id)
    with pytest.raises(ValidationError, match="last stage"):
        work.move_next(last, STAGES, at(1))
    with pytest.raises(ValidationError, match="not in a stage"):
        work.move_previous(WorkItem(title="Post"), STAGES, at(1))
    with pytest.raises(ValidationError, match="no stages"):
        work.move_next(WorkItem(title="Post"), [], at(1))


def test_sending_a_done_item_back_opens_it_again():
    item = WorkItem(title="Post", stage_id=REVIEW.id, status="done", done_at=s(0),
                    stage_history=[{"stage_id": REVIEW.id, "entered_at": s(0), "left_at": None}])
    back = work.move_previous(item, STAGES, at(2))
    assert back.status == "in progress"
    assert back.done_at is None


def test_moving_to_the_same_stage_changes_nothing_and_to_no_stage_only_closes():
    item = work.move_next(WorkItem(title="Post"), STAGES, at(0))
    assert work.move_to_stage(item, BRIEF.id, at(1)) is item
    out = work.move_to_stage(item, None, at(2))
    assert out.stage_id is None
    assert out.stage_history == [{"stage_id": BRIEF.id, "entered_at": s(0), "left_at": s(2)}]


def test_done_stamps_done_at_and_leaving_done_clears_it():
    item = WorkItem(title="Post", status="in progress")
    done = work.set_status(item, "done", at(4))
    assert (done.status, done.done_at) == ("done", s(4))
    assert work.set_status(done, "done", at(9)) is done  # already done: the first moment stays
    reopened = work.set_status(done, "blocked", at(5))
    assert (reopened.status, reopened.done_at) == ("blocked", None)
    with pytest.raises(ValidationError, match="status"):
        work.set_status(item, "finished", at(5))


def test_timer_start_stop_logs_whole_minutes_for_the_assignee():
    item = WorkItem(title="Post", assignee_id="bbbbbbbbbbb1")
    running = work.start_timer(item, at(0)).after
    assert running.timer_started_at == s(0)
    assert work.timer_minutes(running, at(1.5)) == 90
    with pytest.raises(ValidationError, match="already running"):
        work.start_timer(running, at(1))
    stopped = work.stop_timer(running, at(1.5)).after
    assert stopped.timer_started_at is None
    assert without_ids(stopped.time_log) == [
        {"at": s(1.5), "minutes": 90, "person_id": "bbbbbbbbbbb1", "note": "timer"}
    ]
    with pytest.raises(ValidationError, match="no timer"):
        work.stop_timer(stopped, at(2))


def test_a_timer_stopped_within_seconds_logs_nothing():
    running = work.start_timer(WorkItem(title="Post"), at(0)).after
    stopped = work.toggle_timer(running, at(0) + timedelta(seconds=20)).after
    assert stopped.timer_started_at is None
    assert stopped.time_log == []
    assert work.toggle_timer(stopped, at(1)).after.timer_started_at == s(1)


def test_log_minutes_by_hand_accepts_typed_numbers_and_refuses_nonsense():
    item = work.log_minutes(WorkItem(title="Post"), "45", "bbbbbbbbbbb1", at(0), " draft ").after
    item = work.log_minutes(item, "1,5", None, at(1)).after
    assert without_ids(item.time_log) == [
        {"at": s(0), "minutes": 45, "person_id": "bbbbbbbbbbb1", "note": "draft"},
        {"at": s(1), "minutes": 1.5, "person_id": None, "note": ""},
    ]
    assert work.logged_minutes(item) == 46.5
    for bad, reason in (("", "required"), ("0", "more than 0"), ("-5", "0 or more"), ("lots", "not a number")):
        with pytest.raises(ValidationError, match=reason):
            work.log_minutes(item, bad, None, at(2))


def test_counters_append_a_timestamped_entry_with_an_optional_note():
    item = work.add_feedback_cycle(WorkItem(title="Post"), at(0), "  tone too formal ").after
    item = work.add_feedback_cycle(item, at(1)).after
    item = work.add_clarification(item, at(2), "Which logo?").after
    assert without_ids(item.feedback_cycles) == [{"at": s(0), "note": "tone too formal"}, {"at": s(1), "note": ""}]
    assert without_ids(item.clarifications) == [{"at": s(2), "note": "Which logo?"}]
    assert len({entry["id"] for entry in item.feedback_cycles}) == 2  # each entry can be told apart (and undone)


def test_hand_flags_toggle():
    item = WorkItem(title="Post")
    assert work.toggle_rework(item).rework is True
    assert work.toggle_rework(work.toggle_rework(item)).rework is False
    assert work.toggle_delay(item).delayed is True


def test_changes_and_saving_through_the_workspace(workspace: Workspace):
    person = workspace.add(Person(name="Dana"))
    stage = workspace.add(Stage(name="Brief", position=0, expected_days=1))
    item = workspace.add(WorkItem(title="Post", assignee_id=person.id))
    moved = work.move_next(item, workspace.all(Stage), at(0))
    diff = work.changes(item, moved)
    assert set(diff) == {"stage_id", "stage_history", "status"}
    saved = workspace.update(item, **diff)
    reopened = Workspace.open(workspace.path).get(WorkItem, item.id)
    assert reopened.stage_id == stage.id == saved.stage_id
    assert reopened.stage_history[0]["entered_at"] == s(0)
