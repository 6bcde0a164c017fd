"""Workspace: CRUD, rules across records, referential integrity, undo and listeners."""

from __future__ import annotations

import pytest

from gtm_tui.data.model import (
    ActionItem,
    CheckIn,
    ChecklistItem,
    Handoff,
    Person,
    RaciAssignment,
    Stage,
    ValidationError,
    WorkItem,
)
from gtm_tui.data.storage import WorkspaceFileError
from gtm_tui.data.workspace import RecordNotFound, Workspace


def reopen(workspace: Workspace) -> Workspace:
    return Workspace.open(workspace.path)


def test_new_workspace_has_a_pilot_and_the_four_review_questions(workspace: Workspace):
    from gtm_tui.data.model import REVIEW_QUESTIONS, Question

    assert workspace.pilot().name == "Test pilot"
    assert [q.text for q in workspace.all(Question)] == list(REVIEW_QUESTIONS)


def test_add_update_delete_are_saved_at_once(workspace: Workspace):
    ann = workspace.add(Person(name="Ann", role="Writer"))
    assert ann.created_at and ann.updated_at
    assert reopen(workspace).get(Person, ann.id).role == "Writer"
    ann = workspace.update(ann, role="Content writer")
    assert reopen(workspace).get(Person, ann.id).role == "Content writer"
    workspace.delete(ann)
    assert reopen(workspace).find(Person, ann.id) is None
    with pytest.raises(RecordNotFound):
        workspace.get(Person, ann.id)


def test_person_names_are_unique_regardless_of_case(workspace: Workspace):
    workspace.add(Person(name="Dana Levi"))
    with pytest.raises(ValidationError, match="already on the team") as error:
        workspace.add(Person(name="  dana levi "))
    assert error.value.field == "name"


def test_references_must_exist(workspace: Workspace):
    with pytest.raises(ValidationError, match="refers to a stage that does not exist"):
        workspace.add(ChecklistItem(stage_id="0" * 12, text="Brief approved"))


def test_duplicate_and_self_handoffs_are_refused(workspace: Workspace):
    a = workspace.add(Stage(name="Brief"))
    b = workspace.add(Stage(name="Copy", position=1))
    workspace.add(Handoff(from_stage_id=a.id, to_stage_id=b.id))
    with pytest.raises(ValidationError, match="already a handoff"):
        workspace.add(Handoff(from_stage_id=a.id, to_stage_id=b.id))
    with pytest.raises(ValidationError, match="itself"):
        workspace.add(Handoff(from_stage_id=a.id, to_stage_id=a.id))
    workspace.add(Handoff(from_stage_id=b.id, to_stage_id=a.id))  # a loop back is fine


def test_deleting_a_stage_says_and_does_what_depends_on_it(workspace: Workspace):
    ann = workspace.add(Person(name="Ann"))
    brief = workspace.add(Stage(name="Brief", owner_id=ann.id))
    copy = workspace.add(Stage(name="Copy", position=1))
    workspace.add(Handoff(from_stage_id=brief.id, to_stage_id=copy.id))
    workspace.add(ChecklistItem(stage_id=brief.id, text="Idea source named"))
    workspace.add(RaciAssignment(stage_id=brief.id, person_id=ann.id, role="A"))
    work = workspace.add(
        WorkItem(
            title="Blog", stage_id=brief.id, stage_history=[{"stage_id": brief.id, "entered_at": None, "left_at": None}]
        )
    )
    fix = workspace.add(ActionItem(title="Shorter brief", links=[{"table": "stages", "id": brief.id}]))

    said = [effect.text for effect in workspace.consequences(brief)]
    assert "deletes handoff Brief → Copy" in said
    assert "deletes checklist item 'Idea source named'" in said
    assert "deletes Ann's A on Brief (pilot RACI)" in said
    assert "unlinks work item 'Blog'" in said

    workspace.delete(brief)
    again = reopen(workspace)
    assert again.count(Handoff) == 0 and again.count(ChecklistItem) == 0 and again.count(RaciAssignment) == 0
    assert again.get(WorkItem, work.id).stage_id is None
    assert again.get(WorkItem, work.id).stage_history == []
    assert again.get(ActionItem, fix.id).links == []


def test_deleting_a_person_detaches_them_everywhere(workspace: Workspace):
    ann = workspace.add(Person(name="Ann"))
    stage = workspace.add(Stage(name="Brief", owner_id=ann.id))
    item = workspace.add(ChecklistItem(stage_id=stage.id, text="x", owner_id=ann.id, done=True, done_by=ann.id))
    checkin = workspace.add(CheckIn(date="2026-11-17", attendee_ids=[ann.id]))
    workspace.delete(ann)
    assert workspace.get(Stage, stage.id).owner_id is None
    assert workspace.get(ChecklistItem, item.id).owner_id is None
    assert workspace.get(ChecklistItem, item.id).done is True
    assert workspace.get(CheckIn, checkin.id).attendee_ids == []


