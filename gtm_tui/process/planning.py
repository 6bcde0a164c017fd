"""Due dates from durations: a piece of work's plan through the stages, in working days.

A stage's expected days are days of work, so a plan counts only the pilot's
working days (Monday to Friday unless the pilot says otherwise) and skips its
days off. Positions along a plan are counted in working days from the start
of the first one: a stage of 2 days that starts on a Monday takes Monday and
Tuesday, and the next stage starts on Wednesday; two half-day stages share a
day. Stages without expected days take no time (the plan says which).

An item's plan runs forward from its start date, or back from its target live
date (``WorkItem.due``) when it has no start. The piece is live at the end of
the pilot's live stage (the last stage unless the pilot names another: a
"Measure" stage after publishing is planned, but comes after live). Where an
item really is decides whether it will make its live date: from the day it
entered its current stage, the stages still ahead take what they are expected
to take; a projected live date after the target flags the item early.

Everything here is pure: dates in, dates out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from gtm_tui.data.model import Pilot, Stage, WorkItem, as_date, as_datetime

MONDAY_TO_FRIDAY = frozenset(range(5))
DAY = timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    """The team's working days: weekdays (0 = Monday) and dates off."""

    working: frozenset[int] = MONDAY_TO_FRIDAY
    days_off: frozenset[date] = frozenset()

    def is_working(self, day: date) -> bool:
        return day.weekday() in self.working and day not in self.days_off

    def on_or_after(self, day: date) -> date:
        """The first working day from ``day`` on (``day`` itself when it is one)."""
        if not self.working:
            return day
        while not self.is_working(day):
            day += DAY
        return day

    def on_or_before(self, day: date) -> date:
        """The last working day up to ``day``."""
        if not self.working:
            return day
        while not self.is_working(day):
            day -= DAY
        return day

    def shift(self, day: date, count: int) -> date:
        """The working day ``count`` working days after (or, negative, before) working day ``day``."""
        if not self.working:
            return day + count * DAY
        step = DAY if count >= 0 else -DAY
        left = abs(count)
        # Whole weeks first when no day off is in the way: a plan a year out stays fast.
        if left >= len(self.working) * 2 and not self.days_off:
            weeks = left // len(self.working) - 1
            day += step * 7 * weeks
            left -= weeks * len(self.working)
        while left:
            day += step
            if self.is_working(day):
                left -= 1
        return day

    def add(self, start: date, days: float) -> date:
        """The day by which ``days`` working days that begin on ``start`` are done.

        ``days`` 0 (or less) is due on ``start`` itself, moved to the next
        working day when ``start`` is not one; 1 day is done the same working
        day; 2 days the working day after; fractions round up to a whole day.
        """
        first = self.on_or_after(start)
        whole = max(0, math.ceil(days - 1e-9))
        return self.shift(first, max(0, whole - 1))

    def count(self, start: date, end: date) -> int:
        """Working days from ``start`` to ``end``, both counted (0 when ``end`` is before ``start``)."""
        if end < start:
            return 0
        days = 0
        day = start
        while day <= end:
            days += self.is_working(day)
            day += DAY
        return days


def calendar_of(pilot: Pilot | None) -> WorkCalendar:
    """The pilot's working week and days off (Monday to Friday, no days off without a pilot)."""
    if pilot is None:
        return WorkCalendar()
    days_off = frozenset(d for d in (as_date(text) for text in pilot.days_off) if d is not None)
    return WorkCalendar(frozenset(pilot.working_days), days_off)


# --------------------------------------------------------------------------
# Plans


@dataclass(frozen=True)
class StagePlan:
    """When a piece is planned to be in a stage: from the morning of ``start`` to the evening of ``end``."""

    stage_id: str
    start: date
    end: date
    days: float


