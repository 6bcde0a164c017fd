"""Fixes close the loop: link validation, the stand-up panel of open fixes, before/after figures by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
import pytest
from pilot_waits import press_and_wait
from textual.widgets import Select, Static

from gtm_tui.app import GtmApp
from gtm_tui.data import clock
from gtm_tui.data.model import (
    ActionItem,
    ChecklistItem,
    Handoff,
    Person,
    RaciAssignment,
    Stage,
    ValidationError,
    WorkItem,
)
from gtm_tui.data.workspace import Workspace
from gtm_tui.review import fix_loop
from gtm_tui.review.report import build_report
from gtm_tui.screens.dialogs.forms import FormScreen
from gtm_tui.screens.widgets.line_table import LineTable


def stay(stage: Stage, entered: str, left: str | None) -> dict:
    return {"stage_id": stage.id, "entered_at": f"2026-11-{entered}:00:00+00:00",
            "left_at": f"2026-11-{left}:00:00+00:00" if left else None}


@pytest.fixture
def setup(workspace: Workspace):
    maya = workspace.add(Person(name="Maya"))
    review = workspace.add(Stage(name="Review", position=0, expected_days=2))
    launch = workspace.add(Stage(name="Launch", position=1, expected_days=1))
    handoff = workspace.add(Handoff(from_stage_id=review.id, to_stage_id=launch.id))
    item = workspace.add(ChecklistItem(stage_id=launch.id, text="Approver tagged"))
    role = workspace.add(RaciAssignment(stage_id=review.id, person_id=maya.id, role="A"))
    return workspace, maya, review, launch, handoff, item, role


def test_a_link_must_name_an_existing_stage_handoff_checklist_item_or_raci_row(setup):
    workspace, maya, review, launch, handoff, item, role = setup
    for table, record in (("stages", review), ("handoffs", handoff), ("checklist_items", item), ("raci", role)):
        fix_loop.check_link(workspace, {"table": table, "id": record.id})
    with pytest.raises(ValidationError, match="not 'people'"):
        fix_loop.check_link(workspace, {"table": "people", "id": maya.id})
    with pytest.raises(ValidationError, match="stage no longer exists"):
        fix_loop.check_link(workspace, {"table": "stages", "id": "000000000000"})
    with pytest.raises(ValidationError, match="is not a stage"):
        fix_loop.parse_link("themes:abc")
    assert fix_loop.parse_link("") is None
    assert fix_loop.parse_link(f"raci:{role.id}") == {"table": "raci", "id": role.id}


def test_the_picker_lists_everything_a_fix_can_change_and_sets_the_first_link(setup):
    workspace, maya, review, launch, handoff, item, role = setup
    choices = {value: shown for shown, value in fix_loop.link_choices(workspace)}
    assert choices[f"stages:{review.id}"] == "Stage: Review"
    assert choices[f"handoffs:{handoff.id}"] == "Handoff: Review → Launch"
    assert choices[f"checklist_items:{item.id}"] == "Checklist item: Launch: Approver tagged"
    assert choices[f"raci:{role.id}"] == "RACI row: Review: A Maya (pilot)"
    fix = workspace.add(ActionItem(title="One approver", links=[{"table": "stages", "id": review.id}]))
    fix = fix_loop.set_link(workspace, fix, f"handoffs:{handoff.id}")
    assert fix.links == [{"table": "handoffs", "id": handoff.id}, {"table": "stages", "id": review.id}]
    fix = fix_loop.set_link(workspace, fix, f"stages:{review.id}")  # picking it again moves it first, no duplicate
    assert fix.links == [{"table": "stages", "id": review.id}, {"table": "handoffs", "id": handoff.id}]
    fix = fix_loop.set_link(workspace, fix, f"raci:{role.id}", keep_others=False)
    assert fix.links == [{"table": "raci", "id": role.id}]
    assert fix_loop.link_text(workspace, fix.links[0]) == "RACI row Review: A Maya (pilot)"
    with pytest.raises(ValidationError):
        fix_loop.set_link(workspace, fix, "stages:000000000000")
    assert fix_loop.set_link(workspace, fix, None, keep_others=False).links == []


def test_the_linked_stage_comes_from_a_stage_else_checklist_item_else_raci_row_else_handoff(setup):
    workspace, maya, review, launch, handoff, item, role = setup
    def stage_of(*links):
        return fix_loop.linked_stage_id(workspace, ActionItem(links=list(links)))
    assert stage_of({"table": "handoffs", "id": handoff.id}) == launch.id  # the stage the handoff enters
    assert stage_of({"table": "raci", "id": role.id}) == review.id
    assert stage_of({"table": "handoffs", "id": handoff.id}, {"table": "checklist_items", "id": item.id}) == launch.id
    assert stage_of({"table": "checklist_items", "id": item.id}, {"table": "stages", "id": review.id}) == review.id
    assert stage_of({"table": "stages", "id": "gone"}) is None and stage_of() is None


def test_stand_up_panel_lists_open_priority_fixes_and_the_follow_up(setup):
    workspace, maya, review, *_ = setup
    workspace.update(workspace.pilot(), follow_up_date="2026-12-01")
    late = workspace.add(ActionItem(title="Late", owner_id=maya.id, due="2026-11-10", status="in progress",
                                    links=[{"table": "stages", "id": review.id}]))
    soon = workspace.add(ActionItem(title="Soon", due="2026-11-25"))
    workspace.add(ActionItem(title="Done", due="2026-11-01", status="done"))
    workspace.add(ActionItem(title="Not priority", due="2026-11-01", priority=False))
    panel = fix_loop.fixes_panel(workspace, date(2026, 11, 18))
    assert [row.fix.id for row in panel.fixes] == [late.id, soon.id]
    assert panel.fixes[0].overdue and not panel.fixes[1].overdue
    assert panel.fixes[0].owner == "Maya" and panel.fixes[0].links == "stage Review"
    assert panel.fixes[1].owner == "no owner"
    assert panel.follow_up == "2026-12-01" and not panel.empty


def test_before_and_after_the_fix_date_computed_by_hand(setup):
    """Fix made 2026-11-10. Review visits entered before that day: 3 d (a), 5 d (b), 1 d (c, the 9th) → median 3 d;
    entered on it or after: 1 d (c, the 10th), 2 d (d), and d's open visit from the 17th 10h to now (18th 10h) = 1 d
    → median 1 d. Launch's visit does not count."""
    workspace, maya, review, launch, *_ = setup
    workspace.add(WorkItem(title="a", stage_history=[stay(review, "01T10", "04T10"), stay(launch, "04T10", "05T10")]))
    workspace.add(WorkItem(title="b", stage_history=[stay(review, "02T10", "07T10")]))
    workspace.add(WorkItem(title="c", stage_history=[stay(review, "09T10", "10T10"), stay(review, "10T10", "11T10")]))
    workspace.add(WorkItem(title="d", stage_history=[stay(review, "12T10", "14T10"), stay(review, "17T10", None)]))
    fix = workspace.add(ActionItem(title="Fix", created_at="2026-11-10T09:00:00+00:00", status="in progress",
                                   links=[{"table": "stages", "id": review.id}]))
    workspace.add(ActionItem(title="No link", created_at="2026-11-10T09:00:00+00:00"))
    [row] = fix_loop.before_after(workspace, clock.now())
    assert row.fix.id == fix.id and row.stage_name == "Review" and row.since == "2026-11-10"
    assert (row.before_days, row.before_visits) == (3.0, 3)
    assert (row.after_days, row.after_visits) == (1.0, 3)
    assert row.text() == "Review: 3.0 d (3) before 2026-11-10 → 1.0 d (3) after"


