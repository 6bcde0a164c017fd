"""Your turn: what waits on a person (work in their stage, approvals on their A, their items), said once."""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import timedelta
from pathlib import Path

from test_metrics_screen import text_of

from gtm_tui.app import GtmApp
from gtm_tui.data import clock
from gtm_tui.data.model import ChecklistItem, Person, Stage, WorkItem
from gtm_tui.data.workspace import Workspace
from gtm_tui.overview.your_turn import all_turns, for_you_section, new_turns, notice, turns_for
from gtm_tui.sharing.identity import IdentityStore, workspace_key
from gtm_tui.work.work_items import move_to_stage

TEAMMATE_SECONDS = 2.0  # the promise: a teammate's move shows within two seconds


def person(workspace: Workspace, name: str) -> Person:
    return next(p for p in workspace.all(Person) if p.name == name)


def stage(workspace: Workspace, name: str) -> Stage:
    return next(s for s in workspace.all(Stage) if s.name == name)


def work(workspace: Workspace, title: str) -> WorkItem:
    return next(w for w in workspace.all(WorkItem) if w.title.startswith(title))


def test_a_work_item_moved_into_my_stage_waits_on_me_from_when_it_entered(demo: Workspace):
    lukas, priya = person(demo, "Lukas Brenner"), person(demo, "Priya Raman")
    story = work(demo, "Customer story: Contoso Retail")  # in Copywriting, where Priya is R
    assert ("work", story.id, story.stage_id) in {t.key for t in turns_for(demo, priya.id)}
    before = {t.key for t in turns_for(demo, lukas.id)}
    moved = demo.update(story, **{k: v for k, v in move_to_stage(story, stage(demo, "Creative design").id,
                                                                     clock.now()).to_dict().items()
                                  if k in ("stage_id", "stage_history", "status")})
    mine = turns_for(demo, lukas.id)
    fresh = new_turns(before, mine)
    assert [(t.kind, t.record_id) for t in fresh] == [("work", moved.id)]
    assert fresh[0].since == clock.now() and fresh[0].waited(clock.now() + timedelta(hours=26)) == "1 d 2 h"
    assert notice(fresh) == "Your turn: Customer story: Contoso Retail — in Creative design"
    assert story.id not in {t.record_id for t in turns_for(demo, priya.id) if t.kind == "work"}


def test_an_approval_waits_on_the_stages_a_once_the_rest_is_ticked(demo: Workspace):
    approval = next(i for i in demo.all(ChecklistItem) if i.approval and not i.done)
    others = [
        i for i in demo.all(ChecklistItem) if i.stage_id == approval.stage_id and i.id != approval.id and not i.approval
    ]

    def keys() -> set[tuple[str, str]]:
        return {(t.kind, t.record_id) for t in all_turns(demo)}

    assert ("approval", approval.id) not in keys()
    with demo.batch("tick the rest"):
        for other in others:
            demo.update(other, done=True, done_at=clock.now().isoformat())
    waiting = [t for t in all_turns(demo) if t.record_id == approval.id and t.kind == "approval"]
    from gtm_tui.raci.raci_work import approver

    assert [t.person_id for t in waiting] == [approver(demo, approval)]
    assert notice(waiting).startswith("Waiting on your approval: ")


def test_an_item_assigned_to_me_is_new_and_the_list_is_oldest_first(demo: Workspace):
    tom = person(demo, "Tom Becker")
    before = {t.key for t in turns_for(demo, tom.id)}
    item = next(i for i in demo.all(ChecklistItem) if not i.done and i.owner_id != tom.id and not i.approval)
    demo.update(item, owner_id=tom.id)
    mine = turns_for(demo, tom.id)
    assert [t.record_id for t in new_turns(before, mine)] == [item.id]
    assert [t.since for t in mine] == sorted(t.since for t in mine)
    section = for_you_section(demo, tom.id, clock.now())
    assert section.title == f"For you ({len(mine)})" and "waiting" in section.rows[0].value
    assert for_you_section(demo, None, clock.now()).rows == []


