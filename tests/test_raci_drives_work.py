"""RACI drives the work: default owners, approval ticks, missing handoffs, handoff counts (rules and screens)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_waits import press_and_wait

from gtm_tui.app import GtmApp
from gtm_tui.data.model import ChecklistItem, Handoff, Person, RaciAssignment, Stage, WorkItem
from gtm_tui.data.workspace import Workspace
from gtm_tui.overview.person_page import person_markdown, person_page
from gtm_tui.raci import raci_work
from gtm_tui.raci.matrix import approver_for, responsible_for


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


def test_ticking_goes_through_the_approval_rule_and_saves_nothing_when_refused(team):
    ws = team["ws"]
    approval = ws.add(ChecklistItem(stage_id=team["review"].id, text="Final yes", approval=True))
    assert raci_work.approver(ws, approval) == team["omar"].id
    with pytest.raises(raci_work.ApprovalRefused, match="Only Omar, accountable for Review, can tick this approval"):
        raci_work.toggle_tick(ws, approval, team["lee"].id)
    assert Workspace.open(ws.path).get(ChecklistItem, approval.id).done is False
    ticked = raci_work.toggle_tick(ws, approval, team["omar"].id)
    assert (ticked.done, ticked.done_by) == (True, team["omar"].id)
    plain = ws.add(ChecklistItem(stage_id=team["review"].id, text="Links", owner_id=team["lee"].id))
    assert raci_work.toggle_tick(ws, plain, None).done_by == team["lee"].id  # nobody said: the owner
    assert raci_work.toggle_tick(ws, ws.get(ChecklistItem, plain.id), None).done is False


def test_who_ticks_is_asked_for_an_approval_and_an_ownerless_open_item(team):
    approval = ChecklistItem(stage_id=team["review"].id, text="Final yes", approval=True)
    ownerless = ChecklistItem(stage_id=team["review"].id, text="Links")
    owned = ChecklistItem(stage_id=team["review"].id, text="Alt text", owner_id=team["lee"].id)
    assert raci_work.asks_who_ticks(approval, None) and raci_work.asks_who_ticks(ownerless, None)
    assert not raci_work.asks_who_ticks(owned, None)
    assert not raci_work.asks_who_ticks(ownerless.replace(done=True), None)  # unticking needs nobody
    assert not raci_work.asks_who_ticks(approval, team["omar"].id)


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


# -- the flows on the demo --------------------------------------------------------------------

def demo_ids(ws: Workspace) -> dict:
    people = {p.name: p.id for p in ws.all(Person)}
    stages = {s.name: s.id for s in ws.all(Stage)}
    return {"people": people, "stages": stages}


def open_runs_in(ws: Workspace, stage_id: str) -> list:
    from gtm_tui.data.model import Run

    return [run for run in ws.all(Run) if run.open and run.stage_id == stage_id and run.work_item_id]


async def test_a_step_added_to_a_run_in_a_demo_stage_gets_the_stages_r(demo_file: Path):
    from gtm_tui.screens.dialogs.forms import FormScreen
    from gtm_tui.screens.main.checklists import RUN_ROW, ChecklistsScreen

    ws = Workspace.open(demo_file)
    ids = demo_ids(ws)
    [run] = open_runs_in(ws, ids["stages"]["Copywriting"])
    app = GtmApp(demo_file, ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "3")
        screen = app.screen
        assert isinstance(screen, ChecklistsScreen)
        screen.select(RUN_ROW + run.id)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.values()["owner_id"] == ids["people"]["Priya Raman"]  # pre-filled with the R
        assert any("default: the stage's R" in str(s.render()) for s in form.query(".field-hint"))
        form.query_one("#field-owner_id").clear()  # left empty: the core add path still applies the R
        for char in "Headline":
            await pilot.press(char)
        await pilot.press("ctrl+s")
        await pilot.pause()
    added = [i for i in Workspace.open(demo_file).all(ChecklistItem) if i.text == "Headline"]
    assert len(added) == 1
    assert added[0].stage_id == ids["stages"]["Copywriting"]
    assert added[0].owner_id == ids["people"]["Priya Raman"]


async def test_a_non_a_cannot_tick_an_approval_and_the_a_can(demo_file: Path):
    from gtm_tui.screens.dialogs.whoami import set_session_person
    from gtm_tui.screens.main.checklists import ChecklistsScreen

    ws = Workspace.open(demo_file)
    ids = demo_ids(ws)
    live = {run.id for run in open_runs_in(ws, ids["stages"]["Launch approval"])}
    # An open approval step of a run under way in Launch approval, whose A is Maya Thornton.
    approval = next(i for i in ws.all(ChecklistItem) if i.approval and i.run_id in live and not i.done)
    app = GtmApp(demo_file, ws)
    messages: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "3")
        screen = app.screen
        assert isinstance(screen, ChecklistsScreen)
        original_notify = screen.notify
        screen.notify = lambda message, **kw: (messages.append(message), original_notify(message, **kw))  # type: ignore[method-assign]
        set_session_person(app, ids["people"]["Daniel Okafor"])  # R of Launch approval, not its A
        screen.select(approval.id)
        assert "[A]" in str(screen.table.get_row(approval.id)[1])
        await pilot.press("space")
        await pilot.pause()
        assert Workspace.open(demo_file).get(ChecklistItem, approval.id).done is False
        assert "Only Maya Thornton, accountable for Launch approval, can tick this approval." in messages
        set_session_person(app, ids["people"]["Maya Thornton"])
        await pilot.press("space")
        await pilot.pause()
        ticked = Workspace.open(demo_file).get(ChecklistItem, approval.id)
        assert ticked.done and ticked.done_by == ids["people"]["Maya Thornton"]
        # A turns an ordinary item into an approval item (and back).
        plain = next(i for i in ws.all(ChecklistItem) if not i.approval and i.run_id in live)
        screen.select(plain.id)
        await pilot.press("A")
        await pilot.pause()
        assert Workspace.open(demo_file).get(ChecklistItem, plain.id).approval is True


async def test_process_hint_suggests_the_missing_handoff_and_m_creates_it(demo_file: Path):
    from textual.widgets import Static

    ws = Workspace.open(demo_file)
    ids = demo_ids(ws)
    copy, design = ids["stages"]["Copywriting"], ids["stages"]["Creative design"]
    ws.delete(next(h for h in ws.all(Handoff) if (h.from_stage_id, h.to_stage_id) == (copy, design)))
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "2")
        hint = app.screen.query_one("#handoff-hint", Static)
        assert hint.display
        assert "Copywriting → Creative design: work passes from Priya Raman to Lukas Brenner" in str(hint.render())
        await pilot.press("m")
        await pilot.pause()
        assert not hint.display
    joined = [(h.from_stage_id, h.to_stage_id) for h in Workspace.open(demo_file).all(Handoff)]
    assert (copy, design) in joined
