"""Validation of single records and of what a user types."""

from __future__ import annotations

import pytest

from gtm_tui.data.model import (
    ActionItem,
    ChecklistItem,
    Handoff,
    Person,
    Pilot,
    RaciAssignment,
    Stage,
    Theme,
    ValidationError,
    WorkItem,
    parse_date,
    parse_number,
    parse_time,
)


def test_parse_date_accepts_iso_and_today():
    assert parse_date("2026-02-28", "due") == "2026-02-28"
    assert parse_date(" today ", "due") == "2026-11-18"
    assert parse_date("", "due") is None


@pytest.mark.parametrize(
    "text, reason",
    [("2026-02-30", "2026-02-30 is not a real date"), ("next week", "'next week' is not a date; use YYYY-MM-DD")],
)
def test_parse_date_refuses_impossible_dates_naming_the_field(text, reason):
    with pytest.raises(ValidationError) as error:
        parse_date(text, "due")
    assert error.value.field == "due"
    assert error.value.reason == reason


def test_parse_date_required():
    with pytest.raises(ValidationError, match="required"):
        parse_date("  ", "deadline", required=True)


def test_parse_time_and_number():
    assert parse_time("9:05", "checkin_time") == "09:05"
    with pytest.raises(ValidationError, match="not a time"):
        parse_time("25:00", "checkin_time")
    assert parse_number("2,5", "expected_days") == 2.5
    assert parse_number("3", "expected_days") == 3
    with pytest.raises(ValidationError, match="0 or more"):
        parse_number("-1", "expected_days")
    with pytest.raises(ValidationError, match="not a number"):
        parse_number("soon", "expected_days")


@pytest.mark.parametrize(
    "record, field",
    [
        (Person(name="  "), "name"),
        (Stage(name="Copy", expected_days=-2), "expected_days"),
        (Handoff(from_stage_id="a" * 12, to_stage_id="a" * 12), "to_stage_id"),
        (ChecklistItem(stage_id="a" * 12, text=""), "text"),
        (ChecklistItem(stage_id="a" * 12, text="x", due="2026-13-01"), "due"),
        (WorkItem(title="Blog", status="lost"), "status"),
        (RaciAssignment(stage_id="a" * 12, person_id="b" * 12, role="X"), "role"),
        (Pilot(name="P", start_date="2026-05-01", end_date="2026-04-01"), "end_date"),
        (Pilot(name="P", checkin_weekday=9), "checkin_weekday"),
        (Pilot(name="P", baseline={"days": "many"}), "baseline"),
        (Theme(name="Slow review", tally=-1), "tally"),
        (ActionItem(title="Fix", status="maybe"), "status"),
        (Person(id="not-an-id", name="Ann"), "id"),
    ],
)
def test_invalid_records_name_the_field(record, field):
    with pytest.raises(ValidationError) as error:
        record.validate()
    assert error.value.field == field
    assert str(error.value)  # a sentence a user can read


def test_records_round_trip_through_dicts():
    item = WorkItem(
        title="Launch blog post", stage_history=[{"stage_id": "a" * 12, "entered_at": None, "left_at": None}]
    )
    again = WorkItem.from_dict(item.to_dict())
    assert again == item
    again.stage_history.append({})  # a copy, not a shared list
    assert len(item.stage_history) == 1


def test_from_dict_ignores_fields_of_a_newer_version():
    person = Person.from_dict({"name": "Ann", "shoe_size": 38})
    assert person.name == "Ann"


def test_without_detaches_or_cascades():
    item = ChecklistItem(stage_id="s" * 12, text="x", owner_id="p" * 12)
    assert item.without("people", "p" * 12).owner_id is None
    assert item.without("stages", "s" * 12) is None
    theme = Theme(name="T", votes={"p" * 12: 2, "q" * 12: 1})
    assert theme.without("people", "p" * 12).votes == {"q" * 12: 1}


def test_may_refer_to_admits_every_table_a_record_points_into():
    """A delete skips kinds that cannot point at the deleted record; that shortcut must never miss one."""
    from gtm_tui.data.demo import DEMO_TODAY, build_demo
    from gtm_tui.data.model import KIND_BY_TABLE

    for table, records in build_demo(DEMO_TODAY).items():
        kind = KIND_BY_TABLE.get(table)
        for data in (records.values() if kind else ()):
            for field, ref_table, _ in kind.from_dict(data).references():
                assert kind.may_refer_to(ref_table), (table, field, ref_table)