def test_the_demo_fixes_have_before_and_after_figures(demo: Workspace):
    rows = fix_loop.before_after(demo, clock.now())
    assert {row.stage_name for row in rows} == {"Launch approval", "Creative review", "Creative design"}
    assert all(row.before_visits for row in rows)


# --------------------------------------------------------------------------
# Pilot tests: the flows by keyboard


def saved(path: Path, name: str) -> dict:
    return orjson.loads(path.read_bytes())[name]


async def open_decisions(pilot) -> LineTable:
    await press_and_wait(pilot, "6")
    await pilot.press("right_square_bracket", "right_square_bracket")
    await pilot.pause()
    return pilot.app.screen.query_one("#actions", LineTable)


async def test_link_a_fix_to_a_handoff_by_keys(demo_file: Path):
    demo = Workspace.open(demo_file)
    fix = next(a for a in demo.all(ActionItem) if a.status == "done")  # linked to the stage Creative design only
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        actions = await open_decisions(pilot)
        actions.move_cursor(row=actions.get_row_index(fix.id))
        await pilot.press("k")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        select = form.query_one("#field-link", Select)
        assert select.value == f"stages:{fix.links[0]['id']}"
        await pilot.press("enter")  # open the list; it starts on the current link (Creative design, the 4th stage)
        await pilot.pause()
        for _ in range(9 - 4 + 1):  # past the other 5 stages to the first handoff
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        first_handoff = demo.all(Handoff)[0]
        assert select.value == f"handoffs:{first_handoff.id}"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
    links = saved(demo_file, "action_items")[fix.id]["links"]
    assert links == [{"table": "handoffs", "id": first_handoff.id}, {"table": "stages", "id": fix.links[0]["id"]}]


async def test_retro_shows_before_and_after_for_a_fix_linked_to_a_stage(demo_file: Path):
    demo = Workspace.open(demo_file)
    rows = {row.fix.id: row for row in fix_loop.before_after(demo, clock.now())}
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_decisions(pilot)
        shown = str(app.screen.query_one("#fix-loop", Static).render())
        for row in rows.values():
            assert row.text()[:40] in shown
        assert "Creative review: 1.1 d (10) before 2026-11-17 → 0.8 d (1) after" in shown
    assert "## Previous fixes: before and after" in build_report(demo)


async def test_stand_up_shows_open_fixes_and_the_follow_up_until_done(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "3")
        await pilot.press("s")
        await pilot.pause()
        panel = app.screen.query_one("#standup-fixes", Static)
        shown = str(panel.render())
        assert "follow-up check 2026-12-16" in shown
        assert "Tag one accountable approver" in shown and "All review comments in one Figma" in shown
        assert "Book fixed design days" not in shown  # done
        for fix in app.workspace.all(ActionItem):
            if fix.status != "done":
                app.workspace.update(fix, status="done")
        await pilot.pause()
        assert "all fixes done" in str(panel.render())
