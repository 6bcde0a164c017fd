"""The content calendar: pieces by planned live date and due steps, by week and month, opened with enter."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from gtm_tui.app import GtmApp
from gtm_tui.checklists.runs import steps_to_work
from gtm_tui.data.model import Stage, WorkItem
from gtm_tui.data.workspace import Workspace
from gtm_tui.process.planning import calendar_of, planned_live
from gtm_tui.screens.main.calendar import CalendarScreen
from gtm_tui.screens.main.checklists import ChecklistsScreen
from gtm_tui.work.content_calendar import entries, month_weeks, week_days
from gtm_tui.work.work_items import ordered_stages

TODAY = date(2026, 11, 18)


def test_weeks_start_on_monday_and_months_fill_whole_weeks():
    assert week_days(TODAY)[0] == date(2026, 11, 16) and week_days(TODAY)[-1] == date(2026, 11, 22)
    weeks = month_weeks(TODAY)
    assert weeks[0][0] == date(2026, 10, 26) and weeks[-1][-1] == date(2026, 12, 6) and len(weeks) == 6
    assert len(month_weeks(date(2027, 2, 10))) == 4  # February 2027 starts on a Monday


def test_every_piece_sits_on_its_planned_live_date_and_open_steps_on_their_due_dates(demo: Workspace):
    pilot = demo.pilot()
    stages = ordered_stages(demo.all(Stage))
    found = entries(demo.all(WorkItem), steps_to_work(demo), stages, calendar_of(pilot), TODAY, pilot.live_stage_id)
    placed = {e.item.id: day for day, day_entries in found.items() for e in day_entries if e.kind != "step"}
    for item in demo.all(WorkItem):
        assert placed[item.id] == planned_live(item, stages, calendar_of(pilot), TODAY, pilot.live_stage_id)
    steps = [e.step for day in found.values() for e in day if e.kind == "step"]
    assert steps and all(not s.done for s in steps)
    assert len(steps) == sum(1 for s in steps_to_work(demo) if not s.done and s.due)
    live = [e for day in found.values() for e in day if e.kind == "live"]
    assert len(live) == 4  # the pieces already live, on the day they went live
    week = entries(demo.all(WorkItem), steps_to_work(demo), stages, calendar_of(pilot), TODAY, pilot.live_stage_id,
                   days=(date(2026, 11, 16), date(2026, 11, 22)))
    assert set(week) <= set(week_days(TODAY))


async def open_calendar(pilot) -> CalendarScreen:
    await pilot.press("9")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, CalendarScreen)
    return screen


async def test_keys_move_days_weeks_and_months_and_enter_opens_the_piece(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_calendar(pilot)
        assert screen.selected == TODAY and screen.span == "week"
        assert "Week 47 · 16 Nov – 22 Nov 2026" in str(screen.query_one("#calendar-title").render())
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert screen.selected == date(2026, 11, 25) and "Week 48" in str(screen.query_one("#calendar-title").render())
        await pilot.press("left_square_bracket", "left", "left")
        await pilot.pause()
        assert screen.selected == date(2026, 11, 16)
        await pilot.press("m")
        await pilot.pause()
        assert screen.span == "month" and "November 2026" in str(screen.query_one("#calendar-title").render())
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert screen.selected == date(2026, 12, 1)
        await pilot.press("t", "m")
        await pilot.pause()
        # Monday 16: the newsletter #3's planned live date; open it.
        await pilot.press("left", "left")
        await pilot.pause()
        entry = screen.selected_entry()
        assert entry is not None and entry.kind == "planned" and entry.item.title.startswith("Newsletter #3")
        await pilot.press("down")
        await pilot.pause()
        assert screen.entry_index == 1
        await pilot.press("up", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ChecklistsScreen) and app.screen.picked_item == entry.item.id


async def test_a_click_selects_a_day(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_calendar(pilot)
        cell = max(6, screen.grid.content_size.width // 7)
        await pilot.click("#calendar", offset=(1 + cell * 4 + 2, 3))  # Friday
        await pilot.pause()
        assert screen.selected == date(2026, 11, 20)