def test_nothing_waits_on_a_person_without_work(workspace: Workspace):
    ann = workspace.add(Person(name="Ann"))
    assert [r.label for r in for_you_section(workspace, ann.id, clock.now()).rows] == ["Nothing waits on you."]


def messages(app: GtmApp) -> list[str]:
    return [notification.message for notification in app._notifications]


MOVE_SCRIPT = """
import sys
from datetime import datetime, timezone
from gtm_tui.data.model import Stage, WorkItem
from gtm_tui.data.workspace import Workspace
from gtm_tui.work.work_items import changes, move_to_stage
workspace = Workspace.open(sys.argv[1])
item = next(w for w in workspace.all(WorkItem) if w.title.startswith(sys.argv[2]))
target = next(s for s in workspace.all(Stage) if s.name == sys.argv[3])
workspace.update(item, **changes(item, move_to_stage(item, target.id, datetime.now(timezone.utc))))
"""


async def test_a_teammates_move_from_another_process_is_my_turn_within_two_seconds(demo_file: Path):
    workspace = Workspace.open(demo_file)
    IdentityStore().remember(workspace_key(workspace), person(workspace, "Lukas Brenner").id)
    app = GtmApp(demo_file, workspace)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        assert app.session_person == person(workspace, "Lukas Brenner").id
        overview = text_of(app, "#overview-sections")
        assert overview.lstrip().startswith("For you (")
        teammate = await asyncio.create_subprocess_exec(
            sys.executable, "-c", MOVE_SCRIPT, str(demo_file), "Customer story: Contoso", "Creative design")
        assert await asyncio.wait_for(teammate.wait(), timeout=60) == 0
        moved = time.monotonic()
        wanted = "Your turn: Customer story: Contoso Retail — in Creative design"
        while wanted not in messages(app):  # the app's own reload timer, not a call from the test
            assert time.monotonic() - moved < TEAMMATE_SECONDS, f"not said within {TEAMMATE_SECONDS} s: {messages(app)}"
            await pilot.pause(0.05)
        await pilot.pause()
        overview = text_of(app, "#overview-sections")
        assert "Customer story: Contoso Retail — in Creative design" in overview
        assert messages(app).count(wanted) == 1


async def test_my_own_move_into_my_stage_is_said_once_and_switching_person_is_quiet(demo_file: Path):
    workspace = Workspace.open(demo_file)
    app = GtmApp(demo_file, workspace)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        app.say_who(person(workspace, "Lukas Brenner").id)
        await pilot.pause()
        assert not any(m.startswith(("Your turn", "Assigned")) for m in messages(app))
        story = work(workspace, "Customer story: Contoso Retail")
        from gtm_tui.work.work_items import changes

        workspace.update(
            story, **changes(story, move_to_stage(story, stage(workspace, "Creative design").id, clock.now()))
        )
        await pilot.pause()
        assert messages(app).count("Your turn: Customer story: Contoso Retail — in Creative design") == 1
        workspace.update(workspace.get(WorkItem, story.id), title="Customer story: Contoso Retail (v2)")
        await pilot.pause()
        assert sum(m.startswith("Your turn") for m in messages(app)) == 1  # an edit is not a new turn


def test_an_approval_step_waits_on_the_a_once_the_rest_of_its_own_run_is_ticked(demo: Workspace):
    from gtm_tui.checklists.runs import steps_to_work

    live = steps_to_work(demo)
    approval = next(i for i in live if i.approval and not i.done and i.run_id
                    and any(o.stage_id == i.stage_id and o.run_id != i.run_id and not o.done for o in live))
    same_run = [i for i in live if i.run_id == approval.run_id and i.id != approval.id and not i.done]
    with demo.batch("tick the rest of the run"):
        for other in same_run:
            demo.update(other, done=True, done_at=clock.now().isoformat())
    # Other pieces' runs in the stage are still open: this approval waits on its A all the same.
    assert ("approval", approval.id) in {(t.kind, t.record_id) for t in all_turns(demo)}
    waiting = next(t for t in all_turns(demo) if t.record_id == approval.id)
    piece = demo.get(WorkItem, approval.work_item_id)
    assert piece.title in waiting.text
