"""The Metrics screen driven by keys: moving, timers, counters, flags, the filter, and the charts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import orjson
from conftest import FIXED_NOW
from pilot_waits import press_and_wait, until
from rich.console import Console
from textual.widgets import Input, OptionList, Select, Static, TabbedContent

from gtm_tui.app import GtmApp
from gtm_tui.data import clock
from gtm_tui.data.model import Stage, WorkItem
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormScreen
from gtm_tui.screens.main.metrics import MetricsScreen
from gtm_tui.screens.widgets.line_table import LineTable


def item_in_file(path: Path, title: str) -> dict:
    items = orjson.loads(path.read_bytes())["work_items"].values()
    return next(item for item in items if item["title"] == title)


def text_of(app: GtmApp, selector: str, width: int = 120) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(app.screen.query_one(selector, Static).content)
    return console.export_text()


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


async def open_item(app: GtmApp, pilot, title: str) -> WorkItem:
    """Go to Metrics and put the cursor on the item called ``title``."""
    await press_and_wait(pilot, "5")
    item = next(i for i in app.workspace.all(WorkItem) if i.title == title)
    app.screen.select_item(item.id)
    await pilot.pause()
    return item


async def test_moving_an_item_back_flags_rework_and_the_rework_rate_changes_at_once(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_item(app, pilot, "Release notes page")
        assert isinstance(app.screen, MetricsScreen)
        assert "rework rate 15 %" in text_of(app, "#metrics-headline", 300)  # 2 of 13
        screen = app.screen
        rebuilds = []
        original = screen.refresh_view
        screen.refresh_view = lambda: (rebuilds.append(1), original())[1]  # type: ignore[method-assign]
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert rebuilds == []  # the move ended a run and started one: the list redraws the moved item's row only
        saved = item_in_file(demo_file, "Release notes page")
        stage_names = {s.id: s.name for s in app.workspace.all(Stage)}
        assert stage_names[saved["stage_id"]] == "Launch approval"
        assert saved["stage_history"][-2]["left_at"] == FIXED_NOW.isoformat()
        assert saved["stage_history"][-1] == {
            "stage_id": saved["stage_id"],
            "entered_at": FIXED_NOW.isoformat(),
            "left_at": None,
        }
        assert "rework rate 23 %" in text_of(app, "#metrics-headline", 300)  # 3 of 13
        table = app.screen.query_one("#work-items", LineTable)
        assert str(table.get_row(saved["id"])[0]).strip() == "R"  # rework; its visits stay within the delay grace
        assert "sent back Build & upload → Launch approval" in text_of(app, "#item-detail")


async def test_moving_next_records_the_visit_and_refuses_past_the_last_stage(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_item(app, pilot, "Paid social ads (4 variants)")
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "open step" in app.screen.question  # its run in Idea
        await pilot.press("y")
        await pilot.pause()
        saved = item_in_file(demo_file, "Paid social ads (4 variants)")
        assert [v["left_at"] for v in saved["stage_history"]] == [FIXED_NOW.isoformat(), None]
        assert app.workspace.name_of(Stage, saved["stage_id"]) == "Strategy sign-off"
        runs = [r for r in orjson.loads(demo_file.read_bytes())["runs"].values() if r["work_item_id"] == saved["id"]]
        assert sorted((r["ended_at"] is None) for r in runs) == [False, True]  # Idea's run ended, Strategy's began

        await open_item(app, pilot, "Landing page hero")  # done, in Measure: the last stage
        before = item_in_file(demo_file, "Landing page hero")
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert item_in_file(demo_file, "Landing page hero") == before
        assert any("last stage" in str(n.message) for n in app._notifications)


async def test_the_timer_logs_the_minutes_between_start_and_stop(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        item = await open_item(app, pilot, "Sales one-pager")
        logged = len(item.time_log)
        await pilot.press("t")
        await pilot.pause()
        assert item_in_file(demo_file, "Sales one-pager")["timer_started_at"] == FIXED_NOW.isoformat()
        assert "⏱" in str(app.screen.query_one("#work-items", LineTable).get_row(item.id)[-1])
        clock.freeze(FIXED_NOW + timedelta(minutes=45))
        await pilot.press("t")
        await pilot.pause()
        saved = item_in_file(demo_file, "Sales one-pager")
        assert saved["timer_started_at"] is None
        assert len(saved["time_log"]) == logged + 1
        assert saved["time_log"][-1]["minutes"] == 45
        assert saved["time_log"][-1]["person_id"] == item.assignee_id
        assert any("45 min logged on 'Sales one-pager'" in str(n.message) for n in app._notifications)


async def test_a_timer_stopped_within_a_minute_says_nothing_is_logged(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        item = await open_item(app, pilot, "Sales one-pager")
        await pilot.press("t")
        await pilot.pause()
        clock.freeze(FIXED_NOW + timedelta(seconds=3))
        app.clear_notifications()
        await pilot.press("t")
        await pilot.pause()
        assert len(item_in_file(demo_file, "Sales one-pager")["time_log"]) == len(item.time_log)
        messages = [str(n.message) for n in app._notifications]
        assert messages == ["Timer stopped after under a minute: nothing is logged."]


async def test_log_minutes_by_hand_and_a_bad_number_keeps_the_form_open(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        item = await open_item(app, pilot, "Sales one-pager")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await type_text(pilot, "lots")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "not a number" in str(app.screen.query_one("#error-minutes", Static).content)
        app.screen.query_one("#field-minutes", Input).value = "30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = item_in_file(demo_file, "Sales one-pager")
        assert len(saved["time_log"]) == len(item.time_log) + 1
        assert saved["time_log"][-1]["minutes"] == 30


async def test_feedback_and_clarification_counters_with_and_without_a_note(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        item = await open_item(app, pilot, "Customer story: Contoso Retail")
        await pilot.press("f")
        await pilot.pause()
        await type_text(pilot, "Legal wants the quote shorter")
        await pilot.press("enter")
        await pilot.pause()
        await press_and_wait(pilot, "c", "enter")
        await pilot.pause()
        saved = item_in_file(demo_file, "Customer story: Contoso Retail")
        assert [(e["at"], e["note"]) for e in saved["feedback_cycles"]] == [
            (FIXED_NOW.isoformat(), "Legal wants the quote shorter")
        ]
        assert len(saved["clarifications"]) == len(item.clarifications) + 1
        assert (saved["clarifications"][-1]["at"], saved["clarifications"][-1]["note"]) == (FIXED_NOW.isoformat(), "")
        row = app.screen.query_one("#work-items", LineTable).get_row(item.id)
        assert (row[6], row[7]) == ("1", str(len(item.clarifications) + 1))


async def test_marking_by_hand_flags_the_item_and_the_filter_shows_only_flagged(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_item(app, pilot, "Partner newsletter blurb")
        table = app.screen.query_one("#work-items", LineTable)
        await pilot.press("o")
        await pilot.pause()
        assert table.row_count == 7  # the demo's flagged items: a minority
        await pilot.press("o")
        await pilot.pause()
        assert table.row_count == 13
        app.screen.select_item(item_in_file(demo_file, "Partner newsletter blurb")["id"])
        await pilot.press("w", "x")
        await pilot.pause()
        saved = item_in_file(demo_file, "Partner newsletter blurb")
        assert (saved["rework"], saved["delayed"]) == (True, True)
        assert str(table.get_row(saved["id"])[0]) == "DR"
        await pilot.press("o")
        await pilot.pause()
        assert table.row_count == 8  # the seven, and this one marked by hand
        await pilot.press("w")  # unmark: still delayed by hand, so it stays in the list
        await pilot.pause()
        assert item_in_file(demo_file, "Partner newsletter blurb")["rework"] is False


async def test_add_edit_set_status_and_delete_a_work_item(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "5", "a")
        assert isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+s")  # empty title
        await pilot.pause()
        assert "must not be empty" in str(app.screen.query_one("#error-title", Static).content)
        await type_text(pilot, "Case study video")
        app.screen.query_one("#field-due", Input).value = "2026-02-30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "not a real date" in str(app.screen.query_one("#error-due", Static).content)
        app.screen.query_one("#field-due", Input).value = "2026-12-01"
        first_stage = app.workspace.all(Stage)[0]
        app.screen.query_one("#field-stage_id", Select).value = first_stage.id
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = item_in_file(demo_file, "Case study video")
        assert (saved["due"], saved["stage_id"], saved["status"]) == ("2026-12-01", first_stage.id, "in progress")
        assert saved["stage_history"] == [
            {"stage_id": first_stage.id, "entered_at": FIXED_NOW.isoformat(), "left_at": None}
        ]
        assert app.screen.selected_id() == saved["id"]

        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#field-status", Select).value = "done"
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = item_in_file(demo_file, "Case study video")
        assert (saved["status"], saved["done_at"]) == ("done", FIXED_NOW.isoformat())

        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#field-title", Input).value = "Case study video (60 s)"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert item_in_file(demo_file, "Case study video (60 s)")["id"] == saved["id"]

        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        titles = [i["title"] for i in orjson.loads(demo_file.read_bytes())["work_items"].values()]
        assert "Case study video (60 s)" not in titles and len(titles) == 13


async def test_the_chart_shows_overrunning_stages_as_bottlenecks(empty_file: Path):
    workspace = Workspace.open(empty_file)
    quick = workspace.add(Stage(name="Brief", position=0, expected_days=2))
    slow = workspace.add(Stage(name="Review", position=1, expected_days=1))
    start = FIXED_NOW - timedelta(days=5)
    history = [
        {"stage_id": quick.id, "entered_at": start.isoformat(), "left_at": (start + timedelta(days=1)).isoformat()},
        {"stage_id": slow.id, "entered_at": (start + timedelta(days=1)).isoformat(), "left_at": None},
    ]
    workspace.add(WorkItem(title="Post", stage_id=slow.id, status="in progress", stage_history=history))
    app = GtmApp(empty_file, workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "5", "v")
        assert app.screen.query_one(TabbedContent).active == "figures-tab"
        lines = text_of(app, "#stage-bars").splitlines()
        review = next(line for line in lines if line.startswith("Review"))
        brief = next(line for line in lines if line.startswith("Brief"))
        assert "4.0 d / 1 d" in review and "bottleneck" in review  # 4 days in a 1-day stage
        assert "1.0 d / 2 d" in brief and "bottleneck" not in brief


async def test_enter_on_a_flagged_item_opens_it_in_the_work_items_list(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "5", "v")
        flagged = app.screen.query_one("#flagged", OptionList)
        assert flagged.has_focus and flagged.option_count == 7
        await pilot.press("down", "down")
        chosen = flagged.get_option_at_index(flagged.highlighted).id
        assert chosen != app.screen.selected_id()
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.query_one(TabbedContent).active == "items-tab", "the work items tab")
        assert app.screen.query_one(TabbedContent).active == "items-tab"
        assert app.screen.selected_id() == chosen
        assert app.screen.selected().title in text_of(app, "#item-detail")


async def test_item_keys_are_offered_in_the_palette_only_on_the_work_items_tab(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "5")
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Next stage", "Back a stage", "Timer start/stop", "Log minutes", "+ Feedback cycle",
                "+ Clarification", "Mark rework", "Mark delay", "Flagged only", "Add work item"} <= titles
        await pilot.press("v")
        await pilot.pause()
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert "Next stage" not in titles and "Figures / items" in titles


async def test_the_item_detail_shows_its_plan_against_what_happened_and_the_early_warning(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        item = await open_item(app, pilot, "Customer story: Contoso Retail")
        detail = text_of(app, "#item-detail")
        assert f"live date {item.due}" in detail and "planned live" in detail and "heading for" in detail
        assert "after its live date" in detail  # about to miss it: flagged while there is time
        assert "Copywriting" in detail and "planned" in detail and "actual in" in detail


async def test_a_figure_on_one_item_says_too_few_instead_of_a_percentage(empty_file: Path):
    # One piece done in minutes against a baseline of 21 days is no "-100 %".
    workspace = Workspace.open(empty_file)
    brief = workspace.add(Stage(name="Brief", position=0))
    live = workspace.add(Stage(name="Live", position=1))
    workspace.update(workspace.pilot(), baseline={"Days from brief to live": 21})
    start, moved = FIXED_NOW - timedelta(minutes=30), FIXED_NOW - timedelta(minutes=20)
    workspace.add(WorkItem(title="Quick post", status="done", done_at=moved.isoformat(), stage_id=live.id,
                           stage_history=[{"stage_id": brief.id, "entered_at": start.isoformat(),
                                           "left_at": moved.isoformat()},
                                          {"stage_id": live.id, "entered_at": moved.isoformat(), "left_at": None}]))
    app = GtmApp(empty_file, workspace)
    async with app.run_test(size=(140, 44)) as pilot:
        await press_and_wait(pilot, "5", "v")  # the Figures tab
        assert isinstance(app.screen, MetricsScreen)
        row = next(line for line in text_of(app, "#baseline", 200).splitlines() if "brief to live" in line.lower())
        assert "1 item — too few to compare" in row and "%" not in row
