"""Due dates from durations: working days, days off, plans forward and back, the early warning."""

from __future__ import annotations

from datetime import date

from gtm_tui.data.model import Pilot, Stage, WorkItem
from gtm_tui.process.planning import (
    WorkCalendar,
    at_risk,
    calendar_of,
    plan_back,
    plan_for,
    plan_forward,
    planned_live,
    projected_live,
)

MON = date(2026, 11, 16)  # a Monday
WEEK = WorkCalendar()


def stages(*days: float | None) -> list[Stage]:
    return [Stage(name=f"S{i}", position=i, expected_days=d) for i, d in enumerate(days)]


def test_adding_working_days_skips_the_weekend():
    friday = date(2026, 11, 20)
    assert WEEK.add(MON, 1) == MON  # one day of work ends the day it starts
    assert WEEK.add(MON, 3) == date(2026, 11, 18)
    assert WEEK.add(friday, 2) == date(2026, 11, 23)  # Friday and Monday
    assert WEEK.add(date(2026, 11, 21), 1) == date(2026, 11, 23)  # begun on a Saturday: Monday
    assert WEEK.add(MON, 0.5) == MON and WEEK.add(MON, 1.5) == date(2026, 11, 17)
    assert WEEK.shift(friday, 1) == date(2026, 11, 23) and WEEK.shift(date(2026, 11, 23), -1) == friday


def test_days_off_are_skipped_like_weekends():
    off = WorkCalendar(days_off=frozenset({date(2026, 11, 17), date(2026, 11, 18)}))
    assert off.add(MON, 2) == date(2026, 11, 19)
    assert off.on_or_after(date(2026, 11, 17)) == date(2026, 11, 19)
    assert off.shift(date(2026, 11, 19), -1) == MON
    assert off.count(MON, date(2026, 11, 20)) == 3


def test_a_long_shift_takes_whole_weeks_and_lands_on_the_same_day_as_counting():
    for count in (9, 10, 11, 57, 260):
        day, left = MON, count
        while left:
            day = date.fromordinal(day.toordinal() + 1)
            left -= WEEK.is_working(day)
        assert WEEK.shift(MON, count) == day
    sun_to_thu = WorkCalendar(frozenset({6, 0, 1, 2, 3}))
    assert sun_to_thu.add(date(2026, 11, 19), 2) == date(2026, 11, 22)  # Thursday, then Sunday


def test_the_pilot_gives_the_calendar():
    pilot = Pilot(name="P", working_days=[0, 1, 2, 3], days_off=["2026-12-24"])
    calendar = calendar_of(pilot)
    assert calendar.working == frozenset({0, 1, 2, 3}) and date(2026, 12, 24) in calendar.days_off
    assert calendar_of(None) == WorkCalendar()


def test_plan_forward_lays_stages_end_to_end_in_working_days():
    process = stages(2, 3, 1, 0.5, 0.5)
    plan = plan_forward(date(2026, 11, 14), process, WEEK)  # a Saturday: starts Monday
    assert [(p.start.isoformat(), p.end.isoformat()) for p in plan.stages] == [
        ("2026-11-16", "2026-11-17"), ("2026-11-18", "2026-11-20"), ("2026-11-23", "2026-11-23"),
        ("2026-11-24", "2026-11-24"), ("2026-11-24", "2026-11-24"),  # two half days share one
    ]
    assert plan.live == date(2026, 11, 24) and plan.direction == "forward"


def test_plan_back_ends_the_live_stage_on_the_target_and_plans_what_follows():
    process = stages(2, 3, 1, 7)
    plan = plan_back(date(2026, 11, 29), process, WEEK, live_stage_id=process[2].id)  # a Sunday: Friday
    assert plan.live == date(2026, 11, 27)
    assert [(p.start.isoformat(), p.end.isoformat()) for p in plan.stages] == [
        ("2026-11-20", "2026-11-23"), ("2026-11-24", "2026-11-26"), ("2026-11-27", "2026-11-27"),
        ("2026-11-30", "2026-12-08"),
    ]
    assert plan_forward(plan.stages[0].start, process, WEEK, process[2].id).live == plan.live


