"""The board: columns per stage, cards with progress, age and flags; moving cards with the keys."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson

from gtm_tui.app import GtmApp
from gtm_tui.checklists.runs import RunIndex
from gtm_tui.data.model import ChecklistItem, Person, Run, Stage, WorkItem
from gtm_tui.data.workspace import Workspace
from gtm_tui.process.planning import calendar_of
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormScreen
from gtm_tui.screens.main.board import BoardScreen
from gtm_tui.screens.main.checklists import ChecklistsScreen
from gtm_tui.work import metrics
from gtm_tui.work.board import NOT_STARTED, BoardFilter, build_board
from gtm_tui.work.work_items import ordered_stages

NOW = datetime(2026, 11, 18, 10, tzinfo=UTC)


def board_of(workspace: Workspace, board_filter: BoardFilter | None = None):
    pilot = workspace.pilot()
    index = RunIndex.of(workspace.all(Run), workspace.all(ChecklistItem))
    return build_board(ordered_stages(workspace.all(Stage)), workspace.all(WorkItem), index,
                       metrics.all_flags(workspace, NOW), calendar_of(pilot), NOW, board_filter, pilot.live_stage_id)


def card_of(board, title: str):
    return next(card for column in board.columns for card in column.cards if card.item.title.startswith(title))


def test_a_column_per_stage_with_not_started_first_and_cards_with_run_progress_age_and_flags(demo: Workspace):
    board = board_of(demo)
    stages = ordered_stages(demo.all(Stage))
    assert [c.key for c in board.columns] == [NOT_STARTED] + [s.id for s in stages]
    assert [c.title for c in board.columns][:2] == ["Not started", "Idea & brief"]
    story = card_of(board, "Customer story")
    assert (story.progress.done, story.progress.total) == (3, 5) and int(story.days_in_stage) == 6
    assert {"delayed", "overdue"} <= set(story.flags) and story.badges.startswith("D")
    thumb = card_of(board, "Demo video thumbnail")
    assert "blocked" in thumb.flags
    measure = board.columns[-1]
    assert measure.wip == 0 and len(measure.cards) == 4  # four pieces live, none in progress
    assert sum(len(c.cards) for c in board.columns) == demo.count(WorkItem)


def test_the_board_narrows_to_one_person_or_one_flag(demo: Workspace):
    sofia = next(p for p in demo.all(Person) if p.name == "Sofia Alvarez")
    mine = board_of(demo, BoardFilter(person_id=sofia.id))
    assert {card.item.assignee_id for c in mine.columns for card in c.cards} == {sofia.id}
    blocked = board_of(demo, BoardFilter(flag="blocked"))
    assert sorted(card.item.title for c in blocked.columns for card in c.cards) == [
        "Demo video thumbnail and YouTube copy", "Sales one-pager"]


def test_500_pieces_build_a_board_with_every_card(demo: Workspace):
    stage = demo.all(Stage)[0]
    with demo.batch("many"):
        for n in range(500):
            demo.add(WorkItem(title=f"Piece {n}", stage_id=stage.id, stage_history=[
                {"stage_id": stage.id, "entered_at": "2026-11-16T09:00:00+00:00", "left_at": None}]))
    board = board_of(demo)
    assert len(board.columns[1].cards) == 501 and board.find(card_of(board, "Piece 499").item.id) is not None


async def open_board(pilot, size=None) -> BoardScreen:
    await pilot.press("8")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, BoardScreen)
    return screen


async def go_to_card(pilot, screen: BoardScreen, title: str) -> None:
    x, y = screen.board_view.board.find(card_of(screen.board_view.board, title).item.id)
    screen.board_view.cursor_x, screen.board_view.cursor_y = x, y
    await pilot.pause()


async def test_the_move_key_moves_a_card_on_and_the_file_holds_it_at_once(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_board(pilot)
        await go_to_card(pilot, screen, "Paid social ads")
        item = card_of(screen.board_view.board, "Paid social ads").item
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # two open steps in its run
        await pilot.press("y")
        await pilot.pause()
        saved = orjson.loads(demo_file.read_bytes())
        strategy = next(s for s in app.workspace.all(Stage) if s.name == "Strategy sign-off")
        assert saved["work_items"][item.id]["stage_id"] == strategy.id
        assert any(r["work_item_id"] == item.id and r["stage_id"] == strategy.id and r["ended_at"] is None
                   for r in saved["runs"].values())
        # The card moved with the cursor on it, into the next column.
        assert screen.board_view.selected_card().item.id == item.id
        assert screen.board_view.selected_column().key == strategy.id
        await pilot.press("left_square_bracket")  # back for rework: never asks
        await pilot.pause()
        assert orjson.loads(demo_file.read_bytes())["work_items"][item.id]["stage_id"] != strategy.id


async def test_an_open_approval_keeps_the_card_where_it_is(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_board(pilot)
        await go_to_card(pilot, screen, "Demo video thumbnail")
        item = card_of(screen.board_view.board, "Demo video thumbnail").item
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert orjson.loads(demo_file.read_bytes())["work_items"][item.id]["stage_id"] == item.stage_id
        assert any("cannot move on" in n.message for n in app._notifications)


async def test_arrows_filter_and_enter_opens_the_piece_with_all_its_runs(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        view = screen.board_view
        assert view.layout_for(view.content_size.width, view.content_size.height).columns == 3  # 10 columns scroll
        for _ in range(9):
            await pilot.press("right")
        await pilot.pause()
        assert view.selected_column().title == "Measure"
        assert view.layout_for(view.content_size.width, view.content_size.height).first_column == 7
        await pilot.press("down", "up", "f")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        app.screen.query_one("#field-flag").value = "rework"
        await pilot.press("ctrl+s")
        await pilot.pause()
        titles = {card.item.title for c in view.board.columns for card in c.cards}
        assert titles and all(t.startswith(("LinkedIn carousel", "Newsletter #3")) for t in titles)
        await go_to_card(pilot, screen, "Newsletter #3")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        checklists = app.screen
        assert isinstance(checklists, ChecklistsScreen)
        news3 = card_of(view.board, "Newsletter #3").item
        assert checklists.picked_item == news3.id
        assert sum(1 for row in checklists._rows.values() if row.kind == "run") == len(news3.stage_history)


async def test_a_click_selects_the_card_under_the_mouse(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_board(pilot)
        view = screen.board_view
        layout = view.layout_for(view.content_size.width, view.content_size.height)
        await pilot.click("#board", offset=(1 + layout.width + 2, 3))  # second column, first card
        await pilot.pause()
        assert view.cursor_x == 1 and view.selected_card().item.title.startswith("Paid social ads")
