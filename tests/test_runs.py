"""Runs: a piece's own copy of a stage's steps — owners, due dates, rework runs, offers, moving on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from gtm_tui.checklists.runs import (
    RunIndex,
    StageOwners,
    live_steps,
    new_run,
    offers,
    open_work,
    progress_text,
    step_due,
    step_owner,
)
from gtm_tui.data.model import (
    ChecklistItem,
    Person,
    RaciAssignment,
    Run,
    Stage,
    Step,
    WorkItem,
)
from gtm_tui.data.workspace import Workspace
from gtm_tui.process.planning import WorkCalendar
from gtm_tui.raci.raci_work import approval_refusal
from gtm_tui.work import moving

MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
WEEK = WorkCalendar()


def test_a_run_copies_the_stage_steps_with_owners_and_due_dates():
    stage = Stage(name="Copywriting", expected_days=3)
    steps = [
        Step(stage_id=stage.id, text="Draft", position=0, offset_days=1),
        Step(stage_id=stage.id, text="Facts checked", position=1, owner_id="aaaaaaaaaaaa"),
        Step(stage_id=stage.id, text="Approved", position=2, approval=True),
        Step(stage_id="elsewhere", text="not ours"),
    ]
    item = WorkItem(title="Post")
    run, made = new_run(item, stage, steps, StageOwners("rrrrrrrrrrrr", "bbbbbbbbbbbb"),
                        MONDAY + timedelta(days=4), WEEK)  # entered on a Friday
    assert run.work_item_id == item.id and run.stage_id == stage.id and run.open and not run.rework
    assert [s.text for s in made] == ["Draft", "Facts checked", "Approved"]
    assert [s.owner_id for s in made] == ["rrrrrrrrrrrr", "aaaaaaaaaaaa", "bbbbbbbbbbbb"]
    # An offset of one working day from Friday is Monday; the stage's 3 days end on Tuesday.
    assert [s.due for s in made] == ["2026-11-23", "2026-11-24", "2026-11-24"]
    assert all(s.run_id == run.id and s.work_item_id == item.id and not s.done for s in made)
    assert made[2].approval and made[0].step_id == steps[0].id


def test_step_due_and_owner_rules():
    stage = Stage(name="S", expected_days=None)
    assert step_due(Step(stage_id=stage.id, text="x"), stage, MONDAY.date(), WEEK) is None
    assert step_due(Step(stage_id=stage.id, text="x", offset_days=0), stage, date(2026, 11, 21), WEEK) == date(
        2026, 11, 23
    )
    owners = StageOwners("rrrrrrrrrrrr", None)
    assert step_owner(Step(text="x", owner_role="A"), owners) == "rrrrrrrrrrrr"  # no A: the R has it
    assert step_owner(Step(text="x"), StageOwners()) is None


def test_the_index_finds_runs_steps_progress_and_live_steps():
    item = WorkItem(title="Post", stage_id="ssssssssssss")
    old = Run(work_item_id=item.id, stage_id="ssssssssssss", started_at="2026-11-01T09:00:00+00:00",
              ended_at="2026-11-02T09:00:00+00:00")
    now = Run(work_item_id=item.id, stage_id="ssssssssssss", started_at="2026-11-10T09:00:00+00:00", rework=True)
    steps = [ChecklistItem(stage_id="ssssssssssss", run_id=old.id, text="left open"),
             ChecklistItem(stage_id="ssssssssssss", run_id=now.id, text="a", done=True, position=0),
             ChecklistItem(stage_id="ssssssssssss", run_id=now.id, text="b", position=1),
             ChecklistItem(stage_id="ssssssssssss", text="in no run")]
    index = RunIndex.of([now, old], steps)
    assert index.runs_of(item.id) == [old, now] and index.current(item) == now
    assert progress_text(index.progress(now.id)) == "1/2" and progress_text(index.progress("nothing")) == "—"
    assert [s.text for s in live_steps(steps, [old, now])] == ["a", "b", "in no run"]
    assert [s.text for s in index.loose] == ["in no run"]
    assert [s.text for s in open_work(index.steps_of(now.id)).steps] == ["b"]


def test_a_changed_stage_step_is_offered_to_open_runs_never_forced():
    stage = Stage(name="S", expected_days=2)
    kept = Step(stage_id=stage.id, text="Draft")
    run, made = new_run(WorkItem(title="p"), stage, [kept], StageOwners(), MONDAY, WEEK)
    ended = Run(work_item_id="eeeeeeeeeeee", stage_id=stage.id, started_at=run.started_at, ended_at=run.started_at)
    index = RunIndex.of([run, ended], made)
    added = Step(stage_id=stage.id, text="Alt text written", position=1)
    [offer] = offers(added, stage, [run, ended], index, StageOwners(), WEEK)
    assert offer.add is not None and offer.add.text == "Alt text written" and offer.add.position == 1
    assert offer.add.due == "2026-11-17"  # from the day the run started
    link = [{"label": "Doc", "target": "https://docs.example.com/x"}]
    edited = kept.replace(text="Draft in the shared doc", links=link)
    [offer] = offers(edited, stage, [run], index, StageOwners(), WEEK)
    assert offer.step == made[0] and offer.changes == {"text": "Draft in the shared doc", "links": link}
    assert offers(kept, stage, [run], index, StageOwners(), WEEK) == []


# --------------------------------------------------------------------------
# Moving items with their runs, on a workspace


@pytest.fixture
def team(workspace: Workspace):
    writer = workspace.add(Person(name="Priya"))
    manager = workspace.add(Person(name="Daniel"))
    other = workspace.add(Person(name="Sofia"))
    copy = workspace.add(Stage(name="Copywriting", position=0, expected_days=3))
    design = workspace.add(Stage(name="Design", position=1, expected_days=2))
    for stage, person, role in ((copy, writer, "R"), (copy, manager, "A"), (design, other, "R")):
        workspace.add(RaciAssignment(stage_id=stage.id, person_id=person.id, role=role))
    workspace.add(Step(stage_id=copy.id, text="Headline and key message", position=0))
    workspace.add(Step(stage_id=copy.id, text="Tone approved", position=1, approval=True))
    workspace.add(Step(stage_id=design.id, text="Visual in the Figma board", position=0, offset_days=1))
    return workspace, {"writer": writer, "manager": manager, "other": other, "copy": copy, "design": design}


def steps_in(workspace: Workspace, run: Run) -> list[ChecklistItem]:
    return moving.steps_of(workspace, run.id)


def test_a_new_item_in_a_stage_gets_its_run_at_once(team):
    workspace, t = team
    item = moving.add_item(workspace, WorkItem(title="LinkedIn post", stage_id=t["copy"].id), MONDAY)
    [run] = moving.runs_of(workspace, item.id)
    assert item.assignee_id == t["writer"].id and item.status == "in progress"
    assert [(s.text, s.owner_id, s.due) for s in steps_in(workspace, run)] == [
        ("Headline and key message", t["writer"].id, "2026-11-18"),
        ("Tone approved", t["manager"].id, "2026-11-18"),
    ]
    workspace.undo()  # one step: the item and its run go together
    assert workspace.all(WorkItem) == [] and workspace.all(Run) == [] and workspace.all(ChecklistItem) == []


def test_moving_on_refuses_an_open_approval_asks_for_open_steps_then_starts_the_next_run(team):
    workspace, t = team
    item = moving.add_item(workspace, WorkItem(title="Post", stage_id=t["copy"].id), MONDAY)
    [run] = moving.runs_of(workspace, item.id)
    headline, approval = steps_in(workspace, run)
    with pytest.raises(moving.MoveRefused, match="only Daniel, accountable for Copywriting, can tick it"):
        moving.move_next(workspace, item, MONDAY)
    assert approval_refusal(workspace, approval, t["writer"].id)  # the writer may not tick it
    workspace.update(approval, done=True, done_by=t["manager"].id, done_at="2026-11-16T10:00:00+00:00")
    with pytest.raises(moving.MoveNeedsConfirmation, match="1 open step"):
        moving.move_next(workspace, item, MONDAY)
    workspace.update(headline, done=True, done_by=t["writer"].id, done_at="2026-11-16T11:00:00+00:00")
    later = MONDAY + timedelta(days=1)
    moved = moving.move_next(workspace, item, later)
    assert moved.stage_id == t["design"].id
    first, second = moving.runs_of(workspace, item.id)
    assert first.ended_at == "2026-11-17T09:00:00+00:00" and second.open and not second.rework
    assert [(s.text, s.owner_id, s.due) for s in steps_in(workspace, second)] == [
        ("Visual in the Figma board", t["other"].id, "2026-11-18")]


def test_moving_on_with_open_steps_goes_when_confirmed(team):
    workspace, t = team
    item = moving.add_item(workspace, WorkItem(title="Post", stage_id=t["copy"].id), MONDAY)
    [run] = moving.runs_of(workspace, item.id)
    approval = steps_in(workspace, run)[1]
    workspace.update(approval, done=True, done_by=t["manager"].id, done_at="2026-11-16T10:00:00+00:00")
    moving.move_next(workspace, item, MONDAY, confirmed=True)
    assert [s.done for s in steps_in(workspace, run)] == [False, True]  # left as it was


def test_a_loop_back_starts_a_rework_run_and_keeps_the_old_one(team):
    workspace, t = team
    item = moving.add_item(workspace, WorkItem(title="Post", stage_id=t["design"].id), MONDAY)
    workspace.update(steps_in(workspace, moving.runs_of(workspace, item.id)[0])[0], done=True)
    back = moving.move(workspace, item, t["copy"].id, MONDAY + timedelta(hours=2))
    design_run, copy_run = moving.runs_of(workspace, item.id)
    assert back.stage_id == t["copy"].id and not design_run.open and copy_run.rework  # going back is rework
    approval = steps_in(workspace, copy_run)[1]
    workspace.update(approval, done=True, done_by=t["manager"].id)
    moving.move_next(workspace, back, MONDAY + timedelta(hours=3), confirmed=True)
    runs = moving.runs_of(workspace, item.id)
    assert len(runs) == 3 and runs[-1].stage_id == t["design"].id and runs[-1].rework  # been here before
    assert [s.done for s in steps_in(workspace, runs[0])] == [True]  # the first design run is kept as it was


def test_going_back_is_never_held_up_by_open_steps(team):
    workspace, t = team
    item = moving.add_item(workspace, WorkItem(title="Post", stage_id=t["design"].id, status="done"), MONDAY)
    moved = moving.move_previous(workspace, item, MONDAY)
    assert moved.stage_id == t["copy"].id


def test_an_item_from_before_runs_gets_its_run_on_demand(team):
    workspace, t = team
    item = workspace.add(WorkItem(title="Old post", stage_id=t["copy"].id, stage_history=[
        {"stage_id": t["copy"].id, "entered_at": "2026-11-16T09:00:00+00:00", "left_at": None}]))
    run = moving.start_run(workspace, item, MONDAY)
    assert len(steps_in(workspace, run)) == 2
    with pytest.raises(moving.MoveRefused, match="already has a run"):
        moving.start_run(workspace, item, MONDAY)


def test_deleting_an_item_takes_its_runs_and_steps_with_it(team):
    workspace, t = team
    item = moving.add_item(workspace, WorkItem(title="Post", stage_id=t["copy"].id), MONDAY)
    said = [c.text for c in workspace.consequences(item)]
    assert any("run" in text for text in said) and any("Tone approved" in text for text in said)
    workspace.delete(item)
    assert workspace.all(Run) == [] and workspace.all(ChecklistItem) == [] and len(workspace.all(Step)) == 3


def test_timeliness_counts_steps_done_on_time_late_and_open_past_due():
    from gtm_tui.checklists.runs import timeliness

    steps = [
        ChecklistItem(stage_id="s", text="on time", due="2026-11-16", done=True, done_at="2026-11-16T22:00:00+00:00"),
        ChecklistItem(stage_id="s", text="late", due="2026-11-16", done=True, done_at="2026-11-17T08:00:00+00:00"),
        ChecklistItem(stage_id="s", text="open late", due="2026-11-17"),
        ChecklistItem(stage_id="s", text="open, not due", due="2026-11-18"),
        ChecklistItem(stage_id="s", text="no date", done=True, done_at="2026-11-17T08:00:00+00:00"),
    ]
    counted = timeliness(steps, date(2026, 11, 18))
    assert (counted.on_time, counted.late, counted.open_late, counted.share) == (1, 1, 1, 50.0)
