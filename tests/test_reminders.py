"""Reminders: due today, overdue, the next check-in, the Overview section and the start-up notice."""

from __future__ import annotations

from datetime import date, datetime

from gtm_tui.checklists import reminders
from gtm_tui.data.model import ChecklistItem, Pilot, Stage
from gtm_tui.data.workspace import Workspace
from gtm_tui.overview import summary as overview

TODAY = date(2026, 11, 18)  # a Wednesday


def test_overdue_and_due_today_with_a_fixed_today():
    items = [
        ChecklistItem(stage_id="s", text="a", due="2026-11-17"),
        ChecklistItem(stage_id="s", text="b", due="2026-11-01"),
        ChecklistItem(stage_id="s", text="c", due="2026-11-18"),
        ChecklistItem(stage_id="s", text="d", due="2026-11-01", done=True),
        ChecklistItem(stage_id="s", text="e", due="2026-11-19"),
        ChecklistItem(stage_id="s", text="f"),
    ]
    assert [i.text for i in reminders.overdue(items, TODAY)] == ["b", "a"]
    assert [i.text for i in reminders.due_today(items, TODAY)] == ["c"]


def test_next_checkin_from_weekday_and_time():
    tuesday_10 = Pilot(checkin_weekday=1, checkin_time="10:00")
    assert reminders.next_checkin(tuesday_10, datetime(2026, 11, 18, 10, 0)) == datetime(2026, 11, 24, 10, 0)
    # on the day, before the time: today; after it: next week
    assert reminders.next_checkin(tuesday_10, datetime(2026, 11, 24, 9, 59)) == datetime(2026, 11, 24, 10, 0)
    assert reminders.next_checkin(tuesday_10, datetime(2026, 11, 24, 10, 1)) == datetime(2026, 12, 1, 10, 0)
    assert reminders.next_checkin(Pilot(checkin_weekday=2), datetime(2026, 11, 18, 8, 0)) == datetime(
        2026, 11, 18, 9, 0
    )
    assert reminders.next_checkin(Pilot(), datetime(2026, 11, 18)) is None
    assert reminders.checkin_words(datetime(2026, 11, 24, 10, 0), TODAY) == "Tuesday 2026-11-24 at 10:00 (in 6 days)"
    assert reminders.checkin_words(datetime(2026, 11, 19, 9, 0), TODAY).endswith("(tomorrow)")


def test_overview_lists_reminders_for_the_demo(demo: Workspace):
    from gtm_tui.checklists.runs import steps_to_work
    from gtm_tui.data.model import Run

    assert reminders.reminders_section in overview.SECTIONS
    section = reminders.reminders_section(demo)
    labels = [row.label for row in section.rows]
    overdue_count = len(reminders.overdue(steps_to_work(demo), TODAY))
    assert f"Overdue: {overdue_count}" in labels and overdue_count > reminders.SHOWN_PER_LIST
    assert f"  … and {overdue_count - reminders.SHOWN_PER_LIST} more (Checklists, key 3)" in labels  # cut short
    assert any(label.startswith("Due today: ") for label in labels)
    checkin = next(row for row in section.rows if row.label == "Next check-in")
    assert checkin.value.startswith("Tuesday 2026-11-24 at 10:00")
    # What was left open in a run that ended is history, not a reminder.
    ended = {run.id for run in demo.all(Run) if not run.open}
    left_open = [s for s in demo.all(ChecklistItem) if s.run_id in ended and not s.done and s.due < "2026-11-18"]
    assert left_open and len(reminders.overdue(demo.all(ChecklistItem), TODAY)) > overdue_count


def test_startup_notice_only_when_something_is_overdue(demo: Workspace, workspace: Workspace):
    notice = reminders.startup_notice(demo)
    assert notice is not None and "overdue" in notice and "due today" in notice
    assert reminders.startup_notice(workspace) is None
    stage = workspace.add(Stage(name="Copy"))
    workspace.add(ChecklistItem(stage_id=stage.id, text="late", due="2026-11-17"))
    assert reminders.startup_notice(workspace) == "1 step is overdue. See Checklists (key 3)."