def test_undo_reverts_a_delete_with_everything_it_removed(workspace: Workspace):
    ann = workspace.add(Person(name="Ann"))
    stage = workspace.add(Stage(name="Brief"))
    workspace.add(RaciAssignment(stage_id=stage.id, person_id=ann.id, role="R"))
    workspace.delete(stage)
    assert workspace.count(RaciAssignment) == 0
    undone = workspace.undo()
    assert undone is not None and "delete stage 'Brief'" in undone.description
    again = reopen(workspace)
    assert again.count(Stage) == 1 and again.count(RaciAssignment) == 1
    workspace.undo()
    workspace.undo()
    workspace.undo()
    assert workspace.count(Person) == 0
    assert workspace.undo() is None


def test_undo_of_an_edit_keeps_a_teammates_change_to_another_field(workspace: Workspace):
    ann = workspace.add(Person(name="Ann", role="Writer"))
    workspace.update(ann, role="Editor")
    teammate = Workspace.open(workspace.path)
    teammate.update(teammate.get(Person, ann.id), team="Brand")
    workspace.undo()
    final = reopen(workspace).get(Person, ann.id)
    assert (final.role, final.team) == ("Writer", "Brand")


def test_batch_is_one_save_and_one_undo_step(workspace: Workspace):
    seen = []
    workspace.subscribe(seen.append)
    with workspace.batch("set up stages"):
        brief = workspace.add(Stage(name="Brief"))
        workspace.add(ChecklistItem(stage_id=brief.id, text="Goal stated"))
    assert len(seen) == 1 and seen[0].tables == {"stages", "checklist_items"}
    assert reopen(workspace).count(ChecklistItem) == 1
    workspace.undo()
    assert reopen(workspace).count(Stage) == 0


def test_a_failed_batch_saves_nothing(workspace: Workspace):
    with pytest.raises(ValidationError), workspace.batch("half"):
        workspace.add(Stage(name="Brief"))
        workspace.add(Stage(name="brief"))
    assert workspace.count(Stage) == 0
    assert reopen(workspace).count(Stage) == 0


def test_replace_all_works_on_the_newest_file_and_tells_the_listeners(workspace: Workspace):
    ann = workspace.add(Person(name="Ann"))
    teammate = Workspace.open(workspace.path)
    teammate.add(Person(name="Bo"))  # saved after this session last read the file
    seen = []
    workspace.subscribe(seen.append)

    def rename_everyone(tables):
        assert {p["name"] for p in tables["people"].values()} == {"Ann", "Bo"}
        people = {key: {**person, "role": "Team"} for key, person in tables["people"].items()}
        return {**tables, "people": people}

    change_set = workspace.replace_all("give everyone a role", rename_everyone)
    assert {p.role for p in reopen(workspace).all(Person)} == {"Team"}
    assert workspace.get(Person, ann.id).role == "Team"  # memory follows the file
    assert seen[-1] is change_set and change_set.tables == {"people"}
    assert seen[0].external  # Bo's save was announced as a teammate's first
    assert [c.description for c in seen] == [seen[0].description, "give everyone a role"]
    workspace.undo()  # not an undo step: the add of Ann is what gets undone
    assert reopen(workspace).find(Person, ann.id) is None


def test_replace_all_that_fails_leaves_the_file_as_it_was(workspace: Workspace):
    from gtm_tui.data.storage import SaveError

    workspace.add(Person(name="Ann"))
    before = workspace.path.read_bytes()

    def fails(_tables):
        raise PermissionError(13, "Permission denied")

    with pytest.raises(SaveError, match="the file is as it was"):
        workspace.replace_all("never", fails)
    assert workspace.path.read_bytes() == before
    assert [p.name for p in workspace.all(Person)] == ["Ann"]


def test_listeners_hear_every_change_and_can_unsubscribe(workspace: Workspace):
    seen = []
    stop = workspace.subscribe(seen.append)
    workspace.add(Person(name="Ann"))
    stop()
    workspace.add(Person(name="Bo"))
    assert [c.description for c in seen] == ["add person 'Ann'"]


def test_create_refuses_to_overwrite(empty_file):
    with pytest.raises(WorkspaceFileError, match="already exists"):
        Workspace.create(empty_file)


def test_derived_figures_are_computed_once_per_change_of_each_record(workspace: Workspace):
    calls: list[str] = []

    def name_length(person: Person) -> int:
        calls.append(person.name)
        return len(person.name)

    ann, bo = workspace.add(Person(name="Ann")), workspace.add(Person(name="Bo"))
    assert workspace.derived(Person, name_length) == {ann.id: 3, bo.id: 2}
    assert workspace.derived(Person, name_length) == {ann.id: 3, bo.id: 2}
    assert sorted(calls) == ["Ann", "Bo"]
    workspace.update(ann, name="Annabel")
    assert workspace.derived(Person, name_length)[ann.id] == 7
    assert calls[2:] == ["Annabel"]  # only the changed record again
    workspace.undo()
    assert workspace.derived(Person, name_length) == {ann.id: 3, bo.id: 2}
    workspace.delete(bo)
    assert workspace.derived(Person, name_length) == {ann.id: 3}
    assert [p.name for p in workspace.all(Person)] == ["Ann"]