@dataclass(frozen=True)
class Plan:
    """A piece's planned dates per stage, in process order, and its planned live date."""

    stages: tuple[StagePlan, ...]
    live: date | None
    direction: str  # "forward" from a start date, "back" from a target live date
    unplanned: tuple[str, ...] = field(default=())  # stages without expected days (planned as taking none)

    def for_stage(self, stage_id: str) -> StagePlan | None:
        return next((plan for plan in self.stages if plan.stage_id == stage_id), None)


def _days(stage: Stage) -> float:
    return float(stage.expected_days or 0)


def _lay_out(origin: date, stages: Sequence[Stage], calendar: WorkCalendar, offset: float = 0.0) -> list[StagePlan]:
    """Stages one after the other from working-day position ``offset`` after ``origin`` (a working day)."""
    plans = []
    position = offset
    for stage in stages:
        length = _days(stage)
        start = calendar.shift(origin, math.floor(position + 1e-9))
        end_position = position + length
        # The day holding the stage's last moment; a stage of no days ends the day it starts.
        last = math.ceil(end_position - 1e-9) - 1 if length > 0 else math.floor(position + 1e-9)
        end = calendar.shift(origin, max(last, math.floor(position + 1e-9)))
        plans.append(StagePlan(stage.id, start, end, length))
        position = end_position
    return plans


def live_index(stages: Sequence[Stage], live_stage_id: str | None) -> int:
    """The index of the stage a piece is live at the end of (the last stage unless named)."""
    ids = [stage.id for stage in stages]
    return ids.index(live_stage_id) if live_stage_id in ids else len(ids) - 1


def plan_forward(
    start: date, stages: Sequence[Stage], calendar: WorkCalendar, live_stage_id: str | None = None
) -> Plan:
    """Every stage in order from ``start`` (moved to the first working day on or after it)."""
    if not stages:
        return Plan((), None, "forward")
    plans = _lay_out(calendar.on_or_after(start), stages, calendar)
    live = plans[live_index(stages, live_stage_id)].end
    return Plan(tuple(plans), live, "forward", tuple(s.id for s in stages if s.expected_days is None))


def plan_back(target: date, stages: Sequence[Stage], calendar: WorkCalendar, live_stage_id: str | None = None) -> Plan:
    """The stages laid out so that the live stage ends on ``target`` (moved back to a working day)."""
    if not stages:
        return Plan((), None, "back")
    index = live_index(stages, live_stage_id)
    before = sum(_days(stage) for stage in stages[: index + 1])
    end = calendar.on_or_before(target)
    # Back from the evening of ``end`` by ``before`` working days: the position the first stage starts at.
    whole = math.ceil(before - 1e-9)
    origin = calendar.shift(end, -(whole - 1)) if whole > 0 else end
    plans = _lay_out(origin, stages, calendar, offset=whole - before)
    return Plan(tuple(plans), plans[index].end, "back", tuple(s.id for s in stages if s.expected_days is None))


def plan_for(
    item: WorkItem, stages: Sequence[Stage], calendar: WorkCalendar, live_stage_id: str | None = None
) -> Plan | None:
    """The item's plan: forward from its start date, else back from its target live date, else none."""
    start = as_date(item.start_date)
    if start is not None:
        return plan_forward(start, stages, calendar, live_stage_id)
    target = as_date(item.due)
    if target is not None:
        return plan_back(target, stages, calendar, live_stage_id)
    return None


# --------------------------------------------------------------------------
# Where the item really is


def entered_current_stage(item: WorkItem) -> date | None:
    """The day the item entered the stage it is in now (its open visit), or None."""
    for visit in reversed(item.stage_history):
        if visit.get("stage_id") == item.stage_id and not visit.get("left_at"):
            moment = as_datetime(visit.get("entered_at"))
            return moment.date() if moment else None
    return None


