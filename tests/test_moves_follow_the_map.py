"""Moves follow the map: [ goes along the mapped loop back, ] and [ hand the item to the entered stage's R."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from conftest import FIXED_NOW
from pilot_waits import press_and_wait, until, wait_for_screen
from textual.widgets import Checkbox

from gtm_tui.app import GtmApp
from gtm_tui.data.model import Handoff, Person, RaciAssignment, Stage, ValidationError, WorkItem
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.dialogs.forms import FormScreen
from gtm_tui.screens.main.board import BoardScreen
from gtm_tui.screens.main.metrics import MetricsScreen
from gtm_tui.work import metrics, moving
from gtm_tui.work import work_items as work

MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def stages(*names: str) -> list[Stage]:
    return [Stage(name=name, position=place) for place, name in enumerate(names)]


def in_stage(stage: Stage) -> WorkItem:
    return WorkItem(title="Post", stage_id=stage.id)


# --------------------------------------------------------------------------
# Where [ and ] go (pure)


def test_back_goes_along_the_mapped_loop_back_else_one_stage_back():
    copy, design, review, launch = stages("Copy", "Design", "Review", "Launch")
    order = [copy, design, review, launch]
    loop = Handoff(from_stage_id=review.id, to_stage_id=copy.id)
    forward = Handoff(from_stage_id=design.id, to_stage_id=review.id)
    assert work.previous_stage(in_stage(review), order, [forward, loop]) == copy
    assert work.previous_stage(in_stage(review), order) == design  # no map: the stage before
    assert work.previous_stage(in_stage(launch), order, [forward, loop]) == review  # no loop back from Launch
    # Two loops back from one stage: the nearer earlier stage.
    also = Handoff(from_stage_id=launch.id, to_stage_id=copy.id)
    nearer = Handoff(from_stage_id=launch.id, to_stage_id=design.id)
    assert work.previous_stage(in_stage(launch), order, [also, nearer]) == design


def test_on_goes_to_the_nearest_stage_the_map_hands_on_to_else_the_next():
    brief, copy, design, review = stages("Brief", "Copy", "Design", "Review")
    order = [brief, copy, design, review]
    to_copy = Handoff(from_stage_id=brief.id, to_stage_id=copy.id)
    skip = Handoff(from_stage_id=brief.id, to_stage_id=design.id)
    loop = Handoff(from_stage_id=review.id, to_stage_id=copy.id)
    assert work.next_stage(in_stage(brief), order, [skip, to_copy]) == copy  # the nearer of the two
    assert work.next_stage(in_stage(brief), order, [skip]) == design  # the only way on the map from Brief
    assert work.next_stage(in_stage(copy), order, [skip, loop]) == design  # nothing mapped from Copy: the next
    assert work.next_stage(WorkItem(title="Post"), order, [skip]) == brief  # in no stage: the first
    with pytest.raises(ValidationError, match="already at the last stage"):
        work.next_stage(in_stage(review), order, [loop])  # a loop back is no way on
    with pytest.raises(ValidationError, match="already at the first stage"):
        work.previous_stage(in_stage(brief), order, [skip])


# --------------------------------------------------------------------------
# On the demo: Creative review's loop back to Copywriting


def named(workspace: Workspace, kind, name: str):
    return next(r for r in workspace.all(kind) if getattr(r, "name", getattr(r, "title", None)) == name)


def sent_back(workspace: Workspace, item: WorkItem) -> list[str]:
    flags = metrics.item_flags(item, workspace.all(Stage), FIXED_NOW)
    return [reason for reason in flags.reasons if reason.startswith("sent back")]


def test_back_from_creative_review_takes_the_loop_to_copywriting_with_one_rework(demo: Workspace):
    item = named(demo, WorkItem, "Newsletter #3: customer tips")
    review, copy = named(demo, Stage, "Creative review"), named(demo, Stage, "Copywriting")
    priya, daniel = named(demo, Person, "Priya Raman"), named(demo, Person, "Daniel Okafor")
    assert item.stage_id == review.id and item.assignee_id == daniel.id
    before = sent_back(demo, item)
    runs_before = moving.runs_of(demo, item.id)

    moved = moving.move_previous(demo, item, FIXED_NOW)

    assert moved.stage_id == copy.id and moved.assignee_id == priya.id  # Copywriting's R reworks it
    assert [visit["stage_id"] for visit in moved.stage_history[-2:]] == [review.id, copy.id]
    assert sent_back(demo, moved) == [*before, "sent back Creative review → Copywriting"]  # one send-back: one rework
    known = {run.id for run in runs_before}
    new_runs = [run for run in moving.runs_of(demo, item.id) if run.id not in known]
    assert [(run.stage_id, run.rework, run.open) for run in new_runs] == [(copy.id, True, True)]
    assert moving.move_words(demo, item, moved) == (
        "'Newsletter #3: customer tips' moved to Copywriting · now Priya Raman's (was Daniel Okafor's). "
        "A new run started.")

    undone = demo.undo()  # the move, the new owner and the runs: one undo step
    assert undone is not None and undone.words == (
        "Undone: move 'Newsletter #3: customer tips' to Copywriting and hand it to Priya Raman")
    assert demo.get(WorkItem, item.id) == item
    assert moving.runs_of(demo, item.id) == runs_before


# --------------------------------------------------------------------------
# The next stage's R, unless the owner is fixed


@pytest.fixture
def team(workspace: Workspace):
    sam, lena = workspace.add(Person(name="Sam")), workspace.add(Person(name="Lena"))
    copy = workspace.add(Stage(name="Copywriting", position=0))
    design = workspace.add(Stage(name="Design", position=1))
    review = workspace.add(Stage(name="Review", position=2))  # nobody is R here
    workspace.add(RaciAssignment(stage_id=copy.id, person_id=sam.id, role="R"))
    workspace.add(RaciAssignment(stage_id=design.id, person_id=lena.id, role="R"))
    return workspace, sam, lena, copy, design, review


def test_on_hands_the_item_to_the_next_stages_r_and_says_so(team):
    workspace, sam, lena, copy, design, _review = team
    item = moving.add_item(workspace, WorkItem(title="Blog post", stage_id=copy.id), MONDAY)
    assert item.assignee_id == sam.id
    moved = moving.move_next(workspace, item, MONDAY, confirmed=True)
    assert moved.stage_id == design.id and moved.assignee_id == lena.id
    assert moving.move_words(workspace, item, moved) == (
        "'Blog post' moved to Design · now Lena's (was Sam's). A new run started.")
    back = moving.move_previous(workspace, moved, MONDAY + timedelta(hours=1))
    assert back.assignee_id == sam.id  # sent back: the writer has it again


def test_a_fixed_owner_keeps_the_item_and_the_toast_says_why(team):
    workspace, sam, _lena, copy, design, _review = team
    item = moving.add_item(workspace, WorkItem(title="Blog post", stage_id=copy.id, fixed_owner=True), MONDAY)
    moved = moving.move_next(workspace, item, MONDAY, confirmed=True)
    assert moved.stage_id == design.id and moved.assignee_id == sam.id
    assert moving.move_words(workspace, item, moved) == (
        "'Blog post' moved to Design · stays Sam's (fixed owner). A new run started.")


def test_a_stage_without_an_r_leaves_the_item_with_its_owner(team):
    workspace, _sam, lena, _copy, design, review = team
    item = moving.add_item(workspace, WorkItem(title="Blog post", stage_id=design.id), MONDAY)
    moved = moving.move_next(workspace, item, MONDAY, confirmed=True)
    assert moved.stage_id == review.id and moved.assignee_id == lena.id
    assert "still Lena's: Review has no R in the pilot RACI" in moving.move_words(workspace, item, moved)


def test_a_move_chosen_in_the_form_keeps_the_assignee_the_form_says(team):
    workspace, sam, _lena, copy, design, _review = team
    item = moving.add_item(workspace, WorkItem(title="Blog post", stage_id=copy.id), MONDAY)
    moved = moving.move(workspace, item, design.id, MONDAY, confirmed=True)  # what the edit form calls
    assert moved.assignee_id == sam.id


# --------------------------------------------------------------------------
# Pilots: the Work items table and the Board both move along the map


def saved_item(path: Path, item_id: str) -> dict:
    return orjson.loads(path.read_bytes())["work_items"][item_id]


def runs_in_file(path: Path, item_id: str) -> list[dict]:
    return [run for run in orjson.loads(path.read_bytes())["runs"].values() if run["work_item_id"] == item_id]


def toasts(app: GtmApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def check_sent_back_along_the_loop(app: GtmApp, pilot, path: Path, item: WorkItem) -> None:
    """After ``[`` on the Newsletter in Creative review: in Copywriting, Priya's, one rework run; one undo."""
    copy = named(app.workspace, Stage, "Copywriting")
    priya = named(app.workspace, Person, "Priya Raman")
    runs_before = runs_in_file(path, item.id)
    reasons_before = sent_back(app.workspace, item)
    await pilot.press("left_square_bracket")
    await until(pilot, lambda: saved_item(path, item.id)["stage_id"] == copy.id, "the item to reach Copywriting")
    saved = saved_item(path, item.id)
    assert saved["assignee_id"] == priya.id
    assert saved["stage_history"][-1] == {"stage_id": copy.id, "entered_at": FIXED_NOW.isoformat(), "left_at": None}
    known = {run["id"] for run in runs_before}
    new_runs = [run for run in runs_in_file(path, item.id) if run["id"] not in known]
    assert [(run["stage_id"], run["rework"]) for run in new_runs] == [(copy.id, True)]
    assert sent_back(app.workspace, app.workspace.get(WorkItem, item.id)) == [
        *reasons_before, "sent back Creative review → Copywriting"]
    assert toasts(app)[-1] == ("'Newsletter #3: customer tips' moved to Copywriting · now Priya Raman's "
                               "(was Daniel Okafor's). A new run started.")
    await pilot.press("ctrl+z")
    await until(pilot, lambda: saved_item(path, item.id)["stage_id"] == item.stage_id, "the undo")
    assert saved_item(path, item.id)["assignee_id"] == item.assignee_id
    assert len(runs_in_file(path, item.id)) == len(runs_before)


async def test_back_on_the_work_items_table_follows_the_loop_back(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await press_and_wait(pilot, "5")
        assert isinstance(screen, MetricsScreen)
        item = named(app.workspace, WorkItem, "Newsletter #3: customer tips")
        screen.select_item(item.id)
        await pilot.pause()
        await check_sent_back_along_the_loop(app, pilot, demo_file, item)


async def test_back_on_the_board_follows_the_loop_back(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await press_and_wait(pilot, "8")
        assert isinstance(screen, BoardScreen)
        item = named(app.workspace, WorkItem, "Newsletter #3: customer tips")
        screen.board_view.cursor_x, screen.board_view.cursor_y = screen.board_view.board.find(item.id)
        await pilot.pause()
        await check_sent_back_along_the_loop(app, pilot, demo_file, item)
        copy = named(app.workspace, Stage, "Copywriting")
        await pilot.press("ctrl+y")  # redo: back in Copywriting, Priya's again
        await until(pilot, lambda: saved_item(demo_file, item.id)["stage_id"] == copy.id, "the redo")
        assert toasts(app)[-1] == (
            "Redone: move 'Newsletter #3: customer tips' to Copywriting and hand it to Priya Raman")


async def test_a_fixed_owner_is_set_in_the_form_and_kept_on_the_move(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await press_and_wait(pilot, "5")
        item = named(app.workspace, WorkItem, "Newsletter #3: customer tips")
        screen.select_item(item.id)
        await pilot.pause()
        form = await press_and_wait(pilot, "e")
        assert isinstance(form, FormScreen)
        box = form.query_one("#field-fixed_owner", Checkbox)
        box.focus()
        await pilot.pause()
        await pilot.press("space")
        await until(pilot, lambda: box.value, "the box to be ticked")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, MetricsScreen)
        assert saved_item(demo_file, item.id)["fixed_owner"] is True
        await pilot.press("left_square_bracket")
        copy = named(app.workspace, Stage, "Copywriting")
        await until(pilot, lambda: saved_item(demo_file, item.id)["stage_id"] == copy.id, "the move")
        assert saved_item(demo_file, item.id)["assignee_id"] == item.assignee_id  # still Daniel's
        assert toasts(app)[-1] == ("'Newsletter #3: customer tips' moved to Copywriting · stays Daniel Okafor's "
                                   "(fixed owner). A new run started.")
