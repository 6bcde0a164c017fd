"""RACI drives the work: default owners, approval ticks, missing handoffs, handoff counts (rules and screens)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtm_tui import raci_work
from gtm_tui.app import GtmApp
from gtm_tui.model import ChecklistItem, Handoff, Person, RaciAssignment, Stage, WorkItem
from gtm_tui.person_page import person_markdown, person_page
from gtm_tui.raci import approver_for, responsible_for
from gtm_tui.workspace import Workspace


@pytest.fixture
def team(workspace: Workspace) -> dict:
    """Three stages: Brief (R Dana, A Omar), Draft (R Dana), Review (R Lee, A Omar); one handoff Brief → Draft."""
    dana = workspace.add(Person(name="Dana"))
    omar = workspace.add(Person(name="Omar"))
    lee = workspace.add(Person(name="Lee"))
    brief = workspace.add(Stage(name="Brief", position=0))
    draft = workspace.add(Stage(name="Draft", position=1))
    review = workspace.add(Stage(name="Review", position=2))
    for stage, person, role in ((brief, dana, "R"), (brief, omar, "A"), (draft, dana, "A/R"),
                                (review, lee, "R"), (review, omar, "A")):
        workspace.add(RaciAssignment(layer="pilot", stage_id=stage.id, person_id=person.id, role=role))
    workspace.add(RaciAssignment(layer="today", stage_id=review.id, person_id=dana.id, role="R"))
    workspace.add(Handoff(from_stage_id=brief.id, to_stage_id=draft.id))
    return {"ws": workspace, "dana": dana, "omar": omar, "lee": lee, "brief": brief, "draft": draft, "review": review}


# -- a stage's R and A ------------------------------------------------------------------------

def test_responsible_and_approver_of_a_stage(team):
    ws = team["ws"]
    assert responsible_for(ws, team["review"].id) == team["lee"].id
    assert responsible_for(ws, team["review"].id, layer="today") == team["dana"].id
    assert responsible_for(ws, team["draft"].id) == team["dana"].id  # A/R counts as R
    assert approver_for(ws, team["draft"].id) == team["dana"].id
    assert approver_for(ws, team["review"].id) == team["omar"].id
    assert responsible_for(ws, None) is None


# -- default owner ------------------------------------------------------------------------------

def test_new_checklist_item_without_owner_goes_to_the_stages_r(team):
    ws = team["ws"]
    item = raci_work.add_checklist_item(ws, stage_id=team["review"].id, text="Links checked")
    assert item.owner_id == team["lee"].id
    second = raci_work.add_checklist_item(ws, stage_id=team["review"].id, text="Alt text", owner_id=team["omar"].id)
    assert second.owner_id == team["omar"].id  # a chosen owner wins
    assert second.position == item.position + 1


def test_new_work_item_without_assignee_goes_to_the_stages_r(team):
    ws = team["ws"]
    added = raci_work.add_work_item(ws, WorkItem(title="Launch post", stage_id=team["brief"].id))
    assert added.assignee_id == team["dana"].id
    loose = raci_work.add_work_item(ws, WorkItem(title="No stage yet"))
    assert loose.assignee_id is None


def test_stage_without_r_leaves_the_owner_empty(workspace: Workspace):
    stage = workspace.add(Stage(name="Solo"))
    assert raci_work.add_checklist_item(workspace, stage_id=stage.id, text="x").owner_id is None


# -- approval ticks -----------------------------------------------------------------------------

def test_only_the_stages_a_may_tick_an_approval(team):
    ws = team["ws"]
    approval = ws.add(ChecklistItem(stage_id=team["review"].id, text="Final yes", approval=True))
    assert raci_work.approval_refusal(ws, approval, team["omar"].id) is None
    assert raci_work.approval_refusal(ws, approval, team["lee"].id) == (
        "Only Omar, accountable for Review, can tick this approval")
    assert raci_work.approval_refusal(ws, approval, None) is not None
    done = ws.update(approval, done=True, done_by=team["omar"].id)
    assert raci_work.approval_refusal(ws, done, team["lee"].id) == (
        "Only Omar, accountable for Review, can untick this approval")


def test_ordinary_items_are_not_guarded_and_a_stage_without_a_refuses(team, workspace: Workspace):
    ws = team["ws"]
    plain = ws.add(ChecklistItem(stage_id=team["review"].id, text="Links"))
    assert raci_work.approval_refusal(ws, plain, team["lee"].id) is None
    orphan_stage = ws.add(Stage(name="Orphan", position=3))
    orphan = ws.add(ChecklistItem(stage_id=orphan_stage.id, text="Sign", approval=True))
    assert "Orphan has no Accountable" in raci_work.approval_refusal(ws, orphan, team["omar"].id)


# -- missing handoffs ---------------------------------------------------------------------------

def test_missing_handoff_where_the_r_changes(team):
    ws = team["ws"]
    found = raci_work.missing_handoffs(ws)
    # Brief → Draft: handoff exists (and same R); Draft → Review: R changes Dana → Lee, no handoff.
    assert [(s.from_stage.name, s.to_stage.name) for s in found] == [("Draft", "Review")]
    assert found[0].words(ws) == "Draft → Review: work passes from Dana to Lee with no handoff"
    ws.add(found[0].handoff(ws))
    assert raci_work.missing_handoffs(ws) == []


def test_a_loop_back_does_not_join_stages_forward(team):
    ws = team["ws"]
    ws.add(Handoff(from_stage_id=team["review"].id, to_stage_id=team["draft"].id))
    assert len(raci_work.missing_handoffs(ws)) == 1


def test_demo_has_every_change_of_r_joined(demo: Workspace):
    assert raci_work.missing_handoffs(demo) == []


# -- handoff counts -----------------------------------------------------------------------------

def test_handoff_counts_in_and_out(team):
    ws = team["ws"]
    ws.add(Handoff(from_stage_id=team["draft"].id, to_stage_id=team["review"].id))
    ws.add(Handoff(from_stage_id=team["review"].id, to_stage_id=team["brief"].id))
    dana = raci_work.handoff_counts(ws, team["dana"].id)
    # Brief→Draft: Dana out and in; Draft→Review: Dana out; Review→Brief: Dana in.
    assert (dana.handed_in, dana.handed_out) == (2, 2)
    lee = raci_work.handoff_counts(ws, team["lee"].id)
    assert (lee.handed_in, lee.handed_out) == (1, 1)
    assert raci_work.handoff_counts(ws, team["omar"].id) == raci_work.HandoffCount(0, 0)
    page = person_page(ws, team["dana"].id)
    assert (page.handoffs_in, page.handoffs_out) == (2, 2)
    assert "Handoffs (by the pilot R): receives 2, passes on 2" in person_markdown(page)