def projected_live(item: WorkItem, stages: Sequence[Stage], calendar: WorkCalendar, today: date,
                   live_stage_id: str | None = None) -> date | None:
    """When the item will be live if the stages still ahead take their expected days (None: not in a stage).

    The current stage counts from the day the item entered it; a stage that
    already took longer than expected is taken to end today. A done item was
    live when it was done.
    """
    if item.status == "done":
        done = as_datetime(item.done_at)
        return done.date() if done else None
    ids = [stage.id for stage in stages]
    if item.stage_id not in ids:
        return None
    index = ids.index(item.stage_id)
    live = live_index(stages, live_stage_id)
    if index > live:
        return None  # past the live stage: live already
    entered = entered_current_stage(item) or today
    current_end = calendar.add(entered, _days(stages[index]))
    if current_end < today:
        current_end = calendar.on_or_after(today)
    ahead = sum(_days(stage) for stage in stages[index + 1 : live + 1])
    if ahead <= 0:
        return current_end
    return calendar.add(calendar.shift(current_end, 1), ahead)


def planned_live(item: WorkItem, stages: Sequence[Stage], calendar: WorkCalendar, today: date,
                 live_stage_id: str | None = None) -> date | None:
    """The date the content calendar shows the item on: its target, else its plan's, else where it is heading."""
    if item.status == "done":
        return projected_live(item, stages, calendar, today, live_stage_id)
    target = as_date(item.due)
    if target is not None:
        return target
    plan = plan_for(item, stages, calendar, live_stage_id)
    if plan is not None and plan.live is not None:
        return plan.live
    return projected_live(item, stages, calendar, today, live_stage_id)


def at_risk(item: WorkItem, stages: Sequence[Stage], calendar: WorkCalendar, today: date,
            live_stage_id: str | None = None) -> str | None:
    """Why the item is about to miss its live date, or None: flagged while there is still time to act."""
    if item.status == "done":
        return None
    target = as_date(item.due)
    if target is None:
        return None
    projected = projected_live(item, stages, calendar, today, live_stage_id)
    if projected is None:
        if item.stage_id is None:
            plan = plan_back(target, stages, calendar, live_stage_id)
            if plan.stages and plan.stages[0].start < today:
                return (
                    f"not started; it should have been on {plan.stages[0].start.isoformat()} "
                    f"to go live {target.isoformat()}"
                )
        return None
    if projected > target:
        late = calendar.count(target + DAY, projected)
        return (f"projected live {projected.isoformat()}, {late} working day{'s' if late != 1 else ''} "
                f"after its live date {target.isoformat()}")
    return None


# --------------------------------------------------------------------------
# Planned against actual


@dataclass(frozen=True)
class StageDates:
    """One stage of a piece: when the plan has it there, and when it really was (its first visit)."""

    stage_id: str
    planned: StagePlan | None
    entered: date | None
    left: date | None

    @property
    def days_late(self) -> int | None:
        """Calendar days the piece entered the stage after the plan said (negative: early; None: not known)."""
        if self.planned is None or self.entered is None:
            return None
        return (self.entered - self.planned.start).days


def planned_against_actual(item: WorkItem, stages: Sequence[Stage], calendar: WorkCalendar,
                           live_stage_id: str | None = None) -> list[StageDates]:
    """Every stage in process order with the piece's planned dates (when it has a plan) and its actual ones.

    A stage visited more than once (rework) shows its first entry and its last
    exit: the whole time the piece spent on it.
    """
    plan = plan_for(item, stages, calendar, live_stage_id)
    entered: dict[str, date] = {}
    left: dict[str, date] = {}
    for visit in item.stage_history:
        moment = as_datetime(visit.get("entered_at"))
        if moment is not None:
            entered.setdefault(visit.get("stage_id", ""), moment.date())
        out = as_datetime(visit.get("left_at"))
        if out is not None:
            left[visit.get("stage_id", "")] = out.date()
    return [StageDates(stage.id, plan.for_stage(stage.id) if plan else None, entered.get(stage.id), left.get(stage.id))
            for stage in stages]
