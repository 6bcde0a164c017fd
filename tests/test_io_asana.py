"""The Asana CSV fixtures (tests/fixtures, written from Asana's CSV export columns) into an empty pilot."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtm_tui.data.model import ChecklistItem, Person, Stage, WorkItem
from gtm_tui.io.importing import BadRow, apply_plan, guess_format, plan_import

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "asana-content-calendar.csv"
BROKEN = FIXTURES / "asana-broken-row.csv"


def test_sections_tasks_subtasks_and_assignees(workspace):
    assert guess_format(EXPORT) == "asana"
    apply_plan(workspace, plan_import(workspace, EXPORT))
    assert [s.name for s in workspace.all(Stage)] == ["Writing", "Published", "Review", "Ideas"]
    people = {p.name: p for p in workspace.all(Person)}
    assert sorted(people) == ["Lea Fischer", "Priya Nair", "Sam Ortiz"]
    assert people["Priya Nair"].contact == "priya.nair@example.com"
    items = {w.title: w for w in workspace.all(WorkItem)}
    assert len(items) == 5
    carousel = items["LinkedIn carousel: dashboard tips"]
    assert (carousel.status, carousel.done_at, carousel.due) == ("done", "2026-11-12T00:00:00+00:00", "2026-11-12")
    newsletter = items["Newsletter #3: launch recap"]
    assert workspace.name_of(Stage, newsletter.stage_id) == "Review"
    assert workspace.name_of(Person, newsletter.assignee_id) == "Sam Ortiz"
    assert newsletter.source == "asana:1205001000000103"
    checks = {c.text: c for c in workspace.all(ChecklistItem)}
    assert sorted(checks) == [
        "Outline approved by the campaign manager",
        "Screenshots from the new dashboard",
        "Test send to the team",
    ]
    assert workspace.name_of(Stage, checks["Test send to the team"].stage_id) == "Review"  # the parent's section
    assert checks["Outline approved by the campaign manager"].done
    assert checks["Screenshots from the new dashboard"].due == "2026-11-21"


def test_reimport_does_not_duplicate(workspace):
    apply_plan(workspace, plan_import(workspace, EXPORT))
    plan = plan_import(workspace, EXPORT)
    assert plan.planned == [] and plan.unchanged == 15


def test_a_broken_row_imports_nothing_and_names_the_row(workspace):
    before = workspace.path.read_bytes()
    with pytest.raises(BadRow) as caught:
        plan_import(workspace, BROKEN)
    assert str(caught.value) == "asana-broken-row.csv line 4: Due Date: 2026-11-31 is not a real date"
    assert workspace.path.read_bytes() == before


def test_line_numbers_count_line_breaks_inside_cells(workspace, tmp_path):
    """The Notes cell of line 4 spans two lines, so the next task is on line 6."""
    text = EXPORT.read_text(encoding="utf-8").replace("Customer story: Harbor Logistics", "")
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BadRow, match="export.csv line 6: Name: is empty"):
        plan_import(workspace, path)


def test_a_subtask_whose_parent_is_missing_is_a_bad_row(workspace, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "Task ID,Name,Section/Column,Parent task\n1,Post,Writing,\n2,Proofread,,Missing task\n", encoding="utf-8"
    )
    with pytest.raises(BadRow, match="export.csv line 3: Parent task: 'Missing task' is not a task in this file"):
        plan_import(workspace, path)


def test_notes_tags_custom_fields_and_created_at_come_in(workspace, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "Task ID,Created At,Completed At,Name,Section/Column,Assignee,Due Date,Tags,Notes,Parent task,Priority,"
        "Channel\n"
        '1,2026-11-02,,Post,Writing,,2026-11-20,"Blog, Launch","First line\nSecond line",,High,\n'
        "2,2026-11-01,2026-11-09,Video,Published,,,,,,,YouTube\n",
        encoding="utf-8",
    )
    plan = plan_import(workspace, path, "asana")
    apply_plan(workspace, plan)
    items = {w.title: w for w in workspace.all(WorkItem)}
    post, video = items["Post"], items["Video"]
    assert post.tags == ["Blog", "Launch", "Priority: High"]  # tags, then custom fields as "Field: value"
    assert post.note == "First line\nSecond line"
    assert post.stage_history == [
        {"stage_id": post.stage_id, "entered_at": "2026-11-02T00:00:00+00:00", "left_at": None}
    ]
    assert (video.status, video.done_at, video.tags) == ("done", "2026-11-09T00:00:00+00:00", ["Channel: YouTube"])
    assert any("no history of moves between sections" in line for line in plan.summary())