def test_stages_without_expected_days_take_none_and_are_named():
    process = stages(1, None, 1)
    plan = plan_forward(MON, process, WEEK)
    assert plan.unplanned == (process[1].id,)
    assert plan.live == date(2026, 11, 17)


def test_an_item_plans_from_its_start_else_back_from_its_live_date():
    process = stages(2, 2)
    assert plan_for(WorkItem(title="a"), process, WEEK) is None
    assert plan_for(WorkItem(title="a", start_date="2026-11-16"), process, WEEK).live == date(2026, 11, 19)
    back = plan_for(WorkItem(title="a", due="2026-11-19"), process, WEEK)
    assert back.direction == "back" and back.stages[0].start == MON


def in_stage(stage: Stage, entered: str, **fields) -> WorkItem:
    return WorkItem(title="post", stage_id=stage.id, status="in progress",
                    stage_history=[{"stage_id": stage.id, "entered_at": entered, "left_at": None}], **fields)


def test_projected_live_counts_what_is_ahead_from_where_the_item_is():
    process = stages(2, 3, 1)
    item = in_stage(process[1], "2026-11-16T09:00:00+00:00")
    assert projected_live(item, process, WEEK, MON) == date(2026, 11, 19)  # Wed end of stage 2, then Thu
    # A stage that ran over is taken to end today.
    late = in_stage(process[1], "2026-11-02T09:00:00+00:00")
    assert projected_live(late, process, WEEK, date(2026, 11, 18)) == date(2026, 11, 19)


def test_an_item_about_to_miss_its_live_date_is_flagged_early():
    process = stages(2, 3, 1)
    fine = in_stage(process[1], "2026-11-16T09:00:00+00:00", due="2026-11-20")
    assert at_risk(fine, process, WEEK, MON) is None
    tight = in_stage(process[1], "2026-11-16T09:00:00+00:00", due="2026-11-18")
    assert (
        at_risk(tight, process, WEEK, MON) == "projected live 2026-11-19, 1 working day after its live date 2026-11-18"
    )
    waiting = WorkItem(title="not begun", due="2026-11-18")
    assert "not started" in at_risk(waiting, process, WEEK, date(2026, 11, 17))
    assert at_risk(WorkItem(title="done", due="2026-11-01", status="done"), process, WEEK, MON) is None


def test_planned_live_is_the_target_else_the_plan_else_the_projection():
    process = stages(1, 1)
    assert planned_live(WorkItem(title="a", due="2026-12-01"), process, WEEK, MON) == date(2026, 12, 1)
    assert planned_live(WorkItem(title="a", start_date="2026-11-16"), process, WEEK, MON) == date(2026, 11, 17)
    assert planned_live(in_stage(process[0], "2026-11-16T09:00:00+00:00"), process, WEEK, MON) == date(2026, 11, 17)
    done = WorkItem(title="d", status="done", done_at="2026-11-10T12:00:00+00:00")
    assert planned_live(done, process, WEEK, MON) == date(2026, 11, 10)


def test_planned_against_actual_stage_dates():
    from gtm_tui.process.planning import planned_against_actual

    process = stages(2, 3, 1)
    item = WorkItem(title="post", start_date="2026-11-16", stage_id=process[1].id, stage_history=[
        {"stage_id": process[0].id, "entered_at": "2026-11-16T09:00:00+00:00", "left_at": "2026-11-19T09:00:00+00:00"},
        {"stage_id": process[1].id, "entered_at": "2026-11-19T09:00:00+00:00", "left_at": None},
    ])
    rows = planned_against_actual(item, process, WEEK)
    assert [(r.planned.start.isoformat(), r.entered and r.entered.isoformat()) for r in rows] == [
        ("2026-11-16", "2026-11-16"), ("2026-11-18", "2026-11-19"), ("2026-11-23", None)]
    assert [r.days_late for r in rows] == [0, 1, None] and rows[0].left == date(2026, 11, 19)
    assert all(r.planned is None for r in planned_against_actual(WorkItem(title="no plan"), process, WEEK))
