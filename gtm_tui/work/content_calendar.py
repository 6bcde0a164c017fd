"""The content calendar: the pieces by planned live date, and the steps falling due, day by day.

A piece sits on its planned live date (its target, else its plan's, else where
it is heading from the stage it is in — see ``process.planning``); a piece
that is live sits on the day it went live. The open steps of the runs under
way sit on their due dates. ``week_days`` and ``month_weeks`` give the days a
week or a month grid shows; ``entries`` the day's contents. Pure: records and
dates in, dates and entries out.
"""

from __future__ import annotations

import calendar as stdlib_calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from gtm_tui.data.model import ChecklistItem, Stage, WorkItem, as_date
from gtm_tui.process.planning import WorkCalendar, at_risk, planned_live

KIND_ORDER = {"live": 0, "planned": 1, "step": 2}


@dataclass(frozen=True)
class Entry:
    """One thing on a day: a piece going live ("planned"), a piece that went live ("live"), or a step due ("step")."""

    day: date
    kind: str
    item: WorkItem | None
    step: ChecklistItem | None = None
    late: bool = False  # a step past due, or a piece about to miss its live date

    @property
    def item_id(self) -> str | None:
        return self.item.id if self.item is not None else None

    def text(self) -> str:
        if self.kind == "step" and self.step is not None:
            return self.step.text
        return self.item.title if self.item is not None else ""


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def week_days(day: date) -> list[date]:
    """Monday to Sunday of ``day``'s week."""
    start = week_start(day)
    return [start + timedelta(days=offset) for offset in range(7)]


def month_weeks(day: date) -> list[list[date]]:
    """The weeks (Monday first) that hold a day of ``day``'s month: 4 to 6 rows of 7 days."""
    first = day.replace(day=1)
    last = day.replace(day=stdlib_calendar.monthrange(day.year, day.month)[1])
    weeks = []
    start = week_start(first)
    while start <= last:
        weeks.append([start + timedelta(days=offset) for offset in range(7)])
        start += timedelta(days=7)
    return weeks


def entries(items: Iterable[WorkItem], steps: Iterable[ChecklistItem], stages: Sequence[Stage],
            calendar: WorkCalendar, today: date, live_stage_id: str | None = None,
            *, days: tuple[date, date] | None = None) -> dict[date, list[Entry]]:
    """What each day holds (only days within ``days``, first and last included, when given).

    ``steps`` are the steps still to work (open steps of ended runs are
    history); done steps are left out. On a day: live pieces, then planned
    ones, then due steps.
    """
    found: dict[date, list[Entry]] = {}
    by_id: dict[str, WorkItem] = {}

    def put(entry: Entry) -> None:
        if days is None or days[0] <= entry.day <= days[1]:
            found.setdefault(entry.day, []).append(entry)

    for item in items:
        by_id[item.id] = item
        day = planned_live(item, stages, calendar, today, live_stage_id)
        if day is None:
            continue
        if item.status == "done":
            put(Entry(day, "live", item))
        else:
            put(Entry(day, "planned", item, late=at_risk(item, stages, calendar, today, live_stage_id) is not None))
    for step in steps:
        due = as_date(step.due)
        if step.done or due is None:
            continue
        put(Entry(due, "step", by_id.get(step.work_item_id or ""), step, late=due < today))
    for day_entries in found.values():
        day_entries.sort(key=lambda e: (KIND_ORDER[e.kind], e.text().casefold()))
    return found
