"""Time as the team works it: working days in the pilot's working week, and the delay rule built on them.

A stage's expected days are working days ("copy takes three days" means three
days of work, not a weekend in between), so a visit is measured against them
in working days: the hours of the visit that fall on the pilot's working
weekdays (Monday to Friday unless the pilot says otherwise), as days of 24
hours. Weekdays are taken in UTC, the zone every stored timestamp is in.

The delay rule: a visit is late when it ran over the stage's expected days by
more than a grace — a share of the expected days (25 % by default) and never
less than a floor (half a working day by default). An item is delayed when one
of its visits is late, or when it is past its due date and not done.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from gtm_tui.data.model import WEEKDAYS, Pilot, ValidationError

DAY = timedelta(days=1)
WEEK_DAYS = 7
MONDAY_TO_FRIDAY = frozenset(range(5))


@functools.lru_cache(maxsize=65536)
def working_days_between(start: datetime, end: datetime, working: frozenset[int] = MONDAY_TO_FRIDAY) -> float:
    """The time from ``start`` to ``end`` that falls on ``working`` weekdays (0 = Monday), in days.

    Kept per (start, end, week): a finished visit's working days never change, and the flags
    and the time-in-stage figures ask for each visit's on every refresh.
    """
    if end <= start or not working:
        return 0.0
    total = timedelta(0)
    cursor = start
    whole_weeks = (end - start) // timedelta(weeks=1)
    if whole_weeks:  # every whole week holds each working weekday once
        total += whole_weeks * len(working) * DAY
        cursor = start + timedelta(weeks=whole_weeks)
    while cursor < end:
        midnight = datetime.combine(cursor.date() + DAY, time(0), cursor.tzinfo)
        stop = min(end, midnight)
        if cursor.weekday() in working:
            total += stop - cursor
        cursor = stop
    return total / DAY


@dataclass(frozen=True)
class DelayRule:
    """When a visit counts as late: over the expected days by more than ``percent`` % and at least ``floor_days``."""

    working: frozenset[int] = MONDAY_TO_FRIDAY
    percent: float = 25.0
    floor_days: float = 0.5

    def allowed_days(self, expected_days: float) -> float:
        """The longest a visit may take before it is late: the expected days plus the grace."""
        return expected_days + max(expected_days * self.percent / 100.0, self.floor_days)

    def working_days(self, start: datetime, end: datetime) -> float:
        return working_days_between(start, end, self.working)

    def is_late(self, start: datetime, end: datetime, expected_days: float | None) -> bool:
        """Whether a visit from ``start`` to ``end`` ran past the stage's expected days and the grace."""
        return expected_days is not None and self.working_days(start, end) > self.allowed_days(expected_days)

    def text(self) -> str:
        """The rule in one line, as the Metrics screen and the report state it."""
        return (
            f"Delayed: past its due date and not done, or a stage took longer than its expected days plus "
            f"{self.percent:g} % (at least {self.floor_days:g} working day{'s' if self.floor_days != 1 else ''}), "
            "counted in working days "
            f"({week_text(self.working)})."
        )


def week_text(working: frozenset[int] | list[int]) -> str:
    """The working week in words: "Mon–Fri", "Mon–Thu, Sun", "every day"."""
    days = sorted(set(working))
    if len(days) == WEEK_DAYS:
        return "every day"
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    short = [name[:3] for name in WEEKDAYS]
    return ", ".join(short[run[0]] if len(run) == 1 else f"{short[run[0]]}–{short[run[-1]]}" for run in runs)


EVERY_DAY = ("every day", "daily", "all week")


def parse_working_week(text: str | None) -> list[int]:
    """The weekdays typed as names or ranges ("Mon–Fri", "Sun-Thu", "Mon, Wed"); 0 = Monday.

    Reads back whatever ``week_text`` writes, "every day" included, so a form or
    a spreadsheet that shows the week in words can be saved again unchanged.
    """
    if (text or "").strip().casefold() in EVERY_DAY:
        return list(range(WEEK_DAYS))
    names = {name[:3].casefold(): number for number, name in enumerate(WEEKDAYS)}
    days: list[int] = []
    for part in re.split(r"[,;/]|\s+and\s+", (text or "").strip()):
        part = part.strip()
        if not part:
            continue
        ends = [end.strip()[:3].casefold() for end in re.split(r"\s*[-–—]\s*|\s+to\s+", part)]
        if len(ends) > 2 or any(end not in names for end in ends):
            raise ValidationError("working_days", f"'{part}' is not a weekday or a range of them, like 'Mon–Fri'")
        first, last = names[ends[0]], names[ends[-1]]
        span = range(first, last + 1) if first <= last else [*range(first, WEEK_DAYS), *range(last + 1)]
        days += [day for day in span if day not in days]
    if not days:
        raise ValidationError("working_days", "name the team's working days, like 'Mon–Fri'")
    return sorted(days)


def rule_of(pilot: Pilot | None) -> DelayRule:
    """The pilot's delay rule (the defaults when there is no pilot record)."""
    if pilot is None:
        return DelayRule()
    return DelayRule(frozenset(pilot.working_days), float(pilot.delay_grace_percent), float(pilot.delay_grace_days))
