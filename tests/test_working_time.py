"""Working days and the delay rule: weekends do not count, the grace is a share of the expected days with a floor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gtm_tui.data.model import Pilot, ValidationError
from gtm_tui.process import setup
from gtm_tui.work.working_time import DelayRule, rule_of, week_text, working_days_between

FRIDAY_NOON = datetime(2026, 11, 6, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "start, hours, working",
    [
        (FRIDAY_NOON, 6, 0.25),  # Friday afternoon: a quarter of a day
        (FRIDAY_NOON, 72, 1.0),  # Friday noon to Monday noon: half of Friday and half of Monday
        (FRIDAY_NOON, 24 * 7, 5.0),  # a whole week holds five working days
        (FRIDAY_NOON, 24 * 15, 10.5),  # two weeks (10), then Friday noon to Saturday noon (0.5)
        (FRIDAY_NOON + timedelta(days=1), 24, 0.0),  # Saturday noon to Sunday noon
    ],
)
def test_working_days_between_skip_the_weekend(start, hours, working):
    assert working_days_between(start, start + timedelta(hours=hours)) == pytest.approx(working)


def test_another_working_week_counts_its_own_days():
    sunday_to_thursday = frozenset({6, 0, 1, 2, 3})
    friday, saturday = FRIDAY_NOON, FRIDAY_NOON + timedelta(days=1)
    assert working_days_between(friday, saturday, sunday_to_thursday) == 0
    assert working_days_between(saturday, saturday + timedelta(days=1), sunday_to_thursday) == pytest.approx(0.5)
    assert working_days_between(FRIDAY_NOON, FRIDAY_NOON) == 0
    assert working_days_between(FRIDAY_NOON, FRIDAY_NOON - timedelta(days=1)) == 0


def test_the_grace_is_a_share_with_a_floor():
    rule = DelayRule()
    assert rule.allowed_days(1) == 1.5  # 25 % of a day is under the floor of half a day
    assert rule.allowed_days(4) == 5  # 25 % of four days is one day
    monday = FRIDAY_NOON + timedelta(days=2, hours=12)  # Monday 00:00
    assert not rule.is_late(monday, monday + timedelta(days=1, hours=12), 1)  # 1.5 working days: just within
    assert rule.is_late(monday, monday + timedelta(days=1, hours=13), 1)
    assert not rule.is_late(monday, monday + timedelta(days=30), None)  # no expectation, never late


def test_the_rule_in_one_line_and_from_the_pilot():
    assert DelayRule().text() == (
        "Delayed: past its due date and not done, or a stage took longer than its expected "
        "days plus 25 % (at least 0.5 working days), counted in working days (Mon–Fri)."
    )
    pilot = Pilot(working_days=[6, 0, 1, 2, 3], delay_grace_percent=50, delay_grace_days=1)
    rule = rule_of(pilot)
    assert (rule.working, rule.percent, rule.floor_days) == (frozenset({6, 0, 1, 2, 3}), 50, 1)
    assert week_text(rule.working) == "Mon–Thu, Sun" and week_text(frozenset(range(7))) == "every day"
    assert rule_of(None) == DelayRule()


def test_the_pilot_setup_reads_the_working_week_and_the_grace():
    values = {"name": "P", "working_days": "Sun-Thu", "delay_grace_percent": "40", "delay_grace_days": ""}
    changes = setup.pilot_changes(values, [], [])
    assert (changes["working_days"], changes["delay_grace_percent"], changes["delay_grace_days"]) == (
        [0, 1, 2, 3, 6],
        40,
        0.5,
    )
    with pytest.raises(ValidationError, match="'Funday' is not a weekday"):
        setup.parse_working_week("Mon, Funday")
    with pytest.raises(ValidationError, match="must be 0 or more"):
        setup.pilot_changes({**values, "delay_grace_percent": "-5"}, [], [])
    with pytest.raises(ValidationError, match="at least one weekday"):
        Pilot(working_days=[]).validate()


@pytest.mark.parametrize("days", [[0, 1, 2, 3, 4], [0, 1, 2, 3, 6], [0, 2, 4], [5], list(range(7))])
def test_the_working_week_in_words_reads_back(days):
    """The set-up form shows the week as ``week_text`` writes it: saving the form unchanged must work, every day too."""
    assert setup.parse_working_week(setup.format_working_week(days)) == days
    changes = setup.pilot_changes({"name": "P", "working_days": setup.format_working_week(days)}, [], [])
    assert changes["working_days"] == days
